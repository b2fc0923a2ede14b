// Name resolution as a node in a VPC sees it: /etc/hosts first, then PrivateZone zones bound to the VPC (a zone
// captures its own name and every name below it; a name it lacks is NXDOMAIN unless the zone's ProxyPattern is
// RECORD), then the sandbox's table of public DNS names. Used by the simulated kubelet; re-exported by
// network-path.ts.
import { isIpv4 } from './state/cidr.js';
import { resolveRegistryName } from './state/cr-facts.js';
import { findVpc } from './state/vpc.js';
import { canonicalName, recordsOf, zonesBoundTo, type PvtzRecordRecord, type PvtzZoneRecord } from './state/pvtz.js';
import type { World } from './world.js';

export interface Resolution {
  /** The IPv4 address the name resolves to; absent when it does not resolve. */
  ip?: string;
  /** Who answered: the hosts file, a PrivateZone zone, public DNS, or nobody (no such host). */
  via: 'hosts' | 'privatezone' | 'public' | 'none';
  /** The zone that answered (or captured the name without an answer). */
  zoneId?: string;
  zoneName?: string;
  /** Why there is no address, in words a user can act on. */
  reason?: string;
}

interface NetworkShared {
  publicNames: Record<string, string>;
  serviceAddresses: { accountId: string; vpcId: string; ip: string; label: string }[];
}

/** State the network queries keep: public DNS names and service addresses other modules publish. */
export const networkShared = (world: World): NetworkShared => world.shared<NetworkShared>('network', () => ({ publicNames: {}, serviceAddresses: [] }));

/** Publishes a public DNS name (e.g. the registry's Internet endpoint domain when that endpoint is enabled). */
export function registerPublicName(world: World, domain: string, ip: string): void {
  if (!isIpv4(ip)) throw new Error(`registerPublicName: ${ip} is not an IPv4 address`);
  networkShared(world).publicNames[canonicalName(domain)] = ip;
}

/** Withdraws a public DNS name (e.g. the registry's Internet endpoint was disabled). */
export function unregisterPublicName(world: World, domain: string): void {
  delete networkShared(world).publicNames[canonicalName(domain)];
}

/** The address a hosts file gives a name: the first line naming it wins, as glibc reads /etc/hosts. */
export function hostsLookup(lines: readonly string[], name: string): string | undefined {
  const wanted = canonicalName(name);
  for (const line of lines) {
    const [ip, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (ip && isIpv4(ip) && names.some((n) => canonicalName(n) === wanted)) return ip;
  }
  return undefined;
}

/** The most specific zone bound to the VPC whose name is the name or one of its parents. */
function capturingZone(world: World, vpcId: string, name: string): PvtzZoneRecord | undefined {
  return zonesBoundTo(world, vpcId)
    .filter((z) => name === z.zoneName || name.endsWith(`.${z.zoneName}`))
    .sort((a, b) => b.zoneName.length - a.zoneName.length)[0];
}

/** Records answering a host record: exact ones, else the closest wildcard (`*.b` before `*`) when none exist at all. */
function answersFor(records: PvtzRecordRecord[], rr: string): PvtzRecordRecord[] {
  const enabled = records.filter((r) => r.status === 'ENABLE');
  const exact = enabled.filter((r) => r.rr === rr);
  if (exact.length > 0 || rr === '@') return exact;
  const labels = rr.split('.');
  for (let i = 1; i <= labels.length; i++) {
    const wildcard = ['*', ...labels.slice(i)].join('.');
    const hits = enabled.filter((r) => r.rr === wildcard);
    if (hits.length > 0) return hits;
  }
  return [];
}

function resolveDns(world: World, vpcId: string, name: string, depth: number): Resolution {
  if (depth > 8) return { via: 'none', reason: `CNAME chain for ${name} is too long` };
  const zone = capturingZone(world, vpcId, name);
  if (zone) {
    const rr = name === zone.zoneName ? '@' : name.slice(0, -(zone.zoneName.length + 1));
    const answers = answersFor(recordsOf(world, zone), rr);
    const a = answers.find((r) => r.type === 'A');
    if (a) return { ip: a.value, via: 'privatezone', zoneId: zone.zoneId, zoneName: zone.zoneName };
    const cname = answers.find((r) => r.type === 'CNAME');
    if (cname) {
      const target = resolveDns(world, vpcId, canonicalName(cname.value), depth + 1);
      return target.ip ? { ...target, via: 'privatezone', zoneId: zone.zoneId, zoneName: zone.zoneName } : target;
    }
    if (zone.proxyPattern === 'ZONE') {
      const why = answers.length > 0 ? `has no A record for ${rr}` : `has no record ${rr}`;
      return { via: 'privatezone', zoneId: zone.zoneId, zoneName: zone.zoneName, reason: `no such host ${name}: PrivateZone zone ${zone.zoneName} (${zone.zoneId}) bound to ${vpcId} captures it and ${why}` };
    }
    // ProxyPattern RECORD: a name the zone lacks goes on to recursive (public) resolution.
  }
  // The VPC resolver also knows the registry's names: its own PrivateZone record in a linked VPC, the auth and OSS
  // internal domains (100.x addresses), and the public ones.
  const owner = findVpc(world, vpcId)?.accountId;
  const registry = owner ? resolveRegistryName(world, { accountId: owner, vpcId }, name) : undefined;
  if (registry?.addresses[0]) return { ip: registry.addresses[0], via: registry.authoritative ? 'privatezone' : 'public' };
  const ip = networkShared(world).publicNames[name];
  if (ip) return { ip, via: 'public' };
  return { via: 'none', reason: `no such host ${name}: not in /etc/hosts, no PrivateZone zone bound to ${vpcId} holds it, and public DNS does not know it` };
}

/**
 * Resolves `domain` for a node in `vpcId` (of `accountId`) whose /etc/hosts holds `hostsLines`.
 * A PrivateZone zone for a parent domain captures every name below it, so `example.com` bound to the VPC makes
 * `reg.example.com` NXDOMAIN unless the zone has that record (the real behaviour, and why DNS for the
 * registry uses a zone for its exact domain).
 */
export function resolveFromVpc(world: World, accountId: string, vpcId: string, hostsLines: readonly string[], domain: string): Resolution {
  void accountId; // VPC IDs are unique across accounts; the owner is kept in the signature for callers' clarity.
  const name = canonicalName(domain);
  if (isIpv4(name)) return { ip: name, via: 'hosts' };
  const fromHosts = hostsLookup(hostsLines, name);
  if (fromHosts) return { ip: fromHosts, via: 'hosts' };
  return resolveDns(world, vpcId, name, 0);
}
