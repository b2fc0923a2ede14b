// VPC: VPCs, vSwitches, route tables and entries, NAT/SNAT/EIP (public egress), CEN grants, tags.
import { isNotFound } from './errors.js';
import type { AccountClient } from './session.js';
import { pageByNumber, pageByToken } from './paging.js';
import { sdkCaller, sdkRequest as req } from './sdk-call.js';

const vpc = sdkCaller('vpc');

/** Pages through a PageNumber/PageSize API (50 a page) until TotalCount items have come back. */
function allPages<T>(fetch: (page: { PageNumber: number; PageSize: number }) => Promise<{ items: T[]; total?: number }>): Promise<T[]> {
  return pageByNumber(50, (n) => fetch({ PageNumber: n, PageSize: 50 }));
}

async function orUndefined<T>(codes: string[], read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error, ...codes)) return undefined;
    throw error;
  }
}

type TagsModel = { tag?: { key?: string; value?: string }[] };
const tagsOf = (tags: TagsModel | undefined): Record<string, string> => Object.fromEntries((tags?.tag ?? []).map((t) => [t.key ?? '', t.value ?? '']));

// ---- VPCs and vSwitches ----

export interface VpcInfo {
  vpcId: string;
  vpcName: string;
  regionId: string;
  status: string;
  cidrBlock: string;
  secondaryCidrBlocks: string[];
  userCidrs: string[];
  vSwitchIds: string[];
  /** The vRouter (VRouterId) every route table of the VPC hangs off. */
  routerId: string;
  description: string;
  isDefault: boolean;
  tags: Record<string, string>;
}

export interface VpcAttribute extends VpcInfo {
  ownerId?: number;
  /** CEN instances the VPC is attached to. */
  associatedCens: { cenId: string; cenOwnerId?: number; cenStatus: string }[];
}

type VpcModel = {
  vpcId?: string;
  vpcName?: string;
  regionId?: string;
  status?: string;
  cidrBlock?: string;
  secondaryCidrBlocks?: { secondaryCidrBlock?: string[] };
  userCidrs?: { userCidr?: string[] };
  vSwitchIds?: { vSwitchId?: string[] };
  VRouterId?: string;
  description?: string;
  isDefault?: boolean;
  tags?: TagsModel;
};

const toVpc = (v: VpcModel): VpcInfo => ({
  vpcId: v.vpcId ?? '', vpcName: v.vpcName ?? '', regionId: v.regionId ?? '', status: v.status ?? '', cidrBlock: v.cidrBlock ?? '',
  secondaryCidrBlocks: v.secondaryCidrBlocks?.secondaryCidrBlock ?? [], userCidrs: v.userCidrs?.userCidr ?? [],
  vSwitchIds: v.vSwitchIds?.vSwitchId ?? [], routerId: v.VRouterId ?? '', description: v.description ?? '', isDefault: v.isDefault ?? false,
  tags: tagsOf(v.tags),
});

/** One VPC's attributes; undefined when it does not exist (or is not this account's). */
export async function describeVpcAttribute(acct: AccountClient, vpcId: string): Promise<VpcAttribute | undefined> {
  return orUndefined(['InvalidVpcId.NotFound', 'Forbidden.VpcNotFound'], async () => {
    const params = { RegionId: acct.region, VpcId: vpcId };
    const res = await vpc(acct, { action: 'DescribeVpcAttribute', params }, (c, m, rt) => c.describeVpcAttributeWithOptions(req(m.DescribeVpcAttributeRequest, params), rt));
    const b = res.body;
    const cens = b?.associatedCens?.associatedCen ?? [];
    return {
      ...toVpc(b ?? {}),
      ownerId: b?.ownerId,
      associatedCens: cens.map((a) => ({ cenId: a.cenId ?? '', cenOwnerId: a.cenOwnerId, cenStatus: a.cenStatus ?? '' })),
    };
  });
}

export async function describeVpcs(acct: AccountClient, filter: { vpcId?: string; vpcName?: string } = {}): Promise<VpcInfo[]> {
  return allPages(async (page) => {
    const params = { RegionId: acct.region, VpcId: filter.vpcId, VpcName: filter.vpcName, ...page };
    const res = await vpc(acct, { action: 'DescribeVpcs', params }, (c, m, rt) => c.describeVpcsWithOptions(req(m.DescribeVpcsRequest, params), rt));
    return { items: (res.body?.vpcs?.vpc ?? []).map(toVpc), total: res.body?.totalCount };
  });
}

export interface VSwitch {
  vSwitchId: string;
  vSwitchName: string;
  vpcId: string;
  zoneId: string;
  cidrBlock: string;
  status: string;
  availableIpAddressCount?: number;
  /** The route table the vSwitch uses (a custom one, or the VPC's system table). */
  routeTableId?: string;
  /** `System` or `Custom`. */
  routeTableType?: string;
  tags: Record<string, string>;
}

type VSwitchModel = {
  vSwitchId?: string;
  vSwitchName?: string;
  vpcId?: string;
  zoneId?: string;
  cidrBlock?: string;
  status?: string;
  availableIpAddressCount?: number;
  routeTable?: { routeTableId?: string; routeTableType?: string };
  tags?: TagsModel;
};

const toVSwitch = (s: VSwitchModel): VSwitch => ({
  vSwitchId: s.vSwitchId ?? '', vSwitchName: s.vSwitchName ?? '', vpcId: s.vpcId ?? '', zoneId: s.zoneId ?? '',
  cidrBlock: s.cidrBlock ?? '', status: s.status ?? '', availableIpAddressCount: s.availableIpAddressCount,
  routeTableId: s.routeTable?.routeTableId || undefined, routeTableType: s.routeTable?.routeTableType || undefined, tags: tagsOf(s.tags),
});

export async function describeVSwitches(acct: AccountClient, filter: { vpcId?: string; vSwitchId?: string; zoneId?: string }): Promise<VSwitch[]> {
  return allPages(async (page) => {
    const params = { RegionId: acct.region, VpcId: filter.vpcId, VSwitchId: filter.vSwitchId, ZoneId: filter.zoneId, ...page };
    const res = await vpc(acct, { action: 'DescribeVSwitches', params }, (c, m, rt) => c.describeVSwitchesWithOptions(req(m.DescribeVSwitchesRequest, params), rt));
    return { items: (res.body?.vSwitches?.vSwitch ?? []).map(toVSwitch), total: res.body?.totalCount };
  });
}

/** One vSwitch with the route table it uses; undefined when it does not exist. */
export async function describeVSwitchAttributes(acct: AccountClient, vSwitchId: string): Promise<VSwitch | undefined> {
  return orUndefined(['InvalidVSwitchId.NotFound'], async () => {
    const params = { RegionId: acct.region, VSwitchId: vSwitchId };
    const res = await vpc(acct, { action: 'DescribeVSwitchAttributes', params }, (c, m, rt) =>
      c.describeVSwitchAttributesWithOptions(req(m.DescribeVSwitchAttributesRequest, params), rt),
    );
    return toVSwitch(res.body ?? {});
  });
}

// ---- route tables and entries ----

export interface RouteTable {
  routeTableId: string;
  routeTableName: string;
  /** `System` or `Custom`. */
  routeTableType: string;
  routerId: string;
  routerType: string;
  vpcId: string;
  /** vSwitches associated with a custom table (the system table serves all the others). */
  vSwitchIds: string[];
  status: string;
  description: string;
}

export async function describeRouteTableList(acct: AccountClient, filter: { vpcId: string; routeTableId?: string }): Promise<RouteTable[]> {
  return allPages(async (page) => {
    const params = { RegionId: acct.region, VpcId: filter.vpcId, RouteTableId: filter.routeTableId, ...page };
    const res = await vpc(acct, { action: 'DescribeRouteTableList', params }, (c, m, rt) => c.describeRouteTableListWithOptions(req(m.DescribeRouteTableListRequest, params), rt));
    const items = (res.body?.routerTableList?.routerTableListType ?? []).map((t) => ({
      routeTableId: t.routeTableId ?? '', routeTableName: t.routeTableName ?? '', routeTableType: t.routeTableType ?? '',
      routerId: t.routerId ?? '', routerType: t.routerType ?? '', vpcId: t.vpcId ?? '', vSwitchIds: t.vSwitchIds?.vSwitchId ?? [],
      status: t.status ?? '', description: t.description ?? '',
    }));
    return { items, total: res.body?.totalCount };
  });
}

export interface RouteEntry {
  routeEntryId: string;
  routeTableId: string;
  destinationCidrBlock: string;
  routeEntryName: string;
  description: string;
  /** `Pending`, `Available`, `Modifying`... */
  status: string;
  /** `Custom`, `System`, `BGP`, `CEN`... */
  type: string;
  nextHops: { nextHopType: string; nextHopId: string; nextHopRegionId?: string }[];
}

/** Every entry of a route table (pages through NextToken). */
export async function describeRouteEntryList(acct: AccountClient, filter: { routeTableId: string; destinationCidrBlock?: string }): Promise<RouteEntry[]> {
  return pageByToken(async (nextToken) => {
    const params = { RegionId: acct.region, RouteTableId: filter.routeTableId, DestinationCidrBlock: filter.destinationCidrBlock, MaxResult: 100, NextToken: nextToken };
    const res = await vpc(acct, { action: 'DescribeRouteEntryList', params }, (c, m, rt) => c.describeRouteEntryListWithOptions(req(m.DescribeRouteEntryListRequest, params), rt));
    const items = (res.body?.routeEntrys?.routeEntry ?? []).map((e) => ({
      routeEntryId: e.routeEntryId ?? '', routeTableId: e.routeTableId ?? filter.routeTableId,
      destinationCidrBlock: e.destinationCidrBlock ?? '', routeEntryName: e.routeEntryName ?? '', description: e.description ?? '',
      status: e.status ?? '', type: e.type ?? '',
      nextHops: (e.nextHops?.nextHop ?? []).map((h) => ({ nextHopType: h.nextHopType ?? '', nextHopId: h.nextHopId ?? '', nextHopRegionId: h.nextHopRegionId })),
    }));
    return { items, nextToken: res.body?.nextToken };
  });
}

export interface CreateRouteEntryInput {
  routeTableId: string;
  destinationCidrBlock: string;
  /** e.g. `VpcPeer`, `Attachment` (transit router), `Instance`, `NatGateway`. */
  nextHopType: string;
  nextHopId: string;
  routeEntryName?: string;
  description?: string;
}

/** Returns the new RouteEntryId. */
export async function createRouteEntry(acct: AccountClient, input: CreateRouteEntryInput): Promise<string> {
  const params = {
    RegionId: acct.region, RouteTableId: input.routeTableId, DestinationCidrBlock: input.destinationCidrBlock,
    NextHopType: input.nextHopType, NextHopId: input.nextHopId, RouteEntryName: input.routeEntryName, Description: input.description,
  };
  const res = await vpc(acct, { action: 'CreateRouteEntry', params }, (c, m, rt) => c.createRouteEntryWithOptions(req(m.CreateRouteEntryRequest, params), rt));
  return res.body?.routeEntryId ?? '';
}

export interface RouteEntryTarget {
  routeEntryId?: string;
  routeTableId?: string;
  destinationCidrBlock?: string;
  nextHopId?: string;
}

/** By RouteEntryId, or by RouteTableId + DestinationCidrBlock (+ NextHopId). False when the entry did not exist. */
export async function deleteRouteEntry(acct: AccountClient, target: RouteEntryTarget): Promise<boolean> {
  const params = {
    RegionId: acct.region, RouteEntryId: target.routeEntryId, RouteTableId: target.routeTableId,
    DestinationCidrBlock: target.destinationCidrBlock, NextHopId: target.nextHopId,
  };
  const found = await orUndefined(['InvalidRouteEntry.NotFound', 'InvalidRouteEntryId.NotFound'], () =>
    vpc(acct, { action: 'DeleteRouteEntry', params }, (c, m, rt) => c.deleteRouteEntryWithOptions(req(m.DeleteRouteEntryRequest, params), rt)),
  );
  return found !== undefined;
}

// ---- public egress: NAT gateways, SNAT entries, EIPs ----

export interface NatGateway {
  natGatewayId: string;
  name: string;
  vpcId: string;
  natType: string;
  /** `internet` or `intranet`. */
  networkType: string;
  status: string;
  snatTableIds: string[];
  ipList: { ipAddress: string; allocationId: string; snatEntryEnabled: boolean }[];
}

export async function describeNatGateways(acct: AccountClient, filter: { vpcId?: string; natGatewayId?: string } = {}): Promise<NatGateway[]> {
  return allPages(async (page) => {
    const params = { RegionId: acct.region, VpcId: filter.vpcId, NatGatewayId: filter.natGatewayId, ...page };
    const res = await vpc(acct, { action: 'DescribeNatGateways', params }, (c, m, rt) => c.describeNatGatewaysWithOptions(req(m.DescribeNatGatewaysRequest, params), rt));
    const items = (res.body?.natGateways?.natGateway ?? []).map((g) => ({
      natGatewayId: g.natGatewayId ?? '', name: g.name ?? '', vpcId: g.vpcId ?? '', natType: g.natType ?? '',
      networkType: g.networkType ?? '', status: g.status ?? '', snatTableIds: g.snatTableIds?.snatTableId ?? [],
      ipList: (g.ipLists?.ipList ?? []).map((i) => ({ ipAddress: i.ipAddress ?? '', allocationId: i.allocationId ?? '', snatEntryEnabled: i.snatEntryEnabled ?? false })),
    }));
    return { items, total: res.body?.totalCount };
  });
}

export interface SnatEntry {
  snatEntryId: string;
  snatTableId: string;
  natGatewayId: string;
  name: string;
  /** The public addresses the entry translates to (the API gives them comma-joined). */
  snatIps: string[];
  sourceCidr: string;
  sourceVSwitchId: string;
  status: string;
}

export async function describeSnatTableEntries(acct: AccountClient, filter: { snatTableId?: string; natGatewayId?: string }): Promise<SnatEntry[]> {
  return allPages(async (page) => {
    const params = { RegionId: acct.region, SnatTableId: filter.snatTableId, NatGatewayId: filter.natGatewayId, ...page };
    const res = await vpc(acct, { action: 'DescribeSnatTableEntries', params }, (c, m, rt) =>
      c.describeSnatTableEntriesWithOptions(req(m.DescribeSnatTableEntriesRequest, params), rt),
    );
    const items = (res.body?.snatTableEntries?.snatTableEntry ?? []).map((e) => ({
      snatEntryId: e.snatEntryId ?? '', snatTableId: e.snatTableId ?? '', natGatewayId: e.natGatewayId ?? '', name: e.snatEntryName ?? '',
      snatIps: (e.snatIp ?? '').split(',').map((ip) => ip.trim()).filter(Boolean), sourceCidr: e.sourceCIDR ?? '',
      sourceVSwitchId: e.sourceVSwitchId ?? '', status: e.status ?? '',
    }));
    return { items, total: res.body?.totalCount };
  });
}

export interface EipAddress {
  allocationId: string;
  ipAddress: string;
  name: string;
  status: string;
  /** What it is bound to, e.g. a NAT gateway or an ECS instance. */
  instanceId: string;
  instanceType: string;
}

export interface EipFilter {
  associatedInstanceId?: string;
  /** e.g. `Nat`, `EcsInstance`. */
  associatedInstanceType?: string;
  allocationId?: string;
  eipAddress?: string;
}

export async function describeEipAddresses(acct: AccountClient, filter: EipFilter = {}): Promise<EipAddress[]> {
  return allPages(async (page) => {
    const params = {
      RegionId: acct.region, AssociatedInstanceId: filter.associatedInstanceId, AssociatedInstanceType: filter.associatedInstanceType,
      AllocationId: filter.allocationId, EipAddress: filter.eipAddress,
      ...page,
    };
    const res = await vpc(acct, { action: 'DescribeEipAddresses', params }, (c, m, rt) => c.describeEipAddressesWithOptions(req(m.DescribeEipAddressesRequest, params), rt));
    const items = (res.body?.eipAddresses?.eipAddress ?? []).map((e) => ({
      allocationId: e.allocationId ?? '', ipAddress: e.ipAddress ?? '', name: e.name ?? '', status: e.status ?? '',
      instanceId: e.instanceId ?? '', instanceType: e.instanceType ?? '',
    }));
    return { items, total: res.body?.totalCount };
  });
}

// ---- CEN, B side: let A's CEN attach B's VPC ----

export interface CenGrant {
  /** The VPC granted. */
  instanceId: string;
  cenId: string;
  /**
   * The CEN owner's (A's) UID as a decimal string. UIDs can exceed 2^53, so it is sent as a string (the SDK
   * types it as a number); UIDs read back went through JSON.parse and may have lost their last digits.
   */
  cenOwnerId: string;
}

const grantParams = (acct: AccountClient, g: CenGrant) => ({ RegionId: acct.region, InstanceId: g.instanceId, InstanceType: 'VPC', CenId: g.cenId, CenOwnerId: g.cenOwnerId });

/** Lets a CEN owned by another account (A) attach this account's VPC. */
export async function grantInstanceToCen(acct: AccountClient, grant: CenGrant): Promise<void> {
  const params = grantParams(acct, grant);
  await vpc(acct, { action: 'GrantInstanceToCen', params }, (c, m, rt) => c.grantInstanceToCenWithOptions(req(m.GrantInstanceToCenRequest, params), rt));
}

export async function revokeInstanceFromCen(acct: AccountClient, grant: CenGrant): Promise<void> {
  const params = grantParams(acct, grant);
  await vpc(acct, { action: 'RevokeInstanceFromCen', params }, (c, m, rt) => c.revokeInstanceFromCenWithOptions(req(m.RevokeInstanceFromCenRequest, params), rt));
}

/** The CEN grants on a VPC of this account. */
export async function describeGrantRulesToCen(acct: AccountClient, vpcId: string): Promise<CenGrant[]> {
  return allPages(async (page) => {
    const params = { RegionId: acct.region, InstanceId: vpcId, InstanceType: 'VPC', ...page };
    const res = await vpc(acct, { action: 'DescribeGrantRulesToCen', params }, (c, m, rt) => c.describeGrantRulesToCenWithOptions(req(m.DescribeGrantRulesToCenRequest, params), rt));
    const items = (res.body?.cenGrantRules?.cbnGrantRule ?? []).map((g) => ({
      instanceId: vpcId, cenId: g.cenInstanceId ?? '', cenOwnerId: g.cenOwnerId === undefined ? '' : String(g.cenOwnerId),
    }));
    return { items, total: res.body?.totalCount };
  });
}

// ---- tags ----

export interface TagResource {
  resourceId: string;
  resourceType: string;
  tagKey: string;
  tagValue: string;
}

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** Tag bindings by resource IDs and/or tags. ResourceType e.g. `VPC`, `VSWITCH`, `ROUTETABLE`, `EIP`, `NATGATEWAY`. */
export async function listTagResources(acct: AccountClient, filter: { resourceType: string; resourceIds?: string[]; tags?: Record<string, string> }): Promise<TagResource[]> {
  const tags = filter.tags ? tagList(filter.tags) : undefined;
  return pageByToken(async (nextToken) => {
    const params = { RegionId: acct.region, ResourceType: filter.resourceType, ResourceId: filter.resourceIds, Tag: tags, MaxResults: 50, NextToken: nextToken };
    const res = await vpc(acct, { action: 'ListTagResources', params }, (c, m, rt) => {
      const tag = tags?.map((t) => new m.ListTagResourcesRequestTag({ key: t.Key, value: t.Value }));
      return c.listTagResourcesWithOptions(req(m.ListTagResourcesRequest, params, { tag }), rt);
    });
    const items = (res.body?.tagResources?.tagResource ?? []).map((t) => ({
      resourceId: t.resourceId ?? '', resourceType: t.resourceType ?? '', tagKey: t.tagKey ?? '', tagValue: t.tagValue ?? '',
    }));
    return { items, nextToken: res.body?.nextToken };
  });
}

export async function tagResources(acct: AccountClient, input: { resourceType: string; resourceIds: string[]; tags: Record<string, string> }): Promise<void> {
  const tags = tagList(input.tags);
  const params = { RegionId: acct.region, ResourceType: input.resourceType, ResourceId: input.resourceIds, Tag: tags };
  await vpc(acct, { action: 'TagResources', params }, (c, m, rt) => {
    const tag = tags.map((t) => new m.TagResourcesRequestTag({ key: t.Key, value: t.Value }));
    return c.tagResourcesWithOptions(req(m.TagResourcesRequest, params, { tag }), rt);
  });
}
