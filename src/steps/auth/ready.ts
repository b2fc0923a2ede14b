// The auth actions the add-on step waits for when both run (BaseFacts.steps names the steps a run plans together).
import type { Config } from '../../config/schema.js';

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
