// DNS through /etc/hosts (seed: "use a node pool custom data script to update /etc/hosts in bulk"): our block in
// every node pool's user data for nodes to come, and the same block written now on the existing nodes with
// Cloud Assistant. Re-runs replace the block; nodes whose last hosts run wrote the same block are left alone.
import type { AccountClient } from '../../cloud/session.js';
import type { Action, ApplyContext } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import { describeFailures, lastSuccessfulRun, runScript } from '../network/cloud-assistant.js';
import { read, show, valueOf, withDeps, type Ref } from '../network/refs.js';
import type { StepClients } from '../step.js';
import type { DnsFacts, NodeFacts, PoolFacts } from './facts.js';
import { blockOf, hostsEntries, hostsScript, unmergeableReason, withHostsSection } from './user-data.js';

export const HOSTS_COMMAND = 'acr-xaccount-hosts';
const POOL_TIMEOUT_MS = 15 * 60_000;

export async function discoverHosts(A: AccountClient, clusterId: string): Promise<{ pools: PoolFacts[]; nodes: NodeFacts[] }> {
  const [cs, ecs] = await Promise.all([import('../../cloud/cs.js'), import('../../cloud/ecs.js')]);
  const [pools, nodes] = await Promise.all([cs.describeClusterNodePools(A, clusterId), cs.describeClusterNodes(A, clusterId)]);
  const ids = nodes.map((n) => n.instanceId);
  const online = new Set(ids.length > 0 ? (await ecs.describeCloudAssistantStatus(A, ids)).filter((s) => s.online).map((s) => s.instanceId) : []);
  const last = await Promise.all(ids.map((id) => lastSuccessfulRun(A, id, HOSTS_COMMAND)));
  return {
    pools: pools.map((p) => ({ nodepoolId: p.nodepoolId, name: p.name, userData: p.userData })).sort((a, b) => a.nodepoolId.localeCompare(b.nodepoolId)),
    nodes: nodes
      .map((n, i) => ({ instanceId: n.instanceId, nodepoolId: n.nodepoolId, online: online.has(n.instanceId), lastBlock: last[i] ? blockOf(last[i]!.content) : undefined }))
      .sort((a, b) => a.instanceId.localeCompare(b.instanceId)),
  };
}

export function hostsProblems(f: DnsFacts): string[] {
  if (f.profile === 'Serverless') {
    return [`cluster ${f.clusterId} is an ACK Serverless cluster: its pods run on virtual nodes with no /etc/hosts or user data of ours to edit, so --dns hosts cannot work. Use --dns privatezone`];
  }
  const problems: string[] = [];
  for (const pool of f.pools) {
    const reason = unmergeableReason(pool.userData);
    if (reason) problems.push(`node pool ${pool.name} (${pool.nodepoolId}): ${reason}, so the hosts block cannot be added to it. Use --dns privatezone, or make its user data a shell script`);
  }
  const offline = f.nodes.filter((n) => !n.online);
  if (offline.length > 0) {
    problems.push(`Cloud Assistant is not online on node(s) ${offline.map((n) => n.instanceId).join(', ')}, so their /etc/hosts cannot be updated now: start the agent (ECS console > Cloud Assistant), or use --dns privatezone`);
  }
  return problems;
}

/** Replaces a node pool's user data and waits for the pool's update task to finish. */
export async function setUserData(clients: StepClients, clusterId: string, pool: PoolFacts, userData: string, ctx: ApplyContext): Promise<void> {
  const cs = await import('../../cloud/cs.js');
  const taskId = await cs.modifyClusterNodePool(clients.A, clusterId, pool.nodepoolId, { userData });
  if (!taskId) return;
  await waitFor(
    async (report) => {
      const task = await cs.describeTaskInfo(clients.A, taskId);
      report(task.state);
      if (['fail', 'failed', 'timeout', 'canceled'].includes(task.state)) throw new Error(`updating node pool ${pool.nodepoolId} failed: ${task.error?.message ?? task.state}`);
      return task.state === 'success' ? true : undefined;
    },
    { what: `node pool ${pool.name}`, intervalMs: clients.pollIntervalMs, timeoutMs: POOL_TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal },
  );
}

const sameBlock = (a: readonly string[] | undefined, b: readonly string[]) => a !== undefined && a.length === b.length && a.every((l, i) => l === b[i]);

export function planHosts(f: DnsFacts, clients: StepClients, ip: Ref): Action[] {
  const known = valueOf(ip);
  const lines = (value: string) => hostsEntries([{ ip: value, domain: f.domain }]);
  const desired = known ? lines(known) : undefined;
  const base = { step: 'dns' as const, account: 'A' as const };
  const actions: Action[] = [];
  for (const pool of f.pools) {
    const after = desired ? withHostsSection(pool.userData, desired) : undefined;
    actions.push(
      withDeps(
        {
          ...base,
          id: `dns.user-data.${pool.nodepoolId}`,
          change: after !== undefined && after === pool.userData ? 'noop' : 'update',
          title: `Hosts block in the user data of node pool ${pool.name} (for nodes added from now on)`,
          detail: { nodePool: pool.nodepoolId, entry: known ? `${known} ${f.domain}` : show(ip), userScript: pool.userData.trim() ? 'kept as it is, our block after its first line' : 'none' },
          async apply(ctx) {
            const cs = await import('../../cloud/cs.js');
            const current = (await cs.describeClusterNodePoolDetail(clients.A, f.clusterId, pool.nodepoolId))?.userData ?? pool.userData;
            const next = withHostsSection(current, lines(read(ctx, ip)));
            if (next !== current) await setUserData(clients, f.clusterId, pool, next, ctx);
          },
        },
        ip,
      ),
    );
  }
  const stale = f.nodes.filter((n) => !desired || !sameBlock(n.lastBlock, desired));
  const inSync = f.nodes.filter((n) => !stale.includes(n));
  actions.push(
    withDeps(
      {
        ...base,
        id: 'dns.hosts-nodes',
        change: stale.length === 0 ? 'noop' : 'update',
        title: stale.length === 0 ? `Hosts block on the ${f.nodes.length} existing node(s)` : `Write the hosts block on ${stale.length} existing node(s) now (Cloud Assistant)`,
        detail: { nodes: stale.map((n) => n.instanceId), entry: known ? `${known} ${f.domain}` : show(ip), ...(inSync.length > 0 ? { alreadyDone: inSync.map((n) => n.instanceId) } : {}) },
        async apply(ctx) {
          const ids = stale.map((n) => n.instanceId);
          const results = await runScript(clients.A, ids, hostsScript(lines(read(ctx, ip))), { name: HOSTS_COMMAND, what: 'the hosts block', pollIntervalMs: clients.pollIntervalMs, progress: ctx.progress, signal: ctx.signal });
          const failed = describeFailures(results);
          if (failed) throw new Error(`the hosts block could not be written on every node: ${failed}`);
        },
      },
      ip,
    ),
  );
  return actions;
}
