// The auth teardown planner on hand-built facts (no I/O): what is deleted (only what carries our marker), what is
// kept and why, the order (detach before delete; A's side and B's side independent), a role B that is not ours
// losing only our trust statement, and a torn-down world planning only noops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AccessKeyInfo, AttachedPolicy, PolicyDocument, PolicyEntities, PolicyStatement, PolicyVersion, RamPolicy, RamRole, RamUser } from '../src/cloud/ram.js';
import type { AccountClient } from '../src/cloud/session.js';
import type { Config } from '../src/config/schema.js';
import type { Action } from '../src/plan/action.js';
import { createPlan } from '../src/plan/plan.js';
import { assumeRoleDocument, pullPolicyDocument, trustOidcStatement, trustRamStatement, withoutStatements, withStatement } from '../src/steps/auth/documents.js';
import type { AuthFacts } from '../src/steps/auth/facts.js';
import { step } from '../src/steps/auth/index.js';
import { MARKER } from '../src/steps/marker.js';
import type { BaseFacts, StepClients, TeardownBase } from '../src/steps/step.js';
import { ACCOUNT_A, ACCOUNT_B, clusterDetail, identities, rrsaOf, stepConfig } from './helpers/step-facts.js';

const A = ACCOUNT_A;
const B = ACCOUNT_B;
const CLUSTER = 'c0authtest0000000000000000000001';
const INSTANCE = 'cri-authtest00001';
const WORKER = 'KubernetesWorkerRole-0000-test';
const { oidcArn: OIDC_ARN, issuer: ISSUER } = rrsaOf(CLUSTER);
const OTHER_TRUST: PolicyStatement = { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::1999888877776666:root'] } };

function config(mode: Config['auth']['mode'], extra: Record<string, unknown> = {}): Config {
  return stepConfig(CLUSTER, INSTANCE, { auth: { mode, ...extra }, addon: { edition: mode === 'rrsa' ? 'managed' : 'self-managed' } });
}

function baseFacts(rrsa = true): BaseFacts {
  return {
    steps: ['auth'],
    identities: identities(A, B),
    cluster: clusterDetail(CLUSTER, WORKER, rrsa ? { issuer: ISSUER, oidcArn: OIDC_ARN } : undefined),
    registry: { instance: { instanceId: INSTANCE, name: 'acme', edition: 'Enterprise_Basic', status: 'RUNNING', tags: {} }, endpoints: [] },
  };
}

// Planning never calls the clients.
const clients: StepClients = { A: {} as AccountClient, B: {} as AccountClient, kubeconfig: async () => '', pollIntervalMs: 1 };

const OURS = `acr-xaccount made this (${MARKER})`;
const role = (name: string, account: string, statements: PolicyStatement[], description = OURS): RamRole => {
  const doc = { Version: '1', Statement: statements };
  return { roleName: name, roleId: '1', arn: `acs:ram::${account}:role/${name}`, description, maxSessionDuration: 3600, assumeRolePolicy: doc, assumeRolePolicyDocument: JSON.stringify(doc) };
};
const policy = (name: string, document: PolicyDocument, description = OURS): RamPolicy => ({
  policyName: name, policyType: 'Custom', description, defaultVersion: 'v3', document, documentRaw: JSON.stringify(document),
});
const versions = (...ids: string[]): PolicyVersion[] => ids.map((id, i) => ({ versionId: id, isDefaultVersion: i === ids.length - 1, documentRaw: '{}' }));
const attached = (name: string, type = 'Custom'): AttachedPolicy => ({ policyName: name, policyType: type, description: '', defaultVersion: 'v1' });
const entities = (roles: string[], users: string[] = [], groups: string[] = []): PolicyEntities => ({
  roles: roles.map((r) => ({ roleName: r, arn: '', roleId: '' })),
  users: users.map((u) => ({ userName: u, userId: '', displayName: '' })),
  groups: groups.map((g) => ({ groupName: g })),
});
const user = (name: string, comments = OURS): RamUser => ({ userName: name, userId: '1', displayName: name, comments });
const key = (id: string): AccessKeyInfo => ({ accessKeyId: id, status: 'Active' });

const byId = (actions: Action[]) => Object.fromEntries(actions.map((a) => [a.id, a]));
const changes = (actions: Action[]) => Object.fromEntries(actions.map((a) => [a.id, a.change]));
const teardown = (cfg: Config, facts: AuthFacts, base: TeardownBase = baseFacts()) => step.teardown!(cfg, facts, base, clients, { removeAddon: false });

const roleAArn = (cfg: Config) => `acs:ram::${A}:role/${cfg.auth.roleAName}`;
const roleBArn = (cfg: Config) => `acs:ram::${B}:role/${cfg.auth.roleBName}`;
const workerArn = `acs:ram::${A}:role/${WORKER}`;

/** Facts of a finished RRSA setup, as destroy's discovery reads them (the pull policy has two older versions). */
function finishedRrsa(cfg: Config): AuthFacts {
  const assume = `${cfg.auth.roleBName}-assume`;
  return {
    pullPolicy: { policy: policy(cfg.auth.policyName, pullPolicyDocument(cfg, B)), versions: versions('v1', 'v2', 'v3'), entities: entities([cfg.auth.roleBName]) },
    assumePolicy: { policy: policy(assume, assumeRoleDocument(roleBArn(cfg))), versions: versions('v1'), entities: entities([cfg.auth.roleAName]) },
    roleA: { role: role(cfg.auth.roleAName, A, [trustOidcStatement({ oidcProviderArn: OIDC_ARN, issuer: ISSUER, audience: 'sts.aliyuncs.com' })]), attached: [attached(assume)] },
    roleB: { role: role(cfg.auth.roleBName, B, [trustRamStatement(roleAArn(cfg))]), attached: [attached(cfg.auth.policyName)] },
    workerRole: { name: WORKER, role: role(WORKER, A, [], 'the cluster worker role'), attached: [attached('AliyunCSManagedKubernetesRolePolicy', 'System')] },
    user: { attached: [], keys: [] },
  };
}

/** What discovery finds once everything of ours is gone. */
function tornDown(facts: AuthFacts): AuthFacts {
  return { ...facts, pullPolicy: { versions: [] }, assumePolicy: { versions: [] }, roleA: { attached: [] }, roleB: { attached: [] }, user: { attached: [], keys: [] } };
}

/** IDs an action waits for, transitively. */
function ancestors(actions: Action[], id: string): Set<string> {
  const by = byId(actions);
  const out = new Set<string>();
  const visit = (x: string) => {
    for (const d of by[x]?.dependsOn ?? []) if (!out.has(d)) (out.add(d), visit(d));
  };
  visit(id);
  return out;
}

describe('auth teardown: rrsa', () => {
  const cfg = config('rrsa');

  it('detaches, then deletes both policies (older versions first), role A and role B; keeps RRSA on the cluster', () => {
    const actions = teardown(cfg, finishedRrsa(cfg));
    const policyA = `auth.destroy.policy-a.detach.role.${cfg.auth.roleAName}`;
    const policyB = `auth.destroy.policy-b.detach.role.${cfg.auth.roleBName}`;
    assert.deepEqual(changes(actions), {
      'auth.destroy.rrsa': 'noop',
      [policyA]: 'delete',
      'auth.destroy.policy-a': 'delete',
      'auth.destroy.role-a': 'delete',
      [policyB]: 'delete',
      'auth.destroy.policy-b': 'delete',
      'auth.destroy.role-b': 'delete',
    });
    const a = byId(actions);
    assert.match(a['auth.destroy.rrsa']!.title, /^Keep RRSA on cluster c0authtest.*other workloads/);
    assert.equal(a['auth.destroy.role-a']!.title, `Delete RAM role ${cfg.auth.roleAName}`);
    assert.deepEqual(a['auth.destroy.policy-b']!.detail!.deletesVersions, ['v1', 'v2']);
    assert.equal(a['auth.destroy.policy-a']!.detail!.deletesVersions, undefined);
    for (const x of actions) assert.equal(x.account, /^auth\.destroy\.(policy-a|role-a|rrsa)\b/.test(x.id) ? 'A' : 'B', x.id);
    // Detach before delete.
    assert.deepEqual(a['auth.destroy.policy-a']!.dependsOn, [policyA]);
    assert.deepEqual(a['auth.destroy.role-a']!.dependsOn, [policyA]);
    assert.deepEqual(a['auth.destroy.policy-b']!.dependsOn, [policyB]);
    assert.deepEqual(a['auth.destroy.role-b']!.dependsOn, [policyB]);
    // A's side and B's side never wait for each other.
    for (const x of actions) for (const d of ancestors(actions, x.id)) assert.equal(byId(actions)[d]!.account, x.account, `${x.id} waits for ${d}`);
    assert.doesNotThrow(() => createPlan(actions));
  });

  it('the cluster already deleted: the same removals, no word about RRSA (it went with the cluster)', () => {
    const { cluster: _gone, ...rest } = baseFacts();
    const gone: TeardownBase = rest;
    const actions = teardown(cfg, finishedRrsa(cfg), gone);
    const kept = Object.entries(changes(teardown(cfg, finishedRrsa(cfg)))).filter(([id]) => id !== 'auth.destroy.rrsa');
    assert.deepEqual(changes(actions), Object.fromEntries(kept));
  });

  it('a role being deleted lists what else is attached to it (detached first); a system policy on our role A goes with it', () => {
    const facts = finishedRrsa(cfg);
    facts.roleA!.attached.push(attached('AliyunSTSAssumeRoleAccess', 'System'));
    const a = byId(teardown(cfg, facts));
    assert.deepEqual(a['auth.destroy.role-a']!.detail!.detachesFirst, [`${cfg.auth.roleBName}-assume (Custom)`, 'AliyunSTSAssumeRoleAccess (System)']);
  });

  it('our pull policy attached by hand to another role is detached from it too; the role itself is not touched', () => {
    const facts = finishedRrsa(cfg);
    facts.pullPolicy.entities = entities([cfg.auth.roleBName, 'ops-puller']);
    const actions = teardown(cfg, facts);
    const a = byId(actions);
    const detach = a['auth.destroy.policy-b.detach.role.ops-puller']!;
    assert.equal(detach.change, 'delete');
    assert.match(detach.title, /^Detach policy .* from RAM role ops-puller$/);
    assert.ok(a['auth.destroy.policy-b']!.dependsOn!.includes(detach.id));
    assert.ok(!actions.some((x) => x.change !== 'noop' && /Delete RAM role ops-puller/.test(x.title)));
  });

  it('a policy still attached to a RAM group is kept (no group calls), its role attachments still go', () => {
    const facts = finishedRrsa(cfg);
    facts.pullPolicy.entities = entities([cfg.auth.roleBName], [], ['platform']);
    const a = byId(teardown(cfg, facts));
    assert.equal(a['auth.destroy.policy-b']!.change, 'noop');
    assert.match(a['auth.destroy.policy-b']!.title, /^Keep RAM policy .*group platform/);
    assert.equal(a[`auth.destroy.policy-b.detach.role.${cfg.auth.roleBName}`]!.change, 'delete');
  });

  it('without attachment lists from discovery, the roles\' own attached lists say what to detach', () => {
    const facts = finishedRrsa(cfg);
    delete facts.pullPolicy.entities;
    delete facts.assumePolicy!.entities;
    const a = byId(teardown(cfg, facts));
    assert.equal(a[`auth.destroy.policy-a.detach.role.${cfg.auth.roleAName}`]!.change, 'delete');
    assert.equal(a[`auth.destroy.policy-b.detach.role.${cfg.auth.roleBName}`]!.change, 'delete');
  });

  it('what does not carry our marker is kept, and says why: role A, role B\'s policies, the policies, the user', () => {
    const facts = finishedRrsa(cfg);
    facts.roleA!.role!.description = 'made by the platform team';
    facts.assumePolicy!.policy!.description = 'hand-made';
    facts.pullPolicy.policy!.description = '';
    facts.user = { user: user(cfg.auth.userName, 'a person'), attached: [], keys: [key('LTAIhandmade')] };
    const actions = teardown(cfg, facts);
    const a = byId(actions);
    for (const id of ['auth.destroy.role-a', 'auth.destroy.policy-a', 'auth.destroy.policy-b', 'auth.destroy.user']) {
      assert.equal(a[id]!.change, 'noop', id);
      assert.match(a[id]!.title, /^Keep RAM \w+ .*not created by acr-xaccount.*managed-by=acr-xaccount/, id);
    }
    assert.ok(!actions.some((x) => /detach/.test(x.id)), 'a policy not ours is not detached from anything');
    assert.ok(!actions.some((x) => /LTAIhandmade/.test(x.title)));
  });

  it('a torn-down world plans only noops (RRSA kept)', () => {
    const actions = teardown(cfg, tornDown(finishedRrsa(cfg)));
    assert.deepEqual(changes(actions), { 'auth.destroy.rrsa': 'noop' });
  });

  it('RRSA off: nothing to say about it', () => {
    const actions = teardown(cfg, tornDown(finishedRrsa(cfg)), baseFacts(false));
    assert.deepEqual(actions, []);
  });
});

describe('auth teardown: worker-role', () => {
  /** A finished worker-role setup: our assume policy on the worker role, role B trusting the worker role. */
  function finishedWorker(cfg: Config, systemPolicy = false): AuthFacts {
    const assume = `${cfg.auth.roleBName}-assume`;
    return {
      pullPolicy: { policy: policy(cfg.auth.policyName, pullPolicyDocument(cfg, B)), versions: versions('v1'), entities: entities([cfg.auth.roleBName]) },
      assumePolicy: systemPolicy ? { versions: [] } : { policy: policy(assume, assumeRoleDocument(roleBArn(cfg))), versions: versions('v1'), entities: entities([WORKER]) },
      roleA: { attached: [] },
      roleB: { role: role(cfg.auth.roleBName, B, [trustRamStatement(workerArn)]), attached: [attached(cfg.auth.policyName)] },
      workerRole: { name: WORKER, role: role(WORKER, A, [], 'ACK'), attached: [attached('AliyunCSManagedKubernetesRolePolicy', 'System'), systemPolicy ? attached('AliyunSTSAssumeRoleAccess', 'System') : attached(assume)] },
      user: { attached: [], keys: [] },
    };
  }

  it('detaches our assume policy from the worker role, which stays (a noop says so), then deletes the policy', () => {
    const cfg = config('worker-role');
    const actions = teardown(cfg, finishedWorker(cfg), baseFacts(false));
    const a = byId(actions);
    const detach = a[`auth.destroy.policy-a.detach.role.${WORKER}`]!;
    assert.equal(detach.change, 'delete');
    assert.match(detach.title, /the role stays: it is the cluster's worker role/);
    assert.equal(a['auth.destroy.worker-role']!.change, 'noop');
    assert.match(a['auth.destroy.worker-role']!.title, /^Keep RAM role KubernetesWorkerRole-.*cluster's worker role/);
    assert.ok(!actions.some((x) => x.change !== 'noop' && x.title.includes(`RAM role ${WORKER}`) && x.title.startsWith('Delete')));
    assert.deepEqual(a['auth.destroy.policy-a']!.dependsOn, [detach.id]);
    assert.equal(a['auth.destroy.role-b']!.change, 'delete');
    assert.equal(a['auth.destroy.rrsa'], undefined);
  });

  it('assumePolicy=system: the system policy on the worker role is kept (an attachment carries no marker)', () => {
    const cfg = config('worker-role', { assumePolicy: 'system' });
    const a = byId(teardown(cfg, finishedWorker(cfg, true), baseFacts(false)));
    assert.equal(a['auth.destroy.worker-role-system-policy']!.change, 'noop');
    assert.match(a['auth.destroy.worker-role-system-policy']!.title, /^Keep system policy AliyunSTSAssumeRoleAccess on RAM role KubernetesWorkerRole/);
    assert.equal(a['auth.destroy.policy-a'], undefined);
  });

  it('mode-independent: a worker-role setup is removed with an rrsa config too', () => {
    const worker = config('worker-role');
    const a = byId(teardown(config('rrsa'), finishedWorker(worker), baseFacts(false)));
    assert.equal(a[`auth.destroy.policy-a.detach.role.${WORKER}`]!.change, 'delete');
    assert.equal(a['auth.destroy.policy-a']!.change, 'delete');
    assert.equal(a['auth.destroy.worker-role']!.change, 'noop');
  });

  it('a torn-down world plans only noops (the worker role kept)', () => {
    const cfg = config('worker-role');
    const facts = tornDown(finishedWorker(cfg));
    facts.workerRole!.attached = [attached('AliyunCSManagedKubernetesRolePolicy', 'System')];
    assert.deepEqual(changes(teardown(cfg, facts, baseFacts(false))), { 'auth.destroy.worker-role': 'noop' });
  });
});

describe('auth teardown: a role B that is not ours (short-session-role)', () => {
  const original = { Version: '1', Statement: [OTHER_TRUST] };

  function merged(cfg: Config, principal: string): AuthFacts {
    const trust = withStatement(original, trustRamStatement(principal));
    const roleB = { ...role(cfg.auth.roleBName, B, trust.Statement, 'made by hand last year'), assumeRolePolicyDocument: JSON.stringify(trust) };
    return { ...finishedRrsa(cfg), roleB: { role: roleB, attached: [attached('TeamReadOnly'), attached(cfg.auth.policyName)] } };
  }

  it('takes out only our trust statement (update), detaches our pull policy, keeps the role and its other policies', () => {
    for (const [mode, principal] of [['rrsa', roleAArn(config('rrsa'))], ['worker-role', workerArn]] as const) {
      const cfg = config(mode);
      const actions = teardown(cfg, merged(cfg, principal));
      const a = byId(actions);
      const trust = a['auth.destroy.role-b']!;
      assert.equal(trust.change, 'update', mode);
      assert.match(trust.title, /take out our trust statement; the role is not ours and stays/);
      assert.deepEqual(trust.detail!.removeTrustStatements, [JSON.stringify(trustRamStatement(principal))]);
      assert.match(a[`auth.destroy.policy-b.detach.role.${cfg.auth.roleBName}`]!.title, /not ours and stays/);
      assert.ok(!actions.some((x) => /TeamReadOnly/.test(JSON.stringify(x.detail ?? {}))), 'its own policy is not mentioned, let alone detached');
      assert.ok(!actions.some((x) => x.change === 'delete' && x.title === `Delete RAM role ${cfg.auth.roleBName}`));
    }
  });

  it('removing what the merge added gives back the exact document (other statements and fields untouched)', () => {
    const doc = { Version: '1', Statement: [OTHER_TRUST, { ...OTHER_TRUST, Principal: { RAM: [roleAArn(config('rrsa')), 'acs:ram::1:root'] } }] };
    const ours = trustRamStatement(roleAArn(config('rrsa')));
    assert.deepEqual(withoutStatements(withStatement(doc, ours), [ours]), doc);
    assert.equal(JSON.stringify(withoutStatements(withStatement(original, ours), [ours])), JSON.stringify(original));
    assert.equal(withoutStatements(original, [ours]), undefined, 'nothing of ours: no update');
    // A statement that merely names our principal among others is the user's: it stays.
    assert.equal(withoutStatements(doc, [ours]), undefined);
  });

  it('once our statement is out: a noop keep; and a role whose only statement is ours is kept whole', () => {
    const cfg = config('rrsa');
    const facts = tornDown(merged(cfg, roleAArn(cfg)));
    facts.roleB = { role: role(cfg.auth.roleBName, B, [OTHER_TRUST], 'made by hand'), attached: [attached('TeamReadOnly')] };
    const a = byId(teardown(cfg, facts));
    assert.equal(a['auth.destroy.role-b']!.change, 'noop');
    assert.match(a['auth.destroy.role-b']!.title, /^Keep RAM role .*holds no trust statement of ours/);
    assert.deepEqual([...new Set(Object.values(changes(teardown(cfg, facts))))], ['noop']);

    const only = tornDown(merged(cfg, roleAArn(cfg)));
    only.roleB = { role: role(cfg.auth.roleBName, B, [trustRamStatement(roleAArn(cfg))], 'made by hand'), attached: [] };
    const b = byId(teardown(cfg, only));
    assert.equal(b['auth.destroy.role-b']!.change, 'noop');
    assert.match(b['auth.destroy.role-b']!.title, /its only one: edit it by hand/);
  });
});

describe('auth teardown: access-key', () => {
  const cfg = config('access-key');
  function finishedKey(): AuthFacts {
    return {
      pullPolicy: { policy: policy(cfg.auth.policyName, pullPolicyDocument(cfg, B)), versions: versions('v1'), entities: entities([], [cfg.auth.userName]) },
      assumePolicy: { versions: [] },
      roleA: { attached: [] },
      roleB: { attached: [] },
      workerRole: { name: WORKER, role: role(WORKER, A, [], 'ACK'), attached: [] },
      user: { user: user(cfg.auth.userName), attached: [attached(cfg.auth.policyName)], keys: [key('LTAIold'), key('LTAInew')] },
    };
  }

  it('deletes the keys, then the user once the pull policy is detached from it, then the policy', () => {
    const actions = teardown(cfg, finishedKey(), baseFacts(false));
    const detach = `auth.destroy.policy-b.detach.user.${cfg.auth.userName}`;
    assert.deepEqual(changes(actions), { [detach]: 'delete', 'auth.destroy.policy-b': 'delete', 'auth.destroy.user-keys': 'delete', 'auth.destroy.user': 'delete' });
    const a = byId(actions);
    assert.equal(a['auth.destroy.user-keys']!.title, `Delete AccessKeys LTAIold, LTAInew of RAM user ${cfg.auth.userName}`);
    assert.deepEqual(a['auth.destroy.user']!.dependsOn, ['auth.destroy.user-keys', detach]);
    assert.deepEqual(a['auth.destroy.policy-b']!.dependsOn, [detach]);
    // No worker role talk when the setup never used it.
    assert.equal(a['auth.destroy.worker-role'], undefined);
  });

  it('a user without keys: no key action; a torn-down world plans nothing', () => {
    const facts = finishedKey();
    facts.user!.keys = [];
    const a = byId(teardown(cfg, facts, baseFacts(false)));
    assert.equal(a['auth.destroy.user-keys'], undefined);
    assert.deepEqual(a['auth.destroy.user']!.dependsOn, [`auth.destroy.policy-b.detach.user.${cfg.auth.userName}`]);
    assert.deepEqual(teardown(cfg, tornDown(finishedKey()), baseFacts(false)), []);
  });
});
