// The wizard's prompt flows, driven by scripted answers over hand-built discovery results (no I/O): what is asked,
// in which order, what is offered or refused and why, and that the answers make a valid config.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { API_VERSION, configSchema } from '../src/config/schema.js';
import type { RawConfig } from '../src/config/load.js';
import { UserError } from '../src/errors.js';
import { ScriptedPrompter, type ScriptedAnswer } from '../src/wizard/scripted-prompter.js';
import type { AccountSpec, ClusterInfo, ProbeInfo, RegistryInstanceInfo, VpcInfo, WizardSources } from '../src/wizard/sources.js';
import { mergeInto, runWizard, type WizardInput } from '../src/wizard/wizard.js';

const A = '1760312345678901';
const B = '1580298765432109';

const cluster = (over: Partial<ClusterInfo> = {}): ClusterInfo => ({
  clusterId: 'ca9d81f1f61d754ae19205691614431a2', name: 'prod', clusterType: 'ManagedKubernetes', profile: 'Default', clusterSpec: 'ack.pro.small',
  state: 'running', regionId: 'cn-hangzhou', currentVersion: '1.31.1-aliyun.1', vpcId: 'vpc-a', containerCidr: '172.20.0.0/16',
  serviceCidr: '172.21.0.0/20', rrsaEnabled: false, ...over,
});
const OLD = cluster({ clusterId: 'c0ld0000000000000000000000000000', name: 'legacy', currentVersion: '1.18.8-aliyun.1' });
const registry = (over: Partial<RegistryInstanceInfo> = {}): RegistryInstanceInfo => ({
  instanceId: 'cri-15a81168b081ad08', name: 'acme-images', edition: 'Enterprise_Standard', status: 'RUNNING', regionId: 'cn-hangzhou', createdAt: new Date('2025-01-01'), ...over,
});
const probe = (instanceId: string, over: Partial<ProbeInfo> = {}): ProbeInfo => ({ instanceId, name: 'bastion', status: 'Running', privateIp: '172.16.0.10', cloudAssistant: true, ...over });

interface Fixture {
  sandbox: boolean;
  profiles: Record<string, string>;
  clusters: ClusterInfo[];
  vpcCidrsA: string[];
  registries: Record<string, RegistryInstanceInfo[]>;
  vpcsB: VpcInfo[];
  linked: string[];
  probes: ProbeInfo[];
}

/** Discovery answered from a fixture; `calls` shows what was looked up. */
function sources(over: Partial<Fixture> = {}): WizardSources & { calls: string[] } {
  const f: Fixture = {
    sandbox: false,
    profiles: { 'prod-a': A, 'prod-b': B, 'a-again': A },
    clusters: [cluster(), OLD],
    vpcCidrsA: ['192.168.0.0/16'],
    registries: { 'cn-hangzhou': [registry()], 'cn-shanghai': [registry({ instanceId: 'cri-shanghai0001', name: 'sh-images', regionId: 'cn-shanghai' })] },
    vpcsB: [{ vpcId: 'vpc-b', name: 'registry-vpc', cidrs: ['172.16.0.0/16'] }],
    linked: [],
    probes: [probe('i-bastion')],
    ...over,
  };
  const calls: string[] = [];
  const log = <T>(name: string, value: T) => (calls.push(name), Promise.resolve(value));
  const regionOf = (id: string) => Object.values(f.registries).flat().find((r) => r.instanceId === id)?.regionId ?? 'cn-hangzhou';
  return {
    calls,
    sandbox: f.sandbox,
    profiles: () => Object.keys(f.profiles).map((name) => ({ name, origin: 'aliyun CLI, mode AK' })),
    hasEnvironmentCredentials: () => false,
    identify: async (account, spec: AccountSpec) => {
      calls.push(`identify ${account}`);
      const id = spec.kind === 'sandbox' ? (account === 'A' ? A : B) : spec.kind === 'role' ? B : spec.kind === 'profile' ? f.profiles[spec.profile] : undefined;
      if (!id) throw new UserError(`${JSON.stringify(spec)} did not work: InvalidAccessKeyId.NotFound`);
      return { accountId: id, arn: `acs:ram::${id}:root`, source: JSON.stringify(spec) };
    },
    clusters: () => log('clusters', f.clusters),
    cluster: (id) => log(`cluster ${id}`, f.clusters.find((c) => c.clusterId === id)),
    clusterNetwork: () => log('clusterNetwork', { vpcCidrs: f.vpcCidrsA, natGateways: 1 }),
    registries: (region) => log(`registries ${region}`, f.registries[region] ?? []),
    registry: (id, region) => log(`registry ${id}`, (f.registries[region] ?? []).find((r) => r.instanceId === id)),
    registryEndpoints: (id) =>
      log('endpoints', {
        vpcDomain: `acme-images-registry-vpc.${regionOf(id)}.cr.aliyuncs.com`,
        internetDomain: `acme-images-registry.${regionOf(id)}.cr.aliyuncs.com`,
        linkedVpcs: f.linked.map((vpcId) => ({ vpcId, ip: '172.16.1.252', status: 'RUNNING' })),
      }),
    vpcsB: () => log('vpcsB', f.vpcsB),
    probes: () => log('probes', f.probes),
    repositories: () => log('repositories', [
      { repoId: 'crr-app', namespace: 'team', name: 'app' },
      { repoId: 'crr-web', namespace: 'team', name: 'web' },
    ]),
    tags: () => log('tags', [
      { tag: '1.4.1', updatedAt: new Date('2025-01-01') },
      { tag: '1.4.2', updatedAt: new Date('2025-02-01') },
    ]),
  };
}

const input = (over: Partial<WizardInput> = {}): WizardInput => ({ given: {}, fromFlags: new Set(), ...over });

/** The config the answers make, over what was given: it must satisfy the schema. */
function configOf(given: RawConfig, answers: RawConfig) {
  return configSchema.parse(mergeInto(structuredClone({ apiVersion: API_VERSION, ...given }), answers));
}

async function wizard(answers: Record<string, ScriptedAnswer>, fixture: Partial<Fixture> = {}, over: Partial<WizardInput> = {}) {
  const p = new ScriptedPrompter(answers);
  const s = sources(fixture);
  const result = await runWizard(p, s, input(over));
  return { p, s, result, config: configOf(over.given ?? {}, result.answers) };
}

const DEFAULT_ANSWERS = { 'accountA.credentials': 'profile:prod-a', 'accountB.credentials': 'profile:prod-b' };

describe('wizard: a first run', () => {
  it('asks in the seed\'s order, recommends peering and RRSA here, and the answers make a valid config', async () => {
    const { p, config } = await wizard(DEFAULT_ANSWERS);
    assert.deepEqual(p.ids, [
      'accountA.credentials', 'accountB.credentials', 'accountA.cluster', 'accountB.region', 'accountB.instance',
      'network.mode', 'network.dns', 'auth.mode', 'auth.expireDuration', 'addon.edition', 'addon.watchNamespaces',
      'addon.serviceAccounts', 'verify.repository', 'verify.tag',
    ]);
    assert.ok(p.notes.some((n) => n.includes(`Account A: ${A}`)) && p.notes.some((n) => n.includes(`Account B: ${B}`)), 'whose account each is, at once');
    assert.ok(p.notes.some((n) => /Recommended: peering — same region/.test(n)));
    assert.ok(p.notes.some((n) => /the only VPC of B/.test(n)) && p.notes.some((n) => /looked up on i-bastion/.test(n)), 'single candidates are taken, and said so');
    assert.ok(p.notes.some((n) => /rrsa\s+pod\s+high: STS/.test(n)), 'the seed\'s comparison table, short');
    assert.equal(config.accountA.profile, 'prod-a');
    assert.equal(config.accountB.profile, 'prod-b');
    assert.equal(config.accountA.clusterId, 'ca9d81f1f61d754ae19205691614431a2');
    assert.deepEqual([config.network.mode, config.network.vpcIdB, config.network.discoveryInstanceId, config.network.dns], ['peering', 'vpc-b', 'i-bastion', 'privatezone']);
    assert.deepEqual([config.auth.mode, config.auth.expireDuration, config.addon.edition], ['rrsa', 3600, 'managed']);
    assert.equal(config.verify.image, 'team/app:1.4.2', 'newest tag first');
  });

  it('lists clusters with kind, version, region, VPC and RRSA; one no method supports is shown with why, and cannot be picked', async () => {
    const { p } = await wizard(DEFAULT_ANSWERS);
    const [ok, old] = p.question('accountA.cluster')!.choices!;
    assert.match(ok!.name, /prod\s+ACK managed Pro 1\.31\.1\s+cn-hangzhou\s+vpc-a\s+RRSA off/);
    assert.match(old!.disabled!, /1\.18\.8 is below every supported version/);
    await assert.rejects(wizard({ ...DEFAULT_ANSWERS, 'accountA.cluster': OLD.clusterId }), /not offered: Kubernetes 1\.18\.8/);
  });

  it('a typed cluster ID is checked as typed: format, existence, support', async () => {
    const { p, config } = await wizard({
      ...DEFAULT_ANSWERS,
      'accountA.cluster': '<enter an ID>',
      'accountA.clusterId': ['prod', 'cffffffffffffffff', OLD.clusterId, 'ca9d81f1f61d754ae19205691614431a2'],
    });
    const refused = p.question('accountA.clusterId')!.refused;
    assert.match(refused[0]!, /expected an ACK cluster ID/);
    assert.match(refused[1]!, /account A has no cluster cffffffffffffffff/);
    assert.match(refused[2]!, /below every supported version/);
    assert.equal(config.accountA.clusterId, 'ca9d81f1f61d754ae19205691614431a2');
  });
});

describe('wizard: accounts', () => {
  it('refuses B == A and credentials that do not work, and asks again', async () => {
    const { p, config } = await wizard({ ...DEFAULT_ANSWERS, 'accountB.credentials': ['profile:a-again', 'profile:nope', 'profile:prod-b'] }, { profiles: { 'prod-a': A, 'prod-b': B, 'a-again': A, nope: '' } });
    assert.ok(p.notes.some((n) => n.includes(`that is account A again (${A})`)));
    assert.ok(p.notes.some((n) => /did not work: InvalidAccessKeyId/.test(n)));
    assert.equal(config.accountB.profile, 'prod-b');
  });

  it('B may be a role assumed with A\'s credentials; its ARN is validated as typed', async () => {
    const { p, config } = await wizard({ ...DEFAULT_ANSWERS, 'accountB.credentials': 'role', 'accountB.roleArn': ['OrgAccess', 'acs:ram::1580298765432109:role/OrgAccess'] });
    assert.match(p.question('accountB.roleArn')!.refused[0]!, /RAM role ARN/);
    assert.equal(config.accountB.roleArn, 'acs:ram::1580298765432109:role/OrgAccess');
    assert.equal(config.accountB.profile, undefined);
  });

  it('in the sandbox shows both accounts and asks for no credentials', async () => {
    const { p } = await wizard({}, { sandbox: true });
    assert.ok(!p.ids.some((id) => id.endsWith('.credentials')));
    assert.ok(p.notes.some((n) => n.includes(`Account B: ${B}`)));
  });
});

describe('wizard: network', () => {
  it('overlapping CIDRs: only the public path is offered, with why; the ACL extra CIDRs are validated; no DNS question', async () => {
    const { p, config } = await wizard(
      { ...DEFAULT_ANSWERS, 'network.aclCidrs': ['0.0.0.0/0', '203.0.113.7/32, 198.51.100.0/24'] },
      { vpcsB: [{ vpcId: 'vpc-b', name: '', cidrs: ['192.168.0.0/16'] }] },
    );
    const modes = p.question('network.mode')!.choices!;
    assert.match(modes.find((c) => c.value === 'peering')!.disabled!, /overlaps B's vpc-b 192\.168\.0\.0\/16/);
    assert.match(modes.find((c) => c.value === 'public')!.name, /\(recommended\)/);
    assert.ok(p.notes.some((n) => /Recommended: public — .*overlaps.*ACL/.test(n)));
    assert.match(p.question('network.aclCidrs')!.refused[0]!, /whole Internet/);
    assert.deepEqual(config.network.aclCidrs, ['203.0.113.7/32', '198.51.100.0/24']);
    assert.ok(!p.ids.includes('network.dns') && !p.ids.includes('network.vpcIdB'));
  });

  it('across regions: the region is checked as typed, CEN is recommended, the bandwidth is asked', async () => {
    const { p, config } = await wizard({ ...DEFAULT_ANSWERS, 'accountB.region': ['shanghai', 'cn-beijing', 'cn-shanghai'], 'network.bandwidthMbps': ['0', '20'] });
    const refused = p.question('accountB.region')!.refused;
    assert.match(refused[0]!, /expected an Alibaba Cloud region ID/);
    assert.match(refused[1]!, /account B has no ACR instance in cn-beijing/);
    assert.ok(p.notes.some((n) => /Recommended: cen — across regions \(cn-hangzhou -> cn-shanghai\)/.test(n)));
    assert.deepEqual([config.accountB.region, config.accountB.instanceId, config.network.mode, config.network.bandwidthMbps], ['cn-shanghai', 'cri-shanghai0001', 'cen', 20]);
  });

  it('several VPCs and instances in B: overlapping VPCs and instances without Cloud Assistant are not offered; addresses may be typed and are checked against A', async () => {
    const { p, config } = await wizard(
      {
        ...DEFAULT_ANSWERS,
        'network.discoveryInstanceId': '<enter the addresses>',
        'network.authIp': ['dockerauth', '192.168.3.4', '100.103.7.181'],
        'network.ossIp': '100.118.28.1',
      },
      {
        vpcsB: [{ vpcId: 'vpc-clash', name: '', cidrs: ['192.168.0.0/16'] }, { vpcId: 'vpc-other', name: '', cidrs: ['10.0.0.0/16'] }, { vpcId: 'vpc-b', name: '', cidrs: ['172.16.0.0/16'] }],
        linked: ['vpc-b'],
        probes: [probe('i-one'), probe('i-two'), probe('i-off', { cloudAssistant: false })],
      },
    );
    const vpcs = p.question('network.vpcIdB')!;
    assert.equal(vpcs.default, 'vpc-b', 'the VPC already linked to the registry first');
    assert.match(vpcs.choices!.find((c) => c.value === 'vpc-clash')!.disabled!, /overlaps/);
    assert.equal(p.question('network.discoveryInstanceId')!.choices!.find((c) => c.value === 'i-off')!.disabled, 'Cloud Assistant is not online');
    const refused = p.question('network.authIp')!.refused;
    assert.match(refused[0]!, /IPv4/);
    assert.match(refused[1]!, /inside A's VPC vpc-a 192\.168\.0\.0\/16/);
    assert.deepEqual(
      [config.network.authIp, config.network.authDomain, config.network.ossIp, config.network.ossDomain],
      ['100.103.7.181', 'dockerauth-vpc.cn-hangzhou.aliyuncs.com', '100.118.28.1', 'cri-15a81168b081ad08-registry.oss-cn-hangzhou-internal.aliyuncs.com'],
    );
  });
});

describe('wizard: auth and add-on', () => {
  it('AccessKey mode needs a confirmation of its risk; declining asks again; the managed edition is then not offered', async () => {
    const { p, config } = await wizard({ ...DEFAULT_ANSWERS, 'auth.mode': ['access-key', 'access-key'], 'auth.accessKeyRisk': [false, true] });
    assert.equal(p.ids.filter((id) => id === 'auth.mode').length, 2);
    assert.ok(p.notes.some((n) => /long-lived AccessKey secret/.test(n)));
    assert.ok(!p.ids.includes('auth.expireDuration'), 'no STS lifetime in AccessKey mode');
    assert.match(p.question('addon.edition')!.choices!.find((c) => c.value === 'managed')!.disabled!, /only RRSA/);
    assert.deepEqual([config.auth.mode, config.addon.edition], ['access-key', 'self-managed']);
  });

  it('a dedicated cluster: RRSA and the managed edition are not offered, with the reason; worker role recommended', async () => {
    const dedicated = cluster({ clusterType: 'Kubernetes', clusterSpec: '' });
    const { p, config } = await wizard({ ...DEFAULT_ANSWERS, 'auth.expireDuration': ['600', '7200'] }, { clusters: [dedicated] });
    assert.match(p.question('auth.mode')!.choices![0]!.disabled!, /needs ACK managed Basic\/Pro, ACK Edge or ACK Serverless Pro on Kubernetes 1\.22 or later; this is ACK dedicated 1\.31\.1/);
    assert.match(p.question('auth.expireDuration')!.refused[0]!, /3600 to 43200/);
    assert.deepEqual([config.auth.mode, config.auth.expireDuration, config.addon.edition], ['worker-role', 7200, 'self-managed']);
  });
});

describe('wizard: flags and --step', () => {
  const saved = {
    apiVersion: API_VERSION,
    accountA: { profile: 'prod-a', region: 'cn-hangzhou', clusterId: 'ca9d81f1f61d754ae19205691614431a2' },
    accountB: { profile: 'prod-b', region: 'cn-hangzhou', instanceId: 'cri-15a81168b081ad08' },
    network: { mode: 'peering', dns: 'privatezone', vpcIdB: 'vpc-b' },
    auth: { mode: 'rrsa', expireDuration: 7200 },
    addon: { edition: 'managed' },
    verify: { image: 'team/app:1.4.2' },
  };

  it('--step auth re-asks only the auth settings, the file\'s values preselected; the file\'s managed edition narrows the methods', async () => {
    const { p, s, config } = await wizard({ 'auth.expireDuration': '10800' }, {}, { given: saved, steps: ['auth'] });
    assert.deepEqual(p.ids, ['auth.mode', 'auth.expireDuration']);
    assert.equal(p.question('auth.mode')!.default, 'rrsa');
    assert.equal(p.question('auth.expireDuration')!.default, '7200');
    assert.match(p.question('auth.mode')!.choices!.find((c) => c.value === 'worker-role')!.disabled!, /managed add-on edition in the config supports only RRSA/);
    assert.ok(!s.calls.includes('vpcsB') && !s.calls.includes('repositories'), 'no lookups for steps not asked');
    assert.equal(config.auth.expireDuration, 10800);
    assert.equal(config.network.mode, 'peering');
  });

  it('settings given by flags are never asked; one that cannot work stops the wizard naming the flag', async () => {
    const given = { accountA: { profile: 'prod-a' }, accountB: { profile: 'prod-b' }, network: { mode: 'public' }, auth: { mode: 'rrsa' } };
    const fromFlags = new Set(['accountA.profile', 'accountB.profile', 'network.mode', 'auth.mode']);
    const { p } = await wizard({}, {}, { given, fromFlags });
    assert.ok(!p.ids.some((id) => ['network.mode', 'auth.mode'].includes(id) || id.endsWith('.credentials')));
    const dedicated = cluster({ clusterType: 'Kubernetes', clusterSpec: '' });
    await assert.rejects(wizard({}, { clusters: [dedicated] }, { given, fromFlags }), (e: Error) => e instanceof UserError && /--auth rrsa cannot work on this cluster/.test(e.message));
  });
});
