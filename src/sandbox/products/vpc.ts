// Vpc 2016-04-28: VPCs, vSwitches and route tables (reads), tags, and the CEN grants an account makes on its
// VPCs (GrantInstanceToCen with CenOwnerId = the CEN owner's UID). Route entries are in vpc-routes.ts, NAT,
// SNAT and EIPs in vpc-nat.ts. Resources are regional: a call sees only the caller's resources in its RegionId.
import { ApiError, type CallContext, type ProductModule } from '../api.js';
import { cenState, settleCen, vpcAttachmentsOf } from '../state/cen.js';
import { ecsState } from '../state/ecs.js';
import { cidrSize, cidrContains } from '../state/cidr.js';
import { settleVpc, vpcState, type Tag, type VpcRecord, type VSwitchRecord } from '../state/vpc.js';
import { checkedTags, csv, eq, hasTags, isoSeconds, mergeTags, msOf, pageByNumber, pageByToken, tagsBody, uid, pageFields } from './net-common.js';
import { vpcNatHandlers } from './vpc-nat.js';
import { vpcRouteHandlers } from './vpc-routes.js';

type P = Record<string, any>;

const vpcNotFound = (vpcId: string) => new ApiError('InvalidVpcId.NotFound', `Specified value of VpcId ${vpcId} is not found in our record.`, 404);

/** The caller's VPC in the request's region, or the cloud's not-found error. */
export function ownVpc(ctx: CallContext, vpcId: string): VpcRecord {
  const vpc = settleVpc(ctx.world, ctx.caller.accountId).vpcs[vpcId];
  if (!vpc || vpc.regionId !== ctx.region) throw vpcNotFound(vpcId);
  return vpc;
}

function vpcBody(ctx: CallContext, vpc: VpcRecord) {
  const state = vpcState(ctx.world, ctx.caller.accountId);
  return {
    VpcId: vpc.vpcId,
    RegionId: vpc.regionId,
    Status: 'Available',
    VpcName: vpc.name,
    CreationTime: isoSeconds(msOf(vpc.createdAt)),
    CidrBlock: vpc.cidrBlock,
    VRouterId: vpc.vRouterId,
    Description: vpc.description,
    IsDefault: false,
    OwnerId: uid(ctx.caller.accountId),
    EnabledIpv6: false,
    DnsHostnameStatus: 'DISABLED',
    VSwitchIds: { VSwitchId: Object.values(state.vswitches).filter((v) => v.vpcId === vpc.vpcId).map((v) => v.vSwitchId) },
    SecondaryCidrBlocks: { SecondaryCidrBlock: [...vpc.secondaryCidrBlocks] },
    UserCidrs: { UserCidr: [] as string[] },
    Tags: tagsBody(vpc.tags),
  };
}

/** Addresses left in a vSwitch: its size minus the 4 the cloud reserves, minus ECS instances placed in it. */
function availableIps(ctx: CallContext, v: VSwitchRecord): number {
  const used = Object.values(ecsState(ctx.world, ctx.caller.accountId).instances).filter((i) => i.vSwitchId === v.vSwitchId && cidrContains(v.cidrBlock, i.privateIp)).length;
  return Math.max(0, cidrSize(v.cidrBlock) - 4 - used);
}

function vswitchBody(ctx: CallContext, v: VSwitchRecord) {
  const table = vpcState(ctx.world, ctx.caller.accountId).routeTables[v.routeTableId];
  return {
    VSwitchId: v.vSwitchId,
    VpcId: v.vpcId,
    Status: 'Available',
    CidrBlock: v.cidrBlock,
    ZoneId: v.zoneId,
    VSwitchName: v.name,
    Description: '',
    CreationTime: isoSeconds(msOf(v.createdAt)),
    IsDefault: false,
    AvailableIpAddressCount: availableIps(ctx, v),
    OwnerId: uid(ctx.caller.accountId),
    ShareType: 'Private',
    EnabledIpv6: false,
    RouteTable: { RouteTableId: v.routeTableId, RouteTableType: table?.type ?? 'System' },
    Tags: tagsBody(v.tags),
  };
}

const DescribeVpcs = (ctx: CallContext, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  const ids = csv(p.VpcId);
  const owner = p.VpcOwnerId === undefined || String(p.VpcOwnerId) === ctx.caller.accountId;
  const vpcs = Object.values(state.vpcs).filter(
    (v) => owner && v.regionId === ctx.region && (ids.length === 0 || ids.includes(v.vpcId)) && eq(p.VpcName, v.name) && p.IsDefault !== true && hasTags(v.tags, p.Tag),
  );
  const page = pageByNumber(vpcs, p, { defaultSize: 10, maxSize: 50 });
  return {
    ...pageFields(page),
    Vpcs: {
      Vpc: page.items.map((v) => ({
        ...vpcBody(ctx, v),
        RouterTableIds: { RouterTableIds: Object.values(state.routeTables).filter((t) => t.vpcId === v.vpcId).map((t) => t.routeTableId) },
        NatGatewayIds: { NatGatewayIds: Object.values(state.natGateways).filter((n) => n.vpcId === v.vpcId).map((n) => n.natGatewayId) },
      })),
    },
  };
};

const DescribeVpcAttribute = (ctx: CallContext, p: P) => {
  const vpc = ownVpc(ctx, p.VpcId);
  return {
    ...vpcBody(ctx, vpc),
    ClassicLinkEnabled: false,
    AssociatedCens: {
      AssociatedCen: vpcAttachmentsOf(ctx.world, vpc.vpcId).map((a) => ({ CenId: a.cenId, CenOwnerId: uid(a.ownerId), CenStatus: a.status })),
    },
  };
};

const DescribeVSwitches = (ctx: CallContext, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  const ids = csv(p.VSwitchId);
  const owner = p.VSwitchOwnerId === undefined || String(p.VSwitchOwnerId) === ctx.caller.accountId;
  const list = Object.values(state.vswitches).filter(
    (v) =>
      owner &&
      v.regionId === ctx.region &&
      eq(p.VpcId, v.vpcId) &&
      (ids.length === 0 || ids.includes(v.vSwitchId)) &&
      eq(p.ZoneId, v.zoneId) &&
      eq(p.VSwitchName, v.name) &&
      eq(p.RouteTableId, v.routeTableId) &&
      p.IsDefault !== true &&
      hasTags(v.tags, p.Tag),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 50 });
  return { TotalCount: page.totalCount, PageNumber: page.pageNumber, PageSize: page.pageSize, VSwitches: { VSwitch: page.items.map((v) => vswitchBody(ctx, v)) } };
};

const DescribeVSwitchAttributes = (ctx: CallContext, p: P) => {
  const v = settleVpc(ctx.world, ctx.caller.accountId).vswitches[p.VSwitchId];
  if (!v || (p.RegionId !== undefined && v.regionId !== ctx.region)) throw new ApiError('InvalidVSwitchId.NotFound', `The specified vSwitch ${p.VSwitchId} does not exist.`, 400);
  return vswitchBody(ctx, v);
};

const DescribeRouteTableList = (ctx: CallContext, p: P) => {
  const state = settleVpc(ctx.world, ctx.caller.accountId);
  const vpcOf = (vpcId: string) => state.vpcs[vpcId];
  const list = Object.values(state.routeTables).filter(
    (t) =>
      t.regionId === ctx.region &&
      eq(p.VpcId, t.vpcId) &&
      eq(p.RouteTableId, t.routeTableId) &&
      eq(p.RouterId, t.vRouterId) &&
      (p.RouterType === undefined || p.RouterType === 'VRouter') &&
      eq(p.RouteTableName, t.name) &&
      eq(p.RouteTableType, t.type) &&
      hasTags(t.tags, p.Tag),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 50 });
  return {
    ...pageFields(page),
    RouterTableList: {
      RouterTableListType: page.items.map((t) => ({
        VpcId: t.vpcId,
        RouteTableId: t.routeTableId,
        RouteTableName: t.name,
        RouteTableType: t.type,
        RouterId: t.vRouterId,
        RouterType: 'VRouter',
        Status: vpcOf(t.vpcId) ? 'Available' : 'Deleting',
        AssociateType: 'VSwitch',
        CreationTime: isoSeconds(msOf(t.createdAt)),
        Description: t.description ?? '',
        OwnerId: uid(ctx.caller.accountId),
        VSwitchIds: { VSwitchId: Object.values(state.vswitches).filter((v) => v.routeTableId === t.routeTableId).map((v) => v.vSwitchId) },
        Tags: tagsBody(t.tags),
      })),
    },
  };
};

// ---- CEN grants: B lets A's CEN attach B's VPC ----

function grantTarget(ctx: CallContext, p: P): VpcRecord {
  if (!['VPC', 'VBR', 'CCN'].includes(p.InstanceType)) throw new ApiError('InstanceType.Invalid', 'Specified type is not valid.', 404);
  const vpc = p.InstanceType === 'VPC' ? settleVpc(ctx.world, ctx.caller.accountId).vpcs[p.InstanceId] : undefined;
  // VBRs and CCN instances are not simulated, so they never exist here.
  if (!vpc || vpc.regionId !== ctx.region) throw new ApiError('InvalidInstanceId.NotFound', `Specified Instance ${p.InstanceId} does not exist.`, 404);
  return vpc;
}

const GrantInstanceToCen = (ctx: CallContext, p: P) => {
  const vpc = grantTarget(ctx, p);
  const s = settleCen(ctx.world);
  const cen = s.cens[p.CenId];
  if (!cen) throw new ApiError('IllegalParam.CenInstanceId', `The CEN instance ${p.CenId} does not exist.`, 400);
  if (cen.ownerId !== String(p.CenOwnerId)) throw new ApiError('Invalid.Grant', 'Can not grant to other owner cen.', 400);
  // Assumed: granting again what is already granted changes nothing (the docs only say not to repeat the call).
  if (!s.grants.some((g) => g.instanceId === vpc.vpcId && g.cenId === cen.cenId)) {
    s.grants.push({ instanceId: vpc.vpcId, instanceType: 'VPC', ownerId: ctx.caller.accountId, regionId: vpc.regionId, cenId: cen.cenId, cenOwnerId: cen.ownerId, createdAtMs: ctx.world.data.nowMs });
  }
  return {};
};

const RevokeInstanceFromCen = (ctx: CallContext, p: P) => {
  const vpc = grantTarget(ctx, p);
  const s = settleCen(ctx.world);
  if (vpcAttachmentsOf(ctx.world, vpc.vpcId).some((a) => a.cenId === p.CenId)) {
    throw new ApiError('OperationDenied.InstanceAttachCen', 'Operation denied because instance association CEN.', 400);
  }
  s.grants = s.grants.filter((g) => !(g.instanceId === vpc.vpcId && g.cenId === p.CenId && g.cenOwnerId === String(p.CenOwnerId)));
  return {};
};

const DescribeGrantRulesToCen = (ctx: CallContext, p: P) => {
  const grants = cenState(ctx.world).grants.filter((g) => g.instanceId === p.InstanceId && g.ownerId === ctx.caller.accountId && g.regionId === ctx.region);
  const page = pageByNumber(grants, p, { defaultSize: 10, maxSize: 50 });
  return {
    ...pageFields(page),
    CenGrantRules: { CbnGrantRule: page.items.map((g) => ({ CenInstanceId: g.cenId, CenOwnerId: uid(g.cenOwnerId), CreationTime: isoSeconds(g.createdAtMs) })) },
  };
};

// ---- tags ----

/** The taggable resources of one type in the caller's region: id -> its tag list (created on first use). */
function taggable(ctx: CallContext, resourceType: string): Map<string, { tags: () => Tag[]; set: (t: Tag[]) => void }> {
  const s = settleVpc(ctx.world, ctx.caller.accountId);
  const inRegion = <T extends { regionId: string; tags?: Tag[] }>(records: Record<string, T>) =>
    new Map(
      Object.entries(records)
        .filter(([, r]) => r.regionId === ctx.region)
        .map(([id, r]) => [id, { tags: () => r.tags ?? [], set: (t: Tag[]) => void (r.tags = t) }] as const),
    );
  switch (resourceType.toUpperCase()) {
    case 'VPC':
      return inRegion(s.vpcs);
    case 'VSWITCH':
      return inRegion(s.vswitches);
    case 'ROUTETABLE':
      return inRegion(s.routeTables);
    case 'EIP':
      return inRegion(s.eips);
    case 'NATGATEWAY':
      return inRegion(s.natGateways);
    default:
      throw new ApiError('InvalidInstanceType.NotFound', 'The instance type is not found', 400);
  }
}

const TagResources = (ctx: CallContext, p: P) => {
  const ids: string[] = p.ResourceId ?? [];
  if (ids.length > 20) throw new ApiError('SizeLimitExceeded.ResourceId', 'The maximum number of resource IDs is exceeded.', 400);
  if (new Set(ids).size !== ids.length) throw new ApiError('DuplicatedParam.ResourceIds', 'The parameter of ResourceIds contains duplicate values.', 400);
  const tags = checkedTags(p.Tag);
  if (tags.length === 0) throw new ApiError('MissingParam.Tags', 'You must specify the Tags parameter.', 400);
  if (tags.length > 20) throw new ApiError('SizeLimitExceeded.TagNum', 'The maximum number of tags is exceeded.', 400);
  const resources = taggable(ctx, p.ResourceType);
  const missing = ids.filter((id) => !resources.has(id));
  if (missing.length > 0) throw new ApiError('InvalidInstanceIds.NotFound', `The instanceIds are not found: ${missing.join(', ')}`, 400);
  for (const id of ids) {
    const r = resources.get(id)!;
    r.set(mergeTags(r.tags(), tags));
  }
  return {};
};

const ListTagResources = (ctx: CallContext, p: P) => {
  const ids: string[] = p.ResourceId ?? [];
  const wanted = checkedTags(p.Tag);
  if (ids.length === 0 && wanted.length === 0) throw new ApiError('BothEmpty.TagsAndResources', 'The specified Tags and ResourcesIds are not allow to both empty.', 400);
  if (ids.length > 20) throw new ApiError('SizeLimitExceeded.ResourceId', 'The maximum number of resource IDs is exceeded.', 400);
  const type = String(p.ResourceType).toUpperCase();
  const rows: { ResourceId: string; ResourceType: string; TagKey: string; TagValue: string }[] = [];
  for (const [id, r] of taggable(ctx, p.ResourceType)) {
    if (ids.length > 0 && !ids.includes(id)) continue;
    if (!hasTags(r.tags(), wanted)) continue;
    for (const t of r.tags()) {
      if (wanted.length > 0 && !wanted.some((w) => w.Key === t.Key)) continue;
      rows.push({ ResourceId: id, ResourceType: type, TagKey: t.Key, TagValue: t.Value });
    }
  }
  const page = pageByToken(rows, p, { defaultSize: 50, maxSize: 50 });
  return { NextToken: page.nextToken ?? '', TagResources: { TagResource: page.items } };
};

export const vpc: ProductModule = {
  product: 'vpc',
  rpc: {
    DescribeVpcs,
    DescribeVpcAttribute,
    DescribeVSwitches,
    DescribeVSwitchAttributes,
    DescribeRouteTableList,
    GrantInstanceToCen,
    RevokeInstanceFromCen,
    DescribeGrantRulesToCen,
    TagResources,
    ListTagResources,
    ...vpcRouteHandlers,
    ...vpcNatHandlers,
  },
  roa: {},
};
