// VPC peering (VpcPeer 2022-01-01; not part of Vpc 2016-04-28): A requests a connection from its VPC to B's
// VPC, B accepts it. VpcPeer has one central endpoint, but every call carries a RegionId: the requester's region
// for calls made in A, the accepter's region for calls made in B. The funnel adds RegionId from
// `options.region` (default: the account's region) unless the request names one.
import { PARAM_WIRE, type Apis } from './api/vpcpeer-types.js';
import { isNotFound } from './errors.js';
import { accountIdOf, accountIdParam, makeRpc, pageByToken, tagList, tagsOf, type RpcCallOptions } from './rpc-call.js';
import type { AccountClient } from './session.js';

const call = makeRpc<Apis>('vpcpeer', PARAM_WIRE);

/** The code GetVpcPeerConnectionAttribute (and Accept/Modify/Delete) give for an unknown connection ID. */
export const VPC_PEER_NOT_FOUND = 'ResourceNotFound.InstanceId';

/** Metadata: Creating, Accepting (cross-account, waiting for B), Updating, Rejected, Expired, Activated, Deleting, Deleted. */
export type VpcPeerStatus = 'Creating' | 'Accepting' | 'Updating' | 'Rejected' | 'Expired' | 'Activated' | 'Deleting' | 'Deleted';

export interface PeerVpc {
  vpcId: string;
  ipv4Cidrs: string[];
  ipv6Cidrs: string[];
}

export interface VpcPeerConnection {
  instanceId: string;
  name?: string;
  description?: string;
  status: VpcPeerStatus | (string & {});
  /** `Normal` or `FinancialLocked`. */
  bizStatus?: string;
  /** Requester side (the account that created the connection). */
  ownerId?: string;
  regionId?: string;
  vpc: PeerVpc;
  /** Accepter side. */
  acceptingOwnerUid?: string;
  acceptingRegionId?: string;
  acceptingVpc: PeerVpc;
  /** Mbit/s (inter-region connections). */
  bandwidth?: number;
  linkType?: string;
  createdAt?: string;
  modifiedAt?: string;
  resourceGroupId?: string;
  tags: Record<string, string>;
}

type WireVpc = { VpcId?: string; Ipv4Cidrs?: string[]; Ipv6Cidrs?: string[] } | undefined;
type WireConnection = Omit<NonNullable<Apis['ListVpcPeerConnections']['response']['VpcPeerConnects']>[number], 'Vpc' | 'AcceptingVpc'> & {
  Vpc?: WireVpc;
  AcceptingVpc?: WireVpc;
};

const peerVpc = (v: WireVpc): PeerVpc => ({ vpcId: v?.VpcId ?? '', ipv4Cidrs: v?.Ipv4Cidrs ?? [], ipv6Cidrs: v?.Ipv6Cidrs ?? [] });

function connectionOf(c: WireConnection, fallbackId = ''): VpcPeerConnection {
  return {
    instanceId: c.InstanceId ?? fallbackId,
    name: c.Name || undefined,
    description: c.Description || undefined,
    status: c.Status ?? '',
    bizStatus: c.BizStatus,
    ownerId: accountIdOf(c.OwnerId),
    regionId: c.RegionId,
    vpc: peerVpc(c.Vpc),
    acceptingOwnerUid: accountIdOf(c.AcceptingOwnerUid),
    acceptingRegionId: c.AcceptingRegionId,
    acceptingVpc: peerVpc(c.AcceptingVpc),
    bandwidth: c.Bandwidth,
    linkType: c.LinkType,
    createdAt: c.GmtCreate,
    modifiedAt: c.GmtModified,
    resourceGroupId: c.ResourceGroupId,
    tags: tagsOf(c.Tags),
  };
}

export interface CreateVpcPeerInput {
  /** Requester region (A's VPC); defaults to the account's region. */
  regionId?: string;
  /** Requester VPC (A). */
  vpcId: string;
  /** Accepter account (B). */
  acceptingAliUid: string | number;
  acceptingRegionId: string;
  acceptingVpcId: string;
  name?: string;
  description?: string;
  /** Mbit/s; only for inter-region connections. */
  bandwidth?: number;
  tags?: Record<string, string>;
  clientToken?: string;
}

/** Requests a connection (asynchronous; a cross-account one waits in `Accepting` until B accepts). Returns its ID. */
export async function createVpcPeerConnection(acct: AccountClient, input: CreateVpcPeerInput, options?: RpcCallOptions): Promise<string> {
  const regionId = input.regionId ?? options?.region ?? acct.region;
  const r = await call(
    acct,
    'CreateVpcPeerConnection',
    {
      RegionId: regionId,
      VpcId: input.vpcId,
      AcceptingAliUid: accountIdParam(input.acceptingAliUid),
      AcceptingRegionId: input.acceptingRegionId,
      AcceptingVpcId: input.acceptingVpcId,
      Name: input.name,
      Description: input.description,
      Bandwidth: input.bandwidth,
      Tag: tagList(input.tags),
      ClientToken: input.clientToken,
    },
    { ...options, region: regionId },
  );
  if (!r.InstanceId) throw new Error(`VpcPeer CreateVpcPeerConnection answered without an InstanceId (request ${r.RequestId ?? '?'})`);
  return r.InstanceId;
}

/**
 * Accepts a connection, in the accepter's account (B). Pass `options.region` = the accepter VPC's region when
 * it differs from B's default region.
 */
export async function acceptVpcPeerConnection(acct: AccountClient, instanceId: string, input: { clientToken?: string } = {}, options?: RpcCallOptions): Promise<void> {
  await call(acct, 'AcceptVpcPeerConnection', { InstanceId: instanceId, ClientToken: input.clientToken }, options);
}

/** One connection, or `undefined` when there is no such connection (ResourceNotFound.InstanceId). */
export async function getVpcPeerConnectionAttribute(acct: AccountClient, instanceId: string, options?: RpcCallOptions): Promise<VpcPeerConnection | undefined> {
  try {
    const r = await call(acct, 'GetVpcPeerConnectionAttribute', { InstanceId: instanceId }, options);
    return connectionOf(r, instanceId);
  } catch (error) {
    if (isNotFound(error, VPC_PEER_NOT_FOUND)) return undefined;
    throw error;
  }
}

export interface ListVpcPeerFilter {
  /** Connections where any of these VPCs is the requester or the accepter (sent comma-joined). */
  vpcIds?: string[];
  name?: string;
  instanceId?: string;
  /** Defaults to `options.region`, then the account's region. */
  regionId?: string;
  tags?: Record<string, string>;
}

/** Every matching connection in the region, following NextToken (100 per page). */
export async function listVpcPeerConnections(acct: AccountClient, filter: ListVpcPeerFilter = {}, options?: RpcCallOptions): Promise<VpcPeerConnection[]> {
  const regionId = filter.regionId ?? options?.region ?? acct.region;
  return pageByToken(async (token) => {
    const r = await call(
      acct,
      'ListVpcPeerConnections',
      {
        RegionId: regionId,
        VpcId: filter.vpcIds && filter.vpcIds.length > 0 ? filter.vpcIds : undefined,
        Name: filter.name,
        InstanceId: filter.instanceId,
        Tags: tagList(filter.tags),
        MaxResults: 100,
        NextToken: token,
      },
      { ...options, region: regionId },
    );
    return { items: (r.VpcPeerConnects ?? []).map((c) => connectionOf(c)), nextToken: r.NextToken || undefined };
  });
}

export interface ModifyVpcPeerInput {
  instanceId: string;
  name?: string;
  description?: string;
  /** Mbit/s; inter-region connections only (same-region answers OperationFailed.BandwidthCannotBeChangedInSameRegion). */
  bandwidth?: number;
  clientToken?: string;
}

export async function modifyVpcPeerConnection(acct: AccountClient, input: ModifyVpcPeerInput, options?: RpcCallOptions): Promise<void> {
  await call(
    acct,
    'ModifyVpcPeerConnection',
    { InstanceId: input.instanceId, Name: input.name, Description: input.description, Bandwidth: input.bandwidth, ClientToken: input.clientToken },
    options,
  );
}

/**
 * Deletes a connection (asynchronous). Without `force`, routes pointing at it must be removed first
 * (OperationDenied.RouteEntryExist); with `force`, the cloud removes them.
 */
export async function deleteVpcPeerConnection(acct: AccountClient, instanceId: string, input: { force?: boolean; clientToken?: string } = {}, options?: RpcCallOptions): Promise<void> {
  await call(acct, 'DeleteVpcPeerConnection', { InstanceId: instanceId, Force: input.force, ClientToken: input.clientToken }, options);
}
