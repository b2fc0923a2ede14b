import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import { DryRunWriteError } from '../src/cloud/errors.js';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from '../src/cloud/retry.js';
import { Cloud } from '../src/cloud/session.js';
import { getCallerIdentity } from '../src/cloud/sts.js';
import { startFakeCloud, staticCredential, type FakeCloud, type FakeHandler } from './helpers/fake-cloud.js';

const FAST: RetryPolicy = { maxAttempts: 5, maxElapsedMs: 10_000, baseDelayMs: 1, maxDelayMs: 5 };
const identity = { AccountId: '1111222233334444', Arn: 'acs:ram::1111222233334444:user/ops', IdentityType: 'RAMUser', PrincipalId: 'p1', RequestId: 'r-ok' };

let handler: FakeHandler = () => undefined;
let fake: FakeCloud;
before(async () => {
  fake = await startFakeCloud((req, nth) => handler(req, nth));
});
after(() => fake.close());
beforeEach(() => fake.reset());

function cloudFor(options: { retry?: RetryPolicy; dryRun?: boolean; now?: () => number } = {}) {
  const cloud = new Cloud({
    endpoints: { sts: { endpoint: fake.endpoint, protocol: 'http' }, cr: { endpoint: fake.endpoint, protocol: 'http' } },
    retry: options.retry ?? FAST,
    dryRun: options.dryRun,
    retryHooks: options.now ? { now: options.now, sleep: async () => {} } : undefined,
  });
  cloud.addAccount('A', 'cn-hangzhou', staticCredential('LTAIretrytest', 'retry-secret-value-123'));
  return cloud;
}

describe('retries', () => {
  it('retries Throttling and 503, then succeeds; the call log shows one call with 3 attempts', async () => {
    handler = (req, nth) => {
      if (req.action !== 'GetCallerIdentity') return undefined;
      if (nth === 1) return { status: 400, body: { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.', RequestId: 'r1' } };
      if (nth === 2) return { status: 503, body: { Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.', RequestId: 'r2' } };
      return { body: identity };
    };
    const cloud = cloudFor();
    const who = await getCallerIdentity(cloud.account('A'));
    assert.equal(who.accountId, '1111222233334444');
    assert.equal(fake.requests.filter((r) => r.action === 'GetCallerIdentity').length, 3);
    assert.equal(cloud.log.records.length, 1);
    const [record] = cloud.log.records;
    assert.deepEqual(
      { account: record!.account, product: record!.product, action: record!.action, kind: record!.kind, attempts: record!.attempts, outcome: record!.outcome, requestId: record!.requestId },
      { account: 'A', product: 'Sts', action: 'GetCallerIdentity', kind: 'read', attempts: 3, outcome: 'ok', requestId: 'r-ok' },
    );
  });

  it('retries a dropped connection', async () => {
    handler = (req, nth) => (req.action === 'GetCallerIdentity' ? (nth === 1 ? { destroy: true } : { body: identity }) : undefined);
    const cloud = cloudFor();
    await getCallerIdentity(cloud.account('A'));
    assert.equal(cloud.log.records[0]!.attempts, 2);
  });

  it('does not retry a final error, and reports its code, message and request ID', async () => {
    let calls = 0;
    handler = (req) => {
      if (req.action !== 'GetCallerIdentity') return undefined;
      calls++;
      return { status: 404, body: { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.', RequestId: 'r-404' } };
    };
    const cloud = cloudFor();
    await assert.rejects(getCallerIdentity(cloud.account('A')), (e: any) => {
      assert.equal(e.code, 'InvalidAccessKeyId.NotFound');
      assert.equal(e.message, 'Specified access key is not found.');
      assert.equal(e.requestId, 'r-404');
      assert.equal(e.statusCode, 404);
      return true;
    });
    assert.equal(calls, 1);
    assert.equal(cloud.log.records[0]!.outcome, 'InvalidAccessKeyId.NotFound');
  });

  it('gives up after maxAttempts', async () => {
    let calls = 0;
    handler = (req) => {
      if (req.action !== 'GetCallerIdentity') return undefined;
      calls++;
      return { status: 500, body: { Code: 'InternalError', Message: 'boom', RequestId: 'r500' } };
    };
    const cloud = cloudFor({ retry: { ...FAST, maxAttempts: 3 } });
    await assert.rejects(getCallerIdentity(cloud.account('A')), { code: 'InternalError' });
    assert.equal(calls, 3);
    assert.equal(cloud.log.records[0]!.attempts, 3);
  });

  it('gives up when the next wait would pass maxElapsedMs', async () => {
    let calls = 0;
    let clock = 0;
    handler = (req) => {
      if (req.action !== 'GetCallerIdentity') return undefined;
      calls++;
      clock += 4_000; // each attempt "takes" four seconds
      return { status: 400, body: { Code: 'Throttling', Message: 'slow down', RequestId: 'rt' } };
    };
    const cloud = cloudFor({ retry: { maxAttempts: 100, maxElapsedMs: 10_000, baseDelayMs: 1, maxDelayMs: 1 }, now: () => clock });
    await assert.rejects(getCallerIdentity(cloud.account('A')), { code: 'Throttling' });
    assert.equal(calls, 3, 'attempts at 4s, 8s; the third pushes past 10s');
  });

  it('retries the product-documented transient codes (cr has none; vpcpeer IncorrectStatus.VpcPeer is one)', async () => {
    handler = (req, nth) => {
      if (req.action !== 'GetInstance') return undefined;
      return nth === 1 ? { status: 400, body: { Code: 'IncorrectStatus.VpcPeer', Message: 'busy', RequestId: 'x' } } : { body: { RequestId: 'y', InstanceId: 'cri-1' } };
    };
    const cloud = cloudFor();
    await assert.rejects(cloud.account('A').rpc('cr', 'GetInstance', { InstanceId: 'cri-1' }), { code: 'IncorrectStatus.VpcPeer' });
    const ok = await cloud.account('A').rpc<{ InstanceId: string }>('cr', 'GetInstance', { InstanceId: 'cri-1' }, { retryOn: ['IncorrectStatus.VpcPeer'] });
    assert.equal(ok.InstanceId, 'cri-1');
  });

  it('backoff grows exponentially, is capped, and is jittered', () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(backoffDelay(p, 1, () => 1), 100);
    assert.equal(backoffDelay(p, 3, () => 1), 400);
    assert.equal(backoffDelay(p, 10, () => 1), 1000);
    assert.equal(backoffDelay(p, 3, () => 0.5), 200);
    assert.equal(backoffDelay(p, 3, () => 0), 0);
  });
});

describe('dry-run guard', () => {
  it('refuses a write call before it is sent, and still sends reads', async () => {
    handler = (req) => (req.action === 'GetInstance' ? { body: { RequestId: 'g', InstanceId: 'cri-1' } } : { body: { RequestId: 'w' } });
    const cloud = cloudFor({ dryRun: true });
    await assert.rejects(
      cloud.account('A').rpc('cr', 'CreateInstanceEndpointAclPolicy', { InstanceId: 'cri-1', EndpointType: 'internet', Entry: '1.2.3.4/32' }),
      (e: unknown) => e instanceof DryRunWriteError && /refused to send cr CreateInstanceEndpointAclPolicy in account A/.test((e as Error).message),
    );
    await cloud.account('A').rpc('cr', 'GetInstance', { InstanceId: 'cri-1' });
    assert.deepEqual(fake.requests.map((r) => r.action), ['GetInstance']);
    assert.deepEqual(cloud.log.records.map((r) => `${r.action}:${r.outcome}`), ['CreateInstanceEndpointAclPolicy:blocked', 'GetInstance:ok']);
    assert.equal(cloud.log.writes().length, 0);
  });

  it('never writes the secret into the call log or the request parameters it records', async () => {
    handler = () => ({ body: { RequestId: 'w' } });
    const cloud = cloudFor();
    await cloud.account('A').rpc('cr', 'ResetLoginPassword', { InstanceId: 'cri-1', Password: 'Sup3r-S3cret-pass' });
    const text = JSON.stringify(cloud.log.records);
    assert.doesNotMatch(text, /Sup3r-S3cret-pass/);
    assert.doesNotMatch(text, /retry-secret-value-123/);
    assert.match(text, /"Password":"\*\*\*"/);
  });
});
