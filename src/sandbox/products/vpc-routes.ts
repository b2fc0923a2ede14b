// Vpc 2016-04-28, routing and egress: route entries (list, create with the cloud's checks, delete), NAT
// gateways, SNAT entries and EIPs. Route changes are asynchronous (Pending/Deleting for ROUTE_ENTRY_MS).
import { ApiError, type CallContext, type RpcHandler } from '../api.js';
import { invalidParameter } from '../spec.js';
import { cenState, settleCen } from '../state/cen.js';
import { cidrsOverlap, isIpv4, normalizeCidr } from '../state/cidr.js';
import { ecsState } from '../state/ecs.js';
import { peerOf, settlePeerings } from '../state/peering.js';
import {
  addRouteEntry,
  routeEntriesOf,
  settleVpc,
  vpcCidrs,
  vswitchCovering,
  type EipRecord,
  type NatGatewayRecord,
  type RouteEntryRecord,
  type RouteTableRecord,
} from '../state/vpc.js';
import { csv, dryRun, eq, hasTags, idempotent, isoSeconds, msOf, pageByNumber, pageByToken, tagsBody } from './net-common.js';

type P = Record<string, any>;

/** A custom route table holds at most 200 custom entries (documented limit). */
const CUSTOM_ROUTE_LIMIT = 200;

function ownRouteTable(ctx: CallContext, routeTableId: string, regionGiven: boolean, code = 'InvalidRouteTableId.NotFound', status = 404): RouteTableRecord {
  const table = settleVpc(ctx.world, ctx.caller.accountId).routeTables[routeTableId];
  if (!table || (regionGiven && table.regionId !== ctx.region)) throw new ApiError(code, `Specified route table ${routeTableId} does not exist.`, status);
  return table;
}

/** The cloud serialises changes to a route table: one in flight makes the next TaskConflict (a retryable code). */
function refuseWhileBusy(ctx: CallContext, table: RouteTableRecord): void {
  const busy = routeEntriesOf(ctx.world, ctx.caller.accountId, table.routeTableId).find((e) => e.status === 'Pending' || e.status === 'Deleting');
  if (busy) throw new ApiError('TaskConflict', `The operation is too frequent, please wait a moment and try again (route entry ${busy.routeEntryId} is ${busy.status}).`, 400);
}

function nextHopBody(ctx: CallContext, e: RouteEntryRecord) {
  const hop: Record<string, unknown> = { NextHopType: e.nextHopType, NextHopId: e.nextHopId, Enabled: 1, Weight: 0 };
  if (e.nextHopType === 'VpcPeer') {
    const peering = settlePeerings(ctx.world).connections[e.nextHopId];
    const table = settleVpc(ctx.world, ctx.caller.accountId).routeTables[e.routeTableId];
    const peer = peering && table ? peerOf(peering, table.vpcId) : undefined;
    if (peer) {
      hop.NextHopRegionId = peer.regionId;
      hop.NextHopRelatedInfo = { InstanceId: peer.vpcId, InstanceType: 'VPC', RegionId: peer.regionId };
    }
  }
  return hop;
}

const DescribeRouteEntryList: RpcHandler = (ctx, p: P) => {
  const table = ownRouteTable(ctx, p.RouteTableId, true, 'InvalidRouteTable.NotFound', 400);
  const destinations: string[] = p.DestCidrBlockList ?? [];
  const entries = routeEntriesOf(ctx.world, ctx.caller.accountId, table.routeTableId).filter(
    (e) =>
      eq(p.RouteEntryId, e.routeEntryId) &&
      eq(p.DestinationCidrBlock, e.destinationCidrBlock) &&
      (destinations.length === 0 || destinations.includes(e.destinationCidrBlock)) &&
      eq(p.RouteEntryName, e.name) &&
      eq(p.RouteEntryType, e.type) &&
      eq(p.NextHopId, e.nextHopId) &&
      eq(p.NextHopType, e.nextHopType) &&
      (p.IpVersion === undefined || String(p.IpVersion).toLowerCase() === 'ipv4'),
  );
  const page = pageByToken(entries, p, { defaultSize: 10, maxSize: 100, sizeName: 'MaxResult' });
  return {
    NextToken: page.nextToken ?? '',
    RouteEntrys: {
      RouteEntry: page.items.map((e) => ({
        RouteEntryId: e.routeEntryId,
        RouteTableId: e.routeTableId,
        DestinationCidrBlock: e.destinationCidrBlock,
        Type: e.type,
        Status: e.status,
        IpVersion: 'IPv4',
        RouteEntryName: e.name,
        Description: e.description,
        GmtModified: isoSeconds(e.createdAtMs),
        Origin: e.type === 'System' ? 'SystemCreate' : 'CustomCreate',
        NextHops: { NextHop: [nextHopBody(ctx, e)] },
      })),
    },
  };
};

/** Checks a next hop as CreateRouteEntry does: it must exist, belong to this VPC, and be usable. */
function checkNextHop(ctx: CallContext, table: RouteTableRecord, type: string, id: string): void {
  switch (type) {
    case 'VpcPeer': {
      const peering = settlePeerings(ctx.world).connections[id];
      if (!peering || !peerOf(peering, table.vpcId)) throw new ApiError('ResourceNotFound.VpcPeer', `The specified resource of VpcPeer ${id} is not found.`, 400);
      if (peering.status !== 'Activated') throw new ApiError('IncorrectStatus.VpcPeer', `The status of VpcPeer [${id}] is incorrect: it is ${peering.status}, not Activated.`, 400);
      return;
    }
    case 'Attachment': {
      const attachment = settleCen(ctx.world).attachments[id];
      if (!attachment || attachment.kind !== 'VPC') throw new ApiError('InvalidAttachment.NotFound', `The attachment ${id} is not found.`, 400);
      if (attachment.vpcId !== table.vpcId) throw new ApiError('IllegalParam.AttachmentId', `The attachment ${id} is invalid: it connects ${attachment.vpcId}, not ${table.vpcId}.`, 400);
      if (attachment.status !== 'Attached') throw new ApiError('IncorrectStatus.CenRelation', `The status of Vpc in Cen is incorrect: attachment ${id} is ${attachment.status}.`, 400);
      return;
    }
    case 'NatGateway': {
      const nat = settleVpc(ctx.world, ctx.caller.accountId).natGateways[id];
      if (!nat || nat.vpcId !== table.vpcId) throw new ApiError('InvalidNatGateway.NotFound', `Natgateway ${id} not exist.`, 400);
      return;
    }
    case 'Instance': {
      const instance = ecsState(ctx.world, ctx.caller.accountId).instances[id];
      if (!instance || instance.vpcId !== table.vpcId) throw new ApiError('IllegalParam.NextHopId', `Instance ${id} not exists or not vpc vm.`, 400);
      return;
    }
    case 'HaVip':
    case 'RouterInterface':
    case 'NetworkInterface':
    case 'VpnGateway':
    case 'IPv6Gateway':
    case 'Ipv4Gateway':
    case 'GatewayEndpoint':
    case 'Ecr':
      // Valid types whose resources the sandbox does not simulate: none of them can exist.
      throw new ApiError('InvalidNextHop.NotFound', `Specified next hop ${id} does not exist.`, 400);
    default:
      throw new ApiError('InvalidNextHopType', 'Specified parameter "NextHopType" is not valid.', 400);
  }
}

const CreateRouteEntry: RpcHandler = (ctx, p: P) => idempotent(ctx, p, () => {
  const table = ownRouteTable(ctx, p.RouteTableId, p.RegionId !== undefined);
  const destination = normalizeCidr(String(p.DestinationCidrBlock));
  if (!destination) throw new ApiError('InvalidCidrBlock.Malformed', 'Specified CIDR block is not valid.', 400);
  const hasList = Array.isArray(p.NextHopList) && p.NextHopList.length > 0;
  if (hasList && (p.NextHopType !== undefined || p.NextHopId !== undefined)) throw new ApiError('InvalidNexthopTypeAndList.BothNotNull', 'both nexthopType and nextHopList are not null.', 400);
  if (hasList) throw invalidParameter('NextHopList'); // ECMP routes are not simulated.
  if (p.NextHopType === undefined) throw new ApiError('InvalidNexthopTypeAndList.BothNull', 'both nexthopType and nextHopList are null.', 400);
  if (p.NextHopId === undefined || p.NextHopId === '') throw new ApiError('MissingParameter', 'Miss mandatory parameter: NextHopId.', 400);
  const covering = vswitchCovering(ctx.world, ctx.caller.accountId, table.vpcId, destination);
  if (covering) {
    throw new ApiError(
      'OperationUnsupported.DestinationCidrBlockOverlapWithVSwitch',
      `The operation is failed because of destination CIDR block ${destination} is in the CIDR of the VSwitch ${covering.vSwitchId} (${covering.cidrBlock}).`,
      400,
    );
  }
  const entries = routeEntriesOf(ctx.world, ctx.caller.accountId, table.routeTableId);
  if (entries.some((e) => e.destinationCidrBlock === destination && e.status !== 'Deleting')) {
    throw new ApiError('RouterEntryConflict.Duplicated', `A route entry already exists, which CIDR is '${destination}'.`, 400);
  }
  if (entries.filter((e) => e.type === 'Custom').length >= CUSTOM_ROUTE_LIMIT) throw new ApiError('QuotaExceeded', 'Route entry quota exceeded in this route table.', 400);
  checkNextHop(ctx, table, String(p.NextHopType), String(p.NextHopId));
  refuseWhileBusy(ctx, table);
  dryRun(p);
  const entry = addRouteEntry(ctx.world, ctx.caller.accountId, {
    routeTableId: table.routeTableId,
    destinationCidrBlock: destination,
    type: 'Custom',
    nextHopType: String(p.NextHopType),
    nextHopId: String(p.NextHopId),
    name: p.RouteEntryName,
    description: p.Description,
  });
  return { RouteEntryId: entry.routeEntryId };
});

const DeleteRouteEntry: RpcHandler = (ctx, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  let entry: RouteEntryRecord | undefined;
  if (p.RouteEntryId !== undefined) {
    if (p.RouteTableId !== undefined && p.DestinationCidrBlock !== undefined) {
      throw new ApiError('ParamExclusive.RouteEntryIdAndRouteTableIdOrDestCidrBlock', 'RouteEntryId and RouteTableId with DestinationCidrBlock are mutually exclusive.', 400);
    }
    entry = state.routeEntries[p.RouteEntryId];
    if (!entry || entry.status === 'Deleting') throw new ApiError('InvalidRouteEntryId.NotFound', `Specified RouteEntryId ${p.RouteEntryId} does not exist.`, 400);
  } else {
    if (p.RouteTableId === undefined || p.DestinationCidrBlock === undefined) throw new ApiError('MissingParameter', 'Miss mandatory parameter: RouteEntryId, or RouteTableId and DestinationCidrBlock.', 400);
    const table = ownRouteTable(ctx, p.RouteTableId, p.RegionId !== undefined);
    const destination = normalizeCidr(String(p.DestinationCidrBlock));
    if (!destination) throw new ApiError('InvalidCidrBlock.Malformed', 'Specified CIDR block is not valid.', 400);
    entry = routeEntriesOf(ctx.world, ctx.caller.accountId, table.routeTableId).find(
      (e) => e.destinationCidrBlock === destination && e.status !== 'Deleting' && (p.NextHopId === undefined || e.nextHopId === p.NextHopId),
    );
    if (!entry) throw new ApiError('InvalidRouteEntry.NotFound', 'Route entry not exists.', 400);
  }
  const table = state.routeTables[entry.routeTableId]!;
  if (p.RegionId !== undefined && table.regionId !== ctx.region) throw new ApiError('InvalidRouteEntryId.NotFound', `Specified RouteEntryId ${entry.routeEntryId} does not exist.`, 400);
  if (entry.type === 'System') throw new ApiError('OperationDenied', 'Specified operation is denied as route entry type is system.', 400);
  if (entry.status !== 'Available') throw new ApiError('IncorrectRouteEntryStatus', `Some route entry status blocked this operation: ${entry.routeEntryId} is ${entry.status}.`, 400);
  refuseWhileBusy(ctx, table);
  dryRun(p);
  entry.status = 'Deleting';
  entry.deletingSinceMs = ctx.world.data.nowMs;
  return {};
};

// ---- NAT gateways, SNAT entries, EIPs ----

const eipsOfNat = (ctx: CallContext, natGatewayId: string): EipRecord[] =>
  Object.values(settleVpc(ctx.world, ctx.caller.accountId).eips).filter((e) => e.instanceId === natGatewayId && e.instanceType === 'Nat');

function natBody(ctx: CallContext, nat: NatGatewayRecord) {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  const snat = Object.values(state.snatEntries).filter((s) => s.natGatewayId === nat.natGatewayId);
  const used = new Set(snat.flatMap((s) => s.snatIp.split(',')));
  const vswitch = nat.vSwitchId ? state.vswitches[nat.vSwitchId] : undefined;
  return {
    NatGatewayId: nat.natGatewayId,
    VpcId: nat.vpcId,
    RegionId: nat.regionId,
    Name: nat.name,
    Description: nat.description ?? '',
    Status: 'Available',
    BusinessStatus: 'Normal',
    NatType: 'Enhanced',
    NetworkType: nat.networkType ?? 'internet',
    Spec: '',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByLcu',
    AutoPay: false,
    DeletionProtection: false,
    EcsMetricEnabled: false,
    IcmpReplyEnabled: true,
    PrivateLinkEnabled: false,
    EipBindMode: 'MULTI_BINDED',
    CreationTime: isoSeconds(msOf(nat.createdAt ?? new Date(ctx.world.data.nowMs).toISOString())),
    SnatTableIds: { SnatTableId: [nat.snatTableId] },
    ForwardTableIds: { ForwardTableId: [] as string[] },
    FullNatTableIds: { FullNatTableId: [] as string[] },
    IpLists: {
      IpList: eipsOfNat(ctx, nat.natGatewayId).map((e) => ({
        AllocationId: e.allocationId,
        IpAddress: e.ipAddress,
        UsingStatus: used.has(e.ipAddress) ? 'UsedBySnatTable' : 'Idle',
        SnatEntryEnabled: used.has(e.ipAddress),
      })),
    },
    NatGatewayPrivateInfo: vswitch ? { VswitchId: vswitch.vSwitchId, IzNo: vswitch.zoneId, EniType: 'indirect' } : undefined,
    Tags: { Tag: (nat.tags ?? []).map((t) => ({ TagKey: t.Key, TagValue: t.Value })) },
  };
}

const DescribeNatGateways: RpcHandler = (ctx, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  const list = Object.values(state.natGateways).filter(
    (n) =>
      n.regionId === ctx.region &&
      eq(p.NatGatewayId, n.natGatewayId) &&
      eq(p.VpcId, n.vpcId) &&
      eq(p.Name, n.name) &&
      eq(p.Status, 'Available') &&
      eq(p.NetworkType, n.networkType ?? 'internet') &&
      eq(p.NatType, 'Enhanced') &&
      (p.ZoneId === undefined || (n.vSwitchId !== undefined && state.vswitches[n.vSwitchId]?.zoneId === p.ZoneId)) &&
      hasTags(n.tags, p.Tag),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 50 });
  return { TotalCount: page.totalCount, PageNumber: page.pageNumber, PageSize: page.pageSize, NatGateways: { NatGateway: page.items.map((n) => natBody(ctx, n)) } };
};

const DescribeSnatTableEntries: RpcHandler = (ctx, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  if (p.SnatTableId === undefined && p.NatGatewayId === undefined) throw new ApiError('DESCRIBE_SNAT_PARAM_INVALID', 'SnatTableId and natGatewayId can not both be null', 400);
  const nats = Object.values(state.natGateways).filter((n) => n.regionId === ctx.region && eq(p.SnatTableId, n.snatTableId) && eq(p.NatGatewayId, n.natGatewayId));
  if (nats.length === 0) throw new ApiError('InvalidSnatTableId.NotFound', 'Specified SNAT table does not exist.', 404);
  const tables = new Set(nats.map((n) => n.snatTableId));
  const list = Object.values(state.snatEntries).filter(
    (s) =>
      tables.has(s.snatTableId) &&
      eq(p.SnatEntryId, s.snatEntryId) &&
      eq(p.SourceVSwitchId, s.sourceVSwitchId) &&
      eq(p.SnatEntryName, s.name ?? '') &&
      (p.SnatIp === undefined || s.snatIp.split(',').includes(p.SnatIp)) &&
      (p.SourceCIDR === undefined || p.SourceCIDR === s.sourceCidr || (s.sourceVSwitchId !== undefined && state.vswitches[s.sourceVSwitchId]?.cidrBlock === p.SourceCIDR)),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 50 });
  return {
    TotalCount: page.totalCount,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    SnatTableEntries: {
      SnatTableEntry: page.items.map((s) => ({
        SnatEntryId: s.snatEntryId,
        SnatTableId: s.snatTableId,
        NatGatewayId: s.natGatewayId,
        SnatEntryName: s.name ?? '',
        SourceVSwitchId: s.sourceVSwitchId ?? '',
        // For a vSwitch entry the cloud shows the vSwitch's CIDR here.
        SourceCIDR: s.sourceCidr ?? (s.sourceVSwitchId ? state.vswitches[s.sourceVSwitchId]?.cidrBlock ?? '' : ''),
        SnatIp: s.snatIp,
        Status: s.status ?? 'Available',
        EipAffinity: '0',
      })),
    },
  };
};

const CreateSnatEntry: RpcHandler = (ctx, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  const nat = Object.values(state.natGateways).find((n) => n.snatTableId === p.SnatTableId && n.regionId === ctx.region);
  if (!nat) throw new ApiError('InvalidSnatTableId.NotFound', 'Specified SNAT table does not exist.', 404);
  if (p.SourceVSwitchId !== undefined && p.SourceCIDR !== undefined) {
    throw new ApiError('CreateSnatEntry.ParamExclusive.sourceVSwitchIdAndsourceCIDR', 'SourceVSwitchId and SourceCIDR are mutually exclusive.', 400);
  }
  if (p.SourceVSwitchId === undefined && p.SourceCIDR === undefined) throw new ApiError('INVALID_PARAMETER', 'The parameter invalid: SourceVSwitchId or SourceCIDR is required.', 400);
  if (p.SnatIp === undefined || p.SnatIp === '') throw new ApiError('MissingParam.SnatIp', 'The input parameter SnatIp  that is mandatory for processing this request is not supplied.', 400);
  if (p.SnatEntryName !== undefined && !/^[A-Za-z][\w.-]{1,127}$/.test(p.SnatEntryName)) throw new ApiError('InvalidParameter.Name.Malformed', 'The specified Name is not valid.', 400);
  const existing = Object.values(state.snatEntries).filter((s) => s.snatTableId === nat.snatTableId);
  let sourceCidr: string;
  if (p.SourceVSwitchId !== undefined) {
    const vswitch = state.vswitches[p.SourceVSwitchId];
    if (!vswitch) throw new ApiError('InvalidVSwitchId.NotFound', 'The specified virtual switch does not exists.', 404);
    if (vswitch.vpcId !== nat.vpcId) throw new ApiError('OperationFailed.VSwitchNotInVpc', 'The specified vswitch and natgateway are not in the same vpc.', 400);
    if (existing.some((s) => s.sourceVSwitchId === vswitch.vSwitchId)) throw new ApiError('Forbidden.SourceVSwitchId.Duplicated', 'The specified SourceCIDRis duplicated.', 400);
    sourceCidr = vswitch.cidrBlock;
  } else {
    const cidr = normalizeCidr(String(p.SourceCIDR));
    if (!cidr) throw new ApiError('InvalidSourceCIDR.Malformed', 'SourceCIDR is illegal.', 400);
    const vpc = state.vpcs[nat.vpcId]!;
    if (!vpcCidrs(vpc).some((c) => cidrsOverlap(c, cidr) && Number(c.split('/')[1]) <= Number(cidr.split('/')[1]))) {
      throw new ApiError('NOT_ALLOW_USE_SOURCECIDR_OUTSIDEVPC', 'The User not in sourcecidr_unlimited_outsidevpc white list. Cannot use SourceCidr outside VpcCidr.', 400);
    }
    sourceCidr = cidr;
  }
  const taken = existing.map((s) => s.sourceCidr ?? (s.sourceVSwitchId ? state.vswitches[s.sourceVSwitchId]?.cidrBlock : undefined)).filter((c): c is string => !!c);
  if (p.SourceCIDR !== undefined && taken.includes(sourceCidr)) throw new ApiError('OperationUnsupported.CidrConflict', 'The specified CIDR block conflicts with an existing SNAT entry.', 400);
  const ips = csv(p.SnatIp);
  for (const ip of ips) {
    if (!isIpv4(ip)) throw new ApiError('InvalidSnatIp.Malformed', 'The specified SnatIp is not a valid IP address.', 400);
    if (!eipsOfNat(ctx, nat.natGatewayId).some((e) => e.ipAddress === ip)) throw new ApiError('InvalidSnatIp.NotFound', `Specified SnatIp ${ip} does not found on the NAT Gateway`, 404);
  }
  dryRun(p);
  const snatEntryId = ctx.world.nextId('snat-');
  state.snatEntries[snatEntryId] = {
    snatEntryId,
    snatTableId: nat.snatTableId,
    natGatewayId: nat.natGatewayId,
    sourceVSwitchId: p.SourceVSwitchId,
    sourceCidr: p.SourceVSwitchId === undefined ? sourceCidr : undefined,
    snatIp: ips.join(','),
    name: p.SnatEntryName ?? '',
    status: 'Pending',
    createdAtMs: ctx.world.data.nowMs,
  };
  return { SnatEntryId: snatEntryId };
};

const ASSOCIATED_TYPES = ['EcsInstance', 'SlbInstance', 'Nat', 'HaVip', 'NetworkInterface', 'IpAddress'];

const DescribeEipAddresses: RpcHandler = (ctx, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  if (p.AssociatedInstanceType !== undefined && !ASSOCIATED_TYPES.includes(p.AssociatedInstanceType)) {
    throw new ApiError('InvalidIAssociatedInstanceType.ValueNotSupported', 'The specified value of AssociatedInstanceType is not supported.', 400);
  }
  const ids = csv(p.AllocationId);
  const addresses = csv(p.EipAddress);
  const status = (e: EipRecord) => (e.instanceId ? 'InUse' : 'Available');
  const list = Object.values(state.eips).filter(
    (e) =>
      e.regionId === ctx.region &&
      (ids.length === 0 || ids.includes(e.allocationId)) &&
      (addresses.length === 0 || addresses.includes(e.ipAddress)) &&
      eq(p.Status, status(e)) &&
      eq(p.AssociatedInstanceType, e.instanceType ?? '') &&
      eq(p.AssociatedInstanceId, e.instanceId ?? '') &&
      eq(p.EipName, e.name ?? '') &&
      eq(p.ISP, 'BGP') &&
      eq(p.ChargeType, 'PostPaid') &&
      hasTags(e.tags, p.Tag),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 100 });
  return {
    TotalCount: page.totalCount,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    EipAddresses: {
      EipAddress: page.items.map((e) => ({
        AllocationId: e.allocationId,
        IpAddress: e.ipAddress,
        RegionId: e.regionId,
        Name: e.name ?? '',
        Description: '',
        Status: status(e),
        InstanceId: e.instanceId ?? '',
        InstanceType: e.instanceType ?? '',
        InstanceRegionId: e.instanceId ? e.regionId : '',
        VpcId: e.instanceType === 'Nat' && e.instanceId ? state.natGateways[e.instanceId]?.vpcId ?? '' : '',
        AllocationTime: isoSeconds(msOf(e.createdAt ?? new Date(ctx.world.data.nowMs).toISOString())),
        Bandwidth: '5',
        EipBandwidth: '5',
        ChargeType: 'PostPaid',
        InternetChargeType: 'PayByTraffic',
        ISP: 'BGP',
        Netmode: 'public',
        Mode: 'NAT',
        BusinessStatus: 'Normal',
        DeletionProtection: false,
        SecondLimited: false,
        HDMonitorStatus: 'OFF',
        HasReservationData: 'false',
        ServiceManaged: 0,
        OperationLocks: { LockReason: [] as { LockReason: string }[] },
        Tags: tagsBody(e.tags),
      })),
    },
  };
};

export const vpcRouteHandlers: Record<string, RpcHandler> = {
  DescribeRouteEntryList,
  CreateRouteEntry,
  DeleteRouteEntry,
  DescribeNatGateways,
  DescribeSnatTableEntries,
  CreateSnatEntry,
  DescribeEipAddresses,
};

/** CEN attachments that route entries point at (used by Cbn to refuse deleting an attachment still in use). */
export function vpcRoutesToAttachment(ctx: CallContext, attachmentId: string): { accountId: string; routeEntryId: string }[] {
  const out: { accountId: string; routeEntryId: string }[] = [];
  const attachment = cenState(ctx.world).attachments[attachmentId];
  const accounts = new Set([ctx.caller.accountId, ...(attachment?.vpcOwnerId ? [attachment.vpcOwnerId] : [])]);
  for (const accountId of accounts) {
    for (const e of Object.values(settleVpc(ctx.world, accountId).routeEntries)) {
      if (e.nextHopType === 'Attachment' && e.nextHopId === attachmentId) out.push({ accountId, routeEntryId: e.routeEntryId });
    }
  }
  return out;
}

