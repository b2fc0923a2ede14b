// The doctor's checks on hand-built facts (no I/O): a holding link is ok, each broken one fails with its fix,
// planned actions become lines (noop ok, changes fail), and the exit code follows any fail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Chalk } from 'chalk';

import type { OidcProvider } from '../src/cloud/ims.js';
import type { PolicyDocument, RamRole } from '../src/cloud/ram.js';
import type { Config } from '../src/config/schema.js';
import { accessKeyCheck, assumePolicyCheck, pullPolicyCheck, roleATrustCheck, roleBTrustCheck, rrsaChecks, sessionDurationCheck, supportCheck } from '../src/doctor/auth-checks.js';
import { exitCode, fail, ok, warn } from '../src/doctor/check.js';
import { DOCTOR_STEPS } from '../src/doctor/index.js';
import { addressConflictCheck } from '../src/doctor/network-checks.js';
import { renderChecks } from '../src/doctor/render.js';
import { actionChecks, preflightChecks } from '../src/doctor/step-checks.js';
import type { Action } from '../src/plan/action.js';
import type { AuthFacts } from '../src/steps/auth/facts.js';
import type { NetworkFacts } from '../src/steps/network/facts.js';
import type { BaseFacts } from '../src/steps/step.js';
import { ACCOUNT_A, ACCOUNT_B, clusterDetail, identities, rrsaOf, stepConfig } from './helpers/step-facts.js';

const A = ACCOUNT_A;
const B = ACCOUNT_B;
const CLUSTER = 'c0doctortest000000000000000000001';
const OIDC_ARN = rrsaOf(CLUSTER).oidcArn;
const ROLE_A_ARN = `acs:ram::${A}:role/acr-xaccount-helper`;

function config(mode: Config['auth']['mode'], edition: Config['addon']['edition'] = 'managed'): Config {
  return stepConfig(CLUSTER, 'cri-doctor', { network: { mode: 'peering' }, auth: { mode }, addon: { edition } });
}

function base(overrides: Partial<BaseFacts['cluster']> = {}, rrsa = true): BaseFacts {
  return {
    steps: DOCTOR_STEPS,
    identities: identities(A, B),
    cluster: clusterDetail(CLUSTER, 'KubernetesWorkerRole-x', rrsa ? { issuer: 'https://issuer', oidcArn: OIDC_ARN } : undefined, overrides),
    registry: { instance: { instanceId: 'cri-doctor', name: 'acme', edition: 'Enterprise_Basic', status: 'RUNNING', tags: {} }, endpoints: [] },
  };
}

const role = (name: string, trust: PolicyDocument, maxSessionDuration = 3600): RamRole => ({
  roleName: name, roleId: '1', arn: `acs:ram::x:role/${name}`, description: '', maxSessionDuration, assumeRolePolicy: trust, assumeRolePolicyDocument: JSON.stringify(trust),
});
const ramTrust = (principal: string): PolicyDocument => ({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [principal] } }] });
const oidcTrust: PolicyDocument = {
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Federated: [OIDC_ARN] }, Condition: { StringEquals: { 'oidc:iss': 'https://issuer', 'oidc:aud': 'sts.aliyuncs.com', 'oidc:sub': 'system:serviceaccount:kube-system:aliyun-acr-credential-helper' } } }],
};
const pullDoc: PolicyDocument = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['cr:GetAuthorizationToken', 'cr:PullRepository'], Resource: '*' }] };
const attached = (name: string) => ({ policyName: name, policyType: 'Custom', description: '', defaultVersion: 'v1' });

function rrsaFacts(changes: { roleBTrust?: PolicyDocument; maxSession?: number; pullDoc?: PolicyDocument } = {}): AuthFacts {
  return {
    pullPolicy: { policy: undefined, versions: [{ versionId: 'v1', isDefaultVersion: true, document: changes.pullDoc ?? pullDoc, documentRaw: '' }] },
    roleA: { role: role('acr-xaccount-helper', oidcTrust), attached: [attached('acr-xaccount-puller-assume')] },
    roleB: { role: role('acr-xaccount-puller', changes.roleBTrust ?? ramTrust(ROLE_A_ARN), changes.maxSession), attached: [attached('acr-xaccount-pull')] },
  };
}
const provider: OidcProvider = { name: `ack-rrsa-${CLUSTER}`, arn: OIDC_ARN, issuerUrl: 'https://issuer', clientIds: [], fingerprints: [], description: '' };

describe('doctor auth checks', () => {
  it('a finished RRSA setup is ok on every line', () => {
    const c = config('rrsa');
    const lines = [supportCheck(c, base()), ...rrsaChecks(base(), provider), roleATrustCheck(c, rrsaFacts(), base()), roleBTrustCheck(c, rrsaFacts(), base()), pullPolicyCheck(c, rrsaFacts()), sessionDurationCheck(c, rrsaFacts())!];
    assert.deepEqual(lines.map((l) => l.status), ['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('RRSA off, or its provider gone, fails with the fix', () => {
    const [off] = rrsaChecks(base({}, false), undefined);
    assert.equal(off!.status, 'fail');
    assert.match(off!.fix!, /enable RRSA/);
    assert.match(rrsaChecks(base(), undefined)[0]!.detail, /OIDC provider .* does not exist/);
  });

  it('role B trusting someone else fails and names role A; trusting A root only warns', () => {
    const c = config('rrsa');
    const wrong = roleBTrustCheck(c, rrsaFacts({ roleBTrust: ramTrust(`acs:ram::${A}:role/other`) }), base());
    assert.equal(wrong.status, 'fail');
    assert.match(wrong.detail, new RegExp(`does not trust ${ROLE_A_ARN}`));
    assert.equal(roleBTrustCheck(c, rrsaFacts({ roleBTrust: ramTrust(`acs:ram::${A}:root`) }), base()).status, 'warn');
    assert.equal(roleBTrustCheck(config('access-key', 'self-managed'), { pullPolicy: { versions: [] } }, base()).detail, 'n/a: access-key uses a RAM user, no role');
  });

  it('role A trusting the provider without conditions warns; a cluster with another provider fails', () => {
    const c = config('rrsa');
    const loose = rrsaFacts();
    loose.roleA!.role = role('acr-xaccount-helper', { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Federated: OIDC_ARN } }] });
    assert.equal(roleATrustCheck(c, loose, base()).status, 'warn');
    assert.equal(roleATrustCheck(c, rrsaFacts(), base({ rrsa: { ...base().cluster.rrsa, oidcArn: 'acs:ram::1:oidc-provider/other' } })).status, 'fail');
  });

  it('a pull policy without cr:PullRepository fails; MaxSessionDuration below expireDuration fails', () => {
    const c = config('rrsa');
    const weak: PolicyDocument = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'cr:GetAuthorizationToken', Resource: '*' }] };
    assert.equal(pullPolicyCheck(c, rrsaFacts({ pullDoc: weak })).status, 'fail');
    assert.equal(pullPolicyCheck(c, rrsaFacts({ pullDoc: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'cr:*', Resource: '*' }] } })).status, 'ok');
    const short = { ...c, auth: { ...c.auth, expireDuration: 7200 } };
    const line = sessionDurationCheck(short, rrsaFacts({ maxSession: 3600 }))!;
    assert.equal(line.status, 'fail');
    assert.match(line.fix!, /--expire-duration to 3600/);
  });

  it('role A may assume role B through a policy of any name (hand-made), not through one that names another role', () => {
    const c = config('rrsa');
    const roleB = `acs:ram::${B}:role/acr-xaccount-puller`;
    const doc = (resource: string): PolicyDocument => ({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resource }] });
    assert.equal(assumePolicyCheck(c, rrsaFacts(), base(), [doc(roleB)])!.status, 'ok');
    assert.equal(assumePolicyCheck(c, rrsaFacts(), base(), [doc(`acs:ram::${B}:role/other`)])!.status, 'fail');
  });

  it('the AccessKey the helper uses must still exist and be active', () => {
    const c = config('access-key', 'self-managed');
    const user = (keys: { accessKeyId: string; status: string }[], configuredKeyId?: string): AuthFacts => ({
      pullPolicy: { versions: [] },
      user: { user: { userName: 'acr-xaccount-puller', userId: '1', displayName: '', comments: '' }, attached: [], keys, configuredKeyId },
    });
    assert.equal(accessKeyCheck(c, user([{ accessKeyId: 'LTAI1', status: 'Active' }], 'LTAI1'))!.status, 'ok');
    assert.match(accessKeyCheck(c, user([], 'LTAI1'))!.detail, /no longer has/);
    assert.equal(accessKeyCheck(c, user([{ accessKeyId: 'LTAI1', status: 'Inactive' }], 'LTAI1'))!.status, 'fail');
    assert.equal(accessKeyCheck(config('rrsa'), user([])), undefined);
  });

  it('an unsupported cluster fails the support line, naming what would work', () => {
    const line = supportCheck(config('rrsa'), base({ clusterType: 'Kubernetes' }));
    assert.equal(line.status, 'fail');
    assert.match(line.detail, /ACK dedicated/);
  });
});

describe('doctor lines from the steps', () => {
  const action = (id: string, change: Action['change'], title = id): Action => ({ id, step: 'network', account: 'A', title, change, detail: {}, apply: async () => ({}) }) as unknown as Action;

  it('noop is ok, a change fails with the apply fix, route IDs name their link', () => {
    const lines = actionChecks('network', [action('network.route-a.vtb-1.oss', 'create', 'Route 100.1.2.3/32 in vtb-1'), action('network.peering', 'noop')], { okLines: true });
    assert.deepEqual(lines.map((l) => [l.id, l.status]), [['network.route-a.vtb-1.oss', 'fail'], ['network.peering', 'ok']]);
    assert.equal(lines[0]!.title, 'OSS route in A: Route 100.1.2.3/32 in vtb-1');
    assert.match(lines[0]!.fix!, /apply --step network/);
    assert.deepEqual(actionChecks('auth', [action('auth.role-b', 'noop')], { okLines: false }), []);
  });

  it('a resource made by hand that apply would not touch is a warning, not a failure', () => {
    const [line] = preflightChecks('auth', ['a custom policy named p already exists and was not created by acr-xaccount; acr-xaccount will not rewrite it.']);
    assert.equal(line!.status, 'warn');
  });

  it('a preflight problem splits at its "Fix:"', () => {
    const [line] = preflightChecks('network', ["A's VPC overlaps B's. Fix: use --network public"]);
    assert.equal(line!.detail, "A's VPC overlaps B's.");
    assert.equal(line!.fix, 'use --network public');
  });

  it('the auth-service or OSS address inside A\'s CIDRs is a conflict', () => {
    const facts = (ossIp: string) =>
      ({ mode: 'peering', cluster: { vpc: { vpcId: 'vpc-a', cidrBlock: '10.0.0.0/8', secondaryCidrBlocks: ['100.64.0.0/16'] }, podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/20' }, registry: { addresses: { authIp: '100.103.1.1', ossIp } } }) as unknown as NetworkFacts;
    assert.equal(addressConflictCheck(facts('100.118.1.1'))!.status, 'ok');
    const clash = addressConflictCheck(facts('100.64.3.4'))!;
    assert.equal(clash.status, 'fail');
    assert.match(clash.detail, /OSS 100\.64\.3\.4 is inside A's VPC vpc-a 100\.64\.0\.0\/16/);
  });

  it('render: a table with the fix under failing lines; exit code 1 only on fail', () => {
    const checks = [ok('a', 'link a', 'fine'), warn('b', 'link b', 'meh', 'look'), fail('c', 'link c', 'broken', 'do this')];
    const text = renderChecks(checks, new Chalk({ level: 0 }));
    assert.match(text, /^ok    link a/m);
    assert.match(text, /^fail  link c +broken\n +fix: do this$/m);
    assert.match(text, /1 ok, 1 warn, 1 fail/);
    assert.equal(exitCode(checks), 1);
    assert.equal(exitCode(checks.slice(0, 2)), 0);
  });

  it('render: short titles line up; a long one is not padded, and does not widen the others', () => {
    const long = 'registry route in A: Route 172.16.1.252/32 in vtb-cef7641069ad1376987b to VpcPeer pcc-5f8941b2decedff85d8d';
    const lines = renderChecks([ok('a', 'role B trust', 'fine'), ok('b', long, 'in place')], new Chalk({ level: 0 })).split('\n');
    assert.equal(lines[0], `ok    ${'role B trust'.padEnd(12)}  fine`);
    assert.equal(lines[1], `ok    ${long}  in place`);
  });
});
