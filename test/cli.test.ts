// End-to-end: the built CLI as a user runs it, against a fake STS for the identity check.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { runCli } from './helpers/cli.js';
import { startFakeCloud, type FakeCloud } from './helpers/fake-cloud.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const SECRETS = ['secret-of-account-a-111', 'secret-of-account-b-222'];
const ACCOUNTS: Record<string, string> = { LTAIcliA: '1000000000000001', LTAIcliB: '2000000000000002' };

let fake: FakeCloud;
let home: string;

before(async () => {
  fake = await startFakeCloud((req) => {
    if (req.action !== 'GetCallerIdentity') return undefined;
    const id = ACCOUNTS[req.accessKeyId ?? ''];
    return { body: { AccountId: id, Arn: `acs:ram::${id}:user/ops`, IdentityType: 'RAMUser', PrincipalId: 'p', RequestId: 'rq' } };
  });
  home = mkdtempSync(join(tmpdir(), 'acrx-cli-'));
  mkdirSync(join(home, '.aliyun'));
  writeFileSync(
    join(home, '.aliyun', 'config.json'),
    JSON.stringify({
      current: 'a',
      profiles: [
        { name: 'a', mode: 'AK', access_key_id: 'LTAIcliA', access_key_secret: SECRETS[0] },
        { name: 'b', mode: 'AK', access_key_id: 'LTAIcliB', access_key_secret: SECRETS[1] },
      ],
    }),
  );
});
after(() => fake.close());

const SETTINGS = ['--region-a', 'cn-hangzhou', '--cluster-id', 'c8864f6d1c0bd4a1f9dd', '--region-b', 'cn-shanghai', '--instance-id', 'cri-abc123', '--network', 'peering', '--auth', 'rrsa', '--edition', 'managed'];

function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'acrx-cwd-'));
}
const env = () => ({ HOME: home });
const assertNoSecret = (text: string) => SECRETS.forEach((s) => assert.ok(!text.includes(s), `secret leaked: ${text}`));

describe('help and version', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('--help lists every command and loads no SDK', async () => {
    const probe = join(workdir(), 'probe.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('SDK_MODULES ' + Object.keys(require('module')._cache).filter((k) => /node_modules\\/@(alicloud|kubernetes)\\//.test(k)).length + '\\n'));");
    const r = await runCli(['--help'], { nodeArgs: ['--require', probe] });
    assert.equal(r.code, 0);
    for (const command of ['init', 'plan', 'apply', 'verify', 'doctor', 'destroy', 'sandbox']) assert.match(r.stdout, new RegExp(`^  ${command}\\b`, 'm'));
    assert.match(r.stderr, /SDK_MODULES 0/);
    // `--no-color` after --help takes the path through commander, not the stored text: it loads no SDK either.
    const plan = await runCli(['plan', '--help', '--no-color'], { nodeArgs: ['--require', probe] });
    assert.match(plan.stdout, /--detailed-exitcode/);
    assert.match(plan.stdout, /--network <NETWORK>\s+network path \(choices: "public", "peering",\s+"cen"\)/);
    assert.match(plan.stderr, /SDK_MODULES 0/);
    // The positive control: a command that reaches the cloud does load the SDKs, so the probe can see them.
    const planRun = await runCli(['plan', ...SETTINGS, '--profile-a', 'a', '--profile-b', 'b', '--endpoint', `sts=${fake.url}`], { nodeArgs: ['--require', probe], cwd: workdir(), env: env() });
    assert.match(planRun.stderr, /SDK_MODULES [1-9]/);
  });

  it('the stored --help text (rendered at build) is exactly what commander prints, for every command', async () => {
    const stored = JSON.parse(readFileSync(new URL('../dist/help.json', import.meta.url), 'utf8')) as { help: Record<string, string> };
    assert.ok(Object.keys(stored.help).length >= 11);
    for (const [path, text] of Object.entries(stored.help)) {
      const words = path ? path.split(' ') : [];
      const fast = await runCli([...words, '--help']);
      const viaCommander = await runCli([...words, '--help', '--no-color']);
      assert.equal(fast.stdout, text, `stored help for "${path}"`);
      assert.equal(viaCommander.stdout, text, `commander's help for "${path}" matches the stored text`);
    }
    assert.equal((await runCli(['help', 'apply'])).stdout, stored.help.apply);
  });

  it('init and apply take --dry-run and --step; plan does not take --dry-run', async () => {
    for (const command of ['init', 'apply']) {
      const r = await runCli([command, '--help']);
      assert.match(r.stdout, /--dry-run/);
      assert.match(r.stdout, /--step <STEP>/);
    }
    const r = await runCli(['plan', '--dry-run']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown option '--dry-run'/);
  });
});

describe('bad input', () => {
  it('an invalid choice names the accepted values', async () => {
    const r = await runCli(['plan', '--network', 'vpn'], { cwd: workdir() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /'vpn' is invalid\. Allowed choices are public, peering, cen/);
  });

  it('an invalid --step names the accepted steps', async () => {
    const r = await runCli(['apply', '--step', 'routes'], { cwd: workdir() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /'routes' is invalid\. accepted values: network, dns, auth, addon, verify/);
  });

  it('no config and no flags: every missing field with its flag, exit 1', async () => {
    const r = await runCli(['plan'], { cwd: workdir(), env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /accountA is missing/);
    assert.match(r.stderr, /network is missing/);
  });

  it('a bad value in the file names the field, the value, the file and the accepted values', async () => {
    const cwd = workdir();
    writeFileSync(
      join(cwd, 'acr-xaccount.yaml'),
      'apiVersion: acr-xaccount/v1\naccountA: {region: cn-hangzhou, clusterId: c12345678}\naccountB: {region: cn-hangzhou, instanceId: cri-1}\nnetwork: {mode: peering}\nauth: {mode: rrsa, expireDuration: 100000}\naddon: {edition: turbo}\n',
    );
    const r = await runCli(['plan'], { cwd, env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /auth\.expireDuration \(from .*acr-xaccount\.yaml\): got 100000/);
    assert.match(r.stderr, /addon\.edition .*got "turbo"; accepted values: managed, self-managed/);
  });

  it('-c points at another config file', async () => {
    const r = await runCli(['plan', '-c', 'elsewhere.yaml', '--network', 'cen'], { cwd: workdir(), env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /accountA is missing/);
  });

  it('a malformed --endpoint says what is expected', async () => {
    const r = await runCli(['plan', ...SETTINGS, '--profile-a', 'a', '--profile-b', 'b', '--endpoint', 'registry=http://x'], { cwd: workdir(), env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown product "registry"; accepted: ram, vpc, cs, sts, ims, ecs, cr, cbn, vpcpeer, pvtz, all/);
  });

  it('an unknown profile lists the known ones', async () => {
    const r = await runCli(['plan', ...SETTINGS, '--profile-a', 'a', '--profile-b', 'prod-b'], { cwd: workdir(), env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /account B: no profile named "prod-b"\. Known profiles: a, b/);
  });

  it('no credentials at all: says how to give them', async () => {
    const empty = workdir();
    const r = await runCli(['plan', ...SETTINGS, '--endpoint', `all=${fake.url}`], { cwd: empty, env: { HOME: empty, ALIBABA_CLOUD_ACCESS_KEY_ID: '' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /account [AB]: no credentials found\. Pass --profile-[ab] NAME/);
  });
});

describe('accounts', () => {
  it('confirms both identities, then (every step exists now) goes on to discovery; --verbose shows the calls without secrets', async () => {
    // Every endpoint is the fake: it answers only GetCallerIdentity, so discovery of A's cluster is the first thing to fail.
    const r = await runCli(['plan', ...SETTINGS, '--profile-a', 'a', '--profile-b', 'b', '--endpoint', `all=${fake.url}`, '--verbose'], { cwd: workdir(), env: env() });
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /issue #\d/, 'no step is missing any more');
    assert.match(r.stderr, /\[call \d\] A Sts:GetCallerIdentity read ok/);
    assert.match(r.stderr, /\[call \d\] B Sts:GetCallerIdentity read ok/);
    assert.match(r.stderr, /\[call \d\] A CS:DescribeClusterDetail read InvalidAction\.NotFound/);
    assertNoSecret(r.stdout + r.stderr);
  });

  it('refuses the same account for A and B', async () => {
    const r = await runCli(['plan', ...SETTINGS, '--profile-a', 'a', '--profile-b', 'a', '--endpoint', `sts=${fake.url}`], { cwd: workdir(), env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /accounts A and B are the same account \(1000000000000001\)/);
  });

  it('--sandbox confirms the simulator\'s two accounts in process and keeps its world in --sandbox-state', async () => {
    const state = workdir();
    const r = await runCli(['--sandbox-state', state, 'plan', ...SETTINGS, '--sandbox'], { cwd: workdir(), env: env() });
    // Every step exists now: planning goes on to discovery, where SETTINGS' cluster is not the simulator's.
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /account A \(1760312345678901\) has no ACK cluster c8864f6d1c0bd4a1f9dd/);
    assert.ok(existsSync(join(state, 'state.json')));
    const profiles = readFileSync(join(state, 'aliyun-config.json'), 'utf8');
    assert.match(profiles, /"name": "sandbox-a"/);
    assert.doesNotMatch(r.stdout + r.stderr, /"access_key_secret"/);
  });
});

describe('init', () => {
  it('without the settings it needs, lists them and exits non-zero', async () => {
    const r = await runCli(['init', '--network', 'cen'], { cwd: workdir(), env: env() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /init needs these settings/);
    assert.match(r.stderr, /accountA is missing: pass --region-a|accountA is missing/);
  });

  it('with all flags, saves the config (no secrets) after confirming the accounts', async () => {
    const cwd = workdir();
    // Every endpoint is the fake (it answers only GetCallerIdentity): the config is saved before discovery fails.
    const r = await runCli(['init', ...SETTINGS, '--profile-a', 'a', '--profile-b', 'b', '--endpoint', `all=${fake.url}`], { cwd, env: env() });
    assert.equal(r.code, 1, r.stderr);
    const saved = readFileSync(join(cwd, 'acr-xaccount.yaml'), 'utf8');
    assert.match(saved, /apiVersion: acr-xaccount\/v1/);
    assert.match(saved, /instanceId: cri-abc123/);
    assert.match(saved, /profile: b/);
    assertNoSecret(saved);
    assert.doesNotMatch(saved, /LTAI/);
  });

  it('--dry-run writes no config file', async () => {
    const cwd = workdir();
    await runCli(['init', ...SETTINGS, '--profile-a', 'a', '--profile-b', 'b', '--endpoint', `sts=${fake.url}`, '--dry-run'], { cwd, env: env() });
    assert.equal(existsSync(join(cwd, 'acr-xaccount.yaml')), false);
  });
});
