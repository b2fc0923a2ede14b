// `destroy` for the auth step: removes the RAM roles, policies, user and keys that carry our marker, in both
// accounts, whatever the configured mode. The assume side (A) and the pull side (B) are independent; within each,
// attachments go first, then the policies, roles and user. Kept, as noops saying why: RRSA on the cluster, the
// cluster's worker role, a system policy on it, and anything without our marker (from a role B that is not ours only
// our trust statement and our policy's attachment are taken out).
import type { Config } from '../../config/schema.js';
import type { PolicyStatement } from '../../cloud/ram.js';
import type { Account, Action } from '../../plan/action.js';
import type { AccountClient } from '../../cloud/session.js';
import { isOurs, MARKER } from '../marker.js';
import type { StepClients, TeardownBase } from '../step.js';
import { hasStatement, trustRamStatement, withoutStatements } from './documents.js';
import type { AuthFacts } from './facts.js';
import { assumePolicyName, roleArn, SYSTEM_ASSUME_POLICY } from './names.js';
import type { PolicyState, RoleState } from './ram-actions.js';
import { deleteKeysAction, deletePolicyAction, deleteRoleAction, deleteUserAction, detachAction, keep, removeTrustAction } from './teardown-actions.js';

const notOurs = (kind: string) => `not created by acr-xaccount: its ${kind} does not say ${MARKER}`;

interface PolicyTeardown {
  actions: Action[];
  /** The detach action's ID for each entity (`role:<name>`, `user:<name>`), for what is deleted after it. */
  detachIds: Map<string, string>;
}

interface PolicyInput {
  /** `policy-a` or `policy-b`. */
  key: string;
  account: Account;
  acct: AccountClient;
  name: string;
  state: PolicyState | undefined;
  /** Roles and users the policy is attached to when discovery did not list its entities (attached lists). */
  knownAttachments: { kind: 'role' | 'user'; name: string }[];
  /** A note for the detach title of a role that stays (the worker role). */
  noteFor?: (kind: 'role' | 'user', name: string) => string | undefined;
}

const entityKey = (kind: string, name: string) => `${kind}:${name.toLowerCase()}`;

/** A custom policy of ours: detached from every role and user, then deleted with its versions. */
function policyTeardown(input: PolicyInput): PolicyTeardown {
  const { key, account, acct, name, state } = input;
  const detachIds = new Map<string, string>();
  const policy = state?.policy;
  if (!policy) return { actions: [], detachIds };
  if (!isOurs(policy.description)) return { actions: [keep(`auth.destroy.${key}`, account, `Keep RAM policy ${name} (${notOurs('description')})`)], detachIds };
  const entities = state.entities
    ? [...state.entities.roles.map((r) => ({ kind: 'role' as const, name: r.roleName })), ...state.entities.users.map((u) => ({ kind: 'user' as const, name: u.userName }))]
    : input.knownAttachments;
  const actions: Action[] = [];
  for (const entity of entities) {
    const id = `auth.destroy.${key}.detach.${entity.kind}.${entity.name}`;
    if (detachIds.has(entityKey(entity.kind, entity.name))) continue;
    detachIds.set(entityKey(entity.kind, entity.name), id);
    actions.push(detachAction({ id, account, acct, target: entity, policyName: name, policyType: 'Custom', note: input.noteFor?.(entity.kind, entity.name) }));
  }
  const groups = state.entities?.groups.map((g) => g.groupName) ?? [];
  if (groups.length > 0) {
    // acr-xaccount has no group calls; a policy still attached to a group cannot be deleted.
    actions.push(keep(`auth.destroy.${key}`, account, `Keep RAM policy ${name} (also attached to RAM group ${groups.join(', ')}, which acr-xaccount does not manage: detach it there, then run destroy again)`));
  } else {
    actions.push(deletePolicyAction({ id: `auth.destroy.${key}`, account, acct, name, versions: state.versions, dependsOn: [...detachIds.values()] }));
  }
  return { actions, detachIds };
}

const detachOf = (t: PolicyTeardown, kind: 'role' | 'user', name: string): string[] => {
  const id = t.detachIds.get(entityKey(kind, name));
  return id ? [id] : [];
};

const attachedTo = (role: RoleState | undefined, policyName: string, policyType: string): boolean =>
  Boolean(role?.attached.some((p) => p.policyName.toLowerCase() === policyName.toLowerCase() && p.policyType === policyType));

/** Account A: RRSA and the worker role (kept), the assume policy, role A. */
function assumeSide(config: Config, facts: AuthFacts, base: TeardownBase, clients: StepClients, trustedByB: boolean): Action[] {
  const actions: Action[] = [];
  const clusterId = config.accountA.clusterId;
  const roleA = facts.roleA;
  const worker = facts.workerRole;
  const policyName = assumePolicyName(config);
  const policy = policyTeardown({
    key: 'policy-a',
    account: 'A',
    acct: clients.A,
    name: policyName,
    state: facts.assumePolicy,
    knownAttachments: [roleA, worker].filter((r) => r?.role && attachedTo(r, policyName, 'Custom')).map((r) => ({ kind: 'role' as const, name: r!.role!.roleName })),
    noteFor: (kind, name) => (kind === 'role' && worker?.name && name.toLowerCase() === worker.name.toLowerCase() ? "the role stays: it is the cluster's worker role" : undefined),
  });
  if (base.cluster?.rrsa.enabled && (config.auth.mode === 'rrsa' || roleA?.role)) {
    actions.push(keep('auth.destroy.rrsa', 'A', `Keep RRSA on cluster ${clusterId} (other workloads may use it; the OIDC provider ACK made with it stays too)`));
  }
  if (worker?.role) {
    const holdsOurs = policy.detachIds.has(entityKey('role', worker.role.roleName));
    if (config.auth.mode === 'worker-role' || holdsOurs || trustedByB) {
      actions.push(keep('auth.destroy.worker-role', 'A', `Keep RAM role ${worker.role.roleName} (the cluster's worker role: ACK's, not acr-xaccount's)`));
      if (attachedTo(worker, SYSTEM_ASSUME_POLICY, 'System')) {
        actions.push(keep('auth.destroy.worker-role-system-policy', 'A', `Keep system policy ${SYSTEM_ASSUME_POLICY} on RAM role ${worker.role.roleName} (assumePolicy=system attaches it, but an attachment carries no marker: detach it by hand if nothing else needs it)`));
      }
    }
  }
  actions.push(...policy.actions);
  if (roleA?.role) {
    const name = roleA.role.roleName;
    if (!isOurs(roleA.role.description)) actions.push(keep('auth.destroy.role-a', 'A', `Keep RAM role ${name} (${notOurs('description')})`));
    else actions.push(deleteRoleAction({ id: 'auth.destroy.role-a', account: 'A', acct: clients.A, name, attached: roleA.attached, dependsOn: detachOf(policy, 'role', name) }));
  }
  return actions;
}

/** The trust statements our planners merge into role B: role A's (rrsa) and the worker role's (worker-role). */
function ourTrustStatements(config: Config, facts: AuthFacts, base: TeardownBase): PolicyStatement[] {
  const accountA = base.identities.A.accountId;
  const arns = new Set([roleArn(accountA, config.auth.roleAName)]);
  if (facts.roleA?.role?.arn) arns.add(facts.roleA.role.arn);
  const workerName = facts.workerRole?.name || base.cluster?.workerRamRoleName;
  if (workerName) arns.add(roleArn(accountA, workerName));
  if (facts.workerRole?.role?.arn) arns.add(facts.workerRole.role.arn);
  return [...arns].map(trustRamStatement);
}

/** Account B: the pull policy, role B (deleted, or our statement taken out of it), the RAM user and its keys. */
function pullSide(config: Config, facts: AuthFacts, base: TeardownBase, clients: StepClients): Action[] {
  const roleB = facts.roleB?.role;
  const user = facts.user;
  const policyName = config.auth.policyName;
  const policy = policyTeardown({
    key: 'policy-b',
    account: 'B',
    acct: clients.B,
    name: policyName,
    state: facts.pullPolicy,
    knownAttachments: [
      ...(roleB && attachedTo(facts.roleB, policyName, 'Custom') ? [{ kind: 'role' as const, name: roleB.roleName }] : []),
      ...(user?.user && user.attached.some((p) => p.policyName.toLowerCase() === policyName.toLowerCase() && p.policyType === 'Custom') ? [{ kind: 'user' as const, name: user.user.userName }] : []),
    ],
    noteFor: (kind, name) => (kind === 'role' && roleB && !isOurs(roleB.description) && name.toLowerCase() === roleB.roleName.toLowerCase() ? 'the role is not ours and stays' : undefined),
  });
  const actions: Action[] = [...policy.actions];
  if (roleB) {
    const name = roleB.roleName;
    if (isOurs(roleB.description)) {
      actions.push(deleteRoleAction({ id: 'auth.destroy.role-b', account: 'B', acct: clients.B, name, attached: facts.roleB!.attached, dependsOn: detachOf(policy, 'role', name) }));
    } else {
      actions.push(roleBNotOurs(config, facts, base, clients, name));
    }
  }
  if (user?.user) {
    const name = user.user.userName;
    if (!isOurs(user.user.comments)) {
      actions.push(keep('auth.destroy.user', 'B', `Keep RAM user ${name} (${notOurs('comment')})`));
    } else {
      const keyIds = user.keys.map((k) => k.accessKeyId);
      if (keyIds.length > 0) actions.push(deleteKeysAction({ id: 'auth.destroy.user-keys', account: 'B', acct: clients.B, userName: name, keyIds }));
      const after = [...(keyIds.length > 0 ? ['auth.destroy.user-keys'] : []), ...detachOf(policy, 'user', name)];
      actions.push(deleteUserAction({ id: 'auth.destroy.user', account: 'B', acct: clients.B, userName: name, attached: user.attached, dependsOn: after }));
    }
  }
  return actions;
}

/** Role B made by the user, our trust merged into it: only our statement comes out; the role stays. */
function roleBNotOurs(config: Config, facts: AuthFacts, base: TeardownBase, clients: StepClients, name: string): Action {
  const role = facts.roleB!.role!;
  const statements = ourTrustStatements(config, facts, base);
  const removes = statements.filter((s) => hasStatement(role.assumeRolePolicy, s));
  const why = notOurs('description');
  if (removes.length === 0) return keep('auth.destroy.role-b', 'B', `Keep RAM role ${name} (${why}; it holds no trust statement of ours)`);
  if (withoutStatements(role.assumeRolePolicy, statements)!.Statement.length === 0) {
    return keep('auth.destroy.role-b', 'B', `Keep RAM role ${name} and its trust policy (${why}, and our trust statement is its only one: edit it by hand)`);
  }
  return removeTrustAction({ id: 'auth.destroy.role-b', account: 'B', acct: clients.B, name, statements, removes });
}

export function authTeardown(config: Config, facts: AuthFacts, base: TeardownBase, clients: StepClients): Action[] {
  const roleB = facts.roleB?.role;
  const workerName = facts.workerRole?.name || base.cluster?.workerRamRoleName;
  const workerTrusted = Boolean(roleB && workerName && hasStatement(roleB.assumeRolePolicy, trustRamStatement(facts.workerRole?.role?.arn || roleArn(base.identities.A.accountId, workerName))));
  return [...assumeSide(config, facts, base, clients, workerTrusted), ...pullSide(config, facts, base, clients)];
}
