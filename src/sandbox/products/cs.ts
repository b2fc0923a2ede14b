// CS (ACK, ROA): clusters, RRSA through ModifyCluster, tasks, the user kubeconfig, cluster resources and logs.
// Node pools and nodes are in cs-nodes.ts, add-ons in cs-addons.ts; every response is snake_case as the spec has it.
import { ApiError, type CallContext, type ProductModule, type RoaHandler } from '../api.js';
import {
  addClusterLog,
  clusterTasks,
  csState,
  issueKubeToken,
  rrsaView,
  settleTasks,
  startTask,
  taskAddons,
  TASK_DURATION_MS,
  type ClusterRecord,
  type TaskRecord,
} from '../state/cs.js';
import { versionAtLeast } from '../../versions.js';
import { clusterNodes } from '../state/cs-seed.js';
import { csAddonHandlers } from './cs-addons.js';
import { assertClusterIdle, boolQuery, intQuery, invalidParameter, ownCluster, page } from './cs-common.js';
import { csNodeHandlers } from './cs-nodes.js';

/** The `meta_data` JSON string: ACK keeps RRSAConfig there too (older clients read it from here). */
function metaData(accountId: string, cluster: ClusterRecord): string {
  const rrsa = rrsaView(accountId, cluster);
  return JSON.stringify({
    Addons: Object.values(cluster.addons).map((a) => ({ name: a.name, version: a.version, config: a.config, disabled: false })),
    ExtraCertSAN: [],
    KubernetesVersion: cluster.currentVersion.split('-')[0],
    ResourceGroupId: cluster.resourceGroupId,
    RRSAConfig: rrsa.enabled
      ? { enabled: true, issuer: rrsa.issuers, audience: rrsa.audience, oidc_arn: rrsa.oidcArn, oidc_name: rrsa.oidcName, max_oidc_token_expiration: rrsa.maxOidcTokenExpiration }
      : { enabled: false },
  });
}

/** The fields DescribeClustersV1 and DescribeClusterDetail share. */
function clusterSummary(ctx: CallContext, cluster: ClusterRecord): Record<string, unknown> {
  const size = clusterNodes(ctx.world, ctx.caller.accountId, cluster.clusterId).length;
  return {
    cluster_id: cluster.clusterId,
    cluster_type: cluster.clusterType,
    created: cluster.created,
    init_version: cluster.initVersion,
    current_version: cluster.currentVersion,
    deletion_protection: cluster.deletionProtection,
    meta_data: metaData(ctx.caller.accountId, cluster),
    name: cluster.name,
    network_mode: 'vpc',
    private_zone: false,
    profile: cluster.profile,
    region_id: cluster.regionId,
    resource_group_id: cluster.resourceGroupId,
    security_group_id: cluster.securityGroupId,
    container_cidr: cluster.podCidr,
    service_cidr: cluster.serviceCidr,
    proxy_mode: 'ipvs',
    timezone: 'Asia/Shanghai',
    ip_stack: 'ipv4',
    cluster_domain: 'cluster.local',
    size,
    state: cluster.state,
    subnet_cidr: cluster.podCidr,
    tags: [],
    updated: cluster.updated,
    vpc_id: cluster.vpcId,
    vswitch_id: cluster.vSwitchIds.join(','),
    vswitch_ids: [...cluster.vSwitchIds],
    ...(cluster.workerRamRoleName ? { worker_ram_role_name: cluster.workerRamRoleName } : {}),
    zone_id: cluster.zoneId,
    ...(cluster.clusterSpec ? { cluster_spec: cluster.clusterSpec } : {}),
    maintenance_window: { enable: false },
    operation_policy: { cluster_auto_upgrade: { enabled: false } },
  };
}

function rrsaConfig(accountId: string, cluster: ClusterRecord): Record<string, unknown> {
  const r = rrsaView(accountId, cluster);
  if (!r.enabled) return { enabled: false };
  return {
    enabled: true,
    oidc_name: r.oidcName,
    oidc_arn: r.oidcArn,
    max_oidc_token_expiration: r.maxOidcTokenExpiration,
    audience: r.audience,
    issuer: r.issuers,
    open_api_configuration_url: r.discoveryUrl,
    jwks_url: r.jwksUrl,
  };
}

const describeClusterDetail: RoaHandler = (ctx, { pathParams }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  return { ...clusterSummary(ctx, cluster), node_cidr_mask: '26', extra_sans: [], rrsa_config: rrsaConfig(ctx.caller.accountId, cluster) };
};

const describeClustersV1: RoaHandler = (ctx, { query }) => {
  settleTasks(ctx.world, ctx.caller.accountId);
  const pageSize = intQuery(query.page_size, 'page_size', { min: 1, max: 100, fallback: 10 });
  const pageNumber = intQuery(query.page_number, 'page_number', { min: 1, max: 1_000_000, fallback: 1 });
  // Assumed: `name` matches part of the cluster name, the other filters match exactly.
  const matches = Object.values(csState(ctx.world, ctx.caller.accountId).clusters).filter(
    (c) =>
      (!query.name || c.name.includes(String(query.name))) &&
      (!query.cluster_type || c.clusterType === query.cluster_type) &&
      (!query.profile || c.profile === query.profile) &&
      (!query.cluster_spec || c.clusterSpec === query.cluster_spec) &&
      (!query.region_id || c.regionId === query.region_id) &&
      (!query.cluster_id || c.clusterId === query.cluster_id),
  );
  return {
    clusters: page(matches, pageNumber, pageSize).map((c) => clusterSummary(ctx, c)),
    page_info: { page_number: pageNumber, page_size: pageSize, total_count: matches.length },
  };
};

/** RRSA needs an ACK managed (Basic/Pro), Edge or Serverless cluster on Kubernetes 1.22 or later. */
function assertRrsaSupported(cluster: ClusterRecord): void {
  const kind = cluster.clusterType === 'ManagedKubernetes' && ['Default', 'Edge', 'Serverless'].includes(cluster.profile);
  // Assumed code: CS validation failures answer InvalidParameter.
  if (!kind) throw invalidParameter(`RRSA is not supported by ${cluster.clusterType}/${cluster.profile} clusters; it needs an ACK managed, Edge or Serverless cluster.`);
  if (!versionAtLeast(cluster.currentVersion, '1.22')) throw invalidParameter(`RRSA needs Kubernetes 1.22 or later; cluster ${cluster.clusterId} runs ${cluster.currentVersion}. Upgrade the cluster first.`);
}

const modifyCluster: RoaHandler = (ctx, { pathParams, body }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  assertClusterIdle(cluster);
  const change = (body ?? {}) as { enable_rrsa?: boolean; cluster_name?: string; deletion_protection?: boolean };
  if (change.cluster_name !== undefined) {
    if (!/^[\p{L}\d][\p{L}\d_-]{0,62}$/u.test(change.cluster_name)) throw invalidParameter('cluster_name must be 1 to 63 characters: letters, digits, underscores (_) and hyphens (-), starting with a letter or digit.');
    cluster.name = change.cluster_name;
  }
  if (change.deletion_protection !== undefined) cluster.deletionProtection = change.deletion_protection;
  let task: TaskRecord;
  if (change.enable_rrsa !== undefined && change.enable_rrsa !== cluster.rrsaEnabled) {
    if (change.enable_rrsa) assertRrsaSupported(cluster);
    task = startTask(ctx.world, ctx.caller.accountId, cluster, 'cluster_update', { kind: 'rrsa', enable: change.enable_rrsa }, TASK_DURATION_MS.rrsa);
    addClusterLog(ctx.world, cluster, `start to ${change.enable_rrsa ? 'enable' : 'disable'} RRSA`);
  } else {
    // Nothing asynchronous to do (or RRSA already as asked): a short update task, as CS always answers with one.
    task = startTask(ctx.world, ctx.caller.accountId, cluster, 'cluster_update', { kind: 'cluster-update' }, TASK_DURATION_MS.clusterUpdate);
  }
  return { cluster_id: cluster.clusterId, request_id: ctx.requestId, task_id: task.taskId };
};

function taskBody(task: TaskRecord): Record<string, unknown> {
  const addons = taskAddons(task);
  return {
    task_id: task.taskId,
    cluster_id: task.clusterId,
    task_type: task.taskType,
    state: task.state,
    created: task.created,
    updated: task.updated,
    target: { id: task.clusterId, type: 'cluster' },
    parameters: {},
    current_stage: task.state === 'running' ? 'Running' : 'Finished',
    ...(addons.length ? { task_result: addons.map((data) => ({ data, status: task.state === 'running' ? 'running' : task.state })) } : {}),
    ...(task.error ? { error: { ...task.error } } : {}),
  };
}

const describeTaskInfo: RoaHandler = (ctx, { pathParams }) => {
  settleTasks(ctx.world, ctx.caller.accountId);
  const task = csState(ctx.world, ctx.caller.accountId).tasks[pathParams.task_id!];
  // Assumed code, after the ErrorClusterNotFound / ErrorNodePoolNotFound pattern.
  if (!task) throw new ApiError('ErrorTaskNotFound', `ErrorTaskNotFound: task ${pathParams.task_id} not found.`, 404);
  return taskBody(task);
};

const describeClusterTasks: RoaHandler = (ctx, { pathParams, query }) => {
  const cluster = ownCluster(ctx, pathParams.cluster_id!);
  const pageSize = intQuery(query.page_size, 'page_size', { min: 1, max: 100, fallback: 10 });
  const pageNumber = intQuery(query.page_number, 'page_number', { min: 1, max: 1_000_000, fallback: 1 });
  const tasks = clusterTasks(ctx.world, ctx.caller.accountId, cluster.clusterId);
  return {
    page_info: { page_size: pageSize, page_number: pageNumber, total_count: tasks.length },
    tasks: page(tasks, pageNumber, pageSize).map((t) => ({
      task_id: t.taskId,
      task_type: t.taskType,
      state: t.state,
      created: t.created,
      updated: t.updated,
      ...(t.error ? { error: { message: t.error.message, code: t.error.code } } : {}),
    })),
    requestId: ctx.requestId,
  };
};

/** Default kubeconfig lifetime: three years (DescribeClusterUserKubeconfig description). */
const KUBECONFIG_LIFETIME_MS = 3 * 365 * 24 * 3600 * 1000;

const describeClusterUserKubeconfig: RoaHandler = (ctx, { pathParams, query }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  const minutes = query.TemporaryDurationMinutes === undefined ? undefined : intQuery(query.TemporaryDurationMinutes, 'TemporaryDurationMinutes', { min: 15, max: 4320, fallback: 60 });
  boolQuery(query.PrivateIpAddress); // one API server URL serves both in the sandbox
  const { token, expiresMs } = issueKubeToken(ctx.world, cluster, ctx.caller.arn, minutes ? minutes * 60_000 : KUBECONFIG_LIFETIME_MS);
  const user = ctx.caller.accountId;
  const context = `${user}-${cluster.clusterId}`;
  const config = [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    server: ${ctx.baseUrl}/k8s/${cluster.clusterId}`,
    // The sandbox serves plain HTTP on loopback; client-node refuses http:// without this (real ACK uses TLS and a CA).
    '    insecure-skip-tls-verify: true',
    '  name: kubernetes',
    'contexts:',
    '- context:',
    '    cluster: kubernetes',
    `    user: "${user}"`,
    `  name: ${context}`,
    `current-context: ${context}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: "${user}"`,
    '  user:',
    `    token: ${token}`,
    '',
  ].join('\n');
  return { config, expiration: new Date(expiresMs).toISOString().replace(/\.\d{3}Z$/, 'Z') };
};

const describeClusterResources: RoaHandler = (ctx, { pathParams }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  const resource = (type: string, id: string, logicalId: string) => ({
    cluster_id: cluster.clusterId,
    created: cluster.created,
    instance_id: id,
    resource_info: JSON.stringify({ Id: logicalId, Name: logicalId, Type: type, Status: 'CREATE_COMPLETE', StatusReason: 'state changed', Updated: cluster.created, PhysicalId: id }),
    resource_type: type,
    state: 'CREATE_COMPLETE',
    auto_create: 1,
    creator_type: 'system',
    delete_behavior: { delete_by_default: true, changeable: false },
  });
  const out = [resource('ALIYUN::ECS::SecurityGroup', cluster.securityGroupId, 'k8s_SecurityGroup')];
  if (cluster.workerRamRoleName) out.push(resource('ALIYUN::RAM::Role', cluster.workerRamRoleName, 'KubernetesWorkerRole'));
  return out;
};

const describeClusterLogs: RoaHandler = (ctx, { pathParams }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  return [...cluster.logs].reverse().map((l) => ({ ID: l.id, cluster_id: cluster.clusterId, cluster_log: l.message, created: l.created, updated: l.created }));
};

export const csClusterHandlers: Record<string, RoaHandler> = {
  DescribeClusterDetail: describeClusterDetail,
  DescribeClustersV1: describeClustersV1,
  ModifyCluster: modifyCluster,
  DescribeTaskInfo: describeTaskInfo,
  DescribeClusterTasks: describeClusterTasks,
  DescribeClusterUserKubeconfig: describeClusterUserKubeconfig,
  DescribeClusterResources: describeClusterResources,
  DescribeClusterLogs: describeClusterLogs,
};

export const cs: ProductModule = { product: 'cs', rpc: {}, roa: { ...csClusterHandlers, ...csNodeHandlers, ...csAddonHandlers } };
