// The auth planners on hand-built facts (no I/O): first runs create, finished setups plan only noops, partial
// setups plan the rest, merges keep what is not ours, and preflight refuses what cannot work.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AccessKeyInfo, AttachedPolicy, PolicyDocument, PolicyStatement, RamPolicy, RamRole } from '../src/cloud/ram.js';
import type { AccountClient } from '../src/cloud/session.js';
import type { Config, ConfigInput } from '../src/config/schema.js';
import { FieldChange, KnownAfterApply, type Action } from '../src/plan/action.js';
import { createPlan } from '../src/plan/plan.js';
import { planToJson } from '../src/plan/render.js';
import { planKeys } from '../src/steps/auth/access-key.js';
import { assumeRoleDocument, hasStatement, pullPolicyDocument, sameDocument, trustOidcStatement, trustRamStatement, withStatement } from '../src/steps/auth/documents.js';
import type { AuthFacts } from '../src/steps/auth/facts.js';
import { step } from '../src/steps/auth/index.js';
import { MARKER } from '../src/steps/marker.js';
import type { BaseFacts, StepClients } from '../src/steps/step.js';
import { ACCOUNT_A, ACCOUNT_B, clusterDetail, identities, rrsaOf, stepConfig, withSteps } from './helpers/step-facts.js';

const A = ACCOUNT_A;
const B = ACCOUNT_B;
const CLUSTER = 'c0authtest0000000000000000000001';
const INSTANCE = 'cri-authtest00001';
const WORKER = 'KubernetesWorkerRole-0000-test';
const { oidcArn: OIDC_ARN, issuer: ISSUER } = rrsaOf(CLUSTER);

function config(auth: Partial<ConfigInput['auth']> & { mode: Config['auth']['mode'] }, edition: Config['addon']['edition'] = 'self-managed'): Config {
  return stepConfig(CLUSTER, INSTANCE, { auth, addon: { edition } });
}

/** The auth step alone (`apply --step auth`); withSteps adds the others a run plans with it. */
function baseFacts(cluster: Partial<BaseFacts['cluster']> = {}, rrsa = false): BaseFacts {
  return {
    steps: ['auth'],
    identities: identities(A, B),
    cluster: clusterDetail(CLUSTER, WORKER, rrsa ? { issuer: ISSUER, oidcArn: OIDC_ARN } : undefined, cluster),
    registry: { instance: { instanceId: INSTANCE, name: 'acme', edition: 'Enterprise_Basic', status: 'RUNNING', tags: {} }, endpoints: [] },
  };
}

// Planning never calls the clients; the actions' apply() would.
const clients: StepClients = { A: {} as AccountClient, B: {} as AccountClient, kubeconfig: async () => '', pollIntervalMs: 1 };

const role = (name: string, account: string, statements: PolicyStatement[], extra: Partial<RamRole> = {}): RamRole => {
  const doc = { Version: '1', Statement: statements };
  return { roleName: name, roleId: '1', arn: `acs:ram::${account}:role/${name}`, description: `ours (${MARKER})`, maxSessionDuration: 3600, assumeRolePolicy: doc, assumeRolePolicyDocument: JSON.stringify(doc), ...extra };
};
const policy = (name: string, document: PolicyDocument, extra: Partial<RamPolicy> = {}): RamPolicy => ({
  policyName: name, policyType: 'Custom', description: `ours (${MARKER})`, defaultVersion: 'v1', document, documentRaw: JSON.stringify(document), ...extra,
});
const attached = (name: string, type = 'Custom'): AttachedPolicy => ({ policyName: name, policyType: type, description: '', defaultVersion: 'v1' });

const byId = (actions: Action[]) => Object.fromEntries(actions.map((a) => [a.id, a]));
const changes = (actions: Action[]) => Object.fromEntries(actions.map((a) => [a.id, a.change]));

/** Facts of a finished RRSA setup. */
function finishedRrsa(cfg: Config): AuthFacts {
  const roleA = `acs:ram::${A}:role/${cfg.auth.roleAName}`;
  const roleB = `acs:ram::${B}:role/${cfg.auth.roleBName}`;
  return {
    pullPolicy: { policy: policy(cfg.auth.policyName, pullPolicyDocument(cfg, B)), versions: [] },
    assumePolicy: { policy: policy(`${cfg.auth.roleBName}-assume`, assumeRoleDocument(roleB)), versions: [] },
    roleA: { role: role(cfg.auth.roleAName, A, [trustOidcStatement({ oidcProviderArn: OIDC_ARN, issuer: ISSUER, audience: 'sts.aliyuncs.com' })]), attached: [attached(`${cfg.auth.roleBName}-assume`)] },
    roleB: { role: role(cfg.auth.roleBName, B, [trustRamStatement(roleA)]), attached: [attached(cfg.auth.policyName)] },
  };
}

describe('auth rrsa planner', () => {
  it('first run: enables RRSA (provider known after apply), creates role A, its policy, the pull policy and role B in order', () => {
    const cfg = config({ mode: 'rrsa' });
    const actions = step.plan(cfg, { pullPolicy: { versions: [] }, roleA: { attached: [] }, roleB: { attached: [] }, assumePolicy: { versions: [] } }, baseFacts(), clients);
    assert.deepEqual(changes(actions), {
      'auth.rrsa': 'update', 'auth.role-a': 'create', 'auth.policy-a': 'create', 'auth.role-a-policy': 'create',
      'auth.policy-b': 'create', 'auth.role-b': 'create', 'auth.role-b-policy': 'create',
    });
    const a = byId(actions);
    assert.ok(a['auth.rrsa']!.detail!.oidcProviderArn instanceof KnownAfterApply);
    assert.deepEqual(a['auth.role-a']!.dependsOn, ['auth.rrsa']);
    assert.ok((a['auth.role-a']!.detail!.trust as Record<string, unknown>).federated instanceof KnownAfterApply);
    assert.match(String(a['auth.role-b']!.detail!.trust), new RegExp(`"RAM":\\["acs:ram::${A}:role/acr-xaccount-helper"\\]`));
    assert.deepEqual(a['auth.role-b']!.dependsOn, ['auth.role-a']);
    // Least privilege: role A may assume role B and nothing else.
    assert.match(String(a['auth.policy-a']!.detail!.document), new RegExp(`"Resource":"acs:ram::${B}:role/acr-xaccount-puller"`));
    const ordered = createPlan(actions).actions.map((x) => x.id);
    assert.ok(ordered.indexOf('auth.rrsa') < ordered.indexOf('auth.role-a') && ordered.indexOf('auth.role-a') < ordered.indexOf('auth.role-b'));
  });

  it('a finished setup plans only noops', () => {
    const cfg = config({ mode: 'rrsa' });
    const actions = step.plan(cfg, finishedRrsa(cfg), baseFacts({}, true), clients);
    assert.deepEqual([...new Set(actions.map((a) => a.change))], ['noop']);
  });

  it('a partial setup (crash after role A) plans the rest', () => {
    const cfg = config({ mode: 'rrsa' });
    const facts = finishedRrsa(cfg);
    facts.pullPolicy = { versions: [] };
    facts.roleB = { attached: [] };
    const actions = step.plan(cfg, facts, baseFacts({}, true), clients);
    const todo = actions.filter((a) => a.change !== 'noop').map((a) => a.id);
    assert.deepEqual(todo, ['auth.policy-b', 'auth.role-b', 'auth.role-b-policy']);
  });

  it('assumePolicy=system attaches AliyunSTSAssumeRoleAccess instead of the custom policy', () => {
    const cfg = config({ mode: 'rrsa', assumePolicy: 'system' });
    const a = byId(step.plan(cfg, { pullPolicy: { versions: [] }, roleA: { attached: [] }, roleB: { attached: [] } }, baseFacts({}, true), clients));
    assert.equal(a['auth.policy-a'], undefined);
    assert.equal(a['auth.role-a-policy']!.detail!.policy, 'AliyunSTSAssumeRoleAccess');
    assert.equal(a['auth.role-a-policy']!.detail!.policyType, 'System');
  });

  it('least privilege on our role A detaches the broad system policy an earlier run attached, after attaching ours', () => {
    const cfg = config({ mode: 'rrsa' });
    const facts = finishedRrsa(cfg);
    facts.roleA!.attached.push(attached('AliyunSTSAssumeRoleAccess', 'System'));
    const a = byId(step.plan(cfg, facts, baseFacts({}, true), clients));
    assert.equal(a['auth.role-a-policy-broad']!.change, 'delete');
    assert.deepEqual(a['auth.role-a-policy-broad']!.dependsOn, ['auth.role-a-policy']);
  });
});

describe('merges and versions', () => {
  it('role B that trusts someone else gets our statement added; the other statement stays', () => {
    const cfg = config({ mode: 'worker-role' });
    const other: PolicyStatement = { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::1999888877776666:root'] } };
    const facts: AuthFacts = {
      pullPolicy: { versions: [] }, assumePolicy: { versions: [] },
      workerRole: { name: WORKER, role: role(WORKER, A, [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }], { description: 'ACK' }), attached: [] },
      roleB: { role: role(cfg.auth.roleBName, B, [other], { description: 'made by hand' }), attached: [] },
    };
    const roleB = byId(step.plan(cfg, facts, baseFacts(), clients))['auth.role-b']!;
    assert.equal(roleB.change, 'update');
    assert.equal(roleB.detail!.keepsStatements, 1);
    assert.match(String(roleB.detail!.addTrustStatement), new RegExp(`role/${WORKER}`));
    const ours = trustRamStatement(`acs:ram::${A}:role/${WORKER}`);
    const merged = withStatement(facts.roleB!.role!.assumeRolePolicy, ours);
    assert.deepEqual(merged.Statement, [other, ours]);
    assert.equal(withStatement(merged, ours), merged, 'adding it again changes nothing');
    assert.ok(hasStatement({ Version: '1', Statement: [{ ...ours, Principal: { RAM: ours.Principal!.RAM![0]! } }] }, ours), 'a one-item list and its string are the same');
  });

  it('our role B with a too short MaxSessionDuration is raised (a role not ours is refused in preflight)', () => {
    const cfg = config({ mode: 'rrsa', expireDuration: 3600 });
    const facts = finishedRrsa(cfg);
    facts.roleB!.role = { ...facts.roleB!.role!, maxSessionDuration: 1800 };
    const roleB = byId(step.plan(cfg, facts, baseFacts({}, true), clients))['auth.role-b']!;
    assert.equal(roleB.change, 'update');
    assert.ok(roleB.detail!.maxSessionDuration instanceof FieldChange);
  });

  it('a policy whose document differs gets a new default version; at five versions the oldest non-default is pruned', () => {
    const cfg = config({ mode: 'rrsa', policyScope: 'instance' });
    const facts = finishedRrsa(cfg);
    const seedDoc = pullPolicyDocument(config({ mode: 'rrsa', policyScope: 'all' }), B);
    facts.pullPolicy = {
      policy: policy(cfg.auth.policyName, seedDoc, { defaultVersion: 'v5' }),
      versions: ['v1', 'v2', 'v3', 'v4', 'v5'].map((v) => ({ versionId: v, isDefaultVersion: v === 'v5', documentRaw: '{}' })),
    };
    const p = byId(step.plan(cfg, facts, baseFacts({}, true), clients))['auth.policy-b']!;
    assert.equal(p.change, 'update');
    assert.ok(p.detail!.document instanceof FieldChange);
    assert.equal(p.detail!.prunesVersion, 'v1');
    assert.ok(sameDocument({ Version: '1', Statement: [...pullPolicyDocument(cfg, B).Statement].reverse() }, pullPolicyDocument(cfg, B)), 'statement order does not matter');
  });

  it('the instance-scoped pull policy names the instance and its repositories; policyScope=all is the seed\'s "*"', () => {
    const scoped = JSON.stringify(pullPolicyDocument(config({ mode: 'rrsa' }), B));
    assert.match(scoped, new RegExp(`acs:cr:cn-hangzhou:${B}:instance/${INSTANCE}`));
    assert.match(scoped, new RegExp(`acs:cr:cn-hangzhou:${B}:repository/${INSTANCE}/\\*`));
    assert.equal(JSON.stringify(pullPolicyDocument(config({ mode: 'rrsa', policyScope: 'all' }), B).Statement[0]!.Resource), '"*"');
  });
});

describe('auth worker-role planner', () => {
  it('attaches the assume policy to the worker role and lets role B trust exactly that role', () => {
    const cfg = config({ mode: 'worker-role' });
    const facts: AuthFacts = { pullPolicy: { versions: [] }, assumePolicy: { versions: [] }, roleB: { attached: [] }, workerRole: { name: WORKER, role: role(WORKER, A, [], { description: 'ACK' }), attached: [attached('k8sWorkerRolePolicy')] } };
    const a = byId(step.plan(cfg, facts, baseFacts(), clients));
    assert.equal(a['auth.worker-role-policy']!.detail!.role, WORKER);
    assert.match(String(a['auth.role-b']!.detail!.trust), new RegExp(`acs:ram::${A}:role/${WORKER}`));
    assert.equal(a['auth.rrsa'], undefined);
  });
});

describe('auth access-key planner', () => {
  const key = (id: string, createDate: string, status = 'Active'): AccessKeyInfo => ({ accessKeyId: id, status, createDate });

  it('keys: keep the working one; make one when none works; rotate on request; never delete the used key first', () => {
    assert.deepEqual(planKeys({ keys: [] }, false), { create: true, makeRoom: [], retire: [] });
    assert.deepEqual(planKeys({ keys: [key('K1', '1')], configuredKeyId: 'K1' }, false), { keep: 'K1', create: false, makeRoom: [], retire: [] });
    // An interrupted run left a key nobody has the secret of: it goes.
    assert.deepEqual(planKeys({ keys: [key('K1', '1'), key('K2', '2')], configuredKeyId: 'K1' }, false), { keep: 'K1', create: false, makeRoom: [], retire: ['K2'] });
    // Rotation at RAM's limit: the unused key makes room, the used one goes after the switch.
    assert.deepEqual(planKeys({ keys: [key('K1', '1'), key('K2', '2')], configuredKeyId: 'K2' }, true), { create: true, makeRoom: ['K1'], retire: ['K2'] });
    assert.deepEqual(planKeys({ keys: [key('K1', '1')], configuredKeyId: 'K1' }, true), { create: true, makeRoom: [], retire: ['K1'] });
    // The configured key was disabled: a new one replaces it.
    assert.deepEqual(planKeys({ keys: [key('K1', '1', 'Inactive')], configuredKeyId: 'K1' }, false), { create: true, makeRoom: [], retire: ['K1'] });
  });

  it('first run: user, policy, one new key whose secret is only ever sensitive; a re-run keeps the key (noops)', () => {
    const cfg = config({ mode: 'access-key' });
    const withAddon = withSteps(baseFacts(), 'auth', 'addon');
    const first = step.plan(cfg, { pullPolicy: { versions: [] }, user: { attached: [], keys: [] } }, withAddon, clients);
    assert.deepEqual(changes(first), { 'auth.policy-b': 'create', 'auth.user': 'create', 'auth.user-policy': 'create', 'auth.access-key': 'create' });
    const created = byId(first)['auth.access-key']!;
    assert.match(String(created.detail!.warning), /long-lived AccessKey secret/);
    const json = JSON.parse(JSON.stringify(planToJson(createPlan(first)))) as { actions: { id: string; detail: Record<string, unknown> }[] };
    assert.deepEqual(json.actions.find((x) => x.id === 'auth.access-key')!.detail.accessKeySecret, { sensitive: true });

    const user = { userName: cfg.auth.userName, userId: 'u1', displayName: '', comments: `x (${MARKER})` };
    const done: AuthFacts = { pullPolicy: { policy: policy(cfg.auth.policyName, pullPolicyDocument(cfg, B)), versions: [] }, user: { user, attached: [attached(cfg.auth.policyName)], keys: [key('K1', '1')], configuredKeyId: 'K1' } };
    assert.deepEqual([...new Set(step.plan(cfg, done, withAddon, clients).map((a) => a.change))], ['noop']);

    const rotate = config({ mode: 'access-key', rotateKey: true });
    const r = byId(step.plan(rotate, done, withAddon, clients));
    assert.equal(r['auth.access-key']!.change, 'create');
    assert.deepEqual(r['auth.access-key-retire']!.dependsOn, ['auth.access-key', 'addon.config'], 'the old key goes only after the cluster switched');
  });
});

describe('auth preflight', () => {
  const empty: AuthFacts = { pullPolicy: { versions: [] }, roleA: { attached: [] }, roleB: { attached: [] }, assumePolicy: { versions: [] } };

  it('refuses RRSA on a dedicated cluster and an old cluster, naming the kind, the version and what works', () => {
    const dedicated = step.preflight(config({ mode: 'rrsa' }), empty, baseFacts({ clusterType: 'Kubernetes', clusterSpec: '' }));
    assert.match(dedicated.join('\n'), /ACK dedicated cluster .*Kubernetes 1\.31/);
    assert.match(dedicated.join('\n'), /--auth worker-role --edition self-managed, or --auth access-key --edition self-managed/);
    const old = step.preflight(config({ mode: 'rrsa' }), empty, baseFacts({ currentVersion: '1.18.8-aliyun.1' }));
    assert.match(old.join('\n'), /Kubernetes 1\.18\.8.*1\.22 or later/);
    const serverless = step.preflight(config({ mode: 'access-key' }), { pullPolicy: { versions: [] }, user: { attached: [], keys: [] } }, baseFacts({ profile: 'Serverless' }));
    assert.match(serverless.join('\n'), /ACK Serverless Pro .*--auth rrsa --edition managed/);
    assert.deepEqual(step.preflight(config({ mode: 'rrsa' }), empty, baseFacts({ profile: 'Edge' })), []);
  });

  it('refuses an expireDuration that a role not ours cannot give; our own role is raised instead', () => {
    const cfg = config({ mode: 'worker-role', expireDuration: 7200 });
    const facts: AuthFacts = { ...empty, workerRole: { name: WORKER, role: role(WORKER, A, []), attached: [] }, roleB: { role: role(cfg.auth.roleBName, B, [], { description: 'by hand' }), attached: [] } };
    const problems = step.preflight(cfg, facts, baseFacts()).join('\n');
    assert.match(problems, /at most 3600 seconds \(MaxSessionDuration\).*not created by acr-xaccount/);
    // Role chaining is not capped at an hour: with no hand-made role B in the way, 7200 s is fine.
    assert.deepEqual(step.preflight(cfg, { ...facts, roleB: undefined }, baseFacts()), []);
  });

  it('refuses to rewrite a policy or make keys for a user that is not ours, and a new key without the addon step', () => {
    const cfg = config({ mode: 'access-key' });
    const facts: AuthFacts = {
      pullPolicy: { policy: policy(cfg.auth.policyName, pullPolicyDocument(cfg, B), { description: 'someone else' }), versions: [] },
      user: { user: { userName: cfg.auth.userName, userId: 'u', displayName: '', comments: '' }, attached: [], keys: [] },
    };
    const problems = step.preflight(cfg, facts, baseFacts()).join('\n');
    assert.match(problems, /--policy-name/);
    assert.match(problems, /--user-name/);
    assert.match(problems, /--step addon/);
  });
});
