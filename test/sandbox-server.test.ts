// The sandbox server with the real SDK clients: routing, signatures, identities, validation, JSON errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import { confirmIdentities } from '../src/cloud/identity.js';
import { Cloud } from '../src/cloud/session.js';
import { getCallerIdentity } from '../src/cloud/sts.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { staticCredential } from './helpers/fake-cloud.js';

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({ ephemeral: true, scenario: 'default' });
});
after(() => sandbox.close());

const FAST = { maxAttempts: 3, maxElapsedMs: 5_000, baseDelayMs: 1, maxDelayMs: 2 };

function cloudWith(a: { id: string; secret: string }, b = a) {
  const cloud = new Cloud({ endpoints: Object.fromEntries(['ram', 'vpc', 'cs', 'sts', 'ims', 'ecs', 'cr', 'cbn', 'vpcpeer', 'pvtz'].map((p) => [p, { endpoint: sandbox.endpoint, protocol: 'http' as const }])), retry: FAST });
  cloud.addAccount('A', 'cn-hangzhou', staticCredential(a.id, a.secret));
  cloud.addAccount('B', 'cn-hangzhou', staticCredential(b.id, b.secret));
  return cloud;
}

describe('sandbox server', () => {
  it('identifies each account from its AccessKey', async () => {
    const { A, B } = sandbox.accounts;
    const ids = await confirmIdentities(cloudWith({ id: A.accessKeyId, secret: A.accessKeySecret }, { id: B.accessKeyId, secret: B.accessKeySecret }));
    assert.equal(ids.A.accountId, A.accountId);
    assert.equal(ids.B.accountId, B.accountId);
    assert.equal(ids.A.arn, `acs:ram::${A.accountId}:root`);
  });

  it('refuses a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId.NotFound', async () => {
    const { A } = sandbox.accounts;
    await assert.rejects(getCallerIdentity(cloudWith({ id: A.accessKeyId, secret: 'not-the-secret' }).account('A')), { code: 'SignatureDoesNotMatch' });
    await assert.rejects(getCallerIdentity(cloudWith({ id: 'LTAInobody', secret: 'x' }).account('A')), { code: 'InvalidAccessKeyId.NotFound' });
  });

  it('answers an action it does not know with InvalidAction.NotFound, as JSON', async () => {
    const { A } = sandbox.accounts;
    const cloud = cloudWith({ id: A.accessKeyId, secret: A.accessKeySecret });
    await assert.rejects(cloud.account('A').rpc('cr', 'NoSuchAction', {}), { code: 'InvalidAction.NotFound' });
  });

  it('injected throttling is retried by the client', async () => {
    const { A } = sandbox.accounts;
    sandbox.addFault('throttle:sts:GetCallerIdentity:1');
    const cloud = cloudWith({ id: A.accessKeyId, secret: A.accessKeySecret });
    await getCallerIdentity(cloud.account('A'));
    assert.equal(cloud.log.records[0]!.attempts, 2);
  });
});
