// VPC state of one account: VPCs, vSwitches, route tables and entries, NAT gateways, SNAT entries, EIPs.
// Other products place their resources in these VPCs (clusters, ECS instances, registry endpoints).
import type { World } from '../world.js';

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
}

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
  /** `Pending` right after creation, `Available` a few simulated seconds later. */
  status: 'Pending' | 'Available';
  createdAtMs: number;
}

export interface NatGatewayRecord {
  natGatewayId: string;
  vpcId: string;
  regionId: string;
  name: string;
  snatTableId: string;
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
}

export interface EipRecord {
  allocationId: string;
  ipAddress: string;
  regionId: string;
  /** What the EIP is bound to, e.g. a NAT gateway or an ECS instance. */
  instanceId?: string;
  instanceType?: string;
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

/** Seeds a VPC with its router, system route table and a system route per vSwitch added later. */
export function seedVpc(world: World, accountId: string, input: { regionId: string; name: string; cidrBlock: string; secondaryCidrBlocks?: string[] }): VpcRecord {
  const state = vpcState(world, accountId);
  const vpcId = world.nextId('vpc-');
  const vRouterId = world.nextId('vrt-');
  const routeTableId = world.nextId('vtb-');
  const createdAt = world.now.toISOString();
  state.routeTables[routeTableId] = { routeTableId, vpcId, regionId: input.regionId, vRouterId, type: 'System', name: '', createdAt };
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
  const routeEntryId = world.nextId('rte-');
  state.routeEntries[routeEntryId] = {
    routeEntryId,
    routeTableId,
    destinationCidrBlock: input.cidrBlock,
    type: 'System',
    nextHopType: 'local',
    nextHopId: '',
    name: '',
    description: '',
    status: 'Available',
    createdAtMs: world.data.nowMs,
  };
  return vswitch;
}

/** Finds a VPC in any account (cross-account features name a VPC and its owner). */
export function findVpc(world: World, vpcId: string): { accountId: string; vpc: VpcRecord } | undefined {
  for (const accountId of world.accountIds()) {
    const vpc = vpcState(world, accountId).vpcs[vpcId];
    if (vpc) return { accountId, vpc };
  }
  return undefined;
}

/** The vSwitch of a VPC whose CIDR holds `ip`, if any. */
export function vswitchForIp(world: World, accountId: string, vpcId: string, ip: string): VSwitchRecord | undefined {
  return Object.values(vpcState(world, accountId).vswitches).find((v) => v.vpcId === vpcId && cidrContains(v.cidrBlock, ip));
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

export function parseCidr(cidr: string): { base: number; bits: number } {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits ?? 32);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (ipToInt(ip!) & mask) >>> 0, bits: prefix };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const { base, bits } = parseCidr(cidr);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((ipToInt(ip) & mask) >>> 0) === base;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const bits = Math.min(x.bits, y.bits);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((x.base & mask) >>> 0) === ((y.base & mask) >>> 0);
}

/** The next free address in a CIDR, for seeding node and endpoint IPs deterministically. */
export function addressIn(cidr: string, index: number): string {
  const { base } = parseCidr(cidr);
  const n = base + index;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}
