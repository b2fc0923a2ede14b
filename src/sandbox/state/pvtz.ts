// PrivateZone state of one account: authoritative zones, their records and VPC bindings, and the accounts whose
// VPCs this account may bind (AddUserVpcAuthorization). Zone names need not be unique in an account (the cloud
// allows same-named zones); what it refuses is binding two same-named zones to one VPC.
import type { World } from '../world.js';
import type { Tag } from './vpc.js';

export interface ZoneBinding {
  vpcId: string;
  regionId: string;
  vpcType: string;
  /** The VPC's owner (another account when bound through a user VPC authorization). */
  vpcOwnerId: string;
}

export interface PvtzZoneRecord {
  zoneId: string;
  /** Lower case, no trailing dot. */
  zoneName: string;
  ownerId: string;
  /** `ZONE`: a name the zone lacks is NXDOMAIN; `RECORD`: it falls through to recursive resolution. */
  proxyPattern: 'ZONE' | 'RECORD';
  dnsGroup: string;
  resourceGroupId: string;
  remark: string;
  creatorSubType: string;
  createdAtMs: number;
  updatedAtMs: number;
  bindings: ZoneBinding[];
  tags: Tag[];
}

export interface PvtzRecordRecord {
  recordId: number;
  zoneId: string;
  /** Host record: `@` for the zone's own name, `*` for a wildcard, or a label (`www`, `a.b`). */
  rr: string;
  type: string;
  value: string;
  ttl: number;
  priority?: number;
  line: string;
  weight: number;
  remark: string;
  status: 'ENABLE' | 'DISABLE';
  createdAtMs: number;
  updatedAtMs: number;
}

export interface UserVpcAuthorization {
  authorizedUserId: string;
  authType: string;
  authChannel: string;
  createdAtMs: number;
}

export interface PvtzSlice {
  zones: Record<string, PvtzZoneRecord>;
  /** By record ID (as a string key). */
  records: Record<string, PvtzRecordRecord>;
  authorizations: UserVpcAuthorization[];
}

export const pvtzState = (world: World, accountId: string): PvtzSlice => world.slice<PvtzSlice>(accountId, 'pvtz', () => ({ zones: {}, records: {}, authorizations: [] }));

/** Record IDs are numbers unique across the cloud. */
export function nextRecordId(world: World): number {
  const counter = world.shared<{ nextRecordId: number }>('pvtz', () => ({ nextRecordId: 17_000_000 }));
  counter.nextRecordId += 1;
  return counter.nextRecordId;
}

/** A DNS name as PrivateZone compares it: lower case, without the root dot. */
export const canonicalName = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

/** Zone names: dot-separated labels of letters, digits and hyphens (not at a label's ends), 1..63 each, 253 in all. */
export function isValidZoneName(name: string): boolean {
  const n = canonicalName(name);
  return n.length > 0 && n.length <= 253 && n.split('.').every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l));
}

/** Every zone, in any account, bound to a VPC. */
export function zonesBoundTo(world: World, vpcId: string): PvtzZoneRecord[] {
  const out: PvtzZoneRecord[] = [];
  for (const accountId of world.accountIds()) for (const z of Object.values(pvtzState(world, accountId).zones)) if (z.bindings.some((b) => b.vpcId === vpcId)) out.push(z);
  return out;
}

export function recordsOf(world: World, zone: PvtzZoneRecord): PvtzRecordRecord[] {
  return Object.values(pvtzState(world, zone.ownerId).records).filter((r) => r.zoneId === zone.zoneId);
}

/** Seeds a zone bound to VPCs (scenarios: e.g. a stale zone for the registry's domain). */
export function seedZone(world: World, accountId: string, input: { zoneName: string; bindings?: Omit<ZoneBinding, 'vpcType'>[]; proxyPattern?: 'ZONE' | 'RECORD' }): PvtzZoneRecord {
  const now = world.data.nowMs;
  const zone: PvtzZoneRecord = {
    zoneId: zoneIdFor(world),
    zoneName: canonicalName(input.zoneName),
    ownerId: accountId,
    proxyPattern: input.proxyPattern ?? 'ZONE',
    dnsGroup: 'NORMAL_ZONE',
    resourceGroupId: '',
    remark: '',
    creatorSubType: 'CUSTOMER',
    createdAtMs: now,
    updatedAtMs: now,
    bindings: (input.bindings ?? []).map((b) => ({ ...b, vpcType: 'STANDARD' })),
    tags: [],
  };
  pvtzState(world, accountId).zones[zone.zoneId] = zone;
  return zone;
}

/** Seeds a record (an A record unless `type` says otherwise). */
export function seedZoneRecord(world: World, zone: PvtzZoneRecord, input: { rr: string; value: string; type?: string; ttl?: number }): PvtzRecordRecord {
  const now = world.data.nowMs;
  const record: PvtzRecordRecord = { recordId: nextRecordId(world), zoneId: zone.zoneId, rr: input.rr, type: input.type ?? 'A', value: input.value, ttl: input.ttl ?? 60, line: 'default', weight: 1, remark: '', status: 'ENABLE', createdAtMs: now, updatedAtMs: now };
  pvtzState(world, zone.ownerId).records[String(record.recordId)] = record;
  return record;
}

/** Zone IDs look like the cloud's (`AgIDE1MQ_151`): an opaque token and a number. */
export function zoneIdFor(world: World): string {
  const token = world.nextId('', 8);
  return `${Buffer.from(token).toString('base64url').slice(0, 10)}_${world.data.seq}`;
}
