// Container Registry Enterprise Edition (cr 2018-12-01), in account B: the instance, its endpoints and ACL,
// linked VPCs (the registry's private IP), namespaces, repositories, tags, and a temporary login token.
import { sensitive, type Sensitive } from '../plan/action.js';
import { registerSecret } from '../secrets.js';
import { PARAM_WIRE, type Apis } from './api/cr-types.js';
import { CloudError, isNotFound } from './errors.js';
import { dateOf, makeRpc, pageByNumber, type RpcCallOptions } from './rpc-call.js';
import type { AccountClient } from './session.js';

const rpc = makeRpc<Apis>('cr', PARAM_WIRE);

/**
 * Codes cr gives for a resource that does not exist. The metadata lists only NoPrivilege/SystemError for these
 * APIs (INSTANCE_NOT_EXIST appears once, for GetStorageDomainRoutingRule, with HTTP 200); the codes below are
 * the ones the official Terraform provider treats as "not found" for GetInstance, GetNamespace, GetRepository.
 */
export const CR_NOT_FOUND = { instance: 'INSTANCE_NOT_EXIST', namespace: 'NAMESPACE_NOT_EXIST', repository: 'REPO_NOT_EXIST' } as const;

/**
 * cr answers some failures with HTTP 200, `IsSuccess: false` and the error in `Code`: those become a
 * CloudError here, as if the HTTP status had said so.
 */
async function call<K extends keyof Apis & string>(acct: AccountClient, action: K, request: Apis[K]['request'], options?: RpcCallOptions): Promise<Apis[K]['response']> {
  const body = await rpc(acct, action, request, options);
  const status = body as { IsSuccess?: boolean; Code?: string; Message?: string; RequestId?: string };
  if (status.IsSuccess === false) {
    const code = status.Code || 'UnknownError';
    throw new CloudError(code, status.Message ?? `cr ${action} answered IsSuccess=false (${code})`, undefined, status.RequestId, 'cr', action, acct.account);
  }
  return body;
}

/** `undefined` instead of the error when the instance does not exist. */
async function orUndefined<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (error) {
    if (isNotFound(error, CR_NOT_FOUND.instance)) return undefined;
    throw error;
  }
}

/** `PENDING`, `INIT_ERROR`, `STARTING`, `RUNNING`, `STOPPING`, `STOPPED`, `DELETING`, `DELETED` (metadata). */
export type CrInstanceStatus = 'PENDING' | 'INIT_ERROR' | 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'DELETING' | 'DELETED';

export interface CrInstance {
  instanceId: string;
  name: string;
  /** InstanceSpecification: `Enterprise_Basic`, `Enterprise_Standard`, `Enterprise_Advanced` (Personal Edition otherwise). */
  edition: string;
  status: CrInstanceStatus | (string & {});
  createdAt?: Date;
  modifiedAt?: Date;
  regionId?: string;
  resourceGroupId?: string;
  /** e.g. `OSS_TOO_MANY_BUCKETS`, when the instance has a problem. */
  issue?: string;
  tags: Record<string, string>;
}

export const isEnterpriseEdition = (instance: Pick<CrInstance, 'edition'>): boolean => instance.edition.startsWith('Enterprise_');

function crTags(list: readonly { TagKey?: string; TagValue?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).filter((t) => t.TagKey).map((t) => [t.TagKey!, t.TagValue ?? '']));
}

export async function getInstance(acct: AccountClient, instanceId: string, options?: RpcCallOptions): Promise<CrInstance | undefined> {
  const r = await orUndefined(call(acct, 'GetInstance', { InstanceId: instanceId }, options));
  if (!r) return undefined;
  return {
    instanceId: r.InstanceId ?? instanceId,
    name: r.InstanceName ?? '',
    edition: r.InstanceSpecification ?? '',
    status: r.InstanceStatus ?? '',
    createdAt: dateOf(r.CreateTime),
    modifiedAt: dateOf(r.ModifiedTime),
    resourceGroupId: r.ResourceGroupId,
    issue: r.InstanceIssue || undefined,
    tags: crTags(r.Tags),
  };
}

export interface ListInstanceFilter {
  name?: string;
  status?: CrInstanceStatus;
  resourceGroupId?: string;
}

/** Every instance in the account's region (or `options.region`), all pages. */
export async function listInstance(acct: AccountClient, filter: ListInstanceFilter = {}, options?: RpcCallOptions): Promise<CrInstance[]> {
  const pageSize = 50;
  return pageByNumber(pageSize, async (page) => {
    const r = await call(acct, 'ListInstance', { InstanceName: filter.name, InstanceStatus: filter.status, ResourceGroupId: filter.resourceGroupId, PageNo: page, PageSize: pageSize }, options);
    const items = (r.Instances ?? []).map((i) => ({
      instanceId: i.InstanceId ?? '',
      name: i.InstanceName ?? '',
      edition: i.InstanceSpecification ?? '',
      status: i.InstanceStatus ?? '',
      createdAt: dateOf(i.CreateTime),
      modifiedAt: dateOf(i.ModifiedTime),
      regionId: i.RegionId,
      resourceGroupId: i.ResourceGroupId,
      issue: i.InstanceIssue || undefined,
      tags: crTags(i.Tags),
    }));
    return { items, total: r.TotalCount };
  });
}

/** Request values are `Internet` / `VPC`; responses have been seen in lower case (`internet`), so we normalise. */
export type CrEndpointType = 'Internet' | 'VPC';
export type CrModule = 'Registry' | 'Chart';

function endpointTypeOf(raw: string | undefined): CrEndpointType | (string & {}) {
  const lower = (raw ?? '').toLowerCase();
  return lower === 'internet' ? 'Internet' : lower === 'vpc' ? 'VPC' : (raw ?? '');
}

export interface CrEndpoint {
  type: CrEndpointType | (string & {});
  enabled: boolean;
  /** e.g. `RUNNING`. */
  status?: string;
  aclEnabled: boolean;
  /** `type` is `SYSTEM` or `USER`. */
  domains: { domain: string; type: string }[];
  aclEntries: { entry: string; comment?: string }[];
  linkedVpcIds: string[];
}

/** The instance's endpoints (Internet, VPC), with domains and ACL entries (none with `summary: true`). */
export async function listInstanceEndpoint(
  acct: AccountClient,
  instanceId: string,
  input: { moduleName?: CrModule; summary?: boolean } = {},
  options?: RpcCallOptions,
): Promise<CrEndpoint[]> {
  const r = await call(acct, 'ListInstanceEndpoint', { InstanceId: instanceId, ModuleName: input.moduleName, Summary: input.summary }, options);
  return (r.Endpoints ?? []).map((e) => ({
    type: endpointTypeOf(e.EndpointType),
    enabled: e.Enable ?? false,
    status: e.Status,
    aclEnabled: e.AclEnable ?? false,
    domains: (e.Domains ?? []).map((d) => ({ domain: d.Domain ?? '', type: d.Type ?? '' })),
    aclEntries: (e.AclEntries ?? []).map((a) => ({ entry: a.Entry ?? '' })),
    linkedVpcIds: (e.LinkedVpcs ?? []).map((v) => v.VpcId ?? '').filter(Boolean),
  }));
}

/** One endpoint (the API documents only `Internet`); `undefined` when the instance does not exist. */
export async function getInstanceEndpoint(
  acct: AccountClient,
  instanceId: string,
  endpointType: CrEndpointType = 'Internet',
  input: { moduleName?: CrModule } = {},
  options?: RpcCallOptions,
): Promise<CrEndpoint | undefined> {
  const r = await orUndefined(call(acct, 'GetInstanceEndpoint', { InstanceId: instanceId, EndpointType: endpointType, ModuleName: input.moduleName }, options));
  if (!r) return undefined;
  return {
    type: endpointType,
    enabled: r.Enable ?? false,
    status: r.Status,
    aclEnabled: r.AclEnable ?? false,
    domains: (r.Domains ?? []).map((d) => ({ domain: d.Domain ?? '', type: d.Type ?? '' })),
    aclEntries: (r.AclEntries ?? []).map((a) => ({ entry: a.Entry ?? '', comment: a.Comment || undefined })),
    linkedVpcIds: [],
  };
}

export interface EndpointStatusInput {
  instanceId: string;
  enable: boolean;
  endpointType?: CrEndpointType;
  moduleName?: CrModule;
}

export async function updateInstanceEndpointStatus(acct: AccountClient, input: EndpointStatusInput, options?: RpcCallOptions): Promise<void> {
  await call(acct, 'UpdateInstanceEndpointStatus', { InstanceId: input.instanceId, EndpointType: input.endpointType ?? 'Internet', Enable: input.enable, ModuleName: input.moduleName }, options);
}

export interface AclPolicyInput {
  instanceId: string;
  /** A CIDR block, e.g. `47.1.2.3/32`. */
  entry: string;
  comment?: string;
  endpointType?: CrEndpointType;
  moduleName?: CrModule;
}

export async function createInstanceEndpointAclPolicy(acct: AccountClient, input: AclPolicyInput, options?: RpcCallOptions): Promise<void> {
  await call(
    acct,
    'CreateInstanceEndpointAclPolicy',
    { InstanceId: input.instanceId, EndpointType: input.endpointType ?? 'Internet', Entry: input.entry, Comment: input.comment, ModuleName: input.moduleName },
    options,
  );
}

export async function deleteInstanceEndpointAclPolicy(acct: AccountClient, input: Omit<AclPolicyInput, 'comment'>, options?: RpcCallOptions): Promise<void> {
  await call(acct, 'DeleteInstanceEndpointAclPolicy', { InstanceId: input.instanceId, EndpointType: input.endpointType ?? 'Internet', Entry: input.entry, ModuleName: input.moduleName }, options);
}

export interface LinkedVpc {
  vpcId: string;
  vswitchId: string;
  /** The registry's private address in that VPC (empty while `CREATING`). */
  ip: string;
  /** `CREATING` or `RUNNING`. */
  status: string;
  defaultAccess: boolean;
  /** e.g. `PRIVATE_ZONE_CONFLICT_AT_{zoneId}`. */
  issue?: string;
}

export interface VpcEndpoint {
  enabled: boolean;
  domains: string[];
  linkedVpcs: LinkedVpc[];
  moduleName?: string;
}

/** The VPC endpoint: linked VPCs with the registry's IP in each, and the VPC domains; `undefined` when the instance does not exist. */
export async function getInstanceVpcEndpoint(acct: AccountClient, instanceId: string, input: { moduleName?: CrModule } = {}, options?: RpcCallOptions): Promise<VpcEndpoint | undefined> {
  const r = await orUndefined(call(acct, 'GetInstanceVpcEndpoint', { InstanceId: instanceId, ModuleName: input.moduleName }, options));
  if (!r) return undefined;
  return {
    enabled: r.Enable ?? false,
    domains: r.Domains ?? [],
    linkedVpcs: (r.LinkedVpcs ?? []).map((v) => ({
      vpcId: v.VpcId ?? '',
      vswitchId: v.VswitchId ?? '',
      ip: v.Ip ?? '',
      status: v.Status ?? '',
      defaultAccess: v.DefaultAccess ?? false,
      issue: v.Issue || undefined,
    })),
    moduleName: r.ModuleName,
  };
}

export interface LinkedVpcInput {
  instanceId: string;
  vpcId: string;
  vswitchId: string;
  moduleName?: CrModule;
  /** Let cr create PrivateZone records itself; we manage DNS ourselves, so the default is to leave it unset. */
  enableCreateDnsRecordInPvzt?: boolean;
}

/** Links a VPC to the instance (asynchronous: poll getInstanceVpcEndpoint until the VPC is `RUNNING`). */
export async function createInstanceVpcEndpointLinkedVpc(acct: AccountClient, input: LinkedVpcInput, options?: RpcCallOptions): Promise<void> {
  await call(
    acct,
    'CreateInstanceVpcEndpointLinkedVpc',
    { InstanceId: input.instanceId, VpcId: input.vpcId, VswitchId: input.vswitchId, ModuleName: input.moduleName, EnableCreateDNSRecordInPvzt: input.enableCreateDnsRecordInPvzt },
    options,
  );
}

export async function deleteInstanceVpcEndpointLinkedVpc(acct: AccountClient, input: Omit<LinkedVpcInput, 'enableCreateDnsRecordInPvzt'>, options?: RpcCallOptions): Promise<void> {
  await call(acct, 'DeleteInstanceVpcEndpointLinkedVpc', { InstanceId: input.instanceId, VpcId: input.vpcId, VswitchId: input.vswitchId, ModuleName: input.moduleName }, options);
}

export interface CrNamespace {
  namespaceId: string;
  name: string;
  /** `NORMAL` or `DELETING`. */
  status: string;
  autoCreateRepo: boolean;
  defaultRepoType?: string;
}

export async function listNamespace(acct: AccountClient, instanceId: string, filter: { name?: string; status?: string } = {}, options?: RpcCallOptions): Promise<CrNamespace[]> {
  const pageSize = 100;
  return pageByNumber(pageSize, async (page) => {
    const r = await call(acct, 'ListNamespace', { InstanceId: instanceId, NamespaceName: filter.name, NamespaceStatus: filter.status, PageNo: page, PageSize: pageSize }, options);
    const items = (r.Namespaces ?? []).map((n) => ({
      namespaceId: n.NamespaceId ?? '',
      name: n.NamespaceName ?? '',
      status: n.NamespaceStatus ?? '',
      autoCreateRepo: n.AutoCreateRepo ?? false,
      defaultRepoType: n.DefaultRepoType,
    }));
    return { items, total: r.TotalCount };
  });
}

export interface CrRepository {
  repoId: string;
  name: string;
  namespace: string;
  /** `PUBLIC` or `PRIVATE`. */
  type: string;
  status: string;
  summary?: string;
  createdAt?: Date;
  modifiedAt?: Date;
}

export interface ListRepositoryFilter {
  namespace?: string;
  name?: string;
  status?: string;
}

/** Every repository of the instance (optionally of one namespace), all pages (at most 100 per page). */
export async function listRepository(acct: AccountClient, instanceId: string, filter: ListRepositoryFilter = {}, options?: RpcCallOptions): Promise<CrRepository[]> {
  const pageSize = 100;
  return pageByNumber(pageSize, async (page) => {
    const r = await call(
      acct,
      'ListRepository',
      { InstanceId: instanceId, RepoNamespaceName: filter.namespace, RepoName: filter.name, RepoStatus: filter.status, PageNo: page, PageSize: pageSize },
      options,
    );
    const items = (r.Repositories ?? []).map((x) => ({
      repoId: x.RepoId ?? '',
      name: x.RepoName ?? '',
      namespace: x.RepoNamespaceName ?? '',
      type: x.RepoType ?? '',
      status: x.RepoStatus ?? '',
      summary: x.Summary || undefined,
      createdAt: dateOf(x.CreateTime),
      modifiedAt: dateOf(x.ModifiedTime),
    }));
    return { items, total: r.TotalCount };
  });
}

export interface CrImageTag {
  tag: string;
  digest: string;
  imageId: string;
  sizeBytes?: number;
  status: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** Every tag of a repository, all pages (at most 100 per page). */
export async function listRepoTag(acct: AccountClient, instanceId: string, repoId: string, options?: RpcCallOptions): Promise<CrImageTag[]> {
  const pageSize = 100;
  return pageByNumber(pageSize, async (page) => {
    const r = await call(acct, 'ListRepoTag', { InstanceId: instanceId, RepoId: repoId, PageNo: page, PageSize: pageSize }, options);
    const items = (r.Images ?? []).map((i) => ({
      tag: i.Tag ?? '',
      digest: i.Digest ?? '',
      imageId: i.ImageId ?? '',
      sizeBytes: i.ImageSize,
      status: i.Status ?? '',
      createdAt: dateOf(i.ImageCreate),
      updatedAt: dateOf(i.ImageUpdate),
    }));
    return { items, total: r.TotalCount };
  });
}

export interface AuthorizationToken {
  username: string;
  /** The registry password: registered for redaction, and only readable through `reveal()`. */
  password: Sensitive;
  expiresAt?: Date;
}

/** A temporary registry login (what the credential helper does for the cluster; we use it to test a pull). */
export async function getAuthorizationToken(acct: AccountClient, instanceId: string, options?: RpcCallOptions): Promise<AuthorizationToken> {
  const r = await call(acct, 'GetAuthorizationToken', { InstanceId: instanceId }, options);
  const token = r.AuthorizationToken ?? '';
  if (!token) throw new CloudError('InvalidResponse', `cr GetAuthorizationToken for ${instanceId} answered without a token`, undefined, r.RequestId, 'cr', 'GetAuthorizationToken', acct.account);
  registerSecret(token);
  return { username: r.TempUsername ?? '', password: sensitive(token), expiresAt: dateOf(r.ExpireTime) };
}
