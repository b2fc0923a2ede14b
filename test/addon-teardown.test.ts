// `destroy` planners of the add-on and verify steps on hand-built facts (no I/O): which entry is proven ours and
// taken out, what is kept and why, the add-on kept or (--remove-addon) uninstalled after the entry, the kept test
// Deployment, the order, no secret in the plan, and a torn-down world planning only noops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AccountClient } from '../src/cloud/session.js';
import type { Config, ConfigInput } from '../src/config/schema.js';
import { mergeRegistryInfo, parseRegistryInfo, removeRegistryEntries, type RegistryEntry } from '../src/kube/acr-configuration.js';
import type { Action } from '../src/plan/action.js';
import { createPlan, inSequence } from '../src/plan/plan.js';
import { planToJson, renderPlanText } from '../src/plan/render.js';
import type { AddonFacts } from '../src/steps/addon/facts.js';
import { step as addonStep } from '../src/steps/addon/index.js';
import { withoutManagedEntries } from '../src/steps/addon/teardown.js';
import { entryOwnership } from '../src/steps/addon/teardown-facts.js';
import { MARKER } from '../src/steps/marker.js';
import type { BaseFacts, StepClients, TeardownBase, TeardownOptions } from '../src/steps/step.js';
import { step as verifyStep, type VerifyFacts } from '../src/steps/verify/index.js';
import { ACCOUNT_A, ACCOUNT_B, clusterDetail, identities, stepConfig } from './helpers/step-facts.js';

const A = ACCOUNT_A;
const B = ACCOUNT_B;
const CLUSTER = 'c0teardown00000000000000000000001';
const INSTANCE = 'cri-teardown00001';
const ROLE_B = `acs:ram::${B}:role/acr-xaccount-puller`;
const SECRET = 'sEcReT-teardown-never-shown-0123456789';
const MANAGED = 'managed-aliyun-acr-credential-helper';
const SELF_MANAGED = 'aliyun-acr-credential-helper';

function config(mode: Config['auth']['mode'], edition: Config['addon']['edition'], extra: { auth?: Partial<ConfigInput['auth']> } = {}): Config {
  return stepConfig(CLUSTER, INSTANCE, { auth: { mode, ...extra.auth }, addon: { edition } });
}

const base: BaseFacts = {
  steps: ['addon', 'verify'],
  identities: identities(A, B),
  cluster: clusterDetail(CLUSTER, 'KubernetesWorkerRole-x', undefined),
  registry: { instance: { instanceId: INSTANCE, name: 'acme', edition: 'Enterprise_Basic', status: 'RUNNING', tags: {} }, endpoints: [] },
};
const clients: StepClients = { A: {} as AccountClient, B: {} as AccountClient, kubeconfig: async () => '', pollIntervalMs: 1 };
const KEEP: TeardownOptions = { removeAddon: false };
const REMOVE: TeardownOptions = { removeAddon: true };

const ourRoleEntry: RegistryEntry = { instanceId: INSTANCE, regionId: 'cn-hangzhou', domains: 'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com', assumeRoleARN: ROLE_B, expireDuration: 3600 };
const otherEntry: RegistryEntry = { instanceId: 'cri-otherteam00001', regionId: 'cn-beijing', assumeRoleARN: 'acs:ram::1999888877776666:role/other-puller', expireDuration: 3600 };
const OTHER_TEXT = '- instanceId: "cri-otherteam00001"   # the platform team\n  regionId: "cn-beijing"\n  assumeRoleARN: "acs:ram::1999888877776666:role/other-puller"\n';

function managedFacts(entries: RegistryEntry[], extra: Record<string, unknown> = {}): AddonFacts {
  const cfg = { AcrInstanceInfo: entries, enableRRSA: true, watchNamespace: 'all', serviceAccount: 'default', ...extra };
  return { installed: { managed: { name: MANAGED, version: 'v24.01.29.1', state: 'active', config: JSON.stringify(cfg) } }, helperPods: [] };
}

function selfManagedFacts(text: string, user?: AddonFacts['user']): AddonFacts {
  const data = { 'service-account': 'default', 'watch-namespace': 'all', 'notify-email': 'platform@example.com', 'acr-registry-info': text };
  return {
    installed: { 'self-managed': { name: SELF_MANAGED, version: 'v23.02.06.1', state: 'active', config: '{"tokenMode":"auto"}' } },
    helperConfig: { data, entries: parseRegistryInfo(text) },
    helperPods: [],
    user,
  };
}

const ourUser = (keyIds: string[], comments = `acr-xaccount: AccessKey user (${MARKER})`): AddonFacts['user'] => ({
  user: { userName: 'acr-xaccount-puller', userId: 'u1', displayName: 'u', comments },
  attached: [],
  keys: keyIds.map((accessKeyId) => ({ accessKeyId, status: 'Active' })),
});

const byId = (actions: Action[]) => Object.fromEntries(actions.map((a) => [a.id, a]));
const changes = (actions: Action[]) => actions.filter((a) => a.change !== 'noop');
const teardown = (cfg: Config, facts: AddonFacts, options = KEEP) => addonStep.teardown!(cfg, facts, base, clients, options);

describe('which entry is ours', () => {
  it('role B as the config names it, or a key of our marked RAM user; anything else says why it is not', () => {
    const rrsa = config('rrsa', 'managed');
    assert.equal(entryOwnership(rrsa, base, {}, ourRoleEntry).ours, true);
    const renamed = config('rrsa', 'managed', { auth: { roleBName: 'team-puller' } });
    const foreign = entryOwnership(renamed, base, {}, ourRoleEntry);
    assert.equal(foreign.ours, false);
    assert.match((foreign as { why: string }).why, new RegExp(`assumes ${ROLE_B}, not role B acs:ram::${B}:role/team-puller`));

    const ak = config('access-key', 'self-managed');
    const keyEntry = { instanceId: INSTANCE, customAccessKey: 'LTAIours', customAccessKeySecret: SECRET };
    assert.equal(entryOwnership(ak, base, { user: ourUser(['LTAIours']) }, keyEntry).ours, true);
    assert.match((entryOwnership(ak, base, { user: ourUser(['LTAIother']) }, keyEntry) as { why: string }).why, /LTAIours is not a key of RAM user acr-xaccount-puller/);
    assert.match((entryOwnership(ak, base, { user: ourUser(['LTAIours'], 'made by hand') }, keyEntry) as { why: string }).why, /belongs to no user made by acr-xaccount/);
    assert.match((entryOwnership(ak, base, { user: { attached: [], keys: [] } }, keyEntry) as { why: string }).why, /RAM user acr-xaccount-puller does not exist/);
    assert.equal(entryOwnership(ak, base, {}, { instanceId: INSTANCE, domains: 'x' }).ours, false);
  });
});

describe('managed edition', () => {
  it('our entry out by an update that names who stays served; the add-on kept as a noop saying how to remove it', () => {
    const actions = teardown(config('rrsa', 'managed'), managedFacts([otherEntry, ourRoleEntry]));
    const { 'addon.destroy.managed-entry': entry, 'addon.destroy.addon': addon } = byId(actions);
    assert.equal(entry!.change, 'update');
    assert.equal(entry!.account, 'A');
    assert.match(entry!.title, new RegExp(`Remove this instance's entry \\(${INSTANCE}\\) from add-on ${MANAGED}`));
    assert.deepEqual(entry!.detail!.keepsOtherInstances, ['cri-otherteam00001']);
    assert.deepEqual(entry!.detail!.keepsSettings, ['enableRRSA', 'watchNamespace', 'serviceAccount']);
    assert.match(String(entry!.detail!.provenOursBecause), /assumes role B/);
    assert.equal(addon!.change, 'noop');
    assert.equal(addon!.title, `Keep add-on ${MANAGED} installed (others may use it; --remove-addon uninstalls it)`);
    assert.deepEqual(addon!.detail!.servesOtherInstances, ['cri-otherteam00001']);
  });

  it('the config without our entry: every other key and entry as it was, in its order', () => {
    const cfg = { watchNamespace: 'all', AcrInstanceInfo: [otherEntry, ourRoleEntry, { instanceId: 'cri-z' }], enableRRSA: true, custom: { a: 1 } };
    const { config: out, removed } = withoutManagedEntries(cfg, (e) => e.instanceId === INSTANCE);
    assert.deepEqual(removed, [ourRoleEntry]);
    assert.equal(JSON.stringify(out), JSON.stringify({ ...cfg, AcrInstanceInfo: [otherEntry, { instanceId: 'cri-z' }] }));
    assert.equal(withoutManagedEntries(cfg, () => false).config, cfg);
  });

  it('an entry for our instance that points elsewhere is kept (noop, why), and nothing is written', () => {
    const theirs = { ...ourRoleEntry, assumeRoleARN: 'acs:ram::1999888877776666:role/their-puller' };
    const actions = teardown(config('rrsa', 'managed'), managedFacts([theirs]));
    assert.deepEqual(changes(actions), []);
    const kept = byId(actions)['addon.destroy.managed-entry-kept']!;
    assert.match(kept.title, /Keep the entry for cri-teardown00001 in add-on managed-aliyun-acr-credential-helper \(managed\) \(not provably acr-xaccount's: it assumes acs:ram::1999888877776666:role\/their-puller/);
  });

  it('--remove-addon: the entry out first, then the uninstall, which names the instances cut off', () => {
    const actions = teardown(config('rrsa', 'managed'), managedFacts([otherEntry, ourRoleEntry]), REMOVE);
    const addon = byId(actions)['addon.destroy.addon']!;
    assert.equal(addon.change, 'delete');
    assert.match(addon.title, /Uninstall add-on managed-aliyun-acr-credential-helper \(--remove-addon: 1 other instance loses its pulls\)/);
    assert.deepEqual(addon.dependsOn, ['addon.destroy.managed-entry']);
    assert.deepEqual(addon.detail!.servesOtherInstances, ['cri-otherteam00001']);
    const order = createPlan(actions).actions.map((a) => a.id);
    assert.ok(order.indexOf('addon.destroy.managed-entry') < order.indexOf('addon.destroy.addon'));
  });

  it('a config that is not JSON is kept with a noop saying to fix it by hand', () => {
    const facts: AddonFacts = { installed: { managed: { name: MANAGED, version: 'v1', state: 'active', config: 'not json' } }, helperPods: [] };
    const actions = teardown(config('rrsa', 'managed'), facts);
    assert.deepEqual(changes(actions), []);
    assert.match(byId(actions)['addon.destroy.managed-entry']!.title, /not a JSON object.*ACK console/);
  });
});

describe('self-managed edition (the ConfigMap)', () => {
  it('our entry out of the ConfigMap, the other entry and every settings key named as kept', () => {
    const text = mergeRegistryInfo(OTHER_TEXT, ourRoleEntry);
    const actions = teardown(config('worker-role', 'self-managed'), selfManagedFacts(text));
    const entry = byId(actions)['addon.destroy.config-entry']!;
    assert.equal(entry.change, 'update');
    assert.match(entry.title, /from kube-system\/acr-configuration$/);
    assert.deepEqual(entry.detail!.keepsOtherInstances, ['cri-otherteam00001']);
    assert.deepEqual(entry.detail!.keepsSettings, ['service-account', 'watch-namespace', 'notify-email']);
    assert.equal(byId(actions)['addon.destroy.addon']!.change, 'noop');
  });

  it('access-key: an entry with our user\'s key goes, its secret never in the plan; a stranger\'s key stays', () => {
    const ours = { instanceId: INSTANCE, regionId: 'cn-hangzhou', domains: 'd', customAccessKey: 'LTAIours', customAccessKeySecret: SECRET };
    const text = mergeRegistryInfo(OTHER_TEXT, ours);
    const actions = teardown(config('access-key', 'self-managed'), selfManagedFacts(text, ourUser(['LTAIours'])), REMOVE);
    assert.equal(byId(actions)['addon.destroy.config-entry']!.change, 'update');
    const plan = createPlan(actions);
    const shown = `${JSON.stringify(planToJson(plan))}${renderPlanText(plan, { color: false })}`;
    assert.ok(!shown.includes(SECRET), 'the secret is in the plan');
    assert.ok(shown.includes('LTAIours'), 'the key ID names what goes');

    const stranger = teardown(config('access-key', 'self-managed'), selfManagedFacts(text, ourUser(['LTAIsomeoneelse'])));
    assert.deepEqual(changes(stranger), []);
    assert.match(byId(stranger)['addon.destroy.config-entry-kept']!.title, /LTAIours is not a key of RAM user/);
  });

  it('an unreadable ConfigMap is kept as it is, saying to take the entry out by hand', () => {
    const facts: AddonFacts = { ...selfManagedFacts(''), helperConfig: undefined, helperConfigError: 'acr-registry-info is not a YAML list of registry entries' };
    const actions = teardown(config('worker-role', 'self-managed'), facts);
    assert.deepEqual(changes(actions), []);
    assert.match(byId(actions)['addon.destroy.config-entry']!.title, /Keep kube-system\/acr-configuration as it is \(acr-registry-info is not a YAML list.*by hand\)/);
  });

  it('--remove-addon with only the other edition installed: nothing uninstalled, the other edition kept with why', () => {
    const actions = teardown(config('rrsa', 'managed'), selfManagedFacts(OTHER_TEXT), REMOVE);
    assert.deepEqual(changes(actions), []);
    assert.match(byId(actions)['addon.destroy.other-addon']!.title, /Keep add-on aliyun-acr-credential-helper installed \(the config names the managed edition/);
  });
});

describe('a torn-down world plans no change', () => {
  it('entry gone, add-on kept: only the keep noop; add-on uninstalled too: nothing at all', () => {
    const text = mergeRegistryInfo(OTHER_TEXT, ourRoleEntry);
    const removed = removeRegistryEntries(text, (e) => e.instanceId === INSTANCE).text;
    const selfManaged = teardown(config('worker-role', 'self-managed'), selfManagedFacts(removed));
    assert.deepEqual(selfManaged.map((a) => [a.id, a.change]), [['addon.destroy.addon', 'noop']]);
    const managed = teardown(config('rrsa', 'managed'), managedFacts([otherEntry]));
    assert.deepEqual(managed.map((a) => [a.id, a.change]), [['addon.destroy.addon', 'noop']]);
    const uninstalled: AddonFacts = { installed: {}, helperConfig: { data: { 'acr-registry-info': removed }, entries: parseRegistryInfo(removed) }, helperPods: [] };
    assert.deepEqual(teardown(config('worker-role', 'self-managed'), uninstalled, REMOVE), []);
  });
});

describe('the cluster already deleted', () => {
  it('the add-on, its configuration and the test Deployment went with it: nothing read in the cluster, nothing planned', async () => {
    const { cluster: _gone, ...rest } = base;
    const gone: TeardownBase = rest;
    const noIo = () => {
      throw new Error('nothing may be read in a cluster that is gone');
    };
    const offline: StepClients = { A: new Proxy({}, { get: noIo }) as AccountClient, B: new Proxy({}, { get: noIo }) as AccountClient, kubeconfig: async () => noIo(), pollIntervalMs: 1 };
    for (const [edition, mode] of [['managed', 'rrsa'], ['self-managed', 'worker-role']] as const) {
      const cfg = config(mode, edition);
      const facts = await addonStep.discoverTeardown(cfg, gone, offline);
      assert.deepEqual(addonStep.teardown(cfg, facts, gone, offline, REMOVE), [], edition);
    }
    const cfg = config('rrsa', 'managed');
    assert.deepEqual(verifyStep.teardown(cfg, await verifyStep.discoverTeardown(cfg, gone, offline), gone, offline, REMOVE), []);
  });
});

describe('verify: the kept test Deployment', () => {
  const cfg = config('rrsa', 'managed');
  const labels = { app: 'acr-xaccount-verify', 'app.kubernetes.io/managed-by': 'acr-xaccount' };
  const verifyTeardown = (facts: VerifyFacts) => verifyStep.teardown!(cfg, facts, base, clients, KEEP);

  it('deleted when it carries our labels, kept (noop) when it does not, nothing when there is none', () => {
    const [del] = verifyTeardown({ domain: '', deployment: { namespace: 'default', name: 'acr-xaccount-verify', labels } });
    assert.equal(del!.change, 'delete');
    assert.equal(del!.title, 'Delete Deployment default/acr-xaccount-verify (the test pull kept by verify --keep)');
    const [kept] = verifyTeardown({ domain: '', deployment: { namespace: 'default', name: 'acr-xaccount-verify', labels: { app: 'acr-xaccount-verify' } } });
    assert.equal(kept!.change, 'noop');
    assert.match(kept!.title, /^Keep Deployment default\/acr-xaccount-verify \(it lacks the label app\.kubernetes\.io\/managed-by=acr-xaccount/);
    assert.deepEqual(verifyTeardown({ domain: '' }), []);
  });

  it('in destroy\'s order the Deployment goes before the add-on\'s entry, which goes before the uninstall', () => {
    const verify = verifyTeardown({ domain: '', deployment: { namespace: 'default', name: 'acr-xaccount-verify', labels } });
    const addon = teardown(cfg, managedFacts([ourRoleEntry]), REMOVE);
    const plan = createPlan(inSequence([verify, addon]));
    assert.deepEqual(plan.actions.map((a) => a.id), ['verify.destroy.deployment', 'addon.destroy.managed-entry', 'addon.destroy.addon']);
    assert.deepEqual(byId(plan.actions)['addon.destroy.managed-entry']!.dependsOn, ['verify.destroy.deployment']);
  });
});
