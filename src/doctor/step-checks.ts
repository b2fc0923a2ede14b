// Checks derived from the steps themselves: a discovery that failed, each preflight problem, and each action the
// step's planner would take. A finished link plans a noop (ok); anything else is a link that does not hold.
import type { StepName } from '../config/choices.js';
import type { Action } from '../plan/action.js';
import { fail, ok, warn, type Check } from './check.js';

const applyStep = (step: StepName) => `run \`acr-xaccount apply --step ${step}\` with the same flags`;

export function discoverFailure(step: StepName, error: unknown): Check {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  return fail(`${step}.discover`, `${step}: discovery`, `${code ? `${code}: ` : ''}${message}`, 'fix the access named above, then re-run doctor');
}

/** A preflight problem usually ends with its fix (`... Fix: ...`, or `: do this`); the whole text is the detail. */
export function preflightChecks(step: StepName, problems: readonly string[]): Check[] {
  return problems.map((problem, i) => {
    const at = problem.search(/\bFix: /);
    const fix = at >= 0 ? problem.slice(at + 5) : applyStep(step);
    const id = `${step}.preflight${problems.length > 1 ? `.${i + 1}` : ''}`;
    const detail = at >= 0 ? problem.slice(0, at).trim() : problem;
    // A hand-made resource apply would not touch: doctor checks what it holds on its own lines; here it only notes it.
    if (NOT_OURS.test(problem)) return warn(id, `${step}: made by hand`, detail, 'none while the lines above for it are ok (apply would leave it as it is)');
    return fail(id, `${step}: preflight`, detail, fix);
  });
}

const NOT_OURS = /not created by acr-xaccount/;

/** One line per planned action: noop is a holding link; create/update/delete one that is missing or wrong. */
export function actionChecks(step: StepName, actions: readonly Action[], options: { okLines: boolean }): Check[] {
  const out: Check[] = [];
  for (const a of actions) {
    const label = linkLabel(a.id);
    const title = label ? `${label}: ${a.title}` : a.title;
    if (a.change === 'noop' || a.change === 'check') {
      if (options.okLines) out.push(ok(a.id, title, 'in place'));
    } else if (a.change === 'wait') {
      out.push(warn(a.id, title, 'would wait for this before the setup completes', applyStep(step)));
    } else {
      out.push(fail(a.id, title, `${MISSING[a.change]} (account ${a.account})`, applyStep(step)));
    }
  }
  return out;
}

const MISSING: Record<'create' | 'update' | 'delete', string> = {
  create: 'missing: apply would create it',
  update: 'differs from the configuration: apply would update it',
  delete: 'in the way: apply would remove it',
};

// The planners' titles say what is sent (`Route 100.x/32 in vtb-...`); the doctor's line also says which link it is.
const LABELS: [RegExp, string][] = [
  [/^network\.route-a\..*\.registry$/, 'registry route in A'],
  [/^network\.route-a\..*\.auth$/, 'auth-service route in A'],
  [/^network\.route-a\..*\.oss$/, 'OSS route in A'],
  [/^network\.route-b\./, 'return route in B'],
  [/^network\.peering$/, 'VPC peering'],
  [/^dns\.zone$/, 'DNS zone'],
  [/^dns\.zone-record$/, 'DNS record'],
  [/^dns\.zone-binding$/, 'DNS zone binding'],
];

export function linkLabel(id: string): string | undefined {
  return LABELS.find(([pattern]) => pattern.test(id))?.[1];
}
