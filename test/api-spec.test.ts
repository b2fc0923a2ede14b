// Guards the compact API specs (api-spec/*.json) and the generated API types:
// both must be up to date with their sources, and a few facts the code relies on must hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const specDir = join(repoRoot, 'api-spec');
const metadataDir = process.env.ACR_XACCOUNT_API_METADATA ?? join(repoRoot, '..', 'shared', 'alibabacloud-api');

interface Param {
  name: string;
  in: string;
  style?: string;
  type: string;
  required: boolean;
}
interface Api {
  methods: string[];
  path?: string | null;
  operationType: string | null;
  params: Param[];
  response: unknown;
  errors: { httpStatus: number | string; code: string; message: string }[];
}
interface ProductSpec {
  product: string;
  version: string;
  style: 'RPC' | 'ROA';
  apis: Record<string, Api>;
}

function loadSpec(product: string): ProductSpec {
  return JSON.parse(readFileSync(join(specDir, `${product}.json`), 'utf8')) as ProductSpec;
}

function getApi(product: string, name: string): Api {
  const api = loadSpec(product).apis[name];
  assert.ok(api, `${product} ${name} missing from api-spec/${product}.json`);
  return api;
}

function runScript(script: string, ...args: string[]) {
  return spawnSync(process.execPath, [join('scripts', script), ...args], { cwd: repoRoot, encoding: 'utf8' });
}

test('build-api-spec --check: api-spec/*.json match the metadata', { skip: !existsSync(metadataDir) && `no metadata at ${metadataDir}` }, () => {
  const result = runScript('build-api-spec.mjs', '--check');
  assert.equal(result.status, 0, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
});

test('gen-api-types --check: src/cloud/api/*-types.ts match api-spec', () => {
  const result = runScript('gen-api-types.mjs', '--check');
  assert.equal(result.status, 0, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
});

test('cr GetInstanceVpcEndpoint requires InstanceId', () => {
  const param = getApi('cr', 'GetInstanceVpcEndpoint').params.find((p) => p.name === 'InstanceId');
  assert.ok(param, 'InstanceId param missing');
  assert.equal(param.required, true);
});

test('vpcpeer CreateVpcPeerConnection has the cross-account peering params', () => {
  const names = getApi('vpcpeer', 'CreateVpcPeerConnection').params.map((p) => p.name);
  for (const expected of ['AcceptingAliUid', 'AcceptingRegionId', 'AcceptingVpcId', 'VpcId']) {
    assert.ok(names.includes(expected), `missing ${expected} in ${names.join(', ')}`);
  }
});

test('ecs RunCommand lists RegionId exactly once (metadata lists it twice)', () => {
  const regionIds = getApi('ecs', 'RunCommand').params.filter((p) => p.name === 'RegionId');
  assert.equal(regionIds.length, 1);
});

test('cs DescribeClusterDetail is ROA GET /clusters/{ClusterId}', () => {
  assert.equal(loadSpec('cs').style, 'ROA');
  const api = getApi('cs', 'DescribeClusterDetail');
  assert.equal(api.path, '/clusters/{ClusterId}');
  assert.deepEqual(api.methods, ['GET']);
});

test('error entries keep httpStatus, code and message', () => {
  const errors = getApi('cr', 'GetInstanceVpcEndpoint').errors;
  assert.ok(errors.some((e) => e.httpStatus === 403 && e.code === 'NoPrivilege' && e.message.length > 0));
});

test('compact specs hold no prose keys and no $ref', () => {
  const forbidden = new Set(['description', 'example', 'summary', 'title', '$ref']);
  const files = readdirSync(specDir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 10, `expected the 10 product specs, found ${files.join(', ')}`);
  for (const file of files) {
    const found: string[] = [];
    // Keys directly under `properties` are field names of the API (cs has a field called
    // `description`), not schema keywords, so only their values are inspected.
    const walk = (node: unknown, path: string, underProperties: boolean): void => {
      if (Array.isArray(node)) {
        node.forEach((item, i) => walk(item, `${path}[${i}]`, false));
      } else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (forbidden.has(key) && !underProperties) found.push(`${path}.${key}`);
          walk(value, `${path}.${key}`, key === 'properties' && !underProperties);
        }
      }
    };
    walk(JSON.parse(readFileSync(join(specDir, file), 'utf8')), file, false);
    assert.deepEqual(found, [], `forbidden keys in ${file}`);
  }
});
