// RRSA: enable it on the cluster (ModifyCluster, then the task, then rrsa_config), and role A, trusted by the
// cluster's OIDC provider for the helper's service account only, allowed to assume role B.
import type { Config } from '../../config/schema.js';
import * as cs from '../../cloud/cs.js';
import { fieldChange, knownAfterApply, type Action, type ApplyContext } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import type { BaseFacts, StepClients } from '../step.js';
import { assumeActions } from './assume.js';
import { CLUSTER_TASK_TIMEOUT_MS, waitClusterTask, whenClusterIdle, type WaitContext } from './cluster-wait.js';
import { compact, trustOidcStatement } from './documents.js';
import type { AuthFacts } from './facts.js';
import { describe, HELPER_SUBJECT, roleArn, RRSA_DEFAULT_AUDIENCE } from './names.js';
import { isOurs } from '../marker.js';
import { roleAction } from './ram-actions.js';
import { pullPolicyAction, roleBActions } from './role-b.js';

/** What `auth.rrsa` outputs (and what a cluster with RRSA on already tells): the provider role A must trust. */
export interface RrsaOutput {
  oidcProviderArn: string;
  issuer: string;
  audience: string;
  /** When this run's RRSA task ended (epoch ms), for restarting helper pods that started before. */
  enabledAtMs?: number;
}

/** The provider facts when RRSA is already on; undefined while it is off. */
export function rrsaFromCluster(base: BaseFacts): RrsaOutput | undefined {
  const r = base.cluster.rrsa;
  if (!r.enabled || !r.oidcArn || !r.issuer) return undefined;
  return { oidcProviderArn: r.oidcArn, issuer: r.issuer, audience: r.audiences[0] ?? RRSA_DEFAULT_AUDIENCE };
}

/** `auth.rrsa`: a noop when RRSA is on; otherwise enables it and waits, with the task's state on the progress line. */
export function rrsaAction(config: Config, base: BaseFacts, clients: StepClients): Action {
  const clusterId = config.accountA.clusterId;
  const known = rrsaFromCluster(base);
  if (known) return { id: 'auth.rrsa', step: 'auth', account: 'A', title: `RRSA on cluster ${clusterId}`, change: 'noop' };
  return {
    id: 'auth.rrsa',
    step: 'auth',
    account: 'A',
    title: `Enable RRSA on cluster ${clusterId} (waits for the cluster task, usually a few minutes)`,
    change: 'update',
    detail: { cluster: clusterId, enable_rrsa: fieldChange(false, true), oidcProviderArn: knownAfterApply(), issuer: knownAfterApply() },
    apply: async (ctx) => ({ ...(await enableRrsa({ acct: clients.A, clusterId, intervalMs: clients.pollIntervalMs, ctx })) }),
  };
}

async function enableRrsa(w: WaitContext): Promise<RrsaOutput> {
  const what = `RRSA on cluster ${w.clusterId}`;
  let enabledAtMs: number | undefined;
  const current = await cs.describeClusterDetail(w.acct, w.clusterId);
  if (!current?.rrsa.enabled) {
    const taskId = await whenClusterIdle(w, async () => {
      // Another run may have enabled it while we waited for the cluster.
      const again = await cs.describeClusterDetail(w.acct, w.clusterId);
      return again?.rrsa.enabled ? undefined : cs.modifyCluster(w.acct, w.clusterId, { enableRrsa: true });
    });
    if (taskId) {
      const task = await waitClusterTask(w, taskId, `enabling ${what}`);
      enabledAtMs = task.updated ? Date.parse(task.updated) : undefined;
    }
  }
  const detail = await waitFor(
    async (report) => {
      const d = await cs.describeClusterDetail(w.acct, w.clusterId);
      report(d?.rrsa.enabled ? 'enabled, waiting for the OIDC provider' : 'rrsa_config not enabled yet');
      return d?.rrsa.enabled && d.rrsa.oidcArn && d.rrsa.issuer ? d : undefined;
    },
    { what, intervalMs: w.intervalMs, timeoutMs: CLUSTER_TASK_TIMEOUT_MS, progress: w.ctx.progress, signal: w.ctx.signal },
  );
  return { oidcProviderArn: detail.rrsa.oidcArn, issuer: detail.rrsa.issuer, audience: detail.rrsa.audiences[0] ?? RRSA_DEFAULT_AUDIENCE, enabledAtMs };
}

/** Every RRSA action: enable RRSA, role A and what it may assume, role B trusting role A. */
export function rrsaActions(config: Config, facts: AuthFacts, base: BaseFacts, clients: StepClients): Action[] {
  const known = rrsaFromCluster(base);
  const roleA = facts.roleA ?? { attached: [] };
  const statement = known
    ? trustOidcStatement(known)
    : (ctx: ApplyContext) => trustOidcStatement(ctx.output<RrsaOutput>('auth.rrsa'));
  const statementDetail = known
    ? compact(trustOidcStatement(known))
    : { federated: knownAfterApply(), 'oidc:iss': knownAfterApply(), 'oidc:aud': RRSA_DEFAULT_AUDIENCE, 'oidc:sub': HELPER_SUBJECT };
  const roleAArn = roleA.role?.arn || roleArn(base.identities.A.accountId, config.auth.roleAName);
  return [
    rrsaAction(config, base, clients),
    roleAction({
      id: 'auth.role-a',
      account: 'A',
      acct: clients.A,
      name: config.auth.roleAName,
      description: describe.roleA(config),
      statement,
      statementDetail,
      minSessionSeconds: 3600,
      state: roleA,
      dependsOn: ['auth.rrsa'],
    }),
    ...assumeActions(config, facts, base, clients, { attachId: 'auth.role-a-policy', roleName: config.auth.roleAName, attached: roleA.attached, ours: isOurs(roleA.role?.description) || !roleA.role, dependsOn: ['auth.role-a'] }),
    pullPolicyAction(config, facts, base, clients),
    ...roleBActions(config, facts, clients, roleAArn, ['auth.role-a']),
  ];
}
