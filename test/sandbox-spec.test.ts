// The sandbox's spec layer (src/sandbox/spec.ts): routing by version/action and by ROA path, rebuilding
// parameters from the wire form the official SDKs send (OpenApiUtil.query), the real gateway's error codes,
// response-shape checks against the metadata's own example responses, and error bodies the SDK understands.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as openapiCore from '@alicloud/openapi-core';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import {
  DEFAULT_SPEC_DIR,
  errorBody,
  loadSpecs,
  parseRpcParams,
  SpecError,
  validateResponse,
  validateRoaRequest,
  validateRpcRequest,
  type ApiSpec,
} from '../src/sandbox/spec.js';

// Under tsx the CommonJS module's named exports sit on the namespace itself.
const { OpenApiUtil } = openapiCore as unknown as {
  OpenApiUtil: {
    query(filter: Record<string, unknown>): Record<string, string>;
    arrayToStringWithSpecifiedStyle(array: unknown, prefix: string, style: string): string;
  };
};

const specs = loadSpecs();
const metadataDir = process.env.ACR_XACCOUNT_API_METADATA ?? join(DEFAULT_SPEC_DIR, '..', '..', 'shared', 'alibabacloud-api');
const noMetadata = !existsSync(metadataDir) && `no metadata at ${metadataDir}`;

function api(product: string, name: string): ApiSpec {
  const found = specs.product(product)?.apis[name];
  assert.ok(found, `${product} ${name} not in api-spec`);
  return found;
}

/** The wire form an SDK sends: `json` / `simple` params pre-serialised as the generated clients do, then OpenApiUtil.query. */
function wire(params: Record<string, unknown>, styles: Record<string, 'json' | 'simple'> = {}): Record<string, string> {
  const shaped: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) shaped[k] = styles[k] ? OpenApiUtil.arrayToStringWithSpecifiedStyle(v, k, styles[k]) : v;
  return OpenApiUtil.query(shaped);
}

/** What a v1-signed SDK call adds to every RPC request besides the API's own parameters. */
const COMMON = { Action: 'X', Version: 'X', Format: 'JSON', AccessKeyId: 'LTAI', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: 'n', Timestamp: '2025-01-01T00:00:00Z', SecurityToken: 't', Signature: 's' };

function refusal(fn: () => unknown, code: string, status = 400, message?: string | RegExp): SpecError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof SpecError, `expected SpecError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.equal(caught.status, status);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else if (message) assert.match(caught.message, message);
  return caught;
}

describe('loadSpecs: index and routing', () => {
  it('loads every product once, by file key, product code and version', () => {
    assert.equal(loadSpecs(), specs, 'cached');
    assert.deepEqual(specs.products.map((p) => p.key), ['cbn', 'cr', 'cs', 'ecs', 'ims', 'pvtz', 'ram', 'sts', 'vpc', 'vpcpeer']);
    assert.equal(specs.product('Cbn'), specs.product('cbn'));
    assert.equal(specs.product('CS')?.style, 'ROA');
    assert.equal(api('ram', 'CreateRole').name, 'CreateRole');
    assert.equal(api('ram', 'CreateRole').product, 'Ram');
    assert.deepEqual(specs.byVersion('2017-09-12').map((p) => p.key), ['cbn']);
  });

  it('routes on version + action: Cbn and Vpc both have DescribeGrantRulesToCen, under different versions', () => {
    assert.equal(specs.resolveRpc('2017-09-12', 'DescribeGrantRulesToCen').product, 'Cbn');
    assert.equal(specs.resolveRpc('2016-04-28', 'DescribeGrantRulesToCen').product, 'Vpc');
    assert.notEqual(api('cbn', 'DescribeGrantRulesToCen'), api('vpc', 'DescribeGrantRulesToCen'));
  });

  it('an unknown action or version gets the gateway codes', () => {
    refusal(() => specs.resolveRpc('2016-04-28', 'CreateVpcPeerConnection'), 'InvalidAction.NotFound', 404, 'Specified api is not found, please check your url and method.');
    refusal(() => specs.resolveRpc('2016-04-28', 'createrouteentry'), 'InvalidAction.NotFound', 404);
    refusal(() => specs.resolveRpc('2099-01-01', 'CreateRouteEntry'), 'InvalidVersion', 400, 'Specified parameter Version is not valid.');
    refusal(() => specs.resolveRpc('2016-04-28', 'CreateRouteEntry', 'cbn'), 'InvalidVersion', 400);
  });

  it('cs: method + path to the API, placeholders decoded, literal segments first', () => {
    const detail = specs.matchRoa('cs', 'GET', '/clusters/c-123?foo=1');
    assert.equal(detail?.api.name, 'DescribeClusterDetail');
    assert.deepEqual(detail?.pathParams, { ClusterId: 'c-123' });
    assert.equal(specs.matchRoa('cs', 'GET', '/clusters/components/metadata')?.api.name, 'DescribeAddons');
    assert.equal(specs.matchRoa('cs', 'GET', '/clusters/c-1/components/version')?.api.name, 'DescribeClusterAddonsVersion');
    assert.deepEqual(specs.matchRoa('cs', 'GET', '/clusters/c-1/components/a%2Fb/instance')?.pathParams, { ClusterID: 'c-1', AddonName: 'a/b' });
    assert.equal(specs.matchRoa('cs', 'POST', '/clusters/c-1/components/install')?.api.name, 'InstallClusterAddons');
    assert.equal(specs.matchRoa('cs', 'DELETE', '/clusters/c-123'), undefined);
    refusal(() => specs.resolveRoa('cs', 'GET', '/clusters/c-1/nope'), 'InvalidAction.NotFound', 404);
  });
});

describe('RPC requests as the SDKs flatten them', () => {
  it('ram CreateRole: scalars typed, json-style Tag parsed, common and unknown parameters set aside', () => {
    const flat: Record<string, string> = { ...COMMON, Foo: 'bar', ...wire({ RoleName: 'acr-pull', AssumeRolePolicyDocument: '{"Version":"1"}', MaxSessionDuration: 3600, Tag: [{ Key: 'k', Value: 'v' }] }, { Tag: 'json' }) };
    assert.equal(flat.Tag, '[{"Key":"k","Value":"v"}]');
    const parsed = validateRpcRequest(api('ram', 'CreateRole'), flat);
    assert.deepEqual(parsed.params, { RoleName: 'acr-pull', AssumeRolePolicyDocument: '{"Version":"1"}', MaxSessionDuration: 3600, Tag: [{ Key: 'k', Value: 'v' }] });
    assert.deepEqual(parsed.ignored, ['Foo']);
    assert.deepEqual(parseRpcParams(flat, api('ram', 'CreateRole')), parsed);
    // The metadata (api-docs and CLI alike) marks RoleName optional: the gateway layer lets it through.
    assert.deepEqual(validateRpcRequest(api('ram', 'CreateRole'), {}).params, {});
    refusal(() => validateRpcRequest(api('ram', 'CreateRole'), { MaxSessionDuration: '1h' }), 'InvalidParameter', 400, 'The specified parameter "MaxSessionDuration" is not valid.');
    refusal(() => validateRpcRequest(api('ram', 'CreateRole'), { Tag: '[{"Key":' }), 'InvalidParameter');
    refusal(() => validateRpcRequest(api('ram', 'CreateRole'), { Tag: '[{"Key":1}]' }), 'InvalidParameter');
  });

  it('vpc CreateRouteEntry: repeat list of objects, required parameters in spec order, booleans, maxItems', () => {
    const a = api('vpc', 'CreateRouteEntry');
    const input = { RegionId: 'cn-hangzhou', RouteTableId: 'vtb-1', DestinationCidrBlock: '10.0.0.0/8', NextHopList: [{ NextHopId: 'ri-1', Weight: 50, NextHopType: 'RouterInterface' }, { NextHopId: 'ri-2', Weight: 50 }], DryRun: false };
    const flat = wire(input);
    assert.equal(flat['NextHopList.2.Weight'], '50');
    assert.deepEqual(validateRpcRequest(a, flat).params, input);
    refusal(() => validateRpcRequest(a, wire({ DestinationCidrBlock: '10.0.0.0/8' })), 'MissingRouteTableId', 400, 'RouteTableId is mandatory for this action.');
    refusal(() => validateRpcRequest(a, {}), 'MissingRouteTableId');
    refusal(() => validateRpcRequest(a, wire({ RouteTableId: 'vtb-1' })), 'MissingDestinationCidrBlock');
    refusal(() => validateRpcRequest(a, { ...flat, DryRun: 'yes' }), 'InvalidParameter', 400, 'The specified parameter "DryRun" is not valid.');
    const badWeight = refusal(() => validateRpcRequest(a, { ...flat, 'NextHopList.1.Weight': 'heavy' }), 'InvalidParameter');
    assert.equal(badWeight.param, 'NextHopList.1.Weight');
    const many = wire({ ...input, NextHopList: Array.from({ length: 17 }, (_, i) => ({ NextHopId: `ri-${i}` })) });
    refusal(() => validateRpcRequest(a, many), 'InvalidParameter', 400, 'The specified parameter "NextHopList" is not valid.');
  });

  it('ecs RunCommand: InstanceId repeat list, json Parameters, a bare InstanceId is no element', () => {
    const a = api('ecs', 'RunCommand');
    const input = { RegionId: 'cn-hangzhou', Type: 'RunShellScript', CommandContent: 'echo hi', Timeout: 60, InstanceId: ['i-1', 'i-2', 'i-3'], Parameters: { name: 'x' }, Tag: [{ Key: 'k', Value: 'v' }] };
    const flat = wire(input, { Parameters: 'json' });
    assert.deepEqual([flat['InstanceId.1'], flat['InstanceId.3'], flat.Parameters], ['i-1', 'i-3', '{"name":"x"}']);
    const parsed = validateRpcRequest(a, { ...flat, InstanceId: 'i-9', 'InstanceId.x': 'i-8' });
    assert.deepEqual(parsed.params, input);
    assert.deepEqual(parsed.ignored.sort(), ['InstanceId', 'InstanceId.x']);
    const { RegionId: _r, ...noRegion } = input;
    refusal(() => validateRpcRequest(a, wire(noRegion, { Parameters: 'json' })), 'MissingRegionId', 400, 'RegionId is mandatory for this action.');
    const { Type: _t, ...noType } = input;
    refusal(() => validateRpcRequest(a, wire(noType, { Parameters: 'json' })), 'MissingType');
    refusal(() => validateRpcRequest(a, { ...flat, Parameters: '["not","an","object"]' }), 'InvalidParameter');
    refusal(() => validateRpcRequest(a, wire({ ...input, InstanceId: Array.from({ length: 502 }, (_, i) => `i-${i}`) }, { Parameters: 'json' })), 'InvalidParameter');
  });

  it('cr CreateStorageDomainRoutingRule: json Routes with required properties and an enum', () => {
    const a = api('cr', 'CreateStorageDomainRoutingRule');
    const routes = [{ InstanceDomain: 'r.example.com', StorageDomain: 's.example.com', EndpointType: 'VPC' }];
    assert.deepEqual(validateRpcRequest(a, wire({ InstanceId: 'cri-1', Routes: routes }, { Routes: 'json' })).params, { InstanceId: 'cri-1', Routes: routes });
    refusal(() => validateRpcRequest(a, wire({ InstanceId: 'cri-1' })), 'MissingRoutes', 400, 'Routes is mandatory for this action.');
    const noStorage = [{ InstanceDomain: 'r.example.com', EndpointType: 'VPC' }];
    refusal(() => validateRpcRequest(a, wire({ InstanceId: 'cri-1', Routes: noStorage }, { Routes: 'json' })), 'MissingRoutes.1.StorageDomain', 400, 'Routes.1.StorageDomain is mandatory for this action.');
    const badType = [{ ...routes[0], EndpointType: 'Public' }];
    const e = refusal(() => validateRpcRequest(a, wire({ InstanceId: 'cri-1', Routes: badType }, { Routes: 'json' })), 'InvalidParameter');
    assert.equal(e.param, 'Routes.1.EndpointType');
    refusal(() => validateRpcRequest(a, { InstanceId: 'cri-1', Routes: '{"InstanceDomain":"x"}' }), 'InvalidParameter');
  });

  it('vpcpeer ListVpcPeerConnections: comma-joined VpcId, int32 MaxResults, Tags repeat list', () => {
    const a = api('vpcpeer', 'ListVpcPeerConnections');
    const flat = wire({ RegionId: 'cn-hangzhou', VpcId: ['vpc-a', 'vpc-b'], MaxResults: 20, Tags: [{ Key: 'k', Value: 'v' }] }, { VpcId: 'simple' });
    assert.equal(flat.VpcId, 'vpc-a,vpc-b');
    assert.deepEqual(validateRpcRequest(a, flat).params, { RegionId: 'cn-hangzhou', VpcId: ['vpc-a', 'vpc-b'], MaxResults: 20, Tags: [{ Key: 'k', Value: 'v' }] });
    refusal(() => validateRpcRequest(a, { VpcId: 'vpc-a,vpc-b,vpc-c' }), 'InvalidParameter', 400, 'The specified parameter "VpcId" is not valid.');
    refusal(() => validateRpcRequest(a, { MaxResults: '99999999999' }), 'InvalidParameter');
    refusal(() => validateRpcRequest(a, { MaxResults: '2.5' }), 'InvalidParameter');
  });

  it('cbn CreateTransitRouterVpcAttachment: ZoneMappings.N.VSwitchId, int64 account IDs kept exact, json map', () => {
    const a = api('cbn', 'CreateTransitRouterVpcAttachment');
    const input = {
      RegionId: 'cn-hangzhou', TransitRouterId: 'tr-1', VpcId: 'vpc-1', VpcOwnerId: 1234567890123456,
      ZoneMappings: [{ VSwitchId: 'vsw-a', ZoneId: 'cn-hangzhou-h' }, { VSwitchId: 'vsw-b', ZoneId: 'cn-hangzhou-i' }],
      TransitRouterVPCAttachmentOptions: { ipv6Support: 'disable' },
    };
    const flat = wire(input, { TransitRouterVPCAttachmentOptions: 'json' });
    assert.equal(flat['ZoneMappings.2.VSwitchId'], 'vsw-b');
    const parsed = validateRpcRequest(a, { ...flat, 'ZoneMappings.1.Foo': 'x' });
    assert.deepEqual(parsed.params, input);
    assert.deepEqual(parsed.ignored, ['ZoneMappings.1.Foo']);
    // An account ID beyond 2^53 stays its exact digits.
    assert.equal(validateRpcRequest(a, { ...flat, VpcOwnerId: '12345678901234567890' }).params.VpcOwnerId, '12345678901234567890');
    const { 'ZoneMappings.2.ZoneId': _z, ...noZone } = flat;
    refusal(() => validateRpcRequest(a, noZone), 'MissingZoneMappings.2.ZoneId', 400, 'ZoneMappings.2.ZoneId is mandatory for this action.');
    const { VpcId: _v, ...noVpc } = flat;
    refusal(() => validateRpcRequest(a, noVpc), 'MissingVpcId');
    refusal(() => validateRpcRequest(a, { ...flat, TransitRouterVPCAttachmentOptions: '{"ipv6Support":true}' }), 'InvalidParameter');
  });

  it('a missing parameter gets the API-specific code when the metadata lists one for it', () => {
    refusal(() => validateRpcRequest(api('ecs', 'DescribeSecurityGroupAttribute'), { SecurityGroupId: 'sg-1' }), 'MissingParameter.RegionId', 400, 'The parameter RegionId is missing.');
    refusal(() => validateRpcRequest(api('vpc', 'ListTagResources'), { RegionId: 'cn-hangzhou' }), 'MissingParam.ResourceType', 400);
    // vpc CreateRouteEntry lists a bare `MissingParameter` ("Miss mandatory parameter."): not tied to a parameter, so not used.
    refusal(() => validateRpcRequest(api('vpc', 'CreateRouteEntry'), {}), 'MissingRouteTableId');
  });
});

describe('ROA (cs) requests', () => {
  it('InstallClusterAddons: path parameter and JSON array body', () => {
    const match = specs.resolveRoa('cs', 'POST', '/clusters/c-1/components/install');
    const body = [{ name: 'ack-pod-identity-webhook', version: '0.2.0', config: '{}' }];
    const parsed = validateRoaRequest(match.api, { pathParams: match.pathParams, query: {}, body });
    assert.deepEqual(parsed.params, { ClusterId: 'c-1', body });
    const extra = validateRoaRequest(match.api, { pathParams: match.pathParams, query: { x: '1' }, body: [{ ...body[0], disabled: false }] });
    assert.deepEqual(extra.ignored, ['x', 'body.1.disabled']);
    // The add-on version is optional in practice (a correction in scripts/build-api-spec.mjs); the name is not.
    assert.deepEqual(validateRoaRequest(match.api, { pathParams: match.pathParams, query: {}, body: [{ name: 'x' }] }).params.body, [{ name: 'x' }]);
    refusal(() => validateRoaRequest(match.api, { pathParams: match.pathParams, query: {}, body: [{ version: '1' }] }), 'Missingbody.1.name');
    refusal(() => validateRoaRequest(match.api, { pathParams: match.pathParams, query: {}, body: [{ name: 5, version: '1' }] }), 'InvalidParameter');
    refusal(() => validateRoaRequest(match.api, { pathParams: match.pathParams, query: {}, body: { name: 'x', version: '1' } }), 'InvalidParameter');
    refusal(() => validateRoaRequest(match.api, { pathParams: {}, query: {}, body }), 'MissingClusterId');
  });

  it('query parameters: integers, booleans and json style converted; required ones enforced', () => {
    const list = api('cs', 'DescribeClustersV1');
    assert.deepEqual(validateRoaRequest(list, { pathParams: {}, query: { page_size: '10', name: 'k' } }).params, { page_size: 10, name: 'k' });
    refusal(() => validateRoaRequest(list, { pathParams: {}, query: { page_size: 'ten' } }), 'InvalidParameter', 400, 'The specified parameter "page_size" is not valid.');
    const status = api('cs', 'DescribeClusterAddonsUpgradeStatus');
    const query = wire({ componentIds: ['coredns', 'arms-prometheus'] }, { componentIds: 'json' });
    assert.deepEqual(validateRoaRequest(status, { pathParams: { ClusterId: 'c-1' }, query }).params, { ClusterId: 'c-1', componentIds: ['coredns', 'arms-prometheus'] });
    refusal(() => validateRoaRequest(status, { pathParams: { ClusterId: 'c-1' }, query: {} }), 'MissingcomponentIds');
    const resources = api('cs', 'DescribeClusterResources');
    assert.equal(validateRoaRequest(resources, { pathParams: { ClusterId: 'c' }, query: { with_addon_resources: 'true' } }).params.with_addon_resources, true);
  });
});

describe('validateResponse', () => {
  const createRole = api('ram', 'CreateRole');
  const role = { RoleName: 'r', RoleId: '1', Arn: 'acs:ram::1:role/r', MaxSessionDuration: 3600, CreateDate: '2025-01-01T00:00:00Z' };

  it('accepts a body of the spec shape, absent fields included', () => {
    assert.deepEqual(validateResponse(createRole, { RequestId: 'x', Role: role }), []);
    assert.deepEqual(validateResponse(createRole, { RequestId: 'x' }), []);
  });

  it('lists wrong types, unknown properties at any depth, nulls and values outside an enum', () => {
    assert.deepEqual(validateResponse(createRole, { RequestId: 'x', Role: { ...role, MaxSessionDuration: '3600' } }), ['$.Role.MaxSessionDuration: expected integer, got string "3600"']);
    assert.deepEqual(validateResponse(createRole, { RequestId: 'x', Extra: 1, Role: { ...role, Tags: [] } }), ['$.Extra: not in the spec', '$.Role.Tags: not in the spec']);
    assert.deepEqual(validateResponse(createRole, { RequestId: null }), ['$.RequestId: null, expected string (the cloud omits absent fields)']);
    assert.deepEqual(validateResponse(createRole, []), ['$: expected object, got array']);
    const detail = api('cs', 'DescribeClusterDetail');
    assert.deepEqual(validateResponse(detail, { ip_stack: 'ipv6' }), ['$.ip_stack: string "ipv6" is not one of "ipv4", "dual"']);
    assert.deepEqual(validateResponse(detail, { parameters: { a: 'x', b: 1 } }), ['$.parameters.b: expected string, got number 1']);
    assert.deepEqual(validateResponse(detail, { tags: [{ key: 'k', value: 'v', extra: true }], size: 1.5 }), ['$.tags[0].extra: not in the spec', '$.size: expected integer, got number 1.5']);
    const peers = api('vpcpeer', 'ListVpcPeerConnections');
    assert.deepEqual(validateResponse(peers, { VpcPeerConnects: [{ Vpc: { VpcId: 'vpc-1', Ipv4Cidrs: ['10.0.0.0/8', 7] } }] }), ['$.VpcPeerConnects[0].Vpc.Ipv4Cidrs[1]: expected string, got number 7']);
  });
});

/** The metadata's example JSON responses (`responseDemo`) for one product, by API name. */
function examples(file: string): Map<string, unknown[]> {
  const meta = JSON.parse(readFileSync(join(metadataDir, file), 'utf8')) as { apis: Record<string, { responseDemo?: string }> };
  const out = new Map<string, unknown[]>();
  for (const [name, a] of Object.entries(meta.apis)) {
    const demos = JSON.parse(a.responseDemo ?? '[]') as { type: string; example?: string }[];
    out.set(name, demos.filter((d) => d.type === 'json' && d.example).map((d) => JSON.parse(d.example as string)));
  }
  return out;
}

const FILES: Record<string, string> = { cbn: 'cbn-2017-09-12.json', cr: 'cr-2018-12-01.json', cs: 'cs-2015-12-15.json', ecs: 'ecs-2014-05-26.json', ims: 'ims-2019-08-15.json', pvtz: 'pvtz-2018-01-01.json', ram: 'ram-2015-05-01.json', sts: 'sts-2015-04-01.json', vpc: 'vpc-2016-04-28.json', vpcpeer: 'vpcpeer-2022-01-01.json' };

/** Where the metadata contradicts itself: its example has what its own schema forbids. The spec wins. */
const KNOWN_EXAMPLE_MISMATCHES = [
  'cr GetStorageDomainRoutingRule: $.Routes[0].EndpointType: string "" is not one of "Internet", "VPC"',
  'cs DescribeClusterNodePoolDetail: $.node_config.kubelet_configuration.serverTLSBootstrap: not in the spec',
  'cs DescribeClusterNodePools: $.nodepools[0].node_config.kubelet_configuration.serverTLSBootstrap: not in the spec',
];

describe('validateResponse against the metadata examples', { skip: noMetadata }, () => {
  it('accepts the real example responses of the APIs the tests above use', () => {
    for (const [product, name] of [['ram', 'CreateRole'], ['vpc', 'CreateRouteEntry'], ['ecs', 'RunCommand'], ['ecs', 'DescribeInvocationResults'], ['vpcpeer', 'ListVpcPeerConnections'], ['cbn', 'ListTransitRouterVpcAttachments'], ['cs', 'DescribeClusterDetail'], ['cr', 'GetInstanceEndpoint'], ['sts', 'AssumeRole']]) {
      const list = examples(FILES[product]).get(name) ?? [];
      assert.ok(list.length > 0, `${product} ${name} has an example`);
      for (const body of list) assert.deepEqual(validateResponse(api(product, name), body), [], `${product} ${name}`);
    }
  });

  it('every example of every API matches its schema, except the known metadata inconsistencies', () => {
    const found: string[] = [];
    for (const [product, file] of Object.entries(FILES)) {
      for (const [name, list] of examples(file)) for (const body of list) for (const p of validateResponse(api(product, name), body)) found.push(`${product} ${name}: ${p}`);
    }
    assert.deepEqual(found.sort(), KNOWN_EXAMPLE_MISMATCHES);
  });
});

describe('errorBody: what the SDK makes of it', () => {
  it('RPC and ROA documents', () => {
    assert.deepEqual(errorBody('MissingRouteTableId', 'RouteTableId is mandatory for this action.', 'REQ-1', { product: 'Vpc', hostId: 'vpc.cn-hangzhou.aliyuncs.com' }), {
      RequestId: 'REQ-1',
      HostId: 'vpc.cn-hangzhou.aliyuncs.com',
      Code: 'MissingRouteTableId',
      Message: 'RouteTableId is mandatory for this action.',
      Recommend: 'https://api.aliyun.com/troubleshoot?q=MissingRouteTableId&product=Vpc&requestId=REQ-1',
    });
    assert.deepEqual(errorBody('ErrorClusterNotFound', 'cluster c-1 not found', 'REQ-2', { style: 'ROA', status: 404 }), { code: 'ErrorClusterNotFound', message: 'cluster c-1 not found', requestId: 'REQ-2', status: 404 });
  });

  it('openapi-core maps both to err.code, err.message and err.statusCode', async () => {
    const server = createServer((req, res) => {
      const roa = (req.url ?? '').startsWith('/clusters');
      res.writeHead(roa ? 404 : 400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(roa
        ? errorBody('ErrorClusterNotFound', 'cluster c-1 not found', 'REQ-2', { style: 'ROA', status: 404 })
        : errorBody('MissingRouteTableId', 'RouteTableId is mandatory for this action.', 'REQ-1', { product: 'Vpc' })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const core = openapiCore as unknown as SdkCore;
      const Client = (core.default as { default?: SdkClientCtor }).default ?? (core.default as SdkClientCtor);
      const endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = new Client(new core.$OpenApiUtil.Config({ accessKeyId: 'LTAItest', accessKeySecret: 'secret', endpoint, protocol: 'HTTP', regionId: 'cn-hangzhou' }));
      const { RuntimeOptions } = await import('@darabonba/typescript');
      const call = (style: string, action: string, version: string, pathname: string, method: string) =>
        client.callApi(new core.$OpenApiUtil.Params({ action, version, protocol: 'HTTP', pathname, method, authType: 'AK', style, reqBodyType: style === 'RPC' ? 'formData' : 'json', bodyType: 'json' }), new core.$OpenApiUtil.OpenApiRequest({}), new RuntimeOptions({}));
      await assert.rejects(call('RPC', 'CreateRouteEntry', '2016-04-28', '/', 'POST'), (e: { code?: string; message?: string; statusCode?: number }) => {
        assert.equal(e.code, 'MissingRouteTableId');
        assert.equal(e.statusCode, 400);
        assert.match(String(e.message), /RouteTableId is mandatory for this action\. request id: REQ-1/);
        return true;
      });
      await assert.rejects(call('ROA', 'DescribeClusterDetail', '2015-12-15', '/clusters/c-1', 'GET'), (e: { code?: string; message?: string; statusCode?: number }) => {
        assert.equal(e.code, 'ErrorClusterNotFound');
        assert.equal(e.statusCode, 404);
        assert.match(String(e.message), /cluster c-1 not found request id: REQ-2/);
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

type SdkClientCtor = new (config: unknown) => { callApi(params: unknown, request: unknown, runtime: unknown): Promise<unknown> };
interface SdkCore {
  default: unknown;
  $OpenApiUtil: {
    Config: new (c: Record<string, unknown>) => unknown;
    Params: new (p: Record<string, unknown>) => unknown;
    OpenApiRequest: new (r: Record<string, unknown>) => unknown;
  };
}
