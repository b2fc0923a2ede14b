// VPC state of one account: VPCs, vSwitches, route tables and entries, NAT gateways, SNAT entries, EIPs.
// Other products place their resources in these VPCs (clusters, ECS instances, registry endpoints).
// CIDR arithmetic lives in ./cidr.ts and is re-exported here for the modules that already import it from here.
import type { World } from '../world.js';
import { addressIn, cidrContains, cidrWithin } from './cidr.js';

export { addressIn, cidrContains, cidrsOverlap, cidrWithin, ipToInt, isIpv4, normalizeCidr, parseCidr, prefixLength } from './cidr.js';

export interface Tag {
  Key: string;
  Value: string;
}

export interface VpcRecord {
  vpcId: string;
  regionId: string;
  name: string;
  cidrBlock: string;
  secondaryCidrBlocks: string[];
  vRouterId: string;
  /** The system route table, created with the VPC. */
  systemRouteTableId: string;
  createdAt: string;
  description: string;
  tags: Tag[];
}

export interface VSwitchRecord {
  vSwitchId: string;
  vpcId: string;
  regionId: string;
  zoneId: string;
  name: string;
  cidrBlock: string;
  /** The route table this vSwitch uses (the system table unless a custom one is associated). */
  routeTableId: string;
  createdAt: string;
  tags: Tag[];
}

export interface RouteTableRecord {
  routeTableId: string;
  vpcId: string;
  regionId: string;
  vRouterId: string;
  type: 'System' | 'Custom';
  name: string;
  createdAt: string;
  description?: string;
  tags?: Tag[];
}

export type RouteEntryStatus = 'Pending' | 'Available' | 'Deleting';

export interface RouteEntryRecord {
  routeEntryId: string;
  routeTableId: string;
  destinationCidrBlock: string;
  /** `System` entries come with the VPC (local vSwitch CIDRs); `Custom` ones are created by users or tools. */
  type: 'System' | 'Custom';
  nextHopType: string;
  nextHopId: string;
  name: string;
  description: string;
  /** `Pending` right after creation, `Available` a few simulated seconds later; `Deleting` until it is gone. */
  status: RouteEntryStatus;
  createdAtMs: number;
  /** When DeleteRouteEntry was accepted (the entry disappears ROUTE_ENTRY_MS later). */
  deletingSinceMs?: number;
}

export interface NatGatewayRecord {
  natGatewayId: string;
  vpcId: string;
  regionId: string;
  name: string;
  snatTableId: string;
  /** The vSwitch the gateway itself sits in. */
  vSwitchId?: string;
  /** `internet` (Internet NAT gateway) or `intranet` (VPC NAT gateway). */
  networkType?: 'internet' | 'intranet';
  createdAt?: string;
  description?: string;
  tags?: Tag[];
}

export interface SnatEntryRecord {
  snatEntryId: string;
  snatTableId: string;
  natGatewayId: string;
  /** The vSwitch or CIDR whose traffic is translated. */
  sourceVSwitchId?: string;
  sourceCidr?: string;
  /** Public address(es) used, comma-separated as the API shows them. */
  snatIp: string;
  name?: string;
  status?: 'Pending' | 'Available';
  createdAtMs?: number;
}

export interface EipRecord {
  allocationId: string;
  ipAddress: string;
  regionId: string;
  /** What the EIP is bound to, e.g. a NAT gateway or an ECS instance. */
  instanceId?: string;
  /** `Nat`, `EcsInstance`, ... as DescribeEipAddresses names them. */
  instanceType?: string;
  name?: string;
  createdAt?: string;
  tags?: Tag[];
}

export interface VpcSlice {
  vpcs: Record<string, VpcRecord>;
  vswitches: Record<string, VSwitchRecord>;
  routeTables: Record<string, RouteTableRecord>;
  routeEntries: Record<string, RouteEntryRecord>;
  natGateways: Record<string, NatGatewayRecord>;
  snatEntries: Record<string, SnatEntryRecord>;
  eips: Record<string, EipRecord>;
}

/** Simulated time a custom route entry stays Pending after CreateRouteEntry, and Deleting after DeleteRouteEntry. */
export const ROUTE_ENTRY_MS = 10_000;
/** Simulated time an SNAT entry stays Pending. */
export const SNAT_ENTRY_MS = 10_000;

export function vpcState(world: World, accountId: string): VpcSlice {
  return world.slice<VpcSlice>(accountId, 'vpc', () => ({
    vpcs: {},
    vswitches: {},
    routeTables: {},
    routeEntries: {},
    natGateways: {},
    snatEntries: {},
    eips: {},
  }));
}

/** Moves this account's asynchronous VPC resources along the simulated clock (Pending -> Available, Deleting -> gone). */
export function settleVpc(world: World, accountId: string): VpcSlice {
  const state = vpcState(world, accountId);
  for (const entry of Object.values(state.routeEntries)) {
    if (entry.status === 'Pending' && world.isDone(entry.createdAtMs, ROUTE_ENTRY_MS)) entry.status = 'Available';
    if (entry.status === 'Deleting' && world.isDone(entry.deletingSinceMs ?? 0, ROUTE_ENTRY_MS)) delete state.routeEntries[entry.routeEntryId];
  }
  for (const snat of Object.values(state.snatEntries)) {
    if (snat.status === 'Pending' && world.isDone(snat.createdAtMs ?? 0, SNAT_ENTRY_MS)) snat.status = 'Available';
  }
  return state;
}

/** Seeds a VPC with its router, system route table and a system route per vSwitch added later. */
export function seedVpc(world: World, accountId: string, input: { regionId: string; name: string; cidrBlock: string; secondaryCidrBlocks?: string[] }): VpcRecord {
  const state = vpcState(world, accountId);
  const vpcId = world.nextId('vpc-');
  const vRouterId = world.nextId('vrt-');
  const routeTableId = world.nextId('vtb-');
  const createdAt = world.now.toISOString();
  state.routeTables[routeTableId] = { routeTableId, vpcId, regionId: input.regionId, vRouterId, type: 'System', name: '', createdAt, tags: [] };
  const vpc: VpcRecord = {
    vpcId,
    regionId: input.regionId,
    name: input.name,
    cidrBlock: input.cidrBlock,
    secondaryCidrBlocks: input.secondaryCidrBlocks ?? [],
    vRouterId,
    systemRouteTableId: routeTableId,
    createdAt,
    description: '',
    tags: [],
  };
  state.vpcs[vpcId] = vpc;
  return vpc;
}

/** Seeds a vSwitch in a VPC, on the VPC's system route table (or `routeTableId`), with its system route. */
export function seedVSwitch(world: World, accountId: string, input: { vpcId: string; zoneId: string; name: string; cidrBlock: string; routeTableId?: string }): VSwitchRecord {
  const state = vpcState(world, accountId);
  const vpc = state.vpcs[input.vpcId];
  if (!vpc) throw new Error(`seedVSwitch: no VPC ${input.vpcId} in ${accountId}`);
  const vSwitchId = world.nextId('vsw-');
  const routeTableId = input.routeTableId ?? vpc.systemRouteTableId;
  const vswitch: VSwitchRecord = {
    vSwitchId,
    vpcId: vpc.vpcId,
    regionId: vpc.regionId,
    zoneId: input.zoneId,
    name: input.name,
    cidrBlock: input.cidrBlock,
    routeTableId,
    createdAt: world.now.toISOString(),
    tags: [],
  };
  state.vswitches[vSwitchId] = vswitch;
  addRouteEntry(world, accountId, { routeTableId, destinationCidrBlock: input.cidrBlock, type: 'System', nextHopType: 'local', nextHopId: '', status: 'Available' });
  return vswitch;
}

/** Adds a route entry as the cloud stores it (no rule checks: the Vpc API handler checks before it calls this). */
export function addRouteEntry(
  world: World,
  accountId: string,
  input: { routeTableId: string; destinationCidrBlock: string; type: 'System' | 'Custom'; nextHopType: string; nextHopId: string; name?: string; description?: string; status?: RouteEntryStatus },
): RouteEntryRecord {
  const routeEntryId = world.nextId('rte-');
  const entry: RouteEntryRecord = {
    routeEntryId,
    routeTableId: input.routeTableId,
    destinationCidrBlock: input.destinationCidrBlock,
    type: input.type,
    nextHopType: input.nextHopType,
    nextHopId: input.nextHopId,
    name: input.name ?? '',
    description: input.description ?? '',
    status: input.status ?? 'Pending',
    createdAtMs: world.data.nowMs,
  };
  vpcState(world, accountId).routeEntries[routeEntryId] = entry;
  return entry;
}

/** Seeds an EIP (a public address in an Alibaba-looking range), optionally bound to an instance. */
export function seedEip(world: World, accountId: string, input: { regionId: string; name?: string; ipAddress?: string; instanceId?: string; instanceType?: string }): EipRecord {
  const allocationId = world.nextId('eip-');
  const eip: EipRecord = {
    allocationId,
    ipAddress: input.ipAddress ?? addressIn('47.96.0.0/12', 1000 + world.data.seq),
    regionId: input.regionId,
    instanceId: input.instanceId,
    instanceType: input.instanceType,
    name: input.name ?? '',
    createdAt: world.now.toISOString(),
    tags: [],
  };
  vpcState(world, accountId).eips[allocationId] = eip;
  return eip;
}

/**
 * Seeds an Internet NAT gateway in `vSwitchId` with `eipCount` EIPs, an SNAT entry (all the EIPs) for each of
 * `snatVSwitchIds` (default: every vSwitch of the VPC), and the 0.0.0.0/0 route the console adds to the system
 * route table (`defaultRoute: false` leaves it out, as when a user deleted it).
 */
export function seedNatGateway(
  world: World,
  accountId: string,
  input: { vpcId: string; vSwitchId: string; name?: string; eipCount?: number; snatVSwitchIds?: string[]; defaultRoute?: boolean },
): { natGateway: NatGatewayRecord; eips: EipRecord[]; snatEntries: SnatEntryRecord[] } {
  const state = vpcState(world, accountId);
  const vpc = state.vpcs[input.vpcId];
  if (!vpc) throw new Error(`seedNatGateway: no VPC ${input.vpcId} in ${accountId}`);
  const natGatewayId = world.nextId('ngw-');
  const natGateway: NatGatewayRecord = {
    natGatewayId,
    vpcId: vpc.vpcId,
    regionId: vpc.regionId,
    name: input.name ?? 'nat-gateway',
    snatTableId: world.nextId('stb-'),
    vSwitchId: input.vSwitchId,
    networkType: 'internet',
    createdAt: world.now.toISOString(),
    description: '',
    tags: [],
  };
  state.natGateways[natGatewayId] = natGateway;
  const eips = Array.from({ length: input.eipCount ?? 1 }, () => seedEip(world, accountId, { regionId: vpc.regionId, instanceId: natGatewayId, instanceType: 'Nat' }));
  const sources = input.snatVSwitchIds ?? Object.values(state.vswitches).filter((v) => v.vpcId === vpc.vpcId).map((v) => v.vSwitchId);
  const snatEntries = eips.length === 0 ? [] : sources.map((sourceVSwitchId) => seedSnatEntry(world, accountId, { natGatewayId, sourceVSwitchId, snatIps: eips.map((e) => e.ipAddress) }));
  if (input.defaultRoute !== false) {
    addRouteEntry(world, accountId, { routeTableId: vpc.systemRouteTableId, destinationCidrBlock: '0.0.0.0/0', type: 'Custom', nextHopType: 'NatGateway', nextHopId: natGatewayId, status: 'Available' });
  }
  return { natGateway, eips, snatEntries };
}

/** Seeds an SNAT entry (already Available) of a NAT gateway. */
export function seedSnatEntry(world: World, accountId: string, input: { natGatewayId: string; sourceVSwitchId?: string; sourceCidr?: string; snatIps: string[]; name?: string }): SnatEntryRecord {
  const state = vpcState(world, accountId);
  const nat = state.natGateways[input.natGatewayId];
  if (!nat) throw new Error(`seedSnatEntry: no NAT gateway ${input.natGatewayId} in ${accountId}`);
  const snatEntryId = world.nextId('snat-');
  const entry: SnatEntryRecord = {
    snatEntryId,
    snatTableId: nat.snatTableId,
    natGatewayId: nat.natGatewayId,
    sourceVSwitchId: input.sourceVSwitchId,
    sourceCidr: input.sourceCidr,
    snatIp: input.snatIps.join(','),
    name: input.name ?? '',
    status: 'Available',
    createdAtMs: world.data.nowMs,
  };
  state.snatEntries[snatEntryId] = entry;
  return entry;
}

// ---- queries other parts of the sandbox use ----

/** Finds a VPC in any account (cross-account features name a VPC and its owner). */
export function findVpc(world: World, vpcId: string): { accountId: string; vpc: VpcRecord } | undefined {
  for (const accountId of world.accountIds()) {
    const vpc = vpcState(world, accountId).vpcs[vpcId];
    if (vpc) return { accountId, vpc };
  }
  return undefined;
}

/** Finds a vSwitch in any account. */
export function findVSwitch(world: World, vSwitchId: string): { accountId: string; vswitch: VSwitchRecord } | undefined {
  for (const accountId of world.accountIds()) {
    const vswitch = vpcState(world, accountId).vswitches[vSwitchId];
    if (vswitch) return { accountId, vswitch };
  }
  return undefined;
}

/** The primary and secondary IPv4 CIDR blocks of a VPC. */
export const vpcCidrs = (vpc: VpcRecord): string[] => [vpc.cidrBlock, ...vpc.secondaryCidrBlocks];

export function vswitchesOf(world: World, accountId: string, vpcId: string): VSwitchRecord[] {
  return Object.values(vpcState(world, accountId).vswitches).filter((v) => v.vpcId === vpcId);
}

export function routeEntriesOf(world: World, accountId: string, routeTableId: string): RouteEntryRecord[] {
  return Object.values(vpcState(world, accountId).routeEntries).filter((e) => e.routeTableId === routeTableId);
}

/** The vSwitch of a VPC whose CIDR holds `ip`, if any. */
export function vswitchForIp(world: World, accountId: string, vpcId: string, ip: string): VSwitchRecord | undefined {
  return Object.values(vpcState(world, accountId).vswitches).find((v) => v.vpcId === vpcId && cidrContains(v.cidrBlock, ip));
}

/** Route entries of a table that could carry traffic to `ip`, most specific first (System before Custom on a tie). */
export function routesFor(entries: readonly RouteEntryRecord[], ip: string): RouteEntryRecord[] {
  const bits = (e: RouteEntryRecord) => Number(e.destinationCidrBlock.split('/')[1] ?? 32);
  return entries
    .filter((e) => e.status !== 'Deleting' && cidrContains(e.destinationCidrBlock, ip))
    .sort((a, b) => bits(b) - bits(a) || (a.type === b.type ? 0 : a.type === 'System' ? -1 : 1));
}

/** Whether a custom destination is the same as, or inside, a vSwitch CIDR of the VPC (the cloud refuses those). */
export function vswitchCovering(world: World, accountId: string, vpcId: string, destination: string): VSwitchRecord | undefined {
  return vswitchesOf(world, accountId, vpcId).find((v) => cidrWithin(destination, v.cidrBlock));
}
