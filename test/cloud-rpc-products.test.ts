// The typed bridge (src/cloud/rpc-call.ts) and the four callApi product modules (cr, VpcPeer, Cbn, pvtz),
// driven through the real funnel (openapi-core callApi, signing, retries, call log) against a local server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import { API_NAMES as CBN_API_NAMES, PARAM_WIRE as CBN_WIRE, type Apis as CbnApis } from '../src/cloud/api/cbn-types.js';
import { API_NAMES as CR_API_NAMES } from '../src/cloud/api/cr-types.js';
import { API_NAMES as PVTZ_API_NAMES } from '../src/cloud/api/pvtz-types.js';
import { API_NAMES as VPCPEER_API_NAMES, PARAM_WIRE as VPCPEER_WIRE } from '../src/cloud/api/vpcpeer-types.js';
import * as cbnCore from '../src/cloud/cbn.js';
import * as cbnRoutes from '../src/cloud/cbn-routes.js';

const cbn = { ...cbnCore, ...cbnRoutes };
import * as cr from '../src/cloud/cr.js';
import { CloudError } from '../src/cloud/errors.js';
import { PRODUCT_KEYS, type EndpointOverrides } from '../src/cloud/products.js';
import * as pvtz from '../src/cloud/pvtz.js';
import { accountIdParam, dateOf, makeRpc, pageByNumber, pageByToken, serializeParams } from '../src/cloud/rpc-call.js';
import { Cloud, type AccountClient } from '../src/cloud/session.js';
import * as vpcpeer from '../src/cloud/vpcpeer.js';
import { Sensitive } from '../src/plan/action.js';
import { redact } from '../src/secrets.js';
import { startFakeCloud, staticCredential, type FakeAnswer, type FakeCloud, type ReceivedRequest } from './helpers/fake-cloud.js';

type Route = (req: ReceivedRequest, nth: number) => FakeAnswer;

let fake: FakeCloud;
let routes: Record<string, Route> = {};
const ok = (body: Record<string, unknown>): FakeAnswer => ({ body: { RequestId: 'req-ok', ...body } });
const fail = (status: number, code: string): FakeAnswer => ({ status, body: { Code: code, Message: `${code} (fake)`, RequestId: 'req-fail' } });

before(async () => {
  fake = await startFakeCloud((req, nth) => routes[req.action]?.(req, nth));
});
after(() => fake.close());
beforeEach(() => {
  fake.reset();
  routes = {};
});

const A_REGION = 'cn-hangzhou';
const B_REGION = 'cn-shanghai';

function makeCloud(dryRun = false): { cloud: Cloud; a: AccountClient; b: AccountClient } {
  const endpoints: EndpointOverrides = {};
  for (const key of PRODUCT_KEYS) endpoints[key] = { endpoint: fake.endpoint, protocol: 'http' };
  const cloud = new Cloud({ endpoints, dryRun, retry: { maxAttempts: 2, maxElapsedMs: 2_000, baseDelayMs: 1, maxDelayMs: 1 } });
  const a = cloud.addAccount('A', A_REGION, staticCredential('LTAItestA', 'secret-for-tests-123'));
  const b = cloud.addAccount('B', B_REGION, staticCredential('LTAItestB', 'secret-for-tests-456'));
  return { cloud, a, b };
}

const only = (action: string) => fake.requests.filter((r) => r.action === action);

describe('rpc-call: serialisation', () => {
  it('JSON-encodes `json` params, comma-joins `simple` ones, leaves repeat lists to OpenApiUtil.query, drops undefined', () => {
    const wire = { Routes: { style: 'json' }, VpcId: { style: 'simple', in: 'formData' }, Tag: { style: 'repeatList' } };
    const out = serializeParams(
      { Routes: [{ Cidr: '10.0.0.0/8', Name: undefined }], VpcId: ['vpc-1', 'vpc-2'], Tag: [{ Key: 'k', Value: undefined }], Name: undefined, Gone: null, Zero: 0, No: false },
      wire,
    );
    assert.deepEqual(out, { Routes: '[{"Cidr":"10.0.0.0/8"}]', VpcId: 'vpc-1,vpc-2', Tag: [{ Key: 'k' }], Zero: 0, No: false });
  });

  it('keeps an already-encoded json string as is, and a json object (not only arrays) encoded', () => {
    assert.deepEqual(serializeParams({ Opts: '{"a":1}', Map: { ipv6Support: 'disable' } }, { Opts: { style: 'json' }, Map: { style: 'json' } }), {
      Opts: '{"a":1}',
      Map: '{"ipv6Support":"disable"}',
    });
  });

  it('sends account IDs as their exact digits and refuses anything else', () => {
    assert.equal(String(accountIdParam('1234567890123456789')), '1234567890123456789');
    assert.equal(String(accountIdParam(1234)), '1234');
    assert.throws(() => accountIdParam('acs:ram::1:root'), /not an Alibaba Cloud account ID/);
  });

  it('pages by number until the reported total, or a short page when there is none', async () => {
    const pages: number[] = [];
    const all = await pageByNumber(2, async (page) => {
      pages.push(page);
      // A server that caps the page size at 2 while reporting a total of 5.
      return { items: [page * 10, page * 10 + 1].slice(0, page === 3 ? 1 : 2), total: '5' };
    });
    assert.deepEqual(all, [10, 11, 20, 21, 30]);
    assert.deepEqual(pages, [1, 2, 3]);
    assert.deepEqual(await pageByNumber(3, async (page) => ({ items: page === 1 ? [1, 2, 3] : [4] })), [1, 2, 3, 4]);
  });

  it('pages by token until no token (or the same token) comes back', async () => {
    const tokens: (string | undefined)[] = [];
    const all = await pageByToken(async (token) => {
      tokens.push(token);
      // After the first page the server keeps answering token t2: a repeated token ends the loop.
      return token ? { items: ['b'], nextToken: 't2' } : { items: ['a'], nextToken: 't1' };
    });
    assert.deepEqual(tokens, [undefined, 't1', 't2']);
    assert.deepEqual(all, ['a', 'b', 'b']);
  });

  it('reads epoch milliseconds (number or digits) and ISO-like times', () => {
    assert.equal(dateOf(1571926439000)?.toISOString(), '2019-10-24T14:13:59.000Z');
    assert.equal(dateOf('1571926439000')?.toISOString(), '2019-10-24T14:13:59.000Z');
    assert.equal(dateOf('2018-01-03T08:57Z')?.toISOString(), '2018-01-03T08:57:00.000Z');
    assert.equal(dateOf(''), undefined);
  });
});

describe('rpc-call: the generic bridge over the funnel', () => {
  it('sends a `json` param of a generated API as one JSON string, with the product headers', async () => {
    routes.CreateTransitRouter = () => ok({ TransitRouterId: 'tr-1' });
    const { a } = makeCloud();
    const call = makeRpc<CbnApis>('cbn', CBN_WIRE);
    const res = await call(a, 'CreateTransitRouter', { CenId: 'cen-1', RegionId: A_REGION, TransitRouterCidrList: [{ Cidr: '192.168.0.0/24', PublishCidrRoute: true }] });
    assert.equal(res.TransitRouterId, 'tr-1');
    const [req] = only('CreateTransitRouter');
    assert.equal(req?.headers['x-acs-action'], 'CreateTransitRouter');
    assert.equal(req?.headers['x-acs-version'], '2017-09-12');
    assert.equal(req?.params.TransitRouterCidrList, '[{"Cidr":"192.168.0.0/24","PublishCidrRoute":true}]');
    assert.equal(req?.accessKeyId, 'LTAItestA');
  });

  it('sends a `simple` list comma-joined (VpcPeer ListVpcPeerConnections VpcId, as the official SDKs do)', async () => {
    routes.ListVpcPeerConnections = () => ok({ VpcPeerConnects: [] });
    const { a } = makeCloud();
    const call = makeRpc<import('../src/cloud/api/vpcpeer-types.js').Apis>('vpcpeer', VPCPEER_WIRE);
    await call(a, 'ListVpcPeerConnections', { VpcId: ['vpc-a', 'vpc-b'], MaxResults: 10 });
    assert.equal(only('ListVpcPeerConnections')[0]?.params.VpcId, 'vpc-a,vpc-b');
  });

  // Typing already guarantees it: `call(acct, action, ...)` only accepts keys of the product's generated `Apis`
  // map, so a misspelt action fails `tsc`. This scan also catches a name smuggled past the types with a cast.
  it('every action the four modules send is in the generated API_NAMES', () => {
    const modules = { cr: CR_API_NAMES, vpcpeer: VPCPEER_API_NAMES, cbn: CBN_API_NAMES, 'cbn-routes': CBN_API_NAMES, pvtz: PVTZ_API_NAMES } as const;
    let seen = 0;
    for (const [file, names] of Object.entries(modules)) {
      const source = readFileSync(new URL(`../src/cloud/${file}.ts`, import.meta.url), 'utf8');
      const actions = [...source.matchAll(/\b(?:call|rpc)\(\s*acct,\s*'([A-Za-z]+)'|linkCall\('([A-Za-z]+)'\)/g)].map((m) => m[1] ?? m[2]!);
      assert.ok(actions.length >= 5, `${file}: found only ${actions.length} actions; has the call pattern changed?`);
      for (const action of actions) assert.ok((names as readonly string[]).includes(action), `${file}.ts sends ${action}, which is not in its API_NAMES`);
      seen += actions.length;
    }
    assert.ok(seen >= 50, `only ${seen} call sites found`);
  });
});

describe('cr', () => {
  it('getInstance: sends InstanceId and RegionId to the regional product, parses the instance, logs a read', async () => {
    routes.GetInstance = () =>
      ok({
        InstanceId: 'cri-1',
        InstanceName: 'registry-b',
        InstanceSpecification: 'Enterprise_Standard',
        InstanceStatus: 'RUNNING',
        CreateTime: 1571926439000,
        IsSuccess: true,
        Code: 'success',
        Tags: [{ TagKey: 'team', TagValue: 'infra' }],
      });
    const { cloud, b } = makeCloud();
    const instance = await cr.getInstance(b, 'cri-1');
    assert.ok(instance);
    assert.equal(instance.edition, 'Enterprise_Standard');
    assert.equal(instance.status, 'RUNNING');
    assert.equal(instance.createdAt?.toISOString(), '2019-10-24T14:13:59.000Z');
    assert.deepEqual(instance.tags, { team: 'infra' });
    assert.ok(cr.isEnterpriseEdition(instance));
    const [req] = only('GetInstance');
    assert.equal(req?.headers['x-acs-version'], '2018-12-01');
    assert.deepEqual({ InstanceId: req?.params.InstanceId, RegionId: req?.params.RegionId }, { InstanceId: 'cri-1', RegionId: B_REGION });
    assert.equal(req?.accessKeyId, 'LTAItestB');
    assert.deepEqual(
      cloud.log.records.map((r) => [r.account, r.product, r.action, r.kind, r.outcome, r.region, r.requestId]),
      [['B', 'cr', 'GetInstance', 'read', 'ok', B_REGION, 'req-ok']],
    );
  });

  it('getInstance: undefined on INSTANCE_NOT_EXIST, whether as an HTTP error or as IsSuccess=false in a 200', async () => {
    const { b } = makeCloud();
    routes.GetInstance = () => fail(404, 'INSTANCE_NOT_EXIST');
    assert.equal(await cr.getInstance(b, 'cri-missing'), undefined);
    routes.GetInstance = () => ok({ IsSuccess: false, Code: 'INSTANCE_NOT_EXIST' });
    assert.equal(await cr.getInstance(b, 'cri-missing'), undefined);
    routes.GetInstance = () => fail(403, 'NoPrivilege');
    await assert.rejects(cr.getInstance(b, 'cri-1'), (e: unknown) => e instanceof CloudError && e.code === 'NoPrivilege');
  });

  it('listRepository: reads every page (PageNo 1, 2; PageSize 100) up to TotalCount', async () => {
    const repo = (i: number) => ({ RepoId: `crr-${i}`, RepoName: `app-${i}`, RepoNamespaceName: 'team', RepoType: 'PRIVATE', RepoStatus: 'NORMAL' });
    routes.ListRepository = (req) => {
      const page = Number(req.params.PageNo);
      const items = page === 1 ? Array.from({ length: 100 }, (_, i) => repo(i)) : Array.from({ length: 20 }, (_, i) => repo(100 + i));
      return ok({ IsSuccess: true, TotalCount: '120', PageNo: page, PageSize: 100, Repositories: items });
    };
    const { cloud, b } = makeCloud();
    const repos = await cr.listRepository(b, 'cri-1', { namespace: 'team' });
    assert.equal(repos.length, 120);
    assert.deepEqual(repos[119], { repoId: 'crr-119', name: 'app-119', namespace: 'team', type: 'PRIVATE', status: 'NORMAL', summary: undefined, createdAt: undefined, modifiedAt: undefined });
    assert.deepEqual(only('ListRepository').map((r) => [r.params.PageNo, r.params.PageSize, r.params.RepoNamespaceName, r.params.RepoName]), [
      ['1', '100', 'team', undefined],
      ['2', '100', 'team', undefined],
    ]);
    assert.equal(cloud.log.records.length, 2);
  });

  it('listInstanceEndpoint and getInstanceVpcEndpoint: endpoint types normalised, linked VPCs with their IPs', async () => {
    routes.ListInstanceEndpoint = () =>
      ok({
        IsSuccess: true,
        Endpoints: [
          { EndpointType: 'internet', Enable: true, Status: 'RUNNING', AclEnable: true, Domains: [{ Type: 'SYSTEM', Domain: 'r-registry.cn-shanghai.cr.aliyuncs.com' }], AclEntries: [{ Entry: '47.1.2.3/32' }] },
          { EndpointType: 'vpc', Enable: true, LinkedVpcs: [{ VpcId: 'vpc-b' }], Domains: [{ Type: 'SYSTEM', Domain: 'r-registry-vpc.cn-shanghai.cr.aliyuncs.com' }] },
        ],
      });
    routes.GetInstanceVpcEndpoint = () =>
      ok({ IsSuccess: true, Enable: true, Domains: ['r-registry-vpc.cn-shanghai.cr.aliyuncs.com'], LinkedVpcs: [{ VpcId: 'vpc-b', VswitchId: 'vsw-b', Ip: '192.168.1.20', Status: 'RUNNING' }] });
    const { b } = makeCloud();
    const endpoints = await cr.listInstanceEndpoint(b, 'cri-1');
    assert.deepEqual(endpoints.map((e) => [e.type, e.enabled, e.aclEntries.map((x) => x.entry), e.linkedVpcIds]), [
      ['Internet', true, ['47.1.2.3/32'], []],
      ['VPC', true, [], ['vpc-b']],
    ]);
    const vpc = await cr.getInstanceVpcEndpoint(b, 'cri-1');
    assert.deepEqual(vpc?.linkedVpcs, [{ vpcId: 'vpc-b', vswitchId: 'vsw-b', ip: '192.168.1.20', status: 'RUNNING', defaultAccess: false, issue: undefined }]);
    assert.deepEqual(vpc?.domains, ['r-registry-vpc.cn-shanghai.cr.aliyuncs.com']);
  });

  it('createInstanceEndpointAclPolicy and linked VPC writes: wire names, Internet by default, logged as writes', async () => {
    routes.CreateInstanceEndpointAclPolicy = () => ok({ IsSuccess: true });
    routes.CreateInstanceVpcEndpointLinkedVpc = () => ok({ IsSuccess: true });
    const { cloud, b } = makeCloud();
    await cr.createInstanceEndpointAclPolicy(b, { instanceId: 'cri-1', entry: '47.1.2.3/32', comment: 'managed-by=acr-xaccount' });
    await cr.createInstanceVpcEndpointLinkedVpc(b, { instanceId: 'cri-1', vpcId: 'vpc-b', vswitchId: 'vsw-b' });
    const acl = only('CreateInstanceEndpointAclPolicy')[0]!.params;
    assert.deepEqual([acl.EndpointType, acl.Entry, acl.Comment], ['Internet', '47.1.2.3/32', 'managed-by=acr-xaccount']);
    const link = only('CreateInstanceVpcEndpointLinkedVpc')[0]!.params;
    assert.deepEqual([link.VpcId, link.VswitchId, 'EnableCreateDNSRecordInPvzt' in link], ['vpc-b', 'vsw-b', false]);
    assert.deepEqual(cloud.log.records.map((r) => r.kind), ['write', 'write']);
  });

  it('a cr write answered IsSuccess=false throws with the Code', async () => {
    routes.UpdateInstanceEndpointStatus = () => ok({ IsSuccess: false, Code: 'ENDPOINT_STATUS_ERROR' });
    const { b } = makeCloud();
    await assert.rejects(cr.updateInstanceEndpointStatus(b, { instanceId: 'cri-1', enable: true }), (e: unknown) => e instanceof CloudError && e.code === 'ENDPOINT_STATUS_ERROR');
    assert.equal(only('UpdateInstanceEndpointStatus')[0]?.params.Enable, 'true');
  });

  it('getAuthorizationToken: the password is Sensitive and registered for redaction', async () => {
    const token = 'tok-ABCDEFGH-0123456789-secret';
    routes.GetAuthorizationToken = () => ok({ IsSuccess: true, TempUsername: 'cr_temp_user', AuthorizationToken: token, ExpireTime: 1571242083000 });
    const { cloud, b } = makeCloud();
    const login = await cr.getAuthorizationToken(b, 'cri-1');
    assert.equal(login.username, 'cr_temp_user');
    assert.ok(login.password instanceof Sensitive);
    assert.equal(login.password.reveal(), token);
    assert.ok(!JSON.stringify(login).includes(token));
    assert.equal(redact(`docker login -p ${token}`), 'docker login -p ***');
    assert.equal(cloud.log.records[0]?.kind, 'read');
  });
});

describe('vpcpeer', () => {
  it('createVpcPeerConnection: requester region as RegionId, accepter UID exact, returns the InstanceId, logs a write', async () => {
    routes.CreateVpcPeerConnection = () => ok({ InstanceId: 'pcc-1' });
    const { cloud, a } = makeCloud();
    const id = await vpcpeer.createVpcPeerConnection(a, {
      vpcId: 'vpc-a',
      acceptingAliUid: '1234567890123456789',
      acceptingRegionId: B_REGION,
      acceptingVpcId: 'vpc-b',
      name: 'acr-xaccount-peering',
      description: 'managed-by=acr-xaccount',
      bandwidth: 100,
    });
    assert.equal(id, 'pcc-1');
    const [req] = only('CreateVpcPeerConnection');
    assert.equal(req?.headers['x-acs-version'], '2022-01-01');
    assert.deepEqual(
      [req?.params.RegionId, req?.params.VpcId, req?.params.AcceptingAliUid, req?.params.AcceptingRegionId, req?.params.AcceptingVpcId, req?.params.Bandwidth, req?.params.Name],
      [A_REGION, 'vpc-a', '1234567890123456789', B_REGION, 'vpc-b', '100', 'acr-xaccount-peering'],
    );
    assert.deepEqual(cloud.log.records.map((r) => [r.account, r.product, r.action, r.kind, r.region]), [['A', 'VpcPeer', 'CreateVpcPeerConnection', 'write', A_REGION]]);
  });

  it('acceptVpcPeerConnection: in B, with the accepter region given', async () => {
    routes.AcceptVpcPeerConnection = () => ok({});
    const { b } = makeCloud();
    await vpcpeer.acceptVpcPeerConnection(b, 'pcc-1', {}, { region: 'cn-beijing' });
    const [req] = only('AcceptVpcPeerConnection');
    assert.deepEqual([req?.params.InstanceId, req?.params.RegionId, req?.accessKeyId], ['pcc-1', 'cn-beijing', 'LTAItestB']);
  });

  it('getVpcPeerConnectionAttribute: parsed, or undefined on ResourceNotFound.InstanceId', async () => {
    routes.GetVpcPeerConnectionAttribute = (req) =>
      req.params.InstanceId === 'pcc-1'
        ? ok({
            InstanceId: 'pcc-1',
            Status: 'Activated',
            OwnerId: 1111222233334444,
            AcceptingOwnerUid: 5555666677778888,
            RegionId: A_REGION,
            AcceptingRegionId: B_REGION,
            Bandwidth: 1024,
            Vpc: { VpcId: 'vpc-a', Ipv4Cidrs: ['10.0.0.0/16'] },
            AcceptingVpc: { VpcId: 'vpc-b', Ipv4Cidrs: ['192.168.0.0/16'] },
          })
        : fail(400, 'ResourceNotFound.InstanceId');
    const { a } = makeCloud();
    const c = await vpcpeer.getVpcPeerConnectionAttribute(a, 'pcc-1');
    assert.deepEqual(
      [c?.status, c?.ownerId, c?.acceptingOwnerUid, c?.vpc.ipv4Cidrs, c?.acceptingVpc.vpcId, c?.bandwidth],
      ['Activated', '1111222233334444', '5555666677778888', ['10.0.0.0/16'], 'vpc-b', 1024],
    );
    assert.equal(await vpcpeer.getVpcPeerConnectionAttribute(a, 'pcc-gone'), undefined);
  });

  it('listVpcPeerConnections: VpcId comma-joined, follows NextToken over two pages', async () => {
    routes.ListVpcPeerConnections = (req) =>
      req.params.NextToken
        ? ok({ VpcPeerConnects: [{ InstanceId: 'pcc-2', Name: 'acr-xaccount-peering', Status: 'Accepting' }] })
        : ok({ VpcPeerConnects: [{ InstanceId: 'pcc-1', Status: 'Activated' }], NextToken: 'page-2' });
    const { a } = makeCloud();
    const list = await vpcpeer.listVpcPeerConnections(a, { vpcIds: ['vpc-a', 'vpc-b'], name: 'acr-xaccount-peering' });
    assert.deepEqual(list.map((c) => [c.instanceId, c.status]), [['pcc-1', 'Activated'], ['pcc-2', 'Accepting']]);
    assert.deepEqual(only('ListVpcPeerConnections').map((r) => [r.params.VpcId, r.params.Name, r.params.NextToken, r.params.MaxResults, r.params.RegionId]), [
      ['vpc-a,vpc-b', 'acr-xaccount-peering', undefined, '100', A_REGION],
      ['vpc-a,vpc-b', 'acr-xaccount-peering', 'page-2', '100', A_REGION],
    ]);
  });

  it('modify and delete: only the given fields are sent', async () => {
    routes.ModifyVpcPeerConnection = () => ok({});
    routes.DeleteVpcPeerConnection = () => ok({});
    const { a } = makeCloud();
    await vpcpeer.modifyVpcPeerConnection(a, { instanceId: 'pcc-1', bandwidth: 200 });
    await vpcpeer.deleteVpcPeerConnection(a, 'pcc-1', { force: true });
    const modify = only('ModifyVpcPeerConnection')[0]!.params;
    assert.deepEqual([modify.InstanceId, modify.Bandwidth, 'Name' in modify, 'Description' in modify], ['pcc-1', '200', false, false]);
    assert.equal(only('DeleteVpcPeerConnection')[0]?.params.Force, 'true');
  });
});

describe('cbn', () => {
  it('describeCens: name filter and tags as repeat lists, two pages up to TotalCount', async () => {
    routes.DescribeCens = (req) => {
      const page = Number(req.params.PageNumber);
      const cens = page === 1 ? Array.from({ length: 50 }, (_, i) => ({ CenId: `cen-${i}`, Name: 'acr-xaccount' })) : [{ CenId: 'cen-50', Name: 'acr-xaccount', Tags: { Tag: [{ Key: 'managed-by', Value: 'acr-xaccount' }] } }];
      return ok({ TotalCount: 51, PageNumber: page, PageSize: 50, Cens: { Cen: cens } });
    };
    const { a } = makeCloud();
    const cens = await cbn.describeCens(a, { name: 'acr-xaccount', tags: { 'managed-by': 'acr-xaccount' } });
    assert.equal(cens.length, 51);
    assert.deepEqual(cens[50]?.tags, { 'managed-by': 'acr-xaccount' });
    const reqs = only('DescribeCens');
    assert.deepEqual(reqs.map((r) => r.params.PageNumber), ['1', '2']);
    const p = reqs[0]!.params;
    assert.deepEqual([p['Filter.1.Key'], p['Filter.1.Value.1'], p['Tag.1.Key'], p['Tag.1.Value'], p.PageSize], ['Name', 'acr-xaccount', 'managed-by', 'acr-xaccount', '50']);
    assert.equal(reqs[0]?.headers['x-acs-version'], '2017-09-12');
  });

  it('createTransitRouterVpcAttachment: ZoneMappings as a repeat list, VpcOwnerId exact, tags', async () => {
    routes.CreateTransitRouterVpcAttachment = () => ok({ TransitRouterAttachmentId: 'tr-attach-b' });
    const { cloud, a } = makeCloud();
    const id = await cbn.createTransitRouterVpcAttachment(a, {
      regionId: B_REGION,
      transitRouterId: 'tr-b',
      vpcId: 'vpc-b',
      vpcOwnerId: '5555666677778888999',
      zoneMappings: [
        { vSwitchId: 'vsw-b1', zoneId: 'cn-shanghai-e' },
        { vSwitchId: 'vsw-b2', zoneId: 'cn-shanghai-f' },
      ],
      name: 'acr-xaccount-b',
      tags: { 'managed-by': 'acr-xaccount' },
    });
    assert.equal(id, 'tr-attach-b');
    const p = only('CreateTransitRouterVpcAttachment')[0]!.params;
    assert.deepEqual(
      [p.RegionId, p.VpcOwnerId, p['ZoneMappings.1.VSwitchId'], p['ZoneMappings.1.ZoneId'], p['ZoneMappings.2.VSwitchId'], p['ZoneMappings.2.ZoneId'], p.TransitRouterAttachmentName, p['Tag.1.Key']],
      [B_REGION, '5555666677778888999', 'vsw-b1', 'cn-shanghai-e', 'vsw-b2', 'cn-shanghai-f', 'acr-xaccount-b', 'managed-by'],
    );
    assert.deepEqual(cloud.log.records.map((r) => [r.product, r.action, r.kind]), [['Cbn', 'CreateTransitRouterVpcAttachment', 'write']]);
  });

  it('listTransitRouterRouteEntries: follows NextToken; parsed entries', async () => {
    routes.ListTransitRouterRouteEntries = (req) =>
      req.params.NextToken === 'n2'
        ? ok({ TransitRouterRouteEntries: [{ TransitRouterRouteEntryId: 'rte-2', TransitRouterRouteEntryDestinationCidrBlock: '100.100.0.0/16', TransitRouterRouteEntryType: 'Static', TransitRouterRouteEntryStatus: 'Active' }] })
        : ok({ NextToken: 'n2', TransitRouterRouteEntries: [{ TransitRouterRouteEntryId: 'rte-1', TransitRouterRouteEntryDestinationCidrBlock: '192.168.1.20/32', TransitRouterRouteEntryType: 'Static', TransitRouterRouteEntryStatus: 'Active', TransitRouterRouteEntryNextHopId: 'tr-attach-b' }] });
    const { a } = makeCloud();
    const entries = await cbn.listTransitRouterRouteEntries(a, 'vtb-1', { status: 'All' });
    assert.deepEqual(entries.map((e) => [e.entryId, e.destinationCidrBlock, e.nextHopId]), [['rte-1', '192.168.1.20/32', 'tr-attach-b'], ['rte-2', '100.100.0.0/16', undefined]]);
    assert.deepEqual(only('ListTransitRouterRouteEntries').map((r) => [r.params.TransitRouterRouteTableId, r.params.TransitRouterRouteEntryStatus, r.params.NextToken]), [
      ['vtb-1', 'All', undefined],
      ['vtb-1', 'All', 'n2'],
    ]);
  });

  it('route entry create/delete, association and propagation: wire names', async () => {
    for (const action of ['CreateTransitRouterRouteEntry', 'DeleteTransitRouterRouteEntry', 'AssociateTransitRouterAttachmentWithRouteTable', 'EnableTransitRouterRouteTablePropagation']) {
      routes[action] = () => ok({ TransitRouterRouteEntryId: 'rte-9' });
    }
    const { a } = makeCloud();
    const target = { routeTableId: 'vtb-1', destinationCidrBlock: '192.168.1.20/32', nextHopType: 'Attachment' as const, nextHopId: 'tr-attach-b' };
    assert.equal(await cbn.createTransitRouterRouteEntry(a, { ...target, name: 'acr-xaccount-registry' }), 'rte-9');
    await cbn.deleteTransitRouterRouteEntry(a, { entryId: 'rte-9' });
    await cbn.associateTransitRouterAttachmentWithRouteTable(a, { attachmentId: 'tr-attach-b', routeTableId: 'vtb-1' });
    await cbn.enableTransitRouterRouteTablePropagation(a, { attachmentId: 'tr-attach-b', routeTableId: 'vtb-1' });
    const create = only('CreateTransitRouterRouteEntry')[0]!.params;
    assert.deepEqual(
      [create.TransitRouterRouteTableId, create.TransitRouterRouteEntryDestinationCidrBlock, create.TransitRouterRouteEntryNextHopType, create.TransitRouterRouteEntryNextHopId, create.TransitRouterRouteEntryName],
      ['vtb-1', '192.168.1.20/32', 'Attachment', 'tr-attach-b', 'acr-xaccount-registry'],
    );
    const del = only('DeleteTransitRouterRouteEntry')[0]!.params;
    assert.deepEqual([del.TransitRouterRouteEntryId, 'TransitRouterRouteTableId' in del], ['rte-9', false]);
    for (const action of ['AssociateTransitRouterAttachmentWithRouteTable', 'EnableTransitRouterRouteTablePropagation']) {
      const p = only(action)[0]!.params;
      assert.deepEqual([p.TransitRouterAttachmentId, p.TransitRouterRouteTableId], ['tr-attach-b', 'vtb-1']);
    }
  });

  it('describeGrantRulesToCen: the granted instance region as RegionId, ProductType VPC by default', async () => {
    routes.DescribeGrantRulesToCen = () => ok({ GrantRules: { GrantRule: [{ ChildInstanceId: 'vpc-b', ChildInstanceOwnerId: 5555666677778888, CenId: 'cen-1', ChildInstanceRegionId: B_REGION }] } });
    const { a } = makeCloud();
    const rules = await cbn.describeGrantRulesToCen(a, { cenId: 'cen-1', regionId: B_REGION, childInstanceId: 'vpc-b' });
    assert.deepEqual(rules.map((g) => [g.childInstanceId, g.ownerId, g.regionId]), [['vpc-b', '5555666677778888', B_REGION]]);
    const p = only('DescribeGrantRulesToCen')[0]!.params;
    assert.deepEqual([p.CenId, p.ProductType, p.RegionId, p.ChildInstanceId], ['cen-1', 'VPC', B_REGION, 'vpc-b']);
  });
});

describe('pvtz', () => {
  const zoneInfo = (vpcs: { VpcId: string; RegionId: string; VpcType?: string }[]) =>
    ok({ ZoneId: 'zone-1', ZoneName: 'r-registry-vpc.cn-shanghai.cr.aliyuncs.com', RecordCount: 1, BindVpcs: { Vpc: vpcs } });

  it('addZoneVpcBinding: sends the existing bindings plus ours (BindZoneVpc replaces the list)', async () => {
    routes.DescribeZoneInfo = () => zoneInfo([{ VpcId: 'vpc-user', RegionId: 'cn-beijing', VpcType: 'STANDARD' }]);
    routes.BindZoneVpc = () => ok({});
    const { cloud, a } = makeCloud();
    const result = await pvtz.addZoneVpcBinding(a, 'zone-1', { vpcId: 'vpc-a', regionId: A_REGION });
    assert.equal(result.changed, true);
    const p = only('BindZoneVpc')[0]!.params;
    assert.deepEqual(
      [p.ZoneId, p['Vpcs.1.VpcId'], p['Vpcs.1.RegionId'], p['Vpcs.1.VpcType'], p['Vpcs.2.VpcId'], p['Vpcs.2.RegionId'], p['Vpcs.2.VpcType'], p['Vpcs.3.VpcId']],
      ['zone-1', 'vpc-user', 'cn-beijing', 'STANDARD', 'vpc-a', A_REGION, undefined, undefined],
    );
    assert.equal(only('BindZoneVpc')[0]?.headers['x-acs-version'], '2018-01-01');
    assert.deepEqual(cloud.log.records.map((r) => [r.product, r.action, r.kind]), [['pvtz', 'DescribeZoneInfo', 'read'], ['pvtz', 'BindZoneVpc', 'write']]);
  });

  it('addZoneVpcBinding: no BindZoneVpc when the VPC is already bound', async () => {
    routes.DescribeZoneInfo = () => zoneInfo([{ VpcId: 'vpc-a', RegionId: A_REGION }]);
    const { a } = makeCloud();
    assert.equal((await pvtz.addZoneVpcBinding(a, 'zone-1', { vpcId: 'vpc-a', regionId: A_REGION })).changed, false);
    assert.equal(only('BindZoneVpc').length, 0);
  });

  it('addZoneVpcBinding in a dry run: the read goes out, the replacing write is blocked and logged', async () => {
    routes.DescribeZoneInfo = () => zoneInfo([]);
    const { cloud, a } = makeCloud(true);
    await assert.rejects(pvtz.addZoneVpcBinding(a, 'zone-1', { vpcId: 'vpc-a', regionId: A_REGION }), { code: 'DryRun.WriteBlocked' });
    assert.deepEqual(fake.requests.map((r) => r.action), ['DescribeZoneInfo']);
    assert.deepEqual(cloud.log.records.map((r) => [r.action, r.outcome]), [['DescribeZoneInfo', 'ok'], ['BindZoneVpc', 'blocked']]);
  });

  it('describeZoneInfo: undefined on Zone.Invalid.Id and Zone.NotExists; other errors propagate', async () => {
    const { a } = makeCloud();
    routes.DescribeZoneInfo = () => fail(400, 'Zone.Invalid.Id');
    assert.equal(await pvtz.describeZoneInfo(a, 'zone-x'), undefined);
    routes.DescribeZoneInfo = () => fail(400, 'Zone.NotExists');
    assert.equal(await pvtz.describeZoneInfo(a, 'zone-x'), undefined);
    routes.DescribeZoneInfo = () => fail(400, 'IllegalUser');
    await assert.rejects(pvtz.describeZoneInfo(a, 'zone-x'), { code: 'IllegalUser' });
  });

  it('findZoneByName: exact keyword search over every page (TotalItems), matched by exact name', async () => {
    const zone = (i: number, name = `other-${i}.example`) => ({ ZoneId: `zone-${i}`, ZoneName: name, RecordCount: 0 });
    routes.DescribeZones = (req) =>
      Number(req.params.PageNumber) === 1
        ? ok({ TotalItems: 101, PageNumber: 1, Zones: { Zone: Array.from({ length: 100 }, (_, i) => zone(i)) } })
        : ok({ TotalItems: 101, PageNumber: 2, Zones: { Zone: [zone(100, 'R-Registry-vpc.cn-shanghai.cr.aliyuncs.com')] } });
    const { a } = makeCloud();
    const found = await pvtz.findZoneByName(a, 'r-registry-vpc.cn-shanghai.cr.aliyuncs.com');
    assert.equal(found?.zoneId, 'zone-100');
    assert.deepEqual(only('DescribeZones').map((r) => [r.params.Keyword, r.params.SearchMode, r.params.PageNumber, r.params.PageSize]), [
      ['r-registry-vpc.cn-shanghai.cr.aliyuncs.com', 'EXACT', '1', '100'],
      ['r-registry-vpc.cn-shanghai.cr.aliyuncs.com', 'EXACT', '2', '100'],
    ]);
  });

  it('addZoneRecord / updateZoneRecord / deleteZoneRecord: an `@` A record with our remark', async () => {
    routes.AddZoneRecord = () => ok({ RecordId: 4295701234, Success: true });
    routes.UpdateZoneRecord = () => ok({ RecordId: 4295701234 });
    routes.DeleteZoneRecord = () => ok({ RecordId: 4295701234 });
    const { a } = makeCloud();
    const id = await pvtz.addZoneRecord(a, { zoneId: 'zone-1', rr: '@', value: '192.168.1.20', ttl: 60, remark: 'managed-by=acr-xaccount' });
    assert.equal(id, 4295701234);
    await pvtz.updateZoneRecord(a, { recordId: id, rr: '@', value: '192.168.1.21' });
    await pvtz.deleteZoneRecord(a, id);
    const add = only('AddZoneRecord')[0]!.params;
    assert.deepEqual([add.ZoneId, add.Rr, add.Type, add.Value, add.Ttl, add.Remark], ['zone-1', '@', 'A', '192.168.1.20', '60', 'managed-by=acr-xaccount']);
    const upd = only('UpdateZoneRecord')[0]!.params;
    assert.deepEqual([upd.RecordId, upd.Rr, upd.Type, upd.Value, 'Ttl' in upd], ['4295701234', '@', 'A', '192.168.1.21', false]);
    assert.equal(only('DeleteZoneRecord')[0]?.params.RecordId, '4295701234');
  });
});
