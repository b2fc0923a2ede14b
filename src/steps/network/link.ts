// Seed step 1.1 for peering and CEN: link B's VPC to the registry (its VPC endpoint gets an address in a vSwitch
// there), wait until the link is RUNNING, and read that address (the registry IP every later route points at).
import type { AccountClient } from '../../cloud/session.js';
import type { Action } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import type { NetworkFacts } from './facts.js';
import { known, later, show, type Ref } from './refs.js';

export const LINK_ACTION = 'network.registry-link';
/** Linking takes a few minutes in the cloud. */
const LINK_TIMEOUT_MS = 15 * 60_000;

/** Polls the instance's VPC endpoint until the link to `vpcId` is RUNNING with an address; returns the address. */
export async function waitForLink(B: AccountClient, instanceId: string, vpcId: string, pollIntervalMs: number, progress?: (t: string) => void, signal?: AbortSignal): Promise<string> {
  const cr = await import('../../cloud/cr.js');
  return waitFor(
    async (report) => {
      const link = (await cr.getInstanceVpcEndpoint(B, instanceId))?.linkedVpcs.find((l) => l.vpcId === vpcId);
      report(link ? link.status : 'not linked');
      return link?.status === 'RUNNING' && link.ip ? link.ip : undefined;
    },
    { what: `the registry's link to ${vpcId}`, intervalMs: pollIntervalMs, timeoutMs: LINK_TIMEOUT_MS, progress, signal },
  );
}

/** The link action (noop, wait or create) and the registry's IP in B's VPC as a ref. */
export function planRegistryLink(f: NetworkFacts, B: AccountClient, pollIntervalMs: number): { action: Action; registryIp: Ref } {
  const r = f.registry!;
  const vpcId = r.vpc.vpcId;
  const base = { id: LINK_ACTION, step: 'network' as const, account: 'B' as const };
  const detail = { instance: f.instanceId, vpc: `${vpcId} (${r.vpcReason})`, domain: f.registryVpcDomain };
  if (r.link?.status === 'RUNNING' && r.link.ip) {
    return { action: { ...base, change: 'noop', title: `Registry linked to B's VPC ${vpcId}`, detail: { ...detail, vSwitch: r.link.vswitchId, ip: r.link.ip } }, registryIp: known(r.link.ip) };
  }
  const registryIp = later(LINK_ACTION, 'ip');
  if (r.link) {
    return {
      action: {
        ...base,
        change: 'wait',
        title: `Wait for the registry's link to B's VPC ${vpcId} (${r.link.status})`,
        detail: { ...detail, vSwitch: r.link.vswitchId },
        apply: async (ctx) => ({ ip: await waitForLink(B, f.instanceId, vpcId, pollIntervalMs, ctx.progress, ctx.signal) }),
      },
      registryIp,
    };
  }
  const vswitchId = r.linkVSwitchId!;
  return {
    action: {
      ...base,
      change: 'create',
      title: `Link B's VPC ${vpcId} to registry ${f.instanceId}`,
      detail: { ...detail, vSwitch: vswitchId, ip: show(registryIp) },
      async apply(ctx) {
        const cr = await import('../../cloud/cr.js');
        const linkOf = async () => (await cr.getInstanceVpcEndpoint(B, f.instanceId))?.linkedVpcs.find((l) => l.vpcId === vpcId);
        let current = await linkOf();
        if (current?.status === 'DELETING') {
          // A link still being removed must be gone before it can be made again.
          await waitFor(
            async (report) => {
              current = await linkOf();
              if (current) report(current.status);
              return current ? undefined : true;
            },
            { what: `the old link to ${vpcId} to be removed`, intervalMs: pollIntervalMs, timeoutMs: LINK_TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal },
          );
        }
        if (!current) {
          await cr.createInstanceVpcEndpointLinkedVpc(B, { instanceId: f.instanceId, vpcId, vswitchId, enableCreateDnsRecordInPvzt: false });
        }
        return { ip: await waitForLink(B, f.instanceId, vpcId, pollIntervalMs, ctx.progress, ctx.signal) };
      },
    },
    registryIp,
  };
}
