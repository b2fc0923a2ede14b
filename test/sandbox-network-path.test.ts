// The network queries behind a simulated image pull: routeBetween (both directions, peering and CEN), name
// resolution from a VPC (hosts, PrivateZone exact and parent zones, public DNS), and public egress.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { publicEgress, registerPublicName, registerServiceAddress, resolveFromVpc, routeBetween, type Endpoint } from '../src/sandbox/network-path.js';
import { createWorld } from '../src/sandbox/scenarios.js';
import { settlePeerings } from '../src/sandbox/state/peering.js';
import { addRouteEntry, seedNatGateway, vpcState } from '../src/sandbox/state/vpc.js';
import type { World } from '../src/sandbox/world.js';
import { direct } from './helpers/sandbox-network.js';

interface Net {
  world: World;
  A: string;
  B: string;
  vpcA: string;
  vpcB: string;
  rtA: string;
  rtB: string;
  vswA: string;
  vswB: string;
  regionA: string;
  regionB: string;
  node: Endpoint;
}

function net(scenario: string): Net {
  const world = createWorld(scenario);
  const meta = world.data.shared.sandbox as { accounts: { A: string; B: string }; facts: Record<string, string> };
  const { A, B } = meta.accounts;
  const vpcA = meta.facts.vpcA!;
  const vpcB = meta.facts.vpcB!;
  const a = vpcState(world, A);
  const b = vpcState(world, B);
  const vswA = Object.values(a.vswitches).find((v) => v.vpcId === vpcA)!;
  const vswB = Object.values(b.vswitches).find((v) => v.vpcId === vpcB)!;
  return {
    world,
    A,
    B,
    vpcA,
    vpcB,
    rtA: a.vpcs[vpcA]!.systemRouteTableId,
    rtB: b.vpcs[vpcB]!.systemRouteTableId,
    vswA: vswA.vSwitchId,
    vswB: vswB.vSwitchId,
    regionA: meta.facts.regionA!,
    regionB: meta.facts.regionB!,
    node: { accountId: A, vpcId: vpcA, vSwitchId: vswA.vSwitchId, ip: vswA.cidrBlock.replace(/0\/24$/, '10') },
  };
}

/** Lets simulated time pass (each direct call also ticks 5 s). */
const wait = (n: Net, ms = 60_000) => n.world.advance(ms);

async function activePeering(n: Net): Promise<string> {
  const { InstanceId } = await direct(n.world, n.A, 'vpcpeer', 'CreateVpcPeerConnection', { RegionId: n.regionA, VpcId: n.vpcA, AcceptingAliUid: Number(n.B), AcceptingRegionId: n.regionB, AcceptingVpcId: n.vpcB });
  wait(n);
  await direct(n.world, n.B, 'vpcpeer', 'AcceptVpcPeerConnection', { InstanceId });
  wait(n);
  return InstanceId;
}

async function route(n: Net, account: string, table: string, cidr: string, type: string, id: string, region: string): Promise<string> {
  const { RouteEntryId } = await direct(n.world, account, 'vpc', 'CreateRouteEntry', { RegionId: region, RouteTableId: table, DestinationCidrBlock: cidr, NextHopType: type, NextHopId: id });
  wait(n);
  return RouteEntryId;
}

describe('routeBetween over VPC peering', () => {
  const registry = '172.16.0.20';

  it('finds the path both ways when each side routes to the other over an Activated peering', async () => {
    const n = net('bare');
    const pcc = await activePeering(n);
    await route(n, n.A, n.rtA, '172.16.0.0/16', 'VpcPeer', pcc, n.regionA);
    await route(n, n.B, n.rtB, '192.168.0.0/16', 'VpcPeer', pcc, n.regionB);
    const result = routeBetween(n.world, n.node, registry);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.hops, [
      `${n.rtA}: 172.16.0.0/16 -> VpcPeer ${pcc}`,
      `peering ${pcc} (Activated) -> ${n.vpcB}`,
      `delivered in ${n.vpcB}: ${n.vswB} (172.16.0.0/24)`,
      'return:',
      `${n.rtB}: 192.168.0.0/16 -> VpcPeer ${pcc}`,
      `peering ${pcc} (Activated) -> ${n.vpcA}`,
      `delivered in ${n.vpcA}: ${n.vswA} (192.168.0.0/24)`,
    ]);
  });

  it('reports a missing return route', async () => {
    const n = net('bare');
    const pcc = await activePeering(n);
    await route(n, n.A, n.rtA, '172.16.0.0/16', 'VpcPeer', pcc, n.regionA);
    const result = routeBetween(n.world, n.node, registry);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, `no return path from ${registry} to ${n.node.ip}: no route to ${n.node.ip} in route table ${n.rtB} of vSwitch ${n.vswB}`);
  });

  it('reports no route at all, and a route still Pending', async () => {
    const n = net('bare');
    assert.deepEqual(routeBetween(n.world, n.node, registry), { ok: false, reason: `no route to ${registry} in route table ${n.rtA} of vSwitch ${n.vswA}`, hops: [] });
    const pcc = await activePeering(n);
    const { RouteEntryId } = await direct(n.world, n.A, 'vpc', 'CreateRouteEntry', { RegionId: n.regionA, RouteTableId: n.rtA, DestinationCidrBlock: '172.16.0.20/32', NextHopType: 'VpcPeer', NextHopId: pcc });
    const result = routeBetween(n.world, n.node, registry);
    assert.equal(!result.ok && result.reason, `route ${RouteEntryId} to 172.16.0.20/32 in route table ${n.rtA} of vSwitch ${n.vswA} is still Pending`);
  });

  it('reports a peering that is not yet accepted', async () => {
    const n = net('bare');
    const { InstanceId } = await direct(n.world, n.A, 'vpcpeer', 'CreateVpcPeerConnection', { RegionId: n.regionA, VpcId: n.vpcA, AcceptingAliUid: Number(n.B), AcceptingRegionId: n.regionB, AcceptingVpcId: n.vpcB });
    wait(n);
    assert.equal(settlePeerings(n.world).connections[InstanceId]?.status, 'Accepting');
    // The API refuses such a route (IncorrectStatus.VpcPeer); a stale one, e.g. from before a re-creation, is seeded directly.
    addRouteEntry(n.world, n.A, { routeTableId: n.rtA, destinationCidrBlock: '172.16.0.0/16', type: 'Custom', nextHopType: 'VpcPeer', nextHopId: InstanceId, status: 'Available' });
    assert.equal((routeBetween(n.world, n.node, registry) as { reason: string }).reason, `peering ${InstanceId} is Accepting, not Activated`);
  });

  it('reaches a service address registered in B: the /32 route there and B back', async () => {
    const n = net('bare');
    const auth = '100.103.7.181';
    registerServiceAddress(n.world, n.B, n.vpcB, auth, 'auth-service');
    const pcc = await activePeering(n);
    assert.match((routeBetween(n.world, n.node, auth) as { reason: string }).reason, /no route to 100\.103\.7\.181 in route table/);
    await route(n, n.A, n.rtA, `${auth}/32`, 'VpcPeer', pcc, n.regionA);
    assert.match((routeBetween(n.world, n.node, auth) as { reason: string }).reason, new RegExp(`no return path .*system table, for service address ${auth.replace(/\./g, '\\.')} \\(auth-service\\)`));
    await route(n, n.B, n.rtB, '192.168.0.0/16', 'VpcPeer', pcc, n.regionB);
    assert.equal(routeBetween(n.world, n.node, auth).ok, true);
  });

  it('keeps an address that overlaps a local vSwitch inside the source VPC', async () => {
    const n = net('bare-overlapping-cidrs');
    const pcc = await activePeering(n);
    await route(n, n.A, n.rtA, '0.0.0.0/0', 'VpcPeer', pcc, n.regionA);
    const result = routeBetween(n.world, n.node, '192.168.0.20', { toVpcId: n.vpcB });
    assert.equal(!result.ok && result.reason, `192.168.0.20 matches the local route 192.168.0.0/24 of ${n.vpcA}, so it never leaves ${n.vpcA}: its CIDR overlaps ${n.vpcB} (${n.vswB} (192.168.0.0/24))`);
  });
});

describe('routeBetween over CEN transit routers, across regions', () => {
  it('follows VPC route -> TR table -> inter-region connection -> TR table -> B, and back', async () => {
    const n = net('bare-cross-region');
    const { world, A, B } = n;
    const auth = '100.103.7.181';
    registerServiceAddress(world, B, n.vpcB, auth, 'auth-service');
    const { CenId } = await direct(world, A, 'cbn', 'CreateCen', { Name: 'acr-xaccount' });
    wait(n);
    const { TransitRouterId: trA } = await direct(world, A, 'cbn', 'CreateTransitRouter', { CenId, RegionId: n.regionA });
    const { TransitRouterId: trB } = await direct(world, A, 'cbn', 'CreateTransitRouter', { CenId, RegionId: n.regionB });
    wait(n);
    await direct(world, B, 'vpc', 'GrantInstanceToCen', { RegionId: n.regionB, InstanceId: n.vpcB, InstanceType: 'VPC', CenId, CenOwnerId: Number(A) });
    const zones = (owner: string, vpcId: string) => Object.values(vpcState(world, owner).vswitches).filter((v) => v.vpcId === vpcId).map((v) => ({ VSwitchId: v.vSwitchId, ZoneId: v.zoneId }));
    const { TransitRouterAttachmentId: attA } = await direct(world, A, 'cbn', 'CreateTransitRouterVpcAttachment', { RegionId: n.regionA, TransitRouterId: trA, VpcId: n.vpcA, ZoneMappings: zones(A, n.vpcA) });
    const { TransitRouterAttachmentId: attB } = await direct(world, A, 'cbn', 'CreateTransitRouterVpcAttachment', { RegionId: n.regionB, TransitRouterId: trB, VpcId: n.vpcB, VpcOwnerId: Number(B), ZoneMappings: zones(B, n.vpcB) });
    const { TransitRouterAttachmentId: peer } = await direct(world, A, 'cbn', 'CreateTransitRouterPeerAttachment', { TransitRouterId: trA, RegionId: n.regionA, PeerTransitRouterId: trB, PeerTransitRouterRegionId: n.regionB });
    wait(n);
    const tables = await direct(world, A, 'cbn', 'ListTransitRouterRouteTables', { TransitRouterId: trA });
    const tablesB = await direct(world, A, 'cbn', 'ListTransitRouterRouteTables', { TransitRouterId: trB });
    const [rtTrA, rtTrB] = [tables.TransitRouterRouteTables[0].TransitRouterRouteTableId, tablesB.TransitRouterRouteTables[0].TransitRouterRouteTableId];
    for (const [att, rt] of [[attA, rtTrA], [attB, rtTrB]]) {
      await direct(world, A, 'cbn', 'AssociateTransitRouterAttachmentWithRouteTable', { TransitRouterAttachmentId: att, TransitRouterRouteTableId: rt });
      await direct(world, A, 'cbn', 'EnableTransitRouterRouteTablePropagation', { TransitRouterAttachmentId: att, TransitRouterRouteTableId: rt });
    }
    wait(n);
    await route(n, A, n.rtA, '172.16.0.0/16', 'Attachment', attA, n.regionA);
    await route(n, A, n.rtA, `${auth}/32`, 'Attachment', attA, n.regionA);
    await route(n, B, n.rtB, '192.168.0.0/16', 'Attachment', attB, n.regionB);

    // The registry address in a vSwitch is learned across regions; the service address needs a static TR route.
    const toRegistry = routeBetween(world, n.node, '172.16.0.20');
    assert.equal(toRegistry.ok, true, JSON.stringify(toRegistry));
    assert.deepEqual(toRegistry.hops.slice(0, 4), [
      `${n.rtA}: 172.16.0.0/16 -> Attachment ${attA}`,
      `${rtTrA}: 172.16.0.0/24 (Propagated) -> ${peer}`,
      `inter-region connection ${peer} -> ${trB}`,
      `${rtTrB}: 172.16.0.0/24 (Propagated) -> ${attB}`,
    ]);
    assert.equal((routeBetween(world, n.node, auth) as { reason: string }).reason, `no route to ${auth} in transit router route table ${rtTrA} of ${trA}`);
    await direct(world, A, 'cbn', 'CreateTransitRouterRouteEntry', { TransitRouterRouteTableId: rtTrB, TransitRouterRouteEntryDestinationCidrBlock: `${auth}/32`, TransitRouterRouteEntryNextHopType: 'Attachment', TransitRouterRouteEntryNextHopId: attB });
    wait(n);
    assert.equal(routeBetween(world, n.node, auth).ok, true, 'the static route on B side is advertised across the inter-region connection');
    // Without the association the router does not forward the attachment's traffic.
    await direct(world, A, 'cbn', 'DissociateTransitRouterAttachmentFromRouteTable', { TransitRouterAttachmentId: attA, TransitRouterRouteTableId: rtTrA });
    wait(n);
    assert.equal((routeBetween(world, n.node, auth) as { reason: string }).reason, `attachment ${attA} is not associated with a route table of transit router ${trA}, so the router does not forward its traffic`);
  });
});

describe('resolveFromVpc: hosts, PrivateZone, public DNS', () => {
  const registry = 'acr-b-registry-vpc.cn-hangzhou.cr.aliyuncs.com';

  async function zone(n: Net, name: string, records: [string, string][], options: { proxy?: 'ZONE' | 'RECORD'; vpcId?: string } = {}): Promise<string> {
    const { ZoneId } = await direct(n.world, n.A, 'pvtz', 'AddZone', { ZoneName: name, ProxyPattern: options.proxy });
    for (const [rr, value] of records) await direct(n.world, n.A, 'pvtz', 'AddZoneRecord', { ZoneId, Rr: rr, Type: 'A', Value: value });
    await direct(n.world, n.A, 'pvtz', 'BindZoneVpc', { ZoneId, Vpcs: [{ VpcId: options.vpcId ?? n.vpcA, RegionId: n.regionA }] });
    return ZoneId;
  }

  it('answers from a zone for the exact domain with an @ record', async () => {
    const n = net('bare');
    const zoneId = await zone(n, registry, [['@', '172.16.0.20']]);
    assert.deepEqual(resolveFromVpc(n.world, n.A, n.vpcA, [], registry), { ip: '172.16.0.20', via: 'privatezone', zoneId, zoneName: registry });
    assert.equal(resolveFromVpc(n.world, n.A, 'vpc-elsewhere', [], registry).via, 'none', 'only VPCs the zone is bound to see it');
  });

  it('captures every name below a parent zone: an unmatched name is NXDOMAIN, not public', async () => {
    const n = net('bare');
    registerPublicName(n.world, registry, '47.99.1.2');
    const zoneId = await zone(n, 'cr.aliyuncs.com', [['other-registry-vpc.cn-hangzhou', '10.0.0.5']]);
    const result = resolveFromVpc(n.world, n.A, n.vpcA, [], registry);
    assert.equal(result.ip, undefined);
    assert.equal(result.via, 'privatezone');
    assert.equal(result.reason, `no such host ${registry}: PrivateZone zone cr.aliyuncs.com (${zoneId}) bound to ${n.vpcA} captures it and has no record acr-b-registry-vpc.cn-hangzhou`);
    assert.equal(resolveFromVpc(n.world, n.A, n.vpcA, [], 'other-registry-vpc.cn-hangzhou.cr.aliyuncs.com').ip, '10.0.0.5');
  });

  it('lets a RECORD-proxy zone fall through to public DNS, and a more specific zone win', async () => {
    const n = net('bare');
    registerPublicName(n.world, registry, '47.99.1.2');
    await zone(n, 'aliyuncs.com', [], { proxy: 'RECORD' });
    assert.deepEqual(resolveFromVpc(n.world, n.A, n.vpcA, [], registry), { ip: '47.99.1.2', via: 'public' });
    await zone(n, registry, [['@', '172.16.0.20']]);
    assert.equal(resolveFromVpc(n.world, n.A, n.vpcA, [], registry).ip, '172.16.0.20');
  });

  it('prefers the hosts file, and says "none" for an unknown name', async () => {
    const n = net('bare');
    await zone(n, registry, [['@', '172.16.0.20']]);
    const hosts = ['127.0.0.1 localhost', '# acr-xaccount begin', `172.16.0.99   ${registry.toUpperCase()}  # pinned`, '# acr-xaccount end'];
    assert.deepEqual(resolveFromVpc(n.world, n.A, n.vpcA, hosts, registry), { ip: '172.16.0.99', via: 'hosts' });
    const unknown = resolveFromVpc(n.world, n.A, n.vpcA, hosts, 'nothing.example.com');
    assert.equal(unknown.via, 'none');
    assert.match(unknown.reason ?? '', /^no such host nothing\.example\.com/);
  });

  it('answers wildcard records for names the zone lacks', async () => {
    const n = net('bare');
    await zone(n, 'svc.internal', [['*', '10.9.9.9'], ['api', '10.1.1.1']]);
    assert.equal(resolveFromVpc(n.world, n.A, n.vpcA, [], 'api.svc.internal').ip, '10.1.1.1');
    assert.equal(resolveFromVpc(n.world, n.A, n.vpcA, [], 'x.y.svc.internal').ip, '10.9.9.9');
  });
});

describe('publicEgress', () => {
  it('needs a default route to an Internet NAT gateway and an SNAT entry for the vSwitch', async () => {
    const n = net('bare');
    assert.deepEqual(publicEgress(n.world, n.A, n.vpcA, n.vswA), { ok: false, ips: [], reason: `route table ${n.rtA} of vSwitch ${n.vswA} has no route to the Internet (0.0.0.0/0 to a NAT gateway)` });
    const other = Object.values(vpcState(n.world, n.A).vswitches).find((v) => v.vpcId === n.vpcA && v.vSwitchId !== n.vswA)!;
    const { natGateway, eips } = seedNatGateway(n.world, n.A, { vpcId: n.vpcA, vSwitchId: other.vSwitchId, snatVSwitchIds: [other.vSwitchId] });
    assert.deepEqual(publicEgress(n.world, n.A, n.vpcA, other.vSwitchId), { ok: true, ips: [eips[0]!.ipAddress] });
    assert.deepEqual(publicEgress(n.world, n.A, n.vpcA, n.vswA), { ok: false, ips: [], reason: `NAT gateway ${natGateway.natGatewayId} has no SNAT entry for vSwitch ${n.vswA} (192.168.0.0/24)` });
    const { SnatEntryId } = await direct(n.world, n.A, 'vpc', 'CreateSnatEntry', { RegionId: n.regionA, SnatTableId: natGateway.snatTableId, SourceVSwitchId: n.vswA, SnatIp: eips[0]!.ipAddress });
    assert.equal(publicEgress(n.world, n.A, n.vpcA, n.vswA).reason, `SNAT entry ${SnatEntryId} of ${natGateway.natGatewayId} is still Pending`);
    wait(n);
    await direct(n.world, n.A, 'vpc', 'DescribeSnatTableEntries', { RegionId: n.regionA, NatGatewayId: natGateway.natGatewayId });
    assert.deepEqual(publicEgress(n.world, n.A, n.vpcA, n.vswA), { ok: true, ips: [eips[0]!.ipAddress] });
  });
});
