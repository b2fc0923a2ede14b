// Public network (seed: "Configure a public endpoint for the ACR instance ... apply access control policies"):
// enable the registry's Internet endpoint, wait until it is RUNNING (ACL entries sent earlier are dropped), and
// allow exactly A's egress addresses (never 0.0.0.0/0 unless --allow-anywhere). ACL entries we made and no longer
// need are removed; entries that are not ours stay. Pulls then use the Internet domain.
import type { Config } from '../../config/schema.js';
import { fieldChange, type Action } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import type { StepClients } from '../step.js';
import { normalizeCidr } from './cidr.js';
import { type NetworkFacts } from './facts.js';
import { MARKER, isOurs } from '../marker.js';

export const ENDPOINT_ACTION = 'network.internet-endpoint';
const ENDPOINT_TIMEOUT_MS = 10 * 60_000;

/** The ACL entries the endpoint must hold, each with why. */
export function desiredAcl(config: Config, f: NetworkFacts): Map<string, string> {
  const out = new Map<string, string>();
  for (const path of f.public?.egress ?? []) for (const ip of path.ips) out.set(`${ip}/32`, `egress of ${path.vSwitchId} via ${path.via ?? '?'}`);
  for (const cidr of config.network.aclCidrs) {
    const entry = normalizeCidr(cidr);
    if (entry && (!entry.endsWith('/0') || config.network.allowAnywhere)) out.set(entry, '--acl-cidr');
  }
  if (config.network.allowAnywhere) out.set('0.0.0.0/0', '--allow-anywhere');
  return out;
}

async function waitRunning(clients: StepClients, instanceId: string, progress: (t: string) => void, signal: AbortSignal): Promise<void> {
  const cr = await import('../../cloud/cr.js');
  await waitFor(
    async (report) => {
      const e = await cr.getInstanceEndpoint(clients.B, instanceId, 'Internet');
      report(e?.enabled ? (e.status ?? 'enabling') : 'disabled');
      return e?.enabled && e.status === 'RUNNING' ? true : undefined;
    },
    { what: `the Internet endpoint of ${instanceId}`, intervalMs: clients.pollIntervalMs, timeoutMs: ENDPOINT_TIMEOUT_MS, progress, signal },
  );
}

export function planPublic(config: Config, f: NetworkFacts, clients: StepClients): Action[] {
  const base = { step: 'network' as const, account: 'B' as const };
  const domain = f.registryInternetDomain;
  if (!f.enterprise) {
    return [{ ...base, id: ENDPOINT_ACTION, change: 'noop', title: `Personal Edition registry: its Internet endpoint ${domain} is always on`, detail: { domain } }];
  }
  const endpoint = f.public?.endpoint;
  const enabled = endpoint?.enabled === true;
  const running = enabled && endpoint?.status === 'RUNNING';
  const actions: Action[] = [
    {
      ...base,
      id: ENDPOINT_ACTION,
      change: running ? 'noop' : enabled ? 'wait' : 'update',
      title: running ? `Internet endpoint ${domain} is on` : enabled ? `Wait for the Internet endpoint ${domain} (${endpoint?.status ?? '?'})` : `Turn on the Internet endpoint ${domain} of ${f.instanceId}`,
      detail: { instance: f.instanceId, domain, ...(running ? {} : { enabled: enabled ? true : fieldChange(false, true) }) },
      async apply(ctx) {
        const cr = await import('../../cloud/cr.js');
        const current = await cr.getInstanceEndpoint(clients.B, f.instanceId, 'Internet');
        if (!current?.enabled) await cr.updateInstanceEndpointStatus(clients.B, { instanceId: f.instanceId, enable: true, endpointType: 'Internet' });
        await waitRunning(clients, f.instanceId, ctx.progress, ctx.signal);
      },
    },
  ];
  const have = new Map((endpoint?.aclEntries ?? []).map((a) => [normalizeCidr(a.entry) ?? a.entry, a]));
  const want = desiredAcl(config, f);
  const comment = `${MARKER} cluster ${f.clusterId}`;
  for (const [entry, why] of want) {
    const present = have.get(entry);
    actions.push({
      ...base,
      id: `network.acl.${entry}`,
      change: present ? 'noop' : 'create',
      title: `Allow ${entry} on the Internet endpoint's ACL`,
      detail: { entry, why, ...(present ? {} : { comment }) },
      dependsOn: [ENDPOINT_ACTION],
      async apply() {
        const cr = await import('../../cloud/cr.js');
        const current = await cr.getInstanceEndpoint(clients.B, f.instanceId, 'Internet');
        if (current?.aclEntries.some((a) => normalizeCidr(a.entry) === entry)) return;
        await cr.createInstanceEndpointAclPolicy(clients.B, { instanceId: f.instanceId, entry, comment, endpointType: 'Internet' });
      },
    });
  }
  for (const [entry, acl] of have) {
    if (want.has(entry) || !isOurs(acl.comment)) continue;
    actions.push({
      ...base,
      id: `network.acl.${entry}`,
      change: 'delete',
      title: `Remove ${entry} from the Internet endpoint's ACL (added by acr-xaccount, no longer an egress address of the cluster)`,
      detail: { entry, comment: acl.comment ?? '' },
      dependsOn: [ENDPOINT_ACTION],
      async apply() {
        const cr = await import('../../cloud/cr.js');
        await cr.deleteInstanceEndpointAclPolicy(clients.B, { instanceId: f.instanceId, entry: acl.entry, endpointType: 'Internet' });
      },
    });
  }
  return actions;
}
