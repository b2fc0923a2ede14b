// CS (ACK) node pools and nodes: pool details with base64 user data, user-data changes (new nodes only), and
// the node list with CS's paging. Nodes are the ECS instances state/cs-seed.ts created.
import { ApiError, type CallContext, type RoaHandler } from '../api.js';
import { startTask, TASK_DURATION_MS, type ClusterRecord, type NodePoolRecord } from '../state/cs.js';
import { clusterNodes, poolNodes } from '../state/cs-seed.js';
import { vpcState } from '../state/vpc.js';
import { intQuery, invalidParameter, ownCluster, page } from './cs-common.js';

function ownPool(cluster: ClusterRecord, nodepoolId: string): NodePoolRecord {
  const pool = cluster.nodePools[nodepoolId];
  // The code terraform-provider-alicloud treats as "node pool gone", with a 404.
  if (!pool) throw new ApiError('ErrorNodePoolNotFound', `ErrorNodePoolNotFound: node pool ${nodepoolId} not found in cluster ${cluster.clusterId}.`, 404);
  return pool;
}

function poolBody(ctx: CallContext, cluster: ClusterRecord, pool: NodePoolRecord): Record<string, unknown> {
  const total = poolNodes(ctx.world, ctx.caller.accountId, cluster.clusterId, pool.nodepoolId).length;
  return {
    nodepool_info: {
      nodepool_id: pool.nodepoolId,
      name: pool.name,
      type: pool.type,
      is_default: pool.isDefault,
      resource_group_id: cluster.resourceGroupId,
      region_id: cluster.regionId,
      created: pool.created,
      updated: pool.updated,
    },
    status: { state: pool.state, healthy_nodes: total, initial_nodes: 0, failed_nodes: 0, offline_nodes: 0, removing_nodes: 0, serving_nodes: total, total_nodes: total },
    auto_scaling: { enable: false, type: 'cpu', max_instances: 0, min_instances: 0, is_bond_eip: false },
    management: { enable: true, auto_repair: true, auto_upgrade: false, auto_vul_fix: false, upgrade_config: { auto_upgrade: false, surge: 0, surge_percentage: 0, max_unavailable: 1 } },
    scaling_group: {
      scaling_group_id: pool.scalingGroupId,
      vswitch_ids: [...pool.vSwitchIds],
      instance_types: [...pool.instanceTypes],
      instance_charge_type: 'PostPaid',
      spot_strategy: 'NoSpot',
      image_type: 'AliyunLinux3',
      image_id: 'aliyun_3_x64_20G_alibase_20241218.vhd',
      system_disk_category: 'cloud_essd',
      system_disk_size: 120,
      security_group_ids: [cluster.securityGroupId],
      login_as_non_root: false,
      desired_size: total,
      multi_az_policy: 'BALANCE',
    },
    kubernetes_config: {
      labels: [],
      taints: [],
      runtime: 'containerd',
      runtime_version: '1.6.28',
      cpu_policy: 'none',
      unschedulable: false,
      cms_enabled: false,
      ...(pool.userData ? { user_data: pool.userData } : {}),
      ...(pool.preUserData ? { pre_user_data: pool.preUserData } : {}),
    },
    max_nodes: 0,
  };
}

const describeClusterNodePools: RoaHandler = (ctx, { pathParams, query }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  const name = query.NodepoolName ? String(query.NodepoolName) : undefined;
  const pools = Object.values(cluster.nodePools).filter((p) => !name || p.name === name);
  return { nodepools: pools.map((p) => poolBody(ctx, cluster, p)) };
};

const describeClusterNodePoolDetail: RoaHandler = (ctx, { pathParams }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  return poolBody(ctx, cluster, ownPool(cluster, pathParams.NodepoolId!));
};

/** ECS takes user data up to 32 KB once base64-encoded (assumed to be the node-pool limit too). */
const USER_DATA_MAX = 32 * 1024;

function checkUserData(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidParameter(`${name} must be a base64-encoded string.`);
  const compact = value.replace(/\s+/g, '');
  const canonical = Buffer.from(compact, 'base64').toString('base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || canonical !== compact) throw invalidParameter(`${name} must be base64-encoded.`);
  if (compact.length > USER_DATA_MAX) throw invalidParameter(`${name} exceeds ${USER_DATA_MAX} bytes after base64 encoding.`);
  return compact;
}

interface NodePoolChange {
  nodepool_info?: { name?: string };
  scaling_group?: { vswitch_ids?: string[] };
  kubernetes_config?: { user_data?: string; pre_user_data?: string };
}

const modifyClusterNodePool: RoaHandler = (ctx, { pathParams, body }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  const pool = ownPool(cluster, pathParams.NodepoolId!);
  const change = (body ?? {}) as NodePoolChange;
  // Check everything before changing anything: a refused request leaves the pool as it was.
  const userData = change.kubernetes_config?.user_data !== undefined ? checkUserData(change.kubernetes_config.user_data, 'kubernetes_config.user_data') : undefined;
  const preUserData = change.kubernetes_config?.pre_user_data !== undefined ? checkUserData(change.kubernetes_config.pre_user_data, 'kubernetes_config.pre_user_data') : undefined;
  const vSwitchIds = change.scaling_group?.vswitch_ids;
  if (vSwitchIds) {
    const vswitches = vpcState(ctx.world, ctx.caller.accountId).vswitches;
    if (vSwitchIds.length === 0) throw invalidParameter('scaling_group.vswitch_ids must list at least one vSwitch.');
    for (const id of vSwitchIds) if (vswitches[id]?.vpcId !== cluster.vpcId) throw invalidParameter(`vSwitch ${id} is not in the cluster's VPC ${cluster.vpcId}.`);
  }
  const name = change.nodepool_info?.name;
  if (name !== undefined && Object.values(cluster.nodePools).some((p) => p.name === name && p.nodepoolId !== pool.nodepoolId)) {
    throw invalidParameter(`node pool name ${name} is already used in cluster ${cluster.clusterId}.`);
  }
  // New nodes run the new script; existing nodes keep what they ran (their /etc/hosts stays as it is).
  if (userData !== undefined) pool.userData = userData;
  if (preUserData !== undefined) pool.preUserData = preUserData;
  if (vSwitchIds) pool.vSwitchIds = [...vSwitchIds];
  if (name !== undefined) pool.name = name;
  pool.state = 'updating';
  const task = startTask(ctx.world, ctx.caller.accountId, cluster, 'nodepool_update', { kind: 'nodepool-update', nodepoolId: pool.nodepoolId }, TASK_DURATION_MS.nodepoolUpdate);
  pool.updated = task.created;
  return { task_id: task.taskId, nodepool_id: pool.nodepoolId, request_id: ctx.requestId };
};

const NODE_STATES = new Set(['all', 'running', 'removing', 'initial', 'failed']);

const describeClusterNodes: RoaHandler = (ctx, { pathParams, query }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  const pageSize = intQuery(query.pageSize, 'pageSize', { min: 1, max: 100, fallback: 10 });
  const pageNumber = intQuery(query.pageNumber, 'pageNumber', { min: 1, max: 1_000_000, fallback: 1 });
  const state = query.state ? String(query.state) : 'all';
  if (!NODE_STATES.has(state)) throw invalidParameter(`state must be one of ${[...NODE_STATES].join(', ')}.`);
  // Assumed: an unknown nodepool_id filters to nothing rather than failing.
  const nodepoolId = query.nodepool_id ? String(query.nodepool_id) : undefined;
  const ids = query.instanceIds ? new Set(String(query.instanceIds).split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
  // Every simulated node is running, so a state filter other than running/all matches none.
  const nodes = clusterNodes(ctx.world, ctx.caller.accountId, cluster.clusterId).filter(
    (n) => (!nodepoolId || n.nodePoolId === nodepoolId) && (!ids || ids.has(n.instanceId)) && (state === 'all' || state === 'running'),
  );
  return {
    nodes: page(nodes, pageNumber, pageSize).map((n) => {
      const master = cluster.masterInstanceIds.includes(n.instanceId);
      const type = n.instanceType ?? 'ecs.g7.xlarge';
      return {
        creation_time: n.createdAt.replace(/\.\d{3}Z$/, 'Z'),
        expired_time: '2099-12-31T15:59:00Z',
        host_name: n.hostName ?? `iZ${n.instanceId.slice(2)}Z`,
        image_id: 'aliyun_3_x64_20G_alibase_20241218.vhd',
        instance_charge_type: 'PostPaid',
        instance_id: n.instanceId,
        instance_name: n.name,
        instance_role: master ? 'Master' : 'Worker',
        instance_status: n.status,
        instance_type: type,
        instance_type_family: type.split('.').slice(0, 2).join('.'),
        ip_address: [n.privateIp],
        is_aliyun_node: true,
        node_name: `${cluster.regionId}.${n.privateIp}`,
        node_status: n.status === 'Running' ? 'Ready' : 'NotReady',
        ...(n.nodePoolId ? { nodepool_id: n.nodePoolId } : {}),
        source: master ? 'ros' : 'ess',
        state: 'running',
        spot_strategy: 'NoSpot',
      };
    }),
    page: { page_number: pageNumber, page_size: pageSize, total_count: nodes.length },
  };
};

export const csNodeHandlers: Record<string, RoaHandler> = {
  DescribeClusterNodePools: describeClusterNodePools,
  DescribeClusterNodePoolDetail: describeClusterNodePoolDetail,
  ModifyClusterNodePool: modifyClusterNodePool,
  DescribeClusterNodes: describeClusterNodes,
};
