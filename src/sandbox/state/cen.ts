// Cloud Enterprise Network state: CEN instances, Enterprise transit routers, VPC and inter-region (peer)
// attachments, TR route tables, their associations and propagations, static routes, and the grants other
// accounts make with Vpc GrantInstanceToCen. It spans accounts (B grants its VPC, A attaches it), so it lives
// in world.shared('cbn'). Statuses move over simulated time as the Cbn metadata describes (Creating -> Active,
// Attaching -> Attached, Associating/Enabling -> Active; Deleting/Detaching/Dissociating/Disabling -> gone).
import type { World } from '../world.js';
import { cidrContains, ipToInt, prefixLength } from './cidr.js';
import { vpcState, vswitchesOf, type Tag } from './vpc.js';

export type CenStatus = 'Creating' | 'Active' | 'Deleting';
export type AttachmentStatus = 'Attaching' | 'Attached' | 'Detaching';
export type LinkStatus = 'Associating' | 'Dissociating' | 'Enabling' | 'Disabling' | 'Active';

export interface CenRecord {
  cenId: string;
  ownerId: string;
  name: string;
  description: string;
  protectionLevel: string;
  status: CenStatus;
  statusSinceMs: number;
  createdAtMs: number;
  tags: Tag[];
}

export interface TransitRouterRecord {
  transitRouterId: string;
  cenId: string;
  ownerId: string;
  regionId: string;
  name: string;
  description: string;
  status: CenStatus;
  statusSinceMs: number;
  createdAtMs: number;
  /** The default (System) route table, created with the router. */
  systemRouteTableId: string;
  tags: Tag[];
}

export interface TrAttachmentRecord {
  attachmentId: string;
  kind: 'VPC' | 'PEER';
  cenId: string;
  /** The CEN owner (who created the attachment). */
  ownerId: string;
  transitRouterId: string;
  regionId: string;
  name: string;
  description: string;
  status: AttachmentStatus;
  statusSinceMs: number;
  createdAtMs: number;
  autoPublishRouteEnabled: boolean;
  tags: Tag[];
  /** VPC attachments. */
  vpcId?: string;
  vpcOwnerId?: string;
  zoneMappings?: { zoneId: string; vSwitchId: string; networkInterfaceId: string }[];
  chargeType?: string;
  /** Inter-region (peer) attachments: the other router. */
  peerTransitRouterId?: string;
  peerRegionId?: string;
  bandwidth?: number;
  bandwidthType?: string;
}

export interface TrRouteTableRecord {
  routeTableId: string;
  transitRouterId: string;
  type: 'System' | 'Custom';
  name: string;
  description: string;
  createdAtMs: number;
  tags: Tag[];
}

export interface TrRouteEntryRecord {
  entryId: string;
  routeTableId: string;
  destinationCidrBlock: string;
  nextHopType: 'Attachment' | 'BlackHole';
  nextHopId?: string;
  name: string;
  description: string;
  status: 'Creating' | 'Active' | 'Deleting';
  statusSinceMs: number;
  createdAtMs: number;
}

/** An association (the table forwards the attachment's traffic) or a propagation (the table learns its routes). */
export interface TrLinkRecord {
  kind: 'association' | 'propagation';
  attachmentId: string;
  routeTableId: string;
  transitRouterId: string;
  status: LinkStatus;
  statusSinceMs: number;
}

export interface CenGrantRecord {
  /** The granted network instance (a VPC) and its owner and region. */
  instanceId: string;
  instanceType: string;
  ownerId: string;
  regionId: string;
  cenId: string;
  cenOwnerId: string;
  createdAtMs: number;
}

interface CenShared {
  cens: Record<string, CenRecord>;
  transitRouters: Record<string, TransitRouterRecord>;
  attachments: Record<string, TrAttachmentRecord>;
  routeTables: Record<string, TrRouteTableRecord>;
  routeEntries: Record<string, TrRouteEntryRecord>;
  links: TrLinkRecord[];
  grants: CenGrantRecord[];
  /** Accounts whose transit router service is not activated (the seeded accounts have it on). */
  trServiceClosed: string[];
}

/** Simulated durations of the asynchronous steps. */
export const CEN_MS = { cen: 5_000, transitRouter: 10_000, attach: 20_000, detach: 10_000, routeEntry: 5_000, link: 5_000, remove: 5_000 } as const;

export const cenState = (world: World): CenShared =>
  world.shared<CenShared>('cbn', () => ({ cens: {}, transitRouters: {}, attachments: {}, routeTables: {}, routeEntries: {}, links: [], grants: [], trServiceClosed: [] }));

/** Moves every CEN resource along the clock; finished deletions disappear. */
export function settleCen(world: World): CenShared {
  const s = cenState(world);
  const done = (since: number, ms: number) => world.isDone(since, ms);
  for (const c of Object.values(s.cens)) {
    if (c.status === 'Creating' && done(c.statusSinceMs, CEN_MS.cen)) c.status = 'Active';
    if (c.status === 'Deleting' && done(c.statusSinceMs, CEN_MS.remove)) delete s.cens[c.cenId];
  }
  for (const t of Object.values(s.transitRouters)) {
    if (t.status === 'Creating' && done(t.statusSinceMs, CEN_MS.transitRouter)) t.status = 'Active';
    if (t.status === 'Deleting' && done(t.statusSinceMs, CEN_MS.remove)) {
      delete s.transitRouters[t.transitRouterId];
      for (const rt of Object.values(s.routeTables)) if (rt.transitRouterId === t.transitRouterId) delete s.routeTables[rt.routeTableId];
    }
  }
  for (const a of Object.values(s.attachments)) {
    if (a.status === 'Attaching' && done(a.statusSinceMs, CEN_MS.attach)) a.status = 'Attached';
    if (a.status === 'Detaching' && done(a.statusSinceMs, CEN_MS.detach)) delete s.attachments[a.attachmentId];
  }
  for (const e of Object.values(s.routeEntries)) {
    if (e.status === 'Creating' && done(e.statusSinceMs, CEN_MS.routeEntry)) e.status = 'Active';
    if (e.status === 'Deleting' && done(e.statusSinceMs, CEN_MS.remove)) delete s.routeEntries[e.entryId];
  }
  s.links = s.links.filter((l) => !((l.status === 'Dissociating' || l.status === 'Disabling') && done(l.statusSinceMs, CEN_MS.link)));
  for (const l of s.links) if ((l.status === 'Associating' || l.status === 'Enabling') && done(l.statusSinceMs, CEN_MS.link)) l.status = 'Active';
  return s;
}

export function isTrServiceOpen(world: World, accountId: string): boolean {
  return !cenState(world).trServiceClosed.includes(accountId);
}

/** For scenarios: an account that has not activated the transit router service (CreateTransitRouter is refused). */
export function setTransitRouterService(world: World, accountId: string, open: boolean): void {
  const s = cenState(world);
  s.trServiceClosed = s.trServiceClosed.filter((a) => a !== accountId);
  if (!open) s.trServiceClosed.push(accountId);
}

const ZONE_TABLE: Record<string, string[]> = {
  // Zones that support Enterprise transit routers (CEN documentation), for the regions the scenarios use.
  'cn-hangzhou': ['cn-hangzhou-h', 'cn-hangzhou-i', 'cn-hangzhou-j', 'cn-hangzhou-k'],
  'cn-beijing': ['cn-beijing-g', 'cn-beijing-h', 'cn-beijing-i', 'cn-beijing-j', 'cn-beijing-k', 'cn-beijing-l'],
};

/** Zones of a region where a VPC attachment may place its vSwitches (ListTransitRouterAvailableResource). */
export function transitRouterZones(world: World, regionId: string): string[] {
  const known = ZONE_TABLE[regionId];
  if (known) return known;
  // Assumed: outside the table, every zone the world has vSwitches in supports transit routers.
  const zones = new Set<string>();
  for (const accountId of world.accountIds()) for (const v of Object.values(vpcState(world, accountId).vswitches)) if (v.regionId === regionId) zones.add(v.zoneId);
  return [...zones].sort();
}

// ---- lookups ----

/** The routers an attachment is connected to (two for a peer attachment). */
export const attachmentRouters = (a: TrAttachmentRecord): string[] => (a.kind === 'PEER' && a.peerTransitRouterId ? [a.transitRouterId, a.peerTransitRouterId] : [a.transitRouterId]);

/** The live association of an attachment on one router, if any. */
export function associationOn(world: World, attachmentId: string, transitRouterId: string): TrLinkRecord | undefined {
  return cenState(world).links.find((l) => l.kind === 'association' && l.attachmentId === attachmentId && l.transitRouterId === transitRouterId);
}

/** VPC attachments of a VPC (any CEN), not yet gone. */
export function vpcAttachmentsOf(world: World, vpcId: string): TrAttachmentRecord[] {
  return Object.values(settleCen(world).attachments).filter((a) => a.kind === 'VPC' && a.vpcId === vpcId);
}

export function grantFor(world: World, vpcId: string, cenId: string, cenOwnerId: string): CenGrantRecord | undefined {
  return cenState(world).grants.find((g) => g.instanceId === vpcId && g.cenId === cenId && g.cenOwnerId === cenOwnerId);
}

// ---- effective routes of a TR route table ----

export interface TrRoute {
  entryId: string;
  destinationCidrBlock: string;
  type: 'Static' | 'Propagated';
  nextHopType: 'Attachment' | 'BlackHole';
  nextHopId?: string;
  /** `Active`, `Creating`, `Deleting` (static), or `Rejected` (a propagated route that lost to another). */
  status: string;
  name: string;
  description: string;
  createdAtMs: number;
  /** Propagated routes: the resource they were learned from. */
  originType?: 'VPC' | 'TR';
  originId?: string;
}

const propagatedId = (attachmentId: string, cidr: string) => `rte-${attachmentId.replace(/^tr-attach-/, '').slice(0, 10)}${ipToInt(cidr.split('/')[0]!).toString(36)}${prefixLength(cidr)}`;

/** Routes a VPC attachment advertises: the VPC's vSwitch CIDR blocks (its system routes). */
function vpcAttachmentRoutes(world: World, a: TrAttachmentRecord): TrRoute[] {
  if (!a.vpcId || !a.vpcOwnerId) return [];
  return vswitchesOf(world, a.vpcOwnerId, a.vpcId).map((v) => ({
    entryId: propagatedId(a.attachmentId, v.cidrBlock),
    destinationCidrBlock: v.cidrBlock,
    type: 'Propagated' as const,
    nextHopType: 'Attachment' as const,
    nextHopId: a.attachmentId,
    status: 'Active',
    name: '',
    description: '',
    createdAtMs: a.createdAtMs,
    originType: 'VPC' as const,
    originId: a.vpcId,
  }));
}

/**
 * Every route of a TR route table: its static entries, plus the routes learned from attachments whose
 * propagation into this table is Active. A peer attachment advertises what the far router can reach for it
 * (the Active routes of the far table associated with that attachment, except those pointing back at it);
 * assumed: static routes to VPC attachments are advertised across regions like learned ones.
 * Identical destinations: a static route wins, then the earliest learned; the losers are `Rejected`.
 */
export function trRoutes(world: World, routeTableId: string, acrossPeers = true): TrRoute[] {
  const s = settleCen(world);
  const table = s.routeTables[routeTableId];
  if (!table) return [];
  const routes: TrRoute[] = Object.values(s.routeEntries)
    .filter((e) => e.routeTableId === routeTableId)
    .map((e) => ({ ...e, type: 'Static' as const, status: e.status }));
  for (const link of s.links) {
    if (link.kind !== 'propagation' || link.routeTableId !== routeTableId || link.status !== 'Active') continue;
    const a = s.attachments[link.attachmentId];
    if (!a || a.status !== 'Attached') continue;
    if (a.kind === 'VPC') routes.push(...vpcAttachmentRoutes(world, a));
    else if (acrossPeers) {
      const far = attachmentRouters(a).find((tr) => tr !== table.transitRouterId);
      const farLink = far ? associationOn(world, a.attachmentId, far) : undefined;
      if (!farLink || farLink.status !== 'Active') continue;
      for (const r of trRoutes(world, farLink.routeTableId, false)) {
        if (r.status !== 'Active' || r.nextHopType !== 'Attachment' || r.nextHopId === a.attachmentId) continue;
        routes.push({ ...r, entryId: propagatedId(a.attachmentId, r.destinationCidrBlock), type: 'Propagated', nextHopId: a.attachmentId, originType: 'TR', originId: far });
      }
    }
  }
  const winners = new Map<string, TrRoute>();
  for (const r of routes) {
    if (r.status !== 'Active') continue;
    const current = winners.get(r.destinationCidrBlock);
    const better = !current || (r.type === 'Static' && current.type !== 'Static') || (r.type === current.type && r.createdAtMs < current.createdAtMs);
    if (better) winners.set(r.destinationCidrBlock, r);
  }
  return routes.map((r) => (r.type === 'Propagated' && winners.get(r.destinationCidrBlock) !== r ? { ...r, status: 'Rejected' } : r));
}

/** The route a TR table uses for `ip`: the longest Active prefix holding it. */
export function trRouteFor(world: World, routeTableId: string, ip: string): TrRoute | undefined {
  return trRoutes(world, routeTableId)
    .filter((r) => r.status === 'Active' && cidrContains(r.destinationCidrBlock, ip))
    .sort((a, b) => prefixLength(b.destinationCidrBlock) - prefixLength(a.destinationCidrBlock) || (a.type === 'Static' ? -1 : 1))[0];
}
