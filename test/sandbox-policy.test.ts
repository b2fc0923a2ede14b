// The sandbox's RAM policy engine: statement evaluation, document grammar, trust principals, OIDC tokens, decisions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Caller } from '../src/sandbox/api.js';
import { assumeRoleAs, assumeRoleForService, assumeRoleWithOidc, resolveCredentialChain, sessionCaller } from '../src/sandbox/identity.js';
import { authorize, crResourceArn, decide, evaluate, globMatch, isAllowed, parsePolicyDocument, trustAllows, type Statement } from '../src/sandbox/policy.js';
import { mintOidcToken, registerOidcProvider } from '../src/sandbox/state/ims.js';
import { attachPolicy, createPolicy, seedRole, seedUser } from '../src/sandbox/state/ram.js';
import { World } from '../src/sandbox/world.js';

const A = '1760312345678901';
const B = '1580298765432109';

const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Partial<Statement> = {}): Statement => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[] = '*', extra: Partial<Statement> = {}): Statement => ({ Effect: 'Deny', Action, Resource, ...extra });

describe('evaluate: the statement table', () => {
  const repo = 'acs:cr:cn-hangzhou:1580298765432109:repository/cri-abc/team/app';
  const cases: { name: string; statements: Statement[]; action: string; resource?: string; context?: Record<string, string | string[]>; want: string }[] = [
    { name: 'no statement is an implicit deny', statements: [], action: 'cr:PullRepository', want: 'ImplicitDeny' },
    { name: 'exact action', statements: [allow('cr:PullRepository')], action: 'cr:PullRepository', want: 'Allow' },
    { name: 'actions match case-insensitively', statements: [allow('CR:pullrepository')], action: 'cr:PullRepository', want: 'Allow' },
    { name: 'service wildcard cr:*', statements: [allow('cr:*')], action: 'cr:GetAuthorizationToken', want: 'Allow' },
    { name: 'prefix wildcard cr:Get*', statements: [allow('cr:Get*')], action: 'cr:GetAuthorizationToken', want: 'Allow' },
    { name: 'prefix wildcard does not cross services', statements: [allow('cr:Get*')], action: 'ram:GetRole', want: 'ImplicitDeny' },
    { name: '? matches one character', statements: [allow('cr:Get?nstance')], action: 'cr:GetInstance', want: 'Allow' },
    { name: 'full wildcard *', statements: [allow('*')], action: 'vpc:CreateRouteEntry', want: 'Allow' },
    { name: 'explicit deny wins over allow', statements: [allow('*'), deny('cr:PullRepository')], action: 'cr:PullRepository', want: 'Deny' },
    { name: 'deny of another action leaves the allow', statements: [allow('*'), deny('cr:Delete*')], action: 'cr:PullRepository', want: 'Allow' },
    { name: 'resource wildcard on a repository path', statements: [allow('cr:PullRepository', 'acs:cr:*:*:repository/cri-abc/*')], action: 'cr:PullRepository', resource: repo, want: 'Allow' },
    { name: 'resource of another instance', statements: [allow('cr:PullRepository', 'acs:cr:*:*:repository/cri-other/*')], action: 'cr:PullRepository', resource: repo, want: 'ImplicitDeny' },
    { name: 'resource list: any entry', statements: [allow('cr:PullRepository', ['acs:cr:*:*:instance/x', repo])], action: 'cr:PullRepository', resource: repo, want: 'Allow' },
    { name: 'NotAction allows everything else', statements: [{ Effect: 'Allow', NotAction: 'ram:*', Resource: '*' }], action: 'cr:GetInstance', want: 'Allow' },
    { name: 'NotAction excludes its own', statements: [{ Effect: 'Allow', NotAction: 'ram:*', Resource: '*' }], action: 'ram:CreateRole', want: 'ImplicitDeny' },
    { name: 'NotResource excludes its own', statements: [{ Effect: 'Allow', Action: 'cr:*', NotResource: 'acs:cr:*:*:repository/cri-abc/*' }], action: 'cr:PullRepository', resource: repo, want: 'ImplicitDeny' },
    {
      name: 'StringEquals on oidc:sub holds',
      statements: [allow('sts:AssumeRole', '*', { Condition: { StringEquals: { 'oidc:sub': 'system:serviceaccount:kube-system:aliyun-acr-credential-helper' } } })],
      action: 'sts:AssumeRole',
      context: { 'oidc:sub': 'system:serviceaccount:kube-system:aliyun-acr-credential-helper' },
      want: 'Allow',
    },
    {
      name: 'StringEquals on oidc:sub fails for another service account',
      statements: [allow('sts:AssumeRole', '*', { Condition: { StringEquals: { 'oidc:sub': 'system:serviceaccount:kube-system:aliyun-acr-credential-helper' } } })],
      action: 'sts:AssumeRole',
      context: { 'oidc:sub': 'system:serviceaccount:default:default' },
      want: 'ImplicitDeny',
    },
    {
      name: 'several values of one key: any (OR)',
      statements: [allow('sts:AssumeRole', '*', { Condition: { StringEquals: { 'oidc:aud': ['sts.aliyuncs.com', 'other'] } } })],
      action: 'sts:AssumeRole',
      context: { 'oidc:aud': 'sts.aliyuncs.com' },
      want: 'Allow',
    },
    {
      name: 'several keys: all (AND)',
      statements: [allow('sts:AssumeRole', '*', { Condition: { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com', 'oidc:iss': 'https://issuer' } } })],
      action: 'sts:AssumeRole',
      context: { 'oidc:aud': 'sts.aliyuncs.com', 'oidc:iss': 'https://elsewhere' },
      want: 'ImplicitDeny',
    },
    {
      name: 'StringLike with a wildcard',
      statements: [allow('sts:AssumeRole', '*', { Condition: { StringLike: { 'oidc:sub': 'system:serviceaccount:kube-system:*' } } })],
      action: 'sts:AssumeRole',
      context: { 'oidc:sub': 'system:serviceaccount:kube-system:helper' },
      want: 'Allow',
    },
    {
      name: 'StringNotEquals holds for another value',
      statements: [allow('cr:*', '*', { Condition: { StringNotEquals: { 'oidc:sub': 'system:serviceaccount:default:default' } } })],
      action: 'cr:GetInstance',
      context: { 'oidc:sub': 'system:serviceaccount:kube-system:helper' },
      want: 'Allow',
    },
    {
      name: 'StringNotLike refuses a matching value',
      statements: [allow('cr:*', '*', { Condition: { StringNotLike: { 'oidc:sub': 'system:serviceaccount:default:*' } } })],
      action: 'cr:GetInstance',
      context: { 'oidc:sub': 'system:serviceaccount:default:x' },
      want: 'ImplicitDeny',
    },
    {
      name: 'a missing condition key fails StringEquals',
      statements: [allow('cr:*', '*', { Condition: { StringEquals: { 'oidc:sub': 'x' } } })],
      action: 'cr:GetInstance',
      want: 'ImplicitDeny',
    },
    {
      name: 'condition keys are case-insensitive, values are not',
      statements: [allow('cr:*', '*', { Condition: { StringEquals: { 'OIDC:Sub': 'Abc' } } })],
      action: 'cr:GetInstance',
      context: { 'oidc:sub': 'abc' },
      want: 'ImplicitDeny',
    },
    {
      name: 'a conditional deny applies only when it holds',
      statements: [allow('*'), deny('*', '*', { Condition: { StringLike: { 'oidc:sub': 'system:serviceaccount:default:*' } } })],
      action: 'cr:GetInstance',
      context: { 'oidc:sub': 'system:serviceaccount:kube-system:helper' },
      want: 'Allow',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(evaluate(c.statements, { action: c.action, resource: c.resource ?? '*', context: c.context }), c.want);
    });
  }

  it('globMatch: * and ? only, everything else literal', () => {
    assert.equal(globMatch('acs:ram::1.2:role/*', 'acs:ram::1.2:role/x'), true);
    assert.equal(globMatch('acs:ram::1.2:role/*', 'acs:ram::102:role/x'), false);
    assert.equal(globMatch('a?c', 'abc'), true);
    assert.equal(globMatch('a?c', 'abbc'), false);
  });
});

describe('parsePolicyDocument: the grammar RAM checks', () => {
  const bad: [string, string][] = [
    ['not JSON', '{'],
    ['wrong version', JSON.stringify({ Version: '2', Statement: [allow('*')] })],
    ['no statements', JSON.stringify({ Version: '1', Statement: [] })],
    ['bad effect', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] })],
    ['no action', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Resource: '*' }] })],
    ['malformed action', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'GetRole', Resource: '*' }] })],
    ['no resource', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*' }] })],
    ['unknown condition operator', JSON.stringify({ Version: '1', Statement: [allow('*', '*', { Condition: { StringMaybe: { a: 'b' } } as never })] })],
  ];
  for (const [name, raw] of bad) {
    it(`refuses ${name} with MalformedPolicyDocument`, () => {
      assert.throws(() => parsePolicyDocument(raw, 'permission'), { code: 'MalformedPolicyDocument', status: 400 });
    });
  }

  it('trust policies need a Principal and no Resource', () => {
    const noPrincipal = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] });
    assert.throws(() => parsePolicyDocument(noPrincipal, 'trust'), { code: 'MalformedPolicyDocument' });
    const good = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${A}:root`] } }] });
    assert.equal(parsePolicyDocument(good, 'trust').Statement.length, 1);
  });

  it('a bad STS session policy is InvalidParameter.PolicyGrammar', () => {
    assert.throws(() => parsePolicyDocument('{"Version":"1"}', 'session'), { code: 'InvalidParameter.PolicyGrammar' });
  });
});

function twoAccounts(): World {
  const world = World.empty('test');
  world.addAccount(A, 'a');
  world.addAccount(B, 'b');
  return world;
}

const trust = (Principal: Statement['Principal'], Condition?: Statement['Condition']) => ({ Version: '1', Statement: [{ Effect: 'Allow' as const, Action: 'sts:AssumeRole', Principal, ...(Condition ? { Condition } : {}) }] });
const userCaller = (accountId: string, userName: string): Caller => ({ accountId, type: 'user', arn: `acs:ram::${accountId}:user/${userName}`, accessKeyId: 'LTAIx', userName });

describe('trustAllows: who a trust policy lets in', () => {
  it('an account root principal trusts every user and role session of that account, not others', () => {
    const world = twoAccounts();
    const role = seedRole(world, B, { roleName: 'pull', trustPolicy: trust({ RAM: [`acs:ram::${A}:root`] }) });
    assert.equal(trustAllows(role, { kind: 'caller', caller: userCaller(A, 'alice') }), true);
    const session: Caller = { accountId: A, type: 'assumed-role', arn: `acs:ram::${A}:assumed-role/x/s`, accessKeyId: 'STS.x', roleName: 'X', sessionName: 's' };
    assert.equal(trustAllows(role, { kind: 'caller', caller: session }), true);
    assert.equal(trustAllows(role, { kind: 'caller', caller: userCaller(B, 'bob') }), false);
  });

  it('a role ARN principal trusts that role sessions only (role names case-insensitive); a user ARN that user only', () => {
    const world = twoAccounts();
    const role = seedRole(world, B, { roleName: 'pull', trustPolicy: trust({ RAM: [`acs:ram::${A}:role/RoleA`, `acs:ram::${A}:user/ci`] }) });
    const of = (roleName: string): Caller => ({ accountId: A, type: 'assumed-role', arn: '', accessKeyId: 'STS.y', roleName, sessionName: 's' });
    assert.equal(trustAllows(role, { kind: 'caller', caller: of('rolea') }), true);
    assert.equal(trustAllows(role, { kind: 'caller', caller: of('RoleZ') }), false);
    assert.equal(trustAllows(role, { kind: 'caller', caller: userCaller(A, 'ci') }), true);
    assert.equal(trustAllows(role, { kind: 'caller', caller: userCaller(A, 'other') }), false);
  });

  it('Service and Federated principals, with conditions on the token claims', () => {
    const world = twoAccounts();
    const worker = seedRole(world, A, { roleName: 'worker', trustPolicy: trust({ Service: ['ecs.aliyuncs.com'] }) });
    assert.equal(trustAllows(worker, { kind: 'service', service: 'ecs.aliyuncs.com' }), true);
    assert.equal(trustAllows(worker, { kind: 'service', service: 'fc.aliyuncs.com' }), false);
    const arn = `acs:ram::${A}:oidc-provider/ack-rrsa-c1`;
    const rrsa = seedRole(world, A, { roleName: 'rrsa', trustPolicy: trust({ Federated: [arn] }, { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com', 'oidc:sub': 'system:serviceaccount:kube-system:helper' } }) });
    const claims = { 'oidc:aud': ['sts.aliyuncs.com'], 'oidc:sub': 'system:serviceaccount:kube-system:helper' };
    assert.equal(trustAllows(rrsa, { kind: 'federated', providerArn: arn }, claims), true);
    assert.equal(trustAllows(rrsa, { kind: 'federated', providerArn: arn }, { ...claims, 'oidc:sub': 'system:serviceaccount:default:x' }), false);
    assert.equal(trustAllows(rrsa, { kind: 'federated', providerArn: `acs:ram::${A}:oidc-provider/other` }, claims), false);
  });
});

describe('decide / isAllowed / authorize over a world', () => {
  it('root owns its account; users need policies; nobody gets another account by identity policy', () => {
    const world = twoAccounts();
    const root: Caller = { accountId: A, type: 'root', arn: `acs:ram::${A}:root`, accessKeyId: 'LTAIroot' };
    assert.equal(isAllowed(world, root, 'ram:CreateRole', `acs:ram:*:${A}:role/x`), true);
    assert.equal(isAllowed(world, root, 'cr:PullRepository', crResourceArn('cn-hangzhou', B, { instanceId: 'cri-1', namespace: 'ns', repository: 'app' })), false);
    seedUser(world, A, { userName: 'alice' });
    const alice = userCaller(A, 'alice');
    assert.equal(decide(world, alice, 'cr:GetInstance', crResourceArn('cn-hangzhou', A, { instanceId: 'cri-1' })), 'ImplicitDeny');
    attachPolicy(world, A, 'user', 'alice', 'System', 'aliyuncontainerregistryreadonlyaccess');
    assert.equal(isAllowed(world, alice, 'cr:GetInstance', crResourceArn('cn-hangzhou', A, { instanceId: 'cri-1' })), true);
    createPolicy(world, A, { policyName: 'no-pull', document: { Version: '1', Statement: [deny('cr:PullRepository')] } });
    attachPolicy(world, A, 'user', 'alice', 'Custom', 'no-pull');
    assert.equal(decide(world, alice, 'cr:PullRepository', crResourceArn('cn-hangzhou', A, { instanceId: 'cri-1', namespace: 'n', repository: 'r' })), 'Deny');
  });

  it('authorize throws each product its own denial code', () => {
    const world = twoAccounts();
    seedUser(world, A, { userName: 'bob' });
    const bob = userCaller(A, 'bob');
    const expect: Record<string, string> = { ram: 'NoPermission', ims: 'NoPermission', vpc: 'Forbidden', ecs: 'Forbidden.RAM', cbn: 'Forbidden.RAM', pvtz: 'Forbidden.RAM', vpcpeer: 'Forbidden.RAM', cr: 'NoPrivilege', cs: 'StatusForbidden' };
    for (const [product, code] of Object.entries(expect)) {
      assert.throws(() => authorize(world, bob, product, 'DoSomething', {}), { code, status: 403 }, product);
    }
    assert.doesNotThrow(() => authorize(world, bob, 'sts', 'GetCallerIdentity', {}));
    attachPolicy(world, A, 'user', 'bob', 'System', 'AdministratorAccess');
    for (const product of Object.keys(expect)) assert.doesNotThrow(() => authorize(world, bob, product, 'DoSomething', {}));
  });
});

describe('STS decisions and the credential chain', () => {
  function rrsaWorld() {
    const world = twoAccounts();
    const issuer = 'https://oidc-ack-cn-hangzhou.oss-cn-hangzhou.aliyuncs.com/c123';
    const provider = registerOidcProvider(world, A, { name: 'ack-rrsa-c123', issuerUrl: issuer, clientIds: ['sts.aliyuncs.com'] });
    const sub = 'system:serviceaccount:kube-system:aliyun-acr-credential-helper';
    const roleA = seedRole(world, A, {
      roleName: 'acr-puller-a',
      trustPolicy: trust({ Federated: [provider.arn] }, { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com', 'oidc:iss': issuer, 'oidc:sub': sub } }),
      policies: [{ policyType: 'System', policyName: 'AliyunSTSAssumeRoleAccess' }],
    });
    const roleB = seedRole(world, B, {
      roleName: 'acr-puller-b',
      trustPolicy: trust({ RAM: [roleA.arn] }),
      maxSessionDuration: 7200,
      policies: [{ policyType: 'System', policyName: 'AliyunContainerRegistryReadOnlyAccess' }],
    });
    return { world, issuer, provider, sub, roleA, roleB };
  }

  it('OIDC -> role A -> role B ends in an identity that may pull from B', () => {
    const { world, issuer, provider, sub, roleA, roleB } = rrsaWorld();
    const token = mintOidcToken(world, { issuer, subject: sub, audience: 'sts.aliyuncs.com', expiresInSec: 3600 });
    const chain = resolveCredentialChain(world, [
      { kind: 'oidc', providerArn: provider.arn, roleArn: roleA.arn, token },
      { kind: 'assumeRole', roleArn: roleB.arn, durationSeconds: 3600 },
    ]);
    assert.equal(chain.ok, true);
    if (!chain.ok) return;
    assert.equal(chain.caller.accountId, B);
    assert.equal(chain.caller.arn, `acs:ram::${B}:assumed-role/acr-puller-b/acr-credential-helper`);
    assert.equal(isAllowed(world, chain.caller, 'cr:PullRepository', crResourceArn('cn-hangzhou', B, { instanceId: 'cri-1', namespace: 'team', repository: 'app' })), true);
    assert.equal(isAllowed(world, chain.caller, 'cr:GetAuthorizationToken', crResourceArn('cn-hangzhou', B)), true);
    assert.equal(isAllowed(world, chain.caller, 'cr:DeleteRepository', crResourceArn('cn-hangzhou', B, { instanceId: 'cri-1' })), false);
  });

  it('a saved and reloaded world decides the same (tokens, sessions and policies are plain JSON)', () => {
    const { world, issuer, provider, sub, roleA, roleB } = rrsaWorld();
    const token = mintOidcToken(world, { issuer, subject: sub, audience: 'sts.aliyuncs.com', expiresInSec: 3600 });
    const reloaded = new World(JSON.parse(JSON.stringify(world.data)));
    const chain = resolveCredentialChain(reloaded, [
      { kind: 'oidc', providerArn: provider.arn, roleArn: roleA.arn, token },
      { kind: 'assumeRole', roleArn: roleB.arn },
    ]);
    assert.equal(chain.ok && isAllowed(reloaded, chain.caller, 'cr:PullRepository', crResourceArn('cn-hangzhou', B, { instanceId: 'cri-1', namespace: 'n', repository: 'r' })), true);
  });

  it('sts:ExternalId conditions in a trust policy', () => {
    const world = twoAccounts();
    seedUser(world, A, { userName: 'ci', policies: [{ policyType: 'System', policyName: 'AliyunSTSAssumeRoleAccess' }] });
    const role = seedRole(world, B, { roleName: 'vendor', trustPolicy: trust({ RAM: [`acs:ram::${A}:root`] }, { StringEquals: { 'sts:ExternalId': 'abcd1234' } }) });
    const code = (externalId?: string) => {
      const r = assumeRoleAs(world, userCaller(A, 'ci'), role.arn, 3600, { externalId });
      return r.ok ? 'ok' : r.code;
    };
    assert.deepEqual([code('abcd1234'), code('wrong'), code(undefined), code('x')], ['ok', 'NoPermission', 'NoPermission', 'InvalidParameter.ExternalId']);
  });

  it("a chained session may last up to role B's MaxSessionDuration, no longer; the chain reports the failing step", () => {
    const { world, issuer, provider, sub, roleA, roleB } = rrsaWorld();
    const token = mintOidcToken(world, { issuer, subject: sub, audience: 'sts.aliyuncs.com', expiresInSec: 3600 });
    const chainFor = (durationSeconds: number) =>
      resolveCredentialChain(world, [
        { kind: 'oidc', providerArn: provider.arn, roleArn: roleA.arn, token },
        { kind: 'assumeRole', roleArn: roleB.arn, durationSeconds },
      ]);
    assert.equal(roleB.maxSessionDuration, 7200);
    assert.equal(chainFor(7200).ok, true, 'no one-hour cap on chaining: the ACK guide allows expireDuration up to MaxSessionDuration');
    const tooLong = chainFor(10800);
    assert.deepEqual(tooLong.ok ? undefined : [tooLong.step, tooLong.code], [1, 'InvalidParameter.DurationSeconds']);
  });

  it('OIDC refusals: wrong subject, expired, wrong audience, unknown provider', () => {
    const { world, issuer, provider, sub, roleA } = rrsaWorld();
    const tryWith = (token: string, providerArn = provider.arn) => assumeRoleWithOidc(world, { providerArn, roleArn: roleA.arn, token });
    const code = (r: ReturnType<typeof tryWith>) => (r.ok ? 'ok' : r.code);
    assert.equal(code(tryWith(mintOidcToken(world, { issuer, subject: 'system:serviceaccount:default:default', audience: 'sts.aliyuncs.com', expiresInSec: 600 }))), 'AuthenticationFail.NoPermission');
    assert.equal(code(tryWith(mintOidcToken(world, { issuer, subject: sub, audience: 'sts.aliyuncs.com', expiresInSec: 600, issuedAtMs: world.data.nowMs - 3_600_000 }))), 'AuthenticationFail.OIDCToken.Expired');
    assert.equal(code(tryWith(mintOidcToken(world, { issuer, subject: sub, audience: 'someone-else', expiresInSec: 600 }))), 'AuthenticationFail.OIDCToken.AudienceNotMatch');
    assert.equal(code(tryWith(mintOidcToken(world, { issuer: 'https://other', subject: sub, audience: 'sts.aliyuncs.com', expiresInSec: 600 }))), 'AuthenticationFail.OIDCToken.IssuerNotMatch');
    const good = mintOidcToken(world, { issuer, subject: sub, audience: 'sts.aliyuncs.com', expiresInSec: 600 });
    assert.equal(code(tryWith(`${good.slice(0, -4)}AAAA`)), 'AuthenticationFail.OIDCToken.Invalid');
    assert.equal(code(tryWith(good, `acs:ram::${A}:oidc-provider/none`)), 'AuthenticationFail.NoPermission');
    assert.equal(code(tryWith(good)), 'ok');
  });

  it('worker role: ECS assumes it, then it assumes role B; a session policy narrows the session', () => {
    const world = twoAccounts();
    const worker = seedRole(world, A, { roleName: 'KubernetesWorkerRole-x', trustPolicy: trust({ Service: ['ecs.aliyuncs.com'] }), policies: [{ policyType: 'System', policyName: 'AliyunSTSAssumeRoleAccess' }] });
    const roleB = seedRole(world, B, { roleName: 'pull', trustPolicy: trust({ RAM: [worker.arn] }), policies: [{ policyType: 'System', policyName: 'AliyunContainerRegistryFullAccess' }] });
    const ecs = assumeRoleForService(world, { service: 'ecs.aliyuncs.com', roleArn: worker.arn });
    assert.equal(ecs.ok, true);
    if (!ecs.ok) return;
    const narrowed = assumeRoleAs(world, sessionCaller(ecs.session), roleB.arn, 900, { sessionName: 'node', policy: JSON.stringify({ Version: '1', Statement: [allow('cr:PullRepository')] }) });
    assert.equal(narrowed.ok, true);
    if (!narrowed.ok) return;
    const caller = sessionCaller(narrowed.session);
    assert.equal(isAllowed(world, caller, 'cr:PullRepository', crResourceArn('cn-hangzhou', B, { instanceId: 'cri-1', namespace: 'a', repository: 'b' })), true);
    assert.equal(isAllowed(world, caller, 'cr:DeleteRepository', crResourceArn('cn-hangzhou', B, { instanceId: 'cri-1' })), false);
    const root: Caller = { accountId: A, type: 'root', arn: `acs:ram::${A}:root`, accessKeyId: 'LTAIroot' };
    const fromRoot = assumeRoleAs(world, root, roleB.arn);
    assert.deepEqual(fromRoot.ok ? undefined : [fromRoot.code, fromRoot.message], ['NoPermission', 'Roles may not be assumed by root accounts.']);
  });
});
