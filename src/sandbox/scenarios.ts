// Seeded worlds: the facts a real pair of accounts would have. Each scenario is a function that builds one.
import { ensureKubeCluster } from './kube/index.js';
import { startHelper } from './pull-helper.js';
import { seedRegistry } from './state/cr.js';
import { SELF_MANAGED_HELPER } from './state/cs-addons.js';
import { seedCluster, type SeedClusterInput } from './state/cs-seed.js';
import { seedInstance } from './state/ecs.js';
import { seedRole } from './state/ram.js';
import { addressIn, seedNatGateway, seedVpc, seedVSwitch, type VSwitchRecord } from './state/vpc.js';
import { World } from './world.js';

export interface SandboxAccounts {
  A: string;
  B: string;
}

/** Which account is A and which is B, and their own (root) AccessKeys, as the profiles file names them. */
export interface SandboxMeta {
  accounts: SandboxAccounts;
  rootKeys: SandboxAccounts;
  /** IDs a scenario's user would look up in the console: cluster, registry, VPCs, repositories. */
  facts: Record<string, string | string[]>;
}

export const sandboxMeta = (world: World): SandboxMeta =>
  world.shared<SandboxMeta>('sandbox', () => ({ accounts: { A: '', B: '' }, rootKeys: { A: '', B: '' }, facts: {} }));

export interface Scenario {
  name: string;
  description: string;
  build(world: World): void;
}

const ACCOUNT_A = '1760312345678901';
const ACCOUNT_B = '1580298765432109';

/** What varies between scenarios; everything else is the default world. */
interface WorldShape {
  regionA: string;
  regionB: string;
  cidrA: string;
  cidrB: string;
  cluster: Partial<SeedClusterInput>;
  /** A NAT gateway with SNAT and an EIP for A's nodes (public egress). */
  natA: boolean;
  registry: { specification?: 'Enterprise_Basic' | 'Enterprise_Standard' | 'Enterprise_Advanced' | 'Basic'; createdAt?: string; authIp?: string; ossIp?: string };
  /** Extra state on top (existing helper configuration, roles, ...). */
  extra?: (world: World, ids: SeededIds) => void;
  /** Only the accounts and their VPCs: for tests that build everything else themselves. */
  bare?: boolean;
}

interface SeededIds {
  meta: SandboxMeta;
  clusterId: string;
  instanceId: string;
  vpcA: string;
  vpcB: string;
}

const DEFAULT_SHAPE: WorldShape = {
  regionA: 'cn-hangzhou',
  regionB: 'cn-hangzhou',
  cidrA: '192.168.0.0/16',
  cidrB: '172.16.0.0/16',
  cluster: {},
  natA: true,
  registry: {},
};

const REPOSITORIES = [
  { namespace: 'team', name: 'app', tags: ['1.4.2', '1.4.1', 'latest'] },
  { namespace: 'team', name: 'web', tags: ['2025.11.3'] },
  { namespace: 'base', name: 'alpine', tags: ['3.20'] },
];

function twoVSwitches(world: World, accountId: string, vpcId: string, region: string, cidr: string, prefix: string): VSwitchRecord[] {
  const [a, b] = cidr.split('.');
  return [
    seedVSwitch(world, accountId, { vpcId, zoneId: `${region}-h`, name: `${prefix}-h`, cidrBlock: `${a}.${b}.0.0/24` }),
    seedVSwitch(world, accountId, { vpcId, zoneId: `${region}-i`, name: `${prefix}-i`, cidrBlock: `${a}.${b}.1.0/24` }),
  ];
}

/** Builds a world of the given shape: A's cluster VPC and cluster, B's registry VPC, registry and a helper ECS. */
function buildWorld(world: World, shape: WorldShape): void {
  const meta = sandboxMeta(world);
  world.addAccount(ACCOUNT_A, 'cluster-owner');
  world.addAccount(ACCOUNT_B, 'registry-owner');
  meta.accounts = { A: ACCOUNT_A, B: ACCOUNT_B };
  meta.rootKeys = { A: world.addAccessKey(ACCOUNT_A).accessKeyId, B: world.addAccessKey(ACCOUNT_B).accessKeyId };

  const vpcA = seedVpc(world, ACCOUNT_A, { regionId: shape.regionA, name: 'ack-vpc', cidrBlock: shape.cidrA });
  const nodesA = twoVSwitches(world, ACCOUNT_A, vpcA.vpcId, shape.regionA, shape.cidrA, 'nodes');
  if (shape.bare) {
    const vpcB = seedVpc(world, ACCOUNT_B, { regionId: shape.regionB, name: 'registry-vpc', cidrBlock: shape.cidrB });
    twoVSwitches(world, ACCOUNT_B, vpcB.vpcId, shape.regionB, shape.cidrB, 'registry');
    Object.assign(meta.facts, { regionA: shape.regionA, regionB: shape.regionB, vpcA: vpcA.vpcId, vpcB: vpcB.vpcId });
    return;
  }
  if (shape.natA) seedNatGateway(world, ACCOUNT_A, { vpcId: vpcA.vpcId, vSwitchId: nodesA[0]!.vSwitchId, name: 'egress', snatVSwitchIds: nodesA.map((v) => v.vSwitchId), defaultRoute: true });
  const cluster = seedCluster(world, ACCOUNT_A, {
    regionId: shape.regionA,
    name: 'prod',
    vpcId: vpcA.vpcId,
    vSwitchIds: nodesA.map((v) => v.vSwitchId),
    nodePools: [{ name: 'default-nodepool', nodeCount: 2 }],
    ...shape.cluster,
  });
  ensureKubeCluster(world, cluster.clusterId);
  for (const addon of shape.cluster.addons ?? []) startHelper(world, cluster.clusterId, addon.name);

  const vpcB = seedVpc(world, ACCOUNT_B, { regionId: shape.regionB, name: 'registry-vpc', cidrBlock: shape.cidrB });
  const subnetsB = twoVSwitches(world, ACCOUNT_B, vpcB.vpcId, shape.regionB, shape.cidrB, 'registry');
  const registry = seedRegistry(world, ACCOUNT_B, {
    regionId: shape.regionB,
    name: shape.registry.specification === 'Basic' ? 'team-personal' : 'acme-images',
    ...shape.registry,
    repositories: REPOSITORIES,
  });
  // An ECS instance in B's VPC with Cloud Assistant: where the auth-service and OSS addresses are looked up.
  const probe = seedInstance(world, ACCOUNT_B, {
    regionId: shape.regionB,
    zoneId: subnetsB[0]!.zoneId,
    vpcId: vpcB.vpcId,
    vSwitchId: subnetsB[0]!.vSwitchId,
    privateIp: addressIn(subnetsB[0]!.cidrBlock, 10),
    name: 'bastion',
    cloudAssistant: true,
  });

  Object.assign(meta.facts, {
    regionA: shape.regionA,
    regionB: shape.regionB,
    clusterId: cluster.clusterId,
    instanceId: registry.instanceId,
    vpcA: vpcA.vpcId,
    vpcB: vpcB.vpcId,
    vswitchesA: nodesA.map((v) => v.vSwitchId),
    vswitchesB: subnetsB.map((v) => v.vSwitchId),
    registryVpcDomain: registry.domains.vpc,
    registryInternetDomain: registry.domains.internet,
    probeInstanceId: probe.instanceId,
    repositories: REPOSITORIES.flatMap((r) => r.tags.map((t) => `${r.namespace}/${r.name}:${t}`)),
  });
  shape.extra?.(world, { meta, clusterId: cluster.clusterId, instanceId: registry.instanceId, vpcA: vpcA.vpcId, vpcB: vpcB.vpcId });
}

const scenario = (name: string, description: string, shape: Partial<WorldShape> = {}): Scenario => ({
  name,
  description,
  build: (world) => buildWorld(world, { ...DEFAULT_SHAPE, ...shape, cluster: { ...DEFAULT_SHAPE.cluster, ...shape.cluster }, registry: { ...DEFAULT_SHAPE.registry, ...shape.registry } }),
});

/** A self-managed helper already serving another registry: our entry must be added beside it. */
function existingHelperConfig(world: World, ids: SeededIds): void {
  const store = ensureKubeCluster(world, ids.clusterId)!;
  store.put({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'acr-configuration', namespace: 'kube-system' },
    data: {
      'service-account': 'default',
      'watch-namespace': 'all',
      'expiring-threshold': '15m',
      'notify-email': 'platform@example.com',
      'acr-registry-info': '- instanceId: "cri-otherteam00001"\n  regionId: "cn-beijing"\n  domains: "other-registry-vpc.cn-beijing.cr.aliyuncs.com"\n  assumeRoleARN: "acs:ram::1999888877776666:role/other-puller"\n  expireDuration: 3600\n',
    },
  });
}

export const SCENARIOS: readonly Scenario[] = [
  scenario('default', 'same region (cn-hangzhou), ACK Pro 1.31 with RRSA off, ACR EE, non-overlapping VPCs, NAT egress: every option possible'),
  scenario('cross-region', 'cluster in cn-hangzhou, registry in cn-shanghai: peering needs cross-region bandwidth, CEN a peer attachment', { regionB: 'cn-shanghai' }),
  scenario('overlapping-cidrs', "A's and B's VPCs both use 192.168.0.0/16: peering and CEN cannot route, the public endpoint is the way", { cidrB: '192.168.0.0/16' }),
  scenario('ack-basic', 'ACK managed Basic cluster (ack.standard)', { cluster: { clusterSpec: 'ack.standard' } }),
  scenario('ack-edge', 'ACK Edge cluster: RRSA and the managed add-on only', { cluster: { profile: 'Edge' } }),
  scenario('ack-serverless', 'ACK Serverless Pro cluster: no nodes of its own (hosts mode impossible), RRSA only', { cluster: { profile: 'Serverless', nodePools: [] } }),
  scenario('ack-dedicated', 'ACK dedicated cluster: worker role or AccessKey with the self-managed add-on; no RRSA', { cluster: { clusterType: 'Kubernetes', clusterSpec: '' } }),
  scenario('old-cluster', 'ACK Pro on Kubernetes 1.18: below every supported version', { cluster: { currentVersion: '1.18.8-aliyun.1' } }),
  scenario('rrsa-enabled', 'like default, with RRSA already enabled on the cluster', { cluster: { rrsaEnabled: true } }),
  scenario('personal-edition', 'a Personal Edition instance created after 2024-09-08: not supported by the passwordless helper', {
    registry: { specification: 'Basic', createdAt: '2025-03-01T00:00:00Z' },
  }),
  scenario('existing-helper-config', 'the self-managed helper is installed and its acr-configuration already serves another instance', {
    cluster: { addons: [{ name: SELF_MANAGED_HELPER, config: '{"tokenMode":"auto"}' }] },
    extra: existingHelperConfig,
  }),
  scenario('auth-ip-in-a', "the registry's auth-service and OSS addresses fall inside A's VPC CIDR (the seed FAQ on 100.0.0.0/8)", {
    cidrA: '100.96.0.0/16',
    registry: { authIp: '100.96.7.181', ossIp: '100.96.8.10' },
  }),
  scenario('short-session-role', "B already has a role named acr-xaccount-puller, MaxSessionDuration 3600, trusting someone else", {
    extra: (world) =>
      seedRole(world, ACCOUNT_B, {
        roleName: 'acr-xaccount-puller',
        maxSessionDuration: 3600,
        description: 'made by hand last year',
        trustPolicy: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::1999888877776666:root'] } }] },
      }),
  }),
  scenario('no-nat', 'A has no NAT gateway: nodes have no public egress, so the public endpoint is unreachable', { natA: false }),
  scenario('bare', 'only the two accounts and their VPCs (same region): for building everything by hand', { bare: true }),
  scenario('bare-cross-region', 'only the two accounts and their VPCs, A in cn-hangzhou and B in cn-shanghai', { bare: true, regionB: 'cn-shanghai' }),
  scenario('bare-overlapping-cidrs', 'only the two accounts and their VPCs, both 192.168.0.0/16', { bare: true, cidrB: '192.168.0.0/16' }),
];

export function findScenario(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`no sandbox scenario "${name}"; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return found;
}

export function createWorld(name: string): World {
  const world = World.empty(name, Date.now());
  findScenario(name).build(world);
  return world;
}
