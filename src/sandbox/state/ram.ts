// RAM state of one account (users, roles, custom policies with versions, attachments), the system policies,
// and the rules RAM enforces on them. The RAM handlers, the scenarios' seeds and the policy engine all go through here.
import { ApiError } from '../api.js';
import { parsePolicyDocument, type PolicyDocument } from '../policy.js';
import type { World } from '../world.js';

export type PolicyType = 'System' | 'Custom';

export interface RamUserRecord {
  userName: string;
  userId: string;
  displayName: string;
  comments: string;
  email: string;
  mobilePhone: string;
  createDate: string;
  updateDate: string;
}

export interface RamRoleRecord {
  roleName: string;
  roleId: string;
  arn: string;
  description: string;
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
  createDate: string;
  updateDate: string;
  tags: { Key: string; Value: string }[];
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  isDefaultVersion: boolean;
  createDate: string;
}

export interface CustomPolicyRecord {
  policyName: string;
  description: string;
  defaultVersion: string;
  versions: PolicyVersionRecord[];
  /** Version numbers are never reused, even after a version is deleted. */
  nextVersion: number;
  createDate: string;
  updateDate: string;
}

export interface AttachmentRecord {
  policyType: PolicyType;
  policyName: string;
  attachDate: string;
}

/** Keys are lower-cased names: RAM names are unique case-insensitively (a policy attached as AliyunOssFullAccess is AliyunOSSFullAccess). */
export interface RamSlice {
  users: Record<string, RamUserRecord>;
  roles: Record<string, RamRoleRecord>;
  policies: Record<string, CustomPolicyRecord>;
  userAttachments: Record<string, AttachmentRecord[]>;
  roleAttachments: Record<string, AttachmentRecord[]>;
}

export const ramState = (world: World, accountId: string): RamSlice =>
  world.slice<RamSlice>(accountId, 'ram', () => ({ users: {}, roles: {}, policies: {}, userAttachments: {}, roleAttachments: {} }));

const key = (name: string) => name.toLowerCase();

/** RAM's timestamps: ISO 8601 to the second, UTC (`2015-01-23T12:33:18Z`). */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A numeric ID in the style of RoleId/UserId (16 digits), unique through the world's counter. */
export function numericId(world: World): string {
  world.nextId('', 1);
  return `3${String(world.data.seq).padStart(15, '0')}`;
}

/** The resource ARN RAM authenticates its own actions on (`acs:ram:*:<uid>:role/<name>`, as RAM's API reference writes it). */
export const policyResourceArn = (accountId: string, kind: 'role' | 'user' | 'policy' | 'oidc-provider', name: string): string => `acs:ram:*:${accountId}:${kind}/${name}`;

// ---- system policies: the ones this project's setups use, with their published documents ----

export interface SystemPolicy {
  policyName: string;
  description: string;
  document: string;
}

const allow = (action: string | string[]) => JSON.stringify({ Version: '1', Statement: [{ Action: action, Effect: 'Allow', Resource: '*' }] });

export const SYSTEM_POLICIES: readonly SystemPolicy[] = [
  { policyName: 'AdministratorAccess', description: 'Provides full access to Alibaba Cloud services and resources.', document: allow('*') },
  { policyName: 'AliyunSTSAssumeRoleAccess', description: 'Provides access to assume RAM roles through Security Token Service (STS).', document: allow('sts:AssumeRole') },
  { policyName: 'AliyunContainerRegistryFullAccess', description: 'Provides full access to Container Registry (CR).', document: allow('cr:*') },
  { policyName: 'AliyunContainerRegistryReadOnlyAccess', description: 'Provides read-only access to Container Registry (CR).', document: allow(['cr:Get*', 'cr:List*', 'cr:PullRepository']) },
  { policyName: 'AliyunRAMFullAccess', description: 'Provides full access to Resource Access Management (RAM).', document: allow('ram:*') },
  { policyName: 'AliyunRAMReadOnlyAccess', description: 'Provides read-only access to Resource Access Management (RAM).', document: allow(['ram:Get*', 'ram:List*']) },
  { policyName: 'AliyunVPCFullAccess', description: 'Provides full access to Virtual Private Cloud (VPC).', document: allow('vpc:*') },
  { policyName: 'AliyunCENFullAccess', description: 'Provides full access to Cloud Enterprise Network (CEN).', document: allow('cen:*') },
  { policyName: 'AliyunPvtzFullAccess', description: 'Provides full access to Alibaba Cloud DNS PrivateZone.', document: allow('pvtz:*') },
  { policyName: 'AliyunCSFullAccess', description: 'Provides full access to Container Service for Kubernetes (ACK).', document: allow('cs:*') },
  { policyName: 'AliyunECSFullAccess', description: 'Provides full access to Elastic Compute Service (ECS).', document: allow('ecs:*') },
];
const SYSTEM_EPOCH = '2015-04-28T16:00:00Z';

export const systemPolicy = (name: string): SystemPolicy | undefined => SYSTEM_POLICIES.find((p) => key(p.policyName) === key(name));

// ---- lookups ----

export function findUser(world: World, accountId: string, userName: string): RamUserRecord | undefined {
  return world.data.accounts[accountId] ? ramState(world, accountId).users[key(userName)] : undefined;
}

export function findRole(world: World, accountId: string, roleName: string): RamRoleRecord | undefined {
  return world.data.accounts[accountId] ? ramState(world, accountId).roles[key(roleName)] : undefined;
}

/** `acs:ram::<uid>:role/<name>` split, or undefined when the ARN is not a role ARN. */
export function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const m = /^acs:ram::(\d+):role\/([^/]+)$/.exec(arn);
  return m ? { accountId: m[1]!, roleName: m[2]! } : undefined;
}

export function roleByArn(world: World, arn: string): { accountId: string; role: RamRoleRecord } | undefined {
  const parsed = parseRoleArn(arn);
  const role = parsed && findRole(world, parsed.accountId, parsed.roleName);
  return parsed && role ? { accountId: parsed.accountId, role } : undefined;
}

/** A policy of either type as RAM shows it (System ones are global; Custom ones per account). */
export interface PolicyView {
  policyType: PolicyType;
  policyName: string;
  description: string;
  defaultVersion: string;
  versions: PolicyVersionRecord[];
  createDate: string;
  updateDate: string;
}

export function findPolicy(world: World, accountId: string, policyType: PolicyType, policyName: string): PolicyView | undefined {
  if (policyType === 'System') {
    const p = systemPolicy(policyName);
    if (!p) return undefined;
    const version = { versionId: 'v1', document: p.document, isDefaultVersion: true, createDate: SYSTEM_EPOCH };
    return { policyType, policyName: p.policyName, description: p.description, defaultVersion: 'v1', versions: [version], createDate: SYSTEM_EPOCH, updateDate: SYSTEM_EPOCH };
  }
  const p = world.data.accounts[accountId] ? ramState(world, accountId).policies[key(policyName)] : undefined;
  return p && { policyType, ...p };
}

export function mustFindPolicy(world: World, accountId: string, policyType: PolicyType, policyName: string): PolicyView {
  const p = findPolicy(world, accountId, policyType, policyName);
  if (!p) throw new ApiError('EntityNotExist.Policy', 'The policy does not exist.', 404);
  return p;
}

export function mustFindRole(world: World, accountId: string, roleName: string): RamRoleRecord {
  const r = findRole(world, accountId, roleName);
  if (!r) throw new ApiError('EntityNotExist.Role', 'The role does not exist.', 404);
  return r;
}

export function mustFindUser(world: World, accountId: string, userName: string): RamUserRecord {
  const u = findUser(world, accountId, userName);
  if (!u) throw new ApiError('EntityNotExist.User', 'The user does not exist.', 404);
  return u;
}

export type EntityKind = 'user' | 'role';

export function attachmentsOf(world: World, accountId: string, kind: EntityKind, name: string): AttachmentRecord[] {
  const s = ramState(world, accountId);
  const table = kind === 'user' ? s.userAttachments : s.roleAttachments;
  return table[key(name)] ?? [];
}

/** The default-version documents of every policy attached to a user or role (what RAM evaluates for it). */
export function attachedDocuments(world: World, accountId: string, kind: EntityKind, name: string): PolicyDocument[] {
  if (!world.data.accounts[accountId]) return [];
  if (kind === 'user' ? !findUser(world, accountId, name) : !findRole(world, accountId, name)) return [];
  return attachmentsOf(world, accountId, kind, name).flatMap((a) => {
    const p = findPolicy(world, accountId, a.policyType, a.policyName);
    const v = p?.versions.find((x) => x.versionId === p.defaultVersion);
    return v ? [parsePolicyDocument(v.document, 'permission')] : [];
  });
}

/** Every user and role of the account the policy is attached to. */
export function entitiesFor(world: World, accountId: string, policyType: PolicyType, policyName: string): { kind: EntityKind; name: string; attachDate: string }[] {
  const s = ramState(world, accountId);
  const out: { kind: EntityKind; name: string; attachDate: string }[] = [];
  const scan = (kind: EntityKind, table: Record<string, AttachmentRecord[]>, names: Record<string, { userName?: string; roleName?: string }>) => {
    for (const [k, list] of Object.entries(table)) {
      const hit = list.find((a) => a.policyType === policyType && key(a.policyName) === key(policyName));
      const entity = names[k];
      if (hit && entity) out.push({ kind, name: (entity.userName ?? entity.roleName)!, attachDate: hit.attachDate });
    }
  };
  scan('user', s.userAttachments, s.users);
  scan('role', s.roleAttachments, s.roles);
  return out;
}

// ---- validation ----

/** RAM's own name rules and codes (InvalidParameter.<Name>.InvalidChars / .Length). */
export function checkName(param: string, value: string, max: number, chars: RegExp): void {
  if (value.length < 1 || value.length > max) throw new ApiError(`InvalidParameter.${param}.Length`, `The parameter - "${param}" beyond the length limit.`, 400);
  if (!chars.test(value)) throw new ApiError(`InvalidParameter.${param}.InvalidChars`, `The parameter - "${param}" contains invalid chars.`, 400);
}

export const ROLE_NAME = /^[A-Za-z0-9.-]+$/;
export const USER_NAME = /^[A-Za-z0-9._@-]+$/;
export const POLICY_NAME = /^[A-Za-z0-9-]+$/;

export function checkLength(param: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max) throw new ApiError(`InvalidParameter.${param}.Length`, `The parameter - "${param}" beyond the length limit.`, 400);
}

export function checkMaxSessionDuration(value: number | undefined): void {
  // Assumed code; the range 3600..43200 is documented for CreateRole/UpdateRole.
  if (value !== undefined && (!Number.isInteger(value) || value < 3600 || value > 43200)) {
    throw new ApiError('InvalidParameter.MaxSessionDuration', 'The parameter - "MaxSessionDuration" MUST be in the range of 3600 and 43200.', 400);
  }
}

/** Policy documents: at most 6,144 characters (CreatePolicy/CreatePolicyVersion), then RAM's grammar. */
export function checkPolicyDocument(raw: string): void {
  if (raw.length > 6144) throw new ApiError('InvalidParameter.PolicyDocument.Length', 'The parameter - "PolicyDocument" beyond the length limit.', 400);
  parsePolicyDocument(raw, 'permission');
}

/** Trust policies: the grammar plus a Principal in every statement; 2,048 characters as the older RAM reference states (assumed still). */
export function checkTrustPolicy(param: string, raw: string): void {
  if (raw.length > 2048) throw new ApiError(`InvalidParameter.${param}.Length`, `The parameter - "${param}" beyond the length limit.`, 400);
  parsePolicyDocument(raw, 'trust');
}

// ---- writes shared by the handlers and the seeds ----

export interface NewRole {
  roleName: string;
  /** The trust policy, as a document or its JSON text. */
  trustPolicy: string | PolicyDocument;
  description?: string;
  maxSessionDuration?: number;
  tags?: { Key: string; Value: string }[];
}

export function createRole(world: World, accountId: string, input: NewRole): RamRoleRecord {
  checkName('RoleName', input.roleName, 64, ROLE_NAME);
  checkLength('Description', input.description, 1024);
  const doc = typeof input.trustPolicy === 'string' ? input.trustPolicy : JSON.stringify(input.trustPolicy);
  checkTrustPolicy('AssumeRolePolicyDocument', doc);
  checkMaxSessionDuration(input.maxSessionDuration);
  const s = ramState(world, accountId);
  if (s.roles[key(input.roleName)]) throw new ApiError('EntityAlreadyExists.Role', 'The role does already EXIST.', 409);
  const now = isoSeconds(world.data.nowMs);
  const role: RamRoleRecord = {
    roleName: input.roleName,
    roleId: numericId(world),
    // RAM keeps the name's case in the role's own ARN (CreateRole/GetRole reference examples: role/ECSAdmin).
    arn: `acs:ram::${accountId}:role/${input.roleName}`,
    description: input.description ?? '',
    assumeRolePolicyDocument: doc,
    maxSessionDuration: input.maxSessionDuration ?? 3600,
    createDate: now,
    updateDate: now,
    tags: input.tags ?? [],
  };
  s.roles[key(input.roleName)] = role;
  return role;
}

export function createUser(world: World, accountId: string, input: { userName: string; displayName?: string; comments?: string; email?: string; mobilePhone?: string }): RamUserRecord {
  checkName('UserName', input.userName, 64, USER_NAME);
  checkLength('DisplayName', input.displayName, 128);
  checkLength('Comments', input.comments, 128);
  const s = ramState(world, accountId);
  if (s.users[key(input.userName)]) throw new ApiError('EntityAlreadyExists.User', 'The user does already EXIST.', 409);
  const now = isoSeconds(world.data.nowMs);
  const user: RamUserRecord = {
    userName: input.userName,
    userId: numericId(world),
    displayName: input.displayName ?? input.userName,
    comments: input.comments ?? '',
    email: input.email ?? '',
    mobilePhone: input.mobilePhone ?? '',
    createDate: now,
    updateDate: now,
  };
  s.users[key(input.userName)] = user;
  return user;
}

export function createPolicy(world: World, accountId: string, input: { policyName: string; document: string | PolicyDocument; description?: string }): CustomPolicyRecord {
  checkName('PolicyName', input.policyName, 128, POLICY_NAME);
  checkLength('Description', input.description, 1024);
  const doc = typeof input.document === 'string' ? input.document : JSON.stringify(input.document);
  checkPolicyDocument(doc);
  const s = ramState(world, accountId);
  // A custom policy cannot take a system policy's name either (assumed: the names share one namespace when attaching by name).
  if (s.policies[key(input.policyName)] || systemPolicy(input.policyName)) throw new ApiError('EntityAlreadyExists.Policy', 'The policy does already EXIST.', 409);
  const now = isoSeconds(world.data.nowMs);
  const policy: CustomPolicyRecord = {
    policyName: input.policyName,
    description: input.description ?? '',
    defaultVersion: 'v1',
    versions: [{ versionId: 'v1', document: doc, isDefaultVersion: true, createDate: now }],
    nextVersion: 2,
    createDate: now,
    updateDate: now,
  };
  s.policies[key(input.policyName)] = policy;
  return policy;
}

export const MAX_POLICY_VERSIONS = 5;

export function createPolicyVersion(world: World, accountId: string, policyName: string, document: string, options: { setAsDefault?: boolean; rotate?: boolean } = {}): PolicyVersionRecord {
  const policy = ramState(world, accountId).policies[key(policyName)];
  if (!policy) throw new ApiError('EntityNotExist.Policy', 'The policy does not exist.', 404);
  checkPolicyDocument(document);
  if (policy.versions.length >= MAX_POLICY_VERSIONS) {
    const oldest = policy.versions.find((v) => !v.isDefaultVersion);
    if (!options.rotate || !oldest) throw new ApiError('LimitExceeded.Policy.Version', 'The count of policy version beyond the current limits.', 409);
    policy.versions = policy.versions.filter((v) => v !== oldest);
  }
  const now = isoSeconds(world.data.nowMs);
  const version: PolicyVersionRecord = { versionId: `v${policy.nextVersion}`, document, isDefaultVersion: false, createDate: now };
  policy.nextVersion += 1;
  policy.versions.push(version);
  if (options.setAsDefault) {
    for (const v of policy.versions) v.isDefaultVersion = v === version;
    policy.defaultVersion = version.versionId;
  }
  policy.updateDate = now;
  return version;
}

/** Attaches a policy to a user or role; RAM refuses a second attachment of the same policy. */
export function attachPolicy(world: World, accountId: string, kind: EntityKind, name: string, policyType: PolicyType, policyName: string): void {
  if (kind === 'user') mustFindUser(world, accountId, name);
  else mustFindRole(world, accountId, name);
  const policy = mustFindPolicy(world, accountId, policyType, policyName);
  const s = ramState(world, accountId);
  const table = kind === 'user' ? s.userAttachments : s.roleAttachments;
  const list = (table[key(name)] ??= []);
  if (list.some((a) => a.policyType === policyType && key(a.policyName) === key(policy.policyName))) {
    throw kind === 'user'
      ? new ApiError('EntityAlreadyExists.User.Policy', 'The user has already been attached this policy.', 409)
      : new ApiError('EntityAlreadyExists.Role.Policy', 'The policy has already been attached to the role.', 409);
  }
  list.push({ policyType, policyName: policy.policyName, attachDate: isoSeconds(world.data.nowMs) });
}

export function detachPolicy(world: World, accountId: string, kind: EntityKind, name: string, policyType: PolicyType, policyName: string): void {
  if (kind === 'user') mustFindUser(world, accountId, name);
  else mustFindRole(world, accountId, name);
  mustFindPolicy(world, accountId, policyType, policyName);
  const s = ramState(world, accountId);
  const table = kind === 'user' ? s.userAttachments : s.roleAttachments;
  const list = table[key(name)] ?? [];
  const index = list.findIndex((a) => a.policyType === policyType && key(a.policyName) === key(policyName));
  if (index < 0) {
    throw kind === 'user'
      ? new ApiError('EntityNotExist.User.Policy', 'The indicate policy of the user does not exist.', 404)
      : new ApiError('EntityNotExist.Role.Policy', 'The indicate policy of the role does not exist.', 404);
  }
  list.splice(index, 1);
}

// ---- seeds for scenarios and other parts of the sandbox (same rules as the API) ----

/** A role with its trust policy and optional attached policies (`System:Name` or a custom policy name). */
export function seedRole(world: World, accountId: string, input: NewRole & { policies?: { policyType: PolicyType; policyName: string }[] }): RamRoleRecord {
  const role = createRole(world, accountId, input);
  for (const p of input.policies ?? []) attachPolicy(world, accountId, 'role', role.roleName, p.policyType, p.policyName);
  return role;
}

export function seedUser(world: World, accountId: string, input: { userName: string; policies?: { policyType: PolicyType; policyName: string }[] }): RamUserRecord {
  const user = createUser(world, accountId, { userName: input.userName });
  for (const p of input.policies ?? []) attachPolicy(world, accountId, 'user', user.userName, p.policyType, p.policyName);
  return user;
}

export function seedCustomPolicy(world: World, accountId: string, input: { policyName: string; document: string | PolicyDocument; description?: string }): CustomPolicyRecord {
  return createPolicy(world, accountId, input);
}
