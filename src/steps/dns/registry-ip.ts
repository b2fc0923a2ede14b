// The registry's address in B's linked VPC, which every DNS answer points at. Known now when the link is RUNNING;
// otherwise the network step (in the same run) is making the link, and this action waits for its address. A link
// that never appears means the network step did not run: the action says so instead of waiting for ever.
import type { AccountClient } from '../../cloud/session.js';
import type { Action } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import { known, later, type Ref } from '../network/refs.js';
import type { DnsFacts } from './facts.js';

export const REGISTRY_IP_ACTION = 'dns.registry-ip';
/** Polls without any link before concluding that no network step is making one (it may first look up addresses). */
const ABSENT_POLLS = 30;
const LINK_TIMEOUT_MS = 15 * 60_000;

export function planRegistryIp(f: DnsFacts, B: AccountClient, pollIntervalMs: number): { action?: Action; ip: Ref } {
  if (f.registryIp) return { ip: known(f.registryIp) };
  const vpcId = f.vpcB ?? '';
  return {
    ip: later(REGISTRY_IP_ACTION, 'ip'),
    action: {
      id: REGISTRY_IP_ACTION,
      step: 'dns',
      account: 'B',
      change: 'wait',
      title: `Wait for the registry's address in B's VPC ${vpcId} (linked by the network step)`,
      detail: { vpc: vpcId, domain: f.domain },
      async apply(ctx) {
        const cr = await import('../../cloud/cr.js');
        let absent = 0;
        const ip = await waitFor(
          async (report) => {
            const link = (await cr.getInstanceVpcEndpoint(B, f.instanceId))?.linkedVpcs.find((l) => l.vpcId === vpcId && l.status !== 'DELETING');
            if (!link && ++absent >= ABSENT_POLLS) {
              throw new Error(`the registry is not linked to B's VPC ${vpcId} (the network step did not run, or stopped before linking it): run \`acr-xaccount apply --step network\` first, or both steps together`);
            }
            report(link?.status ?? 'not linked yet');
            return link?.status === 'RUNNING' && link.ip ? link.ip : undefined;
          },
          { what: `the registry's link to ${vpcId}`, intervalMs: pollIntervalMs, timeoutMs: LINK_TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal },
        );
        return { ip };
      },
    },
  };
}
