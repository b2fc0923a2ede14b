// End to end through the built CLI against the sandbox: the public endpoint, same region and across regions (the
// DNS step has nothing to do: the Internet domain resolves publicly). (Run `npm run build` first.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { registryFacts } from '../src/sandbox/state/cr-facts.js';
import { publicEgress } from '../src/sandbox/network-path.js';
import { clusterFacts } from '../src/sandbox/state/cs-seed.js';
import { applyAndReplan, assertPathWorks, freshRun, scenarioFacts } from './network-e2e-helpers.js';

describe('network + dns: public endpoint', { timeout: 120_000 }, () => {
  for (const scenario of ['default', 'cross-region']) {
    for (const dns of ['privatezone', 'hosts']) {
      it(`${scenario}, ${dns}: the endpoint is on, its ACL holds exactly A's egress address, pulls work over the Internet`, async () => {
        const run = freshRun();
        const { world, plan } = await applyAndReplan(run, 'public', dns, scenario);
        assert.match(plan.stdout, /unchanged: dns.public/, 'the DNS step has nothing to do in public mode');
        assertPathWorks(world, 'public');
        const f = scenarioFacts(world);
        const registry = registryFacts(world, String(f.instanceId))!;
        assert.equal(registry.internet.enabled, true);
        assert.equal(registry.internet.status, 'RUNNING');
        const cluster = clusterFacts(world, f.clusterId)!;
        const egress = publicEgress(world, cluster.accountId, cluster.vpcId, cluster.nodeVSwitchIds[0]!).ips.map((ip) => `${ip}/32`);
        // 127.0.0.1/32 is what the console adds when the endpoint is turned on; it is not ours and stays.
        assert.deepEqual([...registry.internet.aclEntries].sort(), [...egress, '127.0.0.1/32'].sort());
        assert.ok(!registry.internet.aclEntries.includes('0.0.0.0/0'));
      });
    }
  }
});
