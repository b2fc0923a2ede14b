// Auth discovery: read-only calls for what the mode needs (roles, policies, the RAM user and its keys, and which
// key the cluster's helper configuration uses). Runs in parallel; nothing here writes.
import type { Config } from '../../config/schema.js';
import * as ram from '../../cloud/ram.js';
import type { AccountClient } from '../../cloud/session.js';
import { findRegistryEntry, readHelperConfig } from '../../kube/acr-configuration.js';
import type { BaseFacts, StepClients } from '../step.js';
import { assumePolicyName } from './names.js';
import type { PolicyState, RoleState } from './ram-actions.js';

export interface UserState {
  user?: ram.RamUser;
  attached: ram.AttachedPolicy[];
  keys: ram.AccessKeyInfo[];
  /** The AccessKey ID the helper's configuration uses for this instance, if any. */
  configuredKeyId?: string;
}

export interface AuthFacts {
  pullPolicy: PolicyState;
  /** rrsa and worker-role. */
  roleB?: RoleState;
  /** rrsa. */
  roleA?: RoleState;
  /** rrsa and worker-role with assumePolicy=least-privilege. */
  assumePolicy?: PolicyState;
  /** worker-role: the cluster's worker RAM role ('' name when the cluster has none). */
  workerRole?: RoleState & { name: string };
  /** access-key. */
  user?: UserState;
}

export async function policyState(acct: AccountClient, name: string): Promise<PolicyState> {
  const policy = await ram.getPolicy(acct, name);
  return { policy, versions: policy ? await ram.listPolicyVersions(acct, name) : [] };
}

export async function roleState(acct: AccountClient, name: string): Promise<RoleState> {
  const role = await ram.getRole(acct, name);
  return { role, attached: role ? await ram.listPoliciesForRole(acct, name) : [] };
}

/** The RAM user, its policies and keys, and the key the cluster is configured with (shared with the add-on step). */
export async function userState(config: Config, clients: StepClients): Promise<UserState> {
  const name = config.auth.userName;
  const [user, configuredKeyId] = await Promise.all([ram.getUser(clients.B, name), configuredAccessKey(config, clients)]);
  if (!user) return { attached: [], keys: [], configuredKeyId };
  const [attached, keys] = await Promise.all([ram.listPoliciesForUser(clients.B, name), ram.listAccessKeys(clients.B, name)]);
  return { user, attached, keys, configuredKeyId };
}

/** The AccessKey ID in this instance's entry of the self-managed helper's ConfigMap. */
async function configuredAccessKey(config: Config, clients: StepClients): Promise<string | undefined> {
  if (config.addon.edition !== 'self-managed') return undefined;
  const helper = await readHelperConfig(await clients.kubeconfig());
  const key = helper && findRegistryEntry(helper.entries, config.accountB.instanceId)?.customAccessKey;
  return key ? String(key) : undefined;
}

export async function discoverAuth(config: Config, base: BaseFacts, clients: StepClients): Promise<AuthFacts> {
  const { A, B } = clients;
  const leastPrivilege = config.auth.assumePolicy === 'least-privilege';
  const pullPolicy = policyState(B, config.auth.policyName);
  switch (config.auth.mode) {
    case 'rrsa': {
      const [p, roleB, roleA, assumePolicy] = await Promise.all([
        pullPolicy,
        roleState(B, config.auth.roleBName),
        roleState(A, config.auth.roleAName),
        leastPrivilege ? policyState(A, assumePolicyName(config)) : undefined,
      ]);
      return { pullPolicy: p, roleB, roleA, assumePolicy };
    }
    case 'worker-role': {
      const name = base.cluster.workerRamRoleName;
      const [p, roleB, worker, assumePolicy] = await Promise.all([
        pullPolicy,
        roleState(B, config.auth.roleBName),
        name ? roleState(A, name) : { attached: [] },
        leastPrivilege ? policyState(A, assumePolicyName(config)) : undefined,
      ]);
      return { pullPolicy: p, roleB, workerRole: { ...worker, name }, assumePolicy };
    }
    case 'access-key': {
      const [p, user] = await Promise.all([pullPolicy, userState(config, clients)]);
      return { pullPolicy: p, user };
    }
  }
}
