// End to end through the BUILT CLI against the sandbox (run `npm run build` first): `apply --step auth --step addon`
// for every supported row (auth x edition), then the saved world shows the helper's credential chain reaching role B
// (or the RAM user) with pull rights, a second plan shows no change, what was there before is intact, a dry run
// writes nothing, unsupported setups are refused before any write, and an AccessKey secret lives only in the cluster.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { parse as parseYaml } from 'yaml';

import { kubeStore } from '../src/sandbox/kube/index.js';
import { crResourceArn, isAllowed } from '../src/sandbox/policy.js';
import { credentialChain, helperView } from '../src/sandbox/pull-helper.js';
import { createWorld, sandboxMeta } from '../src/sandbox/scenarios.js';
import { clusterFacts } from '../src/sandbox/state/cs-seed.js';
import { World } from '../src/sandbox/world.js';
import { runCli, type CliResult } from './helpers/cli.js';

type Auth = 'rrsa' | 'worker-role' | 'access-key';
type Edition = 'managed' | 'self-managed';

/** A fresh sandbox state folder (also the working directory, so no config file is shared). */
const fresh = () => mkdtempSync(join(tmpdir(), 'acrx-auth-addon-'));

function acrx(dir: string, scenario: string, command: string, auth: Auth, edition: Edition, extra: string[] = []): Promise<CliResult> {
  return runCli(['--sandbox-state', dir, '--sandbox-scenario', scenario, command, '--sandbox', '--network', 'public', '--auth', auth, '--edition', edition, '--step', 'auth', '--step', 'addon', ...extra], { cwd: dir });
}

const load = (dir: string) => World.load(join(dir, 'state.json'));

/** The helper's credential chain for our instance on the saved world, and whether its end may pull. */
function chainOf(dir: string): { ok: boolean; arn?: string; detail?: string; mayPull: boolean } {
  const world = load(dir);
  const meta = sandboxMeta(world);
  const cluster = clusterFacts(world, String(meta.facts.clusterId))!;
  const view = helperView(world, cluster);
  if (typeof view === 'string') return { ok: false, detail: view, mayPull: false };
  const entry = view.entries.find((e) => e.instanceId === meta.facts.instanceId);
  if (!entry) return { ok: false, detail: 'no entry for the instance', mayPull: false };
  const chain = credentialChain(world, cluster, view, entry);
  if (!chain.ok) return { ok: false, detail: `${chain.link}: ${chain.detail}`, mayPull: false };
  const region = String(meta.facts.regionB);
  const token = isAllowed(world, chain.caller, 'cr:GetAuthorizationToken', crResourceArn(region, meta.accounts.B));
  const pull = isAllowed(world, chain.caller, 'cr:PullRepository', crResourceArn(region, meta.accounts.B, { instanceId: String(meta.facts.instanceId), namespace: 'team', repository: 'app' }));
  return { ok: true, arn: chain.caller.arn, mayPull: token && pull };
}

async function applyAndCheck(scenario: string, auth: Auth, edition: Edition, expectedArn: RegExp): Promise<string> {
  const dir = fresh();
  const applied = await acrx(dir, scenario, 'apply', auth, edition, ['--yes']);
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stderr, /Apply complete/);
  const chain = chainOf(dir);
  assert.ok(chain.ok, chain.detail);
  assert.match(chain.arn!, expectedArn);
  assert.ok(chain.mayPull, `${chain.arn} may not pull`);
  const again = await acrx(dir, scenario, 'plan', auth, edition, ['--detailed-exitcode']);
  assert.equal(again.code, 0, `${again.stdout}${again.stderr}`);
  assert.match(again.stdout, /No changes\./);
  return dir;
}

const ROLE_B = /^acs:ram::\d+:assumed-role\/acr-xaccount-puller\//;
const USER = /^acs:ram::\d+:user\/acr-xaccount-puller$/;

describe('apply --step auth --step addon, every supported row', { concurrency: 4 }, () => {
  it('rrsa x managed: RRSA enabled, role A -> role B, pulls; nothing left to do', async () => {
    await applyAndCheck('default', 'rrsa', 'managed', ROLE_B);
  });

  it('rrsa x self-managed (ACK Basic)', async () => {
    await applyAndCheck('ack-basic', 'rrsa', 'self-managed', ROLE_B);
  });

  it('rrsa x self-managed with an existing helper: the other instance\'s entry is intact, the helper restarted after RRSA', async () => {
    const before = pristine('existing-helper-config');
    const original = configMap(before)['acr-registry-info']!;
    const dir = await applyAndCheck('existing-helper-config', 'rrsa', 'self-managed', ROLE_B);
    const world = load(dir);
    const data = configMap(world);
    assert.ok(data['acr-registry-info']!.startsWith(original), 'the other entry keeps its exact text');
    assert.equal(data['notify-email'], 'platform@example.com');
    const cluster = clusterFacts(world, String(sandboxMeta(world).facts.clusterId))!;
    const view = helperView(world, cluster);
    assert.ok(typeof view !== 'string' && view.startedAtMs! >= cluster.rrsa.enabledAtMs!, 'the helper pod started after RRSA');
  });

  it('worker-role x self-managed (ACK dedicated)', async () => {
    await applyAndCheck('ack-dedicated', 'worker-role', 'self-managed', ROLE_B);
  });

  it('worker-role x self-managed with a hand-made role B: its trust statement stays, ours is added', async () => {
    const dir = await applyAndCheck('short-session-role', 'worker-role', 'self-managed', ROLE_B);
    const world = load(dir);
    const trust = roleTrust(world, 'acr-xaccount-puller');
    assert.ok(trust.includes('acs:ram::1999888877776666:root'), trust);
    assert.match(trust, /KubernetesWorkerRole-/);
  });

  it('access-key x self-managed: one key, its secret only in the ConfigMap (and RAM); --rotate-key switches then deletes', async () => {
    const dir = fresh();
    const applied = await acrx(dir, 'ack-basic', 'apply', 'access-key', 'self-managed', ['--yes', '--verbose']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /long-lived AccessKey secret/);
    const first = userKeys(load(dir));
    assert.equal(first.length, 1);
    const chain = chainOf(dir);
    assert.ok(chain.ok && chain.mayPull, chain.detail);
    assert.match(chain.arn!, USER);
    assert.equal((await acrx(dir, 'ack-basic', 'plan', 'access-key', 'self-managed', ['--detailed-exitcode'])).code, 0);

    const rotated = await acrx(dir, 'ack-basic', 'apply', 'access-key', 'self-managed', ['--yes', '--verbose', '--json', '--rotate-key']);
    assert.equal(rotated.code, 0, rotated.stderr);
    const second = userKeys(load(dir));
    assert.equal(second.length, 1, 'the old key is deleted once the cluster uses the new one');
    assert.notEqual(second[0]!.id, first[0]!.id);
    assert.equal(String(entryOf(load(dir)).customAccessKey), second[0]!.id);
    assert.ok(chainOf(dir).ok);
    assert.equal((await acrx(dir, 'ack-basic', 'plan', 'access-key', 'self-managed', ['--detailed-exitcode'])).code, 0);

    // Every output, every file but the sandbox's own state, the call log (--verbose): no secret of our user anywhere.
    const secrets = [...first, ...second].map((k) => k.secret);
    const texts = [applied.stdout, applied.stderr, rotated.stdout, rotated.stderr, ...filesUnder(dir).filter((f) => !f.endsWith('state.json')).map((f) => readFileSync(f, 'utf8'))];
    for (const secret of secrets) for (const text of texts) assert.ok(!text.includes(secret), 'a secret leaked into output or a file');
    // In the sandbox's world: in RAM's key store (the cloud's side) and in the ConfigMap, nowhere else.
    const world = load(dir);
    const current = second[0]!.secret;
    assert.equal(entryOf(world).customAccessKeySecret, current);
    const stateText = readFileSync(join(dir, 'state.json'), 'utf8');
    assert.equal(stateText.split(current).length - 1, 2);
    assert.ok(!stateText.includes(first[0]!.secret), 'the old secret is gone from the cluster too');
  });

  it('auth alone first (RRSA already on), then both: the second run plans only the add-on', async () => {
    const dir = fresh();
    const auth = await runCli(['--sandbox-state', dir, '--sandbox-scenario', 'rrsa-enabled', 'apply', '--sandbox', '--network', 'public', '--auth', 'rrsa', '--edition', 'managed', '--step', 'auth', '--yes'], { cwd: dir });
    assert.equal(auth.code, 0, auth.stderr);
    const plan = await acrx(dir, 'rrsa-enabled', 'plan', 'rrsa', 'managed', ['--json']);
    const actions = (JSON.parse(plan.stdout) as { actions: { id: string; change: string }[] }).actions.filter((a) => a.change !== 'noop');
    assert.deepEqual(actions.map((a) => a.id), ['addon.install']);
    assert.equal((await acrx(dir, 'rrsa-enabled', 'apply', 'rrsa', 'managed', ['--yes'])).code, 0);
    const chain = chainOf(dir);
    assert.ok(chain.ok && chain.mayPull, chain.detail);
  });

  it('an AccessKey left by an interrupted run is deleted; the working key stays', async () => {
    const dir = fresh();
    assert.equal((await acrx(dir, 'default', 'apply', 'access-key', 'self-managed', ['--yes'])).code, 0);
    const world = load(dir);
    const orphan = world.addAccessKey(sandboxMeta(world).accounts.B, 'acr-xaccount-puller');
    world.save(join(dir, 'state.json'));
    const plan = await acrx(dir, 'default', 'plan', 'access-key', 'self-managed', ['--detailed-exitcode']);
    assert.equal(plan.code, 2);
    assert.match(plan.stdout, new RegExp(`delete Delete AccessKey ${orphan.accessKeyId} .*not used by the cluster`));
    assert.equal((await acrx(dir, 'default', 'apply', 'access-key', 'self-managed', ['--yes'])).code, 0);
    assert.deepEqual(userKeys(load(dir)).map((k) => k.id), [String(entryOf(load(dir)).customAccessKey)]);
  });
});

describe('replacing the other edition', () => {
  it('--replace-edition uninstalls the self-managed helper, installs the managed one carrying the other instance; without it, refused with no write', async () => {
    const dir = fresh();
    const refusedRun = await acrx(dir, 'existing-helper-config', 'apply', 'rrsa', 'managed', ['--yes', '--verbose']);
    assert.equal(refusedRun.code, 1);
    assert.match(refusedRun.stderr, /self-managed edition \(aliyun-acr-credential-helper\) is installed.*--replace-edition/);
    assert.deepEqual(refusedRun.stderr.split('\n').filter((l) => l.startsWith('[call') && / write /.test(l)), []);
    const before = snapshot(load(dir));
    assert.deepEqual(addonNames(load(dir)), ['aliyun-acr-credential-helper']);

    const applied = await acrx(dir, 'existing-helper-config', 'apply', 'rrsa', 'managed', ['--yes', '--verbose', '--replace-edition']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /- delete Uninstall add-on aliyun-acr-credential-helper \(the self-managed edition\), replaced by the managed edition/);
    const writes = applied.stderr.split('\n').filter((l) => / CS:\w+ write /.test(l)).map((l) => /CS:(\w+)/.exec(l)![1]);
    assert.deepEqual(writes, ['ModifyCluster', 'UnInstallClusterAddons', 'InstallClusterAddons'], 'RRSA first, then the old edition out, ours in');

    const world = load(dir);
    assert.deepEqual(addonNames(world), ['managed-aliyun-acr-credential-helper'], 'the self-managed edition is gone');
    const id = String(sandboxMeta(world).facts.clusterId);
    const helper = clusterFacts(world, id)!.credentialHelper!;
    assert.deepEqual([helper.edition, helper.state], ['managed', 'active']);
    const moved = (helper.config.AcrInstanceInfo as Record<string, unknown>[]).map((e) => e.instanceId);
    assert.deepEqual(moved, ['cri-otherteam00001', sandboxMeta(world).facts.instanceId], "the other team's instance moved to the managed edition");
    assert.ok(kubeStore(world, id).get('Deployment', 'kube-system', 'aliyun-acr-credential-helper'), 'the managed edition runs its own helper');
    assert.deepEqual(configMap(world), (before as { configMap: unknown }).configMap, 'the ConfigMap is not ours to delete: kept as it was');
    const chain = chainOf(dir);
    assert.ok(chain.ok && chain.mayPull, chain.detail);
    assert.match(chain.arn!, ROLE_B);

    const again = await acrx(dir, 'existing-helper-config', 'plan', 'rrsa', 'managed', ['--detailed-exitcode', '--replace-edition']);
    assert.equal(again.code, 0, `${again.stdout}${again.stderr}`);
    assert.match(again.stdout, /No changes\./);
  });
});

describe('nothing is written', { concurrency: 4 }, () => {
  it('--dry-run: only reads in the call log, RAM, ACK and the ConfigMap as they were', async () => {
    const dir = fresh();
    assert.equal((await acrx(dir, 'existing-helper-config', 'plan', 'access-key', 'self-managed')).code, 0);
    const before = snapshot(load(dir));
    const dry = await acrx(dir, 'existing-helper-config', 'apply', 'access-key', 'self-managed', ['--dry-run', '--verbose']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /Dry run: nothing was changed/);
    const calls = dry.stderr.split('\n').filter((l) => l.startsWith('[call'));
    assert.ok(calls.length > 5);
    assert.deepEqual(calls.filter((l) => / write /.test(l)), []);
    assert.deepEqual(snapshot(load(dir)), before);
  });

  const refusals: [string, string, Auth, Edition, string[], RegExp][] = [
    ['RRSA on a dedicated cluster', 'ack-dedicated', 'rrsa', 'self-managed', [], /auth rrsa does not support the ACK dedicated cluster .*Kubernetes 1\.31.*--auth worker-role --edition self-managed/s],
    ['a cluster below every supported version', 'old-cluster', 'worker-role', 'self-managed', [], /Kubernetes 1\.18\.8-aliyun\.1.*upgrade it/s],
    ['the managed edition with the worker role', 'default', 'worker-role', 'managed', [], /use edition "self-managed"/],
    ['expireDuration 3599', 'default', 'rrsa', 'managed', ['--expire-duration', '3599'], /auth\.expireDuration .*3599/],
    ['expireDuration 43201', 'default', 'rrsa', 'managed', ['--expire-duration', '43201'], /auth\.expireDuration .*43201/],
    ["expireDuration above a hand-made role B's limit", 'short-session-role', 'worker-role', 'self-managed', ['--expire-duration', '7200'], /at most 3600 seconds \(MaxSessionDuration\).*--expire-duration/s],
    ['an unknown instance', 'default', 'rrsa', 'managed', ['--instance-id', 'cri-doesnotexist0'], /no ACR instance cri-doesnotexist0.*--instance-id/s],
    ['the managed edition over the self-managed one', 'existing-helper-config', 'rrsa', 'managed', [], /--replace-edition/],
  ];
  for (const [what, scenario, auth, edition, extra, message] of refusals) {
    it(`refuses ${what} before any write, saying what to change`, async () => {
      const r = await acrx(fresh(), scenario, 'apply', auth, edition, ['--yes', '--verbose', ...extra]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, message);
      assert.deepEqual(r.stderr.split('\n').filter((l) => l.startsWith('[call') && / write /.test(l)), []);
    });
  }

  it('refuses the add-on alone while RRSA is off (auth must run too)', async () => {
    const r = await runCli(['--sandbox-state', fresh(), 'apply', '--sandbox', '--network', 'public', '--auth', 'rrsa', '--edition', 'managed', '--step', 'addon', '--yes']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /RRSA is off .*--step auth/);
  });
});

// ---- reading the saved world ----------------------------------------------------------------------------------

/** A scenario's untouched world. */
const pristine = (scenario: string): World => createWorld(scenario);

function configMap(world: World): Record<string, string> {
  const cm = kubeStore(world, String(sandboxMeta(world).facts.clusterId)).get('ConfigMap', 'kube-system', 'acr-configuration');
  return (cm?.data ?? {}) as Record<string, string>;
}

function entryOf(world: World): Record<string, unknown> {
  const entries = parseYaml(configMap(world)['acr-registry-info'] ?? '') as Record<string, unknown>[];
  return entries.find((e) => e.instanceId === sandboxMeta(world).facts.instanceId) ?? {};
}

function addonNames(world: World): string[] {
  const cluster = clusterFacts(world, String(sandboxMeta(world).facts.clusterId))!;
  return cluster.addons.map((a) => a.name).filter((n) => n.includes('acr-credential-helper'));
}

function userKeys(world: World): { id: string; secret: string }[] {
  return Object.entries(world.data.accessKeys)
    .filter(([, k]) => k.userName === 'acr-xaccount-puller')
    .map(([id, k]) => ({ id, secret: k.secret }));
}

function roleTrust(world: World, roleName: string): string {
  const ram = world.data.accounts[sandboxMeta(world).accounts.B]!.slices.ram as { roles: Record<string, { assumeRolePolicyDocument: string }> };
  return Object.values(ram.roles).find((r) => JSON.stringify(r).includes(`"${roleName}"`))!.assumeRolePolicyDocument;
}

/** What a write would change: RAM in both accounts, the cluster's RRSA and add-ons, the helper's ConfigMap. */
function snapshot(world: World): unknown {
  const meta = sandboxMeta(world);
  const cs = world.data.accounts[meta.accounts.A]!.slices.cs as { clusters: Record<string, { rrsaEnabled: boolean; addons: unknown }> };
  return {
    ramA: world.data.accounts[meta.accounts.A]!.slices.ram,
    ramB: world.data.accounts[meta.accounts.B]!.slices.ram,
    keys: userKeys(world),
    clusters: Object.values(cs.clusters).map((c) => ({ rrsa: c.rrsaEnabled, addons: c.addons })),
    configMap: configMap(world),
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
