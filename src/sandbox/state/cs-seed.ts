// Seeding ACK clusters (scenarios, tests) and the facts the pull decision reads: the cluster, its node pools,
// its nodes as ECS instances (IPs inside the pools' vSwitches, Cloud Assistant online, worker role attached).
import { randomUUID } from 'node:crypto';

import type { World } from '../world.js';
import { ecsState, replaceHostsBlock, seedInstance, seedSecurityGroup, type EcsInstanceRecord } from './ecs.js';
import { hostsBlockOfScript } from './ecs-shell.js';
import { addClusterLog, csState, findCluster, hexId, iso, rrsaView, settleTasks, RRSA_AUDIENCE, type ClusterProfile, type ClusterRecord, type ClusterType, type NodePoolRecord } from './cs.js';
import { ADDON_CATALOGUE, addonAvailable, addonSpec, credentialHelperOf, latestVersion, normaliseAddonConfig, parseConfig, type CredentialHelperFacts } from './cs-addons.js';
import { registerOidcProvider } from './ims.js';
import { findRole, seedCustomPolicy, seedRole } from './ram.js';
import { addressIn, cidrContains, cidrsOverlap, parseCidr, vpcState } from './vpc.js';

export interface SeedNodePool {
  name: string;
  /** Default: the cluster's vSwitches. */
  vSwitchIds?: string[];
  /** Default 2. */
  nodeCount?: number;
  /** Plain-text user-data script (stored base64, as the API carries it); nodes created now run it. */
  userData?: string;
  instanceType?: string;
}

export interface SeedClusterInput {
  regionId: string;
  name: string;
  /** Default ManagedKubernetes. */
  clusterType?: ClusterType;
  /** Default `Default`. */
  profile?: ClusterProfile;
  /** Default `ack.pro.small` for managed clusters, '' otherwise; `ack.standard` is ACK Basic. */
  clusterSpec?: string;
  /** Default `1.31.1-aliyun.1`. */
  currentVersion?: string;
  vpcId: string;
  /** Default: every vSwitch of the VPC. */
  vSwitchIds?: string[];
  /** Pod CIDR (container_cidr), default 172.20.0.0/16. */
  podCidr?: string;
  /** Default 172.21.0.0/20. */
  serviceCidr?: string;
  /** Default `KubernetesWorkerRole-<uuid>`; Serverless and registered clusters have none. */
  workerRamRoleName?: string;
  rrsaEnabled?: boolean;
  /** Default one pool of two nodes; Serverless clusters take none. */
  nodePools?: SeedNodePool[];
  /** Extra add-ons installed and active (the defaults coredns, metrics-server, csi-plugin come anyway). */
  addons?: { name: string; version?: string; config?: string }[];
  /** Creation time (ISO); default now. */
  created?: string;
}

/** Seeds a running cluster with its pools and nodes. Throws on inputs a real cluster could not have. */
export function seedCluster(world: World, accountId: string, input: SeedClusterInput): ClusterRecord {
  const vpcs = vpcState(world, accountId);
  const vpc = vpcs.vpcs[input.vpcId];
  if (!vpc) throw new Error(`seedCluster: no VPC ${input.vpcId} in ${accountId}`);
  const vSwitchIds = input.vSwitchIds ?? Object.values(vpcs.vswitches).filter((v) => v.vpcId === vpc.vpcId).map((v) => v.vSwitchId);
  for (const id of vSwitchIds) if (vpcs.vswitches[id]?.vpcId !== vpc.vpcId) throw new Error(`seedCluster: vSwitch ${id} is not in ${vpc.vpcId}`);
  if (vSwitchIds.length === 0) throw new Error(`seedCluster: ${vpc.vpcId} has no vSwitch`);
  const clusterType = input.clusterType ?? 'ManagedKubernetes';
  const profile = input.profile ?? 'Default';
  const podCidr = input.podCidr ?? '172.20.0.0/16';
  const serviceCidr = input.serviceCidr ?? '172.21.0.0/20';
  // ACK refuses pod/service CIDRs that overlap the VPC or each other.
  for (const cidr of [podCidr, serviceCidr]) {
    if ([vpc.cidrBlock, ...vpc.secondaryCidrBlocks].some((v) => cidrsOverlap(v, cidr))) throw new Error(`seedCluster: ${cidr} overlaps ${vpc.vpcId}`);
  }
  if (cidrsOverlap(podCidr, serviceCidr)) throw new Error('seedCluster: pod and service CIDRs overlap');
  const serverless = profile === 'Serverless';
  if (serverless && input.nodePools?.length) throw new Error('seedCluster: Serverless clusters have no node pools');
  const createdMs = input.created ? Date.parse(input.created) : world.data.nowMs;
  const version = input.currentVersion ?? '1.31.1-aliyun.1';
  const cluster: ClusterRecord = {
    clusterId: `c${hexId(world, 32)}`,
    name: input.name,
    regionId: input.regionId,
    zoneId: vpcs.vswitches[vSwitchIds[0]!]!.zoneId,
    clusterType,
    profile,
    clusterSpec: input.clusterSpec ?? (clusterType === 'ManagedKubernetes' ? 'ack.pro.small' : ''),
    initVersion: version,
    currentVersion: version,
    vpcId: vpc.vpcId,
    vSwitchIds,
    podCidr,
    serviceCidr,
    workerRamRoleName: input.workerRamRoleName ?? (serverless || clusterType === 'ExternalKubernetes' ? '' : `KubernetesWorkerRole-${randomUUID()}`),
    securityGroupId: '',
    state: 'running',
    deletionProtection: false,
    resourceGroupId: world.nextId('rg-acfm', 11),
    created: iso(createdMs),
    updated: iso(createdMs),
    rrsaEnabled: false,
    addons: {},
    nodePools: {},
    masterInstanceIds: [],
    kubeTokens: [],
    logs: [],
  };
  csState(world, accountId).clusters[cluster.clusterId] = cluster;
  addClusterLog(world, cluster, 'start to create cluster', createdMs);
  cluster.securityGroupId = clusterSecurityGroup(world, accountId, cluster, vpc.cidrBlock);
  if (cluster.workerRamRoleName) ensureWorkerRole(world, accountId, cluster);
  for (const spec of ADDON_CATALOGUE) {
    if (spec.installByDefault && addonAvailable(spec, cluster)) {
      cluster.addons[spec.name] = { name: spec.name, version: spec.versions[0]!, config: normaliseAddonConfig(spec, undefined), state: 'active', installedAt: cluster.created };
    }
  }
  for (const addon of input.addons ?? []) seedClusterAddon(world, cluster.clusterId, addon);
  if (clusterType === 'Kubernetes') {
    // Dedicated clusters run their own three masters, spread over the control-plane vSwitches.
    for (let i = 0; i < 3; i++) {
      const vsw = vSwitchIds[i % vSwitchIds.length]!;
      cluster.masterInstanceIds.push(createNode(world, accountId, cluster, undefined, vsw, `master-0${i + 1}-k8s-for-cs-${cluster.clusterId}`).instanceId);
    }
  }
  if (!serverless) {
    const pools = input.nodePools ?? [{ name: 'default-nodepool' }];
    pools.forEach((p, i) => seedNodePool(world, accountId, cluster, p, i === 0));
  }
  if (input.rrsaEnabled) {
    cluster.rrsaEnabled = true;
    cluster.rrsaEnabledAtMs = world.data.nowMs;
    const view = rrsaView(accountId, cluster);
    registerOidcProvider(world, accountId, { name: view.oidcName!, issuerUrl: view.issuer!, clientIds: [RRSA_AUDIENCE], description: `RRSA OIDC provider of ACK cluster ${cluster.clusterId}` });
  }
  addClusterLog(world, cluster, 'start to update cluster status to CREATE_COMPLETE', createdMs);
  return cluster;
}

/** The group ACK creates for a cluster's nodes: everything from the VPC and the pods, all egress. */
function clusterSecurityGroup(world: World, accountId: string, cluster: ClusterRecord, vpcCidr: string): string {
  const rule = (direction: 'ingress' | 'egress', cidr: string) => ({ direction, policy: 'Accept' as const, ipProtocol: 'all', portRange: '-1/-1', cidr, priority: 100, description: '' });
  return seedSecurityGroup(world, accountId, {
    regionId: cluster.regionId,
    vpcId: cluster.vpcId,
    name: `alicloud-cs-auto-created-security-group-${cluster.clusterId}`,
    description: `security group of ACK cluster ${cluster.clusterId}`,
    rules: [rule('ingress', vpcCidr), rule('ingress', cluster.podCidr), rule('egress', '0.0.0.0/0')],
  }).securityGroupId;
}

/**
 * The worker RAM role ACK creates with the cluster: trusted by ECS, with its own k8sWorkerRolePolicy. Assumed:
 * since 2023-04 the policy no longer grants cr:* (ACK's announcement on the helper's permissions), so the worker
 * role can pull only once someone grants it more.
 */
function ensureWorkerRole(world: World, accountId: string, cluster: ClusterRecord): void {
  if (findRole(world, accountId, cluster.workerRamRoleName)) return;
  const suffix = cluster.workerRamRoleName.replace(/^KubernetesWorkerRole-/, '');
  const policyName = `k8sWorkerRolePolicy-${suffix}`.slice(0, 128);
  seedCustomPolicy(world, accountId, {
    policyName,
    description: `worker role policy of ACK cluster ${cluster.clusterId}`,
    document: { Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:DescribeInstances', 'ecs:DescribeInstanceAttribute', 'vpc:DescribeVSwitches', 'vpc:DescribeVpcs'], Resource: '*' }] },
  });
  seedRole(world, accountId, {
    roleName: cluster.workerRamRoleName,
    description: `worker role of ACK cluster ${cluster.clusterId}`,
    trustPolicy: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }] },
    policies: [{ policyType: 'Custom', policyName }],
  });
}

function seedNodePool(world: World, accountId: string, cluster: ClusterRecord, input: SeedNodePool, isDefault: boolean): NodePoolRecord {
  const vpcs = vpcState(world, accountId);
  const vSwitchIds = input.vSwitchIds ?? cluster.vSwitchIds;
  for (const id of vSwitchIds) if (vpcs.vswitches[id]?.vpcId !== cluster.vpcId) throw new Error(`seedCluster: node pool vSwitch ${id} is not in ${cluster.vpcId}`);
  const pool: NodePoolRecord = {
    nodepoolId: `np${hexId(world, 32)}`,
    name: input.name,
    type: 'ess',
    isDefault,
    vSwitchIds,
    userData: input.userData ? Buffer.from(input.userData, 'utf8').toString('base64') : '',
    preUserData: '',
    instanceTypes: [input.instanceType ?? 'ecs.g7.xlarge'],
    scalingGroupId: world.nextId('asg-'),
    state: 'active',
    created: cluster.created,
    updated: cluster.created,
  };
  cluster.nodePools[pool.nodepoolId] = pool;
  addNodes(world, accountId, cluster, pool, input.nodeCount ?? 2);
  return pool;
}

/** Adds nodes to a pool, spread over its vSwitches; each runs the pool's current user data (its hosts lines). */
function addNodes(world: World, accountId: string, cluster: ClusterRecord, pool: NodePoolRecord, count: number): EcsInstanceRecord[] {
  const existing = poolNodes(world, accountId, cluster.clusterId, pool.nodepoolId).length;
  const nodes: EcsInstanceRecord[] = [];
  for (let i = 0; i < count; i++) {
    const vsw = pool.vSwitchIds[(existing + i) % pool.vSwitchIds.length]!;
    nodes.push(createNode(world, accountId, cluster, pool, vsw, `worker-k8s-for-cs-${cluster.clusterId}`));
  }
  return nodes;
}

function createNode(world: World, accountId: string, cluster: ClusterRecord, pool: NodePoolRecord | undefined, vSwitchId: string, name: string): EcsInstanceRecord {
  const vswitch = vpcState(world, accountId).vswitches[vSwitchId]!;
  const script = pool?.userData ? Buffer.from(pool.userData, 'base64').toString('utf8') : '';
  // The node runs the pool's user data once, at creation: a hosts-block script (ecs-shell's reading) writes its block.
  const block = hostsBlockOfScript(script);
  const hosts = ['127.0.0.1 localhost', '::1 localhost'];
  const node = seedInstance(world, accountId, {
    regionId: cluster.regionId,
    zoneId: vswitch.zoneId,
    vpcId: cluster.vpcId,
    vSwitchId,
    privateIp: freeAddress(world, accountId, vSwitchId, vswitch.cidrBlock),
    name,
    cloudAssistant: true,
    hosts: block ? replaceHostsBlock(hosts, block) : hosts,
    clusterId: cluster.clusterId,
    nodePoolId: pool?.nodepoolId,
    ramRoleName: cluster.workerRamRoleName || undefined,
    securityGroupIds: [cluster.securityGroupId],
    instanceType: pool?.instanceTypes[0] ?? 'ecs.g7.large',
    osName: 'Alibaba Cloud Linux  3.2104 LTS 64 bit',
  });
  node.hostName = `iZ${node.instanceId.slice(2)}Z`; // ECS's default host name
  return node;
}

/** The lowest address from .10 up that no instance in the vSwitch uses (the first ones are reserved by VPC). */
function freeAddress(world: World, accountId: string, vSwitchId: string, cidr: string): string {
  const used = new Set(Object.values(ecsState(world, accountId).instances).filter((i) => i.vSwitchId === vSwitchId).map((i) => i.privateIp));
  const size = 2 ** (32 - parseCidr(cidr).bits);
  for (let index = 10; index < size - 3; index++) {
    const ip = addressIn(cidr, index);
    if (!used.has(ip) && cidrContains(cidr, ip)) return ip;
  }
  throw new Error(`no free address left in ${vSwitchId}`);
}

export function poolNodes(world: World, accountId: string, clusterId: string, nodePoolId: string): EcsInstanceRecord[] {
  return clusterNodes(world, accountId, clusterId).filter((n) => n.nodePoolId === nodePoolId);
}

/** The cluster's ECS instances (masters and workers), oldest first. */
export function clusterNodes(world: World, accountId: string, clusterId: string): EcsInstanceRecord[] {
  return Object.values(ecsState(world, accountId).instances)
    .filter((i) => i.clusterId === clusterId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt)); // stable: same-time nodes keep creation order
}

/** Scales a pool out by `count` nodes; the new nodes run the pool's current user data (existing ones keep theirs). */
export function scaleOutNodePool(world: World, clusterId: string, nodePoolId: string, count: number): EcsInstanceRecord[] {
  const found = findCluster(world, clusterId);
  const pool = found?.cluster.nodePools[nodePoolId];
  if (!found || !pool) throw new Error(`scaleOutNodePool: no node pool ${nodePoolId} in ${clusterId}`);
  return addNodes(world, found.accountId, found.cluster, pool, count);
}

/** Installs an add-on as already active (scenarios: an existing helper, an old version). */
export function seedClusterAddon(world: World, clusterId: string, input: { name: string; version?: string; config?: string }): void {
  const found = findCluster(world, clusterId);
  if (!found) throw new Error(`seedClusterAddon: no cluster ${clusterId}`);
  const spec = addonSpec(input.name);
  const config = spec ? normaliseAddonConfig(spec, input.config) : input.config ?? '';
  const version = input.version ?? (spec ? latestVersion(spec) : '');
  found.cluster.addons[input.name] = { name: input.name, version, config, state: 'active', installedAt: iso(world.data.nowMs), activeSinceMs: world.data.nowMs };
}

export interface ClusterNodeFacts {
  instanceId: string;
  role: 'Master' | 'Worker';
  nodePoolId?: string;
  privateIp: string;
  vSwitchId: string;
  zoneId: string;
  /** A copy of the node's /etc/hosts lines. */
  hosts: string[];
}

export interface ClusterFacts {
  accountId: string;
  clusterId: string;
  name: string;
  regionId: string;
  clusterType: ClusterType;
  profile: ClusterProfile;
  clusterSpec: string;
  currentVersion: string;
  state: string;
  created: string;
  vpcId: string;
  /** Control-plane vSwitches. */
  vSwitchIds: string[];
  /** Every vSwitch a node pool uses. */
  nodeVSwitchIds: string[];
  podCidr: string;
  serviceCidr: string;
  workerRamRoleName: string;
  workerRoleArn?: string;
  rrsa: { enabled: boolean; issuer?: string; audience?: string; oidcProviderName?: string; oidcProviderArn?: string; enabledAtMs?: number };
  addons: { name: string; version: string; state: string; config: Record<string, unknown> }[];
  credentialHelper?: CredentialHelperFacts;
  nodePools: { nodepoolId: string; name: string; vSwitchIds: string[]; userData: string }[];
  nodes: ClusterNodeFacts[];
}

/** Everything the pull decision needs to know about a cluster, tasks settled to now; undefined if none. */
export function clusterFacts(world: World, clusterId: string): ClusterFacts | undefined {
  const found = findCluster(world, clusterId);
  if (!found) return undefined;
  const { accountId, cluster } = found;
  settleTasks(world, accountId);
  const rrsa = rrsaView(accountId, cluster);
  const pools = Object.values(cluster.nodePools);
  return {
    accountId,
    clusterId,
    name: cluster.name,
    regionId: cluster.regionId,
    clusterType: cluster.clusterType,
    profile: cluster.profile,
    clusterSpec: cluster.clusterSpec,
    currentVersion: cluster.currentVersion,
    state: cluster.state,
    created: cluster.created,
    vpcId: cluster.vpcId,
    vSwitchIds: [...cluster.vSwitchIds],
    nodeVSwitchIds: [...new Set(pools.flatMap((p) => p.vSwitchIds))],
    podCidr: cluster.podCidr,
    serviceCidr: cluster.serviceCidr,
    workerRamRoleName: cluster.workerRamRoleName,
    workerRoleArn: cluster.workerRamRoleName ? `acs:ram::${accountId}:role/${cluster.workerRamRoleName}` : undefined,
    rrsa: { enabled: rrsa.enabled, issuer: rrsa.issuer, audience: rrsa.audience, oidcProviderName: rrsa.oidcName, oidcProviderArn: rrsa.oidcArn, enabledAtMs: cluster.rrsaEnabledAtMs },
    addons: Object.values(cluster.addons).map((a) => ({ name: a.name, version: a.version, state: a.state, config: parseConfig(a.config) })),
    credentialHelper: credentialHelperOf(cluster),
    nodePools: pools.map((p) => ({ nodepoolId: p.nodepoolId, name: p.name, vSwitchIds: [...p.vSwitchIds], userData: Buffer.from(p.userData, 'base64').toString('utf8') })),
    nodes: clusterNodes(world, accountId, clusterId).map((n) => ({
      instanceId: n.instanceId,
      role: cluster.masterInstanceIds.includes(n.instanceId) ? 'Master' : 'Worker',
      nodePoolId: n.nodePoolId,
      privateIp: n.privateIp,
      vSwitchId: n.vSwitchId,
      zoneId: n.zoneId,
      hosts: [...n.hosts],
    })),
  };
}
