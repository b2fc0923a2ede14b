// The SDK-backed product modules (ram, vpc, cs + cs-addons, ims, ecs) driven through the real funnel
// (official SDK, ACS3 signing, retries, call log, dry-run guard) against a local HTTP server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import type { CallRecord } from '../src/cloud/call-log.js';
import type { CredentialHandle } from '../src/cloud/credentials.js';
import * as csAddons from '../src/cloud/cs-addons.js';
import * as cs from '../src/cloud/cs.js';
import * as ecs from '../src/cloud/ecs.js';
import { DryRunWriteError } from '../src/cloud/errors.js';
import * as ims from '../src/cloud/ims.js';
import { cjsDefault } from '../src/cloud/interop.js';
import { PRODUCT_KEYS, type EndpointOverrides } from '../src/cloud/products.js';
import * as ram from '../src/cloud/ram.js';
import { Cloud, type AccountClient } from '../src/cloud/session.js';
import * as vpc from '../src/cloud/vpc.js';
import { Sensitive } from '../src/plan/action.js';
import { redact } from '../src/secrets.js';

// ---- a local cloud: records every request, answers per action ----

interface Received {
  action: string;
  version: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Form fields (RPC) or the parsed JSON body (ROA). */
  body: unknown;
}
interface Answer {
  status?: number;
  body: unknown;
}
type Route = (req: Received, nth: number) => Answer;

let server: Server;
let endpoint = '';
let received: Received[] = [];
let routes: Record<string, Route> = {};
const counts = new Map<string, number>();

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

before(async () => {
  server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://local');
    const type = String(req.headers['content-type'] ?? '');
    const body = !raw ? undefined : type.includes('json') ? JSON.parse(raw) : type.includes('form') ? Object.fromEntries(new URLSearchParams(raw)) : raw;
    const r: Received = {
      action: String(req.headers['x-acs-action'] ?? ''),
      version: String(req.headers['x-acs-version'] ?? ''),
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
    };
    received.push(r);
    const nth = (counts.get(r.action) ?? 0) + 1;
    counts.set(r.action, nth);
    const route = routes[r.action] ?? routes['*'];
    // Always JSON: a non-JSON error body makes the SDK throw a bare SyntaxError.
    const answer: Answer = route ? route(r, nth) : { status: 400, body: { Code: 'NoRoute', Message: `no canned answer for ${r.action}`, RequestId: 'r0' } };
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  routes = {};
  counts.clear();
});

const ok = (body: Record<string, unknown> = {}): Answer => ({ body: { RequestId: 'req-1', ...body } });
const rpcError = (status: number, code: string): Answer => ({ status, body: { Code: code, Message: `${code} (canned)`, RequestId: 'r1' } });
const roaError = (status: number, code: string): Answer => ({ status, body: { code, message: `${code} (canned)`, requestId: 'r1' } });
/** RPC parameters arrive in the query string (and, for some, a form body): look at both. */
const rpcParams = (r: Received): Record<string, string> => ({ ...r.query, ...((r.body as Record<string, string> | undefined) ?? {}) });
const only = (action: string) => received.filter((r) => r.action === action);

// ---- accounts ----

/** A static AccessKey. Under tsx the credentials class is at `m.default`, under plain Node at `m.default.default`. */
function staticAk(accessKeyId: string, accessKeySecret: string): CredentialHandle {
  return {
    source: 'test',
    credential: async () => {
      const m = await import('@alicloud/credentials');
      const Credential = cjsDefault<new (config: Record<string, string>) => Awaited<ReturnType<CredentialHandle['credential']>>>(m);
      return new Credential({ type: 'access_key', accessKeyId, accessKeySecret });
    },
  };
}

function makeCloud(dryRun = false): { cloud: Cloud; a: AccountClient; b: AccountClient } {
  const endpoints: EndpointOverrides = {};
  for (const key of PRODUCT_KEYS) endpoints[key] = { endpoint, protocol: 'http' };
  const cloud = new Cloud({ endpoints, dryRun, retry: { maxAttempts: 3, maxElapsedMs: 2_000, baseDelayMs: 1, maxDelayMs: 2 } });
  const a = cloud.addAccount('A', 'cn-hangzhou', staticAk('LTAItest', 'secret-for-tests-123'));
  const b = cloud.addAccount('B', 'cn-shanghai', staticAk('LTAItestB', 'secret-for-tests-456'));
  return { cloud, a, b };
}

// ---- the compact API specs: every logged parameter must be one the API has ----

type Spec = { version: string; apis: Record<string, { params: { name: string }[] }> };
const specs: Record<string, Spec> = {};
const specOf = (product: string): Spec => (specs[product] ??= JSON.parse(readFileSync(new URL(`../api-spec/${product}.json`, import.meta.url), 'utf8')) as Spec);
const SPEC_FILE: Record<string, string> = { Ram: 'ram', Vpc: 'vpc', CS: 'cs', Ims: 'ims', Ecs: 'ecs' };

function assertParamsInSpec(records: readonly CallRecord[]): void {
  for (const r of records) {
    const api = specOf(SPEC_FILE[r.product]!).apis[r.action];
    assert.ok(api, `${r.product} ${r.action} is not in api-spec`);
    const names = new Set(api.params.map((p) => p.name));
    for (const key of Object.keys(r.params)) assert.ok(names.has(key), `${r.action}: parameter ${key} is not in api-spec (has ${[...names].join(', ')})`);
  }
}

function lastRecord(cloud: Cloud, action: string): CallRecord {
  const record = cloud.log.records.filter((r) => r.action === action).at(-1);
  assert.ok(record, `no call log record for ${action}`);
  return record;
}

// ---- RAM ----

const trust: ram.PolicyDocument = {
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::1111111111111111:role/acr-xaccount-a'] } }],
};

describe('ram', () => {
  it('getRole parses the trust policy and MaxSessionDuration', async () => {
    const { cloud, b } = makeCloud();
    routes.GetRole = () =>
      ok({
        Role: {
          RoleName: 'acr-xaccount-puller',
          RoleId: '3000',
          Arn: 'acs:ram::2222222222222222:role/acr-xaccount-puller',
          Description: 'managed-by=acr-xaccount',
          MaxSessionDuration: 7200,
          AssumeRolePolicyDocument: JSON.stringify(trust),
        },
      });
    const role = await ram.getRole(b, 'acr-xaccount-puller');
    assert.equal(received.length, 1);
    assert.equal(received[0]!.version, '2015-05-01');
    assert.equal(rpcParams(received[0]!).RoleName, 'acr-xaccount-puller');
    assert.equal(role?.arn, 'acs:ram::2222222222222222:role/acr-xaccount-puller');
    assert.equal(role?.maxSessionDuration, 7200);
    assert.deepEqual(role?.assumeRolePolicy, trust);
    assert.equal(role?.assumeRolePolicyDocument, JSON.stringify(trust));
    const rec = lastRecord(cloud, 'GetRole');
    assert.deepEqual([rec.account, rec.product, rec.kind, rec.outcome, rec.requestId], ['B', 'Ram', 'read', 'ok', 'req-1']);
    assert.deepEqual(rec.params, { RoleName: 'acr-xaccount-puller' });
    assertParamsInSpec(cloud.log.records);
  });

  it('getRole answers undefined on EntityNotExist.Role, and the log keeps the code', async () => {
    const { cloud, b } = makeCloud();
    routes.GetRole = () => rpcError(404, 'EntityNotExist.Role');
    assert.equal(await ram.getRole(b, 'missing'), undefined);
    assert.equal(received.length, 1, 'a not-found is final: no retry');
    assert.equal(lastRecord(cloud, 'GetRole').outcome, 'EntityNotExist.Role');
  });

  it('createRole sends the trust policy as a JSON string, with MaxSessionDuration and Description', async () => {
    const { cloud, b } = makeCloud();
    routes.CreateRole = (r) => ok({ Role: { RoleName: rpcParams(r).RoleName, Arn: 'acs:ram::2:role/x', AssumeRolePolicyDocument: rpcParams(r).AssumeRolePolicyDocument, MaxSessionDuration: 7200 } });
    const role = await ram.createRole(b, { roleName: 'acr-xaccount-puller', trustPolicy: trust, description: 'managed-by=acr-xaccount', maxSessionDuration: 7200 });
    const p = rpcParams(only('CreateRole')[0]!);
    assert.equal(only('CreateRole')[0]!.version, '2015-05-01');
    assert.deepEqual(JSON.parse(p.AssumeRolePolicyDocument!), trust);
    assert.equal(p.MaxSessionDuration, '7200');
    assert.equal(p.Description, 'managed-by=acr-xaccount');
    assert.deepEqual(role.assumeRolePolicy, trust);
    const rec = lastRecord(cloud, 'CreateRole');
    assert.deepEqual([rec.kind, rec.outcome], ['write', 'ok']);
    assert.equal(rec.params.AssumeRolePolicyDocument, JSON.stringify(trust));
    assertParamsInSpec(cloud.log.records);
  });

  it('listRoles follows Marker until IsTruncated is false', async () => {
    const { cloud, a } = makeCloud();
    routes.ListRoles = (_r, nth) =>
      nth === 1
        ? ok({ IsTruncated: true, Marker: 'm-2', Roles: { Role: [{ RoleName: 'r1', Arn: 'acs:ram::1:role/r1' }] } })
        : ok({ IsTruncated: false, Roles: { Role: [{ RoleName: 'r2', Arn: 'acs:ram::1:role/r2', MaxSessionDuration: 43200 }] } });
    const roles = await ram.listRoles(a);
    assert.deepEqual(roles.map((r) => r.roleName), ['r1', 'r2']);
    assert.equal(roles[1]!.maxSessionDuration, 43200);
    const [first, second] = only('ListRoles').map(rpcParams);
    assert.equal(first!.Marker, undefined);
    assert.equal(first!.MaxItems, '1000');
    assert.equal(second!.Marker, 'm-2');
    assert.equal(cloud.log.records.length, 2);
    assertParamsInSpec(cloud.log.records);
  });

  it('attachPolicyToRole retries while a new role is not yet visible', async () => {
    const { cloud, b } = makeCloud();
    routes.AttachPolicyToRole = (_r, nth) => (nth === 1 ? rpcError(404, 'EntityNotExist.Role') : ok());
    await ram.attachPolicyToRole(b, 'acr-xaccount-puller', 'acr-xaccount-pull');
    assert.equal(only('AttachPolicyToRole').length, 2);
    assert.deepEqual(rpcParams(received[1]!), { ...rpcParams(received[1]!), RoleName: 'acr-xaccount-puller', PolicyName: 'acr-xaccount-pull', PolicyType: 'Custom' });
    const rec = lastRecord(cloud, 'AttachPolicyToRole');
    assert.deepEqual([rec.kind, rec.outcome, rec.attempts], ['write', 'ok', 2]);
  });

  it('getPolicy reads the default version document; detach of a policy not attached answers false', async () => {
    const { b } = makeCloud();
    const doc: ram.PolicyDocument = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['cr:GetAuthorizationToken'], Resource: '*' }] };
    routes.GetPolicy = () => ok({ Policy: { PolicyName: 'p', PolicyType: 'Custom', DefaultVersion: 'v3' }, DefaultPolicyVersion: { VersionId: 'v3', PolicyDocument: JSON.stringify(doc) } });
    routes.DetachPolicyFromRole = () => rpcError(404, 'EntityNotExist.Role.Policy');
    const policy = await ram.getPolicy(b, 'p');
    assert.equal(policy?.defaultVersion, 'v3');
    assert.deepEqual(policy?.document, doc);
    assert.equal(rpcParams(only('GetPolicy')[0]!).PolicyType, 'Custom');
    assert.equal(await ram.detachPolicyFromRole(b, 'role', 'p'), false);
  });

  it('createAccessKey returns the secret wrapped, registered for redaction, and out of the log', async () => {
    const { cloud, b } = makeCloud();
    const secret = 'AkSecretFromTheCloud0123456789';
    routes.CreateAccessKey = () => ok({ AccessKey: { AccessKeyId: 'LTAI5new', AccessKeySecret: secret, Status: 'Active', CreateDate: '2025-01-01T00:00:00Z' } });
    const key = await ram.createAccessKey(b, 'acr-xaccount-puller');
    assert.equal(key.accessKeyId, 'LTAI5new');
    assert.ok(key.accessKeySecret instanceof Sensitive);
    assert.equal(key.accessKeySecret.reveal(), secret);
    assert.ok(!JSON.stringify(key).includes(secret));
    assert.equal(redact(`x ${secret} y`), 'x *** y');
    assert.equal(rpcParams(received[0]!).UserName, 'acr-xaccount-puller');
    assert.ok(!JSON.stringify(cloud.log.records).includes(secret));
    assert.equal(lastRecord(cloud, 'CreateAccessKey').kind, 'write');
  });
});

// ---- VPC ----

describe('vpc', () => {
  it('describeVpcAttribute: CIDRs, vSwitches, vRouter; RegionId of the account', async () => {
    const { cloud, b } = makeCloud();
    routes.DescribeVpcAttribute = () =>
      ok({
        VpcId: 'vpc-b',
        RegionId: 'cn-shanghai',
        CidrBlock: '172.16.0.0/12',
        SecondaryCidrBlocks: { SecondaryCidrBlock: ['10.8.0.0/16'] },
        VSwitchIds: { VSwitchId: ['vsw-1', 'vsw-2'] },
        VRouterId: 'vrt-b',
        AssociatedCens: { AssociatedCen: [{ CenId: 'cen-1', CenOwnerId: 1111111111111111, CenStatus: 'Attached' }] },
      });
    const attr = await vpc.describeVpcAttribute(b, 'vpc-b');
    const r = received[0]!;
    assert.equal(r.version, '2016-04-28');
    assert.deepEqual([rpcParams(r).VpcId, rpcParams(r).RegionId], ['vpc-b', 'cn-shanghai']);
    assert.equal(attr?.cidrBlock, '172.16.0.0/12');
    assert.deepEqual(attr?.secondaryCidrBlocks, ['10.8.0.0/16']);
    assert.deepEqual(attr?.vSwitchIds, ['vsw-1', 'vsw-2']);
    assert.equal(attr?.routerId, 'vrt-b');
    assert.equal(attr?.associatedCens[0]?.cenId, 'cen-1');
    const rec = lastRecord(cloud, 'DescribeVpcAttribute');
    assert.deepEqual([rec.product, rec.kind, rec.outcome, rec.region], ['Vpc', 'read', 'ok', 'cn-shanghai']);
    assertParamsInSpec(cloud.log.records);
  });

  it('describeVpcAttribute answers undefined on InvalidVpcId.NotFound', async () => {
    const { b } = makeCloud();
    routes.DescribeVpcAttribute = () => rpcError(404, 'InvalidVpcId.NotFound');
    assert.equal(await vpc.describeVpcAttribute(b, 'vpc-gone'), undefined);
  });

  it('describeRouteEntryList pages through NextToken', async () => {
    const { cloud, a } = makeCloud();
    const entry = (id: string, cidr: string) => ({
      RouteEntryId: id,
      RouteTableId: 'vtb-1',
      DestinationCidrBlock: cidr,
      Type: 'Custom',
      Status: 'Available',
      NextHops: { NextHop: [{ NextHopType: 'VpcPeer', NextHopId: 'pcc-1' }] },
    });
    routes.DescribeRouteEntryList = (_r, nth) =>
      nth === 1 ? ok({ NextToken: 'tok-2', RouteEntrys: { RouteEntry: [entry('rte-1', '100.104.0.0/16')] } }) : ok({ RouteEntrys: { RouteEntry: [entry('rte-2', '10.0.0.5/32')] } });
    const entries = await vpc.describeRouteEntryList(a, { routeTableId: 'vtb-1' });
    assert.deepEqual(entries.map((e) => e.destinationCidrBlock), ['100.104.0.0/16', '10.0.0.5/32']);
    assert.deepEqual(entries[0]!.nextHops, [{ nextHopType: 'VpcPeer', nextHopId: 'pcc-1', nextHopRegionId: undefined }]);
    const [p1, p2] = only('DescribeRouteEntryList').map(rpcParams);
    assert.deepEqual([p1!.RouteTableId, p1!.MaxResult, p1!.NextToken], ['vtb-1', '100', undefined]);
    assert.equal(p2!.NextToken, 'tok-2');
    assert.equal(cloud.log.records.length, 2);
    assertParamsInSpec(cloud.log.records);
  });

  it('describeVSwitches pages by number up to TotalCount, with zone, CIDR and route table', async () => {
    const { a } = makeCloud();
    const vsw = (i: number) => ({ VSwitchId: `vsw-${i}`, ZoneId: 'cn-hangzhou-k', CidrBlock: `10.0.${i}.0/24`, RouteTable: { RouteTableId: 'vtb-sys', RouteTableType: 'System' } });
    routes.DescribeVSwitches = (r) => {
      const page = Number(rpcParams(r).PageNumber);
      return ok({ TotalCount: 51, PageNumber: page, VSwitches: { VSwitch: page === 1 ? Array.from({ length: 50 }, (_, i) => vsw(i)) : [vsw(50)] } });
    };
    const all = await vpc.describeVSwitches(a, { vpcId: 'vpc-a' });
    assert.equal(all.length, 51);
    assert.deepEqual([all[50]!.vSwitchId, all[50]!.zoneId, all[50]!.cidrBlock, all[50]!.routeTableId], ['vsw-50', 'cn-hangzhou-k', '10.0.50.0/24', 'vtb-sys']);
    assert.deepEqual(only('DescribeVSwitches').map((r) => [rpcParams(r).VpcId, rpcParams(r).PageNumber, rpcParams(r).PageSize]), [
      ['vpc-a', '1', '50'],
      ['vpc-a', '2', '50'],
    ]);
  });

  it('createRouteEntry sends the route and returns its ID', async () => {
    const { cloud, a } = makeCloud();
    routes.CreateRouteEntry = () => ok({ RouteEntryId: 'rte-new' });
    const id = await vpc.createRouteEntry(a, {
      routeTableId: 'vtb-1',
      destinationCidrBlock: '100.104.12.34/32',
      nextHopType: 'VpcPeer',
      nextHopId: 'pcc-1',
      routeEntryName: 'acr-xaccount-auth',
      description: 'managed-by=acr-xaccount',
    });
    assert.equal(id, 'rte-new');
    const p = rpcParams(received[0]!);
    assert.deepEqual(
      [p.RegionId, p.RouteTableId, p.DestinationCidrBlock, p.NextHopType, p.NextHopId, p.RouteEntryName, p.Description],
      ['cn-hangzhou', 'vtb-1', '100.104.12.34/32', 'VpcPeer', 'pcc-1', 'acr-xaccount-auth', 'managed-by=acr-xaccount'],
    );
    const rec = lastRecord(cloud, 'CreateRouteEntry');
    assert.deepEqual([rec.kind, rec.outcome], ['write', 'ok']);
    assertParamsInSpec(cloud.log.records);
  });

  it('grantInstanceToCen sends CenOwnerId with all its digits (UIDs exceed 2^53)', async () => {
    const { cloud, b } = makeCloud();
    routes.GrantInstanceToCen = () => ok();
    const uid = '5678901234567891'; // > Number.MAX_SAFE_INTEGER
    await vpc.grantInstanceToCen(b, { instanceId: 'vpc-b', cenId: 'cen-1', cenOwnerId: uid });
    const p = rpcParams(received[0]!);
    assert.deepEqual([p.InstanceId, p.InstanceType, p.CenId, p.CenOwnerId, p.RegionId], ['vpc-b', 'VPC', 'cen-1', uid, 'cn-shanghai']);
    assert.equal(lastRecord(cloud, 'GrantInstanceToCen').kind, 'write');
    assertParamsInSpec(cloud.log.records);
  });

  it('tagResources flattens resource IDs and tags the way the API wants', async () => {
    const { cloud, a } = makeCloud();
    routes.TagResources = () => ok();
    await vpc.tagResources(a, { resourceType: 'ROUTETABLE', resourceIds: ['vtb-1', 'vtb-2'], tags: { 'managed-by': 'acr-xaccount' } });
    const p = rpcParams(received[0]!);
    assert.deepEqual([p.ResourceType, p['ResourceId.1'], p['ResourceId.2'], p['Tag.1.Key'], p['Tag.1.Value']], ['ROUTETABLE', 'vtb-1', 'vtb-2', 'managed-by', 'acr-xaccount']);
    assert.deepEqual(lastRecord(cloud, 'TagResources').params.Tag, [{ Key: 'managed-by', Value: 'acr-xaccount' }]);
    assertParamsInSpec(cloud.log.records);
  });
});

// ---- CS (ROA) ----

const meta = JSON.stringify({
  Addons: [],
  RRSAConfig: {
    enabled: true,
    issuer: 'https://oidc-ack-cn-hangzhou.oss-cn-hangzhou-internal.aliyuncs.com/c123,https://oidc-ack-cn-hangzhou.oss-cn-hangzhou.aliyuncs.com/c123',
    audience: 'sts.aliyuncs.com',
    oidc_name: 'ack-rrsa-c123',
    oidc_arn: 'acs:ram::1111111111111111:oidc-provider/ack-rrsa-c123',
  },
});

describe('cs', () => {
  it('describeClusterDetail: GET /clusters/{ClusterId}; rrsa_config from meta_data', async () => {
    const { cloud, a } = makeCloud();
    routes.DescribeClusterDetail = () => ({
      body: {
        cluster_id: 'c123',
        cluster_type: 'ManagedKubernetes',
        profile: 'Default',
        cluster_spec: 'ack.pro.small',
        current_version: '1.31.1-aliyun.1',
        vpc_id: 'vpc-a',
        vswitch_ids: ['vsw-cp'],
        container_cidr: '172.20.0.0/16',
        service_cidr: '192.168.0.0/16',
        worker_ram_role_name: 'KubernetesWorkerRole-abc',
        meta_data: meta,
      },
    });
    const c = await cs.describeClusterDetail(a, 'c123');
    const r = received[0]!;
    assert.deepEqual([r.action, r.version, r.method, r.path], ['DescribeClusterDetail', '2015-12-15', 'GET', '/clusters/c123']);
    assert.deepEqual([c?.clusterType, c?.profile, c?.currentVersion, c?.vpcId, c?.containerCidr, c?.serviceCidr, c?.workerRamRoleName], [
      'ManagedKubernetes',
      'Default',
      '1.31.1-aliyun.1',
      'vpc-a',
      '172.20.0.0/16',
      '192.168.0.0/16',
      'KubernetesWorkerRole-abc',
    ]);
    assert.deepEqual(c?.vSwitchIds, ['vsw-cp']);
    assert.equal(c?.rrsa.enabled, true);
    assert.equal(c?.rrsa.issuer, 'https://oidc-ack-cn-hangzhou.oss-cn-hangzhou-internal.aliyuncs.com/c123');
    assert.equal(c?.rrsa.issuers.length, 2);
    assert.deepEqual(c?.rrsa.audiences, ['sts.aliyuncs.com']);
    assert.equal(c?.rrsa.oidcName, 'ack-rrsa-c123');
    assert.equal(c?.rrsa.oidcArn, 'acs:ram::1111111111111111:oidc-provider/ack-rrsa-c123');
    const rec = lastRecord(cloud, 'DescribeClusterDetail');
    assert.deepEqual([rec.product, rec.kind, rec.outcome], ['CS', 'read', 'ok']);
    assert.deepEqual(rec.params, { ClusterId: 'c123' });
    assertParamsInSpec(cloud.log.records);
  });

  it('describeClusterDetail prefers the top-level rrsa_config, and answers undefined on ErrorClusterNotFound', async () => {
    const { cloud, a } = makeCloud();
    routes.DescribeClusterDetail = (r) =>
      r.path === '/clusters/gone'
        ? roaError(404, 'ErrorClusterNotFound')
        : { body: { cluster_id: 'c1', meta_data: '{}', rrsa_config: { enabled: false, oidc_name: 'x', issuer: 'https://i' } } };
    const c = await cs.describeClusterDetail(a, 'c1');
    assert.deepEqual([c?.rrsa.enabled, c?.rrsa.oidcName, c?.rrsa.issuer], [false, 'x', 'https://i']);
    assert.equal(await cs.describeClusterDetail(a, 'gone'), undefined);
    assert.equal(lastRecord(cloud, 'DescribeClusterDetail').outcome, 'ErrorClusterNotFound');
  });

  it('modifyCluster: PUT /api/v2/clusters/{ClusterId} with {"enable_rrsa":true}; returns the task ID', async () => {
    const { cloud, a } = makeCloud();
    routes.ModifyCluster = () => ({ body: { cluster_id: 'c123', task_id: 'T-rrsa', request_id: 'req-m' } });
    routes.DescribeTaskInfo = () => ({ body: { task_id: 'T-rrsa', state: 'fail', task_type: 'cluster_update', error: { code: 'E1', message: 'broken' } } });
    const taskId = await cs.modifyCluster(a, 'c123', { enableRrsa: true });
    assert.equal(taskId, 'T-rrsa');
    const r = only('ModifyCluster')[0]!;
    assert.deepEqual([r.method, r.path, r.version], ['PUT', '/api/v2/clusters/c123', '2015-12-15']);
    assert.deepEqual(r.body, { enable_rrsa: true });
    const rec = lastRecord(cloud, 'ModifyCluster');
    assert.deepEqual([rec.kind, rec.outcome, rec.requestId], ['write', 'ok', 'req-m']);
    assert.deepEqual(rec.params, { ClusterId: 'c123', body: { enable_rrsa: true } });
    const task = await cs.describeTaskInfo(a, 'T-rrsa');
    assert.equal(only('DescribeTaskInfo')[0]!.path, '/tasks/T-rrsa');
    assert.deepEqual([task.state, task.error], ['fail', { code: 'E1', message: 'broken' }]);
    assertParamsInSpec(cloud.log.records);
  });

  it('installClusterAddons: POST the add-on list as a JSON array; config kept as a string', async () => {
    const { cloud, a } = makeCloud();
    routes.InstallClusterAddons = () => ({ body: { cluster_id: 'c123', task_id: 'T-addon', request_id: 'req-i' } });
    const config = JSON.stringify({ AcrInstanceInfo: [{ instanceId: 'cri-1', regionId: 'cn-shanghai' }] });
    const taskId = await csAddons.installClusterAddons(a, 'c123', [{ name: 'managed-aliyun-acr-credential-helper', version: 'v23.02.06.1-74e2172-aliyun', config }]);
    assert.equal(taskId, 'T-addon');
    const r = received[0]!;
    assert.deepEqual([r.action, r.method, r.path], ['InstallClusterAddons', 'POST', '/clusters/c123/components/install']);
    assert.deepEqual(r.body, [{ name: 'managed-aliyun-acr-credential-helper', version: 'v23.02.06.1-74e2172-aliyun', config }]);
    const rec = lastRecord(cloud, 'InstallClusterAddons');
    assert.deepEqual([rec.kind, rec.outcome], ['write', 'ok']);
    assertParamsInSpec(cloud.log.records);
  });

  it('getClusterAddonInstance returns the config string, or undefined when the add-on is not installed', async () => {
    const { a } = makeCloud();
    routes.GetClusterAddonInstance = (r) =>
      r.path.endsWith('/absent') ? roaError(404, 'AddonNotFound') : { body: { name: 'aliyun-acr-credential-helper', version: 'v1', state: 'active', config: '{"a":1}' } };
    const addon = await csAddons.getClusterAddonInstance(a, 'c123', 'aliyun-acr-credential-helper');
    assert.equal(received[0]!.path, '/clusters/c123/addon_instances/aliyun-acr-credential-helper');
    assert.deepEqual(addon, { name: 'aliyun-acr-credential-helper', version: 'v1', state: 'active', config: '{"a":1}' });
    assert.equal(await csAddons.getClusterAddonInstance(a, 'c123', 'absent'), undefined);
  });

  it('modifyClusterNodePool sends user data base64; describeClusterNodePools decodes it', async () => {
    const { cloud, a } = makeCloud();
    const script = '#!/bin/bash\n# >>> acr-xaccount\necho "10.0.0.5 r.example" >> /etc/hosts\n# <<< acr-xaccount\n';
    routes.ModifyClusterNodePool = () => ({ body: { nodepool_id: 'np-1', task_id: 'T-np', request_id: 'req-np' } });
    routes.DescribeClusterNodePools = () => ({
      body: { nodepools: [{ nodepool_info: { nodepool_id: 'np-1', name: 'default-nodepool', is_default: true }, kubernetes_config: { user_data: Buffer.from(script).toString('base64') }, scaling_group: { vswitch_ids: ['vsw-n1'] } }] },
    });
    assert.equal(await cs.modifyClusterNodePool(a, 'c123', 'np-1', { userData: script }), 'T-np');
    const r = only('ModifyClusterNodePool')[0]!;
    assert.deepEqual([r.method, r.path], ['PUT', '/clusters/c123/nodepools/np-1']);
    assert.deepEqual(r.body, { kubernetes_config: { user_data: Buffer.from(script).toString('base64') } });
    const pools = await cs.describeClusterNodePools(a, 'c123');
    assert.deepEqual([pools[0]!.nodepoolId, pools[0]!.isDefault, pools[0]!.userData, pools[0]!.vSwitchIds], ['np-1', true, script, ['vsw-n1']]);
    assertParamsInSpec(cloud.log.records);
  });

  it('describeClusterNodes pages by pageNumber until total_count', async () => {
    const { cloud, a } = makeCloud();
    const node = (i: number) => ({ instance_id: `i-${i}`, node_name: `cn-hangzhou.10.0.0.${i}`, ip_address: [`10.0.0.${i}`], nodepool_id: 'np-1', state: 'running' });
    routes.DescribeClusterNodes = (r) => {
      const page = Number(r.query.pageNumber);
      return { body: { nodes: page === 1 ? Array.from({ length: 100 }, (_, i) => node(i)) : [node(100)], page: { page_number: page, page_size: 100, total_count: 101 } } };
    };
    const nodes = await cs.describeClusterNodes(a, 'c123', { nodepoolId: 'np-1' });
    assert.equal(nodes.length, 101);
    assert.deepEqual([nodes[100]!.instanceId, nodes[100]!.ipAddresses], ['i-100', ['10.0.0.100']]);
    const calls = only('DescribeClusterNodes');
    assert.deepEqual(calls.map((r) => [r.path, r.query.nodepool_id, r.query.pageNumber, r.query.pageSize]), [
      ['/clusters/c123/nodes', 'np-1', '1', '100'],
      ['/clusters/c123/nodes', 'np-1', '2', '100'],
    ]);
    assertParamsInSpec(cloud.log.records);
  });

  it('describeClusterUserKubeconfig registers the client key and token for redaction', async () => {
    const { cloud, a } = makeCloud();
    const keyData = Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nMIIEfakekeymaterial\n-----END RSA PRIVATE KEY-----').toString('base64');
    const kubeconfig = `apiVersion: v1\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n  name: kubernetes\nusers:\n- name: u\n  user:\n    client-certificate-data: Y2VydA==\n    client-key-data: ${keyData}\n    token: tok-0123456789abcdef\n`;
    routes.DescribeClusterUserKubeconfig = () => ({ body: { config: kubeconfig, expiration: '2030-01-01T00:00:00Z' } });
    const out = await cs.describeClusterUserKubeconfig(a, 'c123', { privateIpAddress: true });
    assert.equal(out.config, kubeconfig);
    assert.deepEqual([received[0]!.path, received[0]!.query.PrivateIpAddress], ['/k8s/c123/user_config', 'true']);
    assert.ok(!redact(kubeconfig).includes(keyData));
    assert.ok(!redact(kubeconfig).includes('tok-0123456789abcdef'));
    assert.ok(redact(kubeconfig).includes('server: https://10.0.0.1:6443'));
    assertParamsInSpec(cloud.log.records);
  });

  it('listAddons and describeClusterAddonMetadata', async () => {
    const { cloud, a } = makeCloud();
    routes.ListAddons = () => ({ body: { addons: [{ name: 'managed-aliyun-acr-credential-helper', version: 'v1.2', managed: true, supported_actions: ['install'] }] } });
    routes.DescribeClusterAddonMetadata = () => ({ body: { name: 'aliyun-acr-credential-helper', version: 'v1.2', config_schema: '{"type":"object"}' } });
    const addons = await csAddons.listAddons(a, { clusterId: 'c123' });
    assert.deepEqual([addons[0]!.name, addons[0]!.managed, addons[0]!.supportedActions], ['managed-aliyun-acr-credential-helper', true, ['install']]);
    assert.deepEqual([received[0]!.path, received[0]!.query.cluster_id], ['/addons', 'c123']);
    const md = await csAddons.describeClusterAddonMetadata(a, 'c123', 'aliyun-acr-credential-helper', 'v1.2');
    assert.equal(md.configSchema, '{"type":"object"}');
    assert.deepEqual([received[1]!.path, received[1]!.query.version], ['/clusters/c123/components/aliyun-acr-credential-helper/metadata', 'v1.2']);
    assertParamsInSpec(cloud.log.records);
  });
});

// ---- IMS ----

describe('ims', () => {
  const provider = (name: string) => ({
    OIDCProviderName: name,
    Arn: `acs:ram::1111111111111111:oidc-provider/${name}`,
    IssuerUrl: 'https://oidc-ack-cn-hangzhou.oss-cn-hangzhou.aliyuncs.com/c123',
    ClientIds: 'sts.aliyuncs.com,other',
    Fingerprints: 'abc',
  });

  it('getOIDCProvider by name', async () => {
    const { cloud, a } = makeCloud();
    routes.GetOIDCProvider = () => ok({ OIDCProvider: provider('ack-rrsa-c123') });
    const p = await ims.getOIDCProvider(a, 'ack-rrsa-c123');
    assert.equal(received[0]!.version, '2019-08-15');
    assert.equal(rpcParams(received[0]!).OIDCProviderName, 'ack-rrsa-c123');
    assert.deepEqual([p?.arn, p?.issuerUrl, p?.clientIds], ['acs:ram::1111111111111111:oidc-provider/ack-rrsa-c123', 'https://oidc-ack-cn-hangzhou.oss-cn-hangzhou.aliyuncs.com/c123', ['sts.aliyuncs.com', 'other']]);
    const rec = lastRecord(cloud, 'GetOIDCProvider');
    assert.deepEqual([rec.product, rec.kind, rec.outcome], ['Ims', 'read', 'ok']);
    assertParamsInSpec(cloud.log.records);
  });

  it('getOIDCProvider answers undefined on EntityNotExist.OIDCProvider', async () => {
    const { a } = makeCloud();
    routes.GetOIDCProvider = () => rpcError(404, 'EntityNotExist.OIDCProvider');
    assert.equal(await ims.getOIDCProvider(a, 'nope'), undefined);
  });

  it('listOIDCProviders follows Marker', async () => {
    const { cloud, a } = makeCloud();
    routes.ListOIDCProviders = (_r, nth) =>
      nth === 1 ? ok({ IsTruncated: true, Marker: 'mk', OIDCProviders: { OIDCProvider: [provider('p1')] } }) : ok({ IsTruncated: false, OIDCProviders: { OIDCProvider: [provider('p2')] } });
    const all = await ims.listOIDCProviders(a);
    assert.deepEqual(all.map((p) => p.name), ['p1', 'p2']);
    assert.equal(rpcParams(only('ListOIDCProviders')[1]!).Marker, 'mk');
    assertParamsInSpec(cloud.log.records);
  });
});

// ---- ECS ----

describe('ecs', () => {
  it('describeInstances by IDs (JSON array) pages through NextToken', async () => {
    const { cloud, b } = makeCloud();
    const inst = (id: string, ip: string) => ({ InstanceId: id, Status: 'Running', VpcAttributes: { VpcId: 'vpc-b', VSwitchId: 'vsw-1', PrivateIpAddress: { IpAddress: [ip] } } });
    routes.DescribeInstances = (_r, nth) =>
      nth === 1 ? ok({ NextToken: 'n2', Instances: { Instance: [inst('i-1', '172.16.0.10')] } }) : ok({ Instances: { Instance: [inst('i-2', '172.16.0.11')] } });
    const all = await ecs.describeInstances(b, { instanceIds: ['i-1', 'i-2'] });
    assert.deepEqual(all.map((i) => [i.instanceId, i.privateIps[0], i.vpcId]), [
      ['i-1', '172.16.0.10', 'vpc-b'],
      ['i-2', '172.16.0.11', 'vpc-b'],
    ]);
    const [p1, p2] = only('DescribeInstances').map(rpcParams);
    assert.equal(received[0]!.version, '2014-05-26');
    assert.deepEqual([p1!.InstanceIds, p1!.RegionId, p1!.MaxResults, p1!.NextToken], ['["i-1","i-2"]', 'cn-shanghai', '100', undefined]);
    assert.equal(p2!.NextToken, 'n2');
    assertParamsInSpec(cloud.log.records);
  });

  it('runCommand sends a RunShellScript to a list of instances and returns the InvokeId', async () => {
    const { cloud, b } = makeCloud();
    routes.RunCommand = () => ok({ InvokeId: 't-inv1', CommandId: 'c-1' });
    const out = await ecs.runCommand(b, { instanceIds: ['i-1', 'i-2'], commandContent: 'getent hosts cri-1-registry-vpc.cn-shanghai.cr.aliyuncs.com', timeoutSeconds: 30 });
    assert.deepEqual(out, { invokeId: 't-inv1', commandId: 'c-1' });
    const p = rpcParams(received[0]!);
    assert.deepEqual([p.Type, p.CommandContent, p['InstanceId.1'], p['InstanceId.2'], p.Timeout, p.ContentEncoding], [
      'RunShellScript',
      'getent hosts cri-1-registry-vpc.cn-shanghai.cr.aliyuncs.com',
      'i-1',
      'i-2',
      '30',
      'PlainText',
    ]);
    const rec = lastRecord(cloud, 'RunCommand');
    assert.deepEqual([rec.kind, rec.outcome], ['write', 'ok']);
    assertParamsInSpec(cloud.log.records);
  });

  it('describeInvocationResults decodes the base64 output', async () => {
    const { cloud, b } = makeCloud();
    routes.DescribeInvocationResults = () =>
      ok({
        Invocation: {
          InvocationResults: {
            InvocationResult: [
              { InvokeId: 't-inv1', InstanceId: 'i-1', InvocationStatus: 'Success', InvokeRecordStatus: 'Finished', ExitCode: 0, Output: Buffer.from('100.104.1.2 auth\n').toString('base64') },
            ],
          },
        },
      });
    const results = await ecs.describeInvocationResults(b, { invokeId: 't-inv1' });
    assert.deepEqual([results[0]!.output, results[0]!.exitCode, results[0]!.invokeRecordStatus], ['100.104.1.2 auth\n', 0, 'Finished']);
    const p = rpcParams(received[0]!);
    assert.deepEqual([p.InvokeId, p.ContentEncoding], ['t-inv1', 'Base64']);
    assertParamsInSpec(cloud.log.records);
  });

  it('describeCloudAssistantStatus reads whether the agent is online', async () => {
    const { cloud, b } = makeCloud();
    routes.DescribeCloudAssistantStatus = () =>
      ok({ InstanceCloudAssistantStatusSet: { InstanceCloudAssistantStatus: [{ InstanceId: 'i-1', CloudAssistantStatus: 'true', CloudAssistantVersion: '2.2' }, { InstanceId: 'i-2', CloudAssistantStatus: 'false' }] } });
    const st = await ecs.describeCloudAssistantStatus(b, ['i-1', 'i-2']);
    assert.deepEqual(st.map((s) => [s.instanceId, s.online]), [
      ['i-1', true],
      ['i-2', false],
    ]);
    assert.deepEqual([rpcParams(received[0]!)['InstanceId.1'], rpcParams(received[0]!)['InstanceId.2']], ['i-1', 'i-2']);
    assertParamsInSpec(cloud.log.records);
  });
});

// ---- every exported function: sends the action it logs, with parameters the API has ----

describe('all functions', () => {
  type Fn = (acct: AccountClient) => Promise<unknown>;
  const calls: Record<string, Record<string, Fn>> = {
    ram: {
      getRole: (x) => ram.getRole(x, 'r'),
      listRoles: (x) => ram.listRoles(x),
      createRole: (x) => ram.createRole(x, { roleName: 'r', trustPolicy: trust, description: 'd', maxSessionDuration: 3600 }),
      updateRole: (x) => ram.updateRole(x, 'r', { trustPolicy: trust, maxSessionDuration: 7200, description: 'd' }),
      deleteRole: (x) => ram.deleteRole(x, 'r'),
      getPolicy: (x) => ram.getPolicy(x, 'p'),
      createPolicy: (x) => ram.createPolicy(x, { policyName: 'p', document: trust, description: 'd' }),
      createPolicyVersion: (x) => ram.createPolicyVersion(x, 'p', trust, { rotateOldest: true }),
      listPolicyVersions: (x) => ram.listPolicyVersions(x, 'p'),
      deletePolicyVersion: (x) => ram.deletePolicyVersion(x, 'p', 'v2'),
      deletePolicy: (x) => ram.deletePolicy(x, 'p', { cascade: true }),
      listEntitiesForPolicy: (x) => ram.listEntitiesForPolicy(x, 'p'),
      attachPolicyToRole: (x) => ram.attachPolicyToRole(x, 'r', 'p'),
      detachPolicyFromRole: (x) => ram.detachPolicyFromRole(x, 'r', 'p'),
      listPoliciesForRole: (x) => ram.listPoliciesForRole(x, 'r'),
      attachPolicyToUser: (x) => ram.attachPolicyToUser(x, 'u', 'p', 'System'),
      detachPolicyFromUser: (x) => ram.detachPolicyFromUser(x, 'u', 'p'),
      listPoliciesForUser: (x) => ram.listPoliciesForUser(x, 'u'),
      getUser: (x) => ram.getUser(x, 'u'),
      createUser: (x) => ram.createUser(x, { userName: 'u', displayName: 'U', comments: 'c' }),
      deleteUser: (x) => ram.deleteUser(x, 'u'),
      listAccessKeys: (x) => ram.listAccessKeys(x, 'u'),
      createAccessKey: (x) => ram.createAccessKey(x, 'u'),
      deleteAccessKey: (x) => ram.deleteAccessKey(x, 'u', 'LTAI1'),
    },
    vpc: {
      describeVpcAttribute: (x) => vpc.describeVpcAttribute(x, 'vpc-1'),
      describeVpcs: (x) => vpc.describeVpcs(x, { vpcId: 'vpc-1', vpcName: 'n' }),
      describeVSwitches: (x) => vpc.describeVSwitches(x, { vpcId: 'vpc-1', zoneId: 'z', vSwitchId: 'vsw-1' }),
      describeVSwitchAttributes: (x) => vpc.describeVSwitchAttributes(x, 'vsw-1'),
      describeRouteTableList: (x) => vpc.describeRouteTableList(x, { vpcId: 'vpc-1', routeTableId: 'vtb-1' }),
      describeRouteEntryList: (x) => vpc.describeRouteEntryList(x, { routeTableId: 'vtb-1', destinationCidrBlock: '10.0.0.0/8' }),
      createRouteEntry: (x) => vpc.createRouteEntry(x, { routeTableId: 'vtb-1', destinationCidrBlock: '10.0.0.0/8', nextHopType: 'VpcPeer', nextHopId: 'pcc-1' }),
      deleteRouteEntry: (x) => vpc.deleteRouteEntry(x, { routeTableId: 'vtb-1', destinationCidrBlock: '10.0.0.0/8', nextHopId: 'pcc-1' }),
      describeNatGateways: (x) => vpc.describeNatGateways(x, { vpcId: 'vpc-1' }),
      describeSnatTableEntries: (x) => vpc.describeSnatTableEntries(x, { snatTableId: 'stb-1', natGatewayId: 'ngw-1' }),
      describeEipAddresses: (x) => vpc.describeEipAddresses(x, { associatedInstanceId: 'ngw-1', associatedInstanceType: 'Nat', allocationId: 'eip-1', eipAddress: '1.2.3.4' }),
      grantInstanceToCen: (x) => vpc.grantInstanceToCen(x, { instanceId: 'vpc-1', cenId: 'cen-1', cenOwnerId: '1' }),
      revokeInstanceFromCen: (x) => vpc.revokeInstanceFromCen(x, { instanceId: 'vpc-1', cenId: 'cen-1', cenOwnerId: '1' }),
      describeGrantRulesToCen: (x) => vpc.describeGrantRulesToCen(x, 'vpc-1'),
      listTagResources: (x) => vpc.listTagResources(x, { resourceType: 'VPC', resourceIds: ['vpc-1'], tags: { k: 'v' } }),
      tagResources: (x) => vpc.tagResources(x, { resourceType: 'VPC', resourceIds: ['vpc-1'], tags: { k: 'v' } }),
    },
    cs: {
      describeClusterDetail: (x) => cs.describeClusterDetail(x, 'c1'),
      describeClustersV1: (x) => cs.describeClustersV1(x, { name: 'n', clusterType: 'ManagedKubernetes', regionId: 'cn-hangzhou' }),
      modifyCluster: (x) => cs.modifyCluster(x, 'c1', { enableRrsa: true }),
      describeTaskInfo: (x) => cs.describeTaskInfo(x, 'T1'),
      describeClusterUserKubeconfig: (x) => cs.describeClusterUserKubeconfig(x, 'c1', { privateIpAddress: true, temporaryDurationMinutes: 60 }),
      describeClusterNodePools: (x) => cs.describeClusterNodePools(x, 'c1', { name: 'np' }),
      describeClusterNodePoolDetail: (x) => cs.describeClusterNodePoolDetail(x, 'c1', 'np-1'),
      modifyClusterNodePool: (x) => cs.modifyClusterNodePool(x, 'c1', 'np-1', { userData: 'echo' }),
      describeClusterNodes: (x) => cs.describeClusterNodes(x, 'c1', { nodepoolId: 'np-1', instanceIds: ['i-1'] }),
    },
    csAddons: {
      listClusterAddonInstances: (x) => csAddons.listClusterAddonInstances(x, 'c1'),
      getClusterAddonInstance: (x) => csAddons.getClusterAddonInstance(x, 'c1', 'a'),
      installClusterAddons: (x) => csAddons.installClusterAddons(x, 'c1', [{ name: 'a', version: 'v1', config: '{}' }]),
      modifyClusterAddon: (x) => csAddons.modifyClusterAddon(x, 'c1', 'a', '{}'),
      uninstallClusterAddons: (x) => csAddons.uninstallClusterAddons(x, 'c1', [{ name: 'a', cleanupCloudResources: false }]),
      describeClusterAddonMetadata: (x) => csAddons.describeClusterAddonMetadata(x, 'c1', 'a', 'v1'),
      listAddons: (x) => csAddons.listAddons(x, { clusterId: 'c1', regionId: 'cn-hangzhou', clusterType: 'ManagedKubernetes', profile: 'Default', clusterSpec: 's', clusterVersion: '1.31' }),
    },
    ims: {
      getOIDCProvider: (x) => ims.getOIDCProvider(x, 'p'),
      listOIDCProviders: (x) => ims.listOIDCProviders(x),
    },
    ecs: {
      describeInstances: (x) => ecs.describeInstances(x, { vpcId: 'vpc-1', vSwitchId: 'vsw-1' }),
      describeCloudAssistantStatus: (x) => ecs.describeCloudAssistantStatus(x, ['i-1']),
      runCommand: (x) => ecs.runCommand(x, { instanceIds: ['i-1'], commandContent: 'true', timeoutSeconds: 10, name: 'n', description: 'd' }),
      describeInvocations: (x) => ecs.describeInvocations(x, { invokeId: 't-1', instanceId: 'i-1' }),
      describeInvocationResults: (x) => ecs.describeInvocationResults(x, { invokeId: 't-1', instanceId: 'i-1' }),
    },
  };
  const modules: Record<string, Record<string, unknown>> = { ram, vpc, cs, csAddons, ims, ecs };
  const helpers = new Set(['parsePolicyDocument', 'parseRrsaConfig', 'registerKubeconfigSecrets']);

  for (const [name, mod] of Object.entries(modules)) {
    it(`${name}: each function sends the action it logs, with parameters the API has`, async () => {
      const exported = Object.entries(mod).filter(([k, v]) => typeof v === 'function' && !helpers.has(k)).map(([k]) => k);
      assert.deepEqual(exported.filter((k) => !calls[name]![k]), [], 'exported functions this test does not call');
      const { cloud, a } = makeCloud();
      routes['*'] = () => ok();
      for (const [fn, call] of Object.entries(calls[name]!)) {
        // An empty answer may make a function complain (no key, no ID); a request it could not build may not.
        await call(a).catch((e: Error) => assert.doesNotMatch(e.message, /has no parameter/, `${name}.${fn}`));
      }
      assert.deepEqual(cloud.log.records.map((r) => r.action), received.map((r) => r.action), 'the log names the action the SDK sent');
      assertParamsInSpec(cloud.log.records);
    });
  }
});

// ---- dry run ----

describe('dry run', () => {
  it('refuses a write before anything reaches the server; reads still work', async () => {
    const { cloud, b } = makeCloud(true);
    routes.GetRole = () => rpcError(404, 'EntityNotExist.Role');
    await assert.rejects(ram.createRole(b, { roleName: 'r', trustPolicy: trust }), (e: unknown) => e instanceof DryRunWriteError && e.code === 'DryRun.WriteBlocked');
    await assert.rejects(cs.modifyCluster(b, 'c1', { enableRrsa: true }), DryRunWriteError);
    await assert.rejects(ecs.runCommand(b, { instanceIds: ['i-1'], commandContent: 'true' }), DryRunWriteError);
    assert.equal(received.length, 0);
    assert.deepEqual(
      cloud.log.records.map((r) => [r.action, r.kind, r.outcome, r.attempts]),
      [
        ['CreateRole', 'write', 'blocked', 0],
        ['ModifyCluster', 'write', 'blocked', 0],
        ['RunCommand', 'write', 'blocked', 0],
      ],
    );
    assert.equal(await ram.getRole(b, 'r'), undefined);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.action, 'GetRole');
    assert.equal(cloud.log.writes().length, 0);
  });
});

// ---- every action named in the modules exists in the spec ----

describe('action names', () => {
  const modules: [file: string, product: string][] = [
    ['ram.ts', 'ram'],
    ['vpc.ts', 'vpc'],
    ['cs.ts', 'cs'],
    ['cs-addons.ts', 'cs'],
    ['ims.ts', 'ims'],
    ['ecs.ts', 'ecs'],
  ];
  for (const [file, product] of modules) {
    it(`every action in src/cloud/${file} is in api-spec/${product}.json`, () => {
      const source = readFileSync(new URL(`../src/cloud/${file}`, import.meta.url), 'utf8');
      const actions = [...source.matchAll(/action: '([A-Za-z0-9]+)'/g)].map((m) => m[1]!);
      assert.ok(actions.length >= 2, `no actions found in ${file}`);
      const apis = specOf(product).apis;
      const missing = actions.filter((a) => !apis[a]);
      assert.deepEqual(missing, [], `${file} names actions that api-spec/${product}.json does not have`);
    });
  }
});
