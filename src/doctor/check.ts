// One line of `doctor`: a link of the setup, whether it holds, and how to fix it when it does not.
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  /** Stable, e.g. `auth.role-b-trust` or the plan action's ID it came from. */
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export const ok = (id: string, title: string, detail: string): Check => ({ id, title, status: 'ok', detail });
export const warn = (id: string, title: string, detail: string, fix?: string): Check => ({ id, title, status: 'warn', detail, fix });
export const fail = (id: string, title: string, detail: string, fix: string): Check => ({ id, title, status: 'fail', detail, fix });

/** Any failing line makes the exit code 1. */
export const exitCode = (checks: readonly Check[]): number => (checks.some((c) => c.status === 'fail') ? 1 : 0);
