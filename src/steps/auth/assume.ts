// Account A's side of the role modes: the principal (role A, or the cluster's worker role) may assume role B: only
// role B through our custom policy (least privilege), or anything through the seed's AliyunSTSAssumeRoleAccess.
import type { Config } from '../../config/schema.js';
import type { AttachedPolicy } from '../../cloud/ram.js';
import type { Action } from '../../plan/action.js';
import type { BaseFacts, StepClients } from '../step.js';
import { assumeRoleDocument } from './documents.js';
import type { AuthFacts } from './facts.js';
import { assumePolicyName, describe, SYSTEM_ASSUME_POLICY } from './names.js';
import { attachAction, detachAction, policyAction } from './ram-actions.js';
import { roleBArn } from './role-b.js';

export interface AssumeTarget {
  /** Action ID of the attachment, e.g. `auth.role-a-policy`. */
  attachId: string;
  roleName: string;
  attached: readonly AttachedPolicy[];
  /** The role is ours (role A): a broad policy left on it from an earlier run may be detached. */
  ours: boolean;
  dependsOn: string[];
}

export function assumeActions(config: Config, facts: AuthFacts, base: BaseFacts, clients: StepClients, target: AssumeTarget): Action[] {
  const role = { kind: 'role' as const, name: target.roleName };
  if (config.auth.assumePolicy === 'system') {
    return [attachAction({ id: target.attachId, account: 'A', acct: clients.A, target: role, policyName: SYSTEM_ASSUME_POLICY, policyType: 'System', attached: target.attached, dependsOn: target.dependsOn })];
  }
  const name = assumePolicyName(config);
  const actions: Action[] = [
    policyAction({ id: 'auth.policy-a', account: 'A', acct: clients.A, name, description: describe.assumePolicy(config), document: assumeRoleDocument(roleBArn(config, base)), state: facts.assumePolicy ?? { versions: [] } }),
    attachAction({ id: target.attachId, account: 'A', acct: clients.A, target: role, policyName: name, policyType: 'Custom', attached: target.attached, dependsOn: [...target.dependsOn, 'auth.policy-a'] }),
  ];
  const broad = target.attached.some((p) => p.policyType === 'System' && p.policyName === SYSTEM_ASSUME_POLICY);
  if (target.ours && broad) {
    // Least privilege asked: the broad policy goes once the narrow one is attached.
    actions.push(detachAction({ id: `${target.attachId}-broad`, account: 'A', acct: clients.A, target: role, policyName: SYSTEM_ASSUME_POLICY, policyType: 'System', dependsOn: [target.attachId] }));
  }
  return actions;
}
