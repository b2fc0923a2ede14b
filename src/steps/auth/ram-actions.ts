// Actions over RAM entities, shared by every auth mode: a custom policy, a role's trust, an attachment.
// Each plans from the discovered state and, when it runs, reads again before writing (a resumed or raced run
// never clobbers what appeared in between).
import * as ram from '../../cloud/ram.js';
import type { AccountClient } from '../../cloud/session.js';
import { fieldChange, knownAfterApply, type Account, type Action, type ApplyContext, type DetailValue } from '../../plan/action.js';
import { compact, hasStatement, sameDocument, withStatement } from './documents.js';

/** RAM keeps at most five versions of a custom policy. */
export const POLICY_VERSION_LIMIT = 5;

export interface PolicyState {
  policy?: ram.RamPolicy;
  versions: ram.PolicyVersion[];
  /** Who the policy is attached to (read by destroy's discovery, for a policy of ours). */
  entities?: ram.PolicyEntities;
}

export interface RoleState {
  role?: ram.RamRole;
  /** Policies attached to the role ([] when it does not exist). */
  attached: ram.AttachedPolicy[];
}

const hasCode = (error: unknown, code: string): boolean => (error as { code?: string }).code === code;

export interface PolicyActionInput {
  id: string;
  account: Account;
  acct: AccountClient;
  name: string;
  description: string;
  document: ram.PolicyDocument;
  state: PolicyState;
}

/** A custom policy with exactly `document` as its default version: created, or a new default version (oldest pruned). */
export function policyAction(input: PolicyActionInput): Action {
  const { id, account, acct, name, description, document, state } = input;
  const base = { id, step: 'auth' as const, account, apply: () => ensurePolicy(acct, name, description, document) };
  if (!state.policy) return { ...base, title: `Create RAM policy ${name}`, change: 'create', detail: { name, document: compact(document) } };
  if (sameDocument(state.policy.document, document)) return { ...base, title: `RAM policy ${name}`, change: 'noop' };
  const detail: Record<string, DetailValue> = {
    name,
    document: fieldChange(state.policy.documentRaw || '(none)', compact(document)),
    defaultVersion: fieldChange(state.policy.defaultVersion, knownAfterApply()),
  };
  const oldest = state.versions.filter((v) => !v.isDefaultVersion)[0];
  if (state.versions.length >= POLICY_VERSION_LIMIT && oldest) detail.prunesVersion = oldest.versionId;
  return { ...base, title: `Update RAM policy ${name} (new default version)`, change: 'update', detail };
}

async function ensurePolicy(acct: AccountClient, name: string, description: string, document: ram.PolicyDocument): Promise<Record<string, unknown>> {
  const current = await ram.getPolicy(acct, name);
  if (!current) {
    try {
      await ram.createPolicy(acct, { policyName: name, document, description });
      return { policyName: name };
    } catch (error) {
      if (!hasCode(error, 'EntityAlreadyExists.Policy')) throw error;
    }
  } else if (sameDocument(current.document, document)) {
    return { policyName: name };
  }
  // RAM drops the oldest non-default version itself when the limit is reached.
  await ram.createPolicyVersion(acct, name, document, { setAsDefault: true, rotateOldest: true });
  return { policyName: name };
}

export interface RoleActionInput {
  id: string;
  account: Account;
  acct: AccountClient;
  name: string;
  description: string;
  /** Our trust statement; a function when it is known only once a dependency has run (RRSA's provider). */
  statement: ram.PolicyStatement | ((ctx: ApplyContext) => ram.PolicyStatement);
  /** How the plan shows the statement. */
  statementDetail: DetailValue;
  /** MaxSessionDuration the role needs at least (seconds). */
  minSessionSeconds: number;
  state: RoleState;
  dependsOn?: string[];
}

/** A role whose trust policy holds our statement (beside any others) and whose MaxSessionDuration is long enough. */
export function roleAction(input: RoleActionInput): Action {
  const { id, account, acct, name, state } = input;
  const minSession = Math.max(3600, input.minSessionSeconds);
  const base = {
    id,
    step: 'auth' as const,
    account,
    dependsOn: input.dependsOn,
    apply: (ctx: ApplyContext) => ensureRole(acct, name, input.description, typeof input.statement === 'function' ? input.statement(ctx) : input.statement, minSession),
  };
  const role = state.role;
  if (!role) {
    return { ...base, title: `Create RAM role ${name}`, change: 'create', detail: { name, trust: input.statementDetail, maxSessionDuration: minSession, arn: knownAfterApply() } };
  }
  const statementKnown = typeof input.statement !== 'function';
  const needsTrust = !statementKnown || !hasStatement(role.assumeRolePolicy, input.statement as ram.PolicyStatement);
  const needsSession = role.maxSessionDuration < minSession;
  if (!needsTrust && !needsSession) return { ...base, title: `RAM role ${name}`, change: 'noop' };
  const detail: Record<string, DetailValue> = { name };
  if (needsTrust) {
    detail.addTrustStatement = input.statementDetail;
    detail.keepsStatements = role.assumeRolePolicy?.Statement?.length ?? 0;
  }
  if (needsSession) detail.maxSessionDuration = fieldChange(role.maxSessionDuration, minSession);
  return { ...base, title: `Update RAM role ${name}${needsTrust ? ' (add our trust statement)' : ''}`, change: 'update', detail };
}

async function ensureRole(acct: AccountClient, name: string, description: string, statement: ram.PolicyStatement, minSession: number, raced = false): Promise<Record<string, unknown>> {
  const current = await ram.getRole(acct, name);
  if (!current) {
    try {
      const created = await ram.createRole(acct, { roleName: name, description, trustPolicy: { Version: '1', Statement: [statement] }, maxSessionDuration: minSession });
      return { arn: created.arn };
    } catch (error) {
      // Created in between: merge into it instead (once).
      if (raced || !hasCode(error, 'EntityAlreadyExists.Role')) throw error;
      return ensureRole(acct, name, description, statement, minSession, true);
    }
  }
  if (current.assumeRolePolicyDocument && !current.assumeRolePolicy) {
    throw new Error(`the trust policy of RAM role ${name} is not valid JSON; acr-xaccount will not rewrite it. Fix it in the RAM console and re-run.`);
  }
  const change: ram.UpdateRoleInput = {};
  if (!hasStatement(current.assumeRolePolicy, statement)) change.trustPolicy = withStatement(current.assumeRolePolicy, statement);
  if (current.maxSessionDuration < minSession) change.maxSessionDuration = minSession;
  if (Object.keys(change).length > 0) await ram.updateRole(acct, name, change);
  return { arn: current.arn };
}

export interface AttachActionInput {
  id: string;
  account: Account;
  acct: AccountClient;
  target: { kind: 'role' | 'user'; name: string };
  policyName: string;
  policyType: ram.PolicyType;
  /** Policies attached now (undefined or [] when the role or user is still to be created). */
  attached: readonly ram.AttachedPolicy[];
  dependsOn?: string[];
}

const isAttached = (attached: readonly ram.AttachedPolicy[], name: string, type: ram.PolicyType) =>
  attached.some((p) => p.policyName.toLowerCase() === name.toLowerCase() && p.policyType === type);

/** The policy attached to a role or user. */
export function attachAction(input: AttachActionInput): Action {
  const { id, account, acct, target, policyName, policyType } = input;
  const what = `${policyType === 'System' ? 'system ' : ''}policy ${policyName} to RAM ${target.kind} ${target.name}`;
  if (isAttached(input.attached, policyName, policyType)) return { id, step: 'auth', account, title: `Attach ${what}`, change: 'noop', dependsOn: input.dependsOn };
  return {
    id,
    step: 'auth',
    account,
    title: `Attach ${what}`,
    change: 'create',
    detail: { [target.kind]: target.name, policy: policyName, policyType },
    dependsOn: input.dependsOn,
    apply: async () => {
      try {
        if (target.kind === 'role') await ram.attachPolicyToRole(acct, target.name, policyName, policyType);
        else await ram.attachPolicyToUser(acct, target.name, policyName, policyType);
      } catch (error) {
        // Attached in between (a resumed run): what we wanted is there.
        if (!hasCode(error, `EntityAlreadyExists.${target.kind === 'role' ? 'Role' : 'User'}.Policy`)) throw error;
      }
    },
  };
}

/** A policy detached from a role we own (least privilege asked, the broad system policy still attached). */
export function detachAction(input: Omit<AttachActionInput, 'attached'> & { target: { kind: 'role'; name: string } }): Action {
  const { id, account, acct, target, policyName, policyType } = input;
  return {
    id,
    step: 'auth',
    account,
    title: `Detach ${policyType === 'System' ? 'system ' : ''}policy ${policyName} from RAM role ${target.name} (least privilege)`,
    change: 'delete',
    detail: { role: target.name, policy: policyName, policyType },
    dependsOn: input.dependsOn,
    apply: async () => {
      await ram.detachPolicyFromRole(acct, target.name, policyName, policyType);
    },
  };
}
