// cr handlers for what lives inside an instance: namespaces, repositories and tags; temporary logins and the
// login password; storage domain routing rules (allow-list only); and the account-level counts and regions.
import { createHash, randomBytes } from 'node:crypto';

import { ApiError, type RpcHandler } from '../api.js';
import { registryDomain, type CrInstanceRecord, type CrNamespaceRecord, type CrRepositoryRecord, type StorageRouteRecord } from '../state/cr.js';
import { REGISTRY_TEMP_USERNAME } from '../state/cr-facts.js';
import { loadSpecs } from '../spec.js';
import type { World } from '../world.js';
import { CR_CODES, CrFailure, crHandler, instanceOf, matches, ok, page } from './cr-common.js';

/** A temporary password lasts one hour, or as long as the caller's STS token if that ends sooner (API docs). */
const TOKEN_TTL_MS = 3_600_000;
/** Kept temporary logins per instance (enough for the helper and the verify step, small enough for the state file). */
const KEPT_TOKENS = 10;

function namespaceView(instance: CrInstanceRecord, n: CrNamespaceRecord) {
  return {
    NamespaceId: n.namespaceId,
    NamespaceName: n.name,
    NamespaceStatus: 'NORMAL',
    AutoCreateRepo: n.autoCreateRepo,
    DefaultRepoType: n.defaultRepoType,
    InstanceId: instance.instanceId,
    ResourceGroupId: instance.resourceGroupId,
    DefaultRepoConfiguration: { RepoType: n.defaultRepoType, TagImmutability: false },
  };
}

function repositoryView(instance: CrInstanceRecord, r: CrRepositoryRecord) {
  return {
    RepoId: r.repoId,
    RepoName: r.name,
    RepoNamespaceName: r.namespace,
    RepoType: r.repoType,
    RepoStatus: 'NORMAL',
    RepoBuildType: 'MANUAL',
    Summary: r.summary,
    TagImmutability: false,
    CreateTime: r.createdAtMs,
    ModifiedTime: r.modifiedAtMs,
    InstanceId: instance.instanceId,
    ResourceGroupId: instance.resourceGroupId,
  };
}

function repositoryOf(instance: CrInstanceRecord, p: Record<string, any>): CrRepositoryRecord {
  let repo: CrRepositoryRecord | undefined;
  if (p.RepoId) repo = instance.repositories[String(p.RepoId)];
  else if (p.RepoNamespaceName && p.RepoName) repo = Object.values(instance.repositories).find((r) => r.namespace === p.RepoNamespaceName && r.name === p.RepoName);
  else throw new CrFailure(CR_CODES.paramInvalid);
  if (!repo) throw new CrFailure(CR_CODES.repoNotFound);
  return repo;
}

/** Documented rule: 8 to 32 characters with at least two of letters, digits and special characters. */
function passwordAcceptable(password: string): boolean {
  if (password.length < 8 || password.length > 32) return false;
  const kinds = [/[A-Za-z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(password)).length;
  return kinds >= 2;
}

/** When the caller's STS token ends (an assumed-role caller), else undefined. */
function stsExpiry(world: World, accessKeyId: string): number | undefined {
  const sessions = (world.data.shared.sts as { sessions?: Record<string, { expiresMs: number }> } | undefined)?.sessions;
  return sessions?.[accessKeyId]?.expiresMs;
}

const repoHandlers: Record<string, RpcHandler> = {
  ListNamespace: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    const all = Object.values(instance.namespaces)
      .filter((n) => matches(n.name, p.NamespaceName) && (p.NamespaceStatus ? p.NamespaceStatus === 'NORMAL' : true))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { items, pageNo, pageSize } = page(all, p);
    return ok({ PageNo: pageNo, PageSize: pageSize, TotalCount: String(all.length), Namespaces: items.map((n) => namespaceView(instance, n)) });
  },

  GetNamespace: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    if (!p.NamespaceName && !p.NamespaceId) throw new CrFailure(CR_CODES.paramInvalid);
    const ns = Object.values(instance.namespaces).find((n) => (p.NamespaceId ? n.namespaceId === p.NamespaceId : n.name === p.NamespaceName));
    if (!ns) throw new CrFailure(CR_CODES.namespaceNotFound);
    return ok(namespaceView(instance, ns));
  },

  ListRepository: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    const status = p.RepoStatus === undefined || p.RepoStatus === 'ALL' || p.RepoStatus === 'NORMAL';
    const all = Object.values(instance.repositories)
      .filter((r) => status && (p.RepoNamespaceName ? r.namespace === p.RepoNamespaceName : true) && matches(r.name, p.RepoName))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
    const { items, pageNo, pageSize } = page(all, p);
    return ok({ PageNo: pageNo, PageSize: pageSize, TotalCount: String(all.length), Repositories: items.map((r) => repositoryView(instance, r)) });
  },

  GetRepository: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    const repo = repositoryOf(instance, p);
    return ok({ ...repositoryView(instance, repo), Detail: '' });
  },

  ListRepoTag: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    const repo = repositoryOf(instance, { RepoId: p.RepoId });
    const all = [...repo.tags].sort((a, b) => b.updatedAtMs - a.updatedAtMs);
    const { items, pageNo, pageSize } = page(all, p);
    return ok({
      PageNo: pageNo,
      PageSize: pageSize,
      TotalCount: String(all.length),
      Images: items.map((t) => ({
        Tag: t.tag,
        Digest: t.digest,
        ImageId: t.imageId,
        ImageSize: t.sizeBytes,
        Status: 'NORMAL',
        ImageCreate: String(t.createdAtMs),
        ImageUpdate: String(t.updatedAtMs),
      })),
    });
  },

  GetAuthorizationToken: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    const now = ctx.world.data.nowMs;
    const expiresAtMs = Math.min(now + TOKEN_TTL_MS, stsExpiry(ctx.world, ctx.caller.accessKeyId) ?? Infinity);
    const token = randomBytes(24).toString('base64url');
    instance.tokens = [...instance.tokens, { tokenSha256: createHash('sha256').update(token).digest('hex'), issuedToArn: ctx.caller.arn, expiresAtMs }].slice(-KEPT_TOKENS);
    return ok({ TempUsername: REGISTRY_TEMP_USERNAME, AuthorizationToken: token, ExpireTime: expiresAtMs });
  },

  ResetLoginPassword: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    if (!passwordAcceptable(String(p.Password))) throw new CrFailure(CR_CODES.passwordInvalid);
    instance.passwordSha256 = createHash('sha256').update(String(p.Password)).digest('hex');
    return ok();
  },

  ListInstanceRegion: (_ctx, p) => {
    const regions = Object.keys(loadSpecs().product('cr')?.endpoints ?? {}).sort();
    const english = typeof p.Lang === 'string' && p.Lang.toLowerCase().startsWith('en');
    return ok({ Regions: regions.map((regionId) => ({ RegionId: regionId, LocalName: (english ? undefined : LOCAL_NAMES[regionId]) ?? regionId })) });
  },
};

/** Chinese names of the main regions, as the console shows them (others answer their ID). */
const LOCAL_NAMES: Record<string, string> = {
  'cn-hangzhou': '华东1（杭州）',
  'cn-shanghai': '华东2（上海）',
  'cn-qingdao': '华北1（青岛）',
  'cn-beijing': '华北2（北京）',
  'cn-zhangjiakou': '华北3（张家口）',
  'cn-huhehaote': '华北5（呼和浩特）',
  'cn-shenzhen': '华南1（深圳）',
  'cn-guangzhou': '华南3（广州）',
  'cn-chengdu': '西南1（成都）',
  'cn-hongkong': '中国香港',
};

// ---- storage domain routing rules: `Success` instead of `IsSuccess`, allow-listed instances only ----

function allowListed(ctx: Parameters<RpcHandler>[0], instanceId: unknown): CrInstanceRecord {
  const instance = instanceOf(ctx, instanceId, 'Success');
  // Allow-list only (metadata). The refusal code is assumed: AuthenticationFailed (403) is the one refusal these APIs list.
  if (!instance.storageRoutingAllowListed) throw new ApiError('AuthenticationFailed', 'Authentication failed.', 403);
  return instance;
}

function routesOf(instance: CrInstanceRecord, value: unknown): StorageRouteRecord[] {
  const routes = Array.isArray(value) ? (value as StorageRouteRecord[]) : [];
  const own = new Set(['internet', 'vpc'].flatMap((kind) => ['Registry', 'Chart'].map((m) => registryDomain(instance, kind as 'internet' | 'vpc', m as 'Registry' | 'Chart'))));
  // Assumed: a route must name one of the instance's own domains.
  if (routes.length === 0 || routes.some((r) => !own.has(r.InstanceDomain) || !r.StorageDomain)) throw new CrFailure(CR_CODES.paramInvalid, 'Success');
  return routes.map((r) => ({ InstanceDomain: r.InstanceDomain, StorageDomain: r.StorageDomain, EndpointType: r.EndpointType }));
}

const ruleNotFound = () => new ApiError('InvalidInstanceStorageDomainRoutingRule.NotFound', 'The specified InstanceStorageDomainRoutingRule does not exist.', 404);
const done = (body: Record<string, unknown> = {}) => ({ Code: 'success', Success: true, ...body });

const storageHandlers: Record<string, RpcHandler> = {
  CreateStorageDomainRoutingRule: (ctx, p) => {
    const instance = allowListed(ctx, p.InstanceId);
    if (Object.keys(instance.storageRoutingRules).length > 0) throw new CrFailure(CR_CODES.ruleExists, 'Success');
    const ruleId = ctx.world.nextId('crsdr-', 14);
    const now = ctx.world.data.nowMs;
    instance.storageRoutingRules[ruleId] = { ruleId, routes: routesOf(instance, p.Routes), createdAtMs: now, modifiedAtMs: now };
    return done({ RuleId: ruleId });
  },

  GetStorageDomainRoutingRule: (ctx, p) => {
    const instance = allowListed(ctx, p.InstanceId);
    const rule = p.RuleId ? instance.storageRoutingRules[String(p.RuleId)] : Object.values(instance.storageRoutingRules)[0];
    if (!rule) throw ruleNotFound();
    return done({ RuleId: rule.ruleId, Routes: rule.routes, CreateTime: rule.createdAtMs, ModifyTime: rule.modifiedAtMs });
  },

  UpdateStorageDomainRoutingRule: (ctx, p) => {
    const instance = allowListed(ctx, p.InstanceId);
    const rule = instance.storageRoutingRules[String(p.RuleId)];
    if (!rule) throw ruleNotFound();
    rule.routes = routesOf(instance, p.Routes);
    rule.modifiedAtMs = ctx.world.data.nowMs;
    return done();
  },

  DeleteStorageDomainRoutingRule: (ctx, p) => {
    const instance = allowListed(ctx, p.InstanceId);
    if (!instance.storageRoutingRules[String(p.RuleId)]) throw ruleNotFound();
    delete instance.storageRoutingRules[String(p.RuleId)];
    return done();
  },
};

export const crRepoHandlers: Record<string, RpcHandler> = {
  ...Object.fromEntries(Object.entries(repoHandlers).map(([name, h]) => [name, crHandler(h)])),
  ...Object.fromEntries(Object.entries(storageHandlers).map(([name, h]) => [name, crHandler(h, 'Success')])),
};
