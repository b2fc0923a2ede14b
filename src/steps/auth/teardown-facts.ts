// Auth discovery for `destroy`, whatever the configured mode (a setup made in one mode and re-configured in another
// is still removed): role A, role B, the cluster's worker role, the RAM user and both custom policies, by their
// configured names. Only what carries our marker is read further (a policy's attachments, a user's keys).
import type { Config } from '../../config/schema.js';
import * as ram from '../../cloud/ram.js';
import type { AccountClient } from '../../cloud/session.js';
import { isOurs } from '../marker.js';
import type { StepClients, TeardownBase } from '../step.js';
import { policyState, roleState, type AuthFacts, type UserState } from './facts.js';
import { assumePolicyName } from './names.js';
import type { PolicyState } from './ram-actions.js';

/** A custom policy, and for one of ours who it is attached to (each attachment must go before the policy can). */
async function ourPolicyState(acct: AccountClient, name: string): Promise<PolicyState> {
  const state = await policyState(acct, name);
  if (!state.policy || !isOurs(state.policy.description)) return state;
  return { ...state, entities: await ram.listEntitiesForPolicy(acct, name) };
}

/** The RAM user; for ours, its policies and AccessKeys (never the cluster's configuration: nothing here needs it). */
async function ourUserState(acct: AccountClient, name: string): Promise<UserState> {
  const user = await ram.getUser(acct, name);
  if (!user || !isOurs(user.comments)) return { user, attached: [], keys: [] };
  const [attached, keys] = await Promise.all([ram.listPoliciesForUser(acct, name), ram.listAccessKeys(acct, name)]);
  return { user, attached, keys };
}

export async function discoverAuthTeardown(config: Config, base: TeardownBase, clients: StepClients): Promise<AuthFacts> {
  const { A, B } = clients;
  // A cluster deleted before destroy leaves no worker role name: our policy is still found wherever it is attached.
  const workerName = base.cluster?.workerRamRoleName ?? '';
  const [pullPolicy, assumePolicy, roleA, roleB, worker, user] = await Promise.all([
    ourPolicyState(B, config.auth.policyName),
    ourPolicyState(A, assumePolicyName(config)),
    roleState(A, config.auth.roleAName),
    roleState(B, config.auth.roleBName),
    workerName ? roleState(A, workerName) : { attached: [] },
    ourUserState(B, config.auth.userName),
  ]);
  return { pullPolicy, assumePolicy, roleA, roleB, workerRole: { ...worker, name: workerName }, user };
}
