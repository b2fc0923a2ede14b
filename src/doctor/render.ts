// The doctor's report: one line per link (`ok`/`warn`/`fail`), the fix indented under each line that is not ok.
import type { ChalkInstance } from 'chalk';
import type { Check, CheckStatus } from './check.js';

const paint = (c: ChalkInstance, status: CheckStatus): string =>
  status === 'ok' ? c.green('ok  ') : status === 'warn' ? c.yellow('warn') : c.red('fail');

/** Short titles line up in a column; a longer one (a route, a zone) is not padded, so no line runs twice as wide. */
const TITLE_COLUMN = 36;

export function renderChecks(checks: readonly Check[], c: ChalkInstance): string {
  const width = Math.max(10, ...checks.map((k) => k.title.length).filter((n) => n <= TITLE_COLUMN));
  const lines: string[] = [];
  for (const k of checks) {
    lines.push(`${paint(c, k.status)}  ${k.title.padEnd(width)}  ${c.dim(k.detail)}`);
    if (k.status !== 'ok' && k.fix) lines.push(`      ${c.bold('fix:')} ${k.fix}`);
  }
  const count = (s: CheckStatus) => checks.filter((k) => k.status === s).length;
  lines.push('', `${count('ok')} ok, ${count('warn')} warn, ${count('fail')} fail`);
  return lines.join('\n');
}
