// End to end through the built CLI against the sandbox: `destroy --step network` after `apply --step network`, for
// VPC peering, a switch from peering to CEN, CEN across regions (with the inter-region connection) and the public
// endpoint, and for peering and CEN with A's cluster deleted before destroy. Each run adds things of the user by
// hand first; after destroy the world must hold nothing with our marker, and be exactly as it was before apply
// except for what destroy says it keeps (the registry's link, the Internet endpoint left on) and records that
// cannot be removed (the Cloud Assistant lookup). (Run `npm run build` first.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import * as cr from '../src/cloud/cr.js';
import * as ecs from '../src/cloud/ecs.js';
import * as vpc from '../src/cloud/vpc.js';
import { startSandbox } from '../src/sandbox/index.js';
import { registryFacts } from '../src/sandbox/state/cr-facts.js';
import { World } from '../src/sandbox/world.js';
import { MARKER } from '../src/steps/marker.js';
import { freshRun, loadWorld, OTHER_CHOICES, scenarioFacts, writeCalls, type Run } from './network-e2e-helpers.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { cloudFor, until } from './helpers/sandbox-network.js';
import { deleteClusterIn } from './helpers/world-edits.js';

/** `acr-xaccount --sandbox-state DIR <command> --sandbox --step network --network MODE ...`. */
const net = (run: Run, command: string, mode: string, args: string[] = []): Promise<CliResult> =>
  runCli(['--sandbox-state', run.state, command, '--sandbox', '--step', 'network', '--network', mode, '--dns', 'privatezone', ...OTHER_CHOICES, ...args], { cwd: run.cwd });

const ok = (r: CliResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stderr}\n${r.stdout}`);
const stateText = (run: Run) => readFileSync(join(run.state, 'state.json'), 'utf8');

/** Adds a route of the user in every route table of A's cluster VPC and of B's VPC, to an instance in that VPC. */
async function addUserRoutes(run: Run, scenario: string): Promise<void> {
  const sandbox = await startSandbox({ dir: run.state, scenario });
  const f = sandbox.meta.facts;
  const cloud = cloudFor(sandbox, { a: String(f.regionA ?? 'cn-hangzhou'), b: String(f.regionB ?? 'cn-hangzhou') });
  for (const [account, vpcId, destination] of [['A', String(f.vpcA), '10.99.0.0/16'], ['B', String(f.vpcB), '10.98.0.0/16']] as const) {
    const acct = cloud.account(account);
    const [instance] = await ecs.describeInstances(acct, { vpcId });
    assert.ok(instance, `an instance in ${vpcId}`);
    for (const table of await vpc.describeRouteTableList(acct, { vpcId })) {
      await vpc.createRouteEntry(acct, { routeTableId: table.routeTableId, destinationCidrBlock: destination, nextHopType: 'Instance', nextHopId: instance.instanceId, routeEntryName: 'office-vpn' });
      await until(() => vpc.describeRouteEntryList(acct, { routeTableId: table.routeTableId, destinationCidrBlock: destination }), (l) => l[0]?.status === 'Available');
    }
  }
  await sandbox.close();
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown): boolean => v === undefined || (isRecord(v) && Object.values(v).every(isEmpty)) || (Array.isArray(v) && v.length === 0);

/** Paths where two worlds differ (an empty object or list counts as absent: reads create empty state slices). */
function differences(before: unknown, after: unknown, path = ''): string[] {
  if (isEmpty(before) && isEmpty(after)) return [];
  if (isRecord(before) && isRecord(after)) return [...new Set([...Object.keys(before), ...Object.keys(after)])].flatMap((k) => differences(before[k], after[k], path ? `${path}.${k}` : k));
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path];
}

/** What may differ after apply + destroy: the clock, the ID counter, the lookup's record, and what destroy keeps. */
const EXPECTED = [/^nowMs$/, /^seq$/, /\.slices\.ecs\.invocations\.t-/, /\.slices\.cr\.instances\.[^.]+\.(modifiedAtMs|modules\.Registry\.(linkedVpcs|internet))$/];

/** After destroy: nothing carries our marker, nothing else changed, and a second destroy plans no change. */
async function assertTornDown(run: Run, before: string, mode: string): Promise<void> {
  const after = stateText(run);
  assert.ok(!after.includes(MARKER), `something still carries ${MARKER}: ${after.slice(Math.max(0, after.indexOf(MARKER) - 300), after.indexOf(MARKER) + 50)}`);
  const changed = differences(JSON.parse(before), JSON.parse(after)).filter((p) => !EXPECTED.some((re) => re.test(p)));
  assert.deepEqual(changed, [], 'only what destroy keeps differs from the world before apply');
  const again = await net(run, 'destroy', mode, ['--dry-run', '--verbose']);
  ok(again, 'the second destroy');
  assert.match(again.stdout, /No changes\./);
  assert.deepEqual(writeCalls(again.stderr), []);
}

describe('network destroy', { timeout: 180_000 }, () => {
  it('peering: a dry run changes nothing; destroy removes our routes and the peering, keeps the link and the user routes', async () => {
    const run = freshRun();
    await addUserRoutes(run, 'default');
    const before = stateText(run);
    ok(await net(run, 'apply', 'peering', ['--sandbox-scenario', 'default', '--yes']), 'apply');
    const applied = stateText(run);

    const dry = await net(run, 'destroy', 'peering', ['--dry-run', '--verbose', '--json']);
    ok(dry, 'destroy --dry-run');
    const titles = (JSON.parse(dry.stdout) as { actions: { change: string; title: string }[] }).actions.map((a) => `${a.change} ${a.title}`);
    assert.ok(titles.some((t) => /^delete Delete VPC peering pcc-\S+ \(acr-xaccount-registry\)/.test(t)), titles.join('\n'));
    assert.ok(titles.some((t) => /^noop Keep the registry's link to B's VPC/.test(t)), titles.join('\n'));
    for (const account of ['A', 'B']) {
      assert.ok(titles.some((t) => new RegExp(`^noop Keep \\d+ routes? in ${account}'s route tables that acr-xaccount did not make$`).test(t)), titles.join('\n'));
    }
    assert.doesNotMatch(dry.stdout, /10\.9[89]\.0\.0\/16/, "the user's routes are not listed");
    assert.deepEqual(writeCalls(dry.stderr), [], 'a dry run makes no write call');
    assert.deepEqual(differences(JSON.parse(applied), JSON.parse(stateText(run))).filter((p) => !/^(nowMs|seq)$/.test(p)), []);

    const destroy = await net(run, 'destroy', 'peering', ['--yes']);
    ok(destroy, 'destroy');
    assert.match(destroy.stderr, /Destroy complete: 6 actions done/);
    const { linkedVpcs } = registryFacts(loadWorld(run), String(scenarioFacts(loadWorld(run)).instanceId))!;
    assert.deepEqual(linkedVpcs.map((l) => l.status), ['RUNNING'], "the registry's link stays");
    await assertTornDown(run, before, 'peering');
  });

  it('a switch from peering to CEN: destroy removes what both made, whatever mode the config names', async () => {
    const run = freshRun();
    await addUserRoutes(run, 'default');
    const before = stateText(run);
    ok(await net(run, 'apply', 'peering', ['--sandbox-scenario', 'default', '--yes']), 'apply peering');
    ok(await net(run, 'apply', 'cen', ['--yes']), 'apply cen');
    const destroy = await net(run, 'destroy', 'cen', ['--yes']);
    ok(destroy, 'destroy');
    assert.match(destroy.stdout, /Delete VPC peering .*\n(.|\n)*Delete CEN cen-/);
    await assertTornDown(run, before, 'cen');
  });

  it('CEN across regions: routes, TR routes, the inter-region connection, attachments, routers, the grant and the CEN go', async () => {
    const run = freshRun();
    await addUserRoutes(run, 'cross-region');
    const before = stateText(run);
    ok(await net(run, 'apply', 'cen', ['--sandbox-scenario', 'cross-region', '--yes']), 'apply');
    const destroy = await net(run, 'destroy', 'cen', ['--yes']);
    ok(destroy, 'destroy');
    for (const what of [/Delete transit-router route/, /Delete the inter-region connection/, /Delete transit router tr-\S+ in cn-shanghai/, /Revoke B's grant of VPC/, /Delete CEN/]) assert.match(destroy.stdout, what);
    await assertTornDown(run, before, 'cen');
  });

  it("public: our ACL entries go; the endpoint stays on with the user's entries", async () => {
    const run = freshRun();
    ok(await net(run, 'apply', 'public', ['--sandbox-scenario', 'default', '--yes']), 'apply');
    const sandbox = await startSandbox({ dir: run.state });
    const instanceId = String(sandbox.meta.facts.instanceId);
    const B = cloudFor(sandbox).account('B');
    await cr.createInstanceEndpointAclPolicy(B, { instanceId, entry: '203.0.113.0/24', comment: 'office' });
    const entries = (await cr.getInstanceEndpoint(B, instanceId, 'Internet'))!.aclEntries;
    await sandbox.close();
    const theirs = entries.filter((e) => !(e.comment ?? '').includes(MARKER)).map((e) => e.entry);
    assert.ok(entries.length > theirs.length && theirs.includes('203.0.113.0/24'), 'apply added our entries, the user added one');
    const acl = () => registryFacts(loadWorld(run), instanceId)!.internet.aclEntries;

    const destroy = await net(run, 'destroy', 'public', ['--yes']);
    ok(destroy, 'destroy');
    assert.match(destroy.stdout, /Remove \S+\/32 from the Internet endpoint's ACL/);
    assert.deepEqual([...acl()].sort(), [...theirs].sort());
    assert.equal(registryFacts(loadWorld(run), instanceId)!.internet.enabled, true);
    assert.ok(!stateText(run).includes(MARKER));
    const again = await net(run, 'destroy', 'public', ['--dry-run', '--json']);
    ok(again, 'the second destroy');
    const plan = JSON.parse(again.stdout) as { changes: boolean; actions: { title: string }[] };
    assert.equal(plan.changes, false);
    assert.ok(plan.actions.some((a) => /^Keep the Internet endpoint of cri-\S+ on/.test(a.title)), 'the endpoint is said to stay on');
  });
});

/**
 * Adds a route of the user in every route table of A's VPC (to its NAT gateway: the nodes go with the cluster) and
 * of B's VPC (to an instance there); returns A's route tables.
 */
async function addUserRoutesBesideNodes(run: Run, scenario: string): Promise<string[]> {
  const sandbox = await startSandbox({ dir: run.state, scenario });
  const f = sandbox.meta.facts;
  const cloud = cloudFor(sandbox, { a: String(f.regionA ?? 'cn-hangzhou'), b: String(f.regionB ?? 'cn-hangzhou') });
  const [nat] = await vpc.describeNatGateways(cloud.account('A'), { vpcId: String(f.vpcA) });
  const [instance] = await ecs.describeInstances(cloud.account('B'), { vpcId: String(f.vpcB) });
  assert.ok(nat && instance, `a NAT gateway in ${String(f.vpcA)} and an instance in ${String(f.vpcB)}`);
  const tablesA: string[] = [];
  for (const [account, vpcId, destination, nextHopType, nextHopId] of [
    ['A', String(f.vpcA), '10.99.0.0/16', 'NatGateway', nat.natGatewayId],
    ['B', String(f.vpcB), '10.98.0.0/16', 'Instance', instance.instanceId],
  ] as const) {
    const acct = cloud.account(account);
    for (const table of await vpc.describeRouteTableList(acct, { vpcId })) {
      if (account === 'A') tablesA.push(table.routeTableId);
      await vpc.createRouteEntry(acct, { routeTableId: table.routeTableId, destinationCidrBlock: destination, nextHopType, nextHopId, routeEntryName: 'office-vpn' });
      await until(() => vpc.describeRouteEntryList(acct, { routeTableId: table.routeTableId, destinationCidrBlock: destination }), (l) => l[0]?.status === 'Available');
    }
  }
  await sandbox.close();
  return tablesA;
}

describe('network destroy after A deleted its cluster', { timeout: 180_000 }, () => {
  /**
   * apply MODE, delete the cluster, destroy: our routes in A's VPC are found through what joins it (our peering, our
   * attachment), everything of ours goes, and the world is the one before apply without the cluster.
   */
  async function clusterGone(mode: 'peering' | 'cen'): Promise<CliResult> {
    const run = freshRun();
    const tablesA = await addUserRoutesBesideNodes(run, 'default');
    const before = stateText(run);
    ok(await net(run, 'apply', mode, ['--sandbox-scenario', 'default', '--yes']), 'apply');
    const { clusterId } = scenarioFacts(loadWorld(run));
    const world = loadWorld(run);
    deleteClusterIn(world, clusterId);
    world.save(join(run.state, 'state.json'));
    const expected = new World(JSON.parse(before) as World['data']);
    deleteClusterIn(expected, clusterId);

    const destroy = await net(run, 'destroy', mode, ['--yes']);
    ok(destroy, 'destroy');
    const inA = destroy.stdout.split('\n').filter((l) => /Delete route \S+ \(acr-xaccount-(registry|auth|oss)\) in vtb-/.test(l));
    assert.equal(inA.length, 3, `our three routes in A's VPC go:\n${destroy.stdout}`);
    assert.ok(inA.every((l) => tablesA.some((t) => l.includes(` in ${t} `))), inA.join('\n'));
    assert.match(destroy.stdout, /Keep \d+ routes? in A's route tables that acr-xaccount did not make/);
    assert.match(destroy.stdout, /Keep \d+ routes? in B's route tables that acr-xaccount did not make/);
    await assertTornDown(run, JSON.stringify(expected.data), mode);
    return destroy;
  }

  it("peering: A's VPC is the requester of our peering; our routes there, B's, and the peering go", async () => {
    const destroy = await clusterGone('peering');
    assert.match(destroy.stdout, /Delete VPC peering pcc-\S+ \(acr-xaccount-registry\)/);
  });

  it("CEN: A's VPC is the one our attachment joins; routes, TR routes, attachments, router, grant and CEN go", async () => {
    const destroy = await clusterGone('cen');
    for (const what of [/Delete the VPC attachment \S+ of A's VPC/, /Delete the VPC attachment \S+ of B's VPC/, /Delete transit router/, /Revoke B's grant of VPC/, /Delete CEN cen-/]) {
      assert.match(destroy.stdout, what);
    }
  });
});
