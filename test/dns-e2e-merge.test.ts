// End to end: a world where the user already has routes of their own, PrivateZone zones (one of them named like
// the registry's VPC domain) and a user-data script. Set up through the real clients, then the built CLI runs;
// everything of the user's is still there afterwards, ours sits beside it, and a re-run changes nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as cs from '../src/cloud/cs.js';
import * as pvtz from '../src/cloud/pvtz.js';
import * as vpc from '../src/cloud/vpc.js';
import { startSandbox } from '../src/sandbox/index.js';
import { clusterFacts, scaleOutNodePool } from '../src/sandbox/state/cs-seed.js';
import { pvtzState } from '../src/sandbox/state/pvtz.js';
import { vpcState } from '../src/sandbox/state/vpc.js';
import { withoutHostsSection } from '../src/steps/dns/user-data.js';
import { applyAndReplan, assertPathWorks, freshRun, scenarioFacts } from './network-e2e-helpers.js';
import { cloudFor } from './helpers/sandbox-network.js';

const USER_SCRIPT = '#!/bin/bash\nset -e\necho "vm.max_map_count=262144" > /etc/sysctl.d/90-team.conf\nexit 0\n';

describe("the user's own routes, zones and user data", { timeout: 120_000 }, () => {
  it('are untouched by apply (peering with PrivateZone, then hosts); ours sit beside them; re-runs change nothing', async () => {
    const run = freshRun();
    const sandbox = await startSandbox({ dir: run.state, scenario: 'default' });
    const f = sandbox.meta.facts;
    const cloud = cloudFor(sandbox);
    const A = cloud.account('A');
    const B = cloud.account('B');
    const [nodeVSwitch] = await vpc.describeVSwitches(A, { vpcId: String(f.vpcA) });
    const [nat] = await vpc.describeNatGateways(A, { vpcId: String(f.vpcA) });
    const officeRoute = await vpc.createRouteEntry(A, { routeTableId: nodeVSwitch!.routeTableId!, destinationCidrBlock: '10.99.0.0/16', nextHopType: 'NatGateway', nextHopId: nat!.natGatewayId, routeEntryName: 'office' });
    const [bSystem] = (await vpc.describeRouteTableList(B, { vpcId: String(f.vpcB) })).filter((t) => t.routeTableType === 'System');
    const bastionRoute = await vpc.createRouteEntry(B, { routeTableId: bSystem!.routeTableId, destinationCidrBlock: '10.98.0.0/16', nextHopType: 'Instance', nextHopId: String(f.probeInstanceId), routeEntryName: 'via-bastion' });
    const corp = await pvtz.addZone(A, { zoneName: 'corp.example.com' });
    await pvtz.addZoneRecord(A, { zoneId: corp.zoneId, rr: 'www', value: '10.1.2.3' });
    await pvtz.bindZoneVpc(A, corp.zoneId, [{ vpcId: String(f.vpcA), regionId: String(f.regionA) }]);
    const same = await pvtz.addZone(A, { zoneName: String(f.registryVpcDomain) });
    await pvtz.addZoneRecord(A, { zoneId: same.zoneId, rr: '_owner', type: 'TXT', value: 'platform-team' });
    const [pool] = await cs.describeClusterNodePools(A, String(f.clusterId));
    await cs.modifyClusterNodePool(A, String(f.clusterId), pool!.nodepoolId, { userData: USER_SCRIPT });
    await sandbox.close();

    const { world } = await applyAndReplan(run, 'peering', 'privatezone', 'default');
    assertPathWorks(world, 'peering');
    const a = world.accountIds()[0]!;
    const b = world.accountIds()[1]!;
    const office = vpcState(world, a).routeEntries[officeRoute]!;
    assert.deepEqual([office.destinationCidrBlock, office.nextHopType, office.nextHopId, office.name, office.status], ['10.99.0.0/16', 'NatGateway', nat!.natGatewayId, 'office', 'Available']);
    const bastion = vpcState(world, b).routeEntries[bastionRoute]!;
    assert.deepEqual([bastion.destinationCidrBlock, bastion.nextHopId, bastion.name], ['10.98.0.0/16', String(f.probeInstanceId), 'via-bastion']);
    const zones = pvtzState(world, a);
    assert.deepEqual(zones.zones[corp.zoneId]!.bindings.map((x) => x.vpcId), [String(f.vpcA)], "the user's other zone is still bound");
    const records = (zoneId: string) => Object.values(zones.records).filter((r) => r.zoneId === zoneId).map((r) => `${r.rr} ${r.type} ${r.value}`).sort();
    assert.deepEqual(records(corp.zoneId), ['www A 10.1.2.3']);
    assert.equal(Object.values(zones.zones).filter((z) => z.zoneName === String(f.registryVpcDomain)).length, 1, "the user's zone of that name was reused, not doubled");
    const [ours] = records(same.zoneId).filter((r) => r.startsWith('@ A '));
    assert.ok(ours, 'our @ record was added to it');
    assert.deepEqual(records(same.zoneId).filter((r) => !r.startsWith('@')), ['_owner TXT platform-team']);
    assert.deepEqual(zones.zones[same.zoneId]!.bindings.map((x) => x.vpcId), [String(f.vpcA)]);

    // Switching to hosts: our block joins the user's script, which stays exactly as it was.
    const hosts = await applyAndReplan(run, 'peering', 'hosts', 'default');
    const cluster = clusterFacts(hosts.world, scenarioFacts(hosts.world).clusterId)!;
    const userData = cluster.nodePools[0]!.userData;
    assert.equal(withoutHostsSection(userData), USER_SCRIPT);
    assert.equal(userData.split('\n').filter((l) => l === '# BEGIN acr-xaccount').length, 1);
    const [added] = scaleOutNodePool(hosts.world, cluster.clusterId, cluster.nodePools[0]!.nodepoolId, 1);
    assertPathWorks(hosts.world, 'peering', [added!.instanceId]);
    assert.ok(vpcState(hosts.world, a).routeEntries[officeRoute], 'still there after the second apply');
  });
});
