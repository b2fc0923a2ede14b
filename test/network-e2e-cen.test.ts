// End to end through the built CLI against the sandbox: CEN, same region and across regions, with PrivateZone
// and with hosts. (Run `npm run build` first.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { spawn } from 'node:child_process';

import * as cbn from '../src/cloud/cbn.js';
import { startSandbox } from '../src/sandbox/index.js';
import { cenState } from '../src/sandbox/state/cen.js';
import { applyAndReplan, assertPathWorks, freshRun, modeArgs, OTHER_CHOICES, type Run } from './network-e2e-helpers.js';
import { BIN } from './helpers/cli.js';
import { cloudFor, until } from './helpers/sandbox-network.js';

describe('network + dns: CEN', { timeout: 120_000 }, () => {
  for (const scenario of ['default', 'cross-region']) {
    for (const dns of ['privatezone', 'hosts']) {
      it(`${scenario}, ${dns}: apply makes the path work from every node; a second plan shows no change`, async () => {
        const run = freshRun();
        const { world } = await applyAndReplan(run, 'cen', dns, scenario);
        assertPathWorks(world, 'cen');
        const cen = cenState(world);
        assert.equal(Object.keys(cen.cens).length, 1, 'one CEN, ours');
        assert.match(Object.values(cen.cens)[0]!.description, /managed-by=acr-xaccount/);
        const attachments = Object.values(cen.attachments);
        assert.equal(attachments.filter((a) => a.kind === 'VPC').length, 2);
        assert.equal(attachments.filter((a) => a.kind === 'PEER').length, scenario === 'cross-region' ? 1 : 0);
        assert.equal(Object.keys(cen.transitRouters).length, scenario === 'cross-region' ? 2 : 1);
        for (const a of attachments.filter((x) => x.kind === 'VPC')) assert.equal(a.zoneMappings!.length, 2, 'zone mappings in two zones');
      });
    }
  }

  it("--cen-id reuses the user's CEN and its transit router; only what is missing is added (cross-region)", async () => {
    const run = freshRun();
    const sandbox = await startSandbox({ dir: run.state, scenario: 'cross-region' });
    const A = cloudFor(sandbox, { a: 'cn-hangzhou', b: 'cn-shanghai' }).account('A');
    const cenId = await cbn.createCen(A, { name: 'corp-backbone' });
    await until(() => cbn.describeCens(A, { cenId }), (l) => l[0]?.status === 'Active');
    const routerA = await cbn.createTransitRouter(A, { cenId, regionId: 'cn-hangzhou', name: 'corp-hz' });
    await until(() => cbn.listTransitRouters(A, { cenId, regionId: 'cn-hangzhou' }), (l) => l[0]?.status === 'Active');
    await sandbox.close();

    const { world } = await applyAndReplan(run, 'cen', 'privatezone', 'cross-region', ['--cen-id', cenId]);
    assertPathWorks(world, 'cen');
    const cen = cenState(world);
    assert.deepEqual(Object.keys(cen.cens), [cenId], 'no second CEN');
    assert.equal(cen.cens[cenId]!.name, 'corp-backbone');
    const routers = Object.values(cen.transitRouters);
    assert.deepEqual(routers.filter((t) => t.regionId === 'cn-hangzhou').map((t) => t.transitRouterId), [routerA], "the user's router is used");
    assert.match(routers.find((t) => t.regionId === 'cn-shanghai')!.description, /managed-by=acr-xaccount/, 'the missing one is ours');
  });

  it('an apply killed midway (after 12 actions) resumes on the re-run: the rest is done, nothing twice', async () => {
    const run = freshRun();
    const killed = await applyKilledAfter(run, 12, [...modeArgs('cen', 'hosts', 'cross-region'), '--yes']);
    assert.ok(killed >= 12 && killed < 29, `killed after ${killed} actions`);
    const { world, apply } = await applyAndReplan(run, 'cen', 'hosts', 'cross-region');
    assert.doesNotMatch(apply.stdout, /Create CEN/, 'the CEN made before the crash is found, not made again');
    assertPathWorks(world, 'cen');
    const cen = cenState(world);
    assert.equal(Object.keys(cen.cens).length, 1);
    assert.equal(Object.values(cen.attachments).length, 3);
  });
});

/** Runs apply and SIGKILLs it once `n` actions have reported done; returns how many had. */
function applyKilledAfter(run: Run, n: number, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--sandbox-state', run.state, 'apply', '--sandbox', '--step', 'network', '--step', 'dns', ...OTHER_CHOICES, ...args], {
      cwd: run.cwd,
      env: { ...process.env, NO_COLOR: '1', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let done = 0;
    child.stderr.on('data', (d: Buffer) => {
      done += (d.toString().match(/✔/g) ?? []).length;
      if (done >= n) child.kill('SIGKILL');
    });
    child.on('close', () => resolve(done));
  });
}
