// VPC peering connections (VpcPeer 2022-01-01). A connection belongs to two accounts at once, so it lives in
// world.shared('vpcpeer') and each side sees it. Status moves over simulated time, as the metadata describes:
// Creating -> Activated (same account) or Accepting (cross-account, until the accepter accepts; Expired after
// 7 days); Accept -> Updating -> Activated; Modify (bandwidth) -> Updating -> Activated; Delete -> Deleting -> gone.
import type { World } from '../world.js';
import { findVpc, vpcCidrs, vpcState, type Tag } from './vpc.js';

export type PeeringStatus = 'Creating' | 'Accepting' | 'Updating' | 'Rejected' | 'Expired' | 'Activated' | 'Deleting' | 'Deleted';

export interface PeeringRecord {
  instanceId: string;
  name: string;
  description: string;
  /** Requester: the account that created the connection, its region and VPC. */
  ownerId: string;
  regionId: string;
  vpcId: string;
  acceptingOwnerId: string;
  acceptingRegionId: string;
  acceptingVpcId: string;
  /** Mbit/s; -1 (unlimited) for intra-region connections, 1024 by default across regions (metadata). */
  bandwidth: number;
  linkType?: string;
  status: PeeringStatus;
  /** When the current status began (the clock for its transition). */
  statusSinceMs: number;
  createdAtMs: number;
  modifiedAtMs: number;
  resourceGroupId: string;
  tags: Tag[];
}

interface PeeringShared {
  connections: Record<string, PeeringRecord>;
}

/** Simulated durations of the asynchronous steps. */
export const PEERING_MS = { create: 10_000, update: 15_000, delete: 10_000, acceptWindow: 7 * 24 * 3600_000 } as const;

export const peeringState = (world: World): PeeringShared => world.shared<PeeringShared>('vpcpeer', () => ({ connections: {} }));

function move(world: World, record: PeeringRecord, status: PeeringStatus): void {
  record.status = status;
  record.statusSinceMs = world.data.nowMs;
  record.modifiedAtMs = world.data.nowMs;
}

/** Moves every connection along the clock; deleted ones disappear. */
export function settlePeerings(world: World): PeeringShared {
  const state = peeringState(world);
  for (const record of Object.values(state.connections)) {
    const done = (ms: number) => world.isDone(record.statusSinceMs, ms);
    if (record.status === 'Creating' && done(PEERING_MS.create)) {
      // Backdate the new status to when the creation finished, so later steps time from the right moment.
      const finished = record.statusSinceMs + PEERING_MS.create;
      record.status = record.ownerId === record.acceptingOwnerId ? 'Activated' : 'Accepting';
      record.statusSinceMs = finished;
      record.modifiedAtMs = finished;
    }
    if (record.status === 'Accepting' && done(PEERING_MS.acceptWindow)) move(world, record, 'Expired');
    if (record.status === 'Updating' && done(PEERING_MS.update)) move(world, record, 'Activated');
    if (record.status === 'Deleting' && done(PEERING_MS.delete)) delete state.connections[record.instanceId];
  }
  return state;
}

export function createPeering(world: World, input: Omit<PeeringRecord, 'instanceId' | 'status' | 'statusSinceMs' | 'createdAtMs' | 'modifiedAtMs'>): PeeringRecord {
  const now = world.data.nowMs;
  const record: PeeringRecord = { ...input, instanceId: world.nextId('pcc-'), status: 'Creating', statusSinceMs: now, createdAtMs: now, modifiedAtMs: now };
  peeringState(world).connections[record.instanceId] = record;
  return record;
}

export function setPeeringStatus(world: World, record: PeeringRecord, status: PeeringStatus): void {
  move(world, record, status);
}

/** A connection as one account may see it: only its requester and accepter see it at all. */
export function visiblePeering(world: World, accountId: string, instanceId: string): PeeringRecord | undefined {
  const record = settlePeerings(world).connections[instanceId];
  return record && (record.ownerId === accountId || record.acceptingOwnerId === accountId) ? record : undefined;
}

/** Live connections (not Rejected, Expired or on their way out) between two VPCs, in either direction. */
export function livePeeringsBetween(world: World, vpcA: string, vpcB: string): PeeringRecord[] {
  const gone: PeeringStatus[] = ['Rejected', 'Expired', 'Deleting', 'Deleted'];
  return Object.values(settlePeerings(world).connections).filter(
    (p) => !gone.includes(p.status) && ((p.vpcId === vpcA && p.acceptingVpcId === vpcB) || (p.vpcId === vpcB && p.acceptingVpcId === vpcA)),
  );
}

/** The VPC at the other end of a connection, seen from `vpcId` (undefined when the VPC is not an end). */
export function peerOf(record: PeeringRecord, vpcId: string): { vpcId: string; accountId: string; regionId: string } | undefined {
  if (record.vpcId === vpcId) return { vpcId: record.acceptingVpcId, accountId: record.acceptingOwnerId, regionId: record.acceptingRegionId };
  if (record.acceptingVpcId === vpcId) return { vpcId: record.vpcId, accountId: record.ownerId, regionId: record.regionId };
  return undefined;
}

/** The IPv4 CIDRs of one end, read live from the VPC (empty when the VPC is gone). */
export function endCidrs(world: World, vpcId: string): string[] {
  const found = findVpc(world, vpcId);
  return found ? vpcCidrs(found.vpc) : [];
}

/** Route entries, in either end's VPC, whose next hop is this connection (they block a non-forced delete). */
export function routesToPeering(world: World, record: PeeringRecord): { accountId: string; routeEntryId: string; routeTableId: string }[] {
  const out: { accountId: string; routeEntryId: string; routeTableId: string }[] = [];
  for (const accountId of new Set([record.ownerId, record.acceptingOwnerId])) {
    for (const entry of Object.values(vpcState(world, accountId).routeEntries)) {
      if (entry.nextHopType === 'VpcPeer' && entry.nextHopId === record.instanceId) out.push({ accountId, routeEntryId: entry.routeEntryId, routeTableId: entry.routeTableId });
    }
  }
  return out;
}
