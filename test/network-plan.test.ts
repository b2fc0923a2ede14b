// The network step's planners and preflight on hand-built facts (no I/O): a first run creates, a finished setup
// plans only noops, a half-done one plans the rest, and what is not ours is kept or refused, never replaced.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { KnownAfterApply } from '../src/plan/action.js';
import { createPlan } from '../src/plan/plan.js';
import { planNetwork } from '../src/steps/network/index.js';
import { type NetworkFacts } from '../src/steps/network/facts.js';
import { MARKER } from '../src/steps/marker.js';
import { preflightNetwork } from '../src/steps/network/preflight.js';
import { byId, changes, clients, config, finishedPeering, peeringFacts, route, vpc } from './helpers/network-facts.js';

describe('network plan: peering', () => {
  it('first run: link, look up the addresses, peer, accept, then routes both ways; every write waits for the lookup', () => {
    const actions = planNetwork(config({ mode: 'peering' }), peeringFacts(), clients);
    createPlan(actions); // IDs unique, dependencies known, no cycle
    assert.deepEqual(changes(actions), {
      'network.registry-link': 'create',
      'network.service-addresses': 'wait',
      'network.peering': 'create',
      'network.peering-accept': 'update',
      'network.route-a.vtb-a.registry': 'create',
      'network.route-a.vtb-a.auth': 'create',
      'network.route-a.vtb-a.oss': 'create',
      'network.route-b.vtb-b.192.168.0.0/24': 'create',
      'network.route-b.vtb-b.192.168.1.0/24': 'create',
    });
    for (const a of actions.filter((x) => x.id !== 'network.service-addresses')) assert.ok(a.dependsOn?.includes('network.service-addresses'), `${a.id} waits for the lookup`);
    // One change at a time per route table: the A routes form a chain; they wait for the accepted peering.
    assert.ok(byId(actions, 'network.route-a.vtb-a.auth').dependsOn?.includes('network.route-a.vtb-a.registry'));
    assert.ok(byId(actions, 'network.route-a.vtb-a.oss').dependsOn?.includes('network.route-a.vtb-a.auth'));
    assert.ok(byId(actions, 'network.route-a.vtb-a.registry').dependsOn?.includes('network.peering-accept'));
    assert.ok(byId(actions, 'network.route-a.vtb-a.registry').dependsOn?.includes('network.registry-link'), 'the registry route reads the link address');
    assert.ok(byId(actions, 'network.route-b.vtb-b.192.168.1.0/24').dependsOn?.includes('network.route-b.vtb-b.192.168.0.0/24'));
    assert.ok(byId(actions, 'network.route-a.vtb-a.auth').detail!.destination instanceof KnownAfterApply);
    assert.equal(byId(actions, 'network.registry-link').detail!.vSwitch, 'vsw-b1');
  });

  it('a finished setup plans only noops, and says where the addresses came from', () => {
    const actions = planNetwork(config({ mode: 'peering' }), finishedPeering(), clients);
    assert.deepEqual([...new Set(actions.map((a) => a.change))], ['noop']);
    assert.match(String(byId(actions, 'network.service-addresses').detail!.source), /Cloud Assistant lookup t-1 on i-probe/);
    assert.deepEqual(preflightNetwork(config({ mode: 'peering' }), finishedPeering()), []);
  });

  it('a half-done setup (peering Accepting, one route missing) plans only the rest', () => {
    const f = finishedPeering();
    f.peering!.existing!.status = 'Accepting';
    f.cluster.routeTables[0]!.entries = f.cluster.routeTables[0]!.entries.filter((e) => e.routeEntryName !== 'acr-xaccount-oss');
    const actions = planNetwork(config({ mode: 'peering' }), f, clients);
    const todo = actions.filter((a) => a.change !== 'noop').map((a) => `${a.id}:${a.change}`);
    assert.deepEqual(todo, ['network.peering-accept:update', 'network.route-a.vtb-a.oss:create']);
    assert.equal(byId(actions, 'network.peering-accept').account, 'B');
  });

  it('an address that moved replaces only our route; an equal route of the user is kept as it is', () => {
    const f = finishedPeering();
    f.registry!.addresses.authIp = '100.103.9.9';
    const tableA = f.cluster.routeTables[0]!;
    tableA.entries = tableA.entries.filter((e) => e.routeEntryName !== 'acr-xaccount-registry');
    tableA.entries.push(route('vtb-a', '172.16.0.252/32', 'VpcPeer', 'pcc-1', { routeEntryName: 'made-by-hand' }));
    tableA.entries.push(route('vtb-a', '10.0.0.0/8', 'Instance', 'i-vpn', { routeEntryName: 'office' }));
    const actions = planNetwork(config({ mode: 'peering' }), f, clients);
    assert.equal(byId(actions, 'network.route-a.vtb-a.auth').change, 'update');
    assert.match(String(byId(actions, 'network.route-a.vtb-a.auth').detail!.replaces), /100\.103\.1\.2\/32/);
    assert.equal(byId(actions, 'network.route-a.vtb-a.registry').change, 'noop');
    assert.match(String(byId(actions, 'network.route-a.vtb-a.registry').detail!.note), /someone else/);
    assert.ok(!actions.some((a) => JSON.stringify(a.detail).includes('10.0.0.0/8')), "the user's other routes are not in the plan");
  });

  it("reuses a peering someone else made, and does not touch its bandwidth", () => {
    const f = finishedPeering();
    f.regionB = 'cn-shanghai';
    f.peering!.existing!.description = undefined;
    f.peering!.existing!.bandwidth = 10;
    const actions = planNetwork(config({ mode: 'peering', bandwidthMbps: 50 }), f, clients);
    assert.match(byId(actions, 'network.peering').title, /Reuse VPC peering pcc-1.*not made by acr-xaccount/);
    assert.ok(!actions.some((a) => a.id === 'network.peering-bandwidth'));
    f.peering!.existing!.description = MARKER;
    assert.equal(byId(planNetwork(config({ mode: 'peering', bandwidthMbps: 50 }), f, clients), 'network.peering-bandwidth').change, 'update');
  });

  it('a route table per node vSwitch: each gets the three routes', () => {
    const f = peeringFacts();
    f.cluster.vSwitches[1]!.routeTableId = 'vtb-custom';
    f.cluster.routeTables.push({ routeTableId: 'vtb-custom', type: 'Custom', entries: [] });
    const ids = planNetwork(config({ mode: 'peering' }), f, clients).map((a) => a.id);
    for (const t of ['vtb-a', 'vtb-custom']) for (const p of ['registry', 'auth', 'oss']) assert.ok(ids.includes(`network.route-a.${t}.${p}`));
  });
});

describe('network preflight', () => {
  it('overlapping VPC, pod or service CIDRs refuse peering and CEN, naming the fix', () => {
    const f = peeringFacts();
    f.registry!.vpc = vpc('vpc-b', '192.168.0.0/16', { secondaryCidrBlocks: ['172.21.0.0/24'] });
    const problems = preflightNetwork(config({ mode: 'peering' }), f);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0]!, /A's VPC vpc-a 192\.168\.0\.0\/16 overlaps B's VPC vpc-b.*--network public.*--vpc-id-b/);
    assert.match(problems[1]!, /service CIDR 172\.21\.0\.0\/20 overlaps/);
  });

  it('auth or OSS addresses inside A name the colliding domain and the seed FAQ remedy', () => {
    const f = finishedPeering();
    f.cluster.vpc = vpc('vpc-a', '192.168.0.0/16', { secondaryCidrBlocks: ['100.103.0.0/16'] });
    f.cluster.podCidr = '100.118.0.0/16';
    const problems = preflightNetwork(config({ mode: 'peering' }), f);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0]!, /dockerauth-vpc\.cn-hangzhou\.aliyuncs\.com resolves to 100\.103\.1\.2.*Instance Takeover of Authentication Domain Name/);
    assert.match(problems[1]!, /oss-cn-hangzhou-internal\.aliyuncs\.com resolves to 100\.118\.3\.4.*pod CIDR.*PrivateLink.*CNAME/);
  });

  it('a full instance (three linked VPCs), no lookup instance, a conflicting route of the user', () => {
    const f = peeringFacts();
    f.registry!.linkedCount = 3;
    f.registry!.addresses.probeInstanceId = undefined;
    f.cluster.routeTables[0]!.entries.push(route('vtb-a', '172.16.0.0/24', 'VpnGateway', 'vpn-1'));
    f.registry!.link = undefined;
    const problems = preflightNetwork(config({ mode: 'peering' }), f).join('\n');
    assert.match(problems, /already linked to 3 VPCs, the most it allows/);
    assert.match(problems, /no instance there runs with Cloud Assistant online.*--auth-ip/);
    const g = finishedPeering();
    g.cluster.routeTables[0]!.entries = g.cluster.routeTables[0]!.entries.filter((e) => e.routeEntryName !== 'acr-xaccount-auth');
    g.cluster.routeTables[0]!.entries.push(route('vtb-a', '100.103.1.2/32', 'VpnGateway', 'vpn-1'));
    assert.match(preflightNetwork(config({ mode: 'peering' }), g).join('\n'), /vtb-a in account A already sends 100\.103\.1\.2\/32 to VpnGateway vpn-1.*not made by acr-xaccount/);
  });

  it('several lookup candidates: the user picks one', () => {
    const f = peeringFacts();
    f.registry!.addresses.probeInstanceId = undefined;
    f.registry!.addresses.candidates = [{ instanceId: 'i-1', instanceName: 'bastion' }, { instanceId: 'i-2', instanceName: 'ci' }] as never;
    assert.match(preflightNetwork(config({ mode: 'peering' }), f).join('\n'), /pass --discovery-instance with one of i-1 "bastion", i-2 "ci"/);
  });
});

describe('network plan: public', () => {
  function publicFacts(): NetworkFacts {
    const f = peeringFacts({ mode: 'public', registry: undefined, peering: undefined });
    f.public = {
      endpoint: { type: 'Internet', enabled: false, aclEnabled: false, domains: [], linkedVpcIds: [], aclEntries: [] },
      egress: [
        { vSwitchId: 'vsw-a1', cidrBlock: '192.168.0.0/24', ips: ['47.96.1.1'], via: 'NAT gateway ngw-1' },
        { vSwitchId: 'vsw-a2', cidrBlock: '192.168.1.0/24', ips: ['47.96.1.1'], via: 'NAT gateway ngw-1' },
      ],
    };
    return f;
  }

  it('first run: turn the endpoint on, then allow only the egress address', () => {
    const actions = planNetwork(config({ mode: 'public' }), publicFacts(), clients);
    assert.deepEqual(changes(actions), { 'network.internet-endpoint': 'update', 'network.acl.47.96.1.1/32': 'create' });
    assert.deepEqual(byId(actions, 'network.acl.47.96.1.1/32').dependsOn, ['network.internet-endpoint'], 'entries wait until the endpoint is RUNNING');
    assert.ok(!actions.some((a) => a.id.includes('0.0.0.0')));
  });

  it("finished: noops; our stale entry is removed, the user's entries are kept", () => {
    const f = publicFacts();
    f.public!.endpoint = { ...f.public!.endpoint!, enabled: true, status: 'RUNNING', aclEntries: [{ entry: '47.96.1.1/32', comment: `${MARKER} cluster c1` }, { entry: '127.0.0.1/32' }, { entry: '203.0.113.0/24', comment: 'office' }] };
    assert.deepEqual([...new Set(planNetwork(config({ mode: 'public' }), f, clients).map((a) => a.change))], ['noop']);
    f.public!.endpoint.aclEntries.push({ entry: '47.96.9.9/32', comment: `${MARKER} cluster c1` });
    const actions = planNetwork(config({ mode: 'public' }), f, clients);
    assert.deepEqual(actions.filter((a) => a.change !== 'noop').map((a) => `${a.id}:${a.change}`), ['network.acl.47.96.9.9/32:delete']);
  });

  it('0.0.0.0/0 only with --allow-anywhere; no egress refuses, naming the fix', () => {
    const f = publicFacts();
    assert.match(preflightNetwork(config({ mode: 'public', aclCidrs: ['0.0.0.0/0'] }), f).join('\n'), /opens the registry to the whole Internet.*--allow-anywhere/);
    assert.ok(planNetwork(config({ mode: 'public', allowAnywhere: true }), f, clients).some((a) => a.id === 'network.acl.0.0.0.0/0'));
    f.public!.egress[1] = { vSwitchId: 'vsw-a2', cidrBlock: '192.168.1.0/24', ips: [], problem: 'node vSwitch vsw-a2 (192.168.1.0/24) has no public egress: ... Fix: create an Internet NAT gateway' };
    assert.match(preflightNetwork(config({ mode: 'public' }), f).join('\n'), /public mode needs egress from A's nodes: node vSwitch vsw-a2.*NAT gateway/);
  });
});

describe('network plan: CEN', () => {
  function cenFacts(crossRegion: boolean): NetworkFacts {
    const f = peeringFacts({ mode: 'cen', peering: undefined });
    if (crossRegion) f.regionB = 'cn-shanghai';
    f.cen = { routers: {}, granted: false, attachments: {}, zones: { A: ['cn-hangzhou-h', 'cn-hangzhou-i'], B: ['cn-hangzhou-h', 'cn-hangzhou-i'] }, otherCens: { A: [], B: [] } };
    return f;
  }

  it('same region, first run: CEN, one router, grant, two attachments, associations, learning, auth/OSS routes, VPC routes', () => {
    const actions = planNetwork(config({ mode: 'cen' }), cenFacts(false), clients);
    createPlan(actions);
    const ids = actions.map((a) => a.id);
    for (const id of ['network.cen', 'network.cen-router-a', 'network.cen-grant', 'network.cen-attach-a', 'network.cen-attach-b', 'network.cen-assoc.a', 'network.cen-assoc.b', 'network.cen-prop.b-into-a', 'network.cen-prop.a-into-b', 'network.cen-route.a.auth', 'network.cen-route.a.oss']) {
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    }
    assert.ok(!ids.includes('network.cen-router-b') && !ids.includes('network.cen-peer'));
    assert.equal(byId(actions, 'network.cen-grant').account, 'B');
    assert.ok(byId(actions, 'network.cen-attach-b').dependsOn?.includes('network.cen-grant'), "B's attachment waits for B's grant");
    assert.deepEqual(byId(actions, 'network.cen-attach-a').detail!.zoneMappings, ['cn-hangzhou-h: vsw-a1', 'cn-hangzhou-i: vsw-a2'], 'two zones');
  });

  it('cross region adds the second router and the inter-region connection, routed through it', () => {
    const actions = planNetwork(config({ mode: 'cen', bandwidthMbps: 20 }), cenFacts(true), clients);
    createPlan(actions);
    assert.equal(byId(actions, 'network.cen-peer').detail!.bandwidthMbps, 20);
    for (const id of ['network.cen-router-b', 'network.cen-assoc.peer-a', 'network.cen-assoc.peer-b', 'network.cen-prop.peer-into-a', 'network.cen-prop.peer-into-b', 'network.cen-route.peer-b.auth']) {
      assert.ok(actions.some((a) => a.id === id), id);
    }
    assert.ok(byId(actions, 'network.cen-route.a.oss').dependsOn?.includes('network.cen-peer'), 'A side routes the OSS address into the inter-region connection');
  });

  it('finished: everything known and in place plans only noops', () => {
    const f = finishedPeering();
    f.mode = 'cen';
    f.peering = undefined;
    const table = (routeTableId: string) => ({
      routeTableId,
      entries: ['100.103.1.2/32', '100.118.3.4/32'].map((d) => ({ entryId: `e-${d}`, destinationCidrBlock: d, type: 'Static', status: 'Active', nextHopType: 'Attachment', nextHopId: 'att-b', description: MARKER })),
      associations: [{ attachmentId: 'att-a', routeTableId, status: 'Active' }, { attachmentId: 'att-b', routeTableId, status: 'Active' }],
      propagations: [{ attachmentId: 'att-a', routeTableId, status: 'Active' }, { attachmentId: 'att-b', routeTableId, status: 'Active' }],
    });
    const router = { router: { transitRouterId: 'tr-1', cenId: 'cen-1', regionId: 'cn-hangzhou', status: 'Active', tags: {} }, systemTable: table('vtb-tr'), otherTables: [] };
    f.cen = {
      cen: { cenId: 'cen-1', name: 'acr-xaccount', description: MARKER, status: 'Active', tags: {} },
      routers: { A: router, B: router },
      granted: true,
      attachments: { A: { attachmentId: 'att-a', status: 'Attached', transitRouterId: 'tr-1', vpcId: 'vpc-a', zoneMappings: [], tags: {} }, B: { attachmentId: 'att-b', status: 'Attached', transitRouterId: 'tr-1', vpcId: 'vpc-b', zoneMappings: [], tags: {} } },
      zones: { A: ['cn-hangzhou-h'], B: ['cn-hangzhou-h'] },
      otherCens: { A: [], B: [] },
    };
    for (const t of [f.cluster.routeTables[0]!, f.registry!.routeTables[0]!]) for (const e of t.entries) if (e.type === 'Custom') e.nextHops = [{ nextHopType: 'Attachment', nextHopId: t === f.cluster.routeTables[0] ? 'att-a' : 'att-b' }];
    const actions = planNetwork(config({ mode: 'cen' }), f, clients);
    assert.deepEqual(actions.filter((a) => a.change !== 'noop').map((a) => a.id), []);
    assert.deepEqual(preflightNetwork(config({ mode: 'cen' }), f), []);
  });

  it('half done (our CEN and router exist, nothing attached): only the rest is planned, with the known IDs', () => {
    const f = cenFacts(false);
    const system = { routeTableId: 'vtb-tr', entries: [], associations: [], propagations: [] };
    f.cen!.cen = { cenId: 'cen-1', name: 'acr-xaccount', description: MARKER, status: 'Active', tags: {} };
    f.cen!.routers = { A: { router: { transitRouterId: 'tr-1', cenId: 'cen-1', regionId: 'cn-hangzhou', status: 'Active', tags: {} }, systemTable: system, otherTables: [] } };
    f.cen!.routers.B = f.cen!.routers.A;
    const actions = planNetwork(config({ mode: 'cen' }), f, clients);
    assert.equal(byId(actions, 'network.cen').change, 'noop');
    assert.equal(byId(actions, 'network.cen-router-a').change, 'noop');
    assert.equal(byId(actions, 'network.cen-grant').change, 'create');
    assert.equal(byId(actions, 'network.cen-grant').detail!.cen, 'cen-1');
    assert.equal(byId(actions, 'network.cen-attach-a').detail!.transitRouter, 'tr-1');
    assert.equal(byId(actions, 'network.cen-assoc.a').detail!.routeTable, 'vtb-tr');
  });

  it('a VPC in another CEN, or vSwitches in one zone only, are refused with the fix', () => {
    const f = cenFacts(false);
    f.cen!.otherCens.B = ['cen-theirs'];
    f.cluster.vSwitches = [f.cluster.vSwitches[0]!];
    const problems = preflightNetwork(config({ mode: 'cen' }), f).join('\n');
    assert.match(problems, /B's VPC is already attached to CEN cen-theirs.*--cen-id cen-theirs/);
    assert.match(problems, /A's VPC vpc-a needs vSwitches in 2 zones.*create a vSwitch/);
  });
});
