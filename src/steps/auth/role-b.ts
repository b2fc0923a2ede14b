// Account B's side for the role modes: the pull policy, role B trusting exactly one principal of A (role A or the
// worker role), and the policy attached to it.
import type { Config } from '../../config/schema.js';
import type { Action } from '../../plan/action.js';
import type { BaseFacts, StepClients } from '../step.js';
import { compact, pullPolicyDocument, trustRamStatement } from './documents.js';
import type { AuthFacts } from './facts.js';
import { describe, roleArn } from './names.js';
import { attachAction, policyAction, roleAction } from './ram-actions.js';

/** `auth.policy-b`: the custom pull policy in B (also the RAM user's, in access-key mode). */
export function pullPolicyAction(config: Config, facts: AuthFacts, base: BaseFacts, clients: StepClients): Action {
  return policyAction({
    id: 'auth.policy-b',
    account: 'B',
    acct: clients.B,
    name: config.auth.policyName,
    description: describe.pullPolicy(config),
    document: pullPolicyDocument(config, base.identities.B.accountId),
    state: facts.pullPolicy,
  });
}

/** ARN of role B, whether or not it exists yet. */
export const roleBArn = (config: Config, base: Pick<BaseFacts, 'identities'>): string => roleArn(base.identities.B.accountId, config.auth.roleBName);

/** `auth.role-b` and `auth.role-b-policy`: role B trusting `principalArn`, with the pull policy attached. */
export function roleBActions(config: Config, facts: AuthFacts, clients: StepClients, principalArn: string, dependsOn: string[] = []): Action[] {
  const statement = trustRamStatement(principalArn);
  const role = roleAction({
    id: 'auth.role-b',
    account: 'B',
    acct: clients.B,
    name: config.auth.roleBName,
    description: describe.roleB(config),
    statement,
    statementDetail: compact(statement),
    minSessionSeconds: config.auth.expireDuration,
    state: facts.roleB ?? { attached: [] },
    dependsOn,
  });
  const attach = attachAction({
    id: 'auth.role-b-policy',
    account: 'B',
    acct: clients.B,
    target: { kind: 'role', name: config.auth.roleBName },
    policyName: config.auth.policyName,
    policyType: 'Custom',
    attached: facts.roleB?.attached ?? [],
    dependsOn: ['auth.role-b', 'auth.policy-b'],
  });
  return [role, attach];
}
