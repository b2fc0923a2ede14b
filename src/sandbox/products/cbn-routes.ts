// Cbn 2017-09-12, transit-router routing: route tables, static route entries, and the association (which table
// forwards an attachment's traffic) and propagation (which table learns its routes) correlations. Learned
// routes are computed live from the attachments (state/cen.ts trRoutes), so they follow VPC changes.
import { ApiError, type CallContext, type RpcHandler } from '../api.js';
import { attachmentRouters, cenState, CEN_MS, settleCen, trRoutes, type TrAttachmentRecord, type TrLinkRecord } from '../state/cen.js';
import { normalizeCidr } from '../state/cidr.js';
import { settleVpc } from '../state/vpc.js';
import { nameOk, ownAttachment, ownTransitRouter, ownTrRouteTable } from './cbn-common.js';
import { dryRun, eq, hasTags, idempotent, isoMinutes, pageByToken } from './net-common.js';
import { invalidParameter } from '../spec.js';

type P = Record<string, any>;

const ListTransitRouterRouteTables: RpcHandler = (ctx, p: P) => {
  const ids: string[] = p.TransitRouterRouteTableIds ?? [];
  const names: string[] = p.TransitRouterRouteTableNames ?? [];
  if (p.TransitRouterId === undefined && ids.length === 0) {
    throw new ApiError('MissingParam.TransitRouterIdOrTransitRouterRouteTables', 'Either TransitRouterId or TransitRouterRouteTables must be specified.', 400);
  }
  if (p.TransitRouterId !== undefined) ownTransitRouter(ctx, p.TransitRouterId);
  const s = settleCen(ctx.world);
  const list = Object.values(s.routeTables).filter((t) => {
    const tr = s.transitRouters[t.transitRouterId];
    return (
      tr?.ownerId === ctx.caller.accountId &&
      eq(p.TransitRouterId, t.transitRouterId) &&
      (ids.length === 0 || ids.includes(t.routeTableId)) &&
      (names.length === 0 || names.includes(t.name)) &&
      eq(p.TransitRouterRouteTableType, t.type) &&
      eq(p.TransitRouterRouteTableStatus, 'Active') &&
      hasTags(t.tags, p.Tag)
    );
  });
  const page = pageByToken(list, p, { defaultSize: 20, maxSize: 100 });
  return {
    TotalCount: page.totalCount,
    MaxResults: page.maxResults,
    NextToken: page.nextToken,
    TransitRouterRouteTables: page.items.map((t) => ({
      TransitRouterRouteTableId: t.routeTableId,
      TransitRouterId: t.transitRouterId,
      RegionId: s.transitRouters[t.transitRouterId]?.regionId,
      TransitRouterRouteTableType: t.type,
      TransitRouterRouteTableStatus: 'Active',
      TransitRouterRouteTableName: t.name,
      TransitRouterRouteTableDescription: t.description,
      CreateTime: isoMinutes(t.createdAtMs),
      RouteTableOptions: { MultiRegionECMP: 'disable' },
      Tags: t.tags.map((x) => ({ Key: x.Key, Value: x.Value })),
    })),
  };
};

/** What an attachment leads to, seen from one router: a VPC, or the router at the other end. */
function resourceOf(a: TrAttachmentRecord, fromRouter: string): { type: 'VPC' | 'TR'; id: string } {
  if (a.kind === 'VPC') return { type: 'VPC', id: a.vpcId ?? '' };
  return { type: 'TR', id: attachmentRouters(a).find((t) => t !== fromRouter) ?? '' };
}

const CreateTransitRouterRouteEntry: RpcHandler = (ctx, p: P) =>
  idempotent(ctx, p, () => {
    const table = ownTrRouteTable(ctx, p.TransitRouterRouteTableId);
    const type = p.TransitRouterRouteEntryNextHopType;
    if (type !== 'Attachment' && type !== 'BlackHole') throw new ApiError('IllegalParam.NextHopType', 'The NextHopType is illegal.', 400);
    if (type === 'BlackHole' && p.TransitRouterRouteEntryNextHopId !== undefined) {
      throw new ApiError('ParamExclusive.NextHopTypeBlackHoleAndNextHopId', 'TransitRouterRouteEntryNextHopType(BlackHole) and TransitRouterRouteEntryNextHopId is mutually exclusive.', 400);
    }
    if (type === 'Attachment' && !p.TransitRouterRouteEntryNextHopId) throw new ApiError('MissingParam.TransitRouterRouteEntryNextHopId', 'The parameter TransitRouterRouteEntryNextHopId is mandatory', 400);
    const destination = normalizeCidr(String(p.TransitRouterRouteEntryDestinationCidrBlock));
    if (!destination) throw new ApiError('IllegalParam.TransitRouterDestinationCidrBlock', 'TransitRouterDestinationCidrBlock is illegal.', 400);
    if (!nameOk(p.TransitRouterRouteEntryName)) throw new ApiError('InvalidName', 'Name is invalid.', 400);
    if (!nameOk(p.TransitRouterRouteEntryDescription)) throw new ApiError('InvalidDescription', 'Description is invalid.', 400);
    const s = settleCen(ctx.world);
    if (type === 'Attachment') {
      const a = s.attachments[p.TransitRouterRouteEntryNextHopId];
      if (!a || a.ownerId !== ctx.caller.accountId || !attachmentRouters(a).includes(table.transitRouterId)) {
        throw new ApiError('InvalidTransitRouterRouteEntryNextHopId.NotFound', `TransitRouterRouteEntryNextHopId ${p.TransitRouterRouteEntryNextHopId} is not found on ${table.transitRouterId}`, 400);
      }
    }
    const same = Object.values(s.routeEntries).filter((e) => e.routeTableId === table.routeTableId && e.destinationCidrBlock === destination && e.status !== 'Deleting');
    if (same.some((e) => e.nextHopType === type && (e.nextHopId ?? '') === (p.TransitRouterRouteEntryNextHopId ?? ''))) {
      throw new ApiError('InstanceExist.TransitRouterRouteEntry', 'The instance TransitRouterRouteEntry already exists.', 400);
    }
    if (same.length > 0) throw new ApiError('OperationFailed.CreateRouteEntryWithSameDestinationCidrBlock', 'Operation failed because Create RouteEntry with same destination cidrblock does not support.', 400);
    dryRun(p);
    const now = ctx.world.data.nowMs;
    const entryId = ctx.world.nextId('rte-');
    s.routeEntries[entryId] = {
      entryId,
      routeTableId: table.routeTableId,
      destinationCidrBlock: destination,
      nextHopType: type,
      nextHopId: type === 'Attachment' ? String(p.TransitRouterRouteEntryNextHopId) : undefined,
      name: p.TransitRouterRouteEntryName ?? '',
      description: p.TransitRouterRouteEntryDescription ?? '',
      status: 'Creating',
      statusSinceMs: now,
      createdAtMs: now,
    };
    return { TransitRouterRouteEntryId: entryId };
  });

const ListTransitRouterRouteEntries: RpcHandler = (ctx, p: P) => {
  const ids: string[] = p.TransitRouterRouteEntryIds ?? [];
  const names: string[] = p.TransitRouterRouteEntryNames ?? [];
  if (ids.length > 0 && p.TransitRouterRouteEntryStatus !== undefined) {
    throw new ApiError('ParamExclusive.RouteEntryIdsAndStatus', 'TransitRouterRouteEntryIds and TransitRouterRouteEntryStatus is mutually exclusive.', 400);
  }
  const table = ownTrRouteTable(ctx, p.TransitRouterRouteTableId);
  const status = p.TransitRouterRouteEntryStatus ?? (ids.length > 0 ? 'All' : 'Active');
  if (!['All', 'Active', 'Rejected', 'Prohibited', 'Standby', 'Candidate', 'Creating', 'Deleting'].includes(status)) {
    throw new ApiError('IllegalParam.TransitRouterRouteEntryStatus', 'TransitRouterRouteEntryStatus is illegal.', 400);
  }
  const s = settleCen(ctx.world);
  const routes = trRoutes(ctx.world, table.routeTableId).filter((r) => {
    const hop = r.nextHopId ? s.attachments[r.nextHopId] : undefined;
    const res = hop ? resourceOf(hop, table.transitRouterId) : undefined;
    return (
      (status === 'All' || r.status === status) &&
      (ids.length === 0 || ids.includes(r.entryId)) &&
      (names.length === 0 || names.includes(r.name)) &&
      eq(p.TransitRouterRouteEntryDestinationCidrBlock, r.destinationCidrBlock) &&
      eq(p.TransitRouterRouteEntryType, r.type) &&
      eq(p.TransitRouterRouteEntryNextHopType, r.nextHopType) &&
      eq(p.TransitRouterRouteEntryNextHopId, r.nextHopId ?? '') &&
      eq(p.TransitRouterRouteEntryNextHopResourceId, res?.id ?? '') &&
      eq(p.TransitRouterRouteEntryNextHopResourceType, res?.type ?? '') &&
      eq(p.TransitRouterRouteEntryOriginResourceId, r.originId ?? '') &&
      eq(p.TransitRouterRouteEntryOriginResourceType, r.originType ?? '')
    );
  });
  const page = pageByToken(routes, p, { defaultSize: 20, maxSize: 100 });
  return {
    TotalCount: page.totalCount,
    MaxResults: page.maxResults,
    NextToken: page.nextToken,
    TransitRouterRouteEntries: page.items.map((r) => {
      const hop = r.nextHopId ? s.attachments[r.nextHopId] : undefined;
      const res = hop ? resourceOf(hop, table.transitRouterId) : undefined;
      return {
        TransitRouterRouteEntryId: r.entryId,
        TransitRouterRouteEntryDestinationCidrBlock: r.destinationCidrBlock,
        TransitRouterRouteEntryType: r.type,
        TransitRouterRouteEntryStatus: r.status,
        TransitRouterRouteEntryNextHopType: r.nextHopType,
        TransitRouterRouteEntryNextHopId: r.nextHopId,
        TransitRouterRouteEntryNextHopResourceId: res?.id,
        TransitRouterRouteEntryNextHopResourceType: res?.type,
        TransitRouterRouteEntryOriginResourceId: r.originId,
        TransitRouterRouteEntryOriginResourceType: r.originType,
        TransitRouterRouteEntryName: r.name,
        TransitRouterRouteEntryDescription: r.description,
        CreateTime: isoMinutes(r.createdAtMs),
        OperationalMode: false,
      };
    }),
  };
};

const DeleteTransitRouterRouteEntry: RpcHandler = (ctx, p: P) => {
  const s = settleCen(ctx.world);
  const byTarget = p.TransitRouterRouteTableId !== undefined || p.TransitRouterRouteEntryDestinationCidrBlock !== undefined;
  if (p.TransitRouterRouteEntryId !== undefined && byTarget) {
    throw new ApiError('ParamExclusive.RouteEntryIdAndRouteTableIdOrDestCidrBlock', 'RouteEntryId and TransitRouterRouteTableIdOrDestCidrBlock is mutually exclusive.', 400);
  }
  let entryId: string;
  if (p.TransitRouterRouteEntryId !== undefined) {
    const e = s.routeEntries[p.TransitRouterRouteEntryId];
    const owned = e && s.transitRouters[s.routeTables[e.routeTableId]?.transitRouterId ?? '']?.ownerId === ctx.caller.accountId;
    if (!e || !owned) {
      const learned = Object.values(s.routeTables).some((t) => trRoutes(ctx.world, t.routeTableId).some((r) => r.entryId === p.TransitRouterRouteEntryId && r.type === 'Propagated'));
      if (learned) throw new ApiError('OperationFailed.DeleteTransitRouterRouteEntry', 'Operation failed because this route entry is created automatically.', 400);
      throw new ApiError('IllegalParam.TransitRouterRouteEntryId', 'TransitRouterRouteEntryId is not found.', 400);
    }
    entryId = e.entryId;
  } else {
    if (p.TransitRouterRouteTableId === undefined) throw new ApiError('IllegalParam.TransitRouterRouteTableId', 'The transitRouter route table id is illegal.', 400);
    const table = ownTrRouteTable(ctx, p.TransitRouterRouteTableId);
    const type = p.TransitRouterRouteEntryNextHopType;
    if (type !== 'Attachment' && type !== 'BlackHole') throw new ApiError('IllegalParam.NextHopType', 'The NextHopType is illegal.', 400);
    if (type === 'Attachment' && !p.TransitRouterRouteEntryNextHopId) throw new ApiError('MissingParam.TransitRouterRouteEntryNextHopId', 'The parameter TransitRouterRouteEntryNextHopId is mandatory', 400);
    const destination = normalizeCidr(String(p.TransitRouterRouteEntryDestinationCidrBlock ?? ''));
    const e = Object.values(s.routeEntries).find(
      (x) => x.routeTableId === table.routeTableId && x.destinationCidrBlock === destination && x.nextHopType === type && (x.nextHopId ?? '') === (p.TransitRouterRouteEntryNextHopId ?? ''),
    );
    if (!e) throw new ApiError('InvalidDestinationCidrBlock.NotFound', 'DestinationCidrBlock is not found.', 400);
    entryId = e.entryId;
  }
  const entry = s.routeEntries[entryId]!;
  if (entry.status !== 'Active') throw new ApiError('IncorrectStatus.TransitRouterRouteTable', `TransitRouterRouteTable status is invalid: route ${entry.entryId} is ${entry.status}.`, 400);
  dryRun(p);
  entry.status = 'Deleting';
  entry.statusSinceMs = ctx.world.data.nowMs;
  return {};
};

// ---- associations and propagations ----

type Kind = TrLinkRecord['kind'];

/** The attachment and table a correlation call names, checked to be the caller's and on the same router. */
function linkTarget(ctx: CallContext, p: P) {
  const a = ownAttachment(ctx, p.TransitRouterAttachmentId, 'InvalidAttachmentId.NotFound', 404);
  const table = ownTrRouteTable(ctx, p.TransitRouterRouteTableId, 'InvalidRouteTableId.NotFound', 404);
  if (!attachmentRouters(a).includes(table.transitRouterId)) {
    throw new ApiError('IllegalParam.TransitRouterTableId', `The specified TransitRouterTableId ${table.routeTableId} is invalid: ${a.attachmentId} is not on ${table.transitRouterId}.`, 400);
  }
  return { a, table };
}

function addLink(ctx: CallContext, kind: Kind, a: TrAttachmentRecord, routeTableId: string, transitRouterId: string, active = false): void {
  cenState(ctx.world).links.push({
    kind,
    attachmentId: a.attachmentId,
    routeTableId,
    transitRouterId,
    status: active ? 'Active' : kind === 'association' ? 'Associating' : 'Enabling',
    statusSinceMs: ctx.world.data.nowMs - (active ? CEN_MS.link : 0),
  });
}

/** Default correlations of a new inter-region connection: both routers' system tables (see CreateTransitRouterPeerAttachment). */
export function linkDefaults(ctx: CallContext, a: TrAttachmentRecord): void {
  const s = cenState(ctx.world);
  for (const trId of attachmentRouters(a)) {
    const system = s.transitRouters[trId]?.systemRouteTableId;
    if (!system) continue;
    addLink(ctx, 'association', a, system, trId);
    addLink(ctx, 'propagation', a, system, trId);
  }
}

const correlate =
  (kind: Kind, on: boolean): RpcHandler =>
  (ctx, p: P) => {
    const { a, table } = linkTarget(ctx, p);
    const s = settleCen(ctx.world);
    const mine = s.links.find((l) => l.kind === kind && l.attachmentId === a.attachmentId && l.routeTableId === table.routeTableId);
    if (on) {
      if (a.status !== 'Attached') throw new ApiError('IncorrectStatus.AttachmentOrRouteTable', `The resource is not in a valid state for the operation: ${a.attachmentId} is ${a.status}.`, 400);
      if (kind === 'association' && s.links.some((l) => l.kind === 'association' && l.attachmentId === a.attachmentId && l.transitRouterId === table.transitRouterId)) {
        throw new ApiError('AssociationExist.TransitRouterTable', `The specified association already exists: ${a.attachmentId} is associated with a route table of ${table.transitRouterId}.`, 400);
      }
      if (kind === 'propagation' && mine) throw new ApiError('OperationUnsupported.EnablePropagation', `Route learning from ${a.attachmentId} into ${table.routeTableId} is already enabled.`, 400);
      dryRun(p);
      addLink(ctx, kind, a, table.routeTableId, table.transitRouterId);
    } else {
      if (!mine || mine.status !== 'Active') {
        const code = kind === 'association' ? 'OperationUnsupported.dissociateRouteTable' : 'OperationUnsupported.DisablePropagation';
        throw new ApiError(code, `The specified attachment or routeTable is not supported by this operation: no active ${kind} of ${a.attachmentId} with ${table.routeTableId}.`, 400);
      }
      dryRun(p);
      mine.status = kind === 'association' ? 'Dissociating' : 'Disabling';
      mine.statusSinceMs = ctx.world.data.nowMs;
    }
    return {};
  };

const linkList =
  (kind: Kind): RpcHandler =>
  (ctx, p: P) => {
    if (kind === 'association' && p.TransitRouterRouteTableId === undefined && p.TransitRouterAttachmentId === undefined) throw invalidParameter('TransitRouterRouteTableId');
    if (p.TransitRouterRouteTableId !== undefined) ownTrRouteTable(ctx, p.TransitRouterRouteTableId);
    const s = settleCen(ctx.world);
    const list = s.links
      .filter((l) => l.kind === kind && s.attachments[l.attachmentId]?.ownerId === ctx.caller.accountId)
      .map((l) => ({ l, res: resourceOf(s.attachments[l.attachmentId]!, l.transitRouterId) }))
      .filter(
        ({ l, res }) =>
          eq(p.TransitRouterRouteTableId, l.routeTableId) &&
          eq(p.TransitRouterAttachmentId, l.attachmentId) &&
          eq(p.TransitRouterAttachmentResourceId, res.id) &&
          eq(p.TransitRouterAttachmentResourceType, res.type) &&
          eq(p.Status, l.status),
      );
    const page = pageByToken(list, p, { defaultSize: 50, maxSize: 100 });
    const items = page.items.map(({ l, res }) => ({
      TransitRouterAttachmentId: l.attachmentId,
      TransitRouterRouteTableId: l.routeTableId,
      Status: l.status,
      ResourceType: res.type,
      ResourceId: res.id,
    }));
    const base = { TotalCount: page.totalCount, MaxResults: page.maxResults, NextToken: page.nextToken };
    return kind === 'association' ? { ...base, TransitRouterAssociations: items } : { ...base, TransitRouterPropagations: items };
  };

/**
 * What must be gone before an attachment may be deleted. VPC routes pointing at it always block; with
 * Force the cloud removes the TR-side correlations and static routes itself.
 */
export function detachChecks(ctx: CallContext, a: TrAttachmentRecord, force: boolean): void {
  const s = settleCen(ctx.world);
  const accounts = new Set([a.ownerId, ...(a.vpcOwnerId ? [a.vpcOwnerId] : [])]);
  for (const accountId of accounts) {
    const route = Object.values(settleVpc(ctx.world, accountId).routeEntries).find((e) => e.nextHopType === 'Attachment' && e.nextHopId === a.attachmentId && e.status !== 'Deleting');
    if (route) {
      throw new ApiError('OperationFailed.AttachmentReferencedVpcRouteEntryExisted', `Operation is failed because there is at least one route entry which next hop is the specified attachment: ${route.routeEntryId} in ${route.routeTableId}.`, 400);
    }
  }
  const links = s.links.filter((l) => l.attachmentId === a.attachmentId);
  const statics = Object.values(s.routeEntries).filter((e) => e.nextHopId === a.attachmentId);
  if (!force) {
    const assoc = links.find((l) => l.kind === 'association');
    if (assoc) throw new ApiError('OperationFailed.RouteTableAssociationExist', `Operation failed because there is associated routing table: ${assoc.routeTableId}.`, 400);
    const prop = links.find((l) => l.kind === 'propagation');
    if (prop) throw new ApiError('OperationFailed.RouteTablePropagationExist', `The specified TransitRouterAttachment has configured RouteTablePropagation (${prop.routeTableId}). Please remove the configuration first.`, 400);
    if (statics.length > 0) throw new ApiError('OperationFailed.RouteEntryExist', `Failed to delete the instance because a route table entry points to the instance: ${statics[0]!.entryId}.`, 400);
    return;
  }
  s.links = s.links.filter((l) => l.attachmentId !== a.attachmentId);
  for (const e of statics) delete s.routeEntries[e.entryId];
}

export const cbnRouteHandlers: Record<string, RpcHandler> = {
  ListTransitRouterRouteTables,
  CreateTransitRouterRouteEntry,
  ListTransitRouterRouteEntries,
  DeleteTransitRouterRouteEntry,
  AssociateTransitRouterAttachmentWithRouteTable: correlate('association', true),
  DissociateTransitRouterAttachmentFromRouteTable: correlate('association', false),
  EnableTransitRouterRouteTablePropagation: correlate('propagation', true),
  DisableTransitRouterRouteTablePropagation: correlate('propagation', false),
  ListTransitRouterRouteTableAssociations: linkList('association'),
  ListTransitRouterRouteTablePropagations: linkList('propagation'),
};
