// VpcPeer 2022-01-01: VPC peering connections between two accounts' VPCs. A creates (its VPC, B's UID, region
// and VPC); a cross-account connection waits in Accepting until B accepts; then Updating -> Activated.
// Either side may see, modify and delete it; only the accepter may accept or reject it.
//
// Overlapping CIDRs: the real CreateVpcPeerConnection does not refuse them (its metadata has no such code, and
// aliyun/terraform-provider-alicloud's own example peers two VPCs that are both 172.17.3.0/24). The overlap
// bites where the cloud checks it: a route into the peer's range that falls inside a local vSwitch is refused
// (CreateRouteEntry), and network-path reports the local route winning.
import { ApiError, type CallContext, type ProductModule, type RpcHandler } from '../api.js';
import { invalidParameter } from '../spec.js';
import {
  createPeering,
  endCidrs,
  livePeeringsBetween,
  PEERING_MS,
  routesToPeering,
  setPeeringStatus,
  settlePeerings,
  visiblePeering,
  type PeeringRecord,
} from '../state/peering.js';
import { settleVpc, vpcState } from '../state/vpc.js';
import { checkedTags, csv, dryRun, eq, hasTags, idempotent, isoSeconds, mergeTags, pageByToken, uid } from './net-common.js';

type P = Record<string, any>;

const notFound = (id: string) => new ApiError('ResourceNotFound.InstanceId', `The specified resource of ${id} is not found.`, 400);
const badStatus = (r: PeeringRecord) => new ApiError('IncorrectStatus.VpcPeer', `The status of VpcPeer [${r.instanceId}] is incorrect: it is ${r.status}.`, 400);

function body(world: CallContext['world'], r: PeeringRecord) {
  const expires = r.status === 'Accepting' || r.status === 'Expired';
  return {
    InstanceId: r.instanceId,
    Name: r.name,
    Description: r.description,
    Status: r.status,
    BizStatus: 'Normal',
    OwnerId: uid(r.ownerId),
    AcceptingOwnerUid: uid(r.acceptingOwnerId),
    RegionId: r.regionId,
    AcceptingRegionId: r.acceptingRegionId,
    Bandwidth: r.bandwidth,
    LinkType: r.linkType,
    GmtCreate: isoSeconds(r.createdAtMs),
    GmtModified: isoSeconds(r.modifiedAtMs),
    GmtExpired: expires ? isoSeconds(r.createdAtMs + PEERING_MS.create + PEERING_MS.acceptWindow) : undefined,
    ResourceGroupId: r.resourceGroupId || undefined,
    Vpc: { VpcId: r.vpcId, Ipv4Cidrs: endCidrs(world, r.vpcId), Ipv6Cidrs: [] as string[] },
    AcceptingVpc: { VpcId: r.acceptingVpcId, Ipv4Cidrs: endCidrs(world, r.acceptingVpcId), Ipv6Cidrs: [] as string[] },
    Tags: r.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
  };
}

const NAME = /^[A-Za-z][\w-]{1,127}$/;

/** Bandwidth and LinkType: only across regions, and only valid values (Create and Modify check them alike). */
function checkLinkParams(p: P, interRegion: boolean): void {
  if (p.Bandwidth !== undefined) {
    if (!interRegion) throw new ApiError('OperationFailed.BandwidthCannotBeChangedInSameRegion', 'The operation failed because the bandwidth cannot be changed in the same region.', 400);
    if (!Number.isInteger(p.Bandwidth) || p.Bandwidth <= 0) throw invalidParameter('Bandwidth');
  }
  if (p.LinkType !== undefined) {
    if (!interRegion) throw new ApiError('OperationFailed.InterRegionLinkTypeNotSupported', 'The same region not supported link type feature.', 400);
    if (!['Platinum', 'Gold'].includes(p.LinkType)) throw invalidParameter('LinkType');
  }
}

const CreateVpcPeerConnection: RpcHandler = (ctx, p: P) =>
  idempotent(ctx, p, () => {
    const world = ctx.world;
    const vpc = settleVpc(world, ctx.caller.accountId).vpcs[p.VpcId];
    if (!vpc || vpc.regionId !== p.RegionId) throw new ApiError('IncorrectStatus.Vpc', `The status of Vpc [${p.VpcId}] is incorrect: there is no such VPC in ${p.RegionId} in this account.`, 400);
    const acceptingOwner = String(p.AcceptingAliUid);
    const acceptingVpc = world.data.accounts[acceptingOwner] ? vpcState(world, acceptingOwner).vpcs[p.AcceptingVpcId] : undefined;
    if (!acceptingVpc || acceptingVpc.regionId !== p.AcceptingRegionId || acceptingVpc.vpcId === vpc.vpcId) {
      throw new ApiError('IncorrectStatus.AcceptingVpc', `The status of AcceptingVpc [${p.AcceptingVpcId}] is incorrect: there is no such VPC of account ${acceptingOwner} in ${p.AcceptingRegionId}.`, 400);
    }
    if (livePeeringsBetween(world, vpc.vpcId, acceptingVpc.vpcId).length > 0) throw new ApiError('ResourceAlreadyExist.VpcPeer', 'The specified resource of VpcPeer already exists.', 400);
    if (p.Name !== undefined && !NAME.test(p.Name)) throw invalidParameter('Name');
    const interRegion = vpc.regionId !== acceptingVpc.regionId;
    // Assumed: a bandwidth on an intra-region request is refused as ModifyVpcPeerConnection refuses it.
    checkLinkParams(p, interRegion);
    const tags = checkedTags(p.Tag);
    dryRun(p);
    const record = createPeering(world, {
      name: p.Name ?? '',
      description: p.Description ?? '',
      ownerId: ctx.caller.accountId,
      regionId: vpc.regionId,
      vpcId: vpc.vpcId,
      acceptingOwnerId: acceptingOwner,
      acceptingRegionId: acceptingVpc.regionId,
      acceptingVpcId: acceptingVpc.vpcId,
      bandwidth: interRegion ? (p.Bandwidth ?? 1024) : -1,
      linkType: interRegion ? (p.LinkType ?? 'Gold') : undefined,
      resourceGroupId: p.ResourceGroupId ?? '',
      tags: mergeTags([], tags),
    });
    return { InstanceId: record.instanceId };
  });

/** Only the accepter may accept or reject; to anyone else the connection is not there (assumed code). */
function asAccepter(ctx: CallContext, id: string): PeeringRecord {
  const record = visiblePeering(ctx.world, ctx.caller.accountId, id);
  if (!record || record.acceptingOwnerId !== ctx.caller.accountId) throw notFound(id);
  return record;
}

const AcceptVpcPeerConnection: RpcHandler = (ctx, p: P) => {
  const record = asAccepter(ctx, p.InstanceId);
  if (record.status !== 'Accepting') throw badStatus(record);
  dryRun(p);
  if (p.Tag !== undefined) record.tags = mergeTags(record.tags, checkedTags(p.Tag));
  setPeeringStatus(ctx.world, record, 'Updating');
  return {};
};

const RejectVpcPeerConnection: RpcHandler = (ctx, p: P) => {
  const record = asAccepter(ctx, p.InstanceId);
  if (record.status !== 'Accepting') throw badStatus(record);
  dryRun(p);
  setPeeringStatus(ctx.world, record, 'Rejected');
  return {};
};

const GetVpcPeerConnectionAttribute: RpcHandler = (ctx, p: P) => {
  const record = visiblePeering(ctx.world, ctx.caller.accountId, p.InstanceId);
  if (!record) throw notFound(p.InstanceId);
  return body(ctx.world, record);
};

const ListVpcPeerConnections: RpcHandler = (ctx, p: P) => {
  const me = ctx.caller.accountId;
  const vpcIds: string[] = Array.isArray(p.VpcId) ? p.VpcId : csv(p.VpcId);
  if (vpcIds.length > 20) throw invalidParameter('VpcId');
  const list = Object.values(settlePeerings(ctx.world).connections).filter((r) => {
    const mySides = [r.ownerId === me ? r.regionId : undefined, r.acceptingOwnerId === me ? r.acceptingRegionId : undefined].filter((x): x is string => !!x);
    return (
      mySides.length > 0 &&
      (p.RegionId === undefined || mySides.includes(p.RegionId)) &&
      eq(p.InstanceId, r.instanceId) &&
      eq(p.Name, r.name) &&
      eq(p.ResourceGroupId, r.resourceGroupId) &&
      (vpcIds.length === 0 || vpcIds.includes(r.vpcId) || vpcIds.includes(r.acceptingVpcId)) &&
      hasTags(r.tags, p.Tags)
    );
  });
  const page = pageByToken(list, p, { defaultSize: 20, maxSize: 100 });
  return { TotalCount: page.totalCount, MaxResults: page.maxResults, NextToken: page.nextToken, VpcPeerConnects: page.items.map((r) => body(ctx.world, r)) };
};

const ModifyVpcPeerConnection: RpcHandler = (ctx, p: P) => {
  const record = visiblePeering(ctx.world, ctx.caller.accountId, p.InstanceId);
  if (!record) throw notFound(p.InstanceId);
  const interRegion = record.regionId !== record.acceptingRegionId;
  const changesLink = p.Bandwidth !== undefined || p.LinkType !== undefined;
  if (changesLink ? record.status !== 'Activated' : !['Activated', 'Accepting'].includes(record.status)) throw badStatus(record);
  checkLinkParams(p, interRegion);
  if (p.Name !== undefined && (p.Name.length < 1 || p.Name.length > 128 || /^https?:\/\//.test(p.Name))) throw invalidParameter('Name');
  dryRun(p);
  if (p.Name !== undefined) record.name = p.Name;
  if (p.Description !== undefined) record.description = p.Description;
  record.modifiedAtMs = ctx.world.data.nowMs;
  if (changesLink) {
    if (p.Bandwidth !== undefined) record.bandwidth = p.Bandwidth;
    if (p.LinkType !== undefined) record.linkType = p.LinkType;
    setPeeringStatus(ctx.world, record, 'Updating');
  }
  return {};
};

const DeleteVpcPeerConnection: RpcHandler = (ctx, p: P) => {
  const record = visiblePeering(ctx.world, ctx.caller.accountId, p.InstanceId);
  if (!record) throw notFound(p.InstanceId);
  if (['Creating', 'Updating', 'Deleting', 'Deleted'].includes(record.status)) throw badStatus(record);
  const routes = routesToPeering(ctx.world, record).filter((r) => settleVpc(ctx.world, r.accountId).routeEntries[r.routeEntryId]?.status !== 'Deleting');
  if (routes.length > 0 && p.Force !== true) {
    throw new ApiError('OperationDenied.RouteEntryExist', `The operation is not allowed because of existing routeEntry point to VpcPeer: ${routes.map((r) => `${r.routeEntryId} in ${r.routeTableId}`).join(', ')}.`, 400);
  }
  dryRun(p);
  // Force: the cloud removes the routes that point at the connection (they disappear like any deleted route).
  for (const r of routes) {
    const entry = vpcState(ctx.world, r.accountId).routeEntries[r.routeEntryId]!;
    entry.status = 'Deleting';
    entry.deletingSinceMs = ctx.world.data.nowMs;
  }
  setPeeringStatus(ctx.world, record, 'Deleting');
  return {};
};

export const vpcpeer: ProductModule = {
  product: 'vpcpeer',
  rpc: {
    CreateVpcPeerConnection,
    AcceptVpcPeerConnection,
    RejectVpcPeerConnection,
    GetVpcPeerConnectionAttribute,
    ListVpcPeerConnections,
    ModifyVpcPeerConnection,
    DeleteVpcPeerConnection,
  },
  roa: {},
};
