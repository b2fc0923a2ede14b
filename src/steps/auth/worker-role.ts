// Worker role: the cluster's worker RAM role (from the cluster detail) may assume role B; role B trusts exactly it.
import type { Config } from '../../config/schema.js';
import type { Action } from '../../plan/action.js';
import type { BaseFacts, StepClients } from '../step.js';
import { assumeActions } from './assume.js';
import type { AuthFacts } from './facts.js';
import { roleArn } from './names.js';
import { pullPolicyAction, roleBActions } from './role-b.js';

export function workerRoleActions(config: Config, facts: AuthFacts, base: BaseFacts, clients: StepClients): Action[] {
  const worker = facts.workerRole ?? { name: base.cluster.workerRamRoleName, attached: [] };
  const workerArn = worker.role?.arn || roleArn(base.identities.A.accountId, worker.name);
  return [
    // The worker role is ACK's, not ours: we only attach to it, never detach.
    ...assumeActions(config, facts, base, clients, { attachId: 'auth.worker-role-policy', roleName: worker.name, attached: worker.attached, ours: false, dependsOn: [] }),
    pullPolicyAction(config, facts, base, clients),
    ...roleBActions(config, facts, clients, workerArn),
  ];
}
