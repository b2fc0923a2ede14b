// The sandbox's network APIs (Vpc, VpcPeer, Cbn, pvtz) driven by the tool's real clients: the flows the tool
// runs, the rules the cloud enforces (each with its error code), and states moving over simulated time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import * as cbn from '../src/cloud/cbn.js';
import * as cbnRoutes from '../src/cloud/cbn-routes.js';
import * as pvtz from '../src/cloud/pvtz.js';
import type { Cloud } from '../src/cloud/session.js';
import * as vpc from '../src/cloud/vpc.js';
import * as peer from '../src/cloud/vpcpeer.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { seedNatGateway, vpcState } from '../src/sandbox/state/vpc.js';
import { cloudFor, until } from './helpers/sandbox-network.js';

const code = (expected: string) => (e: { code?: string; message?: string }) => {
  assert.equal(e.code, expected, `expected ${expected}, got ${e.code}: ${e.message}`);
  return true;
};

describe('sandbox Vpc: reads, routes, NAT and tags through the real Vpc client', () => {
  let sandbox: RunningSandbox;
  let cloud: Cloud;
  let vpcA: string;
  before(async () => {
    sandbox = await startSandbox({ ephemeral: true, scenario: 'bare' });
    cloud = cloudFor(sandbox);
    vpcA = String(sandbox.meta.facts.vpcA);
  });
  after(() => sandbox.close());

  it('describes the seeded VPC, its vSwitches, route table and system routes', async () => {
    const A = cloud.account('A');
    const attr = await vpc.describeVpcAttribute(A, vpcA);
    assert.equal(attr?.cidrBlock, '192.168.0.0/16');
    assert.equal(attr?.ownerId, Number(sandbox.accounts.A.accountId));
    assert.equal(attr?.vSwitchIds.length, 2);
    assert.equal(await vpc.describeVpcAttribute(A, 'vpc-nosuch'), undefined, 'InvalidVpcId.NotFound reads as absent');
    assert.equal(await vpc.describeVpcAttribute(cloud.account('B'), vpcA), undefined, "another account's VPC is not found");
    assert.deepEqual((await vpc.describeVpcs(A)).map((v) => v.vpcId), [vpcA]);
    const vsws = await vpc.describeVSwitches(A, { vpcId: vpcA });
    assert.deepEqual(vsws.map((v) => v.cidrBlock), ['192.168.0.0/24', '192.168.1.0/24']);
    assert.equal(vsws[0]!.availableIpAddressCount, 252);
    const one = await vpc.describeVSwitchAttributes(A, vsws[0]!.vSwitchId);
    assert.equal(one?.routeTableType, 'System');
    const tables = await vpc.describeRouteTableList(A, { vpcId: vpcA });
    assert.equal(tables.length, 1);
    assert.deepEqual(tables[0]!.vSwitchIds.sort(), vsws.map((v) => v.vSwitchId).sort());
    const entries = await vpc.describeRouteEntryList(A, { routeTableId: tables[0]!.routeTableId });
    assert.deepEqual(entries.map((e) => [e.destinationCidrBlock, e.type, e.nextHops[0]!.nextHopType]), [
      ['192.168.0.0/24', 'System', 'local'],
      ['192.168.1.0/24', 'System', 'local'],
    ]);
  });

  it('refuses route entries the cloud refuses, each with its code', async () => {
    const A = cloud.account('A');
    const [table] = await vpc.describeRouteTableList(A, { vpcId: vpcA });
    const rt = table!.routeTableId;
    const vSwitchId = Object.values(vpcState(sandbox.world, sandbox.accounts.A.accountId).vswitches).find((v) => v.vpcId === vpcA)!.vSwitchId;
    const nat = seedNatGateway(sandbox.world, sandbox.accounts.A.accountId, { vpcId: vpcA, vSwitchId, defaultRoute: false }).natGateway;
    await assert.rejects(vpc.createRouteEntry(A, { routeTableId: rt, destinationCidrBlock: '192.168.0.0/25', nextHopType: 'NatGateway', nextHopId: nat.natGatewayId }), code('OperationUnsupported.DestinationCidrBlockOverlapWithVSwitch'));
    await assert.rejects(vpc.createRouteEntry(A, { routeTableId: rt, destinationCidrBlock: '10.0.0.300/32', nextHopType: 'NatGateway', nextHopId: nat.natGatewayId }), code('InvalidCidrBlock.Malformed'));
    await assert.rejects(vpc.createRouteEntry(A, { routeTableId: rt, destinationCidrBlock: '10.1.0.0/16', nextHopType: 'VpcPeer', nextHopId: 'pcc-nosuch' }), code('ResourceNotFound.VpcPeer'));
    await assert.rejects(vpc.createRouteEntry(A, { routeTableId: rt, destinationCidrBlock: '10.1.0.0/16', nextHopType: 'Attachment', nextHopId: 'tr-attach-nosuch' }), code('InvalidAttachment.NotFound'));
    await assert.rejects(vpc.createRouteEntry(A, { routeTableId: 'vtb-nosuch', destinationCidrBlock: '10.1.0.0/16', nextHopType: 'NatGateway', nextHopId: nat.natGatewayId }), code('InvalidRouteTableId.NotFound'));
    // A route that contains a vSwitch CIDR is allowed (documented); it starts Pending and becomes Available.
    const id = await vpc.createRouteEntry(A, { routeTableId: rt, destinationCidrBlock: '0.0.0.0/0', nextHopType: 'NatGateway', nextHopId: nat.natGatewayId, routeEntryName: 'egress' });
    const pending = await vpc.describeRouteEntryList(A, { routeTableId: rt, destinationCidrBlock: '0.0.0.0/0' });
    assert.equal(pending[0]!.status, 'Pending');
    await assert.rejects(vpc.createRouteEntry(A, { routeTableId: rt, destinationCidrBlock: '0.0.0.0/0', nextHopType: 'NatGateway', nextHopId: nat.natGatewayId }), code('RouterEntryConflict.Duplicated'));
    const ready = await until(() => vpc.describeRouteEntryList(A, { routeTableId: rt, destinationCidrBlock: '0.0.0.0/0' }), (l) => l[0]?.status === 'Available');
    assert.equal(ready[0]!.routeEntryId, id);
    const system = (await vpc.describeRouteEntryList(A, { routeTableId: rt })).find((e) => e.type === 'System')!;
    await assert.rejects(vpc.deleteRouteEntry(A, { routeEntryId: system.routeEntryId }), code('OperationDenied'));
    assert.equal(await vpc.deleteRouteEntry(A, { routeTableId: rt, destinationCidrBlock: '0.0.0.0/0' }), true);
    await until(() => vpc.describeRouteEntryList(A, { routeTableId: rt, destinationCidrBlock: '0.0.0.0/0' }), (l) => l.length === 0);
    assert.equal(await vpc.deleteRouteEntry(A, { routeTableId: rt, destinationCidrBlock: '0.0.0.0/0' }), false, 'InvalidRouteEntry.NotFound reads as absent');
  });

  it('reads NAT gateways, SNAT entries and EIPs', async () => {
    const A = cloud.account('A');
    const nats = await vpc.describeNatGateways(A, { vpcId: vpcA });
    assert.equal(nats.length, 1);
    const [nat] = nats;
    assert.equal(nat!.ipList.length, 1);
    assert.equal(nat!.ipList[0]!.snatEntryEnabled, true);
    const snat = await vpc.describeSnatTableEntries(A, { natGatewayId: nat!.natGatewayId });
    assert.equal(snat.length, 2, 'one SNAT entry per vSwitch');
    assert.deepEqual(snat[0]!.snatIps, [nat!.ipList[0]!.ipAddress]);
    const eips = await vpc.describeEipAddresses(A, { associatedInstanceId: nat!.natGatewayId, associatedInstanceType: 'Nat' });
    assert.deepEqual(eips.map((e) => [e.ipAddress, e.status, e.instanceType]), [[nat!.ipList[0]!.ipAddress, 'InUse', 'Nat']]);
    await assert.rejects(vpc.describeSnatTableEntries(A, {}), code('DESCRIBE_SNAT_PARAM_INVALID'));
  });

  it('tags VPC resources and finds them by tag', async () => {
    const A = cloud.account('A');
    await vpc.tagResources(A, { resourceType: 'VPC', resourceIds: [vpcA], tags: { 'managed-by': 'acr-xaccount' } });
    const found = await vpc.listTagResources(A, { resourceType: 'VPC', tags: { 'managed-by': 'acr-xaccount' } });
    assert.deepEqual(found, [{ resourceId: vpcA, resourceType: 'VPC', tagKey: 'managed-by', tagValue: 'acr-xaccount' }]);
    assert.deepEqual((await vpc.describeVpcAttribute(A, vpcA))?.tags, { 'managed-by': 'acr-xaccount' });
    await assert.rejects(vpc.tagResources(A, { resourceType: 'VPC', resourceIds: ['vpc-nosuch'], tags: { a: 'b' } }), code('InvalidInstanceIds.NotFound'));
    await assert.rejects(vpc.tagResources(A, { resourceType: 'VPC', resourceIds: [vpcA], tags: { 'aliyun-x': 'b' } }), code('InvalidTagKey'));
  });
});

describe('sandbox VpcPeer: the cross-account handshake over simulated time', () => {
  let sandbox: RunningSandbox;
  let cloud: Cloud;
  let vpcA: string;
  let vpcB: string;
  before(async () => {
    sandbox = await startSandbox({ ephemeral: true, scenario: 'bare' });
    cloud = cloudFor(sandbox);
    vpcA = String(sandbox.meta.facts.vpcA);
    vpcB = String(sandbox.meta.facts.vpcB);
  });
  after(() => sandbox.close());

  it('creates in A, waits in Accepting for B, activates after B accepts; routes follow the rules', async () => {
    const A = cloud.account('A');
    const B = cloud.account('B');
    const id = await peer.createVpcPeerConnection(A, { vpcId: vpcA, acceptingAliUid: sandbox.accounts.B.accountId, acceptingRegionId: 'cn-hangzhou', acceptingVpcId: vpcB, name: 'acr-xaccount-peer' });
    const first = await peer.getVpcPeerConnectionAttribute(A, id);
    assert.equal(first?.status, 'Creating');
    assert.equal(first?.bandwidth, -1, 'intra-region peering is unlimited');
    await assert.rejects(
      peer.createVpcPeerConnection(A, { vpcId: vpcA, acceptingAliUid: sandbox.accounts.B.accountId, acceptingRegionId: 'cn-hangzhou', acceptingVpcId: vpcB }),
      code('ResourceAlreadyExist.VpcPeer'),
    );
    const accepting = await until(() => peer.getVpcPeerConnectionAttribute(B, id), (c) => c?.status === 'Accepting');
    assert.equal(accepting?.acceptingOwnerUid, sandbox.accounts.B.accountId);
    assert.deepEqual(accepting?.acceptingVpc.ipv4Cidrs, ['172.16.0.0/16']);
    // A cannot accept its own request; a route to a peering that is not Activated is refused.
    await assert.rejects(peer.acceptVpcPeerConnection(A, id), code('ResourceNotFound.InstanceId'));
    const [tableA] = await vpc.describeRouteTableList(A, { vpcId: vpcA });
    await assert.rejects(vpc.createRouteEntry(A, { routeTableId: tableA!.routeTableId, destinationCidrBlock: '172.16.0.0/16', nextHopType: 'VpcPeer', nextHopId: id }), code('IncorrectStatus.VpcPeer'));
    // Both sides list it, filtering by either VPC (sent comma-joined).
    assert.deepEqual((await peer.listVpcPeerConnections(B, { vpcIds: ['vpc-other', vpcB] })).map((c) => c.instanceId), [id]);
    assert.deepEqual((await peer.listVpcPeerConnections(A, { vpcIds: [vpcA] })).map((c) => c.status), ['Accepting']);
    await peer.acceptVpcPeerConnection(B, id);
    assert.equal((await peer.getVpcPeerConnectionAttribute(A, id))?.status, 'Updating');
    await assert.rejects(peer.acceptVpcPeerConnection(B, id), code('IncorrectStatus.VpcPeer'));
    await until(() => peer.getVpcPeerConnectionAttribute(A, id), (c) => c?.status === 'Activated');
    await assert.rejects(peer.modifyVpcPeerConnection(A, { instanceId: id, bandwidth: 100 }), code('OperationFailed.BandwidthCannotBeChangedInSameRegion'));
    await peer.modifyVpcPeerConnection(A, { instanceId: id, description: 'registry path' });
    const routeId = await vpc.createRouteEntry(A, { routeTableId: tableA!.routeTableId, destinationCidrBlock: '172.16.0.0/16', nextHopType: 'VpcPeer', nextHopId: id });
    const entries = await vpc.describeRouteEntryList(A, { routeTableId: tableA!.routeTableId, destinationCidrBlock: '172.16.0.0/16' });
    assert.deepEqual(entries[0]!.nextHops[0], { nextHopType: 'VpcPeer', nextHopId: id, nextHopRegionId: 'cn-hangzhou' });
    assert.ok(routeId.startsWith('rte-'));
    // A connection with routes pointing at it is not deleted without Force.
    await until(() => vpc.describeRouteEntryList(A, { routeTableId: tableA!.routeTableId, destinationCidrBlock: '172.16.0.0/16' }), (l) => l[0]?.status === 'Available');
    await assert.rejects(peer.deleteVpcPeerConnection(B, id), code('OperationDenied.RouteEntryExist'));
    await peer.deleteVpcPeerConnection(B, id, { force: true });
    assert.equal((await peer.getVpcPeerConnectionAttribute(A, id))?.status, 'Deleting');
    await until(() => peer.getVpcPeerConnectionAttribute(A, id), (c) => c === undefined);
    assert.deepEqual(await vpc.describeRouteEntryList(A, { routeTableId: tableA!.routeTableId, destinationCidrBlock: '172.16.0.0/16' }), [], 'forced delete removed the route');
  });

  it('lets the accepter reject, and hides a connection from third parties', async () => {
    const A = cloud.account('A');
    const B = cloud.account('B');
    const id = await peer.createVpcPeerConnection(A, { vpcId: vpcA, acceptingAliUid: sandbox.accounts.B.accountId, acceptingRegionId: 'cn-hangzhou', acceptingVpcId: vpcB });
    await until(() => peer.getVpcPeerConnectionAttribute(B, id), (c) => c?.status === 'Accepting');
    await assert.rejects(cloud.account('B').rpc('vpcpeer', 'RejectVpcPeerConnection', { InstanceId: 'pcc-nosuch' }), code('ResourceNotFound.InstanceId'));
    await B.rpc('vpcpeer', 'RejectVpcPeerConnection', { InstanceId: id });
    assert.equal((await peer.getVpcPeerConnectionAttribute(A, id))?.status, 'Rejected');
    await assert.rejects(
      peer.createVpcPeerConnection(A, { vpcId: vpcA, acceptingAliUid: sandbox.accounts.B.accountId, acceptingRegionId: 'cn-hangzhou', acceptingVpcId: 'vpc-nosuch' }),
      code('IncorrectStatus.AcceptingVpc'),
    );
  });
});

describe('sandbox VpcPeer across regions and with overlapping CIDRs', () => {
  it('gives cross-region connections a bandwidth that can be modified', async () => {
    const sandbox = await startSandbox({ ephemeral: true, scenario: 'bare-cross-region' });
    try {
      const cloud = cloudFor(sandbox, { a: 'cn-hangzhou', b: 'cn-shanghai' });
      const A = cloud.account('A');
      const id = await peer.createVpcPeerConnection(A, {
        vpcId: String(sandbox.meta.facts.vpcA),
        acceptingAliUid: sandbox.accounts.B.accountId,
        acceptingRegionId: 'cn-shanghai',
        acceptingVpcId: String(sandbox.meta.facts.vpcB),
      });
      assert.equal((await peer.getVpcPeerConnectionAttribute(A, id))?.bandwidth, 1024, 'documented default for inter-region');
      await until(() => peer.getVpcPeerConnectionAttribute(cloud.account('B'), id), (c) => c?.status === 'Accepting');
      await peer.acceptVpcPeerConnection(cloud.account('B'), id);
      await until(() => peer.getVpcPeerConnectionAttribute(A, id), (c) => c?.status === 'Activated');
      await peer.modifyVpcPeerConnection(A, { instanceId: id, bandwidth: 200 });
      const updated = await until(() => peer.getVpcPeerConnectionAttribute(A, id), (c) => c?.status === 'Activated');
      assert.equal(updated?.bandwidth, 200);
    } finally {
      await sandbox.close();
    }
  });

  it('does not refuse a peering between overlapping VPCs, but refuses the route into the overlap', async () => {
    const sandbox = await startSandbox({ ephemeral: true, scenario: 'bare-overlapping-cidrs' });
    try {
      const cloud = cloudFor(sandbox);
      const [A, B] = [cloud.account('A'), cloud.account('B')];
      const vpcA = String(sandbox.meta.facts.vpcA);
      const id = await peer.createVpcPeerConnection(A, { vpcId: vpcA, acceptingAliUid: sandbox.accounts.B.accountId, acceptingRegionId: 'cn-hangzhou', acceptingVpcId: String(sandbox.meta.facts.vpcB) });
      await until(() => peer.getVpcPeerConnectionAttribute(B, id), (c) => c?.status === 'Accepting');
      await peer.acceptVpcPeerConnection(B, id);
      await until(() => peer.getVpcPeerConnectionAttribute(A, id), (c) => c?.status === 'Activated');
      const [table] = await vpc.describeRouteTableList(A, { vpcId: vpcA });
      await assert.rejects(
        vpc.createRouteEntry(A, { routeTableId: table!.routeTableId, destinationCidrBlock: '192.168.0.10/32', nextHopType: 'VpcPeer', nextHopId: id }),
        code('OperationUnsupported.DestinationCidrBlockOverlapWithVSwitch'),
      );
    } finally {
      await sandbox.close();
    }
  });
});

describe('sandbox Cbn: CEN with B granted, both attachments, routes, and a cross-region peer attachment', () => {
  let sandbox: RunningSandbox;
  let cloud: Cloud;
  before(async () => {
    sandbox = await startSandbox({ ephemeral: true, scenario: 'bare-cross-region' });
    cloud = cloudFor(sandbox, { a: 'cn-hangzhou', b: 'cn-shanghai' });
  });
  after(() => sandbox.close());

  it('runs the tool CEN flow end to end', async () => {
    const A = cloud.account('A');
    const B = cloud.account('B');
    const [vpcA, vpcB] = [String(sandbox.meta.facts.vpcA), String(sandbox.meta.facts.vpcB)];
    const cenId = await cbn.createCen(A, { name: 'acr-xaccount', tags: { 'managed-by': 'acr-xaccount' } });
    await until(() => cbn.describeCens(A, { cenId }), (l) => l[0]?.status === 'Active');
    assert.deepEqual((await cbn.describeCens(A, { tags: { 'managed-by': 'acr-xaccount' } })).map((c) => c.cenId), [cenId]);
    const trA = await cbn.createTransitRouter(A, { cenId, regionId: 'cn-hangzhou' });
    const trB = await cbn.createTransitRouter(A, { cenId, regionId: 'cn-shanghai' });
    await assert.rejects(cbn.createTransitRouter(A, { cenId, regionId: 'cn-hangzhou' }), code('InstanceExist.TransitRouterInstance'));
    await until(() => cbn.listTransitRouters(A, { cenId, regionId: 'cn-shanghai' }), (l) => l[0]?.status === 'Active');
    await until(() => cbn.listTransitRouters(A, { cenId, regionId: 'cn-hangzhou' }), (l) => l[0]?.status === 'Active');
    const zonesA = await cbn.listTransitRouterAvailableResource(A, 'cn-hangzhou');
    assert.deepEqual(zonesA.availableZones, ['cn-hangzhou-h', 'cn-hangzhou-i', 'cn-hangzhou-j', 'cn-hangzhou-k']);

    const vswA = await vpc.describeVSwitches(A, { vpcId: vpcA });
    const vswB = await vpc.describeVSwitches(B, { vpcId: vpcB });
    const mapping = (l: vpc.VSwitch[]) => l.map((v) => ({ vSwitchId: v.vSwitchId, zoneId: v.zoneId }));
    const attachB = { regionId: 'cn-shanghai', transitRouterId: trB, vpcId: vpcB, vpcOwnerId: sandbox.accounts.B.accountId, zoneMappings: mapping(vswB) };
    // B's VPC cannot be attached before B grants it to A's CEN.
    await assert.rejects(cbn.createTransitRouterVpcAttachment(A, attachB), code('Forbbiden.AttachChildInstanceAcrossUid'));
    await assert.rejects(vpc.grantInstanceToCen(B, { instanceId: vpcB, cenId, cenOwnerId: sandbox.accounts.B.accountId }), code('Invalid.Grant'));
    await vpc.grantInstanceToCen(B, { instanceId: vpcB, cenId, cenOwnerId: sandbox.accounts.A.accountId });
    assert.deepEqual(await vpc.describeGrantRulesToCen(B, vpcB), [{ instanceId: vpcB, cenId, cenOwnerId: sandbox.accounts.A.accountId }]);
    const rules = await cbn.describeGrantRulesToCen(A, { cenId, regionId: 'cn-shanghai' });
    assert.deepEqual(await cbn.describeGrantRulesToCen(A, { cenId }), [], "RegionId (the funnel adds A's region) filters by the granted VPC's region");
    assert.deepEqual(rules.map((r) => [r.childInstanceId, r.ownerId, r.regionId]), [[vpcB, sandbox.accounts.B.accountId, 'cn-shanghai']]);

    await assert.rejects(cbn.createTransitRouterVpcAttachment(A, { ...attachB, zoneMappings: [{ vSwitchId: vswB[0]!.vSwitchId, zoneId: 'cn-shanghai-x' }] }), code('IllegalParam.ZoneId'));
    await assert.rejects(
      cbn.createTransitRouterVpcAttachment(A, { regionId: 'cn-hangzhou', transitRouterId: trA, vpcId: vpcA, zoneMappings: [...mapping(vswA), ...mapping(vswA)] }),
      code('Duplicated.ZoneMapping'),
    );
    const attA = await cbn.createTransitRouterVpcAttachment(A, { regionId: 'cn-hangzhou', transitRouterId: trA, vpcId: vpcA, zoneMappings: mapping(vswA) });
    const attB = await cbn.createTransitRouterVpcAttachment(A, attachB);
    await assert.rejects(cbn.createTransitRouterVpcAttachment(A, attachB), code('InvalidOperation.ChildInstanceAlreadyAttached'));
    assert.equal((await cbn.listTransitRouterVpcAttachments(A, { transitRouterId: trB, regionId: 'cn-shanghai' }))[0]?.status, 'Attaching');
    await assert.rejects(vpc.revokeInstanceFromCen(B, { instanceId: vpcB, cenId, cenOwnerId: sandbox.accounts.A.accountId }), code('OperationDenied.InstanceAttachCen'));
    const attached = await until(() => cbn.listTransitRouterVpcAttachments(A, { cenId, regionId: 'cn-shanghai' }), (l) => l[0]?.status === 'Attached');
    assert.equal(attached[0]!.vpcOwnerId, sandbox.accounts.B.accountId);
    await until(() => cbn.listTransitRouterVpcAttachments(A, { transitRouterId: trA }), (l) => l[0]?.status === 'Attached');
    const children = await cbn.describeCenAttachedChildInstances(A, cenId);
    assert.deepEqual(children.map((c) => [c.childInstanceId, c.status]).sort(), [[vpcA, 'Attached'], [vpcB, 'Attached']].sort());
    assert.deepEqual((await vpc.describeVpcAttribute(B, vpcB))?.associatedCens, [{ cenId, cenOwnerId: Number(sandbox.accounts.A.accountId), cenStatus: 'Attached' }]);

    // Route tables: one system table per router; associate and propagate both VPC attachments.
    const [rtA] = await cbnRoutes.listTransitRouterRouteTables(A, trA);
    const [rtB] = await cbnRoutes.listTransitRouterRouteTables(A, trB);
    assert.equal(rtA!.type, 'System');
    for (const [attachmentId, routeTableId] of [[attA, rtA!.routeTableId], [attB, rtB!.routeTableId]] as const) {
      await cbnRoutes.associateTransitRouterAttachmentWithRouteTable(A, { attachmentId, routeTableId });
      await cbnRoutes.enableTransitRouterRouteTablePropagation(A, { attachmentId, routeTableId });
    }
    await assert.rejects(cbnRoutes.associateTransitRouterAttachmentWithRouteTable(A, { attachmentId: attA, routeTableId: rtA!.routeTableId }), code('AssociationExist.TransitRouterTable'));
    await assert.rejects(cbnRoutes.associateTransitRouterAttachmentWithRouteTable(A, { attachmentId: attA, routeTableId: rtB!.routeTableId }), code('IllegalParam.TransitRouterTableId'));
    await until(() => cbnRoutes.listTransitRouterRouteTableAssociations(A, { routeTableId: rtA!.routeTableId }), (l) => l.every((x) => x.status === 'Active') && l.length === 1);

    // The inter-region connection joins both routers' system tables by default.
    const peerId = await cbn.createTransitRouterPeerAttachment(A, { transitRouterId: trA, regionId: 'cn-hangzhou', peerTransitRouterId: trB, peerTransitRouterRegionId: 'cn-shanghai', bandwidth: 10, bandwidthType: 'DataTransfer' });
    await assert.rejects(
      cbn.createTransitRouterPeerAttachment(A, { transitRouterId: trA, regionId: 'cn-hangzhou', peerTransitRouterId: trB, peerTransitRouterRegionId: 'cn-shanghai', bandwidthType: 'DataTransfer' }),
      code('MissingParam.Bandwidth'),
    );
    const fromB = await until(() => cbn.listTransitRouterPeerAttachments(A, { transitRouterId: trB, regionId: 'cn-shanghai' }), (l) => l[0]?.status === 'Attached');
    assert.equal(fromB[0]!.peerTransitRouterId, trA, 'each router sees the connection from its side');
    const learned = await until(
      () => cbnRoutes.listTransitRouterRouteEntries(A, rtA!.routeTableId),
      (l) => l.some((e) => e.destinationCidrBlock === '172.16.0.0/24' && e.nextHopId === peerId),
    );
    assert.ok(learned.some((e) => e.destinationCidrBlock === '192.168.0.0/24' && e.type === 'Propagated' && e.nextHopId === attA));

    // Static routes: the auth-service address on both routers, and the VPC route towards the attachment.
    await cbnRoutes.createTransitRouterRouteEntry(A, { routeTableId: rtB!.routeTableId, destinationCidrBlock: '100.103.7.181/32', nextHopType: 'Attachment', nextHopId: attB });
    await assert.rejects(
      cbnRoutes.createTransitRouterRouteEntry(A, { routeTableId: rtB!.routeTableId, destinationCidrBlock: '100.103.7.181/32', nextHopType: 'Attachment', nextHopId: attB }),
      code('InstanceExist.TransitRouterRouteEntry'),
    );
    await assert.rejects(
      cbnRoutes.createTransitRouterRouteEntry(A, { routeTableId: rtB!.routeTableId, destinationCidrBlock: '100.103.7.181/32', nextHopType: 'BlackHole' }),
      code('OperationFailed.CreateRouteEntryWithSameDestinationCidrBlock'),
    );
    await until(() => cbnRoutes.listTransitRouterRouteEntries(A, rtB!.routeTableId, { type: 'Static' }), (l) => l[0]?.status === 'Active');
    const [tableA] = await vpc.describeRouteTableList(A, { vpcId: vpcA });
    await vpc.createRouteEntry(A, { routeTableId: tableA!.routeTableId, destinationCidrBlock: '172.16.0.0/16', nextHopType: 'Attachment', nextHopId: attA });
    await assert.rejects(cbn.deleteTransitRouterVpcAttachment(A, attA), code('OperationFailed.AttachmentReferencedVpcRouteEntryExisted'));
    await assert.rejects(cbn.deleteTransitRouterPeerAttachment(A, peerId), code('OperationFailed.RouteTableAssociationExist'));
    await assert.rejects(cbn.deleteCen(A, cenId), code('OperationFailed.DeleteCenWithRouteEntry'));
  });
});

describe('sandbox PrivateZone: a zone for the registry domain bound to A, and the rules around it', () => {
  let sandbox: RunningSandbox;
  let cloud: Cloud;
  before(async () => {
    sandbox = await startSandbox({ ephemeral: true, scenario: 'bare' });
    cloud = cloudFor(sandbox);
  });
  after(() => sandbox.close());

  it('adds the zone and @ record, binds A, and refuses what the service refuses', async () => {
    const A = cloud.account('A');
    const vpcA = String(sandbox.meta.facts.vpcA);
    const vpcB = String(sandbox.meta.facts.vpcB);
    const zoneName = 'reg-vpc.cn-hangzhou.cr.aliyuncs.com';
    const { zoneId } = await pvtz.addZone(A, { zoneName });
    const recordId = await pvtz.addZoneRecord(A, { zoneId, rr: '@', value: '172.16.0.10', remark: 'managed-by=acr-xaccount' });
    await assert.rejects(pvtz.addZoneRecord(A, { zoneId, rr: '@', value: '172.16.0.10' }), code('Record.Invalid.Conflict'));
    await assert.rejects(pvtz.addZoneRecord(A, { zoneId, rr: '@', value: 'not-an-ip' }), code('InvalidParameter'));
    assert.deepEqual(await pvtz.addZoneVpcBinding(A, zoneId, { vpcId: vpcA, regionId: 'cn-hangzhou' }), { changed: true, vpcs: [{ vpcId: vpcA, regionId: 'cn-hangzhou' }] });
    const info = await pvtz.describeZoneInfo(A, zoneId);
    assert.deepEqual(info?.bindVpcs.map((v) => [v.vpcId, v.vpcName]), [[vpcA, 'ack-vpc']]);
    assert.equal(info?.recordCount, 1);
    assert.equal((await pvtz.findZoneByName(A, zoneName.toUpperCase()))?.zoneId, zoneId, 'EXACT search, case-insensitive');
    assert.equal((await pvtz.describeZones(A, { keyword: 'cr.aliyuncs' })).length, 1, 'LIKE search');
    assert.equal((await pvtz.describeZones(A, { vpcId: vpcA, vpcRegionId: 'cn-hangzhou' })).length, 1);
    assert.deepEqual((await pvtz.describeZoneRecords(A, zoneId, { keyword: '@' })).map((r) => [r.recordId, r.value, r.ttl, r.remark]), [[recordId, '172.16.0.10', 60, 'managed-by=acr-xaccount']]);
    await pvtz.updateZoneRecord(A, { recordId, rr: '@', value: '172.16.0.11', ttl: 30 });
    assert.equal((await pvtz.describeZoneRecords(A, zoneId))[0]?.value, '172.16.0.11');
    // Same-named zones may exist, but not bound to the same VPC.
    const twin = await pvtz.addZone(A, { zoneName });
    await assert.rejects(pvtz.bindZoneVpc(A, twin.zoneId, [{ vpcId: vpcA, regionId: 'cn-hangzhou' }]), code('ZoneVpc.Zone.Repeated'));
    // B's VPC needs B's authorization first.
    await assert.rejects(pvtz.bindZoneVpc(A, twin.zoneId, [{ vpcId: vpcB, regionId: 'cn-hangzhou' }]), code('ZoneVpc.NotExists.VpcId'));
    await A.rpc('pvtz', 'AddUserVpcAuthorization', { AuthorizedUserId: sandbox.accounts.B.accountId, AuthChannel: 'RESOURCE_DIRECTORY' });
    await pvtz.bindZoneVpc(A, twin.zoneId, [{ vpcId: vpcB, regionId: 'cn-hangzhou' }]);
    assert.equal((await pvtz.describeZoneInfo(A, twin.zoneId))?.bindVpcs[0]?.vpcUserId, sandbox.accounts.B.accountId);
    // A bound zone is not deleted; unbound, it goes with its records.
    await assert.rejects(pvtz.deleteZone(A, zoneId), code('Zone.VpcExists'));
    await pvtz.removeZoneVpcBinding(A, zoneId, vpcA);
    await pvtz.deleteZoneRecord(A, recordId);
    await pvtz.deleteZone(A, zoneId);
    assert.equal(await pvtz.describeZoneInfo(A, zoneId), undefined, 'Zone.NotExists reads as absent');
    await assert.rejects(pvtz.addZone(A, { zoneName: 'bad_name..com' }), code('Zone.Invalid.Name'));
  });
});
