// Cbn 2017-09-12, network instance connections: VPC attachments (another account's VPC needs that account's
// Vpc GrantInstanceToCen to this CEN, and VpcOwnerId) with zone mappings in transit-router zones, and
// inter-region (peer) attachments between two routers of the CEN. All move Attaching -> Attached.
import { ApiError, type CallContext, type RpcHandler } from '../api.js';
import { attachmentRouters, cenState, grantFor, isTrServiceOpen, settleCen, transitRouterZones, type TrAttachmentRecord, type TransitRouterRecord } from '../state/cen.js';
import { vpcState } from '../state/vpc.js';
import type { World } from '../world.js';
import { createRouter, ownAttachment, ownCen, ownTransitRouter } from './cbn-common.js';
import { detachChecks, linkDefaults } from './cbn-routes.js';
import { checkedTags, dryRun, eq, hasTags, idempotent, isoMinutes, mergeTags, pageByToken, uid } from './net-common.js';

type P = Record<string, any>;

/** The router a create names: TransitRouterId, or the CEN's router in RegionId (created on the fly for VPCs). */
function routerFor(ctx: CallContext, p: P, autoCreate: boolean): { tr: TransitRouterRecord; created: boolean } {
  if (p.TransitRouterId !== undefined) {
    const tr = ownTransitRouter(ctx, p.TransitRouterId);
    if (p.RegionId !== undefined && p.RegionId !== tr.regionId) throw new ApiError('IllegalParam.RegionId', `The Specified Parameter RegionId is illegal: ${tr.transitRouterId} is in ${tr.regionId}.`, 400);
    return { tr, created: false };
  }
  if (p.CenId === undefined || p.RegionId === undefined) throw new ApiError('MissingParam.CenIdOrRegionId', 'Either CenId or RegionId must be specified.', 400);
  const cen = ownCen(ctx, p.CenId);
  const found = Object.values(settleCen(ctx.world).transitRouters).find((t) => t.cenId === cen.cenId && t.regionId === p.RegionId);
  if (found) return { tr: found, created: false };
  if (!autoCreate) throw new ApiError('InvalidTransitRouterId.NotFound', `CEN ${cen.cenId} has no transit router in ${p.RegionId}.`, 400);
  // Documented: without a router in the region, the system creates an Enterprise one for the VPC connection.
  if (!isTrServiceOpen(ctx.world, ctx.caller.accountId)) throw new ApiError('Forbbiden.TransitRouterServiceNotOpen', 'The user has not open transit router service.', 400);
  if (cen.status !== 'Active') throw new ApiError('InvalidOperation.CenInstanceStatus', `The CEN instance ${cen.cenId} is ${cen.status}.`, 409);
  return { tr: createRouter(ctx, cen, String(p.RegionId), '', '', []), created: true };
}

const CreateTransitRouterVpcAttachment: RpcHandler = (ctx, p: P) =>
  idempotent(ctx, p, () => {
    const world = ctx.world;
    const { tr, created } = routerFor(ctx, p, p.DryRun !== true);
    const cen = settleCen(world).cens[tr.cenId]!;
    if (cen.status !== 'Active') throw new ApiError('InvalidOperation.CenInstanceStatus', `The CEN instance ${cen.cenId} is ${cen.status}.`, 409);
    if (!created && tr.status !== 'Active') throw new ApiError('IncorrectStatus.TransitRouter', `The status of TransitRouter ${tr.transitRouterId} is ${tr.status}.`, 400);
    const owner = p.VpcOwnerId === undefined ? ctx.caller.accountId : String(p.VpcOwnerId);
    const vpc = world.data.accounts[owner] ? vpcState(world, owner).vpcs[p.VpcId] : undefined;
    // Assumed code: the VPC is looked up in VpcOwnerId's account (the caller's when absent) and region.
    if (!vpc || vpc.regionId !== tr.regionId) throw new ApiError('InvalidParameter', `Invalid parameter: account ${owner} has no VPC ${p.VpcId} in ${tr.regionId} (set VpcOwnerId for another account's VPC).`, 400);
    if (owner !== ctx.caller.accountId && !grantFor(world, vpc.vpcId, cen.cenId, ctx.caller.accountId)) {
      throw new ApiError('Forbbiden.AttachChildInstanceAcrossUid', `Operation is invalid because the child-instance is not authorized to CEN: account ${owner} has not granted ${vpc.vpcId} to ${cen.cenId} (GrantInstanceToCen).`, 409);
    }
    if (Object.values(settleCen(world).attachments).some((a) => a.kind === 'VPC' && a.vpcId === vpc.vpcId && a.cenId === cen.cenId)) {
      throw new ApiError('InvalidOperation.ChildInstanceAlreadyAttached', `Operation is invalid because the child-instance ${vpc.vpcId} has already been attached to ${cen.cenId}.`, 409);
    }
    const mappings: { VSwitchId?: string; ZoneId?: string }[] = p.ZoneMappings ?? [];
    if (mappings.length === 0 || mappings.length > 10) throw new ApiError('IllegalParam.ZoneMappings', 'The Specified Parameter ZoneMappings is illegal (1 to 10 zones).', 400);
    const zones = transitRouterZones(world, tr.regionId);
    const seen = new Set<string>();
    const vswitches = vpcState(world, owner).vswitches;
    for (const m of mappings) {
      const vsw = vswitches[m.VSwitchId ?? ''];
      if (!vsw) throw new ApiError('InvalidVSwitchId.NotFound', `The specified VSwitchId ${m.VSwitchId} is not found.`, 404);
      if (vsw.vpcId !== vpc.vpcId) throw new ApiError('IllegalParam.VSwitchId', `VSwitchId ${vsw.vSwitchId} is illegal: it is not in ${vpc.vpcId}.`, 400);
      if (m.ZoneId !== vsw.zoneId) throw new ApiError('IllegalParam.ZoneId', `The specified ZoneId ${m.ZoneId} is illegal: ${vsw.vSwitchId} is in ${vsw.zoneId}.`, 400);
      if (!zones.includes(vsw.zoneId)) throw new ApiError('IllegalParam.ZoneId', `The specified ZoneId ${vsw.zoneId} is illegal: transit routers in ${tr.regionId} support ${zones.join(', ')}.`, 400);
      if (seen.has(vsw.zoneId)) throw new ApiError('Duplicated.ZoneMapping', `The parameter ZoneMapping is duplicated (zone ${vsw.zoneId}).`, 400);
      seen.add(vsw.zoneId);
    }
    const tags = mergeTags([], checkedTags(p.Tag));
    dryRun(p);
    const common = newAttachment(world, ctx.caller.accountId, { cenId: cen.cenId, transitRouterId: tr.transitRouterId, regionId: tr.regionId }, p, tags);
    const { attachmentId } = common;
    cenState(world).attachments[attachmentId] = {
      ...common,
      kind: 'VPC',
      vpcId: vpc.vpcId,
      vpcOwnerId: owner,
      chargeType: p.ChargeType ?? 'POSTPAY',
      zoneMappings: mappings.map((m) => ({ zoneId: m.ZoneId!, vSwitchId: m.VSwitchId!, networkInterfaceId: world.nextId('eni-') })),
    };
    return { TransitRouterAttachmentId: attachmentId };
  });

/** The fields every new attachment starts with: Attaching since now, on this router, named as asked. */
function newAttachment(world: World, ownerId: string, router: { cenId: string; transitRouterId: string; regionId: string }, p: P, tags: ReturnType<typeof mergeTags>) {
  const now = world.data.nowMs;
  return {
    attachmentId: world.nextId('tr-attach-'),
    cenId: router.cenId,
    ownerId,
    transitRouterId: router.transitRouterId,
    regionId: router.regionId,
    name: p.TransitRouterAttachmentName ?? '',
    description: p.TransitRouterAttachmentDescription ?? '',
    status: 'Attaching' as const,
    statusSinceMs: now,
    createdAtMs: now,
    autoPublishRouteEnabled: p.AutoPublishRouteEnabled === true,
    tags,
  };
}

const attachmentCommon = (a: TrAttachmentRecord) => ({
  TransitRouterAttachmentId: a.attachmentId,
  TransitRouterId: a.transitRouterId,
  CenId: a.cenId,
  Status: a.status,
  TransitRouterAttachmentName: a.name,
  TransitRouterAttachmentDescription: a.description,
  AutoPublishRouteEnabled: a.autoPublishRouteEnabled,
  CreationTime: isoMinutes(a.createdAtMs),
  Tags: a.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
});

const ListTransitRouterVpcAttachments: RpcHandler = (ctx, p: P) => {
  const list = Object.values(settleCen(ctx.world).attachments).filter(
    (a) =>
      a.kind === 'VPC' &&
      a.ownerId === ctx.caller.accountId &&
      eq(p.CenId, a.cenId) &&
      eq(p.RegionId, a.regionId) &&
      eq(p.TransitRouterAttachmentId, a.attachmentId) &&
      eq(p.TransitRouterId, a.transitRouterId) &&
      eq(p.VpcId, a.vpcId) &&
      eq(p.Status, a.status) &&
      eq(p.OrderType, 'PayByCenOwner') &&
      hasTags(a.tags, p.Tag),
  );
  const page = pageByToken(list, p, { defaultSize: 20, maxSize: 100 });
  return {
    TotalCount: page.totalCount,
    MaxResults: page.maxResults,
    NextToken: page.nextToken,
    TransitRouterAttachments: page.items.map((a) => ({
      ...attachmentCommon(a),
      ResourceType: 'VPC',
      VpcId: a.vpcId,
      VpcOwnerId: uid(a.vpcOwnerId!),
      VpcRegionId: a.regionId,
      ChargeType: a.chargeType,
      OrderType: 'PayByCenOwner',
      ZoneMappings: (a.zoneMappings ?? []).map((z) => ({ ZoneId: z.zoneId, VSwitchId: z.vSwitchId, NetworkInterfaceId: z.networkInterfaceId })),
      TransitRouterVPCAttachmentOptions: {},
    })),
  };
};

function startDetach(ctx: CallContext, a: TrAttachmentRecord, force: boolean, dry: P): void {
  detachChecks(ctx, a, force);
  dryRun(dry);
  a.status = 'Detaching';
  a.statusSinceMs = ctx.world.data.nowMs;
}

const DeleteTransitRouterVpcAttachment: RpcHandler = (ctx, p: P) => {
  const a = ownAttachment(ctx, p.TransitRouterAttachmentId);
  if (a.kind !== 'VPC') throw new ApiError('OperationUnsupported.TransitRouterType', `${a.attachmentId} is not a VPC connection.`, 400);
  if (a.status !== 'Attached') throw new ApiError('IncorrectStatus.VpcResource', `The resource is not in a valid state for the attachment operation: ${a.attachmentId} is ${a.status}.`, 400);
  startDetach(ctx, a, p.Force === true, p);
  return {};
};

// ---- inter-region (peer) attachments ----

const CreateTransitRouterPeerAttachment: RpcHandler = (ctx, p: P) =>
  idempotent(ctx, p, () => {
    const local = routerFor(ctx, p, false).tr;
    const peer = settleCen(ctx.world).transitRouters[String(p.PeerTransitRouterId)];
    if (!peer || peer.ownerId !== ctx.caller.accountId || peer.cenId !== local.cenId) {
      throw new ApiError('InvalidPeerTransitRouterId.NotFound', `The specified PeerTransitRouterId ${p.PeerTransitRouterId} is not found in CEN ${local.cenId}.`, 400);
    }
    if (peer.regionId === local.regionId) throw new ApiError('IllegalParam.PeerTransitRouterId', 'PeerTransitRouterId is illegal: both routers are in the same region.', 400);
    if (p.PeerTransitRouterRegionId !== undefined && p.PeerTransitRouterRegionId !== peer.regionId) throw new ApiError('IllegalParam.PeerRegionId', `PeerRegionId is illegal: ${peer.transitRouterId} is in ${peer.regionId}.`, 400);
    for (const tr of [local, peer]) if (tr.status !== 'Active') throw new ApiError('IncorrectStatus.TransitRouter', `The status of TransitRouter ${tr.transitRouterId} is ${tr.status}.`, 400);
    const bandwidthType = p.BandwidthType ?? 'BandwidthPackage';
    if (!['BandwidthPackage', 'DataTransfer'].includes(bandwidthType)) throw new ApiError('IllegalParam.BandwidthType', 'BandwidthType is illegal.', 400);
    // Bandwidth plans are not simulated: a plan ID cannot name one; without it the connection gets the test bandwidth.
    if (p.CenBandwidthPackageId !== undefined) throw new ApiError('IllegalParam.CenBandwidthPackageId', `CenBandwidthPackageId ${p.CenBandwidthPackageId} is illegal.`, 400);
    if (bandwidthType === 'DataTransfer' && p.Bandwidth === undefined) throw new ApiError('MissingParam.Bandwidth', 'The parameter Bandwidth is mandatory.', 400);
    if (p.Bandwidth !== undefined && (!Number.isInteger(p.Bandwidth) || p.Bandwidth <= 0)) throw new ApiError('IllegalParam.Bandwidth', 'Bandwidth is illegal.', 400);
    const s = settleCen(ctx.world);
    const pair = (a: TrAttachmentRecord) => a.kind === 'PEER' && attachmentRouters(a).includes(local.transitRouterId) && attachmentRouters(a).includes(peer.transitRouterId);
    if (Object.values(s.attachments).some(pair)) throw new ApiError('InvalidOperation', `Operation is invalid: ${local.transitRouterId} and ${peer.transitRouterId} are already connected.`, 400);
    const tags = mergeTags([], checkedTags(p.Tag));
    dryRun(p);
    const common = newAttachment(ctx.world, ctx.caller.accountId, local, p, tags);
    const { attachmentId } = common;
    s.attachments[attachmentId] = {
      ...common,
      kind: 'PEER',
      peerTransitRouterId: peer.transitRouterId,
      peerRegionId: peer.regionId,
      bandwidth: p.Bandwidth ?? 0,
      bandwidthType,
    };
    // Assumed from the CEN console's behaviour: an inter-region connection is associated with, and propagates
    // into, the default route table of both routers.
    linkDefaults(ctx, s.attachments[attachmentId]!);
    return { TransitRouterAttachmentId: attachmentId };
  });

const ListTransitRouterPeerAttachments: RpcHandler = (ctx, p: P) => {
  const views: { a: TrAttachmentRecord; flip: boolean }[] = [];
  for (const a of Object.values(settleCen(ctx.world).attachments)) {
    if (a.kind !== 'PEER' || a.ownerId !== ctx.caller.accountId || !eq(p.CenId, a.cenId) || !eq(p.TransitRouterAttachmentId, a.attachmentId) || !hasTags(a.tags, p.Tag)) continue;
    // Each router sees the connection from its own side.
    for (const flip of [false, true]) {
      const tr = flip ? a.peerTransitRouterId : a.transitRouterId;
      const region = flip ? a.peerRegionId : a.regionId;
      if (eq(p.TransitRouterId, tr) && eq(p.RegionId, region) && (flip === false || p.TransitRouterId !== undefined || p.RegionId !== undefined)) {
        views.push({ a, flip });
        break;
      }
    }
  }
  const page = pageByToken(views, p, { defaultSize: 20, maxSize: 100 });
  return {
    TotalCount: page.totalCount,
    MaxResults: page.maxResults,
    NextToken: page.nextToken,
    TransitRouterAttachments: page.items.map(({ a, flip }) => ({
      ...attachmentCommon(a),
      TransitRouterId: flip ? a.peerTransitRouterId : a.transitRouterId,
      RegionId: flip ? a.peerRegionId : a.regionId,
      PeerTransitRouterId: flip ? a.transitRouterId : a.peerTransitRouterId,
      PeerTransitRouterRegionId: flip ? a.regionId : a.peerRegionId,
      PeerTransitRouterOwnerId: uid(a.ownerId),
      ResourceType: 'TR',
      Bandwidth: a.bandwidth,
      BandwidthType: a.bandwidthType,
      GeographicSpanId: 'china_china',
      DefaultLinkType: 'Gold',
    })),
  };
};

const DeleteTransitRouterPeerAttachment: RpcHandler = (ctx, p: P) => {
  const a = ownAttachment(ctx, p.TransitRouterAttachmentId);
  if (a.kind !== 'PEER') throw new ApiError('OperationUnsupported.TransitRouterType', `${a.attachmentId} is not an inter-region connection.`, 400);
  if (a.status !== 'Attached') throw new ApiError('InvalidOperation', `Operation is invalid: ${a.attachmentId} is ${a.status}.`, 400);
  startDetach(ctx, a, p.Force === true, p);
  return {};
};

export const cbnAttachmentHandlers: Record<string, RpcHandler> = {
  CreateTransitRouterVpcAttachment,
  ListTransitRouterVpcAttachments,
  DeleteTransitRouterVpcAttachment,
  CreateTransitRouterPeerAttachment,
  ListTransitRouterPeerAttachments,
  DeleteTransitRouterPeerAttachment,
};
