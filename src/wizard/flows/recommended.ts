// One choice with a recommendation: the reason shown first, the recommended option marked and preselected,
// options that cannot work drawn with their reason and not selectable.
import type { Choice, Prompter } from '../prompter.js';
import type { Recommendation } from '../recommend.js';

/** Shows a recommendation and asks among its options; the recommended one is marked and preselected. */
export async function askRecommended<T extends string>(
  p: Prompter,
  q: { id: string; message: string; label: (value: T) => string; current?: T },
  rec: Recommendation<T>,
): Promise<T> {
  if (rec.recommended) p.note(`  Recommended: ${rec.recommended} — ${rec.why}`, 'good');
  else p.note(`  ${rec.why}`, 'warn');
  const choices: Choice<T>[] = rec.options.map((o) => ({
    value: o.value,
    name: `${q.label(o.value)}${o.value === rec.recommended ? '  (recommended)' : ''}`,
    short: o.value,
    description: o.note,
    disabled: o.disabled,
  }));
  const current = rec.options.some((o) => o.value === q.current && !o.disabled) ? q.current : undefined;
  return p.select({ id: q.id, message: q.message, choices, default: current ?? rec.recommended });
}
