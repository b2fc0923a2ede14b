import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import { assumedRoleCredential, listCliProfiles, resolveCredential } from '../src/cloud/credentials.js';
import { confirmIdentities } from '../src/cloud/identity.js';
import { Cloud } from '../src/cloud/session.js';
import { assumeRole } from '../src/cloud/sts.js';
import { UserError } from '../src/errors.js';
import { redact } from '../src/secrets.js';
import { startFakeCloud, staticCredential, type FakeCloud } from './helpers/fake-cloud.js';

const home = mkdtempSync(join(tmpdir(), 'acrx-home-'));
const savedEnv = { ...process.env };

before(() => {
  mkdirSync(join(home, '.aliyun'));
  writeFileSync(
    join(home, '.aliyun', 'config.json'),
    JSON.stringify({
      current: 'prod-a',
      profiles: [
        { name: 'prod-a', mode: 'AK', access_key_id: 'LTAIprodA0001', access_key_secret: 'prodA-secret-aaaaaaaa', region_id: 'cn-hangzhou' },
        { name: 'sts-b', mode: 'StsToken', access_key_id: 'STS.tempB0001', access_key_secret: 'stsB-secret-bbbbbbbb', sts_token: 'stsB-token-cccccccccc', region_id: 'cn-shanghai' },
        { name: 'chain-b', mode: 'RamRoleArn', access_key_id: 'LTAIsrc', access_key_secret: 'src-secret-dddddddd', ram_role_arn: 'acs:ram::2222:role/ops', ram_session_name: 's' },
        { name: 'on-ecs', mode: 'EcsRamRole', ram_role_name: 'node-role' },
      ],
    }),
  );
  mkdirSync(join(home, '.alibabacloud'));
  writeFileSync(join(home, '.alibabacloud', 'credentials'), '[shared-b]\ntype = access_key\naccess_key_id = LTAIsharedB01\naccess_key_secret = sharedB-secret-eeeeeeee\n');
});

// The SDK reads HOME through os.homedir(), which sees only in-place changes to process.env.
beforeEach(() => {
  process.env.HOME = home;
  process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
  for (const key of ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABA_CLOUD_PROFILE', 'ALIBABA_CLOUD_CREDENTIALS_FILE']) delete process.env[key];
});
after(() => {
  process.env.HOME = savedEnv.HOME;
});

async function values(spec: { profile?: string }) {
  const handle = resolveCredential(spec, 'A', home);
  const model = await (await handle.credential()).getCredential();
  return { source: handle.source, id: model.accessKeyId, secret: model.accessKeySecret, token: model.securityToken };
}

describe('credential resolution', () => {
  it('reads an AK profile from the aliyun CLI config', async () => {
    const v = await values({ profile: 'prod-a' });
    assert.equal(v.id, 'LTAIprodA0001');
    assert.equal(v.secret, 'prodA-secret-aaaaaaaa');
    assert.match(v.source, /profile "prod-a" .*config\.json, mode AK/);
  });

  it('reads a StsToken profile, token included', async () => {
    const v = await values({ profile: 'sts-b' });
    assert.equal(v.id, 'STS.tempB0001');
    assert.equal(v.token, 'stsB-token-cccccccccc');
  });

  it('names the mode of a role-chaining profile without contacting anything yet', () => {
    assert.match(resolveCredential({ profile: 'chain-b' }, 'B', home).source, /mode RamRoleArn/);
    assert.match(resolveCredential({ profile: 'on-ecs' }, 'B', home).source, /mode EcsRamRole/);
  });

  it('falls back to ~/.alibabacloud/credentials for a profile the CLI config lacks', async () => {
    const v = await values({ profile: 'shared-b' });
    assert.equal(v.id, 'LTAIsharedB01');
    assert.match(v.source, /\.alibabacloud\/credentials/);
  });

  it('uses the environment variables when no profile is named', async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'LTAIfromEnv01';
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'env-secret-ffffffff';
    const v = await values({});
    assert.equal(v.id, 'LTAIfromEnv01');
    assert.match(v.source, /environment variables/);
  });

  it("uses the CLI's current profile through the default chain", async () => {
    const v = await values({});
    assert.equal(v.id, 'LTAIprodA0001');
  });

  it('an unknown profile lists the known ones and how to create it', () => {
    assert.throws(
      () => resolveCredential({ profile: 'nope' }, 'B', home),
      (e: unknown) =>
        e instanceof UserError &&
        /account B: no profile named "nope"/.test(e.message) &&
        /prod-a, sts-b, chain-b, on-ecs, shared-b/.test(e.message) &&
        /aliyun configure --profile nope/.test(e.message),
    );
    assert.deepEqual(listCliProfiles(home).map((p) => p.name), ['prod-a', 'sts-b', 'chain-b', 'on-ecs']);
  });

  it('registers every secret it hands out, so redact() masks it', async () => {
    await values({ profile: 'sts-b' });
    assert.equal(redact('token=stsB-token-cccccccccc secret=stsB-secret-bbbbbbbb'), 'token=*** secret=***');
  });
});

describe('identities and --role-b', () => {
  let fake: FakeCloud;
  const accounts: Record<string, string> = { LTAIaaaa: '1000000000000001', LTAIbbbb: '2000000000000002', 'STS.assumed': '2000000000000002' };
  before(async () => {
    fake = await startFakeCloud((req) => {
      if (req.action === 'GetCallerIdentity') {
        const id = accounts[req.accessKeyId ?? ''];
        return id ? { body: { AccountId: id, Arn: `acs:ram::${id}:user/x`, IdentityType: 'RAMUser', PrincipalId: 'p', RequestId: 'r' } } : { status: 404, body: { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.', RequestId: 'r' } };
      }
      if (req.action === 'AssumeRole') {
        assert.equal(req.accessKeyId, 'LTAIaaaa', "AssumeRole is signed with A's key");
        assert.equal(req.params.RoleArn, 'acs:ram::2000000000000002:role/ResourceDirectoryAccountAccessRole');
        return {
          body: {
            RequestId: 'ar',
            Credentials: { AccessKeyId: 'STS.assumed', AccessKeySecret: 'assumed-secret-gggggggg', SecurityToken: 'assumed-token-hhhhhhhhhh', Expiration: new Date(Date.now() + 3600_000).toISOString() },
            AssumedRoleUser: { Arn: 'acs:ram::2000000000000002:role/resourcedirectoryaccountaccessrole/acr-xaccount', AssumedRoleId: 'x' },
          },
        };
      }
      return undefined;
    });
  });
  after(() => fake.close());

  const newCloud = () => new Cloud({ endpoints: { sts: { endpoint: fake.endpoint, protocol: 'http' } }, retry: { maxAttempts: 1, maxElapsedMs: 1000, baseDelayMs: 1, maxDelayMs: 1 } });

  it('confirms two different accounts', async () => {
    const cloud = newCloud();
    cloud.addAccount('A', 'cn-hangzhou', staticCredential('LTAIaaaa', 'a-secret-123456'));
    cloud.addAccount('B', 'cn-hangzhou', staticCredential('LTAIbbbb', 'b-secret-123456'));
    const ids = await confirmIdentities(cloud);
    assert.equal(ids.A.accountId, '1000000000000001');
    assert.equal(ids.B.accountId, '2000000000000002');
  });

  it('refuses A and B being the same account', async () => {
    const cloud = newCloud();
    cloud.addAccount('A', 'cn-hangzhou', staticCredential('LTAIaaaa', 'a-secret-123456'));
    cloud.addAccount('B', 'cn-hangzhou', staticCredential('LTAIaaaa', 'a-secret-123456'));
    await assert.rejects(confirmIdentities(cloud), (e: unknown) => e instanceof UserError && /same account \(1000000000000001\)/.test(e.message) && /--profile-b/.test(e.message));
  });

  it('names the account and the fix when a key is refused', async () => {
    const cloud = newCloud();
    cloud.addAccount('A', 'cn-hangzhou', staticCredential('LTAIaaaa', 'a-secret-123456'));
    cloud.addAccount('B', 'cn-hangzhou', staticCredential('LTAIunknown', 'u-secret-123456'));
    await assert.rejects(confirmIdentities(cloud), (e: unknown) => e instanceof UserError && /account B: could not confirm.*InvalidAccessKeyId\.NotFound/s.test(e.message) && /--profile-b/.test(e.message));
  });

  it("--role-b assumes the role with A's credentials through the STS SDK and the endpoint override", async () => {
    fake.reset();
    const cloud = newCloud();
    cloud.addAccount('A', 'cn-hangzhou', staticCredential('LTAIaaaa', 'a-secret-123456'));
    const roleArn = 'acs:ram::2000000000000002:role/ResourceDirectoryAccountAccessRole';
    cloud.addAccount('B', 'cn-hangzhou', assumedRoleCredential(roleArn, () => assumeRole(cloud.account('A'), { roleArn, roleSessionName: 'acr-xaccount' })));
    const ids = await confirmIdentities(cloud);
    assert.equal(ids.B.accountId, '2000000000000002');
    const identityCallB = fake.requests.find((r) => r.action === 'GetCallerIdentity' && r.accessKeyId === 'STS.assumed');
    assert.equal(identityCallB?.securityToken, 'assumed-token-hhhhhhhhhh');
    assert.deepEqual(cloud.log.records.filter((r) => r.action === 'AssumeRole').map((r) => r.account), ['A']);
    assert.doesNotMatch(JSON.stringify(cloud.log.records), /assumed-secret|assumed-token/);
    assert.equal(redact('assumed-token-hhhhhhhhhh'), '***');
  });
});
