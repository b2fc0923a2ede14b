// End to end through the built CLI against the sandbox: VPC peering, same region and across regions, with
// PrivateZone and with hosts; a dry run makes no write call. (Run `npm run build` first.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as peer from '../src/cloud/vpcpeer.js';
import { startSandbox } from '../src/sandbox/index.js';
import { scaleOutNodePool, clusterFacts } from '../src/sandbox/state/cs-seed.js';
import { peeringState } from '../src/sandbox/state/peering.js';
import { applyAndReplan, assertPathWorks, cli, freshRun, loadWorld, modeArgs, scenarioFacts, writeCalls } from './network-e2e-helpers.js';
import { cloudFor, until } from './helpers/sandbox-network.js';

describe('network + dns: VPC peering', { timeout: 120_000 }, () => {
  for (const scenario of ['default', 'cross-region']) {
    for (const dns of ['privatezone', 'hosts']) {
      it(`${scenario}, ${dns}: apply makes the path work from every node; a second plan shows no change`, async () => {
        const run = freshRun();
        const { world } = await applyAndReplan(run, 'peering', dns, scenario);
        assertPathWorks(world, 'peering');
        const peerings = Object.values(peeringState(world).connections);
        assert.equal(peerings.length, 1);
        assert.equal(peerings[0]!.status, 'Activated');
        if (scenario === 'cross-region') assert.equal(peerings[0]!.acceptingRegionId, 'cn-shanghai');
        if (dns === 'hosts') {
          // Nodes added later run the node pool's user data and get the block too.
          const cluster = clusterFacts(world, scenarioFacts(world).clusterId)!;
          const [added] = scaleOutNodePool(world, cluster.clusterId, cluster.nodePools[0]!.nodepoolId, 1);
          assertPathWorks(world, 'peering', [added!.instanceId]);
        }
      });
    }
  }

  it('--dry-run shows the plan and makes no write call', async () => {
    const run = freshRun();
    const r = await cli(run, 'apply', [...modeArgs('peering', 'privatezone', 'cross-region'), '--dry-run', '--verbose', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Create VPC peering acr-xaccount-registry/);
    assert.match(r.stderr, /Dry run: nothing was changed/);
    assert.match(r.stderr, /\[call \d+\] B cr:GetInstanceVpcEndpoint read ok/, 'the verbose call log is on');
    assert.deepEqual(writeCalls(r.stderr), []);
    assert.equal(Object.keys(peeringState(loadWorld(run)).connections).length, 0);
  });

  it("reuses the user's own Activated peering between the two VPCs instead of making a second one", async () => {
    const run = freshRun();
    const sandbox = await startSandbox({ dir: run.state, scenario: 'default' });
    const f = sandbox.meta.facts;
    const cloud = cloudFor(sandbox);
    const id = await peer.createVpcPeerConnection(cloud.account('A'), { vpcId: String(f.vpcA), acceptingAliUid: sandbox.accounts.B.accountId, acceptingRegionId: 'cn-hangzhou', acceptingVpcId: String(f.vpcB), name: 'made-by-hand' });
    await until(() => peer.getVpcPeerConnectionAttribute(cloud.account('B'), id), (c) => c?.status === 'Accepting');
    await peer.acceptVpcPeerConnection(cloud.account('B'), id);
    await until(() => peer.getVpcPeerConnectionAttribute(cloud.account('A'), id), (c) => c?.status === 'Activated');
    await sandbox.close();

    const { world, apply } = await applyAndReplan(run, 'peering', 'privatezone', 'default');
    assert.match(apply.stdout, /network\.peering/);
    assertPathWorks(world, 'peering');
    const peerings = Object.values(peeringState(world).connections);
    assert.deepEqual(peerings.map((p) => [p.instanceId, p.name]), [[id, 'made-by-hand']]);
  });
});
