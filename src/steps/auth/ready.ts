// Which of the auth and add-on steps plan together in this run. The add-on's actions depend on auth's (RRSA's
// provider ARN, a new AccessKey) and auth retires an old key only after the add-on switched the cluster to the new
// one; such dependencies may name only actions that exist. Each step's discover marks itself on the run's config
// object; every discover finishes before any preflight or plan, so both read a settled answer.
import type { Config } from '../../config/schema.js';

export type LinkedStep = 'auth' | 'addon';

const planning = new WeakMap<Config, Set<LinkedStep>>();

/** Called by a step's discover: this run plans `step` for `config`. */
export function markPlanning(config: Config, step: LinkedStep): void {
  const steps = planning.get(config) ?? new Set<LinkedStep>();
  steps.add(step);
  planning.set(config, steps);
}

/** Whether this run plans `step` too (read in preflight and plan, after every discover has run). */
export function isPlanning(config: Config, step: LinkedStep): boolean {
  return planning.get(config)?.has(step) ?? false;
}

/** The auth actions the add-on waits for, by mode: the auth planner always emits these IDs (as noops when done). */
export function authReadyActions(config: Config): string[] {
  switch (config.auth.mode) {
    case 'rrsa':
      return ['auth.rrsa', 'auth.role-a-policy', 'auth.role-b-policy'];
    case 'worker-role':
      return ['auth.worker-role-policy', 'auth.role-b-policy'];
    case 'access-key':
      return ['auth.access-key', 'auth.user-policy'];
  }
}
