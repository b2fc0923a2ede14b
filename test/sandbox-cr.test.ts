// The simulated Container Registry (cr) through the project's real client (src/cloud/cr.ts): instance and endpoint
// reads, the Internet endpoint and its ACL, linking B's VPC, repositories and tags, logins, and every refusal.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import * as crClient from '../src/cloud/cr.js';
import { Cloud, type AccountClient } from '../src/cloud/session.js';
import type { CallContext } from '../src/sandbox/api.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { cr } from '../src/sandbox/products/cr.js';
import { loadSpecs, validateResponse } from '../src/sandbox/spec.js';
import { seedRegistry, type SeededRegistry } from '../src/sandbox/state/cr.js';
import { checkRegistryToken, registryByDomain, registryFacts, resolveRegistryName } from '../src/sandbox/state/cr-facts.js';
import { cidrContains, seedVpc, seedVSwitch, vpcState } from '../src/sandbox/state/vpc.js';
import { World } from '../src/sandbox/world.js';
import { staticCredential } from './helpers/fake-cloud.js';

const FAST = { maxAttempts: 2, maxElapsedMs: 5_000, baseDelayMs: 1, maxDelayMs: 2 };
const REGION = 'cn-hangzhou';

let sandbox: RunningSandbox;
let acme: SeededRegistry;
let personalOld: SeededRegistry;
let personalNew: SeededRegistry;
let allowListed: SeededRegistry;
let B: AccountClient;
let A: AccountClient;
let vpcB: string;
let vswB: string;

function cloudFor(region = REGION): Cloud {
  const products = ['ram', 'vpc', 'cs', 'sts', 'ims', 'ecs', 'cr', 'cbn', 'vpcpeer', 'pvtz'];
  const cloud = new Cloud({ endpoints: Object.fromEntries(products.map((p) => [p, { endpoint: sandbox.endpoint, protocol: 'http' as const }])), retry: FAST });
  cloud.addAccount('A', region, staticCredential(sandbox.accounts.A.accessKeyId, sandbox.accounts.A.accessKeySecret));
  cloud.addAccount('B', region, staticCredential(sandbox.accounts.B.accessKeyId, sandbox.accounts.B.accessKeySecret));
  return cloud;
}

/** Polls (every call moves the simulated clock 5 s) until `done`, at most `max` reads. */
async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, max = 30): Promise<{ value: T; reads: T[] }> {
  const reads: T[] = [];
  for (let i = 0; i < max; i++) {
    const value = await read();
    reads.push(value);
    if (done(value)) return { value, reads };
  }
  throw new Error('never reached the expected state');
}

const raw = (acct: AccountClient, action: string, params: Record<string, unknown>) => acct.rpc<Record<string, any>>('cr', action, params);

before(async () => {
  sandbox = await startSandbox({ ephemeral: true, scenario: 'bare' });
  const world = sandbox.world;
  const b = sandbox.accounts.B.accountId;
  vpcB = String(sandbox.meta.facts.vpcB);
  vswB = Object.values(vpcState(world, b).vswitches).find((v) => v.vpcId === vpcB)!.vSwitchId;
  const bulk = Array.from({ length: 120 }, (_, i) => ({ namespace: 'bulk', name: `svc-${String(i).padStart(3, '0')}`, tags: ['latest'] }));
  acme = seedRegistry(world, b, {
    regionId: REGION,
    name: 'acme',
    specification: 'Enterprise_Standard',
    repositories: [{ namespace: 'team', name: 'app', tags: Array.from({ length: 150 }, (_, i) => `v${i}`) }, ...bulk],
  });
  personalOld = seedRegistry(world, b, { regionId: REGION, name: 'old-personal', specification: 'Basic', createdAt: '2024-09-01T00:00:00Z' });
  personalNew = seedRegistry(world, b, { regionId: REGION, name: 'new-personal', specification: 'Basic', createdAt: '2024-10-01T00:00:00Z' });
  allowListed = seedRegistry(world, b, { regionId: REGION, name: 'routed', storageRoutingAllowListed: true });
  const cloud = cloudFor();
  A = cloud.account('A');
  B = cloud.account('B');
});
after(() => sandbox.close());

describe('sandbox cr: instance and endpoints', () => {
  it('reads the instance, its endpoints and its VPC endpoint', async () => {
    const instance = await crClient.getInstance(B, acme.instanceId);
    assert.equal(instance?.edition, 'Enterprise_Standard');
    assert.equal(instance?.status, 'RUNNING');
    assert.equal(instance?.name, 'acme');
    assert.ok(instance?.createdAt instanceof Date);
    const listed = await crClient.listInstance(B);
    assert.deepEqual(listed.map((i) => i.instanceId).sort(), [acme.instanceId, personalOld.instanceId, personalNew.instanceId, allowListed.instanceId].sort());
    assert.equal(listed.find((i) => i.instanceId === acme.instanceId)?.regionId, REGION);

    const endpoints = await crClient.listInstanceEndpoint(B, acme.instanceId);
    const internet = endpoints.find((e) => e.type === 'Internet')!;
    assert.equal(internet.enabled, false);
    assert.equal(internet.status, undefined);
    assert.deepEqual(internet.domains, [{ domain: 'acme-registry.cn-hangzhou.cr.aliyuncs.com', type: 'SYSTEM' }]);
    const vpc = endpoints.find((e) => e.type === 'VPC')!;
    assert.deepEqual(vpc.domains, [{ domain: 'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com', type: 'SYSTEM' }]);
    assert.equal(acme.domains.vpc, 'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com');

    const vpcEndpoint = await crClient.getInstanceVpcEndpoint(B, acme.instanceId);
    assert.deepEqual(vpcEndpoint?.domains, ['acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com']);
    assert.deepEqual(vpcEndpoint?.linkedVpcs, []);

    assert.equal((await raw(B, 'GetInstanceCount', {})).Count, 4);
    const regions = await raw(B, 'ListInstanceRegion', { Lang: 'zh-CN' });
    assert.ok(regions.Regions.some((r: { RegionId: string; LocalName: string }) => r.RegionId === 'cn-hangzhou' && r.LocalName === '华东1（杭州）'));
  });

  it('enables the Internet endpoint: CREATING then RUNNING, with 127.0.0.1/32 in the ACL; entries sent while CREATING are dropped', async () => {
    await crClient.updateInstanceEndpointStatus(B, { instanceId: acme.instanceId, enable: true });
    const first = await crClient.getInstanceEndpoint(B, acme.instanceId);
    assert.equal(first?.enabled, true);
    assert.equal(first?.status, 'CREATING');
    assert.deepEqual(first?.aclEntries, [{ entry: '127.0.0.1/32', comment: undefined }]);
    await crClient.createInstanceEndpointAclPolicy(B, { instanceId: acme.instanceId, entry: '47.100.1.1/32' });
    const { value, reads } = await poll(() => crClient.getInstanceEndpoint(B, acme.instanceId), (e) => e?.status === 'RUNNING');
    assert.ok(reads.length > 1);
    assert.deepEqual(value?.aclEntries.map((a) => a.entry), ['127.0.0.1/32']);

    await crClient.createInstanceEndpointAclPolicy(B, { instanceId: acme.instanceId, entry: '47.100.1.1/32', comment: 'nat of cluster' });
    const running = await crClient.getInstanceEndpoint(B, acme.instanceId);
    assert.deepEqual(running?.aclEntries[1], { entry: '47.100.1.1/32', comment: 'nat of cluster' });
    const listed = (await crClient.listInstanceEndpoint(B, acme.instanceId)).find((e) => e.type === 'Internet')!;
    assert.equal(listed.aclEnabled, true);
    assert.deepEqual(listed.aclEntries.map((a) => a.entry), ['127.0.0.1/32', '47.100.1.1/32']);
  });

  it('refuses duplicate, malformed and unknown ACL entries, ACL changes on a disabled endpoint, and endpoint types other than Internet', async () => {
    await assert.rejects(crClient.createInstanceEndpointAclPolicy(B, { instanceId: acme.instanceId, entry: '47.100.1.1' }), { code: 'ACL_ENTRY_ALREADY_EXIST' });
    await assert.rejects(crClient.createInstanceEndpointAclPolicy(B, { instanceId: acme.instanceId, entry: '300.1.1.1/32' }), { code: 'PARAM_INVALID' });
    await crClient.deleteInstanceEndpointAclPolicy(B, { instanceId: acme.instanceId, entry: '47.100.1.1/32' });
    await assert.rejects(crClient.deleteInstanceEndpointAclPolicy(B, { instanceId: acme.instanceId, entry: '47.100.1.1/32' }), { code: 'ACL_ENTRY_NOT_EXIST' });
    await assert.rejects(crClient.updateInstanceEndpointStatus(B, { instanceId: acme.instanceId, enable: false, endpointType: 'VPC' }), { code: 'PARAM_INVALID' });
    await crClient.updateInstanceEndpointStatus(B, { instanceId: acme.instanceId, enable: false });
    const disabled = await crClient.getInstanceEndpoint(B, acme.instanceId);
    assert.equal(disabled?.enabled, false);
    assert.equal(disabled?.status, undefined);
    await assert.rejects(crClient.createInstanceEndpointAclPolicy(B, { instanceId: acme.instanceId, entry: '47.100.2.2/32' }), { code: 'ENDPOINT_NOT_ENABLE' });
  });

  it("links B's VPC: CREATING then RUNNING, the registry's IP in the vSwitch; duplicates, foreign VPCs and a fourth VPC refused", async () => {
    await crClient.createInstanceVpcEndpointLinkedVpc(B, { instanceId: acme.instanceId, vpcId: vpcB, vswitchId: vswB });
    const first = await crClient.getInstanceVpcEndpoint(B, acme.instanceId);
    assert.equal(first?.linkedVpcs[0]?.status, 'CREATING');
    const { value } = await poll(() => crClient.getInstanceVpcEndpoint(B, acme.instanceId), (e) => e?.linkedVpcs[0]?.status === 'RUNNING');
    const link = value!.linkedVpcs[0]!;
    const cidr = vpcState(sandbox.world, sandbox.accounts.B.accountId).vswitches[vswB]!.cidrBlock;
    assert.ok(cidrContains(cidr, link.ip), `${link.ip} in ${cidr}`);
    assert.equal(link.ip, '172.16.0.252');
    assert.deepEqual(registryFacts(sandbox.world, acme.instanceId)?.linkedVpcs, [{ vpcId: vpcB, vswitchId: vswB, ip: link.ip, status: 'RUNNING' }]);

    await assert.rejects(crClient.createInstanceVpcEndpointLinkedVpc(B, { instanceId: acme.instanceId, vpcId: vpcB, vswitchId: vswB }), { code: 'INSTANCE_ACCESS_ALREADY_EXIST' });
    const vpcA = String(sandbox.meta.facts.vpcA);
    const vswA = Object.values(vpcState(sandbox.world, sandbox.accounts.A.accountId).vswitches).find((v) => v.vpcId === vpcA)!.vSwitchId;
    await assert.rejects(crClient.createInstanceVpcEndpointLinkedVpc(B, { instanceId: acme.instanceId, vpcId: vpcA, vswitchId: vswA }), { code: 'VPC_NOT_EXIST' });

    const b = sandbox.accounts.B.accountId;
    const extra = ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'].map((cidrBlock, i) => {
      const vpc = seedVpc(sandbox.world, b, { regionId: REGION, name: `extra-${i}`, cidrBlock });
      return { vpc, vsw: seedVSwitch(sandbox.world, b, { vpcId: vpc.vpcId, zoneId: 'cn-hangzhou-h', name: 'x', cidrBlock: cidrBlock.replace('.0.0/16', '.0.0/24') }) };
    });
    await assert.rejects(crClient.createInstanceVpcEndpointLinkedVpc(B, { instanceId: acme.instanceId, vpcId: extra[0]!.vpc.vpcId, vswitchId: vswB }), { code: 'VSWITCH_NOT_EXIST' });
    await crClient.createInstanceVpcEndpointLinkedVpc(B, { instanceId: acme.instanceId, vpcId: extra[0]!.vpc.vpcId, vswitchId: extra[0]!.vsw.vSwitchId });
    await crClient.createInstanceVpcEndpointLinkedVpc(B, { instanceId: acme.instanceId, vpcId: extra[1]!.vpc.vpcId, vswitchId: extra[1]!.vsw.vSwitchId });
    await assert.rejects(
      crClient.createInstanceVpcEndpointLinkedVpc(B, { instanceId: acme.instanceId, vpcId: extra[2]!.vpc.vpcId, vswitchId: extra[2]!.vsw.vSwitchId }),
      { code: 'INSTANCE_ACCESS_QUOTA_EXCEED' },
    );

    for (const x of extra.slice(0, 2)) await crClient.deleteInstanceVpcEndpointLinkedVpc(B, { instanceId: acme.instanceId, vpcId: x.vpc.vpcId, vswitchId: x.vsw.vSwitchId });
    const deleting = await crClient.getInstanceVpcEndpoint(B, acme.instanceId);
    assert.deepEqual(deleting?.linkedVpcs.map((l) => l.status), ['RUNNING', 'DELETING', 'DELETING']);
    await poll(() => crClient.getInstanceVpcEndpoint(B, acme.instanceId), (e) => e?.linkedVpcs.length === 1);
    await assert.rejects(
      crClient.deleteInstanceVpcEndpointLinkedVpc(B, { instanceId: acme.instanceId, vpcId: extra[0]!.vpc.vpcId, vswitchId: extra[0]!.vsw.vSwitchId }),
      { code: 'INSTANCE_ACCESS_NOT_EXIST' },
    );
  });
});

describe('sandbox cr: repositories, tags and logins', () => {
  it('lists namespaces, repositories (over two pages) and tags (over two pages)', async () => {
    assert.deepEqual((await crClient.listNamespace(B, acme.instanceId)).map((n) => n.name), ['bulk', 'team']);
    const repos = await crClient.listRepository(B, acme.instanceId);
    assert.equal(repos.length, 121);
    const page2 = await raw(B, 'ListRepository', { InstanceId: acme.instanceId, PageNo: 2, PageSize: 100 });
    assert.equal(page2.TotalCount, '121');
    assert.equal(page2.Repositories.length, 21);
    const app = (await crClient.listRepository(B, acme.instanceId, { namespace: 'team' }))[0]!;
    assert.equal(app.name, 'app');
    assert.equal(app.type, 'PRIVATE');
    const tags = await crClient.listRepoTag(B, acme.instanceId, app.repoId);
    assert.equal(tags.length, 150);
    assert.equal(tags[0]!.tag, 'v149', 'newest first');
    assert.match(tags[0]!.digest, /^[0-9a-f]{64}$/);

    const byName = await raw(B, 'GetRepository', { InstanceId: acme.instanceId, RepoNamespaceName: 'team', RepoName: 'app' });
    assert.equal(byName.RepoId, app.repoId);
    const ns = await raw(B, 'GetNamespace', { InstanceId: acme.instanceId, NamespaceName: 'team' });
    assert.equal(ns.NamespaceName, 'team');
    const { RequestId, ...missing } = await raw(B, 'GetNamespace', { InstanceId: acme.instanceId, NamespaceName: 'nope' });
    assert.ok(RequestId);
    assert.deepEqual(missing, { Code: 'NAMESPACE_NOT_EXIST', IsSuccess: false });
    await assert.rejects(crClient.listRepoTag(B, acme.instanceId, 'crr-nope'), { code: 'REPO_NOT_EXIST' });
  });

  it('hands out a temporary login as cr_temp_user, valid for an hour', async () => {
    const token = await crClient.getAuthorizationToken(B, acme.instanceId);
    assert.equal(token.username, 'cr_temp_user');
    const password = token.password.reveal();
    assert.ok(password.length >= 16);
    const ttl = token.expiresAt!.getTime() - sandbox.world.data.nowMs;
    assert.ok(ttl > 3_500_000 && ttl <= 3_600_000, `ttl ${ttl}`);
    assert.equal(checkRegistryToken(sandbox.world, acme.instanceId, 'cr_temp_user', password).result, 'ok');
    assert.equal(checkRegistryToken(sandbox.world, acme.instanceId, 'cr_temp_user', 'wrong').result, 'unknown');
  });

  it('resets the login password only to one the rules accept', async () => {
    const weak = await raw(B, 'ResetLoginPassword', { InstanceId: acme.instanceId, Password: 'short' });
    assert.equal(weak.IsSuccess, false);
    assert.equal(weak.Code, 'PASSWORD_INVALID');
    assert.ok(!JSON.stringify(weak).includes('short'), 'no secret in the answer');
    assert.equal((await raw(B, 'ResetLoginPassword', { InstanceId: acme.instanceId, Password: 'Registry-2026' })).IsSuccess, true);
  });
});

describe('sandbox cr: refusals', () => {
  it('answers an unknown, foreign-account or other-region instance with INSTANCE_NOT_EXIST in a 200 body', async () => {
    assert.equal(await crClient.getInstance(B, 'cri-doesnotexist00'), undefined);
    const body = await raw(B, 'GetInstance', { InstanceId: 'cri-doesnotexist00' });
    assert.equal(body.IsSuccess, false);
    assert.equal(body.Code, 'INSTANCE_NOT_EXIST');
    assert.equal(await crClient.getInstance(A, acme.instanceId), undefined, "A cannot see B's instance");
    assert.equal(await crClient.getInstance(cloudFor('cn-shanghai').account('B'), acme.instanceId), undefined, 'another region');
    await assert.rejects(crClient.getAuthorizationToken(A, acme.instanceId), { code: 'INSTANCE_NOT_EXIST' });
  });

  it('Personal Edition: keeps its creation date, has no VPC links or ACL to manage', async () => {
    const old = await crClient.getInstance(B, personalOld.instanceId);
    assert.equal(old?.edition, 'Basic');
    assert.equal(old?.createdAt?.toISOString(), '2024-09-01T00:00:00.000Z');
    assert.equal(registryFacts(sandbox.world, personalOld.instanceId)?.helperSupported, true);
    assert.equal(registryFacts(sandbox.world, personalNew.instanceId)?.helperSupported, false);
    assert.equal(personalOld.domains.vpc, 'registry-vpc.cn-hangzhou.aliyuncs.com');
    await assert.rejects(crClient.createInstanceVpcEndpointLinkedVpc(B, { instanceId: personalNew.instanceId, vpcId: vpcB, vswitchId: vswB }), { code: 'INSTANCE_SPEC_NOT_SUPPORT' });
  });

  it('storage domain routing rules: refused unless allow-listed; the allow-listed instance gets the full cycle', async () => {
    await assert.rejects(
      raw(B, 'GetStorageDomainRoutingRule', { InstanceId: acme.instanceId }),
      (e: { code?: string; statusCode?: number }) => e.code === 'AuthenticationFailed' && e.statusCode === 403,
    );
    const missing = await raw(B, 'GetStorageDomainRoutingRule', { InstanceId: 'cri-doesnotexist00' });
    assert.deepEqual([missing.Success, missing.Code], [false, 'INSTANCE_NOT_EXIST']);
    const routes = [{ InstanceDomain: 'routed-registry-vpc.cn-hangzhou.cr.aliyuncs.com', StorageDomain: 'https://custom.example.com', EndpointType: 'VPC' }];
    const created = await raw(B, 'CreateStorageDomainRoutingRule', { InstanceId: allowListed.instanceId, Routes: JSON.stringify(routes) });
    assert.equal(created.Success, true);
    assert.match(created.RuleId, /^crsdr-/);
    const again = await raw(B, 'CreateStorageDomainRoutingRule', { InstanceId: allowListed.instanceId, Routes: JSON.stringify(routes) });
    assert.deepEqual([again.Success, again.Code], [false, 'STORAGE_DOMAIN_ROUTING_RULE_ALREADY_EXIST']);
    const got = await raw(B, 'GetStorageDomainRoutingRule', { InstanceId: allowListed.instanceId, RuleId: created.RuleId });
    assert.deepEqual(got.Routes, routes);
    assert.equal((await raw(B, 'UpdateStorageDomainRoutingRule', { InstanceId: allowListed.instanceId, RuleId: created.RuleId, Routes: JSON.stringify(routes) })).Success, true);
    assert.equal((await raw(B, 'DeleteStorageDomainRoutingRule', { InstanceId: allowListed.instanceId, RuleId: created.RuleId })).Success, true);
    await assert.rejects(raw(B, 'GetStorageDomainRoutingRule', { InstanceId: allowListed.instanceId, RuleId: created.RuleId }), {
      code: 'InvalidInstanceStorageDomainRoutingRule.NotFound',
    });
  });
});

describe('sandbox cr: facts for the rest of the sandbox', () => {
  it('registryFacts, registryByDomain and name resolution from a VPC', () => {
    const world = sandbox.world;
    const facts = registryFacts(world, acme.instanceId)!;
    assert.equal(facts.accountId, sandbox.accounts.B.accountId);
    assert.equal(facts.enterprise, true);
    assert.equal(facts.auth.vpcDomain, 'dockerauth-vpc.cn-hangzhou.aliyuncs.com');
    assert.ok(cidrContains('100.64.0.0/10', facts.auth.vpcIp));
    assert.ok(cidrContains('100.64.0.0/10', facts.oss.vpcIp));
    assert.equal(facts.oss.vpcDomain, `${acme.instanceId}-registry.oss-cn-hangzhou-internal.aliyuncs.com`);
    assert.equal(facts.repositories.find((r) => r.name === 'app')?.tags.length, 150);
    assert.deepEqual(registryByDomain(world, 'ACME-registry-vpc.cn-hangzhou.cr.aliyuncs.com.'), { accountId: facts.accountId, instanceId: acme.instanceId, kind: 'vpc', module: 'Registry' });
    const fromB = { accountId: facts.accountId, vpcId: vpcB };
    assert.deepEqual(resolveRegistryName(world, fromB, facts.auth.vpcDomain)?.addresses, [facts.auth.vpcIp]);
    assert.deepEqual(resolveRegistryName(world, fromB, facts.oss.vpcDomain)?.addresses, [facts.oss.vpcIp]);
    // Linked through the API without EnableCreateDNSRecordInPvzt: cr wrote no PrivateZone record, so no answer.
    assert.equal(resolveRegistryName(world, fromB, facts.domains.vpc), undefined);
    assert.equal(resolveRegistryName(world, { accountId: sandbox.accounts.A.accountId, vpcId: String(sandbox.meta.facts.vpcA) }, facts.domains.vpc), undefined);
    // Plain JSON state: a saved and reloaded world answers the same.
    const reloaded = new World(JSON.parse(JSON.stringify(world.data)));
    assert.deepEqual(registryFacts(reloaded, acme.instanceId), registryFacts(world, acme.instanceId));
  });
});

describe('sandbox cr: response shapes', () => {
  it('every handler answers in the spec shape, for success and for failure', async () => {
    const spec = loadSpecs().product('cr')!;
    const world = sandbox.world;
    const b = sandbox.accounts.B.accountId;
    const ctx = (action: string): CallContext => ({
      world,
      caller: { accountId: b, type: 'root', arn: `acs:ram::${b}:root`, accessKeyId: sandbox.accounts.B.accessKeyId },
      product: 'cr',
      action,
      region: REGION,
      requestId: 'TEST-REQUEST',
      baseUrl: sandbox.url,
    });
    const repoId = (await crClient.listRepository(B, acme.instanceId, { namespace: 'team' }))[0]!.repoId;
    const id = acme.instanceId;
    const vpcX = seedVpc(world, b, { regionId: REGION, name: 'shape', cidrBlock: '10.9.0.0/16' });
    const vswX = seedVSwitch(world, b, { vpcId: vpcX.vpcId, zoneId: 'cn-hangzhou-h', name: 'shape', cidrBlock: '10.9.0.0/24' });
    const routes = [{ InstanceDomain: 'routed-registry.cn-hangzhou.cr.aliyuncs.com', StorageDomain: 'https://x.example.com', EndpointType: 'Internet' }];
    const cases: [string, Record<string, unknown>][] = [
      ['GetInstance', { InstanceId: id }],
      ['ListInstance', {}],
      ['GetInstanceCount', {}],
      ['ListInstanceRegion', {}],
      ['ListInstanceEndpoint', { InstanceId: id }],
      ['ListInstanceEndpoint', { InstanceId: id, Summary: true }],
      ['UpdateInstanceEndpointStatus', { InstanceId: id, EndpointType: 'Internet', Enable: true }],
      ['GetInstanceEndpoint', { InstanceId: id, EndpointType: 'Internet' }],
      ['CreateInstanceEndpointAclPolicy', { InstanceId: id, EndpointType: 'Internet', Entry: '1.2.3.4/32' }],
      ['DeleteInstanceEndpointAclPolicy', { InstanceId: id, EndpointType: 'Internet', Entry: '9.9.9.9/32' }],
      ['GetInstanceVpcEndpoint', { InstanceId: id }],
      ['CreateInstanceVpcEndpointLinkedVpc', { InstanceId: id, VpcId: vpcX.vpcId, VswitchId: vswX.vSwitchId }],
      ['DeleteInstanceVpcEndpointLinkedVpc', { InstanceId: id, VpcId: vpcX.vpcId, VswitchId: vswX.vSwitchId }],
      ['ListNamespace', { InstanceId: id }],
      ['GetNamespace', { InstanceId: id, NamespaceName: 'team' }],
      ['ListRepository', { InstanceId: id }],
      ['GetRepository', { InstanceId: id, RepoId: repoId }],
      ['ListRepoTag', { InstanceId: id, RepoId: repoId }],
      ['GetAuthorizationToken', { InstanceId: id }],
      ['ResetLoginPassword', { InstanceId: id, Password: 'Another-2026' }],
      ['CreateStorageDomainRoutingRule', { InstanceId: allowListed.instanceId, Routes: routes }],
      ['GetStorageDomainRoutingRule', { InstanceId: allowListed.instanceId }],
      ['GetStorageDomainRoutingRule', { InstanceId: 'cri-doesnotexist00' }],
      ['GetInstance', { InstanceId: 'cri-doesnotexist00' }],
    ];
    const covered = new Set<string>();
    for (const [action, params] of cases) {
      const body = (await cr.rpc![action]!(ctx(action), params)) as Record<string, unknown>;
      if (action === 'CreateStorageDomainRoutingRule') {
        const ruleId = body.RuleId as string;
        cases.push(['UpdateStorageDomainRoutingRule', { InstanceId: allowListed.instanceId, RuleId: ruleId, Routes: routes }]);
        cases.push(['DeleteStorageDomainRoutingRule', { InstanceId: allowListed.instanceId, RuleId: ruleId }]);
      }
      assert.deepEqual(validateResponse(spec.apis[action]!, { ...body, RequestId: 'TEST-REQUEST' }), [], `${action} ${JSON.stringify(body)}`);
      covered.add(action);
    }
    assert.deepEqual([...covered].sort(), Object.keys(spec.apis).sort(), 'every cr API is implemented and checked');
    assert.deepEqual(Object.keys(cr.rpc!).sort(), Object.keys(spec.apis).sort());
  });
});
