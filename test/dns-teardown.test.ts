// The DNS step's teardown: facts in, actions out (no I/O) — what is deleted, what is kept and why, in which order,
// and that a torn-down world plans only noops; the user-data mirror of the merge; the removal script as the
// sandbox's node shell runs it; and the zone actions' re-checks against an in-process sandbox (stale plans, re-runs).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as pvtz from '../src/cloud/pvtz.js';
import type { BoundVpc } from '../src/cloud/pvtz.js';
import type { AccountClient } from '../src/cloud/session.js';
import type { Action, ApplyContext } from '../src/plan/action.js';
import { createPlan } from '../src/plan/plan.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { runShellScript } from '../src/sandbox/state/ecs-shell.js';
import { pvtzState } from '../src/sandbox/state/pvtz.js';
import { seedVpc } from '../src/sandbox/state/vpc.js';
import { step as dnsStep } from '../src/steps/dns/index.js';
import { initialFacts, type DnsFacts, type NodeFacts, type PoolFacts, type ZoneFacts } from '../src/steps/dns/facts.js';
import { discoverZones } from '../src/steps/dns/privatezone.js';
import { discoverDnsTeardown } from '../src/steps/dns/teardown.js';
import { blockOf, hasHostsSection, hostsRemovalScript, hostsScript, userDataWithoutHosts, withHostsSection } from '../src/steps/dns/user-data.js';
import { MARKER } from '../src/steps/marker.js';
import type { BaseFacts, StepClients, TeardownBase } from '../src/steps/step.js';
import { cloudFor } from './helpers/sandbox-network.js';
import { clusterDetail, identities, stepConfig } from './helpers/step-facts.js';

const clients: StepClients = { A: {} as AccountClient, B: {} as AccountClient, kubeconfig: async () => '', pollIntervalMs: 1 };
const DOMAIN = 'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com';
const LINES = [`172.16.0.252 ${DOMAIN}`];
const USER_SCRIPT = '#!/bin/bash\nset -e\necho "tuning" > /etc/sysctl.d/90-team.conf\nexit 0\n';

function facts(over: Partial<DnsFacts> = {}): DnsFacts {
  return {
    network: 'peering', mode: 'privatezone', accountA: '111', regionA: 'cn-hangzhou', vpcA: 'vpc-a', clusterId: 'c1', instanceId: 'cri-abc', domain: DOMAIN,
    linkPending: false, profile: 'Default', zones: [], pools: [], nodes: [], problems: [], ...over,
  };
}

const teardown = (f: DnsFacts, c: StepClients = clients): Action[] => {
  const actions = dnsStep.teardown!({} as never, f, {} as BaseFacts, c, { removeAddon: false });
  createPlan(actions); // unique IDs, known dependencies, no cycle
  return actions;
};
/** The facts destroy discovers with A's cluster gone: its VPC and profile unknown, no node pools or nodes. */
/** The other steps' choices a valid config needs. */
const CHOICES = { network: { mode: 'peering', dns: 'privatezone' }, auth: { mode: 'rrsa' }, addon: { edition: 'managed' } } as const;

function gone(over: Partial<DnsFacts> = {}): DnsFacts {
  const f = facts(over);
  delete f.vpcA;
  delete f.profile;
  return f;
}
const changes = (actions: Action[]) => Object.fromEntries(actions.map((a) => [a.id, a.change]));
const byId = (actions: Action[], id: string) => actions.find((a) => a.id === id)!;

const ours = (recordId: number, value = '172.16.0.252') => ({ recordId, rr: '@', type: 'A', value, remark: MARKER });
const theirs = (recordId: number) => ({ recordId, rr: '_owner', type: 'TXT', value: 'platform-team' });

function zone(over: { records?: ZoneFacts['records']; bindVpcs?: string[]; id?: string } = {}): ZoneFacts {
  return {
    info: { zoneId: over.id ?? 'z-1', zoneName: DOMAIN, recordCount: 0, tags: {}, bindVpcs: (over.bindVpcs ?? []).map((vpcId) => ({ vpcId, regionId: 'cn-hangzhou' })) },
    records: over.records ?? [],
  };
}

describe('dns teardown: PrivateZone', () => {
  it('our zone (only our record, bound only to A): unbind A, then delete the zone', () => {
    const actions = teardown(facts({ zones: [zone({ bindVpcs: ['vpc-a'], records: [ours(7)] })] }));
    assert.deepEqual(changes(actions), { 'dns.destroy.zone-binding.z-1': 'update', 'dns.destroy.zone.z-1': 'delete' });
    const del = byId(actions, 'dns.destroy.zone.z-1');
    assert.deepEqual(del.dependsOn, ['dns.destroy.zone-binding.z-1'], 'a zone is deleted only once unbound');
    assert.deepEqual(del.detail!.records, ['@ A 172.16.0.252']);
    assert.equal(byId(actions, 'dns.destroy.zone-binding.z-1').detail!.vpc, 'vpc-a');
    for (const a of actions) assert.equal(a.account, 'A');
  });

  it('our zone no longer bound (a killed destroy unbound it): only the delete, with no dependency', () => {
    const actions = teardown(facts({ zones: [zone({ records: [ours(7)] })] }));
    assert.deepEqual(changes(actions), { 'dns.destroy.zone.z-1': 'delete' });
    assert.equal(byId(actions, 'dns.destroy.zone.z-1').dependsOn, undefined);
  });

  it("the user's zone of that name: only our record goes; the zone, its records and bindings stay, and the plan says why", () => {
    const actions = teardown(facts({ zones: [zone({ bindVpcs: ['vpc-a'], records: [theirs(3), ours(7)] })] }));
    assert.deepEqual(changes(actions), { 'dns.destroy.zone-record.7': 'delete', 'dns.destroy.zone.z-1': 'noop' });
    const record = byId(actions, 'dns.destroy.zone-record.7');
    assert.deepEqual([record.detail!.recordId, record.detail!.rr, record.detail!.value], [7, '@', '172.16.0.252']);
    const keep = byId(actions, 'dns.destroy.zone.z-1');
    assert.match(keep.title, /^Keep PrivateZone zone .*\(.*1 record\(s\) not made by acr-xaccount: _owner TXT platform-team/);
    assert.match(String(keep.detail!.note), /vpc-a stays bound/);
  });

  it('a zone of ours that other VPCs use is kept (our record goes); so is an empty one, which proves nothing', () => {
    const shared = teardown(facts({ zones: [zone({ bindVpcs: ['vpc-a', 'vpc-other'], records: [ours(7)] })] }));
    assert.deepEqual(changes(shared), { 'dns.destroy.zone-record.7': 'delete', 'dns.destroy.zone.z-1': 'noop' });
    assert.match(byId(shared, 'dns.destroy.zone.z-1').title, /other VPCs use it: vpc-other/);
    const empty = teardown(facts({ zones: [zone({ bindVpcs: ['vpc-a'] })] }));
    assert.deepEqual(changes(empty), { 'dns.destroy.zone.z-1': 'noop' });
    assert.match(byId(empty, 'dns.destroy.zone.z-1').title, /^Keep .*empty/);
  });

  it('several zones of that name: each on its own (ours deleted, the other kept with our record removed)', () => {
    const actions = teardown(facts({ zones: [zone({ id: 'z-b', records: [theirs(3), ours(8)] }), zone({ id: 'z-a', bindVpcs: ['vpc-a'], records: [ours(7)] })] }));
    assert.deepEqual(changes(actions), {
      'dns.destroy.zone-binding.z-a': 'update',
      'dns.destroy.zone.z-a': 'delete',
      'dns.destroy.zone-record.8': 'delete',
      'dns.destroy.zone.z-b': 'noop',
    });
  });
});

describe('dns teardown: hosts', () => {
  const carrying: PoolFacts[] = [
    { nodepoolId: 'np-1', name: 'default', userData: withHostsSection(USER_SCRIPT, LINES) },
    { nodepoolId: 'np-2', name: 'gpu', userData: withHostsSection('', LINES) },
  ];
  const plain: PoolFacts = { nodepoolId: 'np-3', name: 'ci', userData: USER_SCRIPT };
  const node = (instanceId: string, nodepoolId: string, over: Partial<NodeFacts> = {}): NodeFacts => ({ instanceId, nodepoolId, online: true, ...over });

  it('each pool carrying our section loses it; then the nodes that have the block lose it, in one Cloud Assistant run', () => {
    const nodes = [
      node('i-1', 'np-1', { lastBlock: LINES }),
      node('i-2', 'np-2'), // added after apply: ran the pool's user data, no Cloud Assistant run of ours
      node('i-3', 'np-3', { lastBlock: LINES }), // its pool never carried the block (user data rewritten), the node still does
      node('i-4', 'np-3'), // nothing of ours
    ];
    const actions = teardown(facts({ mode: 'hosts', pools: [...carrying, plain], nodes }));
    assert.deepEqual(changes(actions), { 'dns.destroy.user-data.np-1': 'update', 'dns.destroy.user-data.np-2': 'update', 'dns.destroy.hosts-nodes': 'update' });
    const run = byId(actions, 'dns.destroy.hosts-nodes');
    assert.deepEqual(run.detail!.nodes, ['i-1', 'i-2', 'i-3']);
    assert.deepEqual(run.dependsOn, ['dns.destroy.user-data.np-1', 'dns.destroy.user-data.np-2']);
    assert.deepEqual(byId(actions, 'dns.destroy.user-data.np-1').detail!.removes, LINES);
    assert.equal(byId(actions, 'dns.destroy.user-data.np-1').detail!.userScript, 'kept byte for byte');
    assert.match(String(byId(actions, 'dns.destroy.user-data.np-2').detail!.userScript), /becomes empty/);
  });

  it('nodes where Cloud Assistant is offline are kept, with the lines to delete by hand', () => {
    const actions = teardown(facts({ mode: 'hosts', nodes: [node('i-1', 'np-1', { lastBlock: LINES }), node('i-9', 'np-1', { lastBlock: LINES, online: false })] }));
    assert.deepEqual(changes(actions), { 'dns.destroy.hosts-nodes': 'update', 'dns.destroy.hosts-offline': 'noop' });
    assert.deepEqual(byId(actions, 'dns.destroy.hosts-nodes').detail!.nodes, ['i-1']);
    const keep = byId(actions, 'dns.destroy.hosts-offline');
    assert.match(keep.title, /^Keep the hosts block on 1 node\(s\) \(Cloud Assistant is not online.*# BEGIN acr-xaccount.*# END acr-xaccount.*by hand/);
    assert.deepEqual(keep.detail!.nodes, ['i-9']);
  });

  it('whatever the configured mode: a switch from hosts to PrivateZone (or back) leaves nothing behind', () => {
    const world = { zones: [zone({ bindVpcs: ['vpc-a'], records: [ours(7)] })], pools: carrying.slice(0, 1), nodes: [node('i-1', 'np-1', { lastBlock: LINES })] };
    const expected = { 'dns.destroy.zone-binding.z-1': 'update', 'dns.destroy.zone.z-1': 'delete', 'dns.destroy.user-data.np-1': 'update', 'dns.destroy.hosts-nodes': 'update' };
    assert.deepEqual(changes(teardown(facts({ mode: 'privatezone', ...world }))), expected);
    assert.deepEqual(changes(teardown(facts({ mode: 'hosts', ...world }))), expected);
    assert.deepEqual(changes(teardown(facts({ network: 'public', ...world }))), expected);
  });
});

describe("dns teardown: A's cluster gone (its VPC unknown)", () => {
  const vpc = (vpcId: string, over: Partial<BoundVpc> = {}): BoundVpc => ({ vpcId, regionId: 'cn-hangzhou', vpcType: 'STANDARD', ...over });
  const zoneBound = (records: ZoneFacts['records'], vpcs: BoundVpc[], id = 'z-1'): ZoneFacts => {
    const z = zone({ records, id });
    z.info.bindVpcs = vpcs;
    return z;
  };

  it("the facts: the cluster's VPC and profile unknown, the configured cluster ID; with the cluster, as before", () => {
    const config = stepConfig('c0ffee1234gone', 'cri-abc', CHOICES);
    const base = { steps: ['dns' as const], identities: identities('111', '222'), registry: { instance: { instanceId: 'cri-abc' } as never, endpoints: [] } };
    const without = initialFacts(config, base, DOMAIN);
    assert.equal(without.vpcA, undefined);
    assert.equal(without.profile, undefined);
    assert.equal(without.clusterId, 'c0ffee1234gone');
    const withCluster = initialFacts(config, { ...base, cluster: clusterDetail('c0ffee1234gone', 'role', undefined, { vpcId: 'vpc-a', profile: 'Serverless' }) }, DOMAIN);
    assert.deepEqual([withCluster.vpcA, withCluster.profile, withCluster.clusterId], ['vpc-a', 'Serverless', 'c0ffee1234gone']);
  });

  it('our zone bound to one VPC of A\'s (region, account, STANDARD): that VPC is unbound, then the zone deleted', () => {
    const actions = teardown(gone({ zones: [zoneBound([ours(7)], [vpc('vpc-x')])] }));
    assert.deepEqual(changes(actions), { 'dns.destroy.zone-binding.z-1': 'update', 'dns.destroy.zone.z-1': 'delete' });
    const unbind = byId(actions, 'dns.destroy.zone-binding.z-1');
    assert.match(unbind.title, /^Unbind PrivateZone zone \S+ from VPC vpc-x \(the zone's only VPC, taken as A's: A's cluster is gone\)$/);
    assert.deepEqual([unbind.detail!.vpc, unbind.detail!.region], ['vpc-x', 'cn-hangzhou']);
    const del = byId(actions, 'dns.destroy.zone.z-1');
    assert.deepEqual(del.dependsOn, ['dns.destroy.zone-binding.z-1']);
    assert.match(String(del.detail!.ours), /every record in it carries .*; A's cluster is gone: no VPC but vpc-x \(in A's region, A's own\) is bound to it$/);
    // A binding the console shows without type or owner (same account) is the same shape.
    const bare = teardown(gone({ zones: [zoneBound([ours(7)], [{ vpcId: 'vpc-x', regionId: 'cn-hangzhou' }])] }));
    assert.deepEqual(Object.values(changes(bare)), ['update', 'delete']);
    const sameAccount = teardown(gone({ zones: [zoneBound([ours(7)], [vpc('vpc-x', { vpcUserId: '111' })])] }));
    assert.deepEqual(Object.values(changes(sameAccount)), ['update', 'delete']);
  });

  it('our zone bound to no VPC: only the delete', () => {
    const actions = teardown(gone({ zones: [zone({ records: [ours(7)] })] }));
    assert.deepEqual(changes(actions), { 'dns.destroy.zone.z-1': 'delete' });
    assert.equal(byId(actions, 'dns.destroy.zone.z-1').dependsOn, undefined);
    assert.match(String(byId(actions, 'dns.destroy.zone.z-1').detail!.ours), /A's cluster is gone: no VPC is bound to it$/);
  });

  it('two VPCs or more: which was A\'s cannot be told, so the zone and its bindings stay (our record goes)', () => {
    const actions = teardown(gone({ zones: [zoneBound([ours(7)], [vpc('vpc-1'), vpc('vpc-2')])] }));
    assert.deepEqual(changes(actions), { 'dns.destroy.zone-record.7': 'delete', 'dns.destroy.zone.z-1': 'noop' });
    const keep = byId(actions, 'dns.destroy.zone.z-1');
    assert.match(keep.title, /^Keep PrivateZone zone \S+ \(A's cluster is gone, so which VPC is A's cannot be told, and 2 VPCs use it: vpc-1, vpc-2\)$/);
    assert.deepEqual(keep.detail!.boundTo, ['vpc-1', 'vpc-2']);
    assert.match(String(keep.detail!.note), /cluster is gone.*unbind A's by hand/);
  });

  it('one VPC that apply cannot have bound (another region, another account, an EDS VPC): kept, saying why', () => {
    const cases: [BoundVpc, RegExp][] = [
      [vpc('vpc-sh', { regionId: 'cn-shanghai' }), /vpc-sh, cannot be A's: it is in cn-shanghai, not in A's region cn-hangzhou/],
      [vpc('vpc-b', { vpcUserId: '222' }), /vpc-b, cannot be A's: it is account 222's, not A's/],
      [vpc('vpc-eds', { vpcType: 'EDS' }), /vpc-eds, cannot be A's: it is an EDS VPC/],
    ];
    for (const [bound, why] of cases) {
      const actions = teardown(gone({ zones: [zoneBound([ours(7)], [bound])] }));
      assert.deepEqual(changes(actions), { 'dns.destroy.zone-record.7': 'delete', 'dns.destroy.zone.z-1': 'noop' }, bound.vpcId);
      assert.match(byId(actions, 'dns.destroy.zone.z-1').title, why);
    }
  });

  it("the user's zone and an empty zone stay as with the cluster; several zones each on its own", () => {
    const actions = teardown(gone({ zones: [zoneBound([theirs(3), ours(8)], [vpc('vpc-x')]), zoneBound([ours(7)], [vpc('vpc-y')], 'z-0'), zone({ id: 'z-2' })] }));
    assert.deepEqual(changes(actions), {
      'dns.destroy.zone-binding.z-0': 'update',
      'dns.destroy.zone.z-0': 'delete',
      'dns.destroy.zone-record.8': 'delete',
      'dns.destroy.zone.z-1': 'noop',
      'dns.destroy.zone.z-2': 'noop',
    });
    assert.match(byId(actions, 'dns.destroy.zone.z-1').title, /1 record\(s\) not made by acr-xaccount: _owner TXT platform-team/);
    assert.match(byId(actions, 'dns.destroy.zone.z-2').title, /^Keep .*empty/);
  });

  it('nothing of hosts mode is planned (no pools, no nodes: they went with the cluster); a torn-down world plans nothing', () => {
    assert.deepEqual(teardown(gone({ mode: 'hosts' })), []);
    assert.deepEqual(teardown(gone()), []);
  });
});

describe('dns teardown: a torn-down world plans no change', () => {
  it('after everything went: nothing; with things kept: only noops', () => {
    // What the teardown leaves: pools without our section, nodes whose last hosts run was the removal (no block).
    const pools = [{ nodepoolId: 'np-1', name: 'default', userData: USER_SCRIPT }];
    const nodes = [{ instanceId: 'i-1', nodepoolId: 'np-1', online: true, lastBlock: blockOf(hostsRemovalScript()) }];
    assert.deepEqual(teardown(facts({ mode: 'hosts', pools, nodes })), []);
    const kept = facts({ zones: [zone({ bindVpcs: ['vpc-a'], records: [theirs(3)] }), zone({ id: 'z-2' })], nodes: [{ instanceId: 'i-9', nodepoolId: 'np-1', online: false, lastBlock: LINES }] });
    const actions = teardown(kept);
    assert.ok(actions.length > 0);
    assert.deepEqual([...new Set(actions.map((a) => a.change))], ['noop']);
    assert.ok(actions.every((a) => a.title.startsWith('Keep ')), 'each kept thing says why');
  });
});

describe('user data and /etc/hosts: our part out, the rest as it was', () => {
  it('mirrors the merge: the user script byte for byte, empty user data empty again', () => {
    for (const original of [USER_SCRIPT, '', 'echo no-shebang\n', '#!/bin/sh\r\necho crlf\r\n', '#!/bin/bash\necho no-newline']) {
      const merged = withHostsSection(original, LINES);
      assert.ok(hasHostsSection(merged));
      assert.equal(userDataWithoutHosts(merged), original, JSON.stringify(original));
      assert.equal(userDataWithoutHosts(withHostsSection(merged, [`172.16.0.9 ${DOMAIN}`])), original, 'after a re-run moved the address too');
    }
    assert.equal(userDataWithoutHosts(USER_SCRIPT), USER_SCRIPT, 'user data without our section is never touched');
    assert.equal(hasHostsSection(USER_SCRIPT), false);
  });

  it("the removal script deletes the block and only the block, writes none back, and reads as 'no block' to the next plan", () => {
    const script = hostsRemovalScript();
    assert.equal(blockOf(script), undefined, 'a node whose last hosts run was the removal has no block');
    const instance = { hosts: ['127.0.0.1 localhost', '10.0.0.5 build-cache.internal', '# BEGIN acr-xaccount', ...LINES, '# END acr-xaccount', '::1 localhost'] };
    const ctx = { world: {} as never, accountId: '111', instance: instance as never, scriptPath: '/tmp/x.sh' };
    assert.deepEqual(runShellScript(ctx, script), { output: '', exitCode: 0 });
    assert.deepEqual(instance.hosts, ['127.0.0.1 localhost', '10.0.0.5 build-cache.internal', '::1 localhost']);
    assert.deepEqual(runShellScript(ctx, script), { output: '', exitCode: 0 }, 'again: nothing to do');
    assert.deepEqual(instance.hosts, ['127.0.0.1 localhost', '10.0.0.5 build-cache.internal', '::1 localhost']);
    // The apply script still writes its block (the removal's recognition does not capture it).
    runShellScript(ctx, hostsScript(LINES));
    assert.deepEqual(instance.hosts.slice(-3), ['# BEGIN acr-xaccount', ...LINES, '# END acr-xaccount']);
  });
});

describe('dns teardown: the zone actions re-check before writing (in-process sandbox)', { timeout: 60_000 }, () => {
  let sandbox: RunningSandbox;
  let A: AccountClient;
  let vpcA: string;
  const ctx: ApplyContext = {
    output: () => {
      throw new Error('the zone actions read no other action');
    },
    progress: () => {},
    signal: new AbortController().signal,
  };
  const run = async (actions: Action[]) => {
    for (const a of createPlan(actions).actions) if (a.change !== 'noop') await a.apply!(ctx);
  };

  before(async () => {
    sandbox = await startSandbox({ ephemeral: true, scenario: 'default' });
    A = cloudFor(sandbox).account('A');
    vpcA = String(sandbox.meta.facts.vpcA);
  });
  after(() => sandbox.close());

  it('deletes our zone, and a re-run of the same (now stale) plan changes nothing and does not fail', async () => {
    const domain = String(sandbox.meta.facts.registryVpcDomain);
    const z = await pvtz.addZone(A, { zoneName: domain });
    await pvtz.addZoneRecord(A, { zoneId: z.zoneId, rr: '@', value: '172.16.0.252', remark: MARKER });
    await pvtz.bindZoneVpc(A, z.zoneId, [{ vpcId: vpcA, regionId: 'cn-hangzhou' }]);
    const c = { ...clients, A };
    const actions = teardown(facts({ vpcA, domain, zones: await discoverZones(A, domain) }), c);
    assert.deepEqual(Object.values(changes(actions)), ['update', 'delete']);
    await run(actions);
    assert.equal(await pvtz.describeZoneInfo(A, z.zoneId), undefined, 'the zone is gone');
    await run(actions);
    assert.deepEqual(teardown(facts({ vpcA, domain, zones: await discoverZones(A, domain) }), c), []);
  });

  it("keeps the user's zone; a record already deleted by hand is skipped; a zone that became the user's is not deleted", async () => {
    const domain = 'other-registry-vpc.cn-hangzhou.cr.aliyuncs.com';
    const z = await pvtz.addZone(A, { zoneName: domain });
    await pvtz.addZoneRecord(A, { zoneId: z.zoneId, rr: '_owner', type: 'TXT', value: 'platform-team' });
    const mine = await pvtz.addZoneRecord(A, { zoneId: z.zoneId, rr: '@', value: '172.16.0.252', remark: MARKER });
    const c = { ...clients, A };
    const stale = teardown(facts({ vpcA, domain, zones: await discoverZones(A, domain) }), c);
    assert.deepEqual(changes(stale), { [`dns.destroy.zone-record.${mine}`]: 'delete', [`dns.destroy.zone.${z.zoneId}`]: 'noop' });
    await pvtz.deleteZoneRecord(A, mine);
    await run(stale);
    const left = Object.values(pvtzState(sandbox.world, sandbox.meta.accounts.A).records).filter((r) => r.zoneId === z.zoneId);
    assert.deepEqual(left.map((r) => `${r.rr} ${r.type} ${r.value}`), ['_owner TXT platform-team']);

    // Planned as ours, but the user added a record before the delete ran: only our record goes, and the run says so.
    const again = await pvtz.addZone(A, { zoneName: 'third-registry-vpc.cn-hangzhou.cr.aliyuncs.com' });
    await pvtz.addZoneRecord(A, { zoneId: again.zoneId, rr: '@', value: '172.16.0.252', remark: MARKER });
    const planned = teardown(facts({ vpcA, domain: 'third-registry-vpc.cn-hangzhou.cr.aliyuncs.com', zones: await discoverZones(A, 'third-registry-vpc.cn-hangzhou.cr.aliyuncs.com') }), c);
    assert.deepEqual(Object.values(changes(planned)), ['delete']);
    await pvtz.addZoneRecord(A, { zoneId: again.zoneId, rr: 'www', value: '10.1.2.3' });
    await assert.rejects(run(planned), /changed since the plan and is kept .*not made by acr-xaccount.*Re-run destroy/);
    const records = await pvtz.describeZoneRecords(A, again.zoneId);
    assert.deepEqual(records.map((r) => `${r.rr} ${r.type} ${r.value}`), ['www A 10.1.2.3']);
  });

  it("with A's cluster gone: discovery reads only the zones; the zone bound to one VPC is unbound and deleted, a stale re-run is a no-op", async () => {
    const domain = 'gone-registry-vpc.cn-hangzhou.cr.aliyuncs.com';
    const z = await pvtz.addZone(A, { zoneName: domain });
    await pvtz.addZoneRecord(A, { zoneId: z.zoneId, rr: '@', value: '172.16.0.252', remark: MARKER });
    await pvtz.bindZoneVpc(A, z.zoneId, [{ vpcId: vpcA, regionId: 'cn-hangzhou' }]);
    const c = { ...clients, A };
    const config = stepConfig(String(sandbox.meta.facts.clusterId), String(sandbox.meta.facts.instanceId), { ...CHOICES, network: { mode: 'peering', dns: 'hosts' } });
    const base: TeardownBase = {
      steps: ['dns'],
      identities: identities(sandbox.meta.accounts.A, sandbox.meta.accounts.B),
      registry: { instance: { instanceId: String(sandbox.meta.facts.instanceId) } as never, endpoints: [{ type: 'VPC', domains: [{ domain }] } as never] },
    };
    const f = await discoverDnsTeardown(config, base, c);
    assert.equal(f.vpcA, undefined);
    // The sandbox's cluster still exists here: its pools and nodes would show if discovery had read them.
    assert.deepEqual([f.pools, f.nodes], [[], []], 'no node pool or node is read without the cluster');
    assert.deepEqual(f.zones.map((x) => x.info.zoneId), [z.zoneId]);
    const actions = teardown(f, c);
    assert.deepEqual(changes(actions), { [`dns.destroy.zone-binding.${z.zoneId}`]: 'update', [`dns.destroy.zone.${z.zoneId}`]: 'delete' });
    assert.equal(byId(actions, `dns.destroy.zone-binding.${z.zoneId}`).detail!.vpc, vpcA);
    await run(actions);
    assert.equal(await pvtz.describeZoneInfo(A, z.zoneId), undefined, 'the zone is gone');
    await run(actions);
    assert.deepEqual(teardown(await discoverDnsTeardown(config, base, c), c), []);
  });

  it("with A's cluster gone: a VPC bound after the plan keeps the zone (only the VPC the plan showed counts as A's)", async () => {
    const other = seedVpc(sandbox.world, sandbox.meta.accounts.A, { regionId: 'cn-hangzhou', name: 'team', cidrBlock: '10.60.0.0/16' }).vpcId;
    const c = { ...clients, A };
    for (const [domain, planBound] of [['late-a-registry-vpc.cn-hangzhou.cr.aliyuncs.com', true], ['late-b-registry-vpc.cn-hangzhou.cr.aliyuncs.com', false]] as const) {
      const z = await pvtz.addZone(A, { zoneName: domain });
      await pvtz.addZoneRecord(A, { zoneId: z.zoneId, rr: '@', value: '172.16.0.252', remark: MARKER });
      if (planBound) await pvtz.bindZoneVpc(A, z.zoneId, [{ vpcId: vpcA, regionId: 'cn-hangzhou' }]);
      const planned = teardown(gone({ domain, zones: await discoverZones(A, domain) }), c);
      assert.deepEqual(Object.values(changes(planned)), planBound ? ['update', 'delete'] : ['delete'], domain);
      await pvtz.addZoneVpcBinding(A, z.zoneId, { vpcId: other, regionId: 'cn-hangzhou' });
      await assert.rejects(run(planned), new RegExp(`changed since the plan and is kept \\(other VPCs use it: ${other}\\)`));
      const info = await pvtz.describeZoneInfo(A, z.zoneId);
      assert.deepEqual(info?.bindVpcs.map((v) => v.vpcId), [other], `${domain}: kept, bound to the VPC bound since the plan`);
      assert.deepEqual(await pvtz.describeZoneRecords(A, z.zoneId), [], 'our record went');
    }
  });
});
