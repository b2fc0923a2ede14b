// End to end through the BUILT CLI against the sandbox (run `npm run build` first): `apply --step auth --step addon`,
// `verify --keep`, then `destroy --yes --step verify --step addon` (and once with --remove-addon). The saved world shows
// our entry gone, the other instance's entry and the settings exactly as they were, the add-on kept or uninstalled as
// asked, the test Deployment gone, RAM untouched (auth was not asked for); a second destroy plans no change.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { parse as parseYaml } from 'yaml';

import { kubeStore } from '../src/sandbox/kube/index.js';
import { createWorld, sandboxMeta } from '../src/sandbox/scenarios.js';
import { World } from '../src/sandbox/world.js';
import { runCli, type CliResult } from './helpers/cli.js';

type Edition = 'managed' | 'self-managed';
const ADDON: Record<Edition, string> = { managed: 'managed-aliyun-acr-credential-helper', 'self-managed': 'aliyun-acr-credential-helper' };
const OTHER_INSTANCE = 'cri-otherteam00001';

interface Run {
  dir: string;
  scenario: string;
  edition: Edition;
}

function acrx(run: Run, command: string, extra: string[] = []): Promise<CliResult> {
  const setup = ['--sandbox', '--network', 'public', '--auth', 'rrsa', '--edition', run.edition];
  return runCli(['--sandbox-state', run.dir, '--sandbox-scenario', run.scenario, command, ...setup, ...extra], { cwd: run.dir });
}

const load = (run: Run) => World.load(join(run.dir, 'state.json'));
const save = (run: Run, world: World) => world.save(join(run.dir, 'state.json'));
const ids = (world: World) => {
  const meta = sandboxMeta(world);
  return { A: meta.accounts.A, B: meta.accounts.B, clusterId: String(meta.facts.clusterId), instanceId: String(meta.facts.instanceId) };
};

type AddonRecord = { name: string; state: string; config: string };
function addonsOf(world: World): Record<string, AddonRecord> {
  const cs = world.data.accounts[ids(world).A]!.slices.cs as { clusters: Record<string, { addons: Record<string, AddonRecord> }> };
  return cs.clusters[ids(world).clusterId]!.addons;
}

function configMap(world: World): Record<string, string> {
  return (kubeStore(world, ids(world).clusterId).get('ConfigMap', 'kube-system', 'acr-configuration')?.data ?? {}) as Record<string, string>;
}

const verifyDeployment = (world: World) => kubeStore(world, ids(world).clusterId).get('Deployment', 'default', 'acr-xaccount-verify');
const ram = (world: World) => ({ A: world.data.accounts[ids(world).A]!.slices.ram, B: world.data.accounts[ids(world).B]!.slices.ram });

/** The instance IDs an entry list names. */
const instancesIn = (entries: unknown): string[] => ((entries ?? []) as { instanceId?: string }[]).map((e) => String(e.instanceId ?? ''));

/** apply --step auth --step addon, then verify --keep (the pull may fail: no network step; the Deployment stays either way). */
async function setUp(scenario: string, edition: Edition): Promise<Run> {
  const run = { dir: mkdtempSync(join(tmpdir(), 'acrx-addon-teardown-')), scenario, edition };
  const applied = await acrx(run, 'apply', ['--step', 'auth', '--step', 'addon', '--yes']);
  assert.equal(applied.code, 0, applied.stderr);
  return run;
}

async function verifyKeep(run: Run): Promise<void> {
  const kept = await acrx(run, 'verify', ['--keep']);
  assert.ok(kept.code === 0 || kept.code === 1, kept.stderr);
  assert.ok(verifyDeployment(load(run)), 'verify --keep left its Deployment');
}

async function destroy(run: Run, extra: string[] = []): Promise<CliResult> {
  const r = await acrx(run, 'destroy', ['--yes', '--step', 'verify', '--step', 'addon', ...extra]);
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /Destroy complete/);
  return r;
}

/** A second destroy (dry run, JSON plan) plans only noops. */
type PlannedAction = { id: string; change: string; title: string; detail?: Record<string, unknown> };
async function assertNothingLeft(run: Run, extra: string[] = []): Promise<PlannedAction[]> {
  const again = await acrx(run, 'destroy', ['--dry-run', '--json', '--step', 'verify', '--step', 'addon', ...extra]);
  assert.equal(again.code, 0, again.stderr);
  const actions = (JSON.parse(again.stdout) as { actions: PlannedAction[] }).actions;
  assert.deepEqual(actions.filter((a) => a.change !== 'noop'), [], 'a second destroy plans no change');
  return actions;
}

describe('destroy --step verify --step addon, self-managed beside another instance (existing-helper-config)', { concurrency: 2 }, () => {
  for (const removeAddon of [false, true]) {
    it(removeAddon ? '--remove-addon: entry out, then the add-on uninstalled; the ConfigMap keeps the other entry' : 'our entry spliced out, every other byte kept, the add-on kept', async () => {
      const run = await setUp('existing-helper-config', 'self-managed');
      const applied = configMap(load(run));
      const originalInfo = configMap(createWorld('existing-helper-config'))['acr-registry-info']!;
      assert.ok(applied['acr-registry-info']!.startsWith(originalInfo) && applied['acr-registry-info'] !== originalInfo, 'apply added our entry after the other');
      await verifyKeep(run);
      const before = load(run);
      const ramBefore = ram(before);

      const r = await destroy(run, removeAddon ? ['--remove-addon'] : []);
      assert.match(r.stdout, /~ update Remove this instance's entry \(cri-\w+\) from kube-system\/acr-configuration/);
      assert.match(r.stdout, /- delete Delete Deployment default\/acr-xaccount-verify/);
      if (removeAddon) {
        assert.match(r.stdout, /- delete Uninstall add-on aliyun-acr-credential-helper \(--remove-addon: 1 other instance loses its pulls\)/);
        assert.match(r.stdout, new RegExp(`servesOtherInstances = \\["${OTHER_INSTANCE}"\\]`), 'the plan names who is cut off');
      }

      const world = load(run);
      const data = configMap(world);
      assert.equal(data['acr-registry-info'], originalInfo, "the other instance's entry is back to its exact text, ours is gone");
      assert.deepEqual(instancesIn(parseYaml(data['acr-registry-info']!)), [OTHER_INSTANCE]);
      assert.deepEqual({ ...data, 'acr-registry-info': '' }, { ...applied, 'acr-registry-info': '' }, 'every settings key as it was');
      assert.equal(verifyDeployment(world), undefined, 'the test Deployment is gone');
      assert.deepEqual(ram(world), ramBefore, 'RAM untouched: auth was not asked for');
      const helper = addonsOf(world)[ADDON['self-managed']];
      if (removeAddon) assert.equal(helper, undefined, 'the add-on is uninstalled');
      else assert.equal(helper?.state, 'active', 'the add-on is kept');

      const left = await assertNothingLeft(run, removeAddon ? ['--remove-addon'] : []);
      assert.deepEqual(left.map((a) => a.id), removeAddon ? [] : ['addon.destroy.addon']);
      if (!removeAddon) {
        assert.equal(left[0]!.title, 'Keep add-on aliyun-acr-credential-helper installed (others may use it; --remove-addon uninstalls it)');
        assert.deepEqual(left[0]!.detail?.servesOtherInstances, [OTHER_INSTANCE], 'the kept add-on names who it still serves');
      }
    });
  }
});

describe('destroy --step verify --step addon, managed edition (default)', { concurrency: 2 }, () => {
  for (const removeAddon of [false, true]) {
    it(removeAddon ? '--remove-addon: entry out through ModifyClusterAddon, then the add-on uninstalled' : 'our entry out of the managed config, the rest of it as it was, the add-on kept', async () => {
      const run = await setUp('default', 'managed');
      // Another team's instance in the managed config, and a key we never set: both must survive.
      const seeded = load(run);
      const addon = addonsOf(seeded)[ADDON.managed]!;
      const cfg = JSON.parse(addon.config) as Record<string, unknown>;
      const other = { instanceId: OTHER_INSTANCE, regionId: 'cn-beijing', assumeRoleARN: 'acs:ram::1999888877776666:role/other-puller', expireDuration: 3600 };
      addon.config = JSON.stringify({ ...cfg, AcrInstanceInfo: [other, ...(cfg.AcrInstanceInfo as unknown[])] });
      save(run, seeded);
      await verifyKeep(run);
      const before = load(run);
      const configBefore = JSON.parse(addonsOf(before)[ADDON.managed]!.config) as Record<string, unknown>;
      assert.deepEqual(instancesIn(configBefore.AcrInstanceInfo), [OTHER_INSTANCE, ids(before).instanceId]);

      const r = await destroy(run, removeAddon ? ['--remove-addon'] : ['--verbose']);
      assert.match(r.stdout, /~ update Remove this instance's entry \(cri-\w+\) from add-on managed-aliyun-acr-credential-helper \(managed\)/);
      const world = load(run);
      assert.equal(verifyDeployment(world), undefined, 'the test Deployment is gone');
      if (removeAddon) {
        assert.equal(addonsOf(world)[ADDON.managed], undefined, 'the add-on is uninstalled');
        assert.match(r.stdout, /- delete Uninstall add-on managed-aliyun-acr-credential-helper \(--remove-addon: 1 other instance loses its pulls\)/);
      } else {
        const after = addonsOf(world)[ADDON.managed]!;
        assert.equal(after.state, 'active');
        const configAfter = JSON.parse(after.config) as Record<string, unknown>;
        assert.deepEqual(configAfter, { ...configBefore, AcrInstanceInfo: [other] }, 'the other entry and every setting exactly as they were');
        const writes = r.stderr.split('\n').filter((l) => / write /.test(l)).map((l) => /[A-Z]+:(\w+)/.exec(l)?.[1]);
        assert.deepEqual(writes, ['ModifyClusterAddon'], 'one cloud write: the config without our entry');
      }
      const left = await assertNothingLeft(run, removeAddon ? ['--remove-addon'] : []);
      assert.deepEqual(left.map((a) => a.id), removeAddon ? [] : ['addon.destroy.addon']);
    });
  }
});
