// Lookups every Cbn handler shares: the caller's CEN, transit router, attachment or TR route table, or the
// cloud's not-found error for it. Only the CEN owner sees these resources.
import { ApiError, type CallContext } from '../api.js';
import { cenState, settleCen, type CenRecord, type TrAttachmentRecord, type TransitRouterRecord, type TrRouteTableRecord } from '../state/cen.js';

export function ownCen(ctx: CallContext, cenId: unknown): CenRecord {
  const cen = settleCen(ctx.world).cens[String(cenId)];
  if (!cen || cen.ownerId !== ctx.caller.accountId) throw new ApiError('InvalidCenId.NotFound', `CenId ${String(cenId)} is not found.`, 400);
  return cen;
}

export function ownTransitRouter(ctx: CallContext, id: unknown, code = 'InvalidTransitRouterId.NotFound'): TransitRouterRecord {
  const tr = settleCen(ctx.world).transitRouters[String(id)];
  if (!tr || tr.ownerId !== ctx.caller.accountId) throw new ApiError(code, `TransitRouterId ${String(id)} is not found.`, 400);
  return tr;
}

export function ownAttachment(ctx: CallContext, id: unknown, code = 'InvalidTransitRouterAttachmentId.NotFound', status = 400): TrAttachmentRecord {
  const a = settleCen(ctx.world).attachments[String(id)];
  if (!a || a.ownerId !== ctx.caller.accountId) throw new ApiError(code, `TransitRouterAttachmentId ${String(id)} is not found.`, status);
  return a;
}

export function ownTrRouteTable(ctx: CallContext, id: unknown, code = 'InvalidTransitRouterRouteTableId.NotFound', status = 400): TrRouteTableRecord {
  const s = settleCen(ctx.world);
  const table = s.routeTables[String(id)];
  if (!table || s.transitRouters[table.transitRouterId]?.ownerId !== ctx.caller.accountId) throw new ApiError(code, `TransitRouterRouteTableId ${String(id)} is not found.`, status);
  return table;
}

/** Names and descriptions: empty, or up to 128 characters not starting with http(s)://. */
export const nameOk = (v: unknown): boolean => v === undefined || v === '' || (String(v).length <= 128 && !/^https?:\/\//.test(String(v)));

/** A new Enterprise transit router in a region of the CEN, with its system route table (Creating for CEN_MS.transitRouter). */
export function createRouter(ctx: CallContext, cen: CenRecord, regionId: string, name: string, description: string, tags: TransitRouterRecord['tags']): TransitRouterRecord {
  const s = cenState(ctx.world);
  const now = ctx.world.data.nowMs;
  const transitRouterId = ctx.world.nextId('tr-');
  const systemRouteTableId = ctx.world.nextId('vtb-');
  s.transitRouters[transitRouterId] = { transitRouterId, cenId: cen.cenId, ownerId: cen.ownerId, regionId, name, description, status: 'Creating', statusSinceMs: now, createdAtMs: now, systemRouteTableId, tags };
  s.routeTables[systemRouteTableId] = { routeTableId: systemRouteTableId, transitRouterId, type: 'System', name: '', description: '', createdAtMs: now, tags: [] };
  return s.transitRouters[transitRouterId]!;
}
