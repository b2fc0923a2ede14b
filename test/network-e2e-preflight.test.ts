// End to end through the built CLI against the sandbox: each refusal before any write names the fix, and the
// call log shows no write call. (Run `npm run build` first.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createWorld } from '../src/sandbox/scenarios.js';
import { registryFacts } from '../src/sandbox/state/cr-facts.js';
import { peeringState } from '../src/sandbox/state/peering.js';
import { vpcState } from '../src/sandbox/state/vpc.js';
import { cli, freshRun, loadWorld, modeArgs, scenarioFacts, writeCalls } from './network-e2e-helpers.js';

async function refused(scenario: string, network: string, dns: string, extra: string[] = []) {
  const run = freshRun();
  const r = await cli(run, 'apply', [...modeArgs(network, dns, scenario), '--yes', '--verbose', ...extra]);
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  return { run, r };
}

describe('preflight refusals, before any write', { timeout: 120_000 }, () => {
  it('overlapping CIDRs refuse peering and CEN, naming the fix', async () => {
    for (const network of ['peering', 'cen']) {
      const { r } = await refused('overlapping-cidrs', network, 'privatezone');
      assert.match(r.stderr, /Nothing was changed\. Fix these first:/);
      assert.match(r.stderr, /A's VPC vpc-\w+ 192\.168\.0\.0\/16 overlaps B's VPC vpc-\w+ \(192\.168\.0\.0\/16\).*Fix: use --network public, or link the registry to another VPC of B/);
      assert.deepEqual(writeCalls(r.stderr), [], network);
    }
  });

  it('auth and OSS addresses inside A (given by flags): each colliding domain is named with its remedy', async () => {
    const world = createWorld('auth-ip-in-a');
    const registry = registryFacts(world, String(scenarioFacts(world).instanceId))!;
    const { r } = await refused('auth-ip-in-a', 'peering', 'privatezone', [
      '--auth-ip', registry.auth.vpcIp, '--auth-domain', registry.auth.vpcDomain, '--oss-ip', registry.oss.vpcIp, '--oss-domain', registry.oss.vpcDomain,
    ]);
    assert.match(r.stderr, new RegExp(`the authentication domain ${registry.auth.vpcDomain.replace(/\./g, '\\.')} resolves to 100\\.96\\.7\\.181 .*inside A's VPC .*100\\.96\\.0\\.0/16.*Instance Takeover of Authentication Domain Name`));
    assert.match(r.stderr, /the OSS domain .*-internal\.aliyuncs\.com resolves to 100\.96\.8\.10 .*PrivateLink.*CNAME/);
    assert.deepEqual(writeCalls(r.stderr), []);
  });

  it('auth and OSS addresses inside A (looked up): the lookup is the only call that ran; the re-run refuses before any write', async () => {
    const { run, r } = await refused('auth-ip-in-a', 'peering', 'privatezone');
    assert.match(r.stderr, /stopped before any peering, CEN or route was made/);
    assert.match(r.stderr, /Instance Takeover of Authentication Domain Name/);
    assert.deepEqual(writeCalls(r.stderr).map((l) => l.split(' ').slice(2, 4).join(' ')), ['B Ecs:RunCommand'], 'only the Cloud Assistant lookup');
    const world = loadWorld(run);
    assert.equal(Object.keys(peeringState(world).connections).length, 0);
    const accountA = world.accountIds()[0]!;
    assert.ok(!Object.values(vpcState(world, accountA).routeEntries).some((e) => e.name.startsWith('acr-xaccount')));
    // Cloud Assistant remembers the lookup: the next run knows the addresses and refuses in preflight.
    const again = await cli(run, 'apply', [...modeArgs('peering', 'privatezone'), '--yes', '--verbose']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Nothing was changed\. Fix these first:[\s\S]*resolves to 100\.96\.7\.181/);
    assert.deepEqual(writeCalls(again.stderr), []);
  });

  it('no NAT gateway refuses public mode: no egress from the nodes, and how to get it', async () => {
    const { r } = await refused('no-nat', 'public', 'privatezone');
    assert.match(r.stderr, /public mode needs egress from A's nodes: node vSwitch vsw-\w+ \(192\.168\.0\.0\/24\) has no public egress.*Fix: create an Internet NAT gateway/);
    assert.deepEqual(writeCalls(r.stderr), []);
  });

  it('hosts mode is refused for a Serverless cluster, with the reason', async () => {
    const { r } = await refused('ack-serverless', 'peering', 'hosts');
    assert.match(r.stderr, /dns: cluster c\w+ is an ACK Serverless cluster: .*--dns hosts cannot work\. Use --dns privatezone/);
    assert.deepEqual(writeCalls(r.stderr), []);
  });
});
