// PrivateZone (pvtz 2018-01-01), in account A: a zone for the registry's exact VPC domain, its `@` A record,
// and the zone's binding to A's VPC. pvtz has one central endpoint; the VPCs it binds name their own regions.
//
// Marking what is ours: AddZone has no remark, description or tag parameter in this API version (ZoneTag is
// "not available to users"), so a zone cannot carry `managed-by=acr-xaccount` at creation. Records can:
// AddZoneRecord takes a `Remark`. Discovery should therefore recognise our zone by its exact name plus our
// remarked record, and never delete a zone whose other records are not ours.
import { PARAM_WIRE, type Apis } from './api/pvtz-types.js';
import { CloudError, isNotFound } from './errors.js';
import { accountIdOf, dateOf, makeRpc, pageByNumber, tagsOf, type RpcCallOptions } from './rpc-call.js';
import type { AccountClient } from './session.js';

const call = makeRpc<Apis>('pvtz', PARAM_WIRE);

/** DescribeZoneInfo's codes for a zone that does not exist (metadata errorCodes; a malformed or unknown ID gives Zone.Invalid.Id). */
export const ZONE_NOT_FOUND = ['Zone.NotExists', 'Zone.Invalid.Id'] as const;

export interface Zone {
  zoneId: string;
  zoneName: string;
  remark?: string;
  recordCount: number;
  /** `ZONE` (NXDOMAIN for unknown names) or `RECORD` (recursive proxy for them). */
  proxyPattern?: string;
  zoneType?: string;
  /** `NORMAL_ZONE` or `FAST_ZONE`. */
  dnsGroup?: string;
  resourceGroupId?: string;
  tags: Record<string, string>;
  createdAt?: Date;
}

export interface BoundVpc {
  vpcId: string;
  regionId: string;
  /** `STANDARD` or `EDS`. */
  vpcType?: string;
  vpcName?: string;
  regionName?: string;
  /** The VPC's owner when it is another account's (cross-account binding). */
  vpcUserId?: string;
}

export interface ZoneInfo extends Zone {
  bindVpcs: BoundVpc[];
  creator?: string;
}

/** A VPC as BindZoneVpc takes it. */
export interface ZoneVpcRef {
  vpcId: string;
  regionId: string;
  vpcType?: string;
}

export interface DescribeZonesFilter {
  /** Part of a zone name (case-insensitive), or the whole name with `exact`. */
  keyword?: string;
  exact?: boolean;
  /** Only zones bound to this VPC (with its region). */
  vpcId?: string;
  vpcRegionId?: string;
  resourceGroupId?: string;
}

/** Every matching authoritative zone of the account, all pages (100 per page). */
export async function describeZones(acct: AccountClient, filter: DescribeZonesFilter = {}, options?: RpcCallOptions): Promise<Zone[]> {
  const pageSize = 100;
  return pageByNumber(pageSize, async (page) => {
    const r = await call(
      acct,
      'DescribeZones',
      {
        Keyword: filter.keyword,
        SearchMode: filter.keyword === undefined ? undefined : filter.exact ? 'EXACT' : 'LIKE',
        QueryVpcId: filter.vpcId,
        QueryRegionId: filter.vpcRegionId,
        ResourceGroupId: filter.resourceGroupId,
        PageNumber: page,
        PageSize: pageSize,
      },
      options,
    );
    const items = (r.Zones?.Zone ?? []).map((z) => ({
      zoneId: z.ZoneId ?? '',
      zoneName: z.ZoneName ?? '',
      remark: z.Remark || undefined,
      recordCount: z.RecordCount ?? 0,
      proxyPattern: z.ProxyPattern,
      zoneType: z.ZoneType,
      dnsGroup: z.DnsGroup,
      resourceGroupId: z.ResourceGroupId,
      tags: tagsOf(z.ResourceTags?.ResourceTag),
      createdAt: dateOf(z.CreateTimestamp ?? z.CreateTime),
    }));
    return { items, total: r.TotalItems };
  });
}

const sameName = (a: string, b: string) => a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();

/** The zone with exactly this name, or undefined. */
export async function findZoneByName(acct: AccountClient, zoneName: string, options?: RpcCallOptions): Promise<Zone | undefined> {
  const zones = await describeZones(acct, { keyword: zoneName, exact: true }, options);
  return zones.find((z) => sameName(z.zoneName, zoneName));
}

export interface AddZoneInput {
  zoneName: string;
  proxyPattern?: 'ZONE' | 'RECORD';
  dnsGroup?: 'NORMAL_ZONE' | 'FAST_ZONE';
  resourceGroupId?: string;
  clientToken?: string;
}

export async function addZone(acct: AccountClient, input: AddZoneInput, options?: RpcCallOptions): Promise<{ zoneId: string; zoneName: string }> {
  const r = await call(
    acct,
    'AddZone',
    { ZoneName: input.zoneName, ProxyPattern: input.proxyPattern, DnsGroup: input.dnsGroup, ResourceGroupId: input.resourceGroupId, ClientToken: input.clientToken },
    options,
  );
  if (!r.ZoneId) throw new Error(`pvtz AddZone ${input.zoneName} answered without a ZoneId (request ${r.RequestId ?? '?'})`);
  return { zoneId: r.ZoneId, zoneName: r.ZoneName ?? input.zoneName };
}

/** The zone with its bound VPCs, or `undefined` when it does not exist. */
export async function describeZoneInfo(acct: AccountClient, zoneId: string, options?: RpcCallOptions): Promise<ZoneInfo | undefined> {
  let r: Apis['DescribeZoneInfo']['response'];
  try {
    r = await call(acct, 'DescribeZoneInfo', { ZoneId: zoneId }, options);
  } catch (error) {
    if (isNotFound(error, ...ZONE_NOT_FOUND)) return undefined;
    throw error;
  }
  return {
    zoneId: r.ZoneId ?? zoneId,
    zoneName: r.ZoneName ?? '',
    remark: r.Remark || undefined,
    recordCount: r.RecordCount ?? 0,
    proxyPattern: r.ProxyPattern,
    zoneType: r.ZoneType,
    dnsGroup: r.DnsGroup,
    resourceGroupId: r.ResourceGroupId,
    tags: {},
    createdAt: dateOf(r.CreateTimestamp ?? r.CreateTime),
    creator: r.Creator,
    bindVpcs: (r.BindVpcs?.Vpc ?? []).map((v) => ({
      vpcId: v.VpcId ?? '',
      regionId: v.RegionId ?? '',
      vpcType: v.VpcType || undefined,
      vpcName: v.VpcName || undefined,
      regionName: v.RegionName || undefined,
      vpcUserId: v.VpcUserId ? accountIdOf(v.VpcUserId) : undefined,
    })),
  };
}

/**
 * Sets the zone's VPC bindings to exactly `vpcs`. BindZoneVpc REPLACES the whole list: the metadata says a VPC
 * left out is unbound, and an empty list unbinds every VPC. To add one VPC, use addZoneVpcBinding.
 */
export async function bindZoneVpc(acct: AccountClient, zoneId: string, vpcs: readonly ZoneVpcRef[], input: { clientToken?: string } = {}, options?: RpcCallOptions): Promise<void> {
  await call(
    acct,
    'BindZoneVpc',
    { ZoneId: zoneId, Vpcs: vpcs.map((v) => ({ VpcId: v.vpcId, RegionId: v.regionId, VpcType: v.vpcType })), ClientToken: input.clientToken },
    options,
  );
}

const refOf = (v: BoundVpc): ZoneVpcRef => ({ vpcId: v.vpcId, regionId: v.regionId, vpcType: v.vpcType });

/**
 * Binds one more VPC to the zone, keeping every existing binding. Because BindZoneVpc replaces the whole
 * list, sending only our VPC would silently unbind the user's other VPCs ("merge, never clobber"); so this
 * reads the current bindings and sends them plus ours. A no-op when the VPC is already bound.
 * Not atomic: a binding made by someone else between the read and the write can be lost.
 */
export async function addZoneVpcBinding(acct: AccountClient, zoneId: string, vpc: ZoneVpcRef, options?: RpcCallOptions): Promise<{ changed: boolean; vpcs: ZoneVpcRef[] }> {
  const info = await describeZoneInfo(acct, zoneId, options);
  if (!info) throw new CloudError('Zone.NotExists', `PrivateZone zone ${zoneId} does not exist`, undefined, undefined, 'pvtz', 'DescribeZoneInfo', acct.account);
  const current = info.bindVpcs.map(refOf);
  if (current.some((v) => v.vpcId === vpc.vpcId)) return { changed: false, vpcs: current };
  const vpcs = [...current, vpc];
  await bindZoneVpc(acct, zoneId, vpcs, {}, options);
  return { changed: true, vpcs };
}

/** Unbinds one VPC from the zone, keeping the others (same read-then-replace as addZoneVpcBinding). */
export async function removeZoneVpcBinding(acct: AccountClient, zoneId: string, vpcId: string, options?: RpcCallOptions): Promise<{ changed: boolean; vpcs: ZoneVpcRef[] }> {
  const info = await describeZoneInfo(acct, zoneId, options);
  if (!info) return { changed: false, vpcs: [] };
  const current = info.bindVpcs.map(refOf);
  const vpcs = current.filter((v) => v.vpcId !== vpcId);
  if (vpcs.length === current.length) return { changed: false, vpcs: current };
  await bindZoneVpc(acct, zoneId, vpcs, {}, options);
  return { changed: true, vpcs };
}

export interface ZoneRecord {
  recordId: number;
  rr: string;
  type: string;
  value: string;
  ttl?: number;
  /** `ENABLE` or `DISABLE`. */
  status?: string;
  remark?: string;
  line?: string;
}

/** Every record of the zone (optionally those whose host record matches `keyword`), all pages (100 per page). */
export async function describeZoneRecords(
  acct: AccountClient,
  zoneId: string,
  filter: { keyword?: string; exact?: boolean } = {},
  options?: RpcCallOptions,
): Promise<ZoneRecord[]> {
  const pageSize = 100;
  return pageByNumber(pageSize, async (page) => {
    const r = await call(
      acct,
      'DescribeZoneRecords',
      {
        ZoneId: zoneId,
        Keyword: filter.keyword,
        SearchMode: filter.keyword === undefined ? undefined : filter.exact === false ? 'LIKE' : 'EXACT',
        PageNumber: page,
        PageSize: pageSize,
      },
      options,
    );
    const items = (r.Records?.Record ?? []).map((x) => ({
      recordId: x.RecordId ?? 0,
      rr: x.Rr ?? '',
      type: x.Type ?? '',
      value: x.Value ?? '',
      ttl: x.Ttl,
      status: x.Status,
      remark: x.Remark || undefined,
      line: x.Line,
    }));
    return { items, total: r.TotalItems };
  });
}

export interface ZoneRecordInput {
  /** Host record; `@` for the zone's own name. */
  rr: string;
  type?: 'A' | 'AAAA' | 'CNAME' | 'TXT' | 'MX' | 'PTR' | 'SRV';
  value: string;
  /** Seconds: 5, 30, 60 (default), 3600, 43200, 86400. */
  ttl?: number;
}

/** Adds a record (A by default); `remark` is where our `managed-by=acr-xaccount` marker goes. Returns its ID. */
export async function addZoneRecord(
  acct: AccountClient,
  input: ZoneRecordInput & { zoneId: string; remark?: string; clientToken?: string },
  options?: RpcCallOptions,
): Promise<number> {
  const r = await call(
    acct,
    'AddZoneRecord',
    { ZoneId: input.zoneId, Rr: input.rr, Type: input.type ?? 'A', Value: input.value, Ttl: input.ttl, Remark: input.remark, ClientToken: input.clientToken },
    options,
  );
  if (r.RecordId === undefined) throw new Error(`pvtz AddZoneRecord ${input.rr} answered without a RecordId (request ${r.RequestId ?? '?'})`);
  return r.RecordId;
}

/** Rewrites a record (all of Rr, Type and Value are required by the API). */
export async function updateZoneRecord(acct: AccountClient, input: ZoneRecordInput & { recordId: number; clientToken?: string }, options?: RpcCallOptions): Promise<void> {
  await call(
    acct,
    'UpdateZoneRecord',
    { RecordId: input.recordId, Rr: input.rr, Type: input.type ?? 'A', Value: input.value, Ttl: input.ttl, ClientToken: input.clientToken },
    options,
  );
}

export async function deleteZoneRecord(acct: AccountClient, recordId: number, options?: RpcCallOptions): Promise<void> {
  await call(acct, 'DeleteZoneRecord', { RecordId: recordId }, options);
}

/** Deletes a zone; it must be unbound from every VPC first (bindZoneVpc with an empty list). */
export async function deleteZone(acct: AccountClient, zoneId: string, options?: RpcCallOptions): Promise<void> {
  await call(acct, 'DeleteZone', { ZoneId: zoneId }, options);
}
