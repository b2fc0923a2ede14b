// Vpc 2016-04-28, routing: route entries (list, create with the cloud's checks, delete). Route changes are
// asynchronous (Pending/Deleting for ROUTE_ENTRY_MS); one change at a time per route table.
import { ApiError, type CallContext, type RpcHandler } from '../api.js';
import { invalidParameter } from '../spec.js';
import { settleCen } from '../state/cen.js';
import { normalizeCidr } from '../state/cidr.js';
import { ecsState } from '../state/ecs.js';
import { peerOf, settlePeerings } from '../state/peering.js';
import {
  addRouteEntry,
  routeEntriesOf,
  settleVpc,
  vswitchCovering,
  type RouteEntryRecord,
  type RouteTableRecord,
} from '../state/vpc.js';
import { dryRun, eq, idempotent, isoSeconds, pageByToken } from './net-common.js';

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

const CreateRouteEntry: RpcHandler = (ctx, p: P) =>
  idempotent(ctx, p, () => {
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

export const vpcRouteHandlers: Record<string, RpcHandler> = {
  DescribeRouteEntryList,
  CreateRouteEntry,
  DeleteRouteEntry,
};
