// `acr-xaccount sandbox serve|reset|scenarios` as a user runs them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { BIN, runCli } from './helpers/cli.js';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

/** Starts `sandbox serve` and resolves with its JSON line and a stop function. */
function serve(args: string[], serveArgs: string[] = []): Promise<{ info: any; stop: () => Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, 'sandbox', 'serve', ...serveArgs], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' } });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        const stop = () => new Promise<number | null>((done) => {
          child.once('close', (code) => done(code));
          child.kill('SIGINT');
        });
        resolve({ info: JSON.parse(line!), stop });
      }
    });
    child.once('close', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

describe('sandbox command', () => {
  it('serve prints one JSON line; the profiles file (0600) works with --profile-a/--profile-b and --endpoint all=', async () => {
    const dir = tmp('acrx-serve-');
    const { info, stop } = await serve(['--sandbox-state', dir]);
    try {
      assert.match(info.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(info.accounts.A.profile, 'sandbox-a');
      assert.match(info.accounts.B.accessKeyId, /^LTAI/);
      assert.equal(info.profiles, join(dir, 'aliyun-config.json'));
      assert.equal(statSync(info.profiles).mode & 0o777, 0o600);
      assert.equal(JSON.stringify(info).includes(JSON.parse(readFileSync(info.profiles, 'utf8')).profiles[0].access_key_secret), false, 'no secret in the JSON line');
      const home = tmp('acrx-home-');
      mkdirSync(join(home, '.aliyun'));
      writeFileSync(join(home, '.aliyun', 'config.json'), readFileSync(info.profiles));
      const facts = JSON.parse((await runCli(['sandbox', 'scenarios', '--json'])).stdout).find((s: { name: string }) => s.name === 'default');
      const r = await runCli(
        ['plan', '--detailed-exitcode', '--profile-a', 'sandbox-a', '--profile-b', 'sandbox-b', '--endpoint', `all=${info.endpoint}`, '--region-a', 'cn-hangzhou', '--cluster-id', facts.clusterId, '--region-b', 'cn-hangzhou', '--instance-id', facts.instanceId, '--network', 'public', '--auth', 'rrsa', '--edition', 'managed'],
        { cwd: tmp('acrx-cwd-'), env: { HOME: home } },
      );
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout, new RegExp(`account A ${info.accounts.A.accountId.slice(0, 4)}`));
      assert.match(r.stdout, /Plan: \d+ to create/);
    } finally {
      assert.equal(await stop(), 0);
    }
    assert.ok(existsSync(join(dir, 'state.json')), 'the world is saved');
  });

  it('init --sandbox takes the cluster and instance IDs from the scenario, saves the config, and without a terminal asks for --yes', async () => {
    const state = tmp('acrx-init-');
    const cwd = tmp('acrx-cwd-');
    const r = await runCli(['--sandbox-state', state, 'init', '--sandbox', '--network', 'peering', '--auth', 'rrsa', '--edition', 'managed'], { cwd });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /pass --yes/);
    const facts = JSON.parse((await runCli(['sandbox', 'scenarios', '--json'])).stdout).find((s: { name: string }) => s.name === 'default');
    const saved = readFileSync(join(cwd, 'acr-xaccount.yaml'), 'utf8');
    assert.match(saved, new RegExp(`clusterId: ${facts.clusterId}`));
    assert.match(saved, new RegExp(`instanceId: ${facts.instanceId}`));
  });

  it('the world survives a restart of serve; --fault stuck-task leaves ACK tasks running', async () => {
    const dir = tmp('acrx-restart-');
    const first = await serve(['--sandbox-state', dir]);
    const profiles = JSON.parse(readFileSync(first.info.profiles, 'utf8')) as { profiles: { name: string; access_key_id: string; access_key_secret: string }[] };
    const b = profiles.profiles.find((p) => p.name === 'sandbox-b')!;
    const { Cloud } = await import('../src/cloud/session.js');
    const ram = await import('../src/cloud/ram.js');
    const { staticCredential } = await import('./helpers/fake-cloud.js');
    const connect = (endpoint: string, who = b) => {
      const at = { endpoint: endpoint.replace('http://', ''), protocol: 'http' as const };
      const cloud = new Cloud({ endpoints: { ram: at, cs: at }, retry: { maxAttempts: 2, maxElapsedMs: 2000, baseDelayMs: 1, maxDelayMs: 1 } });
      return cloud.addAccount('B', 'cn-hangzhou', staticCredential(who.access_key_id, who.access_key_secret));
    };
    await ram.createRole(connect(first.info.endpoint), { roleName: 'made-before-restart', trustPolicy: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }] } } as never);
    assert.equal(await first.stop(), 0);
    const second = await serve(['--sandbox-state', dir], ['--fault', 'stuck-task:cs:*']);
    try {
      const role = await ram.getRole(connect(second.info.endpoint), 'made-before-restart');
      assert.equal(role?.roleName, 'made-before-restart');
      const cs = await import('../src/cloud/cs.js');
      const a = connect(second.info.endpoint, profiles.profiles.find((p) => p.name === 'sandbox-a')!);
      const clusterId = second.info.kubernetes.split('/k8s/')[1];
      const taskId = await cs.modifyCluster(a, clusterId, { enableRrsa: true });
      for (let i = 0; i < 30; i++) assert.equal((await cs.describeTaskInfo(a, taskId)).state, 'running', 'a stuck task never finishes');
    } finally {
      await second.stop();
    }
  });

  it('serve refuses a malformed --fault with the accepted forms', async () => {
    const r = await runCli(['--sandbox-state', tmp('acrx-f-'), 'sandbox', 'serve', '--fault', 'explode:ram']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /kind must be one of throttle, error5xx, latency, not-yet-consistent, stuck-task, failed-task/);
  });

  it('a state made from one scenario is not silently reused for another', async () => {
    const dir = tmp('acrx-sc-');
    const first = await serve(['--sandbox-state', dir]);
    await first.stop();
    const r = await runCli(['--sandbox-state', dir, 'sandbox', 'serve', '--scenario', 'cross-region']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /made from scenario "default", not "cross-region".*sandbox reset/);
    const reset = await runCli(['--sandbox-state', dir, 'sandbox', 'reset']);
    assert.equal(reset.code, 0);
    assert.equal(existsSync(join(dir, 'state.json')), false);
    const again = await serve(['--sandbox-state', dir], ['--scenario', 'cross-region']);
    assert.equal(again.info.scenario, 'cross-region');
    await again.stop();
  });

  it('scenarios lists each with a description; --json gives their facts', async () => {
    const text = await runCli(['sandbox', 'scenarios']);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^default +same region/m);
    assert.match(text.stdout, /^cross-region +/m);
    const json = await runCli(['sandbox', 'scenarios', '--json']);
    const list = JSON.parse(json.stdout) as { name: string; regionA: string; regionB: string; vpcA: string; vpcB: string; clusterId: string; instanceId: string; repositories: string[]; accounts: { A: string; B: string } }[];
    const cross = list.find((s) => s.name === 'cross-region')!;
    assert.equal(cross.regionA, 'cn-hangzhou');
    assert.equal(cross.regionB, 'cn-shanghai');
    assert.match(cross.vpcA, /^vpc-/);
    assert.match(cross.vpcB, /^vpc-/);
    assert.match(cross.clusterId, /^c[0-9a-f]{32}$/);
    assert.match(cross.instanceId, /^cri-/);
    assert.ok(cross.repositories.includes('team/app:1.4.2'));
    assert.notEqual(cross.accounts.A, cross.accounts.B);
    assert.match(list.find((s) => s.name === 'personal-edition')!.instanceId, /^crpi-/);
    // The same scenario always has the same IDs: what --json shows is what a fresh sandbox will have.
    const again = JSON.parse((await runCli(['sandbox', 'scenarios', '--json'])).stdout) as typeof list;
    assert.equal(again.find((s) => s.name === 'cross-region')!.clusterId, cross.clusterId);
  });
});
