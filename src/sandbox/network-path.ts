// The network queries a simulated image pull needs: can a node reach an address (routes both ways over an
// Activated peering or a CEN transit-router path), can it reach the Internet (NAT + SNAT + EIP), and what does
// a name resolve to (network-dns.ts). The `reason` strings become the failure events users read, so they name
// the exact table, route, peering or attachment at fault.
import { associationOn, attachmentRouters, settleCen, trRouteFor, trRoutes, type TrAttachmentRecord } from './state/cen.js';
import { cidrContains, cidrWithin } from './state/cidr.js';
import { peerOf, settlePeerings } from './state/peering.js';
import { routeEntriesOf, routesFor, settleVpc, vpcState, type RouteEntryRecord } from './state/vpc.js';
import { networkShared } from './network-dns.js';
import type { World } from './world.js';

export { hostsLookup, registerPublicName, resolveFromVpc, unregisterPublicName, type Resolution } from './network-dns.js';

/** A node: its account, VPC, vSwitch and private address. */
export interface Endpoint {
  accountId: string;
  vpcId: string;
  vSwitchId: string;
  ip: string;
}

export type PathResult = { ok: true; hops: string[] } | { ok: false; reason: string; hops: string[] };

/**
 * Declares an address that lives in a VPC without a vSwitch holding it (the registry's auth-service or OSS
 * address in 100.64.0.0/10 that B reaches through its VPC): routing treats it as reachable inside that VPC.
 */
export function registerServiceAddress(world: World, accountId: string, vpcId: string, ip: string, label: string): void {
  const shared = networkShared(world);
  shared.serviceAddresses = shared.serviceAddresses.filter((s) => !(s.vpcId === vpcId && s.ip === ip));
  shared.serviceAddresses.push({ accountId, vpcId, ip, label });
}

interface Place {
  accountId: string;
  vpcId: string;
  /** The route table replies from this address use: its vSwitch's, or the VPC's system table for a service address. */
  routeTableId: string;
  what: string;
}

/** Where an address lives inside one VPC: in a vSwitch, or as a registered service address. */
function placeIn(world: World, accountId: string, vpcId: string, ip: string): Place | undefined {
  const state = vpcState(world, accountId);
  const vpc = state.vpcs[vpcId];
  if (!vpc) return undefined;
  const vsw = Object.values(state.vswitches).find((v) => v.vpcId === vpcId && cidrContains(v.cidrBlock, ip));
  if (vsw) return { accountId, vpcId, routeTableId: vsw.routeTableId, what: `${vsw.vSwitchId} (${vsw.cidrBlock})` };
  const service = networkShared(world).serviceAddresses.find((s) => s.vpcId === vpcId && s.ip === ip);
  if (service) return { accountId, vpcId, routeTableId: vpc.systemRouteTableId, what: `service address ${ip} (${service.label})` };
  return undefined;
}

/** The VPC an address is meant to be in: a registered service address first, else a VPC (not the source's, if another also holds it). */
function targetOf(world: World, ip: string, sourceVpc: string): Place | undefined {
  // A service address registered in several VPCs (every VPC linked to a registry) is reached in the source's own first.
  const services = networkShared(world).serviceAddresses.filter((s) => s.ip === ip);
  const service = services.find((s) => s.vpcId === sourceVpc) ?? services[0];
  if (service) return placeIn(world, service.accountId, service.vpcId, ip);
  const places: Place[] = [];
  for (const accountId of world.accountIds()) {
    for (const vpc of Object.values(vpcState(world, accountId).vpcs)) {
      const place = placeIn(world, accountId, vpc.vpcId, ip);
      if (place) places.push(place);
    }
  }
  return places.find((p) => p.vpcId !== sourceVpc) ?? places[0];
}

/**
 * The routes a VPC route table effectively has: its own Available entries plus, for the system table of a
 * VPC whose CEN attachment publishes routes automatically (AutoPublishRouteEnabled), the routes of the
 * transit-router table that attachment is associated with.
 */
function effectiveRoutes(world: World, accountId: string, routeTableId: string): RouteEntryRecord[] {
  const table = vpcState(world, accountId).routeTables[routeTableId];
  const own = routeEntriesOf(world, accountId, routeTableId);
  if (!table || vpcState(world, accountId).vpcs[table.vpcId]?.systemRouteTableId !== routeTableId) return own;
  const published: RouteEntryRecord[] = [];
  for (const a of Object.values(settleCen(world).attachments)) {
    if (a.kind !== 'VPC' || a.vpcId !== table.vpcId || !a.autoPublishRouteEnabled || a.status !== 'Attached') continue;
    const link = associationOn(world, a.attachmentId, a.transitRouterId);
    if (!link || link.status !== 'Active') continue;
    for (const r of trRoutes(world, link.routeTableId)) {
      if (r.status !== 'Active' || r.nextHopId === a.attachmentId || own.some((e) => e.destinationCidrBlock === r.destinationCidrBlock)) continue;
      published.push({ routeEntryId: r.entryId, routeTableId, destinationCidrBlock: r.destinationCidrBlock, type: 'Custom', nextHopType: 'Attachment', nextHopId: a.attachmentId, name: 'CEN', description: '', status: 'Available', createdAtMs: r.createdAtMs });
    }
  }
  return [...own, ...published];
}

type Leg = { ok: true; place: Place } | { ok: false; reason: string };

/** Follows a transit-router path from a VPC attachment to the VPC attachment that delivers `ip`. */
function acrossTransitRouters(world: World, first: TrAttachmentRecord, ip: string, hops: string[]): { ok: true; attachment: TrAttachmentRecord } | { ok: false; reason: string } {
  let via = first;
  let router = first.transitRouterId;
  for (let step = 0; step < 4; step++) {
    const link = associationOn(world, via.attachmentId, router);
    if (!link || link.status !== 'Active') {
      return { ok: false, reason: `attachment ${via.attachmentId} is ${link ? `still ${link.status}` : 'not associated'} with a route table of transit router ${router}, so the router does not forward its traffic` };
    }
    const route = trRouteFor(world, link.routeTableId, ip);
    if (!route) return { ok: false, reason: `no route to ${ip} in transit router route table ${link.routeTableId} of ${router}` };
    if (route.nextHopType === 'BlackHole') return { ok: false, reason: `route ${route.destinationCidrBlock} in transit router route table ${link.routeTableId} is a black hole` };
    const next = settleCen(world).attachments[route.nextHopId ?? ''];
    hops.push(`${link.routeTableId}: ${route.destinationCidrBlock} (${route.type}) -> ${route.nextHopId}`);
    if (!next || next.status !== 'Attached') return { ok: false, reason: `route ${route.destinationCidrBlock} in ${link.routeTableId} points to attachment ${route.nextHopId}, which is ${next ? next.status : 'gone'}` };
    if (next.kind === 'VPC') return { ok: true, attachment: next };
    router = attachmentRouters(next).find((t) => t !== router) ?? router;
    hops.push(`inter-region connection ${next.attachmentId} -> ${router}`);
    via = next;
  }
  return { ok: false, reason: `the transit-router path to ${ip} loops` };
}

/** One direction: from a VPC route table to the VPC where `target` says `ip` lives. */
function leg(world: World, from: { accountId: string; vpcId: string; routeTableId: string; origin: string }, ip: string, target: Place, hops: string[]): Leg {
  settleVpc(world, from.accountId);
  const routes = effectiveRoutes(world, from.accountId, from.routeTableId);
  const route = routesFor(routes.filter((e) => e.status === 'Available'), ip)[0];
  const pending = routesFor(routes.filter((e) => e.status === 'Pending'), ip)[0];
  if (!route || (pending && Number(pending.destinationCidrBlock.split('/')[1]) > Number(route.destinationCidrBlock.split('/')[1]))) {
    if (pending) return { ok: false, reason: `route ${pending.routeEntryId} to ${pending.destinationCidrBlock} in route table ${from.routeTableId} of ${from.origin} is still Pending` };
    return { ok: false, reason: `no route to ${ip} in route table ${from.routeTableId} of ${from.origin}` };
  }
  hops.push(`${from.routeTableId}: ${route.destinationCidrBlock} -> ${route.nextHopType === 'local' ? 'local' : `${route.nextHopType} ${route.nextHopId}`}`);
  const arrive = (accountId: string, vpcId: string): Leg => {
    const place = placeIn(world, accountId, vpcId, ip);
    if (!place || vpcId !== target.vpcId) return { ok: false, reason: `traffic to ${ip} reaches ${vpcId}, but ${ip} is in ${target.vpcId} (${target.what})` };
    hops.push(`delivered in ${vpcId}: ${place.what}`);
    return { ok: true, place };
  };
  switch (route.nextHopType) {
    case 'local':
      if (from.vpcId !== target.vpcId) {
        return { ok: false, reason: `${ip} matches the local route ${route.destinationCidrBlock} of ${from.vpcId}, so it never leaves ${from.vpcId}: its CIDR overlaps ${target.vpcId} (${target.what})` };
      }
      return arrive(from.accountId, from.vpcId);
    case 'VpcPeer': {
      const peering = settlePeerings(world).connections[route.nextHopId];
      if (!peering) return { ok: false, reason: `route ${route.destinationCidrBlock} in ${from.routeTableId} points to peering ${route.nextHopId}, which no longer exists` };
      if (peering.status !== 'Activated') return { ok: false, reason: `peering ${peering.instanceId} is ${peering.status}, not Activated` };
      const far = peerOf(peering, from.vpcId);
      if (!far) return { ok: false, reason: `peering ${peering.instanceId} does not connect ${from.vpcId}` };
      hops.push(`peering ${peering.instanceId} (Activated) -> ${far.vpcId}`);
      return arrive(far.accountId, far.vpcId);
    }
    case 'Attachment': {
      const attachment = settleCen(world).attachments[route.nextHopId];
      if (!attachment || attachment.status !== 'Attached') {
        return { ok: false, reason: `route ${route.destinationCidrBlock} in ${from.routeTableId} points to attachment ${route.nextHopId}, which is ${attachment ? attachment.status : 'gone'}` };
      }
      const path = acrossTransitRouters(world, attachment, ip, hops);
      if (!path.ok) return path;
      return arrive(path.attachment.vpcOwnerId ?? '', path.attachment.vpcId ?? '');
    }
    default:
      return { ok: false, reason: `route ${route.destinationCidrBlock} in ${from.routeTableId} sends ${ip} to ${route.nextHopType} ${route.nextHopId}, not towards ${target.vpcId}` };
  }
}

/**
 * Whether a node can open a connection to `toIp`: a route there from the node's vSwitch route table (longest
 * prefix match) over an Activated peering or a transit-router path, AND a route back from the destination to
 * the node (return traffic needs one). `toVpcId` names the VPC the address is in when CIDRs overlap.
 */
export function routeBetween(world: World, from: Endpoint, toIp: string, options: { toVpcId?: string } = {}): PathResult {
  const hops: string[] = [];
  const source = vpcState(world, from.accountId).vswitches[from.vSwitchId];
  if (!source || source.vpcId !== from.vpcId) return { ok: false, reason: `vSwitch ${from.vSwitchId} is not in ${from.vpcId}`, hops };
  let target = targetOf(world, toIp, from.vpcId);
  if (options.toVpcId) {
    const owner = world.accountIds().find((a) => vpcState(world, a).vpcs[options.toVpcId!]);
    target = owner ? placeIn(world, owner, options.toVpcId, toIp) : undefined;
    if (!target) return { ok: false, reason: `${toIp} is not an address in ${options.toVpcId}`, hops };
  }
  if (!target) return { ok: false, reason: `${toIp} is in no VPC the sandbox knows (no vSwitch CIDR or registered service address holds it)`, hops };
  const there = leg(world, { accountId: from.accountId, vpcId: from.vpcId, routeTableId: source.routeTableId, origin: `vSwitch ${source.vSwitchId}` }, toIp, target, hops);
  if (!there.ok) return { ok: false, reason: there.reason, hops };
  const home = placeIn(world, from.accountId, from.vpcId, from.ip);
  if (!home) return { ok: false, reason: `${from.ip} is not inside vSwitch ${from.vSwitchId}`, hops };
  hops.push('return:');
  const origin = there.place.what.startsWith('service') ? `${there.place.vpcId} (system table, for ${there.place.what})` : `vSwitch ${there.place.what.split(' ')[0]}`;
  const back = leg(world, { accountId: there.place.accountId, vpcId: there.place.vpcId, routeTableId: there.place.routeTableId, origin }, from.ip, home, hops);
  if (!back.ok) return { ok: false, reason: `no return path from ${toIp} to ${from.ip}: ${back.reason}`, hops };
  return { ok: true, hops };
}

/**
 * Whether a vSwitch reaches the Internet: its route table sends 0.0.0.0/0 to an Internet NAT gateway of the
 * VPC, and an Available SNAT entry of that gateway covers the vSwitch with EIPs bound to the gateway.
 * `ips` are the public addresses the Internet sees (what a registry ACL must allow).
 */
export function publicEgress(world: World, accountId: string, vpcId: string, vSwitchId: string): { ok: boolean; ips: string[]; reason?: string } {
  const state = settleVpc(world, accountId);
  const vsw = state.vswitches[vSwitchId];
  if (!vsw || vsw.vpcId !== vpcId) return { ok: false, ips: [], reason: `vSwitch ${vSwitchId} is not in ${vpcId}` };
  const route = routesFor(routeEntriesOf(world, accountId, vsw.routeTableId).filter((e) => e.status === 'Available'), '8.8.8.8')[0];
  if (!route) return { ok: false, ips: [], reason: `route table ${vsw.routeTableId} of vSwitch ${vSwitchId} has no route to the Internet (0.0.0.0/0 to a NAT gateway)` };
  if (route.nextHopType !== 'NatGateway') return { ok: false, ips: [], reason: `route ${route.destinationCidrBlock} in ${vsw.routeTableId} sends Internet traffic to ${route.nextHopType} ${route.nextHopId}, not to a NAT gateway` };
  const nat = state.natGateways[route.nextHopId];
  if (!nat || nat.vpcId !== vpcId) return { ok: false, ips: [], reason: `route ${route.destinationCidrBlock} in ${vsw.routeTableId} points to NAT gateway ${route.nextHopId}, which does not exist in ${vpcId}` };
  if ((nat.networkType ?? 'internet') !== 'internet') return { ok: false, ips: [], reason: `NAT gateway ${nat.natGatewayId} is a VPC NAT gateway, not an Internet NAT gateway` };
  const entries = Object.values(state.snatEntries).filter((s) => s.natGatewayId === nat.natGatewayId);
  const covering =
    entries.find((s) => s.sourceVSwitchId === vSwitchId) ??
    entries.find((s) => s.sourceCidr !== undefined && cidrWithin(vsw.cidrBlock, s.sourceCidr)) ??
    undefined;
  if (!covering) return { ok: false, ips: [], reason: `NAT gateway ${nat.natGatewayId} has no SNAT entry for vSwitch ${vSwitchId} (${vsw.cidrBlock})` };
  if (covering.status === 'Pending') return { ok: false, ips: [], reason: `SNAT entry ${covering.snatEntryId} of ${nat.natGatewayId} is still Pending` };
  const bound = new Set(Object.values(state.eips).filter((e) => e.instanceId === nat.natGatewayId).map((e) => e.ipAddress));
  const ips = covering.snatIp.split(',').filter((ip) => bound.has(ip));
  if (ips.length === 0) return { ok: false, ips: [], reason: `SNAT entry ${covering.snatEntryId} of ${nat.natGatewayId} uses ${covering.snatIp}, no longer an EIP of the gateway` };
  return { ok: true, ips };
}
