// pvtz 2018-01-01 (PrivateZone): authoritative zones, records, VPC bindings (BindZoneVpc replaces the whole
// list), and cross-account user VPC authorizations. pvtz has one central endpoint; bound VPCs name their regions.
// Codes the metadata does not list come from aliyun/terraform-provider-alicloud's handling (Zone.NotExists,
// Zone.VpcExists, ZoneVpc.NotExists.VpcId, Record.Invalid.Conflict); the others are marked as assumed.
import { ApiError, type CallContext, type ProductModule, type RpcHandler } from '../api.js';
import { invalidParameter, missingParameter } from '../spec.js';
import { isIpv4 } from '../state/cidr.js';
import {
  canonicalName,
  isValidZoneName,
  nextRecordId,
  pvtzState,
  recordsOf,
  zonesBoundTo,
  zoneIdFor,
  type PvtzRecordRecord,
  type PvtzZoneRecord,
  type ZoneBinding,
} from '../state/pvtz.js';
import { vpcState } from '../state/vpc.js';
import { idempotent, isoMinutes, pageByNumber, type NumberPage } from './net-common.js';

/** PrivateZone names its paging fields its own way (TotalItems, TotalPages). */
const pvtzPageFields = (page: NumberPage<unknown>) => ({ TotalItems: page.totalCount, TotalPages: page.totalPages, PageNumber: page.pageNumber, PageSize: page.pageSize });

type P = Record<string, any>;

const REGION_NAMES: Record<string, string> = { 'cn-hangzhou': 'China (Hangzhou)', 'cn-shanghai': 'China (Shanghai)', 'cn-beijing': 'China (Beijing)', 'cn-shenzhen': 'China (Shenzhen)' };
const TTLS = [5, 30, 60, 3600, 43200, 86400];
const TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'PTR', 'SRV'];

function ownZone(ctx: CallContext, zoneId: unknown): PvtzZoneRecord {
  const zone = pvtzState(ctx.world, ctx.caller.accountId).zones[String(zoneId)];
  if (!zone) throw new ApiError('Zone.NotExists', `Zone is not exists: ${String(zoneId)}`, 400);
  return zone;
}

function ownRecord(ctx: CallContext, recordId: unknown): PvtzRecordRecord {
  const record = pvtzState(ctx.world, ctx.caller.accountId).records[String(recordId)];
  // Assumed code, by analogy with Zone.Invalid.Id.
  if (!record) throw new ApiError('Record.Invalid.Id', `Record id is invalid: ${String(recordId)}`, 400);
  return record;
}

const creatorSubType = (ctx: CallContext) => (ctx.caller.type === 'root' ? 'CUSTOMER' : ctx.caller.type === 'user' ? 'SUB' : 'STS');

function zoneSummary(ctx: CallContext, z: PvtzZoneRecord) {
  return {
    ZoneId: z.zoneId,
    ZoneName: z.zoneName,
    Remark: z.remark,
    ZoneType: 'AUTH_ZONE',
    ZoneTag: '',
    ProxyPattern: z.proxyPattern,
    DnsGroup: z.dnsGroup,
    DnsGroupChanging: false,
    IsPtr: z.zoneName.endsWith('.in-addr.arpa'),
    RecordCount: recordsOf(ctx.world, z).length,
    ResourceGroupId: z.resourceGroupId || undefined,
    Creator: z.ownerId,
    CreateTime: isoMinutes(z.createdAtMs),
    CreateTimestamp: z.createdAtMs,
    UpdateTime: isoMinutes(z.updatedAtMs),
    UpdateTimestamp: z.updatedAtMs,
  };
}

function vpcsBody(ctx: CallContext, z: PvtzZoneRecord, withOwner: boolean) {
  return z.bindings.map((b) => ({
    VpcId: b.vpcId,
    VpcName: vpcState(ctx.world, b.vpcOwnerId).vpcs[b.vpcId]?.name ?? '',
    VpcType: b.vpcType,
    RegionId: b.regionId,
    RegionName: REGION_NAMES[b.regionId] ?? b.regionId,
    ...(withOwner && b.vpcOwnerId !== z.ownerId ? { VpcUserId: Number(b.vpcOwnerId) } : {}),
  }));
}

const CheckZoneName: RpcHandler = (_ctx, p: P) => {
  if (p.ZoneName === undefined) throw missingParameter('ZoneName');
  // Assumed: same-named zones are allowed, so only the name's form decides.
  return { Check: isValidZoneName(p.ZoneName), Success: true };
};

const AddZone: RpcHandler = (ctx, p: P) =>
  idempotent(ctx, p, () => {
    if (p.ZoneName === undefined || p.ZoneName === '') throw missingParameter('ZoneName');
    if (!isValidZoneName(p.ZoneName)) throw new ApiError('Zone.Invalid.Name', 'Zone name is invalid.', 400);
    if (p.ProxyPattern !== undefined && !['ZONE', 'RECORD'].includes(p.ProxyPattern)) throw invalidParameter('ProxyPattern');
    const state = pvtzState(ctx.world, ctx.caller.accountId);
    // Documented limit: 500 zones per account.
    if (Object.keys(state.zones).length >= 500) throw new ApiError('Zone.Limit', 'The number of zones has reached the upper limit (500).', 400);
    const now = ctx.world.data.nowMs;
    const zone: PvtzZoneRecord = {
      zoneId: zoneIdFor(ctx.world),
      zoneName: canonicalName(p.ZoneName),
      ownerId: ctx.caller.accountId,
      proxyPattern: p.ProxyPattern ?? 'ZONE',
      dnsGroup: p.DnsGroup ?? 'NORMAL_ZONE',
      resourceGroupId: p.ResourceGroupId ?? '',
      remark: '',
      creatorSubType: creatorSubType(ctx),
      createdAtMs: now,
      updatedAtMs: now,
      bindings: [],
      tags: [],
    };
    state.zones[zone.zoneId] = zone;
    return { ZoneId: zone.zoneId, ZoneName: zone.zoneName, Success: true };
  });

const DescribeZones: RpcHandler = (ctx, p: P) => {
  const keyword = p.Keyword === undefined ? undefined : canonicalName(String(p.Keyword));
  const exact = p.SearchMode === 'EXACT';
  if (p.SearchMode !== undefined && !['EXACT', 'LIKE'].includes(p.SearchMode)) throw invalidParameter('SearchMode');
  const list = Object.values(pvtzState(ctx.world, ctx.caller.accountId).zones).filter(
    (z) =>
      (keyword === undefined || keyword === '' || (exact ? z.zoneName === keyword : z.zoneName.includes(keyword))) &&
      (p.QueryVpcId === undefined || z.bindings.some((b) => b.vpcId === p.QueryVpcId && (p.QueryRegionId === undefined || b.regionId === p.QueryRegionId))) &&
      (p.ResourceGroupId === undefined || z.resourceGroupId === p.ResourceGroupId) &&
      (p.ZoneType === undefined || p.ZoneType === 'AUTH_ZONE'),
  );
  const page = pageByNumber(list, p, { defaultSize: 20, maxSize: 100 });
  return {
    ...pvtzPageFields(page),
    Zones: {
      Zone: page.items.map((z) => ({
        ...zoneSummary(ctx, z),
        CreatorSubType: z.creatorSubType,
        ResourceTags: { ResourceTag: z.tags.map((t) => ({ Key: t.Key, Value: t.Value })) },
      })),
    },
  };
};

const DescribeZoneInfo: RpcHandler = (ctx, p: P) => {
  const z = ownZone(ctx, p.ZoneId);
  return { ...zoneSummary(ctx, z), SlaveDns: false, CreatorType: 'USER', BindVpcs: { Vpc: vpcsBody(ctx, z, true) }, BindEdgeDnsClusters: { EdgeDnsCluster: [] as object[] } };
};

const DescribeZoneVpcTree: RpcHandler = (ctx) => ({
  Zones: {
    Zone: Object.values(pvtzState(ctx.world, ctx.caller.accountId).zones).map((z) => {
      const { ResourceGroupId: _rg, ProxyPattern: _pp, ...summary } = zoneSummary(ctx, z);
      return { ...summary, CreatorType: 'USER', Vpcs: { Vpc: vpcsBody(ctx, z, false) } };
    }),
  },
});

/** The VPC a binding names: the caller's, or one of an account that authorized the caller (AddUserVpcAuthorization). */
function bindable(ctx: CallContext, vpcId: string, regionId: string): string {
  const me = ctx.caller.accountId;
  const authorized = pvtzState(ctx.world, me)
    .authorizations.filter((a) => a.authType === 'NORMAL')
    .map((a) => a.authorizedUserId);
  for (const owner of [me, ...authorized]) {
    if (!ctx.world.data.accounts[owner]) continue;
    const vpc = vpcState(ctx.world, owner).vpcs[vpcId];
    if (vpc && vpc.regionId === regionId) return owner;
  }
  throw new ApiError('ZoneVpc.NotExists.VpcId', `The VPC ${vpcId} does not exist in ${regionId} in this account or in an account that authorized it (AddUserVpcAuthorization).`, 400);
}

const BindZoneVpc: RpcHandler = (ctx, p: P) => {
  const zone = ownZone(ctx, p.ZoneId);
  const requested: { VpcId?: string; RegionId?: string; VpcType?: string }[] = p.Vpcs ?? [];
  const bindings: ZoneBinding[] = [];
  for (const [i, v] of requested.entries()) {
    if (!v.VpcId) throw missingParameter(`Vpcs.${i + 1}.VpcId`);
    if (!v.RegionId) throw missingParameter(`Vpcs.${i + 1}.RegionId`);
    if (v.VpcType !== undefined && !['STANDARD', 'EDS'].includes(v.VpcType)) throw invalidParameter(`Vpcs.${i + 1}.VpcType`);
    if (bindings.some((b) => b.vpcId === v.VpcId)) continue;
    const owner = bindable(ctx, v.VpcId, v.RegionId);
    const clash = zonesBoundTo(ctx.world, v.VpcId).find((z) => z.zoneId !== zone.zoneId && z.zoneName === zone.zoneName);
    if (clash) throw new ApiError('ZoneVpc.Zone.Repeated', `Vpc is bind to same zone name: ${v.VpcId} is already bound to zone ${clash.zoneId} (${clash.zoneName}).`, 400);
    bindings.push({ vpcId: v.VpcId, regionId: v.RegionId, vpcType: v.VpcType ?? 'STANDARD', vpcOwnerId: owner });
  }
  // Documented limit: 100 VPCs per zone.
  if (bindings.length > 100) throw invalidParameter('Vpcs');
  zone.bindings = bindings;
  zone.updatedAtMs = ctx.world.data.nowMs;
  return {};
};

const DeleteZone: RpcHandler = (ctx, p: P) => {
  const zone = ownZone(ctx, p.ZoneId);
  if (zone.bindings.length > 0) throw new ApiError('Zone.VpcExists', 'Zone have vpc bound.', 400);
  const state = pvtzState(ctx.world, ctx.caller.accountId);
  for (const r of recordsOf(ctx.world, zone)) delete state.records[String(r.recordId)];
  delete state.zones[zone.zoneId];
  return { ZoneId: zone.zoneId };
};

/** Checks a record as the service does and answers its canonical form; `except` is the record being updated. */
function checkedRecord(ctx: CallContext, zone: PvtzZoneRecord, p: P, except?: number) {
  const rr = String(p.Rr).trim().toLowerCase();
  if (!/^(@|\*|(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*)$/.test(rr)) throw invalidParameter('Rr');
  const type = String(p.Type).toUpperCase();
  if (!TYPES.includes(type)) throw invalidParameter('Type');
  const value = String(p.Value).trim();
  const valid =
    type === 'A' ? isIpv4(value) : type === 'AAAA' ? /^[0-9a-f:]+$/i.test(value) && value.includes(':') : type === 'CNAME' || type === 'MX' || type === 'PTR' ? isValidZoneName(value) : value.length > 0;
  if (!valid) throw invalidParameter('Value');
  const ttl = p.Ttl ?? 60;
  if (!TTLS.includes(ttl)) throw invalidParameter('Ttl');
  if (type === 'MX' && (p.Priority === undefined || p.Priority < 1 || p.Priority > 99)) throw invalidParameter('Priority');
  if (p.Weight !== undefined && (p.Weight < 1 || p.Weight > 100)) throw invalidParameter('Weight');
  const others = recordsOf(ctx.world, zone).filter((r) => r.recordId !== except && r.rr === rr);
  const conflict = others.find((r) => (r.type === type && r.value.toLowerCase() === value.toLowerCase()) || r.type === 'CNAME' || type === 'CNAME');
  if (conflict) throw new ApiError('Record.Invalid.Conflict', `The record conflicts with record ${conflict.recordId} (${conflict.rr} ${conflict.type} ${conflict.value}).`, 400);
  return { rr, type, value, ttl, priority: type === 'MX' ? p.Priority : undefined, line: p.Line ?? 'default', weight: p.Weight ?? 1 };
}

const AddZoneRecord: RpcHandler = (ctx, p: P) =>
  idempotent(ctx, p, () => {
    const zone = ownZone(ctx, p.ZoneId);
    const fields = checkedRecord(ctx, zone, p);
    const now = ctx.world.data.nowMs;
    const record: PvtzRecordRecord = { ...fields, recordId: nextRecordId(ctx.world), zoneId: zone.zoneId, remark: p.Remark ?? '', status: 'ENABLE', createdAtMs: now, updatedAtMs: now };
    pvtzState(ctx.world, ctx.caller.accountId).records[String(record.recordId)] = record;
    zone.updatedAtMs = now;
    return { RecordId: record.recordId, Success: true };
  });

const UpdateZoneRecord: RpcHandler = (ctx, p: P) => {
  const record = ownRecord(ctx, p.RecordId);
  const zone = ownZone(ctx, record.zoneId);
  Object.assign(record, checkedRecord(ctx, zone, p, record.recordId), { updatedAtMs: ctx.world.data.nowMs });
  zone.updatedAtMs = ctx.world.data.nowMs;
  return { RecordId: record.recordId };
};

const DeleteZoneRecord: RpcHandler = (ctx, p: P) => {
  const record = ownRecord(ctx, p.RecordId);
  delete pvtzState(ctx.world, ctx.caller.accountId).records[String(record.recordId)];
  return { RecordId: record.recordId };
};

const DescribeZoneRecords: RpcHandler = (ctx, p: P) => {
  const zone = ownZone(ctx, p.ZoneId);
  if (p.SearchMode !== undefined && !['EXACT', 'LIKE'].includes(p.SearchMode)) throw invalidParameter('SearchMode');
  const keyword = p.Keyword === undefined ? undefined : String(p.Keyword).toLowerCase();
  const like = p.SearchMode === 'LIKE';
  const list = recordsOf(ctx.world, zone).filter((r) => (keyword === undefined || keyword === '' || (like ? r.rr.includes(keyword) : r.rr === keyword)) && p.Tag !== 'ecs');
  const page = pageByNumber(list, p, { defaultSize: 20, maxSize: 100 });
  return {
    ...pvtzPageFields(page),
    Records: {
      Record: page.items.map((r) => ({
        RecordId: r.recordId,
        ZoneId: r.zoneId,
        Rr: r.rr,
        Type: r.type,
        Value: r.value,
        Ttl: r.ttl,
        Priority: r.priority,
        Line: r.line,
        Weight: r.weight,
        Status: r.status,
        Remark: r.remark,
        CreateTime: isoMinutes(r.createdAtMs),
        CreateTimestamp: r.createdAtMs,
        UpdateTime: isoMinutes(r.updatedAtMs),
        UpdateTimestamp: r.updatedAtMs,
      })),
    },
  };
};

// ---- cross-account VPC authorizations ----

const AddUserVpcAuthorization: RpcHandler = (ctx, p: P) => {
  const user = String(p.AuthorizedUserId);
  if (!ctx.world.data.accounts[user] || user === ctx.caller.accountId) throw new ApiError('IllegalUser', `The user is illegal: ${user}.`, 400);
  const authType = p.AuthType ?? 'NORMAL';
  const channel = p.AuthChannel ?? 'AUTH_CODE';
  if (!['NORMAL', 'CLOUD_PRODUCT'].includes(authType)) throw invalidParameter('AuthType');
  if (!['AUTH_CODE', 'RESOURCE_DIRECTORY'].includes(channel)) throw invalidParameter('AuthChannel');
  // Assumed: no API sends verification codes, so the sandbox accepts any 6-digit code on the AUTH_CODE channel.
  if (channel === 'AUTH_CODE' && !/^\d{6}$/.test(String(p.AuthCode ?? ''))) throw invalidParameter('AuthCode');
  const state = pvtzState(ctx.world, ctx.caller.accountId);
  state.authorizations = state.authorizations.filter((a) => !(a.authorizedUserId === user && a.authType === authType));
  state.authorizations.push({ authorizedUserId: user, authType, authChannel: channel, createdAtMs: ctx.world.data.nowMs });
  return {};
};

const DescribeUserVpcAuthorizations: RpcHandler = (ctx, p: P) => {
  const list = pvtzState(ctx.world, ctx.caller.accountId).authorizations.filter(
    (a) => (p.AuthType === undefined || a.authType === p.AuthType) && (p.AuthorizedUserId === undefined || a.authorizedUserId === String(p.AuthorizedUserId)),
  );
  const page = pageByNumber(list, p, { defaultSize: 20, maxSize: 100 });
  return {
    ...pvtzPageFields(page),
    Users: page.items.map((a) => ({
      AuthorizedUserId: Number(a.authorizedUserId),
      AuthorizedAliyunId: ctx.world.data.accounts[a.authorizedUserId]?.alias ?? '',
      AuthType: a.authType,
      CreateTime: isoMinutes(a.createdAtMs),
      CreateTimestamp: a.createdAtMs,
    })),
  };
};

const DeleteUserVpcAuthorization: RpcHandler = (ctx, p: P) => {
  const state = pvtzState(ctx.world, ctx.caller.accountId);
  const authType = p.AuthType ?? 'NORMAL';
  state.authorizations = state.authorizations.filter((a) => !(a.authorizedUserId === String(p.AuthorizedUserId) && a.authType === authType));
  return {};
};

export const pvtz: ProductModule = {
  product: 'pvtz',
  rpc: {
    CheckZoneName,
    AddZone,
    DescribeZones,
    DescribeZoneInfo,
    DescribeZoneVpcTree,
    BindZoneVpc,
    DeleteZone,
    AddZoneRecord,
    UpdateZoneRecord,
    DeleteZoneRecord,
    DescribeZoneRecords,
    AddUserVpcAuthorization,
    DescribeUserVpcAuthorizations,
    DeleteUserVpcAuthorization,
  },
  roa: {},
};
