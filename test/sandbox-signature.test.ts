// The sandbox's signature verifier, driven by the real Alibaba Cloud SDKs against a local HTTP server.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import { cjsDefault } from '../src/cloud/interop.js';
import { NonceCache, SIGNATURE_WINDOW_MS, SignatureError, verifySignature, type IncomingSigned } from '../src/sandbox/signature.js';

const GOOD = { id: 'LTAIgoodKey0001', secret: 'good-Secret/0001+xyz=' };
const TEMP = { id: 'STS.tempKey0002', secret: 'temp-Secret-0002-abc', token: 'CAIS-temp-token/0002+==' };
const SECRETS = new Map([
  [GOOD.id, GOOD.secret],
  [TEMP.id, TEMP.secret],
]);
const WRONG_SECRET = 'wrong-Secret-9999-zzz';
const ALL_SECRETS = [GOOD.secret, TEMP.secret, WRONG_SECRET];
const lookup = (id: string) => (SECRETS.has(id) ? { secret: SECRETS.get(id)! } : undefined);

/** What arrived on the wire, byte for byte, so tests can re-send it. */
interface Raw {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}
interface Outcome {
  status: number;
  json: Record<string, unknown>;
}

let server: Server;
let port = 0;
let clockShiftMs = 0;
let nonces = new NonceCache();
const captured: Raw[] = [];
const outcomes: Outcome[] = [];

function toIncoming(raw: Raw): IncomingSigned {
  const url = new URL(raw.url, 'http://sandbox');
  return { method: raw.method, pathname: url.pathname, query: Object.fromEntries(url.searchParams), headers: raw.headers, body: raw.body };
}

function answer(raw: Raw): Outcome {
  const requestId = `req-${captured.length}`;
  try {
    const principal = verifySignature(toIncoming(raw), lookup, new Date(Date.now() + clockShiftMs), nonces);
    const json: Record<string, unknown> = { RequestId: requestId, ok: true, AccessKeyId: principal.accessKeyId, SecurityToken: principal.securityToken };
    const params = { ...Object.fromEntries(new URL(raw.url, 'http://x').searchParams), ...Object.fromEntries(new URLSearchParams(raw.body.toString('utf8'))) };
    if (params.Action === 'AssumeRole') {
      json.Credentials = { AccessKeyId: 'STS.assumed01', AccessKeySecret: 'assumed-secret', SecurityToken: 'assumed-token', Expiration: new Date(Date.now() + 3600_000).toISOString() };
    }
    return { status: 200, json };
  } catch (e) {
    if (!(e instanceof SignatureError)) throw e;
    return { status: e.status, json: { Code: e.code, Message: e.message, RequestId: requestId } };
  }
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw: Raw = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      captured.push(raw);
      const outcome = answer(raw);
      outcomes.push(outcome);
      res.writeHead(outcome.status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(outcome.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  clockShiftMs = 0;
});

const last = () => ({ raw: captured.at(-1)!, outcome: outcomes.at(-1)! });

/** Sends a captured request again, optionally altered, with a correct Content-Length. */
function resend(raw: Raw, change: { url?: string; body?: Buffer; headers?: Record<string, string> } = {}): Promise<Outcome> {
  const body = change.body ?? raw.body;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(raw.headers)) if (v !== undefined && !['content-length', 'transfer-encoding', 'connection'].includes(k)) headers[k] = v;
  Object.assign(headers, change.headers ?? {});
  if (body.length > 0) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: raw.method, path: change.url ?? raw.url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// ---- the real SDKs ---------------------------------------------------------------------------------------------------

const credentialsModule = await import('@alicloud/credentials');
const core = await import('@alicloud/openapi-core');
const Credential = cjsDefault<typeof credentialsModule.default.default>(credentialsModule);
const OpenApiClient = cjsDefault<typeof core.default.default>(core);

function credential(key: { id: string; secret: string; token?: string }) {
  const config = key.token
    ? { type: 'sts', accessKeyId: key.id, accessKeySecret: key.secret, securityToken: key.token }
    : { type: 'access_key', accessKeyId: key.id, accessKeySecret: key.secret };
  return new Credential(new credentialsModule.Config(config));
}

function config(key: { id: string; secret: string; token?: string }, extra: Record<string, unknown> = {}) {
  return new core.$OpenApiUtil.Config({ endpoint: `127.0.0.1:${port}`, protocol: 'http', regionId: 'cn-hangzhou', credential: credential(key), ...extra });
}

async function stsClient(key: { id: string; secret: string; token?: string }) {
  const sts = await import('@alicloud/sts20150401');
  const Client = cjsDefault<typeof sts.default.default>(sts);
  return new Client(config(key));
}

/** An RPC call through openapi-core's generic callApi, parameters split between query and form body. */
async function rpcCall(key: { id: string; secret: string; token?: string }, extra: Record<string, unknown> = {}) {
  const client = new OpenApiClient(config(key, extra));
  const params = new core.$OpenApiUtil.Params({
    action: 'DescribeRegions',
    version: '2014-05-26',
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const request = new core.$OpenApiUtil.OpenApiRequest({
    query: core.OpenApiUtil.query({ RegionId: 'cn-hangzhou', Name: "a b+c*d~e!f'(g)/h=i&j 中文" }),
    body: { Description: "x y+z*~!'()/&=中", Tag: [{ Key: 'env', Value: 'p r*o+d' }] },
  });
  return client.callApi(params, request, new (await import('@darabonba/typescript')).RuntimeOptions({}));
}

interface SdkError {
  code?: string;
  statusCode?: number;
  message: string;
}
async function sdkError(run: () => Promise<unknown>): Promise<SdkError> {
  try {
    await run();
  } catch (e) {
    return e as SdkError;
  }
  assert.fail('the call was accepted');
}

function assertNoSecret(text: string) {
  for (const secret of ALL_SECRETS) assert.ok(!text.includes(secret), `"${text.slice(0, 80)}..." leaks a secret`);
}

describe('requests signed by the real SDKs are accepted', () => {
  it('STS client, ACS3-HMAC-SHA256 with an AccessKey', async () => {
    const client = await stsClient(GOOD);
    await client.getCallerIdentity();
    const { raw, outcome } = last();
    assert.match(String(raw.headers.authorization), /^ACS3-HMAC-SHA256 Credential=LTAIgoodKey0001,SignedHeaders=/);
    assert.equal(outcome.status, 200);
    assert.equal(outcome.json.AccessKeyId, GOOD.id);
  });

  it('STS client with STS credentials returns the security token', async () => {
    const client = await stsClient(TEMP);
    await client.getCallerIdentity();
    assert.equal(last().outcome.status, 200);
    assert.equal(last().outcome.json.SecurityToken, TEMP.token);
  });

  it('generic RPC callApi with query and a form body full of characters that need encoding', async () => {
    const res = (await rpcCall(GOOD)) as { body: { ok: boolean } };
    assert.equal(res.body.ok, true);
    const { raw } = last();
    assert.match(String(raw.headers['content-type']), /x-www-form-urlencoded/);
    assert.ok(raw.body.length > 0);
  });

  it('ROA call (CS DescribeClusterDetail) with a path that needs encoding', async () => {
    const cs = await import('@alicloud/cs20151215');
    const Client = cjsDefault<typeof cs.default.default>(cs);
    const client = new Client(config(GOOD));
    await client.describeClusterDetail('c-a*b*c~d e+f');
    const { raw, outcome } = last();
    assert.equal(outcome.status, 200, JSON.stringify(outcome.json));
    assert.match(raw.url, /^\/clusters\/c-a/);
  });

  it('ROA POST with a JSON body', async () => {
    const client = new OpenApiClient(config(GOOD));
    const params = new core.$OpenApiUtil.Params({
      action: 'CreateTrigger',
      version: '2015-12-15',
      protocol: 'HTTP',
      pathname: '/clusters/c-1/triggers',
      method: 'POST',
      authType: 'AK',
      style: 'ROA',
      reqBodyType: 'json',
      bodyType: 'json',
    });
    const request = new core.$OpenApiUtil.OpenApiRequest({ query: { dry: 'true' }, body: { cluster_id: 'c-1', type: 'deployment', note: 'ü *' } });
    await client.callApi(params, request, new (await import('@darabonba/typescript')).RuntimeOptions({}));
    assert.equal(last().outcome.status, 200, JSON.stringify(last().outcome.json));
    assert.match(String(last().raw.headers['content-type']), /application\/json/);
  });

  it('openapi-core RPC signature v1 (signatureAlgorithm v2), parameters in query and form body', async () => {
    await rpcCall(TEMP, { signatureAlgorithm: 'v2' });
    const { raw, outcome } = last();
    assert.equal(raw.headers.authorization, undefined);
    assert.match(raw.url, /[?&]Signature=/);
    assert.equal(outcome.status, 200, JSON.stringify(outcome.json));
    assert.equal(outcome.json.SecurityToken, TEMP.token);
  });

  it("@alicloud/credentials' RamRoleArn provider: its own v1-signed AssumeRole", async () => {
    const provider = ramRoleProvider(GOOD.secret);
    const session = await provider.getCredentials();
    assert.equal(session.accessKeyId, 'STS.assumed01');
    const { raw } = last();
    assert.equal(raw.method, 'POST');
    assert.match(raw.url, /SignatureMethod=HMAC-SHA1/);
    assert.match(raw.body.toString('utf8'), /RoleArn=/);
  });
});

/** The library hard-codes https for STS; its request object is public, so only the scheme is switched. */
function ramRoleProvider(secret: string) {
  const { RAMRoleARNCredentialsProvider, StaticAKCredentialsProvider } = credentialsModule;
  const source = StaticAKCredentialsProvider.builder().withAccessKeyId(GOOD.id).withAccessKeySecret(secret).build();
  const provider = RAMRoleARNCredentialsProvider.builder()
    .withCredentialsProvider(source)
    .withRoleArn('acs:ram::222222222222:role/acr-pull')
    .withRoleSessionName('sandbox-test')
    .withStsEndpoint(`127.0.0.1:${port}`)
    .build();
  const hooks = provider as unknown as { doRequest: (req: { protocol: string }) => Promise<unknown> };
  const send = hooks.doRequest;
  hooks.doRequest = (req) => {
    req.protocol = 'http';
    return send(req);
  };
  return provider;
}

describe('requests the gateway refuses', () => {
  it('a changed query parameter -> SignatureDoesNotMatch 400', async () => {
    await rpcCall(GOOD);
    const { raw } = last();
    const tampered = raw.url.replace('RegionId=cn-hangzhou', 'RegionId=cn-beijing');
    assert.notEqual(tampered, raw.url);
    const res = await resend(raw, { url: tampered });
    assert.equal(res.status, 400);
    assert.equal(res.json.Code, 'SignatureDoesNotMatch');
    assert.match(String(res.json.Message), /^Specified signature does not match our calculation\. server StringToSign is \[ACS3-HMAC-SHA256\n[0-9a-f]{64}\]/);
    assert.match(String(res.json.Message), /RegionId=cn-beijing/);
  });

  it('a changed body (x-acs-content-sha256 no longer matches) -> SignatureDoesNotMatch 400', async () => {
    await rpcCall(GOOD);
    const { raw } = last();
    const body = Buffer.from(raw.body.toString('utf8').replace('Description=', 'Description=evil'));
    const res = await resend(raw, { body });
    assert.equal(res.status, 400);
    assert.equal(res.json.Code, 'SignatureDoesNotMatch');
    const bodyHash = (await import('node:crypto')).createHash('sha256').update(body).digest('hex');
    assert.ok(String(res.json.Message).endsWith(`\n${bodyHash}]`), 'the server canonical request ends with the hash of the body it received');
  });

  it('a changed v1 form body (AssumeRole RoleArn) -> SignatureDoesNotMatch 400 with the v1 message', async () => {
    await ramRoleProvider(GOOD.secret).getCredentials();
    const { raw } = last();
    const res = await resend(raw, { body: Buffer.from(raw.body.toString('utf8').replace('acr-pull', 'admin')) });
    assert.equal(res.status, 400);
    assert.equal(res.json.Code, 'SignatureDoesNotMatch');
    assert.match(String(res.json.Message), /^Specified signature is not matched with our calculation\. server string to sign is:POST&%2F&AccessKeyId%3D/);
  });

  it('a wrong secret (ACS3) -> SignatureDoesNotMatch 400 through the SDK', async () => {
    const client = await stsClient({ id: GOOD.id, secret: WRONG_SECRET });
    const err = await sdkError(() => client.getCallerIdentity());
    assert.equal(err.code, 'SignatureDoesNotMatch');
    assert.equal(err.statusCode, 400);
    assertNoSecret(err.message);
  });

  it('a wrong secret (v1, RamRoleArn) -> the library recognises the server string to sign as its own', async () => {
    const err = await sdkError(() => ramRoleProvider(WRONG_SECRET).getCredentials());
    // @alicloud/credentials says this only when the server's string to sign equals the one it signed.
    assert.match(err.message, /the access key secret is invalid/);
    assert.equal(last().outcome.json.Code, 'SignatureDoesNotMatch');
  });

  it('an unknown AccessKey -> InvalidAccessKeyId.NotFound 404', async () => {
    const client = await stsClient({ id: 'LTAIunknown9999', secret: GOOD.secret });
    const err = await sdkError(() => client.getCallerIdentity());
    assert.equal(err.code, 'InvalidAccessKeyId.NotFound');
    assert.equal(err.statusCode, 404);
    assert.match(err.message, /Specified access key is not found\./);
  });

  it('a replayed ACS3 request -> SignatureNonceUsed 400', async () => {
    await (await stsClient(GOOD)).getCallerIdentity();
    const res = await resend(last().raw);
    assert.equal(res.status, 400);
    assert.equal(res.json.Code, 'SignatureNonceUsed');
    assert.equal(res.json.Message, 'Specified signature nonce was used already.');
  });

  it('a replayed v1 request -> SignatureNonceUsed 400', async () => {
    await ramRoleProvider(GOOD.secret).getCredentials();
    const res = await resend(last().raw);
    assert.equal(res.status, 400);
    assert.equal(res.json.Code, 'SignatureNonceUsed');
  });

  it('a captured request presented 16 minutes later, or 16 minutes early -> InvalidTimeStamp.Expired 400', async () => {
    await rpcCall(GOOD);
    const { raw } = last();
    for (const shift of [16 * 60_000, -16 * 60_000]) {
      clockShiftMs = shift;
      const res = await resend(raw);
      assert.equal(res.status, 400);
      assert.equal(res.json.Code, 'InvalidTimeStamp.Expired');
      assert.equal(res.json.Message, 'Specified time stamp or date value is expired.');
    }
    // Directly, too: a fresh nonce cache, the same request, the clock 16 minutes on.
    assert.throws(
      () => verifySignature(toIncoming(raw), lookup, new Date(Date.now() + 16 * 60_000), new NonceCache()),
      (e: unknown) => e instanceof SignatureError && e.code === 'InvalidTimeStamp.Expired' && e.status === 400,
    );
  });

  it('missing or garbled Authorization, unsigned common headers', async () => {
    await (await stsClient(GOOD)).getCallerIdentity();
    const { raw } = last();
    const garbled = await resend(raw, { headers: { authorization: 'ACS3-HMAC-SHA256 garbage', 'x-acs-signature-nonce': 'n-1' } });
    assert.equal(garbled.json.Code, 'IncompleteSignature');
    assert.equal(garbled.status, 400);
    const legacy = await resend(raw, { headers: { authorization: 'acs LTAIgoodKey0001:abc=' } });
    assert.equal(legacy.json.Code, 'IncompleteSignature');
    const unsigned = await resend(raw, { headers: { 'x-acs-extra': 'slipped-in' } });
    assert.equal(unsigned.json.Code, 'IncompleteSignature');
    const { authorization: _drop, ...headers } = raw.headers;
    const none = await resend({ ...raw, headers });
    assert.equal(none.json.Code, 'MissingAccessKeyId');
  });

  it('no error message ever carries a secret', () => {
    const refusals = outcomes.filter((o) => o.status !== 200);
    assert.ok(refusals.length >= 8);
    for (const o of refusals) assertNoSecret(JSON.stringify(o.json));
  });
});

describe('NonceCache', () => {
  it('refuses a nonce within the window and forgets it after', () => {
    const cache = new NonceCache();
    const t0 = new Date('2025-01-01T00:00:00Z');
    assert.equal(cache.claim('AK', 'n1', t0), true);
    assert.equal(cache.claim('AK', 'n1', new Date(t0.getTime() + 14 * 60_000)), false);
    assert.equal(cache.claim('OTHER', 'n1', t0), true, 'nonces are per AccessKey');
    assert.equal(cache.claim('AK', 'n1', new Date(t0.getTime() + SIGNATURE_WINDOW_MS + 1)), true);
  });

  it('evicts expired entries, even after the clock went backwards', () => {
    const cache = new NonceCache(SIGNATURE_WINDOW_MS, 100);
    const t0 = Date.parse('2025-01-01T00:00:00Z');
    // 50 nonces stamped an hour ahead, then 500 at t0: the early ones sit behind entries that live longer.
    for (let i = 0; i < 50; i++) cache.claim('AK', `late-${i}`, new Date(t0 + 60 * 60_000));
    for (let i = 0; i < 500; i++) cache.claim('AK', `early-${i}`, new Date(t0));
    assert.equal(cache.size, 550, 'nothing has expired yet');
    // Half an hour on, the 500 have expired; 300 fresh ones arrive. Live: 350.
    for (let i = 0; i < 300; i++) cache.claim('AK', `mid-${i}`, new Date(t0 + 30 * 60_000));
    assert.ok(cache.size <= 2 * 350 + 100, `size ${cache.size} is bounded by the live entries`);
    assert.ok(cache.size < 850, 'expired entries behind live ones were swept');
    cache.claim('AK', 'final', new Date(t0 + 2 * 60 * 60_000));
    assert.equal(cache.size, 1);
  });
});
