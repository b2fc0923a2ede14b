// CS (ACK, ROA): clusters, RRSA, tasks, kubeconfig, node pools and nodes. Add-ons are in cs-addons.ts.
import { registerSecret } from '../secrets.js';
import { CloudError, isNotFound } from './errors.js';
import type { AccountClient } from './session.js';
import { sdkCaller } from './sdk-call.js';

/**
 * One CS call through the funnel. ROA: path parameters are positional SDK arguments, then the request model
 * (query/body), then headers. `params` names them as the metadata does (path names, query names, `body`).
 */
const cs = sdkCaller('cs');

/** CS answers a missing cluster with ErrorClusterNotFound (HTTP 404); other missing things are 404s with various codes. */
async function orUndefined<T>(codes: string[], read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error, ...codes) || (error instanceof CloudError && error.statusCode === 404)) return undefined;
    throw error;
  }
}

// ---- clusters ----

export interface RrsaConfig {
  enabled: boolean;
  /** The token issuer (`iss`): the first of the comma-separated issuers. */
  issuer: string;
  issuers: string[];
  audiences: string[];
  /** The RAM OIDC provider RRSA registered: ARN and name (for ims.getOIDCProvider). */
  oidcArn: string;
  oidcName: string;
  maxOidcTokenExpiration?: string;
}

export interface ClusterSummary {
  clusterId: string;
  name: string;
  /** `ManagedKubernetes`, `Kubernetes`, `ExternalKubernetes`... */
  clusterType: string;
  /** `Default`, `Edge`, `Serverless`, `Lingjun`... */
  profile: string;
  /** `ack.pro.small`, `ack.standard`... */
  clusterSpec: string;
  state: string;
  regionId: string;
  currentVersion: string;
  vpcId: string;
  /** For managed clusters, the control plane's vSwitches; the nodes' are in the node pools' scaling groups. */
  vSwitchIds: string[];
  containerCidr: string;
  serviceCidr: string;
  workerRamRoleName: string;
  securityGroupId: string;
  networkMode: string;
  rrsa: RrsaConfig;
}

export type ClusterDetail = ClusterSummary;

type RrsaModel = { enabled?: boolean; issuer?: string; audience?: string; oidcArn?: string; oidcName?: string; maxOidcTokenExpiration?: string };
type MetaRrsa = { enabled?: boolean; issuer?: string; audience?: string; oidc_arn?: string; oidc_name?: string; max_oidc_token_expiration?: string };

const list = (joined: string | undefined) => (joined ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** RRSA settings: the top-level `rrsa_config` where the API gives it, else `RRSAConfig` inside the `meta_data` JSON string. */
export function parseRrsaConfig(metaData: string | undefined, top?: RrsaModel): RrsaConfig {
  let meta: MetaRrsa = {};
  try {
    meta = ((metaData ? JSON.parse(metaData) : {}) as { RRSAConfig?: MetaRrsa }).RRSAConfig ?? {};
  } catch {
    // meta_data is not JSON: rely on rrsa_config alone.
  }
  const issuers = list(top?.issuer || meta.issuer);
  return {
    enabled: top?.enabled ?? meta.enabled ?? false,
    issuer: issuers[0] ?? '',
    issuers,
    audiences: list(top?.audience || meta.audience),
    oidcArn: top?.oidcArn || meta.oidc_arn || '',
    oidcName: top?.oidcName || meta.oidc_name || '',
    maxOidcTokenExpiration: top?.maxOidcTokenExpiration || meta.max_oidc_token_expiration || undefined,
  };
}

type ClusterModel = {
  clusterId?: string;
  name?: string;
  clusterType?: string;
  profile?: string;
  clusterSpec?: string;
  state?: string;
  regionId?: string;
  currentVersion?: string;
  vpcId?: string;
  vswitchIds?: string[];
  vswitchId?: string;
  containerCidr?: string;
  serviceCidr?: string;
  workerRamRoleName?: string;
  securityGroupId?: string;
  networkMode?: string;
  metaData?: string;
  rrsaConfig?: RrsaModel;
};

const toCluster = (c: ClusterModel, fallbackId: string): ClusterSummary => ({
  clusterId: c.clusterId ?? fallbackId, name: c.name ?? '', clusterType: c.clusterType ?? '', profile: c.profile ?? '',
  clusterSpec: c.clusterSpec ?? '', state: c.state ?? '', regionId: c.regionId ?? '', currentVersion: c.currentVersion ?? '',
  vpcId: c.vpcId ?? '', vSwitchIds: c.vswitchIds?.length ? c.vswitchIds : list(c.vswitchId), containerCidr: c.containerCidr ?? '',
  serviceCidr: c.serviceCidr ?? '', workerRamRoleName: c.workerRamRoleName ?? '', securityGroupId: c.securityGroupId ?? '',
  networkMode: c.networkMode ?? '',
  rrsa: parseRrsaConfig(c.metaData, c.rrsaConfig),
});

/** One cluster; undefined when it does not exist in this account and region. */
export async function describeClusterDetail(acct: AccountClient, clusterId: string): Promise<ClusterDetail | undefined> {
  return orUndefined(['ErrorClusterNotFound'], async () => {
    const res = await cs(acct, { action: 'DescribeClusterDetail', params: { ClusterId: clusterId } }, (c, _m, rt) => c.describeClusterDetailWithOptions(clusterId, {}, rt));
    return toCluster(res.body ?? {}, clusterId);
  });
}

/** Every cluster in the account (all regions unless `regionId` is given), all pages. */
export async function describeClustersV1(acct: AccountClient, filter: { name?: string; clusterType?: string; regionId?: string } = {}): Promise<ClusterSummary[]> {
  const out: ClusterSummary[] = [];
  const pageSize = 50;
  for (let pageNumber = 1; ; pageNumber++) {
    const params = { name: filter.name, cluster_type: filter.clusterType, region_id: filter.regionId, page_size: pageSize, page_number: pageNumber };
    const res = await cs(acct, { action: 'DescribeClustersV1', params }, (c, m, rt) =>
      c.describeClustersV1WithOptions(new m.DescribeClustersV1Request({ ...filter, pageSize, pageNumber }), {}, rt),
    );
    const items = res.body?.clusters ?? [];
    out.push(...items.map((c) => toCluster(c, '')));
    const total = res.body?.pageInfo?.totalCount;
    if (items.length === 0 || (total !== undefined ? out.length >= total : items.length < pageSize)) return out;
  }
}

/** Changes cluster settings (here: enable RRSA). Returns the task ID to wait on with describeTaskInfo. */
export async function modifyCluster(acct: AccountClient, clusterId: string, change: { enableRrsa?: boolean }): Promise<string> {
  const params = { ClusterId: clusterId, body: { enable_rrsa: change.enableRrsa } };
  const res = await cs(acct, { action: 'ModifyCluster', params }, (c, m, rt) =>
    c.modifyClusterWithOptions(clusterId, new m.ModifyClusterRequest({ enableRrsa: change.enableRrsa }), {}, rt),
  );
  return res.body?.taskId ?? '';
}

export interface TaskInfo {
  taskId: string;
  clusterId: string;
  taskType: string;
  /** `running`, `success`, `fail`, `timeout`, `canceled`... */
  state: string;
  currentStage?: string;
  error?: { code: string; message: string };
  created?: string;
  updated?: string;
}

export async function describeTaskInfo(acct: AccountClient, taskId: string): Promise<TaskInfo> {
  const res = await cs(acct, { action: 'DescribeTaskInfo', params: { task_id: taskId } }, (c, _m, rt) => c.describeTaskInfoWithOptions(taskId, {}, rt));
  const b = res.body;
  return {
    taskId: b?.taskId ?? taskId, clusterId: b?.clusterId ?? '', taskType: b?.taskType ?? '', state: b?.state ?? '',
    currentStage: b?.currentStage,
    error: b?.error?.code || b?.error?.message ? { code: b.error.code ?? '', message: b.error.message ?? '' } : undefined,
    created: b?.created,
    updated: b?.updated,
  };
}

/** Registers the credentials inside a kubeconfig (client key, token, password) so redact() masks them. */
export function registerKubeconfigSecrets(kubeconfig: string): void {
  for (const m of kubeconfig.matchAll(/^\s*(client-key-data|token|password)\s*:\s*["']?([^"'\s]+)["']?\s*$/gm)) {
    const value = m[2]!;
    registerSecret(value);
    if (m[1] === 'client-key-data') registerSecret(Buffer.from(value, 'base64').toString('utf8').trim());
  }
}

/**
 * The kubeconfig of the calling RAM identity. It is a credential: its key and token are registered for
 * redaction here; never log or print the text.
 */
export async function describeClusterUserKubeconfig(
  acct: AccountClient,
  clusterId: string,
  options: { privateIpAddress?: boolean; temporaryDurationMinutes?: number } = {},
): Promise<{ config: string; expiration?: string }> {
  const params = { ClusterId: clusterId, PrivateIpAddress: options.privateIpAddress, TemporaryDurationMinutes: options.temporaryDurationMinutes };
  const res = await cs(acct, { action: 'DescribeClusterUserKubeconfig', params }, (c, m, rt) =>
    c.describeClusterUserKubeconfigWithOptions(clusterId, new m.DescribeClusterUserKubeconfigRequest(options), {}, rt),
  );
  const config = res.body?.config ?? '';
  registerKubeconfigSecrets(config);
  return { config, expiration: res.body?.expiration };
}

// ---- node pools and nodes ----

export interface NodePool {
  nodepoolId: string;
  name: string;
  /** `ess` (regular), `edge`, `lingjun`... */
  type: string;
  isDefault: boolean;
  state: string;
  totalNodes?: number;
  vSwitchIds: string[];
  /** The user-data script run after a node joins, decoded from base64 ('' when none). */
  userData: string;
  /** The script run before a node joins, decoded. */
  preUserData: string;
}

type NodePoolModel = {
  nodepoolInfo?: { nodepoolId?: string; name?: string; type?: string; isDefault?: boolean };
  status?: { state?: string; totalNodes?: number };
  scalingGroup?: { vswitchIds?: string[] };
  kubernetesConfig?: { userData?: string; preUserData?: string };
};

/** User data is base64 on the wire; a value that is not base64 is returned as it is. */
function decodeUserData(value: string | undefined): string {
  if (!value) return '';
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return value;
  const decoded = Buffer.from(compact, 'base64');
  return decoded.toString('base64') === compact ? decoded.toString('utf8') : value;
}

const toNodePool = (p: NodePoolModel, fallbackId: string): NodePool => ({
  nodepoolId: p.nodepoolInfo?.nodepoolId ?? fallbackId, name: p.nodepoolInfo?.name ?? '', type: p.nodepoolInfo?.type ?? '',
  isDefault: p.nodepoolInfo?.isDefault ?? false, state: p.status?.state ?? '', totalNodes: p.status?.totalNodes,
  vSwitchIds: p.scalingGroup?.vswitchIds ?? [], userData: decodeUserData(p.kubernetesConfig?.userData),
  preUserData: decodeUserData(p.kubernetesConfig?.preUserData),
});

export async function describeClusterNodePools(acct: AccountClient, clusterId: string, filter: { name?: string } = {}): Promise<NodePool[]> {
  const params = { ClusterId: clusterId, NodepoolName: filter.name };
  const res = await cs(acct, { action: 'DescribeClusterNodePools', params }, (c, m, rt) =>
    c.describeClusterNodePoolsWithOptions(clusterId, new m.DescribeClusterNodePoolsRequest({ nodepoolName: filter.name }), {}, rt),
  );
  return (res.body?.nodepools ?? []).map((p) => toNodePool(p, ''));
}

/** One node pool; undefined when it (or the cluster) does not exist. */
export async function describeClusterNodePoolDetail(acct: AccountClient, clusterId: string, nodepoolId: string): Promise<NodePool | undefined> {
  return orUndefined(['ErrorClusterNotFound', 'ErrorNodePoolNotFound'], async () => {
    const params = { ClusterId: clusterId, NodepoolId: nodepoolId };
    const res = await cs(acct, { action: 'DescribeClusterNodePoolDetail', params }, (c, _m, rt) => c.describeClusterNodePoolDetailWithOptions(clusterId, nodepoolId, {}, rt));
    return toNodePool(res.body ?? {}, nodepoolId);
  });
}

/**
 * Replaces a node pool's user-data script (plain text in, base64 on the wire). It runs on nodes added from
 * now on; existing nodes need Cloud Assistant. Returns the task ID ('' when the API gives none).
 */
export async function modifyClusterNodePool(acct: AccountClient, clusterId: string, nodepoolId: string, change: { userData: string }): Promise<string> {
  const userData = Buffer.from(change.userData, 'utf8').toString('base64');
  const params = { ClusterId: clusterId, NodepoolId: nodepoolId, body: { kubernetes_config: { user_data: userData } } };
  const res = await cs(acct, { action: 'ModifyClusterNodePool', params }, (c, m, rt) => {
    const request = new m.ModifyClusterNodePoolRequest({ kubernetesConfig: new m.ModifyClusterNodePoolRequestKubernetesConfig({ userData }) });
    return c.modifyClusterNodePoolWithOptions(clusterId, nodepoolId, request, {}, rt);
  });
  return res.body?.taskId ?? '';
}

export interface ClusterNode {
  instanceId: string;
  nodeName: string;
  hostName: string;
  ipAddresses: string[];
  nodepoolId: string;
  /** `running`, `initial`, `failed`, `removing`... */
  state: string;
  /** `Master` or `Worker`. */
  instanceRole: string;
}

/** The cluster's nodes (optionally of one node pool), all pages. */
export async function describeClusterNodes(acct: AccountClient, clusterId: string, filter: { nodepoolId?: string; instanceIds?: string[] } = {}): Promise<ClusterNode[]> {
  const out: ClusterNode[] = [];
  const pageSize = 100;
  const instanceIds = filter.instanceIds?.join(',');
  for (let pageNumber = 1; ; pageNumber++) {
    const params = { ClusterId: clusterId, nodepool_id: filter.nodepoolId, instanceIds, pageSize: String(pageSize), pageNumber: String(pageNumber) };
    const res = await cs(acct, { action: 'DescribeClusterNodes', params }, (c, m, rt) => {
      const request = new m.DescribeClusterNodesRequest({ nodepoolId: filter.nodepoolId, instanceIds, pageSize: params.pageSize, pageNumber: params.pageNumber });
      return c.describeClusterNodesWithOptions(clusterId, request, {}, rt);
    });
    const items = res.body?.nodes ?? [];
    out.push(
      ...items.map((n) => ({
        instanceId: n.instanceId ?? '', nodeName: n.nodeName ?? '', hostName: n.hostName ?? '', ipAddresses: n.ipAddress ?? [],
        nodepoolId: n.nodepoolId ?? '', state: n.state ?? '', instanceRole: n.instanceRole ?? '',
      })),
    );
    const total = res.body?.page?.totalCount;
    if (items.length === 0 || (total !== undefined ? out.length >= total : items.length < pageSize)) return out;
  }
}
