// `destroy` for hosts mode: our section out of every node pool's user data (the user's script byte for byte as it
// was), and our block out of /etc/hosts on the existing nodes with one Cloud Assistant run.
//
// Which nodes have the block: those whose last hosts run (Cloud Assistant remembers it) wrote one, and every node
// of a pool whose user data still carries our section (nodes added since apply ran it at boot). The removal runs
// under the same command name, so once it has run a node's last hosts run writes no block and the next destroy
// plans nothing there. The script deletes only the lines from `# BEGIN acr-xaccount` to `# END acr-xaccount`.
import type { Action } from '../../plan/action.js';
import { describeFailures, runScript } from '../network/cloud-assistant.js';
import type { StepClients } from '../step.js';
import type { DnsFacts } from './facts.js';
import { HOSTS_COMMAND, setUserData } from './hosts.js';
import { HOSTS_BEGIN, HOSTS_END, blockOf, hasHostsSection, hostsRemovalScript, userDataWithoutHosts } from './user-data.js';

const FENCE = `the lines from "${HOSTS_BEGIN}" to "${HOSTS_END}"`;

export function teardownHosts(f: DnsFacts, clients: StepClients): Action[] {
  const base = { step: 'dns' as const, account: 'A' as const };
  const actions: Action[] = [];
  const carrying = f.pools.filter((p) => hasHostsSection(p.userData));
  for (const pool of carrying) {
    const after = userDataWithoutHosts(pool.userData);
    actions.push({
      ...base,
      id: `dns.destroy.user-data.${pool.nodepoolId}`,
      change: 'update',
      title: `Take the hosts block out of the user data of node pool ${pool.name}`,
      detail: {
        nodePool: pool.nodepoolId,
        removes: blockOf(pool.userData) ?? [],
        userScript: after === '' ? 'none (the user data becomes empty)' : 'kept byte for byte',
      },
      async apply(ctx) {
        const cs = await import('../../cloud/cs.js');
        const current = (await cs.describeClusterNodePoolDetail(clients.A, f.clusterId, pool.nodepoolId))?.userData;
        if (current === undefined) return; // the pool is gone
        const next = userDataWithoutHosts(current);
        if (next !== current) await setUserData(clients, f.clusterId, pool, next, ctx);
      },
    });
  }

  const carryingIds = new Set(carrying.map((p) => p.nodepoolId));
  const withBlock = f.nodes.filter((n) => (n.lastBlock?.length ?? 0) > 0 || carryingIds.has(n.nodepoolId));
  const online = withBlock.filter((n) => n.online).map((n) => n.instanceId);
  const offline = withBlock.filter((n) => !n.online).map((n) => n.instanceId);
  if (online.length > 0) {
    actions.push({
      ...base,
      id: 'dns.destroy.hosts-nodes',
      change: 'update',
      title: `Take the hosts block out of /etc/hosts on ${online.length} existing node(s) (Cloud Assistant)`,
      detail: { nodes: online, removes: `${FENCE}; every other line stays` },
      // New nodes stop getting the block first, so none is left behind by a node added meanwhile.
      ...(carrying.length > 0 ? { dependsOn: carrying.map((p) => `dns.destroy.user-data.${p.nodepoolId}`) } : {}),
      async apply(ctx) {
        const results = await runScript(clients.A, online, hostsRemovalScript(), { name: HOSTS_COMMAND, what: 'removing the hosts block', pollIntervalMs: clients.pollIntervalMs, progress: ctx.progress, signal: ctx.signal });
        const failed = describeFailures(results);
        if (failed) throw new Error(`the hosts block could not be removed on every node: ${failed}`);
      },
    });
  }
  if (offline.length > 0) {
    actions.push({
      ...base,
      id: 'dns.destroy.hosts-offline',
      change: 'noop',
      title: `Keep the hosts block on ${offline.length} node(s) (Cloud Assistant is not online there: delete ${FENCE} from their /etc/hosts by hand, or start the agent and re-run)`,
      detail: { nodes: offline },
    });
  }
  return actions;
}
