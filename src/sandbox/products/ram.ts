// RAM: roles and trust policies, custom policies and versions, attachments, users and their AccessKeys — the
// 25 APIs of api-spec/ram.json with RAM's rules and codes (state and rules in ../state/ram.ts).
import { ApiError, type CallContext, type ProductModule, type RpcHandler } from '../api.js';
import { missingParameter } from '../spec.js';
import {
  attachmentsOf,
  attachPolicy,
  checkLength,
  checkMaxSessionDuration,
  checkTrustPolicy,
  createPolicy,
  createPolicyVersion,
  createRole,
  createUser,
  detachPolicy,
  entitiesFor,
  findPolicy,
  findRole,
  findUser,
  isoSeconds,
  mustFindPolicy,
  mustFindRole,
  mustFindUser,
  ramState,
  type PolicyType,
  type PolicyVersionRecord,
  type RamRoleRecord,
  type RamUserRecord,
} from '../state/ram.js';

type Params = Record<string, any>;

/** Parameters RAM requires although the metadata marks none required (the API reference's own "required" column). */
function need(p: Params, name: string): string {
  if (typeof p[name] !== 'string' || p[name] === '') throw missingParameter(name);
  return p[name];
}

function policyType(p: Params): PolicyType {
  const t = need(p, 'PolicyType');
  if (t !== 'System' && t !== 'Custom') throw new ApiError('InvalidParameter.PolicyType', 'The parameter - "PolicyType" is incorrect.', 400);
  return t;
}

const lower = (s: string) => s.toLowerCase();

const roleView = (r: RamRoleRecord, withUpdate = true) => ({
  RoleName: r.roleName,
  RoleId: r.roleId,
  Arn: r.arn,
  Description: r.description,
  AssumeRolePolicyDocument: r.assumeRolePolicyDocument,
  MaxSessionDuration: r.maxSessionDuration,
  CreateDate: r.createDate,
  ...(withUpdate ? { UpdateDate: r.updateDate } : {}),
});

const userView = (u: RamUserRecord, withUpdate = true) => ({
  UserName: u.userName,
  UserId: u.userId,
  DisplayName: u.displayName,
  Comments: u.comments,
  Email: u.email || undefined,
  MobilePhone: u.mobilePhone || undefined,
  CreateDate: u.createDate,
  ...(withUpdate ? { UpdateDate: u.updateDate } : {}),
});

const versionView = (v: PolicyVersionRecord) => ({ VersionId: v.versionId, IsDefaultVersion: v.isDefaultVersion, PolicyDocument: v.document, CreateDate: v.createDate });

const attachedView = (world: CallContext['world'], accountId: string, kind: 'user' | 'role', name: string) => ({
  Policies: {
    Policy: attachmentsOf(world, accountId, kind, name).map((a) => {
      const p = findPolicy(world, accountId, a.policyType, a.policyName);
      return { PolicyName: a.policyName, PolicyType: a.policyType, Description: p?.description ?? '', DefaultVersion: p?.defaultVersion ?? 'v1', AttachDate: a.attachDate };
    }),
  },
});

/** The RAM user an AccessKey call is about: the named one, or the calling RAM user itself. */
function keyOwner(ctx: CallContext, p: Params): RamUserRecord {
  const name = typeof p.UserName === 'string' && p.UserName !== '' ? p.UserName : ctx.caller.type === 'user' ? ctx.caller.userName : undefined;
  if (!name) throw missingParameter('UserName');
  return mustFindUser(ctx.world, ctx.caller.accountId, name);
}

function keysOf(ctx: CallContext, userName: string) {
  return Object.entries(ctx.world.data.accessKeys).filter(([, k]) => k.accountId === ctx.caller.accountId && k.userName !== undefined && lower(k.userName) === lower(userName));
}

const MAX_ACCESS_KEYS = 2;

const roles: Record<string, RpcHandler> = {
  CreateRole: ({ world, caller }, p) => {
    const tags = (p.Tag as { Key?: string; Value?: string }[] | undefined)?.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
    const role = createRole(world, caller.accountId, {
      roleName: need(p, 'RoleName'),
      trustPolicy: need(p, 'AssumeRolePolicyDocument'),
      description: p.Description,
      maxSessionDuration: p.MaxSessionDuration,
      tags,
    });
    return { Role: roleView(role, false) };
  },

  GetRole: ({ world, caller }, p) => ({ Role: roleView(mustFindRole(world, caller.accountId, need(p, 'RoleName'))) }),

  UpdateRole: ({ world, caller }, p) => {
    const role = mustFindRole(world, caller.accountId, need(p, 'RoleName'));
    if (p.NewAssumeRolePolicyDocument !== undefined) checkTrustPolicy('NewAssumeRolePolicyDocument', p.NewAssumeRolePolicyDocument);
    checkMaxSessionDuration(p.NewMaxSessionDuration);
    checkLength('NewDescription', p.NewDescription, 1024);
    if (p.NewAssumeRolePolicyDocument !== undefined) role.assumeRolePolicyDocument = p.NewAssumeRolePolicyDocument;
    if (p.NewMaxSessionDuration !== undefined) role.maxSessionDuration = p.NewMaxSessionDuration;
    if (p.NewDescription !== undefined) role.description = p.NewDescription;
    role.updateDate = isoSeconds(world.data.nowMs);
    return { Role: roleView(role) };
  },

  DeleteRole: ({ world, caller }, p) => {
    const role = mustFindRole(world, caller.accountId, need(p, 'RoleName'));
    if (attachmentsOf(world, caller.accountId, 'role', role.roleName).length > 0) {
      throw new ApiError('DeleteConflict.Role.Policy', 'The role CAN NOT has any attached policy while deleting the role.', 409);
    }
    const s = ramState(world, caller.accountId);
    delete s.roles[lower(role.roleName)];
    delete s.roleAttachments[lower(role.roleName)];
    return {};
  },

  ListRoles: ({ world, caller }, p) => {
    const max = p.MaxItems ?? 100;
    if (!Number.isInteger(max) || max < 1 || max > 1000) throw new ApiError('InvalidParameter.MaxItems', 'The parameter - "MaxItems" MUST be in the range of 1 and 1000.', 400);
    const wanted = (p.Tag as { Key?: string; Value?: string }[] | undefined) ?? [];
    const all = Object.values(ramState(world, caller.accountId).roles).filter((r) =>
      wanted.every((t) => r.tags.some((have) => have.Key === t.Key && (t.Value === undefined || have.Value === t.Value))),
    );
    // The Marker is opaque to clients; here it is the offset of the next page.
    const start = p.Marker ? Number(Buffer.from(String(p.Marker), 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0) throw new ApiError('InvalidParameter.Marker', 'The parameter - "Marker" is invalid.', 400);
    const truncated = start + max < all.length;
    return {
      IsTruncated: truncated,
      ...(truncated ? { Marker: Buffer.from(String(start + max)).toString('base64url') } : {}),
      Roles: {
        Role: all.slice(start, start + max).map((r) => {
          const { AssumeRolePolicyDocument: _trust, ...rest } = roleView(r);
          return { ...rest, Tags: { Tag: r.tags.map((t) => ({ TagKey: t.Key, TagValue: t.Value })) } };
        }),
      },
    };
  },

  AttachPolicyToRole: ({ world, caller }, p) => {
    attachPolicy(world, caller.accountId, 'role', need(p, 'RoleName'), policyType(p), need(p, 'PolicyName'));
    return {};
  },

  DetachPolicyFromRole: ({ world, caller }, p) => {
    detachPolicy(world, caller.accountId, 'role', need(p, 'RoleName'), policyType(p), need(p, 'PolicyName'));
    return {};
  },

  ListPoliciesForRole: ({ world, caller }, p) => attachedView(world, caller.accountId, 'role', mustFindRole(world, caller.accountId, need(p, 'RoleName')).roleName),
};

const policies: Record<string, RpcHandler> = {
  CreatePolicy: ({ world, caller }, p) => {
    const policy = createPolicy(world, caller.accountId, { policyName: need(p, 'PolicyName'), document: need(p, 'PolicyDocument'), description: p.Description });
    return { Policy: { PolicyName: policy.policyName, PolicyType: 'Custom', Description: policy.description, DefaultVersion: policy.defaultVersion, CreateDate: policy.createDate } };
  },

  GetPolicy: ({ world, caller }, p) => {
    const policy = mustFindPolicy(world, caller.accountId, policyType(p), need(p, 'PolicyName'));
    const current = policy.versions.find((v) => v.versionId === policy.defaultVersion)!;
    return {
      Policy: {
        PolicyName: policy.policyName,
        PolicyType: policy.policyType,
        Description: policy.description,
        DefaultVersion: policy.defaultVersion,
        AttachmentCount: entitiesFor(world, caller.accountId, policy.policyType, policy.policyName).length,
        CreateDate: policy.createDate,
        UpdateDate: policy.updateDate,
      },
      DefaultPolicyVersion: versionView(current),
    };
  },

  DeletePolicy: ({ world, caller }, p) => {
    const name = need(p, 'PolicyName');
    const policy = mustFindPolicy(world, caller.accountId, 'Custom', name);
    const attached = entitiesFor(world, caller.accountId, 'Custom', policy.policyName);
    if (attached.some((e) => e.kind === 'user')) throw new ApiError('DeleteConflict.Policy.User', 'The policy CAN NOT been attached to any user while deleting the policy.', 409);
    // Role attachments: the code terraform-provider-alicloud retries DeletePolicy on (DeleteConflict.Role.Policy).
    if (attached.length > 0) throw new ApiError('DeleteConflict.Role.Policy', 'The policy CAN NOT been attached to any role while deleting the policy.', 409);
    // CascadingDelete deletes the non-default versions; it does not detach (the parameter's documented meaning).
    if (policy.versions.length > 1 && p.CascadingDelete !== true) {
      throw new ApiError('DeleteConflict.Policy.Version', 'The policy CAN NOT has any version except the default version.', 409);
    }
    delete ramState(world, caller.accountId).policies[lower(policy.policyName)];
    return {};
  },

  CreatePolicyVersion: ({ world, caller }, p) => {
    const rotate = p.RotateStrategy ?? 'None';
    if (rotate !== 'None' && rotate !== 'DeleteOldestNonDefaultVersionWhenLimitExceeded') {
      throw new ApiError('InvalidParameter.RotateStrategy', 'The parameter - "RotateStrategy" is incorrect.', 400);
    }
    const version = createPolicyVersion(world, caller.accountId, need(p, 'PolicyName'), need(p, 'PolicyDocument'), {
      setAsDefault: p.SetAsDefault === true,
      rotate: rotate !== 'None',
    });
    return { PolicyVersion: versionView(version) };
  },

  GetPolicyVersion: ({ world, caller }, p) => {
    const policy = mustFindPolicy(world, caller.accountId, policyType(p), need(p, 'PolicyName'));
    return { PolicyVersion: versionView(findVersion(policy.versions, need(p, 'VersionId'))) };
  },

  ListPolicyVersions: ({ world, caller }, p) => {
    const policy = mustFindPolicy(world, caller.accountId, policyType(p), need(p, 'PolicyName'));
    return { PolicyVersions: { PolicyVersion: policy.versions.map(versionView) } };
  },

  DeletePolicyVersion: ({ world, caller }, p) => {
    const policy = ramState(world, caller.accountId).policies[lower(need(p, 'PolicyName'))];
    if (!policy) throw new ApiError('EntityNotExist.Policy', 'The policy does not exist.', 404);
    const version = findVersion(policy.versions, need(p, 'VersionId'));
    if (version.isDefaultVersion) throw new ApiError('DeleteConflict.Policy.Version.Default', 'The default policy version CAN NOT been deleted directly.', 409);
    policy.versions = policy.versions.filter((v) => v !== version);
    return {};
  },

  ListEntitiesForPolicy: ({ world, caller }, p) => {
    const policy = mustFindPolicy(world, caller.accountId, policyType(p), need(p, 'PolicyName'));
    const entities = entitiesFor(world, caller.accountId, policy.policyType, policy.policyName);
    const roleOf = (name: string) => findRole(world, caller.accountId, name)!;
    const userOf = (name: string) => findUser(world, caller.accountId, name)!;
    return {
      Groups: { Group: [] },
      Roles: {
        Role: entities.filter((e) => e.kind === 'role').map((e) => {
          const r = roleOf(e.name);
          return { RoleName: r.roleName, RoleId: r.roleId, Arn: r.arn, Description: r.description, AttachDate: e.attachDate };
        }),
      },
      Users: {
        User: entities.filter((e) => e.kind === 'user').map((e) => {
          const u = userOf(e.name);
          return { UserName: u.userName, UserId: u.userId, DisplayName: u.displayName, AttachDate: e.attachDate };
        }),
      },
    };
  },
};

function findVersion(versions: PolicyVersionRecord[], versionId: string): PolicyVersionRecord {
  if (!/^v\d+$/.test(versionId)) throw new ApiError('InvalidParameter.VersionId.Format', 'The format of the parameter - "VersionId" is incorrect.', 400);
  const version = versions.find((v) => v.versionId === versionId);
  if (!version) throw new ApiError('EntityNotExist.Policy.Version', 'The policy version does not exist.', 404);
  return version;
}

const users: Record<string, RpcHandler> = {
  CreateUser: ({ world, caller }, p) => {
    const user = createUser(world, caller.accountId, { userName: need(p, 'UserName'), displayName: p.DisplayName, comments: p.Comments, email: p.Email, mobilePhone: p.MobilePhone });
    return { User: userView(user, false) };
  },

  GetUser: ({ world, caller }, p) => ({ User: userView(mustFindUser(world, caller.accountId, need(p, 'UserName'))) }),

  DeleteUser: (ctx, p) => {
    const { world, caller } = ctx;
    const user = mustFindUser(world, caller.accountId, need(p, 'UserName'));
    if (keysOf(ctx, user.userName).length > 0) throw new ApiError('DeleteConflict.User.AccessKey', 'The user CAN NOT has any access key while deleting the user.', 409);
    if (attachmentsOf(world, caller.accountId, 'user', user.userName).length > 0) {
      throw new ApiError('DeleteConflict.User.Policy', 'The user CAN NOT has any attached policy while deleting the user.', 409);
    }
    const s = ramState(world, caller.accountId);
    delete s.users[lower(user.userName)];
    delete s.userAttachments[lower(user.userName)];
    return {};
  },

  AttachPolicyToUser: ({ world, caller }, p) => {
    attachPolicy(world, caller.accountId, 'user', need(p, 'UserName'), policyType(p), need(p, 'PolicyName'));
    return {};
  },

  DetachPolicyFromUser: ({ world, caller }, p) => {
    detachPolicy(world, caller.accountId, 'user', need(p, 'UserName'), policyType(p), need(p, 'PolicyName'));
    return {};
  },

  ListPoliciesForUser: ({ world, caller }, p) => attachedView(world, caller.accountId, 'user', mustFindUser(world, caller.accountId, need(p, 'UserName')).userName),

  CreateAccessKey: (ctx, p) => {
    const user = keyOwner(ctx, p);
    if (keysOf(ctx, user.userName).length >= MAX_ACCESS_KEYS) {
      throw new ApiError('LimitExceeded.User.AccessKey', 'The access key count of the user access keys beyond the current limits.', 409);
    }
    // Registered in the world at once, so the new key signs requests to the sandbox straight away.
    const { accessKeyId, secret } = ctx.world.addAccessKey(ctx.caller.accountId, user.userName);
    const createdAt = ctx.world.data.accessKeys[accessKeyId]!.createdAt;
    return { AccessKey: { AccessKeyId: accessKeyId, AccessKeySecret: secret, Status: 'Active', CreateDate: isoSeconds(Date.parse(createdAt)) } };
  },

  ListAccessKeys: (ctx, p) => {
    const user = keyOwner(ctx, p);
    return {
      AccessKeys: {
        AccessKey: keysOf(ctx, user.userName).map(([id, k]) => ({ AccessKeyId: id, Status: k.status, CreateDate: isoSeconds(Date.parse(k.createdAt)) })),
      },
    };
  },

  DeleteAccessKey: (ctx, p) => {
    const user = keyOwner(ctx, p);
    const id = need(p, 'UserAccessKeyId');
    if (!keysOf(ctx, user.userName).some(([keyId]) => keyId === id)) throw new ApiError('EntityNotExist.User.AccessKey', 'The user access key does not exist.', 404);
    delete ctx.world.data.accessKeys[id];
    return {};
  },
};

export const ram: ProductModule = { product: 'ram', rpc: { ...roles, ...policies, ...users } };
