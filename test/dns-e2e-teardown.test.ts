// End to end: `destroy --step dns` with the BUILT CLI (run `npm run build` first). The user's own zones, records,
// node-pool user data and /etc/hosts lines are added by hand before apply; after destroy ours are gone, theirs are
// unchanged byte for byte, and a second destroy plans no change. Each run configures the other DNS mode than the
// one applied last, so the teardown is shown to find both whatever the configuration says. The last case deletes
// A's cluster between apply and destroy: our zone is still found and removed, the user's zone kept.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import * as cs from '../src/cloud/cs.js';
import * as pvtz from '../src/cloud/pvtz.js';
import { startSandbox } from '../src/sandbox/index.js';
import { clusterFacts, scaleOutNodePool } from '../src/sandbox/state/cs-seed.js';
import { ecsState } from '../src/sandbox/state/ecs.js';
import { pvtzState } from '../src/sandbox/state/pvtz.js';
import { World } from '../src/sandbox/world.js';
import { isOurs } from '../src/steps/marker.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { deleteCluster } from './helpers/world-edits.js';
import { cloudFor } from './helpers/sandbox-network.js';
import { applyAndReplan, freshRun, loadWorld, modeArgs, OTHER_CHOICES, scenarioFacts, writeCalls, type Run } from './network-e2e-helpers.js';

const USER_SCRIPT = '#!/bin/bash\nset -e\necho "vm.max_map_count=262144" > /etc/sysctl.d/90-team.conf\nexit 0\n';
const USER_HOSTS_LINE = '10.0.0.5 build-cache.internal';

/** `destroy --step dns` alone (the network step's things stay), with the given modes in the configuration. */
const destroyDns = (run: Run, network: string, dns: string, extra: string[] = []): Promise<CliResult> =>
  runCli(['--sandbox-state', run.state, 'destroy', '--sandbox', '--step', 'dns', ...OTHER_CHOICES, ...modeArgs(network, dns), ...extra], { cwd: run.cwd });

const ok = (r: CliResult, what: string) => assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-3000)}`);

/** Everything PrivateZone holds in A, as JSON per zone (zone fields and its records), for byte-for-byte comparison. */
function zonesOf(world: World): Record<string, string> {
  const state = pvtzState(world, world.accountIds()[0]!);
  return Object.fromEntries(
    Object.values(state.zones).map((z) => [
      z.zoneId,
      JSON.stringify({ zone: z, records: Object.values(state.records).filter((r) => r.zoneId === z.zoneId).sort((a, b) => a.recordId - b.recordId) }),
    ]),
  );
}

const hostsOf = (world: World): Record<string, string[]> =>
  Object.fromEntries(Object.values(ecsState(world, world.accountIds()[0]!).instances).filter((i) => i.clusterId).map((i) => [i.instanceId, i.hosts]));

/** A world edit between CLI runs (the sandbox is not running then). */
function edit(run: Run, change: (world: World) => void): void {
  const file = join(run.state, 'state.json');
  const world = World.load(file);
  change(world);
  world.save(file);
}

/** Destroys again: only noops in the plan, not one write call, and our part of the world as the first destroy left it. */
async function assertSecondDestroyIsNoop(run: Run, network: string, dns: string): Promise<void> {
  const snapshot = (world: World) => JSON.stringify({ zones: zonesOf(world), hosts: hostsOf(world), pools: clusterFacts(world, scenarioFacts(world).clusterId)?.nodePools ?? 'no cluster' });
  const before = snapshot(loadWorld(run));
  const again = await destroyDns(run, network, dns, ['--yes', '--verbose']);
  ok(again, 'a second destroy');
  assert.match(again.stdout, /No changes\./);
  assert.deepEqual(writeCalls(again.stderr), []);
  assert.equal(snapshot(loadWorld(run)), before);
}

/** A fresh default world where the user has a zone of their own (corp.example.com, one record) bound to A's VPC. */
async function runWithUserZone(): Promise<{ run: Run; f: Record<string, string | string[]>; corp: { zoneId: string } }> {
  const run = freshRun();
  const sandbox = await startSandbox({ dir: run.state, scenario: 'default' });
  const f = sandbox.meta.facts;
  const A = cloudFor(sandbox).account('A');
  const corp = await pvtz.addZone(A, { zoneName: 'corp.example.com' });
  await pvtz.addZoneRecord(A, { zoneId: corp.zoneId, rr: 'www', value: '10.1.2.3' });
  await pvtz.bindZoneVpc(A, corp.zoneId, [{ vpcId: String(f.vpcA), regionId: String(f.regionA) }]);
  await sandbox.close();
  return { run, f, corp };
}

describe('destroy --step dns (sandbox, built CLI)', { timeout: 300_000 }, () => {
  it("hosts applied over PrivateZone, configured back to PrivateZone: both of ours go; the user's zone, records, user data and hosts lines stay byte for byte", async () => {
    const run = freshRun();
    const sandbox = await startSandbox({ dir: run.state, scenario: 'default' });
    const f = sandbox.meta.facts;
    const A = cloudFor(sandbox).account('A');
    // The user's: a zone named like the registry's VPC domain (with a record of theirs), another zone bound to A's VPC,
    // a user-data script, and a line of their own in every node's /etc/hosts.
    const same = await pvtz.addZone(A, { zoneName: String(f.registryVpcDomain) });
    await pvtz.addZoneRecord(A, { zoneId: same.zoneId, rr: '_owner', type: 'TXT', value: 'platform-team' });
    const corp = await pvtz.addZone(A, { zoneName: 'corp.example.com' });
    await pvtz.addZoneRecord(A, { zoneId: corp.zoneId, rr: 'www', value: '10.1.2.3' });
    await pvtz.bindZoneVpc(A, corp.zoneId, [{ vpcId: String(f.vpcA), regionId: String(f.regionA) }]);
    const [pool] = await cs.describeClusterNodePools(A, String(f.clusterId));
    await cs.modifyClusterNodePool(A, String(f.clusterId), pool!.nodepoolId, { userData: USER_SCRIPT });
    await sandbox.close();
    edit(run, (world) => {
      for (const i of Object.values(ecsState(world, world.accountIds()[0]!).instances)) if (i.clusterId) i.hosts = [...i.hosts, USER_HOSTS_LINE];
    });
    const userHosts = hostsOf(loadWorld(run));

    await applyAndReplan(run, 'peering', 'privatezone', 'default');
    const sameBinding = JSON.stringify(pvtzState(loadWorld(run), loadWorld(run).accountIds()[0]!).zones[same.zoneId]!.bindings);
    await applyAndReplan(run, 'peering', 'hosts', 'default');
    // A node added after apply: it ran the pool's user data (our block) and has no Cloud Assistant run of ours.
    let added = '';
    edit(run, (world) => {
      const { clusterId } = scenarioFacts(world);
      const [node] = scaleOutNodePool(world, clusterId, clusterFacts(world, clusterId)!.nodePools[0]!.nodepoolId, 1);
      added = node!.instanceId;
    });
    const applied = loadWorld(run);
    assert.ok(Object.values(hostsOf(applied)).every((h) => h.includes('# BEGIN acr-xaccount')), 'every node has our block, the added one too');
    const corpBefore = zonesOf(applied)[corp.zoneId];

    // A dry run writes nothing; its plan says what stays and why (noops show only their IDs in the text plan).
    const dry = await destroyDns(run, 'peering', 'privatezone', ['--dry-run', '--verbose', '--json']);
    ok(dry, 'destroy --dry-run');
    assert.deepEqual(writeCalls(dry.stderr), []);
    const planned = (JSON.parse(dry.stdout) as { actions: { id: string; change: string; title: string }[] }).actions;
    const keep = planned.find((a) => a.id === `dns.destroy.zone.${same.zoneId}`);
    assert.equal(keep?.change, 'noop');
    assert.match(keep!.title, /^Keep PrivateZone zone \S+ \(it holds 1 record\(s\) not made by acr-xaccount: _owner TXT platform-team/);
    assert.equal(JSON.stringify(loadWorld(run).data.accounts), JSON.stringify(applied.data.accounts), 'the dry run changed nothing');

    const destroyed = await destroyDns(run, 'peering', 'privatezone', ['--yes']);
    ok(destroyed, 'destroy');
    assert.match(destroyed.stdout, /Delete A record @ -> \S+ in PrivateZone zone/);
    assert.match(destroyed.stdout, /Take the hosts block out of the user data of node pool/);
    assert.match(destroyed.stdout, /Take the hosts block out of \/etc\/hosts on 3 existing node\(s\)/);
    const after = loadWorld(run);
    const zones = pvtzState(after, after.accountIds()[0]!);
    const records = (zoneId: string) => Object.values(zones.records).filter((r) => r.zoneId === zoneId).map((r) => `${r.rr} ${r.type} ${r.value} ${r.remark}`);
    assert.deepEqual(records(same.zoneId), ['_owner TXT platform-team '], 'our record is gone, theirs stays');
    assert.equal(JSON.stringify(zones.zones[same.zoneId]!.bindings), sameBinding, "the user's zone keeps its bindings");
    assert.equal(zonesOf(after)[corp.zoneId], corpBefore, "the user's other zone is exactly as it was");
    const cluster = clusterFacts(after, scenarioFacts(after).clusterId)!;
    assert.equal(cluster.nodePools[0]!.userData, USER_SCRIPT, "the user's script, byte for byte");
    const hosts = hostsOf(after);
    for (const [id, lines] of Object.entries(userHosts)) assert.deepEqual(hosts[id], lines, `${id}: /etc/hosts as before apply`);
    assert.deepEqual(hosts[added], ['127.0.0.1 localhost', '::1 localhost'], 'the node added after apply: our block gone');

    await assertSecondDestroyIsNoop(run, 'peering', 'privatezone');
  });

  it('PrivateZone applied, configured as hosts: our zone is unbound and deleted; the user\'s zone stays', async () => {
    const { run, corp } = await runWithUserZone();
    const userHosts = hostsOf(loadWorld(run));

    await applyAndReplan(run, 'peering', 'privatezone', 'default');
    const applied = loadWorld(run);
    const domain = scenarioFacts(applied).vpcDomain;
    const ours = Object.values(pvtzState(applied, applied.accountIds()[0]!).zones).filter((z) => z.zoneName === domain);
    assert.equal(ours.length, 1);
    const corpBefore = zonesOf(applied)[corp.zoneId];
    const userData = clusterFacts(applied, scenarioFacts(applied).clusterId)!.nodePools.map((p) => p.userData);

    const destroyed = await destroyDns(run, 'peering', 'hosts', ['--yes']);
    ok(destroyed, 'destroy');
    assert.match(destroyed.stdout, /Unbind PrivateZone zone \S+ from A's VPC/);
    assert.match(destroyed.stdout, new RegExp(`Delete PrivateZone zone ${domain.replace(/\./g, '\\.')} \\(${ours[0]!.zoneId}\\)`));
    const after = loadWorld(run);
    assert.deepEqual(Object.keys(zonesOf(after)), [corp.zoneId], 'our zone is gone, the user\'s is the only one left');
    assert.equal(zonesOf(after)[corp.zoneId], corpBefore, "the user's zone is exactly as it was");
    assert.equal(Object.values(pvtzState(after, after.accountIds()[0]!).records).filter((r) => r.zoneId === ours[0]!.zoneId).length, 0, 'its records went with it');
    assert.deepEqual(clusterFacts(after, scenarioFacts(after).clusterId)!.nodePools.map((p) => p.userData), userData, 'user data untouched');
    assert.deepEqual(hostsOf(after), userHosts, 'no node was touched');

    await assertSecondDestroyIsNoop(run, 'peering', 'hosts');
  });

  it("A's cluster deleted after apply: our zone is still found, unbound from the VPC it was bound to and deleted; the user's zone stays", async () => {
    const { run, f, corp } = await runWithUserZone();

    await applyAndReplan(run, 'peering', 'privatezone', 'default');
    const applied = loadWorld(run);
    const { clusterId, vpcDomain } = scenarioFacts(applied);
    const ours = Object.values(pvtzState(applied, applied.accountIds()[0]!).zones).filter((z) => z.zoneName === vpcDomain);
    assert.equal(ours.length, 1);
    assert.deepEqual(ours[0]!.bindings.map((b) => b.vpcId), [String(f.vpcA)]);
    const corpBefore = zonesOf(applied)[corp.zoneId];

    deleteCluster(run.state, clusterId);
    assert.equal(clusterFacts(loadWorld(run), clusterId), undefined, 'the cluster is gone');

    const destroyed = await destroyDns(run, 'peering', 'privatezone', ['--yes']);
    ok(destroyed, 'destroy');
    assert.match(destroyed.stdout, new RegExp(`cluster ${clusterId} no longer exists in account A`));
    assert.match(destroyed.stdout, new RegExp(`Unbind PrivateZone zone \\S+ from VPC ${String(f.vpcA)} \\(the zone's only VPC, taken as A's`));
    assert.match(destroyed.stdout, new RegExp(`Delete PrivateZone zone ${vpcDomain.replace(/\./g, '\\.')} \\(${ours[0]!.zoneId}\\)`));
    assert.doesNotMatch(destroyed.stdout, /hosts block|node pool/, 'nothing of the nodes is planned: they went with the cluster');
    const after = loadWorld(run);
    assert.deepEqual(Object.keys(zonesOf(after)), [corp.zoneId], "our zone is gone, the user's is the only one left");
    assert.equal(zonesOf(after)[corp.zoneId], corpBefore, "the user's zone is exactly as it was (its binding to A's VPC too)");
    const records = Object.values(pvtzState(after, after.accountIds()[0]!).records);
    assert.deepEqual(records.filter((r) => isOurs(r.remark)), [], 'no record of ours is left');

    await assertSecondDestroyIsNoop(run, 'peering', 'privatezone');
  });
});
