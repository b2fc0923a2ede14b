// The DNS step's planners on hand-built facts (no I/O), and the user-data merge: our block next to the user's own
// script, replaced on re-runs, never duplicated; PrivateZone reuse without clobbering what is not ours.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AccountClient } from '../src/cloud/session.js';
import { KnownAfterApply, type Action } from '../src/plan/action.js';
import { createPlan } from '../src/plan/plan.js';
import { step as dnsStep } from '../src/steps/dns/index.js';
import type { DnsFacts, ZoneFacts } from '../src/steps/dns/facts.js';
import { blockOf, hostsScript, unmergeableReason, withHostsSection, withoutHostsSection } from '../src/steps/dns/user-data.js';
import { MARKER } from '../src/steps/marker.js';
import { hostsBlockOfScript } from '../src/sandbox/state/ecs-shell.js';
import type { BaseFacts, StepClients } from '../src/steps/step.js';

const clients: StepClients = { A: {} as AccountClient, B: {} as AccountClient, kubeconfig: async () => '', pollIntervalMs: 1 };
const DOMAIN = 'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com';
const USER_SCRIPT = '#!/bin/bash\nset -e\necho "tuning" > /etc/sysctl.d/90-team.conf\nexit 0\n';

function facts(over: Partial<DnsFacts> = {}): DnsFacts {
  return {
    network: 'peering', mode: 'privatezone', accountA: '111', regionA: 'cn-hangzhou', vpcA: 'vpc-a', clusterId: 'c1', instanceId: 'cri-abc', domain: DOMAIN,
    vpcB: 'vpc-b', registryIp: '172.16.0.252', linkPending: false, profile: 'Default', zones: [], pools: [], nodes: [], problems: [], ...over,
  };
}

const plan = (f: DnsFacts): Action[] => {
  const actions = dnsStep.plan({} as never, f, {} as BaseFacts, clients);
  createPlan(actions);
  return actions;
};
const changes = (actions: Action[]) => Object.fromEntries(actions.map((a) => [a.id, a.change]));
const preflight = (f: DnsFacts) => dnsStep.preflight({} as never, f, {} as BaseFacts);

function zone(over: { records?: ZoneFacts['records']; bindVpcs?: string[]; id?: string } = {}): ZoneFacts {
  return {
    info: { zoneId: over.id ?? 'z-1', zoneName: DOMAIN, recordCount: 0, tags: {}, bindVpcs: (over.bindVpcs ?? []).map((vpcId) => ({ vpcId, regionId: 'cn-hangzhou' })) },
    records: over.records ?? [],
  };
}

describe('user data: our hosts block beside the user script', () => {
  const lines = [`172.16.0.252 ${DOMAIN}`];

  it("keeps the user's script line for line, puts our section right after the shebang, and replaces it on re-runs", () => {
    const once = withHostsSection(USER_SCRIPT, lines);
    assert.ok(once.startsWith('#!/bin/bash\n# >>> acr-xaccount hosts block'), 'our section runs before the user script can exit');
    assert.equal(withoutHostsSection(once), USER_SCRIPT, "removing our section gives back the user's script exactly");
    assert.equal(withHostsSection(once, lines), once, 'a re-run changes nothing');
    const moved = withHostsSection(once, [`172.16.0.9 ${DOMAIN}`]);
    assert.equal(moved.split('\n').filter((l) => l === '# BEGIN acr-xaccount').length, 1, 'never two blocks');
    assert.deepEqual(blockOf(moved), [`172.16.0.9 ${DOMAIN}`]);
    assert.equal(withoutHostsSection(moved), USER_SCRIPT);
  });

  it('empty user data becomes a bash script with only our section; the sandbox node reads its block', () => {
    const script = withHostsSection('', lines);
    assert.ok(script.startsWith('#!/bin/bash\n'));
    assert.deepEqual(hostsBlockOfScript(script), lines);
    assert.deepEqual(hostsBlockOfScript(hostsScript(lines)), lines);
  });

  it('cloud-init user data cannot take a shell section', () => {
    assert.match(unmergeableReason('#cloud-config\nruncmd: []\n')!, /cloud-init/);
    assert.equal(unmergeableReason(USER_SCRIPT), undefined);
    assert.equal(unmergeableReason(''), undefined);
  });
});

describe('dns plan: hosts', () => {
  const pools = [
    { nodepoolId: 'np-1', name: 'default', userData: USER_SCRIPT },
    { nodepoolId: 'np-2', name: 'gpu', userData: '' },
  ];
  const nodes = [
    { instanceId: 'i-1', nodepoolId: 'np-1', online: true },
    { instanceId: 'i-2', nodepoolId: 'np-2', online: true },
  ];

  it('first run: every pool gets the block for new nodes, the existing nodes get it now, listed in the plan', () => {
    const actions = plan(facts({ mode: 'hosts', pools, nodes }));
    assert.deepEqual(changes(actions), { 'dns.user-data.np-1': 'update', 'dns.user-data.np-2': 'update', 'dns.hosts-nodes': 'update' });
    assert.deepEqual(actions.find((a) => a.id === 'dns.hosts-nodes')!.detail!.nodes, ['i-1', 'i-2']);
  });

  it('finished: pools carry the block, each node last wrote the same block: only noops', () => {
    const lines = [`172.16.0.252 ${DOMAIN}`];
    const done = facts({
      mode: 'hosts',
      pools: pools.map((p) => ({ ...p, userData: withHostsSection(p.userData, lines) })),
      nodes: nodes.map((n) => ({ ...n, lastBlock: lines })),
    });
    assert.deepEqual([...new Set(plan(done).map((a) => a.change))], ['noop']);
    // The registry moved: every pool and node is updated again.
    const moved = plan({ ...done, registryIp: '172.16.0.9' });
    assert.deepEqual(changes(moved), { 'dns.user-data.np-1': 'update', 'dns.user-data.np-2': 'update', 'dns.hosts-nodes': 'update' });
    // A node added later without the block is the only one written.
    const grown = plan({ ...done, nodes: [...done.nodes, { instanceId: 'i-3', nodepoolId: 'np-1', online: true }] });
    assert.deepEqual(grown.find((a) => a.id === 'dns.hosts-nodes')!.detail!.nodes, ['i-3']);
  });

  it('the registry address still unknown: everything waits for it', () => {
    const actions = plan(facts({ mode: 'hosts', pools, nodes, registryIp: undefined, linkPending: true }));
    assert.equal(actions[0]!.id, 'dns.registry-ip');
    assert.equal(actions[0]!.change, 'wait');
    for (const a of actions.slice(1)) assert.ok(a.dependsOn?.includes('dns.registry-ip'), a.id);
  });

  it('refused for Serverless clusters, cloud-init pools and nodes without Cloud Assistant, with the reason', () => {
    assert.match(preflight(facts({ mode: 'hosts', profile: 'Serverless' })).join('\n'), /Serverless cluster.*--dns privatezone/);
    const problems = preflight(facts({ mode: 'hosts', pools: [{ nodepoolId: 'np-3', name: 'ci', userData: '#cloud-config\n' }], nodes: [{ instanceId: 'i-9', nodepoolId: 'np-3', online: false }] })).join('\n');
    assert.match(problems, /node pool ci \(np-3\): its user data is cloud-init/);
    assert.match(problems, /Cloud Assistant is not online on node\(s\) i-9/);
  });
});

describe('dns plan: PrivateZone', () => {
  it('first run: a zone for the exact VPC domain, its @ record, bound to A; they wait for the registry address if unknown', () => {
    const actions = plan(facts());
    assert.deepEqual(changes(actions), { 'dns.zone': 'create', 'dns.zone-record': 'create', 'dns.zone-binding': 'create' });
    assert.equal(actions[0]!.detail!.name, DOMAIN, 'the exact registry domain, never a parent');
    const pending = plan(facts({ registryIp: undefined, linkPending: true }));
    assert.equal(pending.find((a) => a.id === 'dns.zone')!.dependsOn?.[0], 'dns.registry-ip');
    assert.ok(pending.find((a) => a.id === 'dns.zone-record')!.detail!.value instanceof KnownAfterApply);
  });

  it('finished: only noops; the registry moved: the record is updated', () => {
    const done = facts({ zones: [zone({ bindVpcs: ['vpc-a'], records: [{ recordId: 7, rr: '@', type: 'A', value: '172.16.0.252', remark: MARKER }] })] });
    assert.deepEqual([...new Set(plan(done).map((a) => a.change))], ['noop']);
    assert.deepEqual(changes(plan({ ...done, registryIp: '172.16.0.9' })), { 'dns.zone': 'noop', 'dns.zone-record': 'update', 'dns.zone-binding': 'noop' });
  });

  it("reuses the user's zone of that name: adds our record, binds A's VPC beside the user's bindings", () => {
    const theirs = zone({ bindVpcs: ['vpc-other'], records: [{ recordId: 3, rr: 'mirror', type: 'A', value: '10.0.0.3' }] });
    const actions = plan(facts({ zones: [theirs] }));
    assert.deepEqual(changes(actions), { 'dns.zone': 'noop', 'dns.zone-record': 'create', 'dns.zone-binding': 'update' });
    assert.deepEqual(actions.find((a) => a.id === 'dns.zone-binding')!.detail!.keeps, ['vpc-other']);
  });

  it("refuses to overwrite someone else's @ record that answers differently", () => {
    const theirs = zone({ bindVpcs: ['vpc-a'], records: [{ recordId: 3, rr: '@', type: 'A', value: '10.9.9.9' }] });
    assert.match(preflight(facts({ zones: [theirs] })).join('\n'), /already answers with 10\.9\.9\.9 .*not made by acr-xaccount.*correct or delete/);
  });

  it('of several zones of that name, picks the one bound to A', () => {
    const actions = plan(facts({ zones: [zone({ id: 'z-loose' }), zone({ id: 'z-bound', bindVpcs: ['vpc-a'] })] }));
    assert.equal(actions.find((a) => a.id === 'dns.zone')!.detail!.id, 'z-bound');
  });
});

describe('dns plan: public', () => {
  it('nothing to do: the Internet domain resolves publicly', () => {
    const actions = plan(facts({ network: 'public', domain: 'acme-registry.cn-hangzhou.cr.aliyuncs.com' }));
    assert.deepEqual(changes(actions), { 'dns.public': 'noop' });
  });
});
