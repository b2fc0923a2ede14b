// Auth preflight: every reason the mode cannot work here, found before any write, each with its fix.
import type { Config } from '../../config/schema.js';
import type { BaseFacts } from '../step.js';
import { planKeys } from './access-key.js';
import type { AuthFacts } from './facts.js';
import { assumePolicyName } from './names.js';
import { isOurs } from '../marker.js';
import type { PolicyState } from './ram-actions.js';
import { authSupportProblem } from './support.js';

function foreignPolicy(state: PolicyState | undefined, name: string, flag: string): string | undefined {
  if (!state?.policy || isOurs(state.policy.description)) return undefined;
  return `a custom policy named ${name} already exists and was not created by acr-xaccount (its description does not say managed-by=acr-xaccount); acr-xaccount will not rewrite it. Pass ${flag} with another name.`;
}

export function authPreflight(config: Config, facts: AuthFacts, base: BaseFacts): string[] {
  const problems: string[] = [];
  const support = authSupportProblem(config, base.cluster);
  if (support) problems.push(support);
  const { auth } = config;
  problems.push(...[foreignPolicy(facts.pullPolicy, auth.policyName, '--policy-name')].filter((p): p is string => Boolean(p)));
  if (auth.mode !== 'access-key') {
    // No one-hour cap for the chained session: the ACK guide allows expireDuration up to role B's MaxSessionDuration.
    const expire = auth.expireDuration;
    const roleB = facts.roleB?.role;
    if (roleB && !isOurs(roleB.description) && roleB.maxSessionDuration < expire) {
      problems.push(
        `role ${auth.roleBName} in account B allows sessions of at most ${roleB.maxSessionDuration} seconds (MaxSessionDuration), less than --expire-duration ${expire}, ` +
          `and it was not created by acr-xaccount, so it is not changed. Lower --expire-duration to ${roleB.maxSessionDuration}, raise the role's MaxSessionDuration ` +
          `(aliyun ram UpdateRole --RoleName ${auth.roleBName} --NewMaxSessionDuration ${expire}), or pass --role-b-name with another name.`,
      );
    }
    const foreign = foreignPolicy(facts.assumePolicy, assumePolicyName(config), '--role-b-name (the policy in A is named after role B)');
    if (foreign) problems.push(foreign);
  }
  if (auth.mode === 'worker-role' && !support) {
    const name = base.cluster.workerRamRoleName;
    if (!name) problems.push(`cluster ${base.cluster.clusterId} has no worker RAM role, so auth worker-role cannot work: use --auth rrsa or --auth access-key.`);
    else if (!facts.workerRole?.role) problems.push(`the cluster's worker RAM role ${name} does not exist in account A (was it deleted?). Restore it (ACK console: Cluster Information > Cluster Resources), or use --auth rrsa.`);
  }
  if (auth.mode === 'access-key') {
    const user = facts.user?.user;
    if (user && !isOurs(user.comments)) {
      problems.push(`a RAM user named ${auth.userName} already exists in account B and was not created by acr-xaccount; acr-xaccount will not make keys for it. Pass --user-name with another name.`);
    }
    if (planKeys(facts.user ?? { keys: [] }, auth.rotateKey).create && !base.steps.includes('addon')) {
      problems.push('a new AccessKey is needed, and its secret may go only into the cluster\'s helper configuration, which the addon step writes: run with --step addon as well (e.g. --step auth --step addon).');
    }
  }
  return problems;
}
