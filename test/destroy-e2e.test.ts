// End to end: `destroy` on the sandbox (BUILT CLI; run `npm run build` first). A world with things of the user's
// (routes, a zone, user data, a RAM role, another registry's helper entry) gets a full setup, then destroy: nothing
// carrying our marker is left, and the world is as it was before apply except what the plan said it keeps.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import * as cs from '../src/cloud/cs.js';
import * as pvtz from '../src/cloud/pvtz.js';
import * as ram from '../src/cloud/ram.js';
import * as vpc from '../src/cloud/vpc.js';
import { startSandbox } from '../src/sandbox/index.js';
import { sandboxMeta } from '../src/sandbox/scenarios.js';
import { World, type WorldData } from '../src/sandbox/world.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { cloudFor, until } from './helpers/sandbox-network.js';
import { HISTORY, markedPaths, notHistory, unexplained, worldDiff, type Difference } from './helpers/world-diff.js';
import { deleteCluster } from './helpers/world-edits.js';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const load = (state: string): WorldData => World.load(join(state, 'state.json')).data;

/** Runs the CLI on the sandbox world in `state`, from a working directory of its own (no config file). */
const cli = (state: string, command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> =>
  runCli(['--sandbox-state', state, command, '--sandbox', ...args], { cwd: tmp('acrx-destroy-cwd-'), env });

const ok = (r: CliResult, what: string) => assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stderr.slice(-2000)}`);


/** Kept on purpose, and said so in destroy's plan: RRSA (with the OIDC provider ACK made), the registry's VPC link. */
const KEPT = [
  /^accounts\.\d+\.slices\.cs\.clusters\.\w+\.rrsaEnabled(AtMs)?$/,
  /^accounts\.\d+\.slices\.ims\.oidcProviders\b/,
  /^accounts\.\d+\.slices\.cr\.instances\.[\w-]+\.(modifiedAtMs|modules\.Registry\.linkedVpcs)$/,
];

const show = (diffs: Difference[]) => diffs.map((d) => `${d.kind} ${d.path}`).join('\n');

const USER_SCRIPT = '#!/bin/bash\nset -e\necho "vm.max_map_count=262144" > /etc/sysctl.d/90-team.conf\n';

/** A default world with the user's own routes in A and B, a zone of theirs, node-pool user data and a RAM role in B. */
async function worldWithUserThings(scenario: string): Promise<string> {
  const state = tmp('acrx-destroy-state-');
  const sandbox = await startSandbox({ dir: state, scenario });
  try {
    const f = sandbox.meta.facts;
    const cloud = cloudFor(sandbox, { a: String(f.regionA), b: String(f.regionB) });
    const A = cloud.account('A');
    const B = cloud.account('B');
    const [nodeVSwitch] = await vpc.describeVSwitches(A, { vpcId: String(f.vpcA) });
    const [nat] = await vpc.describeNatGateways(A, { vpcId: String(f.vpcA) });
    await vpc.createRouteEntry(A, { routeTableId: nodeVSwitch!.routeTableId!, destinationCidrBlock: '10.99.0.0/16', nextHopType: 'NatGateway', nextHopId: nat!.natGatewayId, routeEntryName: 'office' });
    const [bSystem] = (await vpc.describeRouteTableList(B, { vpcId: String(f.vpcB) })).filter((t) => t.routeTableType === 'System');
    await vpc.createRouteEntry(B, { routeTableId: bSystem!.routeTableId, destinationCidrBlock: '10.98.0.0/16', nextHopType: 'Instance', nextHopId: String(f.probeInstanceId), routeEntryName: 'via-bastion' });
    const corp = await pvtz.addZone(A, { zoneName: 'corp.example.com' });
    await pvtz.addZoneRecord(A, { zoneId: corp.zoneId, rr: 'www', value: '10.1.2.3' });
    await pvtz.bindZoneVpc(A, corp.zoneId, [{ vpcId: String(f.vpcA), regionId: String(f.regionA) }]);
    const [pool] = await cs.describeClusterNodePools(A, String(f.clusterId));
    await cs.modifyClusterNodePool(A, String(f.clusterId), pool!.nodepoolId, { userData: USER_SCRIPT });
    const trust: ram.PolicyDocument = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }] };
    await ram.createRole(B, { roleName: 'team-ci', trustPolicy: trust, description: 'the CI runners' });
    // Settled before the snapshot: a route still Pending or a pool still updating is not a change destroy made.
    await until(() => vpc.describeRouteEntryList(A, { routeTableId: nodeVSwitch!.routeTableId! }), (rs) => rs.every((r) => r.status === 'Available'));
    await until(() => vpc.describeRouteEntryList(B, { routeTableId: bSystem!.routeTableId }), (rs) => rs.every((r) => r.status === 'Available'));
    await until(() => cs.describeClusterNodePools(A, String(f.clusterId)), (ps) => ps.every((p) => p.state === 'active'));
  } finally {
    await sandbox.close();
  }
  return state;
}

describe('destroy (sandbox, built CLI)', { concurrency: true, timeout: 600_000 }, () => {
  it('removes everything with our marker, in reverse order, and leaves the world as it was before apply', async () => {
    const mode = ['--network', 'peering', '--dns', 'privatezone', '--auth', 'rrsa', '--edition', 'managed'];
    const state = await worldWithUserThings('default');
    const before = load(state);
    ok(await cli(state, 'apply', ['--yes', ...mode]), 'apply');
    ok(await cli(state, 'verify', ['--keep', ...mode]), 'verify --keep');
    const applied = load(state);
    assert.ok(markedPaths(applied).filter(notHistory).length > 10, 'the setup carries our marker');

    // No terminal and no --yes: refused before any write, naming the flag.
    const unconfirmed = await cli(state, 'destroy', mode);
    assert.notEqual(unconfirmed.code, 0);
    assert.match(unconfirmed.stderr, /destroy needs a confirmation.*pass --yes/s);
    // A dry run shows the removals and writes nothing.
    const dry = await cli(state, 'destroy', ['--dry-run', '--remove-addon', ...mode]);
    ok(dry, 'destroy --dry-run');
    assert.match(dry.stdout, /Delete RAM role acr-xaccount-helper/);
    assert.match(dry.stdout, /to delete/);
    assert.match(dry.stderr, /Dry run: nothing was changed/);
    assert.deepEqual(unexplained(worldDiff(applied, load(state)), HISTORY), [], 'neither the refused run nor the dry run changed anything');

    const destroyed = await cli(state, 'destroy', ['--yes', '--remove-addon', ...mode]);
    ok(destroyed, 'destroy');
    assert.match(destroyed.stderr, /Destroy complete: \d+ actions done\./);
    const after = load(state);
    assert.deepEqual(markedPaths(after).filter(notHistory), [], 'nothing with our marker is left');
    const diffs = unexplained(worldDiff(before, after), [...HISTORY, ...KEPT]);
    assert.equal(show(diffs), '', 'everything else is as it was before apply');
    // What stays is said in the plan.
    assert.match(destroyed.stdout, /Keep RRSA/i);
    assert.match(destroyed.stdout, /Keep .*link/i);

    const again = await cli(state, 'destroy', ['--yes', ...mode]);
    ok(again, 'a second destroy');
    assert.match(again.stdout, /No changes/);
    // What destroy leaves is a world apply can build on again, down to a working pull.
    const rebuilt = await cli(state, 'apply', ['--yes', ...mode]);
    ok(rebuilt, 'apply after destroy');
    assert.match(rebuilt.stderr, /Successfully pulled image/);
  });

  it('keeps the add-on and the other registry\'s entry unless asked; CEN, hosts and an AccessKey go', async () => {
    const mode = ['--network', 'cen', '--dns', 'hosts', '--auth', 'access-key', '--edition', 'self-managed'];
    const state = await worldWithUserThings('existing-helper-config');
    const before = load(state);
    const configMap = (data: WorldData) => {
      const cluster = Object.values((data.shared.kube as { clusters: Record<string, { objects: Record<string, Record<string, { data?: Record<string, string> }>> }> }).clusters)[0]!;
      return cluster.objects.configmaps?.['kube-system/acr-configuration']?.data ?? {};
    };
    const otherEntry = configMap(before)['acr-registry-info'];
    assert.ok(otherEntry, 'the scenario has another registry in the helper config');
    ok(await cli(state, 'apply', ['--yes', ...mode]), 'apply');
    const ourKey = Object.values(load(state).accessKeys).find((k) => k.userName === 'acr-xaccount-puller');
    assert.ok(ourKey, 'apply made our RAM user a key');
    const destroyed = await cli(state, 'destroy', ['--yes', ...mode]);
    ok(destroyed, 'destroy');
    assert.ok(!`${destroyed.stdout}${destroyed.stderr}`.includes(ourKey.secret), 'the key secret in the entry being removed is never shown');
    const after = load(state);
    assert.deepEqual(markedPaths(after).filter(notHistory), [], 'nothing with our marker is left');
    assert.equal(configMap(after)['acr-registry-info'], otherEntry, "the other registry's entry is exactly as it was");
    const addonKept = [/^accounts\.\d+\.slices\.cs\.clusters\.\w+\.addons\b/, /^shared\.kube\.clusters\.\w+\.objects\.(deployments|replicasets|pods|serviceaccounts)\b/, /^shared\.kube\.clusters\.\w+\.objects\.configmaps\.kube-system\/acr-configuration\.data\.(?!acr-registry-info)/];
    const diffs = unexplained(worldDiff(before, after), [...HISTORY, ...KEPT, ...addonKept]);
    assert.equal(show(diffs), '', 'everything else is as it was before apply');
    assert.match(destroyed.stdout, /Keep add-on aliyun-acr-credential-helper installed/);
  });

  it('after the cluster was deleted, removes what was made around it (roles, policies, zone, peering, routes) all the same', async () => {
    const mode = ['--network', 'peering', '--dns', 'privatezone', '--auth', 'rrsa', '--edition', 'managed'];
    const state = await worldWithUserThings('default');
    ok(await cli(state, 'apply', ['--yes', ...mode]), 'apply');
    const clusterId = String(sandboxMeta(World.load(join(state, 'state.json'))).facts.clusterId);
    deleteCluster(state, clusterId);
    const destroyed = await cli(state, 'destroy', ['--yes', ...mode]);
    ok(destroyed, 'destroy');
    assert.match(destroyed.stdout, new RegExp(`cluster ${clusterId} no longer exists in account A`));
    assert.deepEqual(markedPaths(load(state)).filter(notHistory), [], 'nothing with our marker is left');
    const again = await cli(state, 'destroy', ['--yes', ...mode]);
    ok(again, 'a second destroy');
    assert.match(again.stdout, /No changes/);
  });
});
