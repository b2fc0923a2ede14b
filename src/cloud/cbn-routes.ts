// Transit-router routing (Cbn 2017-09-12), in account A: route tables, route entries, and which attachments a
// table is associated with or learns from. The CEN, transit routers and attachments are in cbn.ts.
import { PARAM_WIRE, type Apis } from './api/cbn-types.js';
import { pageByToken, makeRpc, type RpcCallOptions } from './rpc-call.js';
import type { AccountClient } from './session.js';

const call = makeRpc<Apis>('cbn', PARAM_WIRE);
type Opts = RpcCallOptions | undefined;

function required<T>(value: T | undefined, what: string, requestId: string | undefined): T {
  if (value === undefined || value === '') throw new Error(`Cbn answered without ${what} (request ${requestId ?? '?'})`);
  return value;
}

// ---- route tables, entries, association and propagation ---------------------------------------------------

export interface TrRouteTable {
  routeTableId: string;
  transitRouterId?: string;
  name?: string;
  /** `System` (the default table) or `Custom`. */
  type: string;
  status: string;
}

export async function listTransitRouterRouteTables(acct: AccountClient, transitRouterId: string, filter: { type?: 'System' | 'Custom' } = {}, options?: Opts): Promise<TrRouteTable[]> {
  return pageByToken(async (token) => {
    const r = await call(acct, 'ListTransitRouterRouteTables', { TransitRouterId: transitRouterId, TransitRouterRouteTableType: filter.type, MaxResults: 100, NextToken: token }, options);
    const items = (r.TransitRouterRouteTables ?? []).map((t) => ({
      routeTableId: t.TransitRouterRouteTableId ?? '',
      transitRouterId: t.TransitRouterId,
      name: t.TransitRouterRouteTableName || undefined,
      type: t.TransitRouterRouteTableType ?? '',
      status: t.TransitRouterRouteTableStatus ?? '',
    }));
    return { items, nextToken: r.NextToken || undefined };
  });
}

export interface TrRouteEntry {
  entryId: string;
  destinationCidrBlock: string;
  /** `Static` or `Propagated`. */
  type: string;
  status: string;
  nextHopType?: string;
  nextHopId?: string;
  name?: string;
  description?: string;
}

export interface TrRouteTarget {
  routeTableId: string;
  destinationCidrBlock: string;
  nextHopType: 'Attachment' | 'BlackHole';
  /** The attachment ID, for `Attachment`. */
  nextHopId?: string;
}

const targetParams = (t: TrRouteTarget) => ({
  TransitRouterRouteTableId: t.routeTableId,
  TransitRouterRouteEntryDestinationCidrBlock: t.destinationCidrBlock,
  TransitRouterRouteEntryNextHopType: t.nextHopType,
  TransitRouterRouteEntryNextHopId: t.nextHopId,
});

/** Adds a static route (asynchronous). Returns its ID. */
export async function createTransitRouterRouteEntry(acct: AccountClient, input: TrRouteTarget & { name?: string; description?: string; clientToken?: string }, options?: Opts): Promise<string> {
  const r = await call(
    acct,
    'CreateTransitRouterRouteEntry',
    { ...targetParams(input), TransitRouterRouteEntryName: input.name, TransitRouterRouteEntryDescription: input.description, ClientToken: input.clientToken },
    options,
  );
  return required(r.TransitRouterRouteEntryId, 'a TransitRouterRouteEntryId', r.RequestId);
}

/** Routes of a TR route table (the API's default is Active routes only; `status: 'All'` for every one), following NextToken. */
export async function listTransitRouterRouteEntries(
  acct: AccountClient,
  routeTableId: string,
  filter: { destinationCidrBlock?: string; status?: string; type?: 'Static' | 'Propagated'; names?: string[]; ids?: string[] } = {},
  options?: Opts,
): Promise<TrRouteEntry[]> {
  return pageByToken(async (token) => {
    const r = await call(
      acct,
      'ListTransitRouterRouteEntries',
      {
        TransitRouterRouteTableId: routeTableId,
        TransitRouterRouteEntryDestinationCidrBlock: filter.destinationCidrBlock,
        TransitRouterRouteEntryStatus: filter.status,
        TransitRouterRouteEntryType: filter.type,
        TransitRouterRouteEntryNames: filter.names,
        TransitRouterRouteEntryIds: filter.ids,
        MaxResults: 100,
        NextToken: token,
      },
      options,
    );
    const items = (r.TransitRouterRouteEntries ?? []).map((e) => ({
      entryId: e.TransitRouterRouteEntryId ?? '',
      destinationCidrBlock: e.TransitRouterRouteEntryDestinationCidrBlock ?? '',
      type: e.TransitRouterRouteEntryType ?? '',
      status: e.TransitRouterRouteEntryStatus ?? '',
      nextHopType: e.TransitRouterRouteEntryNextHopType,
      nextHopId: e.TransitRouterRouteEntryNextHopId,
      name: e.TransitRouterRouteEntryName || undefined,
      description: e.TransitRouterRouteEntryDescription || undefined,
    }));
    return { items, nextToken: r.NextToken || undefined };
  });
}

/** Deletes a static route by ID, or by table + destination + next hop (the API refuses both forms at once). */
export async function deleteTransitRouterRouteEntry(acct: AccountClient, target: { entryId: string } | TrRouteTarget, options?: Opts): Promise<void> {
  await call(acct, 'DeleteTransitRouterRouteEntry', 'entryId' in target ? { TransitRouterRouteEntryId: target.entryId } : targetParams(target), options);
}

export interface AttachmentRouteTable {
  attachmentId: string;
  routeTableId: string;
}

type LinkAction =
  | 'AssociateTransitRouterAttachmentWithRouteTable'
  | 'DissociateTransitRouterAttachmentFromRouteTable'
  | 'EnableTransitRouterRouteTablePropagation'
  | 'DisableTransitRouterRouteTablePropagation';

const linkCall =
  (action: LinkAction) =>
  async (acct: AccountClient, link: AttachmentRouteTable, options?: Opts): Promise<void> => {
    await call(acct, action, { TransitRouterAttachmentId: link.attachmentId, TransitRouterRouteTableId: link.routeTableId }, options);
  };

/** Forwards the attachment's traffic by this route table (association). */
export const associateTransitRouterAttachmentWithRouteTable = linkCall('AssociateTransitRouterAttachmentWithRouteTable');
export const dissociateTransitRouterAttachmentFromRouteTable = linkCall('DissociateTransitRouterAttachmentFromRouteTable');
/** Lets the route table learn the attachment's routes (propagation). */
export const enableTransitRouterRouteTablePropagation = linkCall('EnableTransitRouterRouteTablePropagation');
export const disableTransitRouterRouteTablePropagation = linkCall('DisableTransitRouterRouteTablePropagation');

export interface RouteTableLink extends AttachmentRouteTable {
  /** e.g. `Active`, `Associating`, `Enabling`. */
  status: string;
  resourceId?: string;
  resourceType?: string;
}

type WireLink = { TransitRouterAttachmentId?: string; TransitRouterRouteTableId?: string; Status?: string; ResourceId?: string; ResourceType?: string };

const linkOf = (l: WireLink): RouteTableLink => ({
  attachmentId: l.TransitRouterAttachmentId ?? '',
  routeTableId: l.TransitRouterRouteTableId ?? '',
  status: l.Status ?? '',
  resourceId: l.ResourceId,
  resourceType: l.ResourceType,
});

/** Association correlations, of a route table or of an attachment, following NextToken. */
export async function listTransitRouterRouteTableAssociations(acct: AccountClient, filter: Partial<AttachmentRouteTable>, options?: Opts): Promise<RouteTableLink[]> {
  return pageByToken(async (token) => {
    const request = { TransitRouterRouteTableId: filter.routeTableId, TransitRouterAttachmentId: filter.attachmentId, MaxResults: 100, NextToken: token };
    const r = await call(acct, 'ListTransitRouterRouteTableAssociations', request, options);
    return { items: (r.TransitRouterAssociations ?? []).map(linkOf), nextToken: r.NextToken || undefined };
  });
}

/** Propagation correlations of a route table (optionally of one attachment), following NextToken. */
export async function listTransitRouterRouteTablePropagations(acct: AccountClient, filter: { routeTableId: string; attachmentId?: string }, options?: Opts): Promise<RouteTableLink[]> {
  return pageByToken(async (token) => {
    const request = { TransitRouterRouteTableId: filter.routeTableId, TransitRouterAttachmentId: filter.attachmentId, MaxResults: 100, NextToken: token };
    const r = await call(acct, 'ListTransitRouterRouteTablePropagations', request, options);
    return { items: (r.TransitRouterPropagations ?? []).map(linkOf), nextToken: r.NextToken || undefined };
  });
}
