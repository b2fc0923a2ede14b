// Restarting the helper when RRSA came after it started: its pod has no OIDC token mounted until it starts again
// (seed: "delete the passwordless plug-in pod"). Its Deployment starts a fresh pod.
import type { Config } from '../../config/schema.js';
import { restartHelperPods } from '../../kube/acr-configuration.js';
import type { Action } from '../../plan/action.js';
import { rrsaFromCluster, type RrsaOutput } from '../auth/rrsa.js';
import type { BaseFacts, StepClients } from '../step.js';
import type { AddonFacts } from './facts.js';

/** `addon.restart`, when a helper pod started before RRSA was (or is about to be) enabled; otherwise nothing. */
export function restartAction(config: Config, facts: AddonFacts, base: BaseFacts, clients: StepClients, dependsOn: string[]): Action | undefined {
  if (config.auth.mode !== 'rrsa' || facts.helperPods.length === 0) return undefined;
  const enabling = !rrsaFromCluster(base);
  const since = facts.rrsaSinceMs;
  const stale = enabling ? facts.helperPods : facts.helperPods.filter((p) => since !== undefined && p.createdMs < since);
  if (stale.length === 0) return undefined;
  // Without this run's enablement time, restart exactly the pods seen now (all of them started before it).
  const fallbackCutoff = enabling ? Math.max(...stale.map((p) => p.createdMs)) + 1 : since!;
  return {
    id: 'addon.restart',
    step: 'addon',
    account: 'A',
    title: `Restart the credential helper (${stale.length} pod${stale.length > 1 ? 's' : ''} started before RRSA was enabled)`,
    change: 'update',
    detail: { namespace: 'kube-system', pods: stale.map((p) => p.name), why: 'a pod that started before RRSA has no OIDC token mounted' },
    dependsOn: enabling ? [...dependsOn, 'auth.rrsa'] : dependsOn,
    apply: async (ctx) => {
      const enabledAt = enabling ? ctx.output<RrsaOutput>('auth.rrsa').enabledAtMs : undefined;
      const deleted = await restartHelperPods(await clients.kubeconfig(), enabledAt ?? fallbackCutoff);
      return { deleted };
    },
  };
}
