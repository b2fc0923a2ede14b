// RAM, STS and IMS in the sandbox, driven with the project's real clients: roles and trust, policies and versions,
// attachments, users and AccessKeys, every conflict code, AssumeRole / AssumeRoleWithOIDC, the authorizer, and
// every handler's response checked against the spec.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import { assumedRoleCredential, type CredentialHandle } from '../src/cloud/credentials.js';
import { getOIDCProvider, listOIDCProviders } from '../src/cloud/ims.js';
import * as ram from '../src/cloud/ram.js';
import { sdkCaller, sdkRequest } from '../src/cloud/sdk-call.js';
import { Cloud, type AccountClient } from '../src/cloud/session.js';
import { assumeRole, getCallerIdentity } from '../src/cloud/sts.js';
import type { CallContext, Caller } from '../src/sandbox/api.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { authorize } from '../src/sandbox/policy.js';
import { ims as imsModule } from '../src/sandbox/products/ims.js';
import { ram as ramModule } from '../src/sandbox/products/ram.js';
import { sts as stsModule } from '../src/sandbox/products/sts.js';
import { loadSpecs, validateResponse } from '../src/sandbox/spec.js';
import { mintOidcToken, registerOidcProvider } from '../src/sandbox/state/ims.js';
import { World } from '../src/sandbox/world.js';
import { staticCredential } from './helpers/fake-cloud.js';

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({ ephemeral: true, scenario: 'bare', authorize });
});
after(() => sandbox.close());

const FAST = { maxAttempts: 1, maxElapsedMs: 5_000, baseDelayMs: 1, maxDelayMs: 2 };
const PRODUCTS = ['ram', 'vpc', 'cs', 'sts', 'ims', 'ecs', 'cr', 'cbn', 'vpcpeer', 'pvtz'];

/** A cloud whose account A signs with the given credential. */
function cloudWith(credential: CredentialHandle): AccountClient {
  const cloud = new Cloud({ endpoints: Object.fromEntries(PRODUCTS.map((p) => [p, { endpoint: sandbox.endpoint, protocol: 'http' as const }])), retry: FAST });
  cloud.addAccount('A', 'cn-hangzhou', credential);
  return cloud.account('A');
}
const rootOf = (who: 'A' | 'B') => cloudWith(staticCredential(sandbox.accounts[who].accessKeyId, sandbox.accounts[who].accessKeySecret));
const trustRoot = (accountId: string): ram.PolicyDocument => ({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${accountId}:root`] } }] });
const doc = (Action: string | string[], Resource = '*'): ram.PolicyDocument => ({ Version: '1', Statement: [{ Effect: 'Allow', Action, Resource }] });

/** A RAM user in the root's account with an AccessKey, and a client signing as that user. */
async function newUser(root: AccountClient, userName: string, policies: string[] = []): Promise<AccountClient> {
  await ram.createUser(root, { userName });
  for (const p of policies) await ram.attachPolicyToUser(root, userName, p, 'System');
  const key = await ram.createAccessKey(root, userName);
  return cloudWith(staticCredential(key.accessKeyId, key.accessKeySecret.reveal()));
}

describe('RAM roles and trust policies', () => {
  it('creates a role with its trust policy, refuses a duplicate name in any case, updates and reads it back', async () => {
    const a = rootOf('A');
    const role = await ram.createRole(a, { roleName: 'AcrPullRole', trustPolicy: trustRoot(sandbox.accounts.B.accountId), maxSessionDuration: 7200, description: 'pull' });
    assert.equal(role.arn, `acs:ram::${sandbox.accounts.A.accountId}:role/AcrPullRole`);
    assert.match(role.roleId, /^\d{16}$/);
    assert.equal(role.maxSessionDuration, 7200);
    await assert.rejects(ram.createRole(a, { roleName: 'acrpullrole', trustPolicy: trustRoot('1') }), { code: 'EntityAlreadyExists.Role' });
    const trust: ram.PolicyDocument = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }] };
    const updated = await ram.updateRole(a, 'AcrPullRole', { trustPolicy: trust, maxSessionDuration: 43200 });
    assert.deepEqual(updated.assumeRolePolicy, trust);
    assert.equal((await ram.getRole(a, 'acrPULLrole'))?.maxSessionDuration, 43200);
    assert.ok((await ram.listRoles(a)).some((r) => r.roleName === 'AcrPullRole'));
    assert.equal(await ram.getRole(a, 'NoSuchRole'), undefined);
  });

  it('enforces MaxSessionDuration 3600..43200, a Principal in trust policies, RAM name rules and required names', async () => {
    const a = rootOf('A');
    await assert.rejects(ram.createRole(a, { roleName: 'short', trustPolicy: trustRoot('1'), maxSessionDuration: 1800 }), { code: 'InvalidParameter.MaxSessionDuration' });
    await assert.rejects(ram.createRole(a, { roleName: 'long', trustPolicy: trustRoot('1'), maxSessionDuration: 50000 }), { code: 'InvalidParameter.MaxSessionDuration' });
    const noPrincipal = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] } as ram.PolicyDocument;
    await assert.rejects(ram.createRole(a, { roleName: 'np', trustPolicy: noPrincipal }), { code: 'MalformedPolicyDocument' });
    await assert.rejects(ram.createRole(a, { roleName: 'bad_name', trustPolicy: trustRoot('1') }), { code: 'InvalidParameter.RoleName.InvalidChars' });
    await assert.rejects(ram.createRole(a, { roleName: '', trustPolicy: trustRoot('1') }), { code: 'MissingRoleName' });
    await assert.rejects(ram.updateRole(a, 'NoSuchRole', { maxSessionDuration: 3600 }), { code: 'EntityNotExist.Role' });
  });
});

describe('RAM custom policies and versions', () => {
  it('keeps at most five versions, rotates on request, protects the default version', async () => {
    const a = rootOf('A');
    await ram.createPolicy(a, { policyName: 'acr-pull', document: doc('cr:PullRepository') });
    await assert.rejects(ram.createPolicy(a, { policyName: 'ACR-PULL', document: doc('cr:*') }), { code: 'EntityAlreadyExists.Policy' });
    for (let i = 2; i <= 5; i++) assert.equal((await ram.createPolicyVersion(a, 'acr-pull', doc(['cr:PullRepository', `cr:GetInstance${i}`]))).versionId, `v${i}`);
    await assert.rejects(ram.createPolicyVersion(a, 'acr-pull', doc('cr:GetRepository')), { code: 'LimitExceeded.Policy.Version' });
    const rotated = await ram.createPolicyVersion(a, 'acr-pull', doc('cr:GetRepository'), { rotateOldest: true });
    assert.equal(rotated.versionId, 'v6');
    const versions = await ram.listPolicyVersions(a, 'acr-pull');
    assert.deepEqual(versions.map((v) => v.versionId), ['v2', 'v3', 'v4', 'v5', 'v6']);
    assert.equal(versions.find((v) => v.isDefaultVersion)?.versionId, 'v6');
    const policy = await ram.getPolicy(a, 'acr-pull');
    assert.equal(policy?.defaultVersion, 'v6');
    assert.deepEqual(policy?.document, doc('cr:GetRepository'));
    const notDefault = await ram.createPolicyVersion(a, 'acr-pull', doc('cr:List*'), { setAsDefault: false, rotateOldest: true });
    assert.equal(notDefault.isDefaultVersion, false);
    await assert.rejects(ram.deletePolicyVersion(a, 'acr-pull', 'v6'), { code: 'DeleteConflict.Policy.Version.Default' });
    assert.equal(await ram.deletePolicyVersion(a, 'acr-pull', 'v3'), true);
    assert.equal(await ram.deletePolicyVersion(a, 'acr-pull', 'v3'), false);
    await assert.rejects(ram.deletePolicy(a, 'acr-pull'), { code: 'DeleteConflict.Policy.Version' });
    assert.equal(await ram.deletePolicy(a, 'acr-pull', { cascade: true }), true);
    assert.equal(await ram.getPolicy(a, 'acr-pull'), undefined);
  });

  it('refuses malformed documents and unknown policies', async () => {
    const a = rootOf('A');
    await assert.rejects(ram.createPolicy(a, { policyName: 'broken', document: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'cr:*' }] } }), { code: 'MalformedPolicyDocument' });
    await assert.rejects(ram.createPolicy(a, { policyName: 'v2doc', document: { Version: '2', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }), { code: 'MalformedPolicyDocument' });
    await assert.rejects(ram.createPolicyVersion(a, 'no-such-policy', doc('*')), { code: 'EntityNotExist.Policy' });
    assert.equal((await ram.getPolicy(a, 'AliyunSTSAssumeRoleAccess', 'System'))?.document?.Statement[0]?.Action, 'sts:AssumeRole');
  });
});

describe('RAM attachments', () => {
  it('attaches system and custom policies to roles and users, lists both ways, and guards deletes', async () => {
    const a = rootOf('A');
    await ram.createRole(a, { roleName: 'attach-role', trustPolicy: trustRoot(sandbox.accounts.A.accountId) });
    await ram.createPolicy(a, { policyName: 'attach-policy', document: doc('cr:GetInstance') });
    await ram.attachPolicyToRole(a, 'attach-role', 'attach-policy');
    // System policy names are matched case-insensitively and stored under their own spelling.
    await ram.attachPolicyToRole(a, 'attach-role', 'aliyuncontainerregistryreadonlyaccess', 'System');
    await assert.rejects(ram.attachPolicyToRole(a, 'attach-role', 'attach-policy'), { code: 'EntityAlreadyExists.Role.Policy' });
    await assert.rejects(ram.attachPolicyToRole(a, 'attach-role', 'NoSuchSystemPolicy', 'System'), { code: 'EntityNotExist.Policy' });
    await assert.rejects(ram.attachPolicyToRole(a, 'ghost-role', 'attach-policy'), { code: 'EntityNotExist.Role' });
    const onRole = await ram.listPoliciesForRole(a, 'attach-role');
    assert.deepEqual(onRole.map((p) => [p.policyType, p.policyName]), [['Custom', 'attach-policy'], ['System', 'AliyunContainerRegistryReadOnlyAccess']]);
    await ram.createUser(a, { userName: 'attach-user' });
    await ram.attachPolicyToUser(a, 'attach-user', 'attach-policy');
    await assert.rejects(ram.attachPolicyToUser(a, 'attach-user', 'attach-policy'), { code: 'EntityAlreadyExists.User.Policy' });
    const entities = await ram.listEntitiesForPolicy(a, 'attach-policy');
    assert.deepEqual([entities.roles.map((r) => r.roleName), entities.users.map((u) => u.userName)], [['attach-role'], ['attach-user']]);
    assert.equal((await ram.getPolicy(a, 'attach-policy'))?.attachmentCount, 2);

    await assert.rejects(ram.deletePolicy(a, 'attach-policy'), { code: 'DeleteConflict.Policy.User' });
    assert.equal(await ram.detachPolicyFromUser(a, 'attach-user', 'attach-policy'), true);
    assert.equal(await ram.detachPolicyFromUser(a, 'attach-user', 'attach-policy'), false);
    await assert.rejects(ram.deletePolicy(a, 'attach-policy'), { code: 'DeleteConflict.Role.Policy' });
    await assert.rejects(ram.deleteRole(a, 'attach-role'), { code: 'DeleteConflict.Role.Policy' });
    assert.equal(await ram.detachPolicyFromRole(a, 'attach-role', 'attach-policy'), true);
    assert.equal(await ram.detachPolicyFromRole(a, 'attach-role', 'AliyunContainerRegistryReadOnlyAccess', 'System'), true);
    assert.equal(await ram.deleteRole(a, 'attach-role'), true);
    assert.equal(await ram.deleteRole(a, 'attach-role'), false);
    assert.equal(await ram.deletePolicy(a, 'attach-policy'), true);
  });
});

describe('RAM users and AccessKeys', () => {
  it('allows two keys per user, never lists a secret, and a new key signs requests at once', async () => {
    const a = rootOf('A');
    await ram.createUser(a, { userName: 'ci-bot', displayName: 'CI' });
    await assert.rejects(ram.createUser(a, { userName: 'CI-BOT' }), { code: 'EntityAlreadyExists.User' });
    const first = await ram.createAccessKey(a, 'ci-bot');
    const second = await ram.createAccessKey(a, 'ci-bot');
    await assert.rejects(ram.createAccessKey(a, 'ci-bot'), { code: 'LimitExceeded.User.AccessKey' });
    const listed = await ram.listAccessKeys(a, 'ci-bot');
    assert.deepEqual(listed.map((k) => k.accessKeyId).sort(), [first.accessKeyId, second.accessKeyId].sort());
    assert.ok(listed.every((k) => !('accessKeySecret' in k) && k.status === 'Active'));

    const asUser = cloudWith(staticCredential(first.accessKeyId, first.accessKeySecret.reveal()));
    const who = await getCallerIdentity(asUser);
    assert.equal(who.identityType, 'RAMUser');
    assert.equal(who.arn, `acs:ram::${sandbox.accounts.A.accountId}:user/ci-bot`);
    assert.equal(who.userId, (await ram.getUser(a, 'ci-bot'))?.userId);

    await assert.rejects(ram.deleteUser(a, 'ci-bot'), { code: 'DeleteConflict.User.AccessKey' });
    assert.equal(await ram.deleteAccessKey(a, 'ci-bot', first.accessKeyId), true);
    assert.equal(await ram.deleteAccessKey(a, 'ci-bot', first.accessKeyId), false);
    await assert.rejects(getCallerIdentity(asUser), { code: 'InvalidAccessKeyId.NotFound' });
    await ram.deleteAccessKey(a, 'ci-bot', second.accessKeyId);
    await ram.attachPolicyToUser(a, 'ci-bot', 'AliyunSTSAssumeRoleAccess', 'System');
    await assert.rejects(ram.deleteUser(a, 'ci-bot'), { code: 'DeleteConflict.User.Policy' });
    await ram.detachPolicyFromUser(a, 'ci-bot', 'AliyunSTSAssumeRoleAccess', 'System');
    assert.equal(await ram.deleteUser(a, 'ci-bot'), true);
    assert.equal(await ram.getUser(a, 'ci-bot'), undefined);
    await assert.rejects(ram.createAccessKey(a, 'ci-bot'), { code: 'EntityNotExist.User' });
  });
});

describe('the authorizer', () => {
  it('refuses a RAM user without permission and lets it through once a policy is attached', async () => {
    const a = rootOf('A');
    const user = await newUser(a, 'auditor');
    await assert.rejects(ram.getRole(user, 'anything'), { code: 'NoPermission', statusCode: 403 });
    await assert.rejects(user.rpc('cr', 'ListInstance', {}), { code: 'NoPrivilege' });
    await ram.attachPolicyToUser(a, 'auditor', 'AliyunRAMReadOnlyAccess', 'System');
    assert.equal(await ram.getRole(user, 'anything'), undefined);
    await assert.rejects(ram.createRole(user, { roleName: 'sneaky', trustPolicy: trustRoot('1') }), { code: 'NoPermission' });
    assert.equal((await getCallerIdentity(user)).identityType, 'RAMUser'); // GetCallerIdentity needs no permission
  });
});

describe('STS AssumeRole across accounts', () => {
  it('grants a session when the caller may assume and the role trusts it; the session signs as the role', async () => {
    const a = rootOf('A');
    const b = rootOf('B');
    const roleB = await ram.createRole(b, { roleName: 'XAccountPull', trustPolicy: trustRoot(sandbox.accounts.A.accountId), maxSessionDuration: 7200 });
    await ram.attachPolicyToRole(b, 'XAccountPull', 'AliyunContainerRegistryReadOnlyAccess', 'System');
    const user = await newUser(a, 'puller', ['AliyunSTSAssumeRoleAccess']);
    const creds = await assumeRole(user, { roleArn: roleB.arn, roleSessionName: 'acr-xaccount', durationSeconds: 7200 });
    assert.match(creds.accessKeyId, /^STS\./);
    assert.equal(creds.assumedRoleArn, `acs:ram::${sandbox.accounts.B.accountId}:role/xaccountpull/acr-xaccount`);
    assert.ok(Math.abs(creds.expiration.getTime() - sandbox.world.data.nowMs - 7200_000) < 60_000);
    const asRole = cloudWith(assumedRoleCredential(roleB.arn, async () => creds));
    const who = await getCallerIdentity(asRole);
    assert.deepEqual([who.accountId, who.identityType, who.arn, who.roleId], [
      sandbox.accounts.B.accountId, 'AssumedRoleUser', `acs:ram::${sandbox.accounts.B.accountId}:assumed-role/xaccountpull/acr-xaccount`, roleB.roleId,
    ]);
    assert.equal(who.principalId, `${roleB.roleId}:acr-xaccount`);
    // The role's own policies now apply: reads of its registry are allowed, RAM is not.
    await assert.rejects(ram.getRole(asRole, 'XAccountPull'), { code: 'NoPermission' });
  });

  it('refuses: role not trusting the caller, caller without sts:AssumeRole, duration above MaxSessionDuration, root, missing role', async () => {
    const a = rootOf('A');
    const b = rootOf('B');
    const trustsOnlyB = await ram.createRole(b, { roleName: 'OnlyB', trustPolicy: trustRoot(sandbox.accounts.B.accountId) });
    const trusting = await ram.createRole(b, { roleName: 'TrustsA', trustPolicy: trustRoot(sandbox.accounts.A.accountId) });
    const allowed = await newUser(a, 'assumer', ['AliyunSTSAssumeRoleAccess']);
    const bare = await newUser(a, 'no-sts');
    await assert.rejects(assumeRole(allowed, { roleArn: trustsOnlyB.arn, roleSessionName: 's1' }), { code: 'NoPermission', statusCode: 403 });
    await assert.rejects(assumeRole(bare, { roleArn: trusting.arn, roleSessionName: 's1' }), { code: 'NoPermission' });
    await assert.rejects(assumeRole(allowed, { roleArn: trusting.arn, roleSessionName: 's1', durationSeconds: 7200 }), { code: 'InvalidParameter.DurationSeconds' });
    await assert.rejects(assumeRole(allowed, { roleArn: trusting.arn, roleSessionName: 's1', durationSeconds: 600 }), { code: 'InvalidParameter.DurationSeconds' });
    await assert.rejects(assumeRole(allowed, { roleArn: trusting.arn, roleSessionName: 'x' }), { code: 'InvalidParameter.RoleSessionName' });
    await assert.rejects(assumeRole(a, { roleArn: trusting.arn, roleSessionName: 's1' }), { code: 'NoPermission', message: /root accounts/ });
    await assert.rejects(assumeRole(allowed, { roleArn: `acs:ram::${sandbox.accounts.B.accountId}:role/ghost`, roleSessionName: 's1' }), { code: 'EntityNotExist.Role' });
    await assert.rejects(assumeRole(allowed, { roleArn: 'not-an-arn', roleSessionName: 's1' }), { code: 'InvalidParameter.RoleArn' });
    // A policy scoped to one role ARN allows that role only.
    await ram.createPolicy(a, { policyName: 'assume-one', document: doc('sts:AssumeRole', trustsOnlyB.arn) });
    await ram.attachPolicyToUser(a, 'no-sts', 'assume-one');
    await assert.rejects(assumeRole(bare, { roleArn: trusting.arn, roleSessionName: 's1' }), { code: 'NoPermission' });
  });
});

describe('STS AssumeRoleWithOIDC', () => {
  const issuer = 'https://oidc-ack-cn-hangzhou.oss-cn-hangzhou.aliyuncs.com/c0ffee';
  const sub = 'system:serviceaccount:kube-system:aliyun-acr-credential-helper';
  let providerArn = '';
  let roleArn = '';

  before(async () => {
    const a = rootOf('A');
    providerArn = registerOidcProvider(sandbox.world, sandbox.accounts.A.accountId, { name: 'ack-rrsa-c0ffee', issuerUrl: issuer, clientIds: ['sts.aliyuncs.com'] }).arn;
    const trust: ram.PolicyDocument = {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Federated: [providerArn] }, Condition: { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com', 'oidc:iss': issuer, 'oidc:sub': sub } } }],
    };
    roleArn = (await ram.createRole(a, { roleName: 'rrsa-helper', trustPolicy: trust })).arn;
  });

  // The SDK sends AssumeRoleWithOIDC unsigned; here it goes signed through openapi-core (STS ignores who signs it).
  const call = (token: string, overrides: Record<string, unknown> = {}) =>
    rootOf('A').rpc<Record<string, any>>('sts' as never, 'AssumeRoleWithOIDC', { OIDCProviderArn: providerArn, RoleArn: roleArn, OIDCToken: token, RoleSessionName: 'helper', ...overrides });
  const token = (o: { subject?: string; audience?: string; expiresInSec?: number } = {}) =>
    mintOidcToken(sandbox.world, { issuer, subject: o.subject ?? sub, audience: o.audience ?? 'sts.aliyuncs.com', expiresInSec: o.expiresInSec ?? 3600 });

  it('a good token gets a session of the role, with the token described', async () => {
    const body = await call(token());
    assert.match(body.Credentials.AccessKeyId, /^STS\./);
    assert.equal(body.AssumedRoleUser.Arn, `acs:ram::${sandbox.accounts.A.accountId}:role/rrsa-helper/helper`);
    assert.deepEqual([body.OIDCTokenInfo.Subject, body.OIDCTokenInfo.Issuer, body.OIDCTokenInfo.ClientIds], [sub, issuer, 'sts.aliyuncs.com']);
  });

  it('refuses a wrong subject, an expired token, a wrong audience, an unknown provider', async () => {
    await assert.rejects(call(token({ subject: 'system:serviceaccount:default:default' })), { code: 'AuthenticationFail.NoPermission' });
    const shortLived = token({ expiresInSec: 1 });
    sandbox.world.advance(10_000);
    await assert.rejects(call(shortLived), { code: 'AuthenticationFail.OIDCToken.Expired' });
    await assert.rejects(call(token({ audience: 'kubernetes.default.svc' })), { code: 'AuthenticationFail.OIDCToken.AudienceNotMatch' });
    await assert.rejects(call(token(), { OIDCProviderArn: `acs:ram::${sandbox.accounts.A.accountId}:oidc-provider/nope` }), { code: 'AuthenticationFail.NoPermission' });
    await assert.rejects(call(token(), { DurationSeconds: 7200 }), { code: 'InvalidParameter.DurationSeconds' });
  });
});

describe('IMS OIDC providers', () => {
  const create = (acct: AccountClient, params: Record<string, unknown>) =>
    sdkCaller('ims')(acct, { action: 'CreateOIDCProvider', params }, (c, m, rt) => c.createOIDCProviderWithOptions(sdkRequest(m.CreateOIDCProviderRequest, params), rt));

  it('creates, reads and lists providers; refuses duplicates and non-https issuers', async () => {
    const b = rootOf('B');
    await create(b, { OIDCProviderName: 'github', IssuerUrl: 'https://token.actions.githubusercontent.com', ClientIds: 'sts.aliyuncs.com,other', Fingerprints: '6938fd4d98bab03faadb97b34396831e3780aea1' });
    const got = await getOIDCProvider(b, 'github');
    assert.deepEqual([got?.arn, got?.clientIds], [`acs:ram::${sandbox.accounts.B.accountId}:oidc-provider/github`, ['sts.aliyuncs.com', 'other']]);
    assert.ok((await listOIDCProviders(b)).some((p) => p.name === 'github'));
    await assert.rejects(create(b, { OIDCProviderName: 'github', IssuerUrl: 'https://elsewhere.example.com' }), { code: 'EntityAlreadyExists.OIDCProvider' });
    await assert.rejects(create(b, { OIDCProviderName: 'github2', IssuerUrl: 'https://token.actions.githubusercontent.com' }), { code: 'EntityAlreadyExists.OIDCProvider.Url' });
    await assert.rejects(create(b, { OIDCProviderName: 'plain', IssuerUrl: 'http://insecure.example.com' }), { code: 'InvalidParameter.IssuerUrl' });
    assert.equal(await getOIDCProvider(b, 'nope'), undefined);
  });
});

describe('every RAM, STS and IMS handler answers in the spec shape', () => {
  it('covers all 31 APIs with valid responses', async () => {
    const specs = loadSpecs();
    const world = World.empty('shape');
    const A = '1760312345678901';
    world.addAccount(A, 'a');
    const rootKey = world.addAccessKey(A).accessKeyId;
    const root: Caller = { accountId: A, type: 'root', arn: `acs:ram::${A}:root`, accessKeyId: rootKey };
    const covered = new Set<string>();
    const modules = { ram: ramModule, sts: stsModule, ims: imsModule };
    const run = async (product: keyof typeof modules, action: string, params: Record<string, unknown>, caller: Caller = root): Promise<any> => {
      const ctx: CallContext = { world, caller, product, action, region: 'cn-hangzhou', requestId: 'R', baseUrl: 'http://127.0.0.1' };
      const body = { ...((await modules[product].rpc![action]!(ctx, params)) as object), RequestId: 'R' };
      const problems = validateResponse(specs.product(product)!.apis[action]!, JSON.parse(JSON.stringify(body)));
      assert.deepEqual(problems, [], `${product} ${action}`);
      covered.add(`${product}:${action}`);
      return body;
    };
    const trust = JSON.stringify(trustRoot(A));
    await run('ram', 'CreateRole', { RoleName: 'r1', AssumeRolePolicyDocument: trust, Tag: [{ Key: 'owner', Value: 'me' }] });
    await run('ram', 'CreateRole', { RoleName: 'r2', AssumeRolePolicyDocument: trust });
    await run('ram', 'GetRole', { RoleName: 'r1' });
    await run('ram', 'UpdateRole', { RoleName: 'r1', NewMaxSessionDuration: 7200, NewDescription: 'd' });
    const page = await run('ram', 'ListRoles', { MaxItems: 1 });
    assert.equal(page.IsTruncated, true);
    assert.equal((await run('ram', 'ListRoles', { MaxItems: 1, Marker: page.Marker })).Roles.Role[0].RoleName, 'r2');
    assert.equal((await run('ram', 'ListRoles', { Tag: [{ Key: 'owner', Value: 'me' }] })).Roles.Role.length, 1);
    await run('ram', 'CreatePolicy', { PolicyName: 'p1', PolicyDocument: JSON.stringify(doc('cr:*')) });
    await run('ram', 'CreatePolicyVersion', { PolicyName: 'p1', PolicyDocument: JSON.stringify(doc('cr:Get*')), SetAsDefault: true });
    await run('ram', 'GetPolicy', { PolicyName: 'p1', PolicyType: 'Custom' });
    await run('ram', 'GetPolicy', { PolicyName: 'AdministratorAccess', PolicyType: 'System' });
    await run('ram', 'GetPolicyVersion', { PolicyName: 'p1', PolicyType: 'Custom', VersionId: 'v1' });
    await run('ram', 'ListPolicyVersions', { PolicyName: 'p1', PolicyType: 'Custom' });
    await run('ram', 'DeletePolicyVersion', { PolicyName: 'p1', VersionId: 'v1' });
    await run('ram', 'AttachPolicyToRole', { RoleName: 'r1', PolicyName: 'p1', PolicyType: 'Custom' });
    await run('ram', 'ListPoliciesForRole', { RoleName: 'r1' });
    await run('ram', 'CreateUser', { UserName: 'u1', DisplayName: 'U', Email: 'u@example.com' });
    await run('ram', 'GetUser', { UserName: 'u1' });
    await run('ram', 'AttachPolicyToUser', { UserName: 'u1', PolicyName: 'AliyunSTSAssumeRoleAccess', PolicyType: 'System' });
    await run('ram', 'ListPoliciesForUser', { UserName: 'u1' });
    await run('ram', 'ListEntitiesForPolicy', { PolicyName: 'p1', PolicyType: 'Custom' });
    const key = await run('ram', 'CreateAccessKey', { UserName: 'u1' });
    await run('ram', 'ListAccessKeys', { UserName: 'u1' });
    const user: Caller = { accountId: A, type: 'user', arn: `acs:ram::${A}:user/u1`, accessKeyId: key.AccessKey.AccessKeyId, userName: 'u1' };
    await run('sts', 'GetCallerIdentity', {}, user);
    const assumed = await run('sts', 'AssumeRole', { RoleArn: `acs:ram::${A}:role/r1`, RoleSessionName: 'shape' }, user);
    const session: Caller = { accountId: A, type: 'assumed-role', arn: '', accessKeyId: assumed.Credentials.AccessKeyId, roleName: 'r1', sessionName: 'shape' };
    await run('sts', 'GetCallerIdentity', {}, session);
    await run('sts', 'GetCallerIdentity', {});
    const issuer = 'https://oidc.example.com/c1';
    await run('ims', 'CreateOIDCProvider', { OIDCProviderName: 'idp', IssuerUrl: issuer, ClientIds: 'sts.aliyuncs.com', IssuanceLimitTime: 12 });
    await run('ims', 'GetOIDCProvider', { OIDCProviderName: 'idp' });
    await run('ims', 'ListOIDCProviders', {});
    const fedTrust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Federated: [`acs:ram::${A}:oidc-provider/idp`] } }] });
    await run('ram', 'CreateRole', { RoleName: 'fed', AssumeRolePolicyDocument: fedTrust });
    const token = mintOidcToken(world, { issuer, subject: 'me', audience: 'sts.aliyuncs.com', expiresInSec: 600 });
    await run('sts', 'AssumeRoleWithOIDC', { OIDCProviderArn: `acs:ram::${A}:oidc-provider/idp`, RoleArn: `acs:ram::${A}:role/fed`, OIDCToken: token, RoleSessionName: 'fed' });
    await run('ram', 'DetachPolicyFromRole', { RoleName: 'r1', PolicyName: 'p1', PolicyType: 'Custom' });
    await run('ram', 'DetachPolicyFromUser', { UserName: 'u1', PolicyName: 'AliyunSTSAssumeRoleAccess', PolicyType: 'System' });
    await run('ram', 'DeleteAccessKey', { UserName: 'u1', UserAccessKeyId: key.AccessKey.AccessKeyId });
    await run('ram', 'DeleteUser', { UserName: 'u1' });
    await run('ram', 'DeletePolicy', { PolicyName: 'p1' });
    await run('ram', 'DeleteRole', { RoleName: 'r2' });

    const all = (['ram', 'sts', 'ims'] as const).flatMap((p) => Object.keys(specs.product(p)!.apis).map((a) => `${p}:${a}`));
    assert.deepEqual([...covered].sort(), all.sort());
    assert.equal(all.length, 31);
  });
});
