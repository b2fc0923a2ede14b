// RAM removals for `destroy`: a detachment, a custom policy with its versions, a role, a user and its AccessKeys,
// and our trust statement taken out of a role that is not ours. Each apply() reads again right before writing:
// what is already gone is skipped (a killed destroy is re-run), what lost our marker meanwhile is refused.
import * as ram from '../../cloud/ram.js';
import type { AccountClient } from '../../cloud/session.js';
import type { Account, Action, Detail } from '../../plan/action.js';
import { isOurs, MARKER } from '../marker.js';
import { compact, withoutStatements } from './documents.js';

interface Base {
  id: string;
  account: Account;
  acct: AccountClient;
  dependsOn?: string[];
}

const action = (b: Base, title: string, change: Action['change'], detail: Detail, apply?: Action['apply']): Action => ({
  id: b.id, step: 'auth', account: b.account, title, change, detail, dependsOn: b.dependsOn, apply,
});

const noLongerOurs = (what: string) =>
  new Error(`${what} no longer says ${MARKER}, so acr-xaccount leaves it. Run destroy again to see what it would remove now.`);

/** A noop that tells the user what stays, and why. */
export const keep = (id: string, account: Account, title: string, detail?: Detail): Action => ({ id, step: 'auth', account, title, change: 'noop', detail });

export interface DetachInput extends Base {
  target: { kind: 'role' | 'user'; name: string };
  policyName: string;
  policyType: ram.PolicyType;
  /** Said after the title, e.g. `the role stays: it is the cluster's`. */
  note?: string;
}

/** One attachment of a policy removed; the entity it was attached to is untouched. */
export function detachAction(input: DetachInput): Action {
  const { acct, target, policyName, policyType } = input;
  const what = `${policyType === 'System' ? 'system ' : ''}policy ${policyName} from RAM ${target.kind} ${target.name}`;
  return action(input, `Detach ${what}${input.note ? ` (${input.note})` : ''}`, 'delete', { [target.kind]: target.name, policy: policyName, policyType }, async () => {
    // False (not an error) when the attachment, the entity or the policy is already gone.
    if (target.kind === 'role') await ram.detachPolicyFromRole(acct, target.name, policyName, policyType);
    else await ram.detachPolicyFromUser(acct, target.name, policyName, policyType);
  });
}

/** A custom policy of ours: its non-default versions, then the policy (RAM refuses the other order). */
export function deletePolicyAction(input: Base & { name: string; versions: readonly ram.PolicyVersion[] }): Action {
  const { acct, name } = input;
  const extra = input.versions.filter((v) => !v.isDefaultVersion).map((v) => v.versionId);
  const detail: Detail = { name, ...(extra.length > 0 ? { deletesVersions: extra } : {}) };
  return action(input, `Delete RAM policy ${name}${extra.length > 0 ? ` and its ${extra.length} older version${extra.length > 1 ? 's' : ''}` : ''}`, 'delete', detail, async () => {
    const current = await ram.getPolicy(acct, name);
    if (!current) return;
    if (!isOurs(current.description)) throw noLongerOurs(`RAM policy ${name}`);
    for (const v of await ram.listPolicyVersions(acct, name)) if (!v.isDefaultVersion) await ram.deletePolicyVersion(acct, name, v.versionId);
    await ram.deletePolicy(acct, name);
  });
}

const attachedLabel = (p: ram.AttachedPolicy) => `${p.policyName} (${p.policyType})`;

/** A role of ours: whatever is still attached to it is detached (RAM refuses to delete it otherwise), then the role. */
export function deleteRoleAction(input: Base & { name: string; attached: readonly ram.AttachedPolicy[] }): Action {
  const { acct, name } = input;
  const detail: Detail = { name, ...(input.attached.length > 0 ? { detachesFirst: input.attached.map(attachedLabel) } : {}) };
  return action(input, `Delete RAM role ${name}`, 'delete', detail, async () => {
    const current = await ram.getRole(acct, name);
    if (!current) return;
    if (!isOurs(current.description)) throw noLongerOurs(`RAM role ${name}`);
    for (const p of await ram.listPoliciesForRole(acct, name)) await ram.detachPolicyFromRole(acct, name, p.policyName, p.policyType as ram.PolicyType);
    await ram.deleteRole(acct, name);
  });
}

/** Every AccessKey of our RAM user (IDs only: a secret is never read back). */
export function deleteKeysAction(input: Base & { userName: string; keyIds: readonly string[] }): Action {
  const { acct, userName, keyIds } = input;
  const title = `Delete AccessKey${keyIds.length > 1 ? 's' : ''} ${keyIds.join(', ')} of RAM user ${userName}`;
  return action(input, title, 'delete', { user: userName, accessKeyIds: [...keyIds] }, async () => {
    const current = await ram.getUser(acct, userName);
    if (!current) return;
    if (!isOurs(current.comments)) throw noLongerOurs(`RAM user ${userName}`);
    // Keys made since the plan are the user's too, and would stop DeleteUser.
    for (const key of await ram.listAccessKeys(acct, userName)) await ram.deleteAccessKey(acct, userName, key.accessKeyId);
  });
}

/** Our RAM user, once its keys are gone: what is still attached is detached, then the user. */
export function deleteUserAction(input: Base & { userName: string; attached: readonly ram.AttachedPolicy[] }): Action {
  const { acct, userName } = input;
  const detail: Detail = { name: userName, ...(input.attached.length > 0 ? { detachesFirst: input.attached.map(attachedLabel) } : {}) };
  return action(input, `Delete RAM user ${userName}`, 'delete', detail, async () => {
    const current = await ram.getUser(acct, userName);
    if (!current) return;
    if (!isOurs(current.comments)) throw noLongerOurs(`RAM user ${userName}`);
    for (const key of await ram.listAccessKeys(acct, userName)) await ram.deleteAccessKey(acct, userName, key.accessKeyId);
    for (const p of await ram.listPoliciesForUser(acct, userName)) await ram.detachPolicyFromUser(acct, userName, p.policyName, p.policyType as ram.PolicyType);
    await ram.deleteUser(acct, userName);
  });
}

/**
 * A role that is not ours keeps everything but the trust statements we merged into it (equal to one of `statements`):
 * the other statements, its description and its MaxSessionDuration stay exactly as they are.
 */
export function removeTrustAction(input: Base & { name: string; statements: readonly ram.PolicyStatement[]; removes: readonly ram.PolicyStatement[] }): Action {
  const { acct, name, statements } = input;
  const detail: Detail = { name, removeTrustStatements: input.removes.map(compact) };
  return action(input, `Update RAM role ${name} (take out our trust statement; the role is not ours and stays)`, 'update', detail, async () => {
    const current = await ram.getRole(acct, name);
    if (!current) return;
    if (current.assumeRolePolicyDocument && !current.assumeRolePolicy) {
      throw new Error(`the trust policy of RAM role ${name} is not valid JSON; acr-xaccount will not rewrite it. Take out the statement trusting ${input.removes.map(compact).join(', ')} by hand.`);
    }
    const next = withoutStatements(current.assumeRolePolicy, statements);
    if (!next) return;
    if (next.Statement.length === 0) throw new Error(`taking our trust statement out of RAM role ${name} would leave it trusting no one; acr-xaccount leaves it. Edit its trust policy by hand.`);
    // The reference says an omitted NewMaxSessionDuration means the default: send the role's own value back.
    await ram.updateRole(acct, name, { trustPolicy: next, maxSessionDuration: current.maxSessionDuration });
  });
}
