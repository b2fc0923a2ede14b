// Cloud Enterprise Network (Cbn 2017-09-12), in account A: the CEN instance, Enterprise transit routers, VPC
// attachments (B's VPC with VpcOwnerId, after B's Vpc GrantInstanceToCen), the inter-region peer attachment;
// routing is in cbn-routes.ts. Cbn has one central endpoint; calls about a region's transit router carry that
// region as RegionId. The funnel adds RegionId (`options.region`, else the account's region) to every call that
// names none, so region-scoped lists (ListTransitRouters, List*Attachments) are always scoped to one region.
import { PARAM_WIRE, type Apis } from './api/cbn-types.js';
import { accountIdOf, accountIdParam, dateOf, makeRpc, pageByNumber, pageByToken, tagList, tagsOf, type RpcCallOptions } from './rpc-call.js';
import type { AccountClient } from './session.js';

const call = makeRpc<Apis>('cbn', PARAM_WIRE);
type Tags = Record<string, string>;
type Opts = RpcCallOptions | undefined;

function required<T>(value: T | undefined, what: string, requestId: string | undefined): T {
  if (value === undefined || value === '') throw new Error(`Cbn answered without ${what} (request ${requestId ?? '?'})`);
  return value;
}

// ---- CEN instances ----------------------------------------------------------------------------------------

export interface Cen {
  cenId: string;
  name: string;
  description?: string;
  /** `Creating`, `Active`, `Deleting`. */
  status: string;
  protectionLevel?: string;
  resourceGroupId?: string;
  tags: Tags;
}

/** Every CEN instance matching all the filters (name and ID exact, every tag present), 50 per page. */
export async function describeCens(acct: AccountClient, filter: { name?: string; cenId?: string; tags?: Tags } = {}, options?: Opts): Promise<Cen[]> {
  const filters: { Key: string; Value: string[] }[] = [];
  if (filter.cenId) filters.push({ Key: 'CenId', Value: [filter.cenId] });
  if (filter.name) filters.push({ Key: 'Name', Value: [filter.name] });
  return pageByNumber(50, async (page) => {
    const r = await call(acct, 'DescribeCens', { Filter: filters.length ? filters : undefined, Tag: tagList(filter.tags), PageNumber: page, PageSize: 50 }, options);
    const items = (r.Cens?.Cen ?? []).map((c) => ({
      cenId: c.CenId ?? '',
      name: c.Name ?? '',
      description: c.Description || undefined,
      status: c.Status ?? '',
      protectionLevel: c.ProtectionLevel,
      resourceGroupId: c.ResourceGroupId,
      tags: tagsOf(c.Tags?.Tag),
    }));
    return { items, total: r.TotalCount };
  });
}

/** Creates a CEN instance (asynchronous: `Creating`, then `Active`). Returns its ID. */
export async function createCen(acct: AccountClient, input: { name: string; description?: string; tags?: Tags; clientToken?: string }, options?: Opts): Promise<string> {
  const r = await call(acct, 'CreateCen', { Name: input.name, Description: input.description, Tag: tagList(input.tags), ClientToken: input.clientToken }, options);
  return required(r.CenId, 'a CenId', r.RequestId);
}

export async function deleteCen(acct: AccountClient, cenId: string, options?: Opts): Promise<void> {
  await call(acct, 'DeleteCen', { CenId: cenId }, options);
}

export interface ChildInstance {
  childInstanceId: string;
  /** `VPC`, `VBR`, `CCN`. */
  type: string;
  regionId: string;
  ownerId?: string;
  /** `Attaching`, `Attached`, `Detaching`. */
  status: string;
  attachedAt?: Date;
}

/** Network instances attached to a CEN (optionally of one type / region), 50 per page. */
export async function describeCenAttachedChildInstances(acct: AccountClient, cenId: string, filter: { type?: string; regionId?: string } = {}, options?: Opts): Promise<ChildInstance[]> {
  return pageByNumber(50, async (page) => {
    const r = await call(
      acct,
      'DescribeCenAttachedChildInstances',
      { CenId: cenId, ChildInstanceType: filter.type, ChildInstanceRegionId: filter.regionId, PageNumber: page, PageSize: 50 },
      options,
    );
    const items = (r.ChildInstances?.ChildInstance ?? []).map((c) => ({
      childInstanceId: c.ChildInstanceId ?? '',
      type: c.ChildInstanceType ?? '',
      regionId: c.ChildInstanceRegionId ?? '',
      ownerId: accountIdOf(c.ChildInstanceOwnerId),
      status: c.Status ?? '',
      attachedAt: dateOf(c.ChildInstanceAttachTime),
    }));
    return { items, total: r.TotalCount };
  });
}

export interface GrantRule {
  childInstanceId: string;
  childInstanceType?: string;
  regionId?: string;
  /** The account that granted its instance (B). */
  ownerId?: string;
  cenId: string;
  cenOwnerId?: string;
}

/**
 * Network instances of other accounts granted to this CEN (B's Vpc GrantInstanceToCen, seen from A).
 * `regionId` is the region of the granted instance.
 */
export async function describeGrantRulesToCen(
  acct: AccountClient,
  input: { cenId: string; productType?: 'VPC' | 'VBR' | 'CCN' | 'VPN'; regionId?: string; childInstanceId?: string; childInstanceOwnerId?: string | number },
  options?: Opts,
): Promise<GrantRule[]> {
  const owner = input.childInstanceOwnerId === undefined ? undefined : accountIdParam(input.childInstanceOwnerId);
  return pageByToken(async (token) => {
    const r = await call(
      acct,
      'DescribeGrantRulesToCen',
      { CenId: input.cenId, ProductType: input.productType ?? 'VPC', RegionId: input.regionId, ChildInstanceId: input.childInstanceId, ChildInstanceOwnerId: owner, MaxResults: 100, NextToken: token },
      options,
    );
    const items = (r.GrantRules?.GrantRule ?? []).map((g) => ({
      childInstanceId: g.ChildInstanceId ?? '',
      childInstanceType: g.ChildInstanceType,
      regionId: g.ChildInstanceRegionId,
      ownerId: accountIdOf(g.ChildInstanceOwnerId),
      cenId: g.CenId ?? input.cenId,
      cenOwnerId: accountIdOf(g.CenOwnerId),
    }));
    return { items, nextToken: r.NextToken || undefined };
  });
}

// ---- transit routers --------------------------------------------------------------------------------------

export interface TransitRouter {
  transitRouterId: string;
  cenId: string;
  regionId: string;
  name?: string;
  description?: string;
  /** `Creating`, `Active`, `Modifying`, `Deleting`. */
  status: string;
  /** `Enterprise` or `Basic`. */
  type?: string;
  ownerId?: string;
  tags: Tags;
}

/** The transit routers of a CEN in one region (`regionId`, else the call's region), 50 per page. */
export async function listTransitRouters(acct: AccountClient, filter: { cenId?: string; regionId?: string; transitRouterId?: string; name?: string }, options?: Opts): Promise<TransitRouter[]> {
  return pageByNumber(50, async (page) => {
    const r = await call(
      acct,
      'ListTransitRouters',
      { CenId: filter.cenId, RegionId: filter.regionId, TransitRouterId: filter.transitRouterId, TransitRouterName: filter.name, PageNumber: page, PageSize: 50 },
      options,
    );
    const items = (r.TransitRouters ?? []).map((t) => ({
      transitRouterId: t.TransitRouterId ?? '',
      cenId: t.CenId ?? '',
      regionId: t.RegionId ?? '',
      name: t.TransitRouterName || undefined,
      description: t.TransitRouterDescription || undefined,
      status: t.Status ?? '',
      type: t.Type,
      ownerId: accountIdOf(t.AliUid),
      tags: tagsOf(t.Tags),
    }));
    return { items, total: r.TotalCount };
  });
}

/** Creates an Enterprise Edition transit router in a region of the CEN (asynchronous). Returns its ID. */
export async function createTransitRouter(
  acct: AccountClient,
  input: { cenId: string; regionId: string; name?: string; description?: string; tags?: Tags; clientToken?: string },
  options?: Opts,
): Promise<string> {
  const r = await call(
    acct,
    'CreateTransitRouter',
    { CenId: input.cenId, RegionId: input.regionId, TransitRouterName: input.name, TransitRouterDescription: input.description, Tag: tagList(input.tags), ClientToken: input.clientToken },
    options,
  );
  return required(r.TransitRouterId, 'a TransitRouterId', r.RequestId);
}

export async function deleteTransitRouter(acct: AccountClient, transitRouterId: string, options?: Opts): Promise<void> {
  await call(acct, 'DeleteTransitRouter', { TransitRouterId: transitRouterId }, options);
}

/** Zones of a region where Enterprise transit routers can attach vSwitches. */
export async function listTransitRouterAvailableResource(acct: AccountClient, regionId: string, options?: Opts): Promise<{ availableZones: string[]; masterZones: string[]; slaveZones: string[] }> {
  const r = await call(acct, 'ListTransitRouterAvailableResource', { RegionId: regionId }, options);
  return { availableZones: r.AvailableZones ?? [], masterZones: r.MasterZones ?? [], slaveZones: r.SlaveZones ?? [] };
}

// ---- attachments ------------------------------------------------------------------------------------------

export interface Attachment {
  attachmentId: string;
  transitRouterId: string;
  cenId?: string;
  name?: string;
  description?: string;
  /** `Attaching`, `Attached`, `Detaching`, ... */
  status: string;
  autoPublishRouteEnabled?: boolean;
  tags: Tags;
}

type WireAttachment = NonNullable<Apis['ListTransitRouterVpcAttachments' | 'ListTransitRouterPeerAttachments']['response']['TransitRouterAttachments']>[number];

const attachmentOf = (a: WireAttachment): Attachment => ({
  attachmentId: a.TransitRouterAttachmentId ?? '',
  transitRouterId: a.TransitRouterId ?? '',
  cenId: a.CenId,
  name: a.TransitRouterAttachmentName || undefined,
  description: a.TransitRouterAttachmentDescription || undefined,
  status: a.Status ?? '',
  autoPublishRouteEnabled: a.AutoPublishRouteEnabled,
  tags: tagsOf(a.Tags),
});

export interface VpcAttachment extends Attachment {
  vpcId: string;
  vpcOwnerId?: string;
  vpcRegionId?: string;
  zoneMappings: { zoneId: string; vSwitchId: string; networkInterfaceId?: string }[];
}

interface AttachmentCommon {
  name?: string;
  description?: string;
  autoPublishRouteEnabled?: boolean;
  tags?: Tags;
  clientToken?: string;
}

export interface VpcAttachmentInput extends AttachmentCommon {
  /** The region of the VPC and of its transit router. */
  regionId: string;
  /** The transit router, or the CEN (then its router in `regionId` is used). */
  transitRouterId?: string;
  cenId?: string;
  vpcId: string;
  /** The VPC's account, required when it is not the CEN's (B's VPC, granted with GrantInstanceToCen). */
  vpcOwnerId?: string | number;
  /** One vSwitch per zone, in zones listTransitRouterAvailableResource returns. */
  zoneMappings: { vSwitchId: string; zoneId: string }[];
}

const common = (i: AttachmentCommon) => ({
  TransitRouterAttachmentName: i.name,
  TransitRouterAttachmentDescription: i.description,
  AutoPublishRouteEnabled: i.autoPublishRouteEnabled,
  Tag: tagList(i.tags),
  ClientToken: i.clientToken,
});

/** Attaches a VPC to a transit router (asynchronous). Returns the attachment ID. */
export async function createTransitRouterVpcAttachment(acct: AccountClient, input: VpcAttachmentInput, options?: Opts): Promise<string> {
  const r = await call(
    acct,
    'CreateTransitRouterVpcAttachment',
    {
      RegionId: input.regionId,
      TransitRouterId: input.transitRouterId,
      CenId: input.cenId,
      VpcId: input.vpcId,
      VpcOwnerId: input.vpcOwnerId === undefined ? undefined : accountIdParam(input.vpcOwnerId),
      ZoneMappings: input.zoneMappings.map((z) => ({ VSwitchId: z.vSwitchId, ZoneId: z.zoneId })),
      ...common(input),
    },
    options,
  );
  return required(r.TransitRouterAttachmentId, 'a TransitRouterAttachmentId', r.RequestId);
}

export interface AttachmentFilter {
  transitRouterId?: string;
  cenId?: string;
  regionId?: string;
  attachmentId?: string;
}

const filterParams = (f: AttachmentFilter) => ({ TransitRouterId: f.transitRouterId, CenId: f.cenId, RegionId: f.regionId, TransitRouterAttachmentId: f.attachmentId });

/** VPC attachments (of a transit router, or of a CEN in a region), following NextToken. */
export async function listTransitRouterVpcAttachments(acct: AccountClient, filter: AttachmentFilter & { vpcId?: string }, options?: Opts): Promise<VpcAttachment[]> {
  return pageByToken(async (token) => {
    const r = await call(acct, 'ListTransitRouterVpcAttachments', { ...filterParams(filter), VpcId: filter.vpcId, MaxResults: 100, NextToken: token }, options);
    const items = (r.TransitRouterAttachments ?? []).map((a) => ({
      ...attachmentOf(a),
      vpcId: a.VpcId ?? '',
      vpcOwnerId: accountIdOf(a.VpcOwnerId),
      vpcRegionId: a.VpcRegionId,
      zoneMappings: (a.ZoneMappings ?? []).map((z) => ({ zoneId: z.ZoneId ?? '', vSwitchId: z.VSwitchId ?? '', networkInterfaceId: z.NetworkInterfaceId })),
    }));
    return { items, nextToken: r.NextToken || undefined };
  });
}

export async function deleteTransitRouterVpcAttachment(acct: AccountClient, attachmentId: string, input: { force?: boolean } = {}, options?: Opts): Promise<void> {
  await call(acct, 'DeleteTransitRouterVpcAttachment', { TransitRouterAttachmentId: attachmentId, Force: input.force }, options);
}

export interface PeerAttachment extends Attachment {
  regionId?: string;
  peerTransitRouterId: string;
  peerTransitRouterRegionId?: string;
  peerTransitRouterOwnerId?: string;
  bandwidth?: number;
  bandwidthType?: string;
}

export interface PeerAttachmentInput extends AttachmentCommon {
  /** The local transit router and its region. */
  transitRouterId: string;
  regionId: string;
  cenId?: string;
  peerTransitRouterId: string;
  peerTransitRouterRegionId: string;
  /** Mbit/s; with `bandwidthType: 'DataTransfer'` billing is by traffic and no bandwidth package is needed. */
  bandwidth?: number;
  bandwidthType?: 'BandwidthPackage' | 'DataTransfer';
  cenBandwidthPackageId?: string;
}

/** Connects two transit routers of the CEN in different regions (asynchronous). Returns the attachment ID. */
export async function createTransitRouterPeerAttachment(acct: AccountClient, input: PeerAttachmentInput, options?: Opts): Promise<string> {
  const r = await call(
    acct,
    'CreateTransitRouterPeerAttachment',
    {
      TransitRouterId: input.transitRouterId,
      RegionId: input.regionId,
      CenId: input.cenId,
      PeerTransitRouterId: input.peerTransitRouterId,
      PeerTransitRouterRegionId: input.peerTransitRouterRegionId,
      Bandwidth: input.bandwidth,
      BandwidthType: input.bandwidthType,
      CenBandwidthPackageId: input.cenBandwidthPackageId,
      ...common(input),
    },
    options,
  );
  return required(r.TransitRouterAttachmentId, 'a TransitRouterAttachmentId', r.RequestId);
}

export async function listTransitRouterPeerAttachments(acct: AccountClient, filter: AttachmentFilter, options?: Opts): Promise<PeerAttachment[]> {
  return pageByToken(async (token) => {
    const r = await call(acct, 'ListTransitRouterPeerAttachments', { ...filterParams(filter), MaxResults: 100, NextToken: token }, options);
    const items = (r.TransitRouterAttachments ?? []).map((a) => ({
      ...attachmentOf(a),
      regionId: a.RegionId,
      peerTransitRouterId: a.PeerTransitRouterId ?? '',
      peerTransitRouterRegionId: a.PeerTransitRouterRegionId,
      peerTransitRouterOwnerId: accountIdOf(a.PeerTransitRouterOwnerId),
      bandwidth: a.Bandwidth,
      bandwidthType: a.BandwidthType,
    }));
    return { items, nextToken: r.NextToken || undefined };
  });
}

export async function deleteTransitRouterPeerAttachment(acct: AccountClient, attachmentId: string, input: { force?: boolean } = {}, options?: Opts): Promise<void> {
  await call(acct, 'DeleteTransitRouterPeerAttachment', { TransitRouterAttachmentId: attachmentId, Force: input.force }, options);
}
