// The add-on planners on hand-built facts (no I/O): the managed config built from the schema CS hands out, the
// self-managed install and ConfigMap entry, the helper restart, replacing the other edition, and preflight.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AccountClient } from '../src/cloud/session.js';
import type { Config, ConfigInput } from '../src/config/schema.js';
import { FieldChange, KnownAfterApply, Sensitive, type Action } from '../src/plan/action.js';
import { createPlan } from '../src/plan/plan.js';
import { planToJson, renderPlanText } from '../src/plan/render.js';
import { registryEntry } from '../src/steps/addon/entry.js';
import type { AddonFacts } from '../src/steps/addon/facts.js';
import { step } from '../src/steps/addon/index.js';
import { carriableEntries, managedConfig, managedLayout, withCarried, type ManagedLayout } from '../src/steps/addon/managed.js';
import { versionAtLeast } from '../src/versions.js';
import type { BaseFacts, StepClients } from '../src/steps/step.js';
import { ACCOUNT_A, ACCOUNT_B, clusterDetail, identities, rrsaOf, stepConfig, withSteps } from './helpers/step-facts.js';

const A = ACCOUNT_A;
const B = ACCOUNT_B;
const CLUSTER = 'c0addontest000000000000000000001';
const INSTANCE = 'cri-addontest0001';
const { oidcArn: OIDC_ARN, issuer: ISSUER } = rrsaOf(CLUSTER);
const DOMAINS = ['acme-registry.cn-hangzhou.cr.aliyuncs.com', 'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com'];
const SECRET = 'sEcReT-value-never-shown-0123456789';

/** The managed edition's schema as DescribeClusterAddonMetadata answers it (a JSON string). */
const MANAGED_SCHEMA = JSON.stringify({
  type: 'object',
  properties: {
    AcrInstanceInfo: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ...Object.fromEntries(['instanceId', 'regionId', 'domains', 'assumeRoleARN', 'rrsaRoleARN', 'rrsaOIDCProviderRoleARN'].map((k) => [k, { type: 'string' }])),
          expireDuration: { type: ['integer', 'string'] },
        },
      },
    },
    enableRRSA: { type: 'boolean' },
    watchNamespace: { type: 'string' },
    serviceAccount: { type: 'string' },
    expiringThreshold: { type: 'string' },
    notifyEmail: { type: 'string' },
  },
});
const SELF_MANAGED_SCHEMA = JSON.stringify({ type: 'object', properties: { tokenMode: { type: 'string', enum: ['auto', 'managedRole', 'workerRole'] } } });

function config(mode: Config['auth']['mode'], edition: Config['addon']['edition'], extra: { auth?: Partial<ConfigInput['auth']>; addon?: Partial<ConfigInput['addon']> } = {}): Config {
  return stepConfig(CLUSTER, INSTANCE, { auth: { mode, ...extra.auth }, addon: { edition, ...extra.addon } });
}

/** The add-on step alone (`apply --step addon`): auth is not planned, so nothing waits for its actions. */
function baseFacts(rrsa = true, cluster: Partial<BaseFacts['cluster']> = {}, edition = 'Enterprise_Basic'): BaseFacts {
  return {
    steps: ['addon'],
    identities: identities(A, B),
    cluster: clusterDetail(CLUSTER, 'KubernetesWorkerRole-x', rrsa ? { issuer: ISSUER, oidcArn: OIDC_ARN } : undefined, cluster),
    registry: {
      instance: { instanceId: INSTANCE, name: 'acme', edition, status: 'RUNNING', tags: {}, createdAt: new Date('2025-01-01T00:00:00Z') },
      endpoints: [
        { type: 'Internet', enabled: false, aclEnabled: false, domains: [{ domain: DOMAINS[0]!, type: 'SYSTEM' }], aclEntries: [], linkedVpcIds: [] },
        { type: 'VPC', enabled: true, aclEnabled: true, domains: [{ domain: DOMAINS[1]!, type: 'SYSTEM' }], aclEntries: [], linkedVpcIds: [] },
      ],
    },
  };
}

/** baseFacts for a run that plans the auth step too (the add-on's actions wait for auth's). */
const withAuth = (base: BaseFacts): BaseFacts => withSteps(base, 'auth', 'addon');

const clients: StepClients = { A: {} as AccountClient, B: {} as AccountClient, kubeconfig: async () => '', pollIntervalMs: 1 };

function facts(edition: Config['addon']['edition'], extra: Partial<AddonFacts> = {}): AddonFacts {
  const managed = edition === 'managed';
  return {
    installed: {},
    metadata: { name: managed ? 'managed-aliyun-acr-credential-helper' : 'aliyun-acr-credential-helper', version: managed ? 'v24.01.29.1-5318af4-aliyun' : 'v23.02.06.1-74e2172-aliyun', configSchema: managed ? MANAGED_SCHEMA : SELF_MANAGED_SCHEMA },
    helperPods: [],
    ...extra,
  };
}

const byId = (actions: Action[]) => Object.fromEntries(actions.map((a) => [a.id, a]));
const OTHER_ENTRY = '- instanceId: "cri-otherteam00001"   # the platform team\'s registry\n  regionId: "cn-beijing"\n  assumeRoleARN: "acs:ram::1999888877776666:role/other-puller"\n  expireDuration: 3600\n';

describe('managed edition', () => {
  const layout = managedLayout(MANAGED_SCHEMA, 'v1') as ManagedLayout;

  it('reads where things go from the schema, and refuses a schema without an instance list or RRSA switch', () => {
    assert.equal(layout.listKey, 'AcrInstanceInfo');
    assert.equal(layout.rrsaKey, 'enableRRSA');
    assert.equal(layout.expireAsNumber, true);
    assert.match(String(managedLayout(JSON.stringify({ type: 'object', properties: { enableRRSA: { type: 'boolean' } } }), 'v9')), /no field for a list of ACR instances.*--edition self-managed/);
    const renamed = managedLayout(JSON.stringify({ properties: { Instances: { type: 'array', items: { properties: { instanceId: {}, expireDuration: { type: 'string' } } } }, RRSAEnabled: { type: 'boolean' } } }), 'v2') as ManagedLayout;
    assert.deepEqual([renamed.listKey, renamed.rrsaKey, renamed.expireAsNumber], ['Instances', 'RRSAEnabled', false]);
  });

  it('the config keeps other instances and keys, replaces only our entry, and leaves out what the schema does not know', () => {
    const cfg = config('rrsa', 'managed');
    const entry = registryEntry(cfg, baseFacts(), { oidcProviderArn: OIDC_ARN });
    const existing = { AcrInstanceInfo: [{ instanceId: 'cri-other', regionId: 'cn-beijing' }, { instanceId: INSTANCE, regionId: 'old' }], somethingElse: 'kept' };
    const out = managedConfig(layout, existing, cfg, entry);
    assert.deepEqual((out.AcrInstanceInfo as { instanceId: string }[]).map((e) => e.instanceId), ['cri-other', INSTANCE]);
    assert.equal(out.somethingElse, 'kept');
    assert.equal(out.enableRRSA, true);
    assert.equal(out.watchNamespace, 'all');
    const narrow = managedLayout(JSON.stringify({ properties: { AcrInstanceInfo: { type: 'array', items: { properties: { instanceId: {}, assumeRoleARN: {} } } }, enableRRSA: { type: 'boolean' } } }), 'v0') as ManagedLayout;
    assert.deepEqual(managedConfig(narrow, {}, cfg, entry), { enableRRSA: true, AcrInstanceInfo: [{ instanceId: INSTANCE, assumeRoleARN: entry.assumeRoleARN }] });
  });

  it('first run with RRSA still off: install after auth, the provider ARN known after apply', () => {
    const cfg = config('rrsa', 'managed');
    const [install] = step.plan(cfg, facts('managed'), withAuth(baseFacts(false)), clients);
    assert.equal(install!.change, 'create');
    assert.deepEqual(install!.dependsOn, ['auth.rrsa', 'auth.role-a-policy', 'auth.role-b-policy']);
    const entry = install!.detail!.entry as Record<string, unknown>;
    assert.ok(entry.rrsaOIDCProviderRoleARN instanceof KnownAfterApply);
    assert.equal(entry.assumeRoleARN, `acs:ram::${B}:role/acr-xaccount-puller`);
    assert.equal(entry.rrsaRoleARN, `acs:ram::${A}:role/acr-xaccount-helper`);
    assert.equal(entry.domains, DOMAINS.join(','));
  });

  it('installed with our config: noop; with a changed setting: an update showing the change', () => {
    const cfg = config('rrsa', 'managed');
    const layout_ = managedLayout(MANAGED_SCHEMA, 'v1') as ManagedLayout;
    const wanted = managedConfig(layout_, { notifyEmail: 'ops@example.com' }, cfg, registryEntry(cfg, baseFacts(), { oidcProviderArn: OIDC_ARN }));
    const installed = { name: 'managed-aliyun-acr-credential-helper', version: 'v1', state: 'active', config: JSON.stringify(wanted) };
    assert.equal(step.plan(cfg, facts('managed', { installed: { managed: installed } }), baseFacts(), clients)[0]!.change, 'noop');
    // The same domains in another order (as a hand-made setup may list them) are the same entry.
    const list = wanted[layout_.listKey] as { domains?: string }[];
    const reordered = { ...wanted, [layout_.listKey]: list.map((e) => ({ ...e, domains: String(e.domains ?? '').split(',').reverse().join(',') })) };
    assert.notEqual(JSON.stringify(reordered), JSON.stringify(wanted));
    const byHand = { ...installed, config: JSON.stringify(reordered) };
    assert.equal(step.plan(cfg, facts('managed', { installed: { managed: byHand } }), baseFacts(), clients)[0]!.change, 'noop');
    const changed = config('rrsa', 'managed', { addon: { watchNamespaces: ['apps'] } });
    const update = step.plan(changed, facts('managed', { installed: { managed: installed } }), baseFacts(), clients)[0]!;
    assert.equal(update.change, 'update');
    assert.ok(update.detail!.watchNamespace instanceof FieldChange);
  });
});

describe('self-managed edition', () => {
  it('first run: install with the mode\'s tokenMode, then the ConfigMap (created), after the auth actions', () => {
    const cfg = config('worker-role', 'self-managed');
    const a = byId(step.plan(cfg, facts('self-managed'), withAuth(baseFacts()), clients));
    assert.equal(a['addon.install']!.detail!.tokenMode, 'workerRole');
    assert.equal(a['addon.config']!.change, 'create');
    assert.deepEqual(a['addon.config']!.dependsOn, ['addon.install', 'auth.worker-role-policy', 'auth.role-b-policy']);
    assert.equal(a['addon.restart'], undefined);
  });

  it('adds our entry beside another instance\'s, and a finished setup is a noop', () => {
    const cfg = config('rrsa', 'self-managed');
    const data = { 'service-account': 'default', 'watch-namespace': 'all', 'expiring-threshold': '15m', 'notify-email': 'x@example.com', 'acr-registry-info': OTHER_ENTRY };
    const installed = { 'self-managed': { name: 'aliyun-acr-credential-helper', version: 'v23.02.06.1-74e2172-aliyun', state: 'active', config: '{"tokenMode":"auto"}' } };
    const a = byId(step.plan(cfg, facts('self-managed', { installed, helperConfig: { data, entries: [{ instanceId: 'cri-otherteam00001' }] } }), baseFacts(), clients));
    assert.equal(a['addon.install']!.change, 'noop');
    assert.equal(a['addon.config']!.change, 'update');
    assert.equal(a['addon.config']!.detail!.keepsOtherEntries, 1);
    assert.equal(a['addon.config']!.detail!.rrsa, 'enable: true\n');

    const entry = registryEntry(cfg, baseFacts(), { oidcProviderArn: OIDC_ARN });
    const done = { ...data, rrsa: 'enable: true', 'acr-registry-info': 'ignored by the planner' };
    const noop = step.plan(cfg, facts('self-managed', { installed, helperConfig: { data: done, entries: [{ instanceId: 'cri-otherteam00001' }, { ...entry, expireDuration: '3600' }] } }), baseFacts(), clients);
    assert.deepEqual([...new Set(noop.map((x) => x.change))], ['noop']);
  });

  it('access-key: the kept key\'s secret is never in the plan; a rotation leaves the key to apply time', () => {
    const cfg = config('access-key', 'self-managed');
    const ours = registryEntry(cfg, baseFacts(), { accessKey: { accessKeyId: 'LTAIkept', accessKeySecret: SECRET } });
    const user = { user: { userName: cfg.auth.userName, userId: 'u', displayName: '', comments: '' }, attached: [], keys: [{ accessKeyId: 'LTAIkept', status: 'Active' }], configuredKeyId: 'LTAIkept' };
    const keep = step.plan(cfg, facts('self-managed', { helperConfig: { data: { 'acr-registry-info': '' }, entries: [ours] }, user }), baseFacts(), clients);
    const configAction = byId(keep)['addon.config']!;
    assert.equal(configAction.change, 'update', 'settings missing from the ConfigMap');
    assert.ok((configAction.detail!.entry as Record<string, unknown>).customAccessKeySecret instanceof Sensitive);
    const plan = createPlan(keep);
    assert.ok(!JSON.stringify(planToJson(plan)).includes(SECRET));
    assert.ok(!renderPlanText(plan, { color: false }).includes(SECRET));

    const rotate = config('access-key', 'self-managed', { auth: { rotateKey: true } });
    const r = byId(step.plan(rotate, facts('self-managed', { helperConfig: { data: {}, entries: [ours] }, user }), withAuth(baseFacts()), clients))['addon.config']!;
    assert.ok((r.detail!.entry as Record<string, unknown>).customAccessKey instanceof KnownAfterApply);
    assert.ok(r.dependsOn!.includes('auth.access-key'));
  });
});

describe('helper restart', () => {
  const cfg = config('rrsa', 'self-managed');
  const installed = { 'self-managed': { name: 'aliyun-acr-credential-helper', version: 'v23.02.06.1-74e2172-aliyun', state: 'active', config: '{"tokenMode":"auto"}' } };
  const pods = [{ name: 'aliyun-acr-credential-helper-abc', createdMs: 1_000 }];

  it('RRSA about to be enabled with the helper running: restart after auth.rrsa and the ConfigMap', () => {
    const restart = byId(step.plan(cfg, facts('self-managed', { installed, helperPods: pods }), withAuth(baseFacts(false)), clients))['addon.restart']!;
    assert.equal(restart.change, 'update');
    assert.deepEqual(restart.dependsOn, ['addon.config', 'auth.rrsa']);
  });

  it('RRSA on: restart only pods that started before the provider was registered', () => {
    assert.ok(byId(step.plan(cfg, facts('self-managed', { installed, helperPods: pods, rrsaSinceMs: 2_000 }), withAuth(baseFacts(true)), clients))['addon.restart']);
    assert.equal(byId(step.plan(cfg, facts('self-managed', { installed, helperPods: pods, rrsaSinceMs: 500 }), withAuth(baseFacts(true)), clients))['addon.restart'], undefined);
  });
});

describe('add-on preflight', () => {
  it('refuses the other edition without --replace-edition, and says how to replace it', () => {
    const cfg = config('rrsa', 'managed');
    const installed = { 'self-managed': { name: 'aliyun-acr-credential-helper', version: 'v23.02.06.1-74e2172-aliyun', state: 'active', config: '' } };
    assert.match(step.preflight(cfg, facts('managed', { installed }), withAuth(baseFacts())).join('\n'), /self-managed edition .* installed.*--replace-edition/);
    const replace = config('rrsa', 'managed', { addon: { replaceEdition: true } });
    assert.deepEqual(step.preflight(replace, facts('managed', { installed }), withAuth(baseFacts())), [], 'with the flag, the add-on step replaces it');
  });

  it('refuses editions the cluster does not run, Personal Edition after 2024-09-08, and an old self-managed helper for RRSA', () => {
    const dedicated = config('worker-role', 'self-managed');
    assert.deepEqual(step.preflight(dedicated, facts('self-managed'), baseFacts(false, { clusterType: 'Kubernetes', clusterSpec: '' })), []);
    const edge = step.preflight(config('rrsa', 'self-managed'), facts('self-managed'), baseFacts(true, { profile: 'Edge' }));
    assert.match(edge.join('\n'), /self-managed edition .* does not install on the ACK Edge cluster .*--auth rrsa --edition managed/);
    assert.match(step.preflight(config('rrsa', 'managed'), facts('managed'), baseFacts(true, {}, 'Basic')).join('\n'), /Personal Edition instance created 2025-01-01/);
    const old = facts('self-managed', { installed: { 'self-managed': { name: 'aliyun-acr-credential-helper', version: 'v22.11.01.1-aaaa-aliyun', state: 'active', config: '' } } });
    assert.match(step.preflight(config('rrsa', 'self-managed'), old, baseFacts()).join('\n'), /v22\.11\.01\.1.*cannot use RRSA.*v23\.02\.06\.1-74e2172/);
    assert.ok(versionAtLeast('v23.02.06.1-74e2172-aliyun', 'v23.02.06.1-74e2172'));
    assert.ok(!versionAtLeast('v23.01.30.1-aaaa-aliyun', 'v23.02.06.1-74e2172'));
    // The same comparison gates Kubernetes versions (cluster support, RRSA, add-ons in the sandbox).
    assert.ok(versionAtLeast('1.31.1-aliyun.1', '1.22'));
    assert.ok(versionAtLeast('1.22', '1.22.0'));
    assert.ok(!versionAtLeast('1.18.8-aliyun.1', '1.22'));
  });

  it('without the auth step: refuses when RRSA is off or no AccessKey is configured', () => {
    assert.match(step.preflight(config('rrsa', 'managed'), facts('managed'), baseFacts(false)).join('\n'), /RRSA is off.*--step auth/);
    assert.match(step.preflight(config('access-key', 'self-managed'), facts('self-managed', { user: { attached: [], keys: [] } }), baseFacts()).join('\n'), /--step auth/);
  });
});

describe('replacing the other edition (--replace-edition)', () => {
  const SELF_INSTALLED = { name: 'aliyun-acr-credential-helper', version: 'v23.02.06.1-74e2172-aliyun', state: 'active', config: '{"tokenMode":"auto"}' };
  const OTHER = { instanceId: 'cri-otherteam00001', regionId: 'cn-beijing', domains: 'other-registry-vpc.cn-beijing.cr.aliyuncs.com', assumeRoleARN: 'acs:ram::1999888877776666:role/other-puller', expireDuration: '3600' };
  const PLACEHOLDER = { instanceId: '' };
  const helperConfig = (entries: Record<string, string | number>[]) => ({ data: { 'acr-registry-info': 'as parsed below' }, entries });
  // --replace-edition in a run that plans auth too (the uninstall waits for auth's actions).
  const replace = (edition: Config['addon']['edition']) => config(edition === 'managed' ? 'rrsa' : 'worker-role', edition, { addon: { replaceEdition: true } });
  const layout = managedLayout(MANAGED_SCHEMA, 'v1') as ManagedLayout;

  it('self-managed -> managed: uninstall (delete) after auth, then install ours carrying the other instance; no restart of pods that go away', () => {
    const cfg = replace('managed');
    const pods = [{ name: 'aliyun-acr-credential-helper-abc', createdMs: 1_000 }];
    const actions = step.plan(cfg, facts('managed', { installed: { 'self-managed': SELF_INSTALLED }, helperConfig: helperConfig([OTHER, PLACEHOLDER]), helperPods: pods }), withAuth(baseFacts(false)), clients);
    assert.deepEqual(actions.map((a) => [a.id, a.change]), [['addon.uninstall', 'delete'], ['addon.install', 'create']]);
    const [uninstall, install] = actions;
    assert.deepEqual(uninstall!.dependsOn, ['auth.rrsa', 'auth.role-a-policy', 'auth.role-b-policy'], 'a run that fails in auth leaves the old helper serving');
    assert.deepEqual(install!.dependsOn, ['auth.rrsa', 'auth.role-a-policy', 'auth.role-b-policy', 'addon.uninstall']);
    assert.match(uninstall!.title, /Uninstall add-on aliyun-acr-credential-helper \(the self-managed edition\), replaced by the managed edition/);
    assert.deepEqual(uninstall!.detail, { addon: 'aliyun-acr-credential-helper', version: 'v23.02.06.1-74e2172-aliyun', cleanupCloudResources: false, otherInstancesMoved: ['cri-otherteam00001'] });
    assert.deepEqual(install!.detail!.otherInstancesMovedIn, ['cri-otherteam00001'], 'the placeholder entry serves nothing and is not carried');
    const rendered = renderPlanText(createPlan(actions.map((a) => ({ ...a, dependsOn: a.dependsOn?.filter((d) => d.startsWith('addon.')) }))), { color: false });
    assert.match(rendered, /- delete Uninstall add-on aliyun-acr-credential-helper/);
  });

  it('the carried entries join the managed config in its shape; an instance already listed keeps its entry; an AccessKey entry cannot move', () => {
    const { carried, left } = carriableEntries(layout, [OTHER, { instanceId: 'cri-keyed', regionId: 'cn-beijing', customAccessKey: 'LTAIother', customAccessKeySecret: SECRET }]);
    assert.deepEqual(carried, [{ ...OTHER, expireDuration: 3600 }]);
    assert.deepEqual(left, ['cri-keyed (no field for customAccessKey, customAccessKeySecret)']);
    const cfg = replace('managed');
    const entry = registryEntry(cfg, baseFacts(), { oidcProviderArn: OIDC_ARN });
    const fresh = managedConfig(layout, withCarried(layout, {}, carried), cfg, entry);
    assert.deepEqual((fresh.AcrInstanceInfo as { instanceId: string }[]).map((e) => e.instanceId), ['cri-otherteam00001', INSTANCE]);
    const already = withCarried(layout, { AcrInstanceInfo: [{ instanceId: 'cri-otherteam00001', regionId: 'theirs' }] }, carried);
    assert.deepEqual(already.AcrInstanceInfo, [{ instanceId: 'cri-otherteam00001', regionId: 'theirs' }]);
  });

  it('a run stopped after the uninstall resumes with the install, still carrying the ConfigMap\'s entries; a finished one is all noops', () => {
    const cfg = replace('managed');
    const resumed = step.plan(cfg, facts('managed', { helperConfig: helperConfig([OTHER]) }), withAuth(baseFacts()), clients);
    assert.deepEqual(resumed.map((a) => [a.id, a.change]), [['addon.install', 'create']]);
    assert.deepEqual(resumed[0]!.detail!.otherInstancesMovedIn, ['cri-otherteam00001']);
    const wanted = managedConfig(layout, withCarried(layout, {}, carriableEntries(layout, [OTHER]).carried), cfg, registryEntry(cfg, baseFacts(), { oidcProviderArn: OIDC_ARN }));
    const installed = { managed: { name: 'managed-aliyun-acr-credential-helper', version: 'v1', state: 'active', config: JSON.stringify(wanted) } };
    const done = step.plan(cfg, facts('managed', { installed, helperConfig: helperConfig([OTHER]) }), withAuth(baseFacts()), clients);
    assert.deepEqual(done.map((a) => [a.id, a.change]), [['addon.install', 'noop']]);
  });

  it('without the flag: no uninstall is planned, and preflight names the flag', () => {
    const cfg = config('rrsa', 'managed');
    const f = facts('managed', { installed: { 'self-managed': SELF_INSTALLED }, helperConfig: helperConfig([OTHER]) });
    assert.equal(step.plan(cfg, f, baseFacts(), clients).find((a) => a.id === 'addon.uninstall'), undefined);
    assert.match(step.preflight(cfg, f, baseFacts()).join('\n'), /self-managed edition \(aliyun-acr-credential-helper\) is installed .*Pass --replace-edition to uninstall it/);
  });

  it('preflight refuses a replacement that would cut another instance off, or whose ConfigMap cannot be read, without showing a secret', () => {
    const cfg = replace('managed');
    const keyed = { instanceId: 'cri-keyed', regionId: 'cn-beijing', customAccessKey: 'LTAIother', customAccessKeySecret: SECRET };
    const problems = step.preflight(cfg, facts('managed', { installed: { 'self-managed': SELF_INSTALLED }, helperConfig: helperConfig([OTHER, keyed]) }), withAuth(baseFacts())).join('\n');
    assert.match(problems, /serves cri-keyed \(no field for customAccessKey, customAccessKeySecret\).*cut those pulls off.*--edition self-managed/);
    assert.ok(!problems.includes(SECRET) && !problems.includes('LTAIother'));
    const broken = step.preflight(cfg, facts('managed', { installed: { 'self-managed': SELF_INSTALLED }, helperConfigError: 'acr-registry-info is not valid YAML' }), withAuth(baseFacts())).join('\n');
    assert.match(broken, /cannot move to the managed edition.*kubectl -n kube-system edit configmap acr-configuration/);
  });

  it('managed -> self-managed: uninstall, install after it, and the managed config\'s other instances join the ConfigMap (one already there keeps its entry)', () => {
    const cfg = replace('self-managed');
    const managedCfg = { AcrInstanceInfo: [OTHER, { instanceId: 'cri-inconfigmap', regionId: 'cn-beijing' }, { instanceId: INSTANCE, regionId: 'cn-hangzhou' }], enableRRSA: true };
    const installed = { managed: { name: 'managed-aliyun-acr-credential-helper', version: 'v24.01.29.1-5318af4-aliyun', state: 'active', config: JSON.stringify(managedCfg) } };
    const a = byId(step.plan(cfg, facts('self-managed', { installed, helperConfig: helperConfig([{ instanceId: 'cri-inconfigmap' }]) }), withAuth(baseFacts()), clients));
    assert.deepEqual(Object.keys(a), ['addon.uninstall', 'addon.install', 'addon.config']);
    assert.equal(a['addon.uninstall']!.detail!.addon, 'managed-aliyun-acr-credential-helper');
    assert.deepEqual(a['addon.uninstall']!.detail!.otherInstancesMoved, ['cri-otherteam00001', 'cri-inconfigmap']);
    assert.equal(a['addon.install']!.change, 'create');
    assert.deepEqual(a['addon.install']!.dependsOn, ['auth.worker-role-policy', 'auth.role-b-policy', 'addon.uninstall']);
    assert.deepEqual(a['addon.config']!.detail!.otherInstancesMovedIn, ['cri-otherteam00001']);
    assert.deepEqual(a['addon.config']!.dependsOn, ['addon.install', 'auth.worker-role-policy', 'auth.role-b-policy']);
    assert.doesNotThrow(() => createPlan(Object.values(a).map((x) => ({ ...x, dependsOn: x.dependsOn?.filter((d) => d.startsWith('addon.')) }))));
  });
});
