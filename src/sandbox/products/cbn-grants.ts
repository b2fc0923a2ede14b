// Cbn 2017-09-12, cross-account view: grants other accounts made to a CEN (their Vpc GrantInstanceToCen, the
// same shared records), grants on one's own resource, and the network instances attached to a CEN. The
// Basic-edition child-instance calls are answered as a CEN of Enterprise transit routers answers them.
import { ApiError, type CallContext, type RpcHandler } from '../api.js';
import { invalidParameter } from '../spec.js';
import { cenState, grantFor, settleCen } from '../state/cen.js';
import { vpcState } from '../state/vpc.js';
import { ownCen } from './cbn-common.js';
import { eq, isoMinutes, isoSeconds, pageByNumber, pageByToken, uid, pageFields } from './net-common.js';

type P = Record<string, any>;

/** Without MaxResults these APIs answer every entry at once (documented), with it they page by NextToken. */
function maybePaged<T>(all: T[], p: P) {
  if (p.MaxResults === undefined && (p.NextToken === undefined || p.NextToken === '')) return { items: all, maxResults: all.length, nextToken: undefined, totalCount: all.length };
  return pageByToken(all, p, { defaultSize: 20, maxSize: 100 });
}

const DescribeGrantRulesToCen: RpcHandler = (ctx, p: P) => {
  const cen = ownCen(ctx, p.CenId);
  const grants = cenState(ctx.world).grants.filter(
    (g) =>
      g.cenId === cen.cenId &&
      g.instanceType === String(p.ProductType).toUpperCase() &&
      eq(p.RegionId, g.regionId) &&
      eq(p.ChildInstanceId, g.instanceId) &&
      (p.ChildInstanceOwnerId === undefined || String(p.ChildInstanceOwnerId) === g.ownerId),
  );
  const page = maybePaged(grants, p);
  return {
    TotalCount: page.totalCount,
    MaxResults: page.maxResults,
    NextToken: page.nextToken,
    GrantRules: {
      GrantRule: page.items.map((g) => ({
        CenId: g.cenId,
        CenOwnerId: uid(g.cenOwnerId),
        ChildInstanceId: g.instanceId,
        ChildInstanceType: g.instanceType,
        ChildInstanceRegionId: g.regionId,
        ChildInstanceOwnerId: uid(g.ownerId),
        OrderType: 'PayByCenOwner',
        CreateTime: g.createdAtMs,
      })),
    },
  };
};

const DescribeGrantRulesToResource: RpcHandler = (ctx, p: P) => {
  const type = p.ProductType === 'VPC' ? 'VPC' : p.ProductType;
  const grants = cenState(ctx.world).grants.filter((g) => g.instanceId === p.ResourceId && g.ownerId === ctx.caller.accountId && g.instanceType === type && eq(p.RegionId, g.regionId));
  const page = maybePaged(grants, p);
  return {
    TotalCount: page.totalCount,
    MaxResults: page.maxResults,
    NextToken: page.nextToken,
    GrantRules: page.items.map((g) => ({ CenId: g.cenId, CenOwnerId: uid(g.cenOwnerId), OrderType: 'PayByCenOwner', CreateTime: isoSeconds(g.createdAtMs) })),
  };
};

const DescribeCenAttachedChildInstances: RpcHandler = (ctx, p: P) => {
  const cen = ownCen(ctx, p.CenId);
  const list = Object.values(settleCen(ctx.world).attachments).filter(
    (a) => a.kind === 'VPC' && a.cenId === cen.cenId && eq(p.ChildInstanceType, 'VPC') && eq(p.ChildInstanceRegionId, a.regionId),
  );
  const page = pageByNumber(list, p, { defaultSize: 10, maxSize: 50 });
  return {
    ...pageFields(page),
    ChildInstances: {
      ChildInstance: page.items.map((a) => ({
        CenId: a.cenId,
        ChildInstanceId: a.vpcId,
        ChildInstanceType: 'VPC',
        ChildInstanceRegionId: a.regionId,
        ChildInstanceOwnerId: uid(a.vpcOwnerId!),
        Status: a.status,
        ChildInstanceAttachTime: isoMinutes(a.createdAtMs),
      })),
    },
  };
};

/** The child instance a Basic-edition call names, checked as AttachCenChildInstance checks it. */
function childInstance(ctx: CallContext, p: P) {
  const cen = ownCen(ctx, p.CenId);
  if (p.ChildInstanceType !== 'VPC') throw invalidParameter('ChildInstanceType'); // VBR and CCN are not simulated.
  const owner = p.ChildInstanceOwnerId === undefined ? ctx.caller.accountId : String(p.ChildInstanceOwnerId);
  const vpc = ctx.world.data.accounts[owner] ? vpcState(ctx.world, owner).vpcs[p.ChildInstanceId] : undefined;
  if (!vpc || vpc.regionId !== p.ChildInstanceRegionId) throw invalidParameter('ChildInstanceId');
  return { cen, owner, vpc };
}

const AttachCenChildInstance: RpcHandler = (ctx, p: P) => {
  const { cen, owner, vpc } = childInstance(ctx, p);
  if (owner !== ctx.caller.accountId && !grantFor(ctx.world, vpc.vpcId, cen.cenId, ctx.caller.accountId)) {
    throw new ApiError('Forbbiden.AttachChildInstanceAcrossUid', 'Operation is invalid because the child-instance is not authorized to CEN.', 409);
  }
  if (Object.values(settleCen(ctx.world).attachments).some((a) => a.kind === 'VPC' && a.vpcId === vpc.vpcId && a.cenId === cen.cenId)) {
    throw new ApiError('InvalidOperation.ChildInstanceAlreadyAttached', 'Operation is invalid because the child-instance has already been attached to another CEN.', 409);
  }
  // The sandbox's transit routers are all Enterprise Edition: VPCs join them through CreateTransitRouterVpcAttachment.
  throw new ApiError('OperationFailed.InvalidTransitRouter', 'Operation failed because the transit router is not supported.', 400);
};

const DetachCenChildInstance: RpcHandler = (ctx, p: P) => {
  const { cen, vpc } = childInstance(ctx, p);
  const attached = Object.values(settleCen(ctx.world).attachments).some((a) => a.kind === 'VPC' && a.vpcId === vpc.vpcId && a.cenId === cen.cenId);
  if (attached) throw new ApiError('Forbidden.TypeInvalid', 'The specified ChildInstanceType or TransitRouterType is not supported by this operation.', 400);
  throw invalidParameter('ChildInstanceId');
};

export const cbnGrantHandlers: Record<string, RpcHandler> = {
  DescribeGrantRulesToCen,
  DescribeGrantRulesToResource,
  DescribeCenAttachedChildInstances,
  AttachCenChildInstance,
  DetachCenChildInstance,
};
