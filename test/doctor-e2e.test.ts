// End-to-end: `doctor` on the sandbox (BUILT CLI; run `npm run build` first). A full setup checks all ok with no
// write call; then each single broken link, made by hand between runs, fails the run and names that link and its fix.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import * as pvtz from '../src/cloud/pvtz.js';
import * as ram from '../src/cloud/ram.js';
import * as vpc from '../src/cloud/vpc.js';
import type { Check } from '../src/doctor/check.js';
import { startSandbox } from '../src/sandbox/index.js';
import { findCluster } from '../src/sandbox/state/cs.js';
import { World } from '../src/sandbox/world.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { cloudFor } from './helpers/sandbox-network.js';

const STEPS = ['--step', 'network', '--step', 'dns', '--step', 'auth', '--step', 'addon'];
const RRSA = ['--network', 'peering', '--dns', 'privatezone', '--auth', 'rrsa', '--edition', 'managed'];
const ACCESS_KEY = ['--network', 'peering', '--dns', 'privatezone', '--auth', 'access-key', '--edition', 'self-managed'];

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const cli = (state: string, command: string, args: string[]): Promise<CliResult> =>
  runCli(['--sandbox-state', state, command, '--sandbox', ...args], { cwd: tmp('acrx-doctor-cwd-') });

async function applied(mode: string[]): Promise<string> {
  const state = tmp('acrx-doctor-state-');
  const r = await cli(state, 'apply', ['--yes', ...mode, ...STEPS]);
  assert.equal(r.code, 0, r.stderr);
  return state;
}

/** A fresh copy of a finished setup, so each test breaks its own world. */
function copyOf(state: string): string {
  const dir = tmp('acrx-doctor-copy-');
  cpSync(state, dir, { recursive: true });
  return dir;
}

async function doctorJson(state: string, mode: string[]): Promise<{ code: number | null; checks: Check[] }> {
  const r = await cli(state, 'doctor', ['--json', ...mode]);
  return { code: r.code, checks: JSON.parse(r.stdout) as Check[] };
}

const failing = (checks: Check[]) => checks.filter((c) => c.status === 'fail');

// The tests break separate copies of the setup, so they run side by side.
describe('doctor (sandbox, built CLI)', { concurrency: true }, () => {
  let rrsaSetup: string;
  let okChecks: Check[];
  before(async () => {
    rrsaSetup = await applied(RRSA);
    const r = await doctorJson(copyOf(rrsaSetup), RRSA);
    okChecks = r.checks;
  });

  it('a full setup checks all ok, exit 0, and doctor makes only read calls', async () => {
    assert.deepEqual(failing(okChecks), []);
    assert.deepEqual(okChecks.filter((c) => c.status !== 'ok'), []);
    for (const id of ['identities', 'cluster.support', 'auth.rrsa', 'auth.role-a-trust', 'auth.role-b-trust', 'auth.pull-policy', 'auth.session-duration', 'addon.installed', 'network.address-conflict', 'network.peering', 'dns.zone-record']) {
      assert.ok(okChecks.some((c) => c.id === id), `line ${id}`);
    }
    const r = await cli(copyOf(rrsaSetup), 'doctor', ['--verbose', ...RRSA]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ok +OSS route in A: Route /m);
    assert.match(r.stdout, /\d+ ok, 0 warn, 0 fail/);
    const calls = r.stderr.split('\n').filter((l) => /^\[call \d+\] /.test(l));
    assert.ok(calls.length > 10, 'the call log is on');
    assert.deepEqual(calls.filter((l) => !/ read /.test(l)), [], 'only reads');
  });

  it('a missing OSS route fails the OSS route line with the fix', async () => {
    const state = copyOf(rrsaSetup);
    const oss = okChecks.find((c) => /^network\.route-a\..*\.oss$/.test(c.id))!;
    const [, cidr, table] = /Route (\S+) in (vtb-\S+)/.exec(oss.title)!;
    const sandbox = await startSandbox({ dir: state });
    await vpc.deleteRouteEntry(cloudFor(sandbox).account('A'), { routeTableId: table, destinationCidrBlock: cidr });
    await sandbox.close();
    const r = await doctorJson(state, RRSA);
    assert.equal(r.code, 1);
    const [line, ...rest] = failing(r.checks);
    assert.deepEqual(rest, []);
    assert.equal(line!.id, oss.id);
    assert.match(line!.title, /OSS route in A/);
    assert.match(line!.fix!, /apply --step network/);
  });

  it('a missing DNS record fails the DNS record line', async () => {
    const state = copyOf(rrsaSetup);
    const zoneId = /\((\S+)\)$/.exec(okChecks.find((c) => c.id === 'dns.zone')!.title)![1]!;
    const sandbox = await startSandbox({ dir: state });
    const A = cloudFor(sandbox).account('A');
    for (const record of await pvtz.describeZoneRecords(A, zoneId)) if (record.rr === '@') await pvtz.deleteZoneRecord(A, record.recordId);
    await sandbox.close();
    const r = await doctorJson(state, RRSA);
    assert.equal(r.code, 1);
    assert.deepEqual(failing(r.checks).map((c) => c.id), ['dns.zone-record']);
    assert.match(failing(r.checks)[0]!.title, /DNS record/);
    assert.match(failing(r.checks)[0]!.fix!, /apply --step dns/);
  });

  it('a wrong trust on role B fails the role B trust line, naming the role A it should trust', async () => {
    const state = copyOf(rrsaSetup);
    const sandbox = await startSandbox({ dir: state });
    const cloud = cloudFor(sandbox);
    const other = `acs:ram::${sandbox.accounts.A.accountId}:role/someone-else`;
    await ram.updateRole(cloud.account('B'), 'acr-xaccount-puller', { trustPolicy: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [other] } }] } });
    await sandbox.close();
    const r = await doctorJson(state, RRSA);
    assert.equal(r.code, 1);
    const trust = r.checks.find((c) => c.id === 'auth.role-b-trust')!;
    assert.equal(trust.status, 'fail');
    assert.match(trust.detail, /does not trust acs:ram::\d+:role\/acr-xaccount-helper/);
    assert.match(trust.fix!, /apply --step auth/);
  });

  it('RRSA disabled after setup fails the RRSA/OIDC line', async () => {
    const state = copyOf(rrsaSetup);
    const file = join(state, 'state.json');
    const world = World.load(file);
    const clusterId = okChecks.find((c) => c.id === 'cluster.support')!.detail.match(/cluster (c[0-9a-f]+)/)![1]!;
    findCluster(world, clusterId)!.cluster.rrsaEnabled = false;
    world.save(file);
    const r = await doctorJson(state, RRSA);
    assert.equal(r.code, 1);
    const line = r.checks.find((c) => c.id === 'auth.rrsa')!;
    assert.equal(line.status, 'fail');
    assert.match(line.detail, /RRSA is disabled/);
    assert.match(line.fix!, /enable RRSA/);
  });

  it('an AccessKey deleted after an access-key setup fails the AccessKey line', async () => {
    const state = await applied(ACCESS_KEY);
    const before = await doctorJson(state, ACCESS_KEY);
    assert.deepEqual(failing(before.checks), []);
    assert.equal(before.code, 0);
    const sandbox = await startSandbox({ dir: state });
    const B = cloudFor(sandbox).account('B');
    for (const key of await ram.listAccessKeys(B, 'acr-xaccount-puller')) await ram.deleteAccessKey(B, 'acr-xaccount-puller', key.accessKeyId);
    await sandbox.close();
    const r = await doctorJson(state, ACCESS_KEY);
    assert.equal(r.code, 1);
    const line = r.checks.find((c) => c.id === 'auth.access-key')!;
    assert.equal(line.status, 'fail');
    assert.match(line.detail, /no longer has/);
    assert.equal(r.checks.find((c) => c.id === 'auth.role-b-trust')!.detail, 'n/a: access-key uses a RAM user, no role');
  });
});
