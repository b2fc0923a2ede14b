// Cbn 2017-09-12: CEN instances, Enterprise transit routers and the transit router service. Attachments are in
// cbn-attachments.ts, TR routing (route tables, entries, associations, propagations) in cbn-routes.ts, grants
// and attached child instances in cbn-grants.ts.
// Cbn has one central endpoint: region-scoped calls name their region in the RegionId parameter.
import { ApiError, type ProductModule, type RpcHandler } from '../api.js';
import { invalidParameter } from '../spec.js';
import { attachmentRouters, cenState, isTrServiceOpen, settleCen, transitRouterZones } from '../state/cen.js';
import { cbnAttachmentHandlers } from './cbn-attachments.js';
import { createRouter, nameOk, ownCen, ownTransitRouter } from './cbn-common.js';
import { cbnGrantHandlers } from './cbn-grants.js';
import { cbnRouteHandlers } from './cbn-routes.js';
import { checkedTags, dryRun, eq, hasTags, idempotent, isoMinutes, mergeTags, pageByNumber, uid, pageFields } from './net-common.js';

type P = Record<string, any>;

// ---- CEN instances ----

const CreateCen: RpcHandler = (ctx, p: P) =>
  idempotent(ctx, p, () => {
    if (!nameOk(p.Name)) throw invalidParameter('Name');
    if (!nameOk(p.Description) || String(p.Description ?? '').length > 256) throw invalidParameter('Description');
    if (p.ProtectionLevel !== undefined && p.ProtectionLevel !== 'REDUCED') throw invalidParameter('ProtectionLevel');
    const tags = mergeTags([], checkedTags(p.Tag));
    const cenId = ctx.world.nextId('cen-', 18);
    const now = ctx.world.data.nowMs;
    cenState(ctx.world).cens[cenId] = {
      cenId,
      ownerId: ctx.caller.accountId,
      name: p.Name ?? '',
      description: p.Description ?? '',
      protectionLevel: 'REDUCED',
      status: 'Creating',
      statusSinceMs: now,
      createdAtMs: now,
      tags,
    };
    return { CenId: cenId };
  });

const DescribeCens: RpcHandler = (ctx, p: P) => {
  const filters: { Key?: string; Value?: string[] }[] = p.Filter ?? [];
  for (const f of filters) if (!['CenId', 'Name'].includes(f.Key ?? '')) throw invalidParameter('Filter.Key');
  const list = Object.values(settleCen(ctx.world).cens).filter(
    (c) =>
      c.ownerId === ctx.caller.accountId &&
      filters.every((f) => (f.Value ?? []).length === 0 || (f.Value ?? []).includes(f.Key === 'CenId' ? c.cenId : c.name)) &&
      hasTags(c.tags, p.Tag),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 50 });
  return {
    ...pageFields(page),
    Cens: {
      Cen: page.items.map((c) => ({
        CenId: c.cenId,
        Name: c.name,
        Description: c.description,
        Status: c.status,
        ProtectionLevel: c.protectionLevel,
        Ipv6Level: 'DISABLED',
        CreationTime: isoMinutes(c.createdAtMs),
        Tags: { Tag: c.tags.map((t) => ({ Key: t.Key, Value: t.Value })) },
        CenBandwidthPackageIds: { CenBandwidthPackageId: [] as string[] },
      })),
    },
  };
};

const DeleteCen: RpcHandler = (ctx, p: P) => {
  const cen = ownCen(ctx, p.CenId);
  const s = settleCen(ctx.world);
  const routers = Object.values(s.transitRouters).filter((t) => t.cenId === cen.cenId);
  const ids = new Set(routers.map((t) => t.transitRouterId));
  if (Object.values(s.routeTables).some((rt) => ids.has(rt.transitRouterId) && rt.type === 'Custom')) {
    throw new ApiError('OperationFailed.DeleteCenWithCustomRouteTable', 'Operation failed because you are not allowed to delete the CEN with the custom transit router route table.', 400);
  }
  const tables = new Set(Object.values(s.routeTables).filter((rt) => ids.has(rt.transitRouterId)).map((rt) => rt.routeTableId));
  if (Object.values(s.routeEntries).some((e) => tables.has(e.routeTableId))) {
    throw new ApiError('OperationFailed.DeleteCenWithRouteEntry', 'Operation failed because you are not allowed to delete the CEN with the transit router route entry.', 400);
  }
  const attached = Object.values(s.attachments).filter((a) => a.cenId === cen.cenId);
  // Assumed code: the docs require every network instance connection gone first but name no code for it.
  if (attached.length > 0) throw new ApiError('InvalidOperation.CenInstanceStatus', `The CEN instance still has connections: ${attached.map((a) => a.attachmentId).join(', ')}.`, 409);
  for (const status of [cen, ...routers]) {
    status.status = 'Deleting';
    status.statusSinceMs = ctx.world.data.nowMs;
  }
  return {};
};

// ---- transit routers ----

const CreateTransitRouter: RpcHandler = (ctx, p: P) =>
  idempotent(ctx, p, () => {
    const cen = ownCen(ctx, p.CenId);
    if (cen.status !== 'Active') throw new ApiError('InvalidOperation.CenInstanceStatus', `The CEN instance ${cen.cenId} is ${cen.status}.`, 409);
    if (!isTrServiceOpen(ctx.world, ctx.caller.accountId)) throw new ApiError('Forbbiden.TransitRouterServiceNotOpen', 'The user has not open transit router service.', 400);
    if (!nameOk(p.TransitRouterName)) throw invalidParameter('TransitRouterName');
    if (Object.values(settleCen(ctx.world).transitRouters).some((t) => t.cenId === cen.cenId && t.regionId === p.RegionId)) {
      throw new ApiError('InstanceExist.TransitRouterInstance', `The instance already exists: CEN ${cen.cenId} has a transit router in ${p.RegionId}.`, 400);
    }
    const tags = mergeTags([], checkedTags(p.Tag, { key: 'IllegalParam.TagKey', value: 'IllegalParam.TagValue' }));
    dryRun(p);
    return { TransitRouterId: createRouter(ctx, cen, String(p.RegionId), p.TransitRouterName ?? '', p.TransitRouterDescription ?? '', tags).transitRouterId };
  });

const ListTransitRouters: RpcHandler = (ctx, p: P) => {
  if (p.CenId === undefined && p.TransitRouterId === undefined && p.RegionId === undefined) {
    throw new ApiError('InvalidParameterCombination.TransitRouter', 'Region ID is required if no TransitRouterId or CenId specified.', 400);
  }
  const list = Object.values(settleCen(ctx.world).transitRouters).filter(
    (t) =>
      t.ownerId === ctx.caller.accountId &&
      eq(p.CenId, t.cenId) &&
      eq(p.TransitRouterId, t.transitRouterId) &&
      eq(p.RegionId, t.regionId) &&
      eq(p.Status, t.status) &&
      eq(p.Type, 'Enterprise') &&
      eq(p.TransitRouterName, t.name) &&
      hasTags(t.tags, p.Tag),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 50 });
  return {
    ...pageFields(page),
    TransitRouters: page.items.map((t) => ({
      TransitRouterId: t.transitRouterId,
      CenId: t.cenId,
      RegionId: t.regionId,
      AliUid: uid(t.ownerId),
      Type: 'Enterprise',
      Status: t.status,
      TransitRouterName: t.name,
      TransitRouterDescription: t.description,
      CreationTime: isoMinutes(t.createdAtMs),
      SupportMulticast: false,
      TransitRouterCidrList: [] as object[],
      Tags: t.tags.map((x) => ({ Key: x.Key, Value: x.Value })),
    })),
  };
};

const DeleteTransitRouter: RpcHandler = (ctx, p: P) => {
  const tr = ownTransitRouter(ctx, p.TransitRouterId, 'InvalidTransitRouterInstance.NotFound');
  if (tr.status !== 'Active') throw new ApiError('IncorrectStatus.TransitRouterInstance', `The status of TransitRouter ${tr.transitRouterId} is ${tr.status}.`, 400);
  const s = settleCen(ctx.world);
  const blocking = [
    ...Object.values(s.attachments).filter((a) => attachmentRouters(a).includes(tr.transitRouterId)).map((a) => `connection ${a.attachmentId}`),
    ...Object.values(s.routeTables).filter((rt) => rt.transitRouterId === tr.transitRouterId && rt.type === 'Custom').map((rt) => `route table ${rt.routeTableId}`),
    ...Object.values(s.routeEntries).filter((e) => s.routeTables[e.routeTableId]?.transitRouterId === tr.transitRouterId).map((e) => `route entry ${e.entryId}`),
  ];
  if (blocking.length > 0) throw new ApiError('OperationFailed.DeleteTransitRouter', `Operation failed because TransitRouterRouteTable or TransitRouterRouteEntry or BandwidthTransitRegion exists: ${blocking.join(', ')}.`, 400);
  dryRun(p);
  tr.status = 'Deleting';
  tr.statusSinceMs = ctx.world.data.nowMs;
  return {};
};

const CheckTransitRouterService: RpcHandler = (ctx) => ({ Enabled: String(isTrServiceOpen(ctx.world, ctx.caller.accountId)) });

const OpenTransitRouterService: RpcHandler = (ctx) => {
  if (isTrServiceOpen(ctx.world, ctx.caller.accountId)) throw new ApiError('Order.Opened', 'The transit router service is already activated.', 400);
  const s = cenState(ctx.world);
  s.trServiceClosed = s.trServiceClosed.filter((a) => a !== ctx.caller.accountId);
  return { OrderId: String(200_000_000_000 + ctx.world.data.seq) };
};

const ListTransitRouterAvailableResource: RpcHandler = (ctx, p: P) => {
  const zones = transitRouterZones(ctx.world, String(p.RegionId));
  return { AvailableZones: zones, MasterZones: zones.slice(0, 1), SlaveZones: zones.slice(1), SupportMulticast: false };
};

export const cbn: ProductModule = {
  product: 'cbn',
  rpc: {
    CreateCen,
    DescribeCens,
    DeleteCen,
    CreateTransitRouter,
    ListTransitRouters,
    DeleteTransitRouter,
    CheckTransitRouterService,
    OpenTransitRouterService,
    ListTransitRouterAvailableResource,
    ...cbnAttachmentHandlers,
    ...cbnRouteHandlers,
    ...cbnGrantHandlers,
  },
  roa: {},
};
