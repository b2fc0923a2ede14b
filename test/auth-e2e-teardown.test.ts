// End to end through the BUILT CLI against the sandbox (run `npm run build` first): `apply --step auth` in each auth
// mode (rrsa, worker-role, access-key, and rrsa merged into a hand-made role B), with RAM things of the user's own
// made before, then `destroy --yes --step auth`: nothing with our marker is left in either account, the user's roles,
// policies, users and keys are exactly as they were (the hand-made role B back to its exact trust document, the
// worker role back to its own policies), RRSA stays on, a dry run writes nothing and a second destroy plans no change.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import type { PolicyDocument } from '../src/cloud/ram.js';
import { createWorld, sandboxMeta } from '../src/sandbox/scenarios.js';
import { clusterFacts } from '../src/sandbox/state/cs-seed.js';
import { attachPolicy, createPolicyVersion, ramState, seedCustomPolicy, seedRole, seedUser } from '../src/sandbox/state/ram.js';
import { World } from '../src/sandbox/world.js';
import { MARKER } from '../src/steps/marker.js';
import { runCli, type CliResult } from './helpers/cli.js';

const ROLE_B = 'acr-xaccount-puller';
const PULL_POLICY = 'acr-xaccount-pull';
const OTHER_ACCOUNT_TRUST: PolicyDocument = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::1999888877776666:root'] } }] };

const load = (dir: string) => World.load(join(dir, 'state.json'));

function acrx(dir: string, scenario: string, command: string, args: string[]): Promise<CliResult> {
  return runCli(['--sandbox-state', dir, '--sandbox-scenario', scenario, command, '--sandbox', '--network', 'public', ...args], { cwd: dir });
}

/** A fresh state folder whose world is the scenario plus RAM things of the user's own in both accounts. */
function worldWithUsersThings(scenario: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'acrx-auth-destroy-'));
  const world = createWorld(scenario);
  const { A, B } = sandboxMeta(world).accounts;
  seedCustomPolicy(world, A, { policyName: 'team-ops', document: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] }, description: 'ops team' });
  seedRole(world, A, { roleName: 'ops-admin', trustPolicy: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${A}:root`] } }] }, description: 'ops', policies: [{ policyType: 'System', policyName: 'AliyunSTSAssumeRoleAccess' }, { policyType: 'Custom', policyName: 'team-ops' }] });
  seedCustomPolicy(world, B, { policyName: 'TeamReadOnly', document: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'cr:List*', Resource: '*' }] }, description: 'read only' });
  seedRole(world, B, { roleName: 'ops-puller', trustPolicy: OTHER_ACCOUNT_TRUST, description: 'another team', policies: [{ policyType: 'Custom', policyName: 'TeamReadOnly' }] });
  seedUser(world, B, { userName: 'ci-bot', policies: [{ policyType: 'Custom', policyName: 'TeamReadOnly' }] });
  world.addAccessKey(B, 'ci-bot');
  world.save(join(dir, 'state.json'));
  return dir;
}

/** Everything in RAM that is not ours, per account (what destroy must leave exactly as it was). */
function usersRam(world: World) {
  const { A, B } = sandboxMeta(world).accounts;
  const view = (accountId: string) => {
    const s = ramState(world, accountId);
    const roles = Object.values(s.roles).filter((r) => !r.description.includes(MARKER));
    const users = Object.values(s.users).filter((u) => !u.comments.includes(MARKER));
    return {
      roles: Object.fromEntries(roles.map(({ updateDate: _u, ...r }) => [r.roleName, { ...r, attached: (s.roleAttachments[r.roleName.toLowerCase()] ?? []).map((a) => `${a.policyType}:${a.policyName}`).sort() }])),
      policies: Object.values(s.policies).filter((p) => !p.description.includes(MARKER)),
      users: Object.fromEntries(users.map((u) => [u.userName, { ...u, attached: (s.userAttachments[u.userName.toLowerCase()] ?? []).map((a) => `${a.policyType}:${a.policyName}`).sort() }])),
      keys: Object.entries(world.data.accessKeys).filter(([, k]) => k.accountId === accountId && k.userName && users.some((u) => u.userName === k.userName)).map(([id]) => id).sort(),
    };
  };
  return { A: view(A), B: view(B) };
}

/** Names of RAM things in either account that carry our marker (or keys of a user that does). */
function oursLeft(world: World): string[] {
  const left: string[] = [];
  for (const [label, accountId] of Object.entries(sandboxMeta(world).accounts)) {
    const s = ramState(world, accountId);
    for (const r of Object.values(s.roles)) if (r.description.includes(MARKER)) left.push(`${label} role ${r.roleName}`);
    for (const p of Object.values(s.policies)) if (p.description.includes(MARKER)) left.push(`${label} policy ${p.policyName}`);
    for (const u of Object.values(s.users)) if (u.comments.includes(MARKER)) left.push(`${label} user ${u.userName}`);
    const names = new Set(Object.values(s.users).map((u) => u.userName));
    for (const [id, k] of Object.entries(world.data.accessKeys)) if (k.accountId === accountId && k.userName && !names.has(k.userName)) left.push(`${label} key ${id} of a deleted user`);
  }
  return left;
}

interface PlanJson { changes: boolean; actions: { id: string; change: string; title: string }[] }

async function destroyPlan(dir: string, scenario: string, mode: string[]): Promise<PlanJson> {
  const r = await acrx(dir, scenario, 'destroy', [...mode, '--step', 'auth', '--dry-run', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as PlanJson;
}

/** apply --step auth, a dry-run destroy (no write), destroy, checks common to every mode; returns the world after. */
async function applyThenDestroy(scenario: string, mode: string[], options: { applySteps?: string[]; afterApply?: (world: World) => void } = {}) {
  const dir = worldWithUsersThings(scenario);
  const before = usersRam(load(dir));
  const applied = await acrx(dir, scenario, 'apply', [...mode, '--yes', ...(options.applySteps ?? ['--step', 'auth'])]);
  assert.equal(applied.code, 0, applied.stderr);
  assert.ok(oursLeft(load(dir)).length > 0, 'apply made RAM things of ours');
  if (options.afterApply) {
    const world = load(dir);
    options.afterApply(world);
    world.save(join(dir, 'state.json'));
  }

  const ramBefore = JSON.stringify(sandboxMeta(load(dir)).accounts) + JSON.stringify(Object.values(sandboxMeta(load(dir)).accounts).map((id) => ramState(load(dir), id)));
  const plan = await destroyPlan(dir, scenario, mode);
  assert.equal(plan.changes, true);
  const afterDry = load(dir);
  assert.equal(JSON.stringify(sandboxMeta(afterDry).accounts) + JSON.stringify(Object.values(sandboxMeta(afterDry).accounts).map((id) => ramState(afterDry, id))), ramBefore, 'a dry run changes nothing');

  const destroyed = await acrx(dir, scenario, 'destroy', [...mode, '--yes', '--step', 'auth']);
  assert.equal(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
  assert.match(destroyed.stderr, /Destroy complete/);
  const world = load(dir);
  assert.deepEqual(oursLeft(world), []);
  assert.deepEqual(usersRam(world), before, "the user's own RAM things are exactly as they were");

  const again = await destroyPlan(dir, scenario, mode);
  assert.equal(again.changes, false, JSON.stringify(again.actions));
  assert.deepEqual(again.actions.filter((a) => a.change !== 'noop'), []);
  return { dir, world, plan, destroyed, again };
}

describe('destroy --step auth (sandbox, built CLI)', { concurrency: 2 }, () => {
  it('rrsa: role A, role B, both policies (with older versions) go; our policy leaves a role of the user\'s; RRSA stays on', async () => {
    const mode = ['--auth', 'rrsa', '--edition', 'managed'];
    const { world, plan, again } = await applyThenDestroy('default', mode, {
      afterApply: (w) => {
        const { B } = sandboxMeta(w).accounts;
        // Attached by hand to a role of the user's: destroy detaches it (the policy must go) and leaves the role.
        attachPolicy(w, B, 'role', 'ops-puller', 'Custom', PULL_POLICY);
        const doc = ramState(w, B).policies[PULL_POLICY]!.versions.at(-1)!.document;
        createPolicyVersion(w, B, PULL_POLICY, doc, { setAsDefault: false });
        createPolicyVersion(w, B, PULL_POLICY, doc, { setAsDefault: false });
      },
    });
    const titles = plan.actions.map((a) => `${a.change} ${a.title}`);
    assert.ok(titles.includes('delete Delete RAM role acr-xaccount-helper'), titles.join('\n'));
    assert.ok(titles.includes('delete Detach policy acr-xaccount-pull from RAM role ops-puller'), titles.join('\n'));
    assert.ok(titles.includes('delete Delete RAM policy acr-xaccount-pull and its 2 older versions'), titles.join('\n'));
    const cluster = clusterFacts(world, String(sandboxMeta(world).facts.clusterId))!;
    assert.equal(cluster.rrsa.enabled, true, 'RRSA stays on');
    assert.ok(again.actions.some((a) => a.change === 'noop' && /^Keep RRSA on cluster/.test(a.title)));
  });

  it('worker-role (ACK dedicated): the assume policy leaves the worker role, which stays with its own policies', async () => {
    const { again, plan } = await applyThenDestroy('ack-dedicated', ['--auth', 'worker-role', '--edition', 'self-managed']);
    const detach = plan.actions.find((a) => a.id.startsWith('auth.destroy.policy-a.detach.role.'))!;
    assert.match(detach.title, /from RAM role KubernetesWorkerRole-.*the role stays/);
    assert.ok(again.actions.some((a) => a.change === 'noop' && /^Keep RAM role KubernetesWorkerRole-/.test(a.title)));
  });

  it('access-key: the keys, then the user, then the pull policy go; the user\'s own RAM user keeps its key', async () => {
    const { plan, world } = await applyThenDestroy('default', ['--auth', 'access-key', '--edition', 'self-managed'], { applySteps: ['--step', 'auth', '--step', 'addon'] });
    const ids = plan.actions.filter((a) => a.change === 'delete').map((a) => a.id);
    for (const id of ['auth.destroy.user-keys', 'auth.destroy.user', 'auth.destroy.policy-b']) assert.ok(ids.includes(id), id);
    assert.ok(!JSON.stringify(plan).includes('Secret'), 'no secret in the plan');
    const { B } = sandboxMeta(world).accounts;
    assert.equal(ramState(world, B).users[ROLE_B], undefined);
  });

  it('short-session-role: the hand-made role B stays, back to its exact trust document; only our statement came out', async () => {
    const scenario = 'short-session-role';
    const pristine = ramState(createWorld(scenario), sandboxMeta(createWorld(scenario)).accounts.B).roles[ROLE_B]!;
    assert.equal(pristine.assumeRolePolicyDocument, JSON.stringify(OTHER_ACCOUNT_TRUST));
    const { world, plan, again } = await applyThenDestroy(scenario, ['--auth', 'rrsa', '--edition', 'managed'], {
      afterApply: (w) => {
        const merged = ramState(w, sandboxMeta(w).accounts.B).roles[ROLE_B]!;
        assert.match(merged.assumeRolePolicyDocument, /role\/acr-xaccount-helper/, 'apply merged our statement');
      },
    });
    const roleB = plan.actions.find((a) => a.id === 'auth.destroy.role-b')!;
    assert.equal(roleB.change, 'update');
    const after = ramState(world, sandboxMeta(world).accounts.B).roles[ROLE_B]!;
    assert.equal(after.assumeRolePolicyDocument, pristine.assumeRolePolicyDocument);
    assert.equal(after.description, pristine.description);
    assert.equal(after.maxSessionDuration, pristine.maxSessionDuration);
    assert.deepEqual(ramState(world, sandboxMeta(world).accounts.B).roleAttachments[ROLE_B] ?? [], []);
    assert.match(again.actions.find((a) => a.id === 'auth.destroy.role-b')!.title, /^Keep RAM role acr-xaccount-puller .*holds no trust statement of ours/);
  });
});
