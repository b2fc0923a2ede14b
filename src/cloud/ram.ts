// RAM: roles and their trust policies, custom policies and their versions, users and their AccessKeys.
import { sensitive, type Sensitive } from '../plan/action.js';
import { registerSecret } from '../secrets.js';
import { isNotFound } from './errors.js';
import type { AccountClient } from './session.js';
import { sdkCaller, sdkRequest as req } from './sdk-call.js';

/** A RAM policy document (permission or trust policy), as RAM stores it. */
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { RAM?: string | string[]; Service?: string | string[]; Federated?: string | string[] };
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export type PolicyType = 'Custom' | 'System';

export interface RamRole {
  roleName: string;
  roleId: string;
  arn: string;
  description: string;
  maxSessionDuration: number;
  /** The trust policy parsed; undefined when RAM returned none or it is not JSON. */
  assumeRolePolicy?: PolicyDocument;
  /** The trust policy exactly as RAM returned it. */
  assumeRolePolicyDocument: string;
  createDate?: string;
  updateDate?: string;
}
export type RamRoleSummary = Omit<RamRole, 'assumeRolePolicy' | 'assumeRolePolicyDocument'>;

export interface RamPolicy {
  policyName: string;
  policyType: string;
  description: string;
  defaultVersion: string;
  attachmentCount?: number;
  /** The default version's document, parsed. */
  document?: PolicyDocument;
  documentRaw: string;
  createDate?: string;
  updateDate?: string;
}

export interface PolicyVersion { versionId: string; isDefaultVersion: boolean; document?: PolicyDocument; documentRaw: string; createDate?: string }

export interface AttachedPolicy { policyName: string; policyType: string; description: string; defaultVersion: string; attachDate?: string }

export interface PolicyEntities {
  roles: { roleName: string; arn: string; roleId: string; attachDate?: string }[];
  users: { userName: string; userId: string; displayName: string; attachDate?: string }[];
  groups: { groupName: string; attachDate?: string }[];
}

export interface RamUser { userName: string; userId: string; displayName: string; comments: string; createDate?: string; updateDate?: string }

export interface AccessKeyInfo {
  accessKeyId: string;
  /** `Active` or `Inactive`. */
  status: string;
  createDate?: string;
}

export interface NewAccessKey extends AccessKeyInfo {
  /** Registered for redaction, and wrapped so plans and logs can only say that a secret exists. */
  accessKeySecret: Sensitive;
}

/** Parses a policy document string; undefined when empty or not JSON. */
export function parsePolicyDocument(raw: string | undefined): PolicyDocument | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as PolicyDocument) : undefined;
  } catch {
    return undefined;
  }
}

const ram = sdkCaller('ram');

/** A read that answers undefined when the cloud says the entity does not exist. */
async function orUndefined<T>(code: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error, code)) return undefined;
    throw error;
  }
}

/** A delete or detach that answers false when the thing was already gone, true when it removed something. */
async function removed(goneCodes: string[], run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    if (goneCodes.includes((error as { code?: string }).code ?? '')) return false;
    throw error;
  }
}

type RoleModel = {
  roleName?: string;
  roleId?: string;
  arn?: string;
  description?: string;
  maxSessionDuration?: number;
  assumeRolePolicyDocument?: string;
  createDate?: string;
  updateDate?: string;
};

function toRole(r: RoleModel | undefined, fallbackName: string): RamRole {
  return {
    roleName: r?.roleName ?? fallbackName, roleId: r?.roleId ?? '', arn: r?.arn ?? '', description: r?.description ?? '',
    maxSessionDuration: r?.maxSessionDuration ?? 3600, assumeRolePolicy: parsePolicyDocument(r?.assumeRolePolicyDocument),
    assumeRolePolicyDocument: r?.assumeRolePolicyDocument ?? '', createDate: r?.createDate, updateDate: r?.updateDate,
  };
}

// ---- roles ----

export async function getRole(acct: AccountClient, roleName: string): Promise<RamRole | undefined> {
  return orUndefined('EntityNotExist.Role', async () => {
    const params = { RoleName: roleName };
    const res = await ram(acct, { action: 'GetRole', params }, (c, m, rt) => c.getRoleWithOptions(req(m.GetRoleRequest, params), rt));
    return toRole(res.body?.role, roleName);
  });
}

/** Every role of the account (pages through Marker). */
export async function listRoles(acct: AccountClient): Promise<RamRoleSummary[]> {
  const out: RamRoleSummary[] = [];
  let marker: string | undefined;
  do {
    const params = { MaxItems: 1000, Marker: marker };
    const res = await ram(acct, { action: 'ListRoles', params }, (c, m, rt) => c.listRolesWithOptions(req(m.ListRolesRequest, params), rt));
    for (const r of res.body?.roles?.role ?? []) {
      const { assumeRolePolicy: _parsed, assumeRolePolicyDocument: _raw, ...summary } = toRole(r, '');
      out.push(summary);
    }
    marker = res.body?.isTruncated ? res.body.marker || undefined : undefined;
  } while (marker);
  return out;
}

export interface CreateRoleInput {
  roleName: string;
  trustPolicy: PolicyDocument;
  description?: string;
  /** Seconds, 3600..43200. */
  maxSessionDuration?: number;
}

export async function createRole(acct: AccountClient, input: CreateRoleInput): Promise<RamRole> {
  const { roleName, description, maxSessionDuration } = input;
  const document = JSON.stringify(input.trustPolicy);
  const params = { RoleName: roleName, AssumeRolePolicyDocument: document, Description: description, MaxSessionDuration: maxSessionDuration };
  const res = await ram(acct, { action: 'CreateRole', params }, (c, m, rt) => c.createRoleWithOptions(req(m.CreateRoleRequest, params), rt));
  return toRole(res.body?.role ?? { roleName, assumeRolePolicyDocument: document, description, maxSessionDuration }, roleName);
}

export interface UpdateRoleInput {
  /** Replaces the whole trust policy: merge statements before calling. */
  trustPolicy?: PolicyDocument;
  maxSessionDuration?: number;
  description?: string;
}

export async function updateRole(acct: AccountClient, roleName: string, input: UpdateRoleInput): Promise<RamRole> {
  const document = input.trustPolicy ? JSON.stringify(input.trustPolicy) : undefined;
  const params = { RoleName: roleName, NewAssumeRolePolicyDocument: document, NewMaxSessionDuration: input.maxSessionDuration, NewDescription: input.description };
  const res = await ram(acct, { action: 'UpdateRole', params }, (c, m, rt) => c.updateRoleWithOptions(req(m.UpdateRoleRequest, params), rt));
  return toRole(res.body?.role, roleName);
}

/** RAM refuses while policies are attached (detach them first). False when the role did not exist. */
export async function deleteRole(acct: AccountClient, roleName: string): Promise<boolean> {
  const params = { RoleName: roleName };
  return removed(['EntityNotExist.Role'], () => ram(acct, { action: 'DeleteRole', params }, (c, m, rt) => c.deleteRoleWithOptions(req(m.DeleteRoleRequest, params), rt)));
}

// ---- policies ----

/** A policy with its default version's document. */
export async function getPolicy(acct: AccountClient, policyName: string, policyType: PolicyType = 'Custom'): Promise<RamPolicy | undefined> {
  return orUndefined('EntityNotExist.Policy', async () => {
    const params = { PolicyName: policyName, PolicyType: policyType };
    const res = await ram(acct, { action: 'GetPolicy', params }, (c, m, rt) => c.getPolicyWithOptions(req(m.GetPolicyRequest, params), rt));
    const p = res.body?.policy;
    const version = res.body?.defaultPolicyVersion;
    const raw = version?.policyDocument ?? p?.policyDocument ?? '';
    return {
      policyName: p?.policyName ?? policyName, policyType: p?.policyType ?? policyType, description: p?.description ?? '',
      defaultVersion: p?.defaultVersion ?? version?.versionId ?? '', attachmentCount: p?.attachmentCount,
      document: parsePolicyDocument(raw), documentRaw: raw, createDate: p?.createDate, updateDate: p?.updateDate,
    };
  });
}

export interface CreatePolicyInput { policyName: string; document: PolicyDocument; description?: string }

export async function createPolicy(acct: AccountClient, input: CreatePolicyInput): Promise<RamPolicy> {
  const raw = JSON.stringify(input.document);
  const params = { PolicyName: input.policyName, PolicyDocument: raw, Description: input.description };
  const res = await ram(acct, { action: 'CreatePolicy', params }, (c, m, rt) => c.createPolicyWithOptions(req(m.CreatePolicyRequest, params), rt));
  const p = res.body?.policy;
  return {
    policyName: p?.policyName ?? input.policyName, policyType: p?.policyType ?? 'Custom',
    description: p?.description ?? input.description ?? '', defaultVersion: p?.defaultVersion ?? 'v1', document: input.document,
    documentRaw: raw, createDate: p?.createDate,
  };
}

export interface CreatePolicyVersionOptions {
  /** Default true. */
  setAsDefault?: boolean;
  /** Let RAM delete the oldest non-default version when the five-version limit is reached. */
  rotateOldest?: boolean;
}

export async function createPolicyVersion(acct: AccountClient, policyName: string, document: PolicyDocument, options: CreatePolicyVersionOptions = {}): Promise<PolicyVersion> {
  const raw = JSON.stringify(document);
  const setAsDefault = options.setAsDefault ?? true;
  const rotateStrategy = options.rotateOldest ? 'DeleteOldestNonDefaultVersionWhenLimitExceeded' : undefined;
  const params = { PolicyName: policyName, PolicyDocument: raw, SetAsDefault: setAsDefault, RotateStrategy: rotateStrategy };
  const res = await ram(acct, { action: 'CreatePolicyVersion', params, retryOn: ['EntityNotExist.Policy'] }, (c, m, rt) =>
    c.createPolicyVersionWithOptions(req(m.CreatePolicyVersionRequest, params), rt),
  );
  const v = res.body?.policyVersion;
  return { versionId: v?.versionId ?? '', isDefaultVersion: v?.isDefaultVersion ?? setAsDefault, document, documentRaw: raw, createDate: v?.createDate };
}

export async function listPolicyVersions(acct: AccountClient, policyName: string, policyType: PolicyType = 'Custom'): Promise<PolicyVersion[]> {
  const params = { PolicyName: policyName, PolicyType: policyType };
  const res = await ram(acct, { action: 'ListPolicyVersions', params }, (c, m, rt) => c.listPolicyVersionsWithOptions(req(m.ListPolicyVersionsRequest, params), rt));
  return (res.body?.policyVersions?.policyVersion ?? []).map((v) => ({
    versionId: v.versionId ?? '', isDefaultVersion: v.isDefaultVersion ?? false, document: parsePolicyDocument(v.policyDocument),
    documentRaw: v.policyDocument ?? '', createDate: v.createDate,
  }));
}

/** RAM refuses to delete the default version. False when the version (or the policy) did not exist. */
export async function deletePolicyVersion(acct: AccountClient, policyName: string, versionId: string): Promise<boolean> {
  const params = { PolicyName: policyName, VersionId: versionId };
  return removed(['EntityNotExist.Policy.Version', 'EntityNotExist.Policy'], () =>
    ram(acct, { action: 'DeletePolicyVersion', params }, (c, m, rt) => c.deletePolicyVersionWithOptions(req(m.DeletePolicyVersionRequest, params), rt)),
  );
}

/**
 * Deletes a custom policy. RAM refuses while it is attached or has non-default versions (`DeleteConflict.Policy.*`)
 * unless `cascade` detaches it everywhere and drops its versions. False when it did not exist.
 */
export async function deletePolicy(acct: AccountClient, policyName: string, options: { cascade?: boolean } = {}): Promise<boolean> {
  const params = { PolicyName: policyName, CascadingDelete: options.cascade };
  return removed(['EntityNotExist.Policy'], () =>
    ram(acct, { action: 'DeletePolicy', params }, (c, m, rt) => c.deletePolicyWithOptions(req(m.DeletePolicyRequest, params), rt)),
  );
}

/** Roles, users and groups the policy is attached to. */
export async function listEntitiesForPolicy(acct: AccountClient, policyName: string, policyType: PolicyType = 'Custom'): Promise<PolicyEntities> {
  const params = { PolicyName: policyName, PolicyType: policyType };
  const res = await ram(acct, { action: 'ListEntitiesForPolicy', params }, (c, m, rt) =>
    c.listEntitiesForPolicyWithOptions(req(m.ListEntitiesForPolicyRequest, params), rt),
  );
  const b = res.body;
  return {
    roles: (b?.roles?.role ?? []).map((r) => ({ roleName: r.roleName ?? '', arn: r.arn ?? '', roleId: r.roleId ?? '', attachDate: r.attachDate })),
    users: (b?.users?.user ?? []).map((u) => ({ userName: u.userName ?? '', userId: u.userId ?? '', displayName: u.displayName ?? '', attachDate: u.attachDate })),
    groups: (b?.groups?.group ?? []).map((g) => ({ groupName: g.groupName ?? '', attachDate: g.attachDate })),
  };
}

// ---- attachments ----

type AttachedModel = { policyName?: string; policyType?: string; description?: string; defaultVersion?: string; attachDate?: string };
const toAttached = (p: AttachedModel): AttachedPolicy => ({
  policyName: p.policyName ?? '', policyType: p.policyType ?? '', description: p.description ?? '', defaultVersion: p.defaultVersion ?? '',
  attachDate: p.attachDate,
});

/** Retries while a role or policy created just before is not yet visible to RAM. */
export async function attachPolicyToRole(acct: AccountClient, roleName: string, policyName: string, policyType: PolicyType = 'Custom'): Promise<void> {
  const params = { RoleName: roleName, PolicyName: policyName, PolicyType: policyType };
  await ram(acct, { action: 'AttachPolicyToRole', params, retryOn: ['EntityNotExist.Role', 'EntityNotExist.Policy'] }, (c, m, rt) =>
    c.attachPolicyToRoleWithOptions(req(m.AttachPolicyToRoleRequest, params), rt),
  );
}

/** False when the policy was not attached, or the role or policy is gone. */
export async function detachPolicyFromRole(acct: AccountClient, roleName: string, policyName: string, policyType: PolicyType = 'Custom'): Promise<boolean> {
  const params = { RoleName: roleName, PolicyName: policyName, PolicyType: policyType };
  return removed(['EntityNotExist.Role.Policy', 'EntityNotExist.Role', 'EntityNotExist.Policy'], () =>
    ram(acct, { action: 'DetachPolicyFromRole', params }, (c, m, rt) => c.detachPolicyFromRoleWithOptions(req(m.DetachPolicyFromRoleRequest, params), rt)),
  );
}

export async function listPoliciesForRole(acct: AccountClient, roleName: string): Promise<AttachedPolicy[]> {
  const params = { RoleName: roleName };
  const res = await ram(acct, { action: 'ListPoliciesForRole', params }, (c, m, rt) => c.listPoliciesForRoleWithOptions(req(m.ListPoliciesForRoleRequest, params), rt));
  return (res.body?.policies?.policy ?? []).map(toAttached);
}

/** Retries while a user or policy created just before is not yet visible to RAM. */
export async function attachPolicyToUser(acct: AccountClient, userName: string, policyName: string, policyType: PolicyType = 'Custom'): Promise<void> {
  const params = { UserName: userName, PolicyName: policyName, PolicyType: policyType };
  await ram(acct, { action: 'AttachPolicyToUser', params, retryOn: ['EntityNotExist.User', 'EntityNotExist.Policy'] }, (c, m, rt) =>
    c.attachPolicyToUserWithOptions(req(m.AttachPolicyToUserRequest, params), rt),
  );
}

export async function detachPolicyFromUser(acct: AccountClient, userName: string, policyName: string, policyType: PolicyType = 'Custom'): Promise<boolean> {
  const params = { UserName: userName, PolicyName: policyName, PolicyType: policyType };
  return removed(['EntityNotExist.User.Policy', 'EntityNotExist.User', 'EntityNotExist.Policy'], () =>
    ram(acct, { action: 'DetachPolicyFromUser', params }, (c, m, rt) => c.detachPolicyFromUserWithOptions(req(m.DetachPolicyFromUserRequest, params), rt)),
  );
}

export async function listPoliciesForUser(acct: AccountClient, userName: string): Promise<AttachedPolicy[]> {
  const params = { UserName: userName };
  const res = await ram(acct, { action: 'ListPoliciesForUser', params }, (c, m, rt) => c.listPoliciesForUserWithOptions(req(m.ListPoliciesForUserRequest, params), rt));
  return (res.body?.policies?.policy ?? []).map(toAttached);
}

// ---- users and AccessKeys ----

type UserModel = { userName?: string; userId?: string; displayName?: string; comments?: string; createDate?: string; updateDate?: string };
const toUser = (u: UserModel | undefined, fallbackName: string): RamUser => ({
  userName: u?.userName ?? fallbackName, userId: u?.userId ?? '', displayName: u?.displayName ?? '', comments: u?.comments ?? '',
  createDate: u?.createDate, updateDate: u?.updateDate,
});

export async function getUser(acct: AccountClient, userName: string): Promise<RamUser | undefined> {
  return orUndefined('EntityNotExist.User', async () => {
    const params = { UserName: userName };
    const res = await ram(acct, { action: 'GetUser', params }, (c, m, rt) => c.getUserWithOptions(req(m.GetUserRequest, params), rt));
    return toUser(res.body?.user, userName);
  });
}

export interface CreateUserInput { userName: string; displayName?: string; comments?: string }

export async function createUser(acct: AccountClient, input: CreateUserInput): Promise<RamUser> {
  const params = { UserName: input.userName, DisplayName: input.displayName, Comments: input.comments };
  const res = await ram(acct, { action: 'CreateUser', params }, (c, m, rt) => c.createUserWithOptions(req(m.CreateUserRequest, params), rt));
  return toUser(res.body?.user ?? input, input.userName);
}

/** RAM refuses while the user has AccessKeys or policies: remove those first. False when the user did not exist. */
export async function deleteUser(acct: AccountClient, userName: string): Promise<boolean> {
  const params = { UserName: userName };
  return removed(['EntityNotExist.User'], () => ram(acct, { action: 'DeleteUser', params }, (c, m, rt) => c.deleteUserWithOptions(req(m.DeleteUserRequest, params), rt)));
}

export async function listAccessKeys(acct: AccountClient, userName: string): Promise<AccessKeyInfo[]> {
  const params = { UserName: userName };
  const res = await ram(acct, { action: 'ListAccessKeys', params }, (c, m, rt) => c.listAccessKeysWithOptions(req(m.ListAccessKeysRequest, params), rt));
  return (res.body?.accessKeys?.accessKey ?? []).map((k) => ({ accessKeyId: k.accessKeyId ?? '', status: k.status ?? '', createDate: k.createDate }));
}

/** A new AccessKey for a user (RAM allows two per user); the secret comes back registered for redaction and wrapped. */
export async function createAccessKey(acct: AccountClient, userName: string): Promise<NewAccessKey> {
  const params = { UserName: userName };
  const res = await ram(acct, { action: 'CreateAccessKey', params, retryOn: ['EntityNotExist.User'] }, (c, m, rt) =>
    c.createAccessKeyWithOptions(req(m.CreateAccessKeyRequest, params), rt),
  );
  const k = res.body?.accessKey;
  if (!k?.accessKeyId || !k.accessKeySecret) throw new Error(`CreateAccessKey for RAM user ${userName} answered without a key`);
  registerSecret(k.accessKeySecret);
  return { accessKeyId: k.accessKeyId, accessKeySecret: sensitive(k.accessKeySecret), status: k.status ?? 'Active', createDate: k.createDate };
}

/** False when the key (or the user) did not exist. */
export async function deleteAccessKey(acct: AccountClient, userName: string, accessKeyId: string): Promise<boolean> {
  const params = { UserName: userName, UserAccessKeyId: accessKeyId };
  return removed(['EntityNotExist.User.AccessKey', 'EntityNotExist.User'], () =>
    ram(acct, { action: 'DeleteAccessKey', params }, (c, m, rt) => c.deleteAccessKeyWithOptions(req(m.DeleteAccessKeyRequest, params), rt)),
  );
}
