// End to end through the BUILT CLI against the sandbox (run `npm run build` first): a full apply ends with the
// test pull; `verify` alone pulls again and cleans up (or keeps with --keep); a broken link in the saved world
// makes `verify` exit 1 naming the link and the fix.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import { kubeStore } from '../src/sandbox/kube/index.js';
import { peekSandboxFacts } from '../src/sandbox/index.js';
import { pvtzState } from '../src/sandbox/state/pvtz.js';
import { World } from '../src/sandbox/world.js';
import { runCli } from './helpers/cli.js';

const SETUP = ['--sandbox', '--network', 'peering', '--dns', 'privatezone', '--auth', 'rrsa', '--edition', 'managed'];
const DEPLOYMENT = 'acr-xaccount-verify';

const acrx = (dir: string, command: string, extra: string[] = []) => runCli(['--sandbox-state', dir, command, ...SETUP, ...extra], { cwd: dir });
const stateFile = (dir: string) => join(dir, 'state.json');

/** The test Deployment in the sandbox cluster's saved world, or undefined. */
function verifyDeployment(dir: string, namespace = 'default') {
  const clusterId = String(peekSandboxFacts({ dir }).clusterId);
  return kubeStore(World.load(stateFile(dir)), clusterId).get('Deployment', namespace, DEPLOYMENT);
}

/** Breaks name resolution: removes the PrivateZone records for the registry's VPC domain from the saved world. */
function deleteRegistryRecords(dir: string): number {
  const world = World.load(stateFile(dir));
  let removed = 0;
  for (const accountId of Object.keys(world.data.accounts)) {
    const pvtz = pvtzState(world, accountId);
    for (const [id, record] of Object.entries(pvtz.records)) {
      if (pvtz.zones[record.zoneId]?.zoneName.includes('-registry-vpc.')) {
        delete pvtz.records[id];
        removed++;
      }
    }
  }
  world.save(stateFile(dir));
  return removed;
}

let applied: string;

before(async () => {
  applied = mkdtempSync(join(tmpdir(), 'acrx-verify-'));
  const r = await acrx(applied, 'apply', ['--yes']);
  assert.equal(r.code, 0, r.stderr);
  // The full apply runs every step, the test pull last.
  assert.match(r.stderr, /verify\.pull: Successfully pulled image \S+-registry-vpc\.\S+\/base\/alpine:3\.20 in [\d.]+s/);
  assert.match(r.stderr, /Apply complete/);
  assert.equal(verifyDeployment(applied), undefined, 'apply removes the test Deployment');
});

/** A copy of the applied world, so tests can run side by side and break what they like. */
function copyOfApplied(): string {
  const dir = mkdtempSync(join(tmpdir(), 'acrx-verify-'));
  cpSync(applied, dir, { recursive: true });
  return dir;
}

describe('verify after a full apply', { concurrency: 3 }, () => {
  it('pulls, says so, exits 0 and removes the test Deployment', async () => {
    const dir = copyOfApplied();
    const r = await acrx(dir, 'verify');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Successfully pulled image \S+\/base\/alpine:3\.20 in [\d.]+s$/m);
    assert.equal(verifyDeployment(dir), undefined);
  });

  it('--keep keeps the Deployment (and a second verify replaces it); --json gives {ok, image, seconds}', async () => {
    const dir = copyOfApplied();
    const kept = await acrx(dir, 'verify', ['--keep', '--verify-namespace', 'default']);
    assert.equal(kept.code, 0, kept.stderr);
    const deployment = verifyDeployment(dir);
    assert.ok(deployment, 'the Deployment is kept');
    assert.match(JSON.stringify(deployment.spec), /-registry-vpc\.[^"]+\/base\/alpine:3\.20/);

    const json = await acrx(dir, 'verify', ['--json']);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc).sort(), ['image', 'ok', 'seconds']);
    assert.equal(doc.ok, true);
    assert.match(String(doc.image), /-registry-vpc\..+\/base\/alpine:3\.20$/);
    assert.equal(typeof doc.seconds, 'number');
    assert.equal(verifyDeployment(dir), undefined, 'without --keep the earlier kept Deployment is gone too');
  });

  it('a missing PrivateZone record: exits 1 naming name resolution, the record and `apply --step dns`', async () => {
    const dir = copyOfApplied();
    assert.ok(deleteRegistryRecords(dir) > 0);
    const r = await acrx(dir, 'verify', ['--verify-timeout', '10']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /Pulling \S+ failed: .*no such host/);
    assert.match(r.stdout, /broken link: name resolution of the registry domain/);
    assert.match(r.stdout, /fix: A's VPC cannot resolve \S+-registry-vpc\.\S+: the PrivateZone record for it is missing.*`acr-xaccount apply --step dns`/);
    assert.equal(verifyDeployment(dir), undefined, 'a failed verify cleans up too');

    const json = await acrx(dir, 'verify', ['--verify-timeout', '10', '--json']);
    assert.equal(json.code, 1, json.stderr);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc).sort(), ['fix', 'image', 'link', 'message', 'ok']);
    assert.equal(doc.ok, false);
    assert.equal(doc.link, 'dns-registry');
    assert.match(String(doc.message), /no such host/);

    // The repair the fix names brings the pull back.
    const repaired = await acrx(dir, 'apply', ['--yes', '--step', 'dns', '--step', 'verify']);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.match(repaired.stderr, /Successfully pulled image/);
  });
});
