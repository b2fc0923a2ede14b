// Vpc 2016-04-28, Internet egress: NAT gateways, SNAT entries (read and CreateSnatEntry with the cloud's
// checks) and EIPs. NAT gateways and EIPs are seeded (state/vpc.ts seedNatGateway), not created through the API.
import { ApiError, type CallContext, type RpcHandler } from '../api.js';
import { cidrsOverlap, isIpv4, normalizeCidr } from '../state/cidr.js';
import { settleVpc, vpcCidrs, type EipRecord, type NatGatewayRecord } from '../state/vpc.js';
import { csv, dryRun, eq, hasTags, isoSeconds, msOf, pageByNumber, tagsBody, pageFields } from './net-common.js';

type P = Record<string, any>;

const eipsOfNat = (ctx: CallContext, natGatewayId: string): EipRecord[] =>
  Object.values(settleVpc(ctx.world, ctx.caller.accountId).eips).filter((e) => e.instanceId === natGatewayId && e.instanceType === 'Nat');

function natBody(ctx: CallContext, nat: NatGatewayRecord) {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  const snat = Object.values(state.snatEntries).filter((s) => s.natGatewayId === nat.natGatewayId);
  const used = new Set(snat.flatMap((s) => s.snatIp.split(',')));
  const vswitch = nat.vSwitchId ? state.vswitches[nat.vSwitchId] : undefined;
  return {
    NatGatewayId: nat.natGatewayId,
    VpcId: nat.vpcId,
    RegionId: nat.regionId,
    Name: nat.name,
    Description: nat.description ?? '',
    Status: 'Available',
    BusinessStatus: 'Normal',
    NatType: 'Enhanced',
    NetworkType: nat.networkType ?? 'internet',
    Spec: '',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByLcu',
    AutoPay: false,
    DeletionProtection: false,
    EcsMetricEnabled: false,
    IcmpReplyEnabled: true,
    PrivateLinkEnabled: false,
    EipBindMode: 'MULTI_BINDED',
    CreationTime: isoSeconds(msOf(nat.createdAt ?? new Date(ctx.world.data.nowMs).toISOString())),
    SnatTableIds: { SnatTableId: [nat.snatTableId] },
    ForwardTableIds: { ForwardTableId: [] as string[] },
    FullNatTableIds: { FullNatTableId: [] as string[] },
    IpLists: {
      IpList: eipsOfNat(ctx, nat.natGatewayId).map((e) => ({
        AllocationId: e.allocationId,
        IpAddress: e.ipAddress,
        UsingStatus: used.has(e.ipAddress) ? 'UsedBySnatTable' : 'Idle',
        SnatEntryEnabled: used.has(e.ipAddress),
      })),
    },
    NatGatewayPrivateInfo: vswitch ? { VswitchId: vswitch.vSwitchId, IzNo: vswitch.zoneId, EniType: 'indirect' } : undefined,
    Tags: { Tag: (nat.tags ?? []).map((t) => ({ TagKey: t.Key, TagValue: t.Value })) },
  };
}

const DescribeNatGateways: RpcHandler = (ctx, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  const list = Object.values(state.natGateways).filter(
    (n) =>
      n.regionId === ctx.region &&
      eq(p.NatGatewayId, n.natGatewayId) &&
      eq(p.VpcId, n.vpcId) &&
      eq(p.Name, n.name) &&
      eq(p.Status, 'Available') &&
      eq(p.NetworkType, n.networkType ?? 'internet') &&
      eq(p.NatType, 'Enhanced') &&
      (p.ZoneId === undefined || (n.vSwitchId !== undefined && state.vswitches[n.vSwitchId]?.zoneId === p.ZoneId)) &&
      hasTags(n.tags, p.Tag),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 50 });
  return { TotalCount: page.totalCount, PageNumber: page.pageNumber, PageSize: page.pageSize, NatGateways: { NatGateway: page.items.map((n) => natBody(ctx, n)) } };
};

const DescribeSnatTableEntries: RpcHandler = (ctx, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  if (p.SnatTableId === undefined && p.NatGatewayId === undefined) throw new ApiError('DESCRIBE_SNAT_PARAM_INVALID', 'SnatTableId and natGatewayId can not both be null', 400);
  const nats = Object.values(state.natGateways).filter((n) => n.regionId === ctx.region && eq(p.SnatTableId, n.snatTableId) && eq(p.NatGatewayId, n.natGatewayId));
  if (nats.length === 0) throw new ApiError('InvalidSnatTableId.NotFound', 'Specified SNAT table does not exist.', 404);
  const tables = new Set(nats.map((n) => n.snatTableId));
  const list = Object.values(state.snatEntries).filter(
    (s) =>
      tables.has(s.snatTableId) &&
      eq(p.SnatEntryId, s.snatEntryId) &&
      eq(p.SourceVSwitchId, s.sourceVSwitchId) &&
      eq(p.SnatEntryName, s.name ?? '') &&
      (p.SnatIp === undefined || s.snatIp.split(',').includes(p.SnatIp)) &&
      (p.SourceCIDR === undefined || p.SourceCIDR === s.sourceCidr || (s.sourceVSwitchId !== undefined && state.vswitches[s.sourceVSwitchId]?.cidrBlock === p.SourceCIDR)),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 50 });
  return {
    ...pageFields(page),
    SnatTableEntries: {
      SnatTableEntry: page.items.map((s) => ({
        SnatEntryId: s.snatEntryId,
        SnatTableId: s.snatTableId,
        NatGatewayId: s.natGatewayId,
        SnatEntryName: s.name ?? '',
        SourceVSwitchId: s.sourceVSwitchId ?? '',
        // For a vSwitch entry the cloud shows the vSwitch's CIDR here.
        SourceCIDR: s.sourceCidr ?? (s.sourceVSwitchId ? state.vswitches[s.sourceVSwitchId]?.cidrBlock ?? '' : ''),
        SnatIp: s.snatIp,
        Status: s.status ?? 'Available',
        EipAffinity: '0',
      })),
    },
  };
};

const CreateSnatEntry: RpcHandler = (ctx, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  const nat = Object.values(state.natGateways).find((n) => n.snatTableId === p.SnatTableId && n.regionId === ctx.region);
  if (!nat) throw new ApiError('InvalidSnatTableId.NotFound', 'Specified SNAT table does not exist.', 404);
  if (p.SourceVSwitchId !== undefined && p.SourceCIDR !== undefined) {
    throw new ApiError('CreateSnatEntry.ParamExclusive.sourceVSwitchIdAndsourceCIDR', 'SourceVSwitchId and SourceCIDR are mutually exclusive.', 400);
  }
  if (p.SourceVSwitchId === undefined && p.SourceCIDR === undefined) throw new ApiError('INVALID_PARAMETER', 'The parameter invalid: SourceVSwitchId or SourceCIDR is required.', 400);
  if (p.SnatIp === undefined || p.SnatIp === '') throw new ApiError('MissingParam.SnatIp', 'The input parameter SnatIp  that is mandatory for processing this request is not supplied.', 400);
  if (p.SnatEntryName !== undefined && !/^[A-Za-z][\w.-]{1,127}$/.test(p.SnatEntryName)) throw new ApiError('InvalidParameter.Name.Malformed', 'The specified Name is not valid.', 400);
  const existing = Object.values(state.snatEntries).filter((s) => s.snatTableId === nat.snatTableId);
  let sourceCidr: string;
  if (p.SourceVSwitchId !== undefined) {
    const vswitch = state.vswitches[p.SourceVSwitchId];
    if (!vswitch) throw new ApiError('InvalidVSwitchId.NotFound', 'The specified virtual switch does not exists.', 404);
    if (vswitch.vpcId !== nat.vpcId) throw new ApiError('OperationFailed.VSwitchNotInVpc', 'The specified vswitch and natgateway are not in the same vpc.', 400);
    if (existing.some((s) => s.sourceVSwitchId === vswitch.vSwitchId)) throw new ApiError('Forbidden.SourceVSwitchId.Duplicated', 'The specified SourceCIDRis duplicated.', 400);
    sourceCidr = vswitch.cidrBlock;
  } else {
    const cidr = normalizeCidr(String(p.SourceCIDR));
    if (!cidr) throw new ApiError('InvalidSourceCIDR.Malformed', 'SourceCIDR is illegal.', 400);
    const vpc = state.vpcs[nat.vpcId]!;
    if (!vpcCidrs(vpc).some((c) => cidrsOverlap(c, cidr) && Number(c.split('/')[1]) <= Number(cidr.split('/')[1]))) {
      throw new ApiError('NOT_ALLOW_USE_SOURCECIDR_OUTSIDEVPC', 'The User not in sourcecidr_unlimited_outsidevpc white list. Cannot use SourceCidr outside VpcCidr.', 400);
    }
    sourceCidr = cidr;
  }
  const taken = existing.map((s) => s.sourceCidr ?? (s.sourceVSwitchId ? state.vswitches[s.sourceVSwitchId]?.cidrBlock : undefined)).filter((c): c is string => !!c);
  if (p.SourceCIDR !== undefined && taken.includes(sourceCidr)) throw new ApiError('OperationUnsupported.CidrConflict', 'The specified CIDR block conflicts with an existing SNAT entry.', 400);
  const ips = csv(p.SnatIp);
  for (const ip of ips) {
    if (!isIpv4(ip)) throw new ApiError('InvalidSnatIp.Malformed', 'The specified SnatIp is not a valid IP address.', 400);
    if (!eipsOfNat(ctx, nat.natGatewayId).some((e) => e.ipAddress === ip)) throw new ApiError('InvalidSnatIp.NotFound', `Specified SnatIp ${ip} does not found on the NAT Gateway`, 404);
  }
  dryRun(p);
  const snatEntryId = ctx.world.nextId('snat-');
  state.snatEntries[snatEntryId] = {
    snatEntryId,
    snatTableId: nat.snatTableId,
    natGatewayId: nat.natGatewayId,
    sourceVSwitchId: p.SourceVSwitchId,
    sourceCidr: p.SourceVSwitchId === undefined ? sourceCidr : undefined,
    snatIp: ips.join(','),
    name: p.SnatEntryName ?? '',
    status: 'Pending',
    createdAtMs: ctx.world.data.nowMs,
  };
  return { SnatEntryId: snatEntryId };
};

const ASSOCIATED_TYPES = ['EcsInstance', 'SlbInstance', 'Nat', 'HaVip', 'NetworkInterface', 'IpAddress'];

const DescribeEipAddresses: RpcHandler = (ctx, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  if (p.AssociatedInstanceType !== undefined && !ASSOCIATED_TYPES.includes(p.AssociatedInstanceType)) {
    throw new ApiError('InvalidIAssociatedInstanceType.ValueNotSupported', 'The specified value of AssociatedInstanceType is not supported.', 400);
  }
  const ids = csv(p.AllocationId);
  const addresses = csv(p.EipAddress);
  const status = (e: EipRecord) => (e.instanceId ? 'InUse' : 'Available');
  const list = Object.values(state.eips).filter(
    (e) =>
      e.regionId === ctx.region &&
      (ids.length === 0 || ids.includes(e.allocationId)) &&
      (addresses.length === 0 || addresses.includes(e.ipAddress)) &&
      eq(p.Status, status(e)) &&
      eq(p.AssociatedInstanceType, e.instanceType ?? '') &&
      eq(p.AssociatedInstanceId, e.instanceId ?? '') &&
      eq(p.EipName, e.name ?? '') &&
      eq(p.ISP, 'BGP') &&
      eq(p.ChargeType, 'PostPaid') &&
      hasTags(e.tags, p.Tag),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 100 });
  return {
    ...pageFields(page),
    EipAddresses: {
      EipAddress: page.items.map((e) => ({
        AllocationId: e.allocationId,
        IpAddress: e.ipAddress,
        RegionId: e.regionId,
        Name: e.name ?? '',
        Description: '',
        Status: status(e),
        InstanceId: e.instanceId ?? '',
        InstanceType: e.instanceType ?? '',
        InstanceRegionId: e.instanceId ? e.regionId : '',
        VpcId: e.instanceType === 'Nat' && e.instanceId ? state.natGateways[e.instanceId]?.vpcId ?? '' : '',
        AllocationTime: isoSeconds(msOf(e.createdAt ?? new Date(ctx.world.data.nowMs).toISOString())),
        Bandwidth: '5',
        EipBandwidth: '5',
        ChargeType: 'PostPaid',
        InternetChargeType: 'PayByTraffic',
        ISP: 'BGP',
        Netmode: 'public',
        Mode: 'NAT',
        BusinessStatus: 'Normal',
        DeletionProtection: false,
        SecondLimited: false,
        HDMonitorStatus: 'OFF',
        HasReservationData: 'false',
        ServiceManaged: 0,
        OperationLocks: { LockReason: [] as { LockReason: string }[] },
        Tags: tagsBody(e.tags),
      })),
    },
  };
};

export const vpcNatHandlers: Record<string, RpcHandler> = {
  DescribeNatGateways,
  DescribeSnatTableEntries,
  CreateSnatEntry,
  DescribeEipAddresses,
};
