// Every network handler (Vpc, VpcPeer, Cbn, pvtz) answers in its API's response shape: one flow calls each
// of them directly and checks each response with validateResponse (helpers/sandbox-network.ts `direct`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { cbn } from '../src/sandbox/products/cbn.js';
import { pvtz } from '../src/sandbox/products/pvtz.js';
import { vpc } from '../src/sandbox/products/vpc.js';
import { vpcpeer } from '../src/sandbox/products/vpcpeer.js';
import { createWorld } from '../src/sandbox/scenarios.js';
import { setTransitRouterService } from '../src/sandbox/state/cen.js';
import { seedNatGateway, vpcState } from '../src/sandbox/state/vpc.js';
import { World } from '../src/sandbox/world.js';
import { answered, direct, refused } from './helpers/sandbox-network.js';

/** Handlers that only ever refuse here (Basic-edition CEN calls): checked for their code instead of a shape. */
const ALWAYS_REFUSE = new Set(['cbn:AttachCenChildInstance', 'cbn:DetachCenChildInstance']);

describe('network handlers answer in the spec shape', () => {
  it('calls every Vpc, VpcPeer, Cbn and pvtz handler and validates each response', async () => {
    const world = createWorld('bare-cross-region');
    const meta = world.data.shared.sandbox as { accounts: { A: string; B: string }; facts: Record<string, string> };
    const { A, B } = meta.accounts;
    const [vpcA, vpcB] = [meta.facts.vpcA!, meta.facts.vpcB!];
    const [ra, rb] = ['cn-hangzhou', 'cn-shanghai'];
    const later = () => world.advance(60_000);
    const stateA = vpcState(world, A);
    const vswA = Object.values(stateA.vswitches).filter((v) => v.vpcId === vpcA);
    const vswB = Object.values(vpcState(world, B).vswitches).filter((v) => v.vpcId === vpcB);
    const rtA = stateA.vpcs[vpcA]!.systemRouteTableId;
    const { natGateway, eips } = seedNatGateway(world, A, { vpcId: vpcA, vSwitchId: vswA[0]!.vSwitchId, snatVSwitchIds: [vswA[0]!.vSwitchId] });

    // ---- Vpc ----
    await direct(world, A, 'vpc', 'DescribeVpcs', { RegionId: ra, PageSize: 50 });
    await direct(world, A, 'vpc', 'DescribeVpcAttribute', { RegionId: ra, VpcId: vpcA });
    await direct(world, A, 'vpc', 'DescribeVSwitches', { RegionId: ra, VpcId: vpcA });
    await direct(world, A, 'vpc', 'DescribeVSwitchAttributes', { RegionId: ra, VSwitchId: vswA[0]!.vSwitchId });
    await direct(world, A, 'vpc', 'DescribeRouteTableList', { RegionId: ra, VpcId: vpcA });
    await direct(world, A, 'vpc', 'DescribeRouteEntryList', { RegionId: ra, RouteTableId: rtA, MaxResult: 1 });
    await direct(world, A, 'vpc', 'DescribeNatGateways', { RegionId: ra, VpcId: vpcA });
    await direct(world, A, 'vpc', 'CreateSnatEntry', { RegionId: ra, SnatTableId: natGateway.snatTableId, SourceVSwitchId: vswA[1]!.vSwitchId, SnatIp: eips[0]!.ipAddress, SnatEntryName: 'nodes-i' });
    await direct(world, A, 'vpc', 'DescribeSnatTableEntries', { RegionId: ra, SnatTableId: natGateway.snatTableId });
    await direct(world, A, 'vpc', 'DescribeEipAddresses', { RegionId: ra });
    await direct(world, A, 'vpc', 'TagResources', { RegionId: ra, ResourceType: 'ROUTETABLE', ResourceId: [rtA], Tag: [{ Key: 'managed-by', Value: 'acr-xaccount' }] });
    await direct(world, A, 'vpc', 'ListTagResources', { RegionId: ra, ResourceType: 'ROUTETABLE', ResourceId: [rtA] });
    const { RouteEntryId } = await direct(world, A, 'vpc', 'CreateRouteEntry', { RegionId: ra, RouteTableId: rtA, DestinationCidrBlock: '10.10.0.0/16', NextHopType: 'NatGateway', NextHopId: natGateway.natGatewayId });
    later();
    await direct(world, A, 'vpc', 'DeleteRouteEntry', { RegionId: ra, RouteEntryId });

    // ---- VpcPeer ----
    const { InstanceId: pcc } = await direct(world, A, 'vpcpeer', 'CreateVpcPeerConnection', { RegionId: ra, VpcId: vpcA, AcceptingAliUid: Number(B), AcceptingRegionId: rb, AcceptingVpcId: vpcB, Tag: [{ Key: 'managed-by', Value: 'acr-xaccount' }] });
    later();
    await direct(world, B, 'vpcpeer', 'GetVpcPeerConnectionAttribute', { InstanceId: pcc });
    await direct(world, B, 'vpcpeer', 'ListVpcPeerConnections', { RegionId: rb, VpcId: [vpcB], MaxResults: 10 });
    await direct(world, B, 'vpcpeer', 'AcceptVpcPeerConnection', { InstanceId: pcc });
    later();
    await direct(world, A, 'vpcpeer', 'ModifyVpcPeerConnection', { InstanceId: pcc, Bandwidth: 50, Name: 'peer-ab' });
    later();
    await refused(world, B, 'vpcpeer', 'CreateVpcPeerConnection', { RegionId: rb, VpcId: vpcB, AcceptingAliUid: Number(A), AcceptingRegionId: ra, AcceptingVpcId: vpcA }, 'ResourceAlreadyExist.VpcPeer');
    await direct(world, A, 'vpcpeer', 'DeleteVpcPeerConnection', { InstanceId: pcc });
    later();
    const { InstanceId: rejected } = await direct(world, B, 'vpcpeer', 'CreateVpcPeerConnection', { RegionId: rb, VpcId: vpcB, AcceptingAliUid: Number(A), AcceptingRegionId: ra, AcceptingVpcId: vpcA });
    later();
    await direct(world, A, 'vpcpeer', 'RejectVpcPeerConnection', { InstanceId: rejected });

    // ---- Cbn ----
    await direct(world, A, 'cbn', 'CheckTransitRouterService', {});
    setTransitRouterService(world, A, false);
    await direct(world, A, 'cbn', 'OpenTransitRouterService', {});
    const { CenId } = await direct(world, A, 'cbn', 'CreateCen', { Name: 'acr-xaccount', Tag: [{ Key: 'managed-by', Value: 'acr-xaccount' }] });
    later();
    await direct(world, A, 'cbn', 'DescribeCens', { Filter: [{ Key: 'CenId', Value: [CenId] }] });
    await direct(world, A, 'cbn', 'ListTransitRouterAvailableResource', { RegionId: rb });
    const { TransitRouterId: trA } = await direct(world, A, 'cbn', 'CreateTransitRouter', { CenId, RegionId: ra });
    const { TransitRouterId: trB } = await direct(world, A, 'cbn', 'CreateTransitRouter', { CenId, RegionId: rb });
    later();
    await direct(world, A, 'cbn', 'ListTransitRouters', { CenId });
    await direct(world, B, 'vpc', 'GrantInstanceToCen', { RegionId: rb, InstanceId: vpcB, InstanceType: 'VPC', CenId, CenOwnerId: Number(A) });
    await direct(world, B, 'vpc', 'DescribeGrantRulesToCen', { RegionId: rb, InstanceId: vpcB, InstanceType: 'VPC' });
    await direct(world, A, 'cbn', 'DescribeGrantRulesToCen', { CenId, ProductType: 'VPC', RegionId: rb });
    await direct(world, B, 'cbn', 'DescribeGrantRulesToResource', { ResourceId: vpcB, ProductType: 'VPC', RegionId: rb });
    const mappings = (l: typeof vswA) => l.map((v) => ({ VSwitchId: v.vSwitchId, ZoneId: v.zoneId }));
    const { TransitRouterAttachmentId: attA } = await direct(world, A, 'cbn', 'CreateTransitRouterVpcAttachment', { RegionId: ra, TransitRouterId: trA, VpcId: vpcA, ZoneMappings: mappings(vswA) });
    const { TransitRouterAttachmentId: attB } = await direct(world, A, 'cbn', 'CreateTransitRouterVpcAttachment', { RegionId: rb, CenId, VpcId: vpcB, VpcOwnerId: Number(B), ZoneMappings: mappings(vswB) });
    const { TransitRouterAttachmentId: peerAtt } = await direct(world, A, 'cbn', 'CreateTransitRouterPeerAttachment', { TransitRouterId: trA, RegionId: ra, PeerTransitRouterId: trB, PeerTransitRouterRegionId: rb });
    later();
    await direct(world, A, 'cbn', 'ListTransitRouterVpcAttachments', { CenId, RegionId: rb });
    await direct(world, A, 'cbn', 'ListTransitRouterPeerAttachments', { TransitRouterId: trB, RegionId: rb });
    await direct(world, A, 'cbn', 'DescribeCenAttachedChildInstances', { CenId });
    await refused(world, A, 'cbn', 'AttachCenChildInstance', { CenId, ChildInstanceId: vpcA, ChildInstanceType: 'VPC', ChildInstanceRegionId: ra }, 'InvalidOperation.ChildInstanceAlreadyAttached');
    await refused(world, A, 'cbn', 'DetachCenChildInstance', { CenId, ChildInstanceId: vpcA, ChildInstanceType: 'VPC', ChildInstanceRegionId: ra }, 'Forbidden.TypeInvalid');
    const { TransitRouterRouteTables } = await direct(world, A, 'cbn', 'ListTransitRouterRouteTables', { TransitRouterId: trB });
    const rtTrB = TransitRouterRouteTables[0].TransitRouterRouteTableId;
    await direct(world, A, 'cbn', 'AssociateTransitRouterAttachmentWithRouteTable', { TransitRouterAttachmentId: attB, TransitRouterRouteTableId: rtTrB });
    await direct(world, A, 'cbn', 'EnableTransitRouterRouteTablePropagation', { TransitRouterAttachmentId: attB, TransitRouterRouteTableId: rtTrB });
    const { TransitRouterRouteEntryId } = await direct(world, A, 'cbn', 'CreateTransitRouterRouteEntry', {
      TransitRouterRouteTableId: rtTrB,
      TransitRouterRouteEntryDestinationCidrBlock: '100.103.7.181/32',
      TransitRouterRouteEntryNextHopType: 'Attachment',
      TransitRouterRouteEntryNextHopId: attB,
    });
    later();
    await direct(world, A, 'cbn', 'ListTransitRouterRouteEntries', { TransitRouterRouteTableId: rtTrB, TransitRouterRouteEntryStatus: 'All' });
    await direct(world, A, 'cbn', 'ListTransitRouterRouteTableAssociations', { TransitRouterRouteTableId: rtTrB });
    await direct(world, A, 'cbn', 'ListTransitRouterRouteTablePropagations', { TransitRouterRouteTableId: rtTrB });
    await direct(world, A, 'cbn', 'DeleteTransitRouterRouteEntry', { TransitRouterRouteEntryId });
    await direct(world, A, 'cbn', 'DisableTransitRouterRouteTablePropagation', { TransitRouterAttachmentId: attB, TransitRouterRouteTableId: rtTrB });
    await direct(world, A, 'cbn', 'DissociateTransitRouterAttachmentFromRouteTable', { TransitRouterAttachmentId: attB, TransitRouterRouteTableId: rtTrB });
    later();
    await direct(world, A, 'cbn', 'DeleteTransitRouterVpcAttachment', { TransitRouterAttachmentId: attB });
    await direct(world, A, 'cbn', 'DeleteTransitRouterVpcAttachment', { TransitRouterAttachmentId: attA });
    await direct(world, A, 'cbn', 'DeleteTransitRouterPeerAttachment', { TransitRouterAttachmentId: peerAtt, Force: true });
    later();
    await direct(world, B, 'vpc', 'RevokeInstanceFromCen', { RegionId: rb, InstanceId: vpcB, InstanceType: 'VPC', CenId, CenOwnerId: Number(A) });
    await direct(world, A, 'cbn', 'DeleteTransitRouter', { TransitRouterId: trB });
    await direct(world, A, 'cbn', 'DeleteCen', { CenId });

    // ---- pvtz ----
    await direct(world, A, 'pvtz', 'CheckZoneName', { ZoneName: 'registry.example.com' });
    const { ZoneId } = await direct(world, A, 'pvtz', 'AddZone', { ZoneName: 'registry.example.com' });
    const { RecordId } = await direct(world, A, 'pvtz', 'AddZoneRecord', { ZoneId, Rr: '@', Type: 'A', Value: '172.16.0.20', Ttl: 60 });
    await direct(world, A, 'pvtz', 'UpdateZoneRecord', { RecordId, Rr: '@', Type: 'A', Value: '172.16.0.21' });
    await direct(world, A, 'pvtz', 'DescribeZoneRecords', { ZoneId });
    await direct(world, A, 'pvtz', 'AddUserVpcAuthorization', { AuthorizedUserId: Number(B), AuthCode: '123456' });
    await direct(world, A, 'pvtz', 'DescribeUserVpcAuthorizations', {});
    await direct(world, A, 'pvtz', 'BindZoneVpc', { ZoneId, Vpcs: [{ VpcId: vpcA, RegionId: ra }, { VpcId: vpcB, RegionId: rb }] });
    await direct(world, A, 'pvtz', 'DescribeZoneInfo', { ZoneId });
    await direct(world, A, 'pvtz', 'DescribeZones', { Keyword: 'example', PageSize: 100 });
    await direct(world, A, 'pvtz', 'DescribeZoneVpcTree', {});
    await direct(world, A, 'pvtz', 'BindZoneVpc', { ZoneId, Vpcs: [] });
    await direct(world, A, 'pvtz', 'DeleteUserVpcAuthorization', { AuthorizedUserId: Number(B) });
    await direct(world, A, 'pvtz', 'DeleteZoneRecord', { RecordId });
    await direct(world, A, 'pvtz', 'DeleteZone', { ZoneId });

    const all = [vpc, vpcpeer, cbn, pvtz].flatMap((m) => Object.keys(m.rpc ?? {}).map((action) => `${m.product}:${action}`));
    assert.equal(all.length, 17 + 7 + 30 + 14);
    const missing = all.filter((h) => !answered.has(h) && !ALWAYS_REFUSE.has(h));
    assert.deepEqual(missing, [], 'handlers not exercised with a validated response');
  });
});

describe('network writes: DryRun, ClientToken, and a saved world', () => {
  it('answers DryRunOperation without a change, and repeats the first answer for a repeated ClientToken', async () => {
    const world = createWorld('bare');
    const meta = world.data.shared.sandbox as { accounts: { A: string; B: string }; facts: Record<string, string> };
    const { A, B } = meta.accounts;
    const request = { RegionId: 'cn-hangzhou', VpcId: meta.facts.vpcA, AcceptingAliUid: Number(B), AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: meta.facts.vpcB };
    await refused(world, A, 'vpcpeer', 'CreateVpcPeerConnection', { ...request, DryRun: true }, 'DryRunOperation');
    assert.equal((await direct(world, A, 'vpcpeer', 'ListVpcPeerConnections', { RegionId: 'cn-hangzhou' })).TotalCount, 0);
    const first = await direct(world, A, 'vpcpeer', 'CreateVpcPeerConnection', { ...request, ClientToken: 'token-1' });
    const again = await direct(world, A, 'vpcpeer', 'CreateVpcPeerConnection', { ...request, ClientToken: 'token-1' });
    assert.equal(again.InstanceId, first.InstanceId, 'the same token creates nothing new');
    await refused(world, A, 'vpcpeer', 'CreateVpcPeerConnection', { ...request, ClientToken: 'token-2' }, 'ResourceAlreadyExist.VpcPeer');
  });

  it('keeps the handshake going in a world saved and loaded mid-way', async () => {
    const world = createWorld('bare');
    const meta = world.data.shared.sandbox as { accounts: { A: string; B: string }; facts: Record<string, string> };
    const { A, B } = meta.accounts;
    const { InstanceId } = await direct(world, A, 'vpcpeer', 'CreateVpcPeerConnection', { RegionId: 'cn-hangzhou', VpcId: meta.facts.vpcA, AcceptingAliUid: Number(B), AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: meta.facts.vpcB });
    const reloaded = new World(JSON.parse(JSON.stringify(world.data)));
    reloaded.advance(60_000);
    assert.equal((await direct(reloaded, B, 'vpcpeer', 'GetVpcPeerConnectionAttribute', { InstanceId })).Status, 'Accepting');
    await direct(reloaded, B, 'vpcpeer', 'AcceptVpcPeerConnection', { InstanceId });
    reloaded.advance(60_000);
    assert.equal((await direct(reloaded, A, 'vpcpeer', 'GetVpcPeerConnectionAttribute', { InstanceId })).Status, 'Activated');
  });
});
