// The verify step without I/O: which image and domain it tests, what it refuses, what it plans, and the
// diagnosis table on the kubelet's literal failure messages (as the sandbox's simulated kubelet writes them).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AccountClient } from '../src/cloud/session.js';
import { configSchema, type Config } from '../src/config/schema.js';
import type { BaseFacts, StepClients } from '../src/steps/step.js';
import { diagnose, targetOf } from '../src/steps/verify/diagnose.js';
import { imageReference, step, type VerifyFacts } from '../src/steps/verify/index.js';

const VPC_DOMAIN = 'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com';
const NET_DOMAIN = 'acme-registry.cn-hangzhou.cr.aliyuncs.com';
const noIo = (): never => {
  throw new Error('no I/O in this test');
};
const clients: StepClients = { A: new Proxy({}, { get: noIo }) as AccountClient, B: new Proxy({}, { get: noIo }) as AccountClient, kubeconfig: async () => noIo(), pollIntervalMs: 1 };

function config(network: Config['network']['mode'], extra: { dns?: Config['network']['dns']; auth?: Config['auth']['mode']; verify?: Record<string, unknown> } = {}): Config {
  return configSchema.parse({
    apiVersion: 'acr-xaccount/v1',
    accountA: { region: 'cn-hangzhou', clusterId: 'c8864f6d1c0bd4a1f9dd' },
    accountB: { region: 'cn-hangzhou', instanceId: 'cri-abc123' },
    network: { mode: network, ...(extra.dns ? { dns: extra.dns } : {}) },
    auth: { mode: extra.auth ?? 'rrsa' },
    addon: { edition: extra.auth === 'worker-role' ? 'self-managed' : 'managed' },
    verify: extra.verify ?? {},
  });
}

const base = {
  steps: ['verify'],
  registry: {
    instance: { instanceId: 'cri-abc123' },
    endpoints: [
      { type: 'Internet', domains: [{ domain: NET_DOMAIN, type: 'SYSTEM' }] },
      { type: 'VPC', domains: [{ domain: VPC_DOMAIN, type: 'SYSTEM' }] },
    ],
  },
} as unknown as BaseFacts;

describe('verify: the image and the domain', () => {
  it('--image ns/repo:tag gets the VPC domain for peering and CEN, the Internet domain for public (no cloud call)', async () => {
    const peering = await step.discover(config('peering', { verify: { image: 'base/alpine:3.20' } }), base, clients);
    assert.deepEqual(peering, { domain: VPC_DOMAIN, image: `${VPC_DOMAIN}/base/alpine:3.20`, source: 'config' });
    const cen = await step.discover(config('cen', { verify: { image: 'base/alpine:3.20' } }), base, clients);
    assert.equal(cen.image, `${VPC_DOMAIN}/base/alpine:3.20`);
    const pub = await step.discover(config('public', { verify: { image: 'base/alpine:3.20' } }), base, clients);
    assert.equal(pub.image, `${NET_DOMAIN}/base/alpine:3.20`);
  });

  it('a full reference is kept as given', () => {
    assert.equal(imageReference('other-registry.cn-beijing.cr.aliyuncs.com/ns/app:1', VPC_DOMAIN), 'other-registry.cn-beijing.cr.aliyuncs.com/ns/app:1');
    assert.equal(imageReference('localhost:5000/ns/app', VPC_DOMAIN), 'localhost:5000/ns/app');
    assert.equal(imageReference('ns/app', VPC_DOMAIN), `${VPC_DOMAIN}/ns/app`);
  });
});

describe('verify: preflight and plan', () => {
  it('no image anywhere, verify alone: refused, saying how to pass one', () => {
    const problems = step.preflight(config('peering'), { domain: VPC_DOMAIN }, base);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /cri-abc123 has no repository with a tag.*--image NAMESPACE\/REPOSITORY:TAG/);
  });

  it('no image anywhere, with the other steps: the setup goes ahead and the pull is a visible skip', async () => {
    const everything = { ...base, steps: ['network', 'dns', 'auth', 'addon', 'verify'] } as BaseFacts;
    assert.deepEqual(step.preflight(config('peering'), { domain: VPC_DOMAIN }, everything), []);
    const [skip] = step.plan(config('peering'), { domain: VPC_DOMAIN }, everything, clients);
    assert.equal(skip!.change, 'check', 'a skip never makes the plan "changed"');
    assert.match(skip!.title, /Skip the test pull/);
    assert.match(String(skip!.detail!.reason), /cri-abc123 has no repository with a tag yet: push an image, then run `acr-xaccount verify`/);
    const said: string[] = [];
    await skip!.apply!({ output: () => ({}) as never, progress: (t) => said.push(t), signal: new AbortController().signal });
    assert.match(said.join('\n'), /^skipped: instance cri-abc123/);
  });

  it('no domain for the mode: names the endpoint', () => {
    const problems = step.preflight(config('public'), { domain: '', image: 'x' }, base);
    assert.match(problems.join('\n'), /no Internet domain to pull from/);
  });

  it('plans one check in account A with what the Deployment will be', () => {
    const facts: VerifyFacts = { domain: VPC_DOMAIN, image: `${VPC_DOMAIN}/base/alpine:3.20`, source: 'discovered' };
    assert.deepEqual(step.preflight(config('peering'), facts, base), []);
    const actions = step.plan(config('peering', { verify: { namespace: 'apps', serviceAccount: 'puller', keep: true } }), facts, base, clients);
    assert.equal(actions.length, 1);
    const [pull] = actions;
    assert.equal(pull!.id, 'verify.pull');
    assert.equal(pull!.account, 'A');
    assert.equal(pull!.change, 'check');
    assert.match(pull!.title, /Test-pull .*base\/alpine:3\.20 in Deployment apps\/acr-xaccount-verify/);
    assert.deepEqual(pull!.detail, { image: `${VPC_DOMAIN}/base/alpine:3.20`, namespace: 'apps', serviceAccount: 'puller', timeoutSeconds: 300, keepDeployment: true });
  });
});

// The kubelet's messages, as src/sandbox/pull.ts writes them after `Failed to pull image "...": `.
const HEAD = `failed to do request: Head "https://${VPC_DOMAIN}/v2/base/alpine/manifests/3.20"`;
const AUTH = 'failed to authorize: failed to fetch oauth token: Post "https://dockerauth-vpc.cn-hangzhou.aliyuncs.com/auth"';
const OSS = 'failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://cri-abc123-oss-vpc.oss-cn-hangzhou-internal.aliyuncs.com/docker/registry/v2/blobs/sha256/4f/4f4fb700ef54/data"';
const NXDOMAIN = (host: string) => `dial tcp: lookup ${host} on 100.100.2.136:53: no such host`;
const TIMEOUT = 'dial tcp 172.16.1.252:443: i/o timeout';

describe('verify: diagnosis table', () => {
  const cases: { message: string; cfg: Config; link: string; fix: RegExp }[] = [
    { message: `${HEAD}: ${NXDOMAIN(VPC_DOMAIN)}`, cfg: config('peering'), link: 'dns-registry', fix: new RegExp(`cannot resolve ${VPC_DOMAIN.replace(/\./g, '\\.')}: the PrivateZone record.*apply --step dns`) },
    { message: `${HEAD}: ${NXDOMAIN(VPC_DOMAIN)}`, cfg: config('peering', { dns: 'hosts' }), link: 'dns-registry', fix: /\/etc\/hosts block has no line for .*apply --step dns/ },
    { message: `${HEAD}: ${TIMEOUT}`, cfg: config('peering'), link: 'network-registry', fix: /VPC peering connection .*apply --step network/ },
    { message: `${HEAD}: ${TIMEOUT}`, cfg: config('cen'), link: 'network-registry', fix: /CEN instance .*apply --step network/ },
    { message: `${HEAD}: ${TIMEOUT}`, cfg: config('public'), link: 'network-registry', fix: /NAT gateway .*Internet ACL .*apply --step network/ },
    { message: `${AUTH}: ${NXDOMAIN('dockerauth-vpc.cn-hangzhou.aliyuncs.com')}`, cfg: config('peering'), link: 'dns-auth', fix: /dockerauth-vpc.*--auth-ip.*apply --step dns/ },
    { message: `${AUTH}: ${TIMEOUT}`, cfg: config('peering'), link: 'network-auth', fix: /--auth-ip.*apply --step network/ },
    { message: `${OSS}: ${NXDOMAIN('x')}`, cfg: config('peering'), link: 'dns-oss', fix: /--oss-ip.*apply --step dns/ },
    { message: `${OSS}: ${TIMEOUT}`, cfg: config('cen'), link: 'network-oss', fix: /--oss-ip.*apply --step network/ },
    {
      message: 'failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://dockerauth-vpc.cn-hangzhou.aliyuncs.com/auth?scope=repository%3Abase%2Falpine%3Apull&service=registry.aliyuncs.com%3Acn-registry: 401 Unauthorized',
      cfg: config('peering', { auth: 'worker-role' }),
      link: 'credentials',
      fix: /worker role allowed to sts:AssumeRole role B.*apply --step auth --step addon/,
    },
    { message: 'failed to authorize: failed to fetch oauth token: unexpected status: 403 Forbidden', cfg: config('peering'), link: 'permission', fix: /cr:PullRepository.*apply --step auth/ },
    { message: `failed to resolve reference "${VPC_DOMAIN}/base/nope:1": ${VPC_DOMAIN}/base/nope:1: not found`, cfg: config('peering'), link: 'image', fix: /verify --image/ },
    { message: 'something new', cfg: config('peering'), link: 'unknown', fix: /acr-xaccount doctor/ },
  ];
  for (const c of cases) {
    it(`${c.link} (${c.cfg.network.mode}/${c.cfg.network.dns}/${c.cfg.auth.mode})`, () => {
      const d = diagnose(c.message, c.cfg);
      assert.equal(d.link, c.link);
      assert.match(d.fix, c.fix);
    });
  }

  it('tells the three addresses apart by the failing URL', () => {
    assert.equal(targetOf(HEAD).target, 'registry');
    assert.equal(targetOf(AUTH).target, 'auth');
    assert.equal(targetOf(OSS).target, 'oss');
  });
});
