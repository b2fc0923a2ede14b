// Seeded worlds: the facts a real pair of accounts would have. Each scenario is a function that builds one.
import { seedVpc, seedVSwitch } from './state/vpc.js';
import { World } from './world.js';

export interface SandboxAccounts {
  A: string;
  B: string;
}

/** Which account is A and which is B, and their own (root) AccessKeys, as the profiles file names them. */
export interface SandboxMeta {
  accounts: SandboxAccounts;
  rootKeys: SandboxAccounts;
  /** IDs a scenario's user would look up in the console: cluster, registry, VPCs. */
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

/** Two accounts with their root keys; every scenario starts here. */
function twoAccounts(world: World): SandboxMeta {
  const meta = sandboxMeta(world);
  world.addAccount(ACCOUNT_A, 'cluster-owner');
  world.addAccount(ACCOUNT_B, 'registry-owner');
  meta.accounts = { A: ACCOUNT_A, B: ACCOUNT_B };
  meta.rootKeys = { A: world.addAccessKey(ACCOUNT_A).accessKeyId, B: world.addAccessKey(ACCOUNT_B).accessKeyId };
  return meta;
}

/** A's cluster VPC and B's registry VPC, each with vSwitches in two zones. */
function networks(world: World, meta: SandboxMeta, regions: { a: string; b: string }, cidrs: { a: string; b: string }): void {
  const vpcA = seedVpc(world, meta.accounts.A, { regionId: regions.a, name: 'ack-vpc', cidrBlock: cidrs.a });
  const octetsA = cidrs.a.split('.');
  seedVSwitch(world, meta.accounts.A, { vpcId: vpcA.vpcId, zoneId: `${regions.a}-h`, name: 'nodes-h', cidrBlock: `${octetsA[0]}.${octetsA[1]}.0.0/24` });
  seedVSwitch(world, meta.accounts.A, { vpcId: vpcA.vpcId, zoneId: `${regions.a}-i`, name: 'nodes-i', cidrBlock: `${octetsA[0]}.${octetsA[1]}.1.0/24` });
  const vpcB = seedVpc(world, meta.accounts.B, { regionId: regions.b, name: 'registry-vpc', cidrBlock: cidrs.b });
  const octetsB = cidrs.b.split('.');
  seedVSwitch(world, meta.accounts.B, { vpcId: vpcB.vpcId, zoneId: `${regions.b}-h`, name: 'registry-h', cidrBlock: `${octetsB[0]}.${octetsB[1]}.0.0/24` });
  seedVSwitch(world, meta.accounts.B, { vpcId: vpcB.vpcId, zoneId: `${regions.b}-i`, name: 'registry-i', cidrBlock: `${octetsB[0]}.${octetsB[1]}.1.0/24` });
  meta.facts.vpcA = vpcA.vpcId;
  meta.facts.vpcB = vpcB.vpcId;
  meta.facts.regionA = regions.a;
  meta.facts.regionB = regions.b;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'default',
    description: 'same region (cn-hangzhou), non-overlapping VPCs: every network, DNS and auth option is possible',
    build(world) {
      networks(world, twoAccounts(world), { a: 'cn-hangzhou', b: 'cn-hangzhou' }, { a: '192.168.0.0/16', b: '172.16.0.0/16' });
    },
  },
  {
    name: 'cross-region',
    description: 'cluster in cn-hangzhou, registry in cn-shanghai: peering needs cross-region bandwidth, CEN a peer attachment',
    build(world) {
      networks(world, twoAccounts(world), { a: 'cn-hangzhou', b: 'cn-shanghai' }, { a: '192.168.0.0/16', b: '172.16.0.0/16' });
    },
  },
  {
    name: 'overlapping-cidrs',
    description: "A's and B's VPCs both use 192.168.0.0/16: peering and CEN are refused, the public endpoint is the way",
    build(world) {
      networks(world, twoAccounts(world), { a: 'cn-hangzhou', b: 'cn-hangzhou' }, { a: '192.168.0.0/16', b: '192.168.0.0/16' });
    },
  },
];

export function findScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no sandbox scenario "${name}"; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return scenario;
}

export function createWorld(name: string): World {
  const world = World.empty(name, Date.now());
  findScenario(name).build(world);
  return world;
}
