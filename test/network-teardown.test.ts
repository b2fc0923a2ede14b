// The network step's teardown planner on hand-built facts (no I/O): what carries our marker is removed in the
// order the cloud allows, what is not ours (or is still used by something not ours) is kept with the reason, and
// the facts of a torn-down world plan only noops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { PeerAttachment, VpcAttachment } from '../src/cloud/cbn.js';
import type { VpcPeerConnection } from '../src/cloud/vpcpeer.js';
import { CloudError } from '../src/cloud/errors.js';
import type { TrRouteEntry } from '../src/cloud/cbn-routes.js';
import type { Action } from '../src/plan/action.js';
import { createPlan } from '../src/plan/plan.js';
import type { NetworkDestroyFacts, NetworkFacts, NetworkTeardownFacts, TeardownCen, TeardownRouter } from '../src/steps/network/facts.js';
import { step } from '../src/steps/network/index.js';
import { ifGone, vpcsOfOurAttachments, vpcsOfOurPeerings } from '../src/steps/network/teardown-discover.js';
import { MARKER } from '../src/steps/marker.js';
import type { TeardownBase } from '../src/steps/step.js';
import { byId, clients, config, finishedPeering, route } from './helpers/network-facts.js';

const teardown = (f: NetworkDestroyFacts, mode = f.mode): Action[] => {
  const actions = step.teardown(config({ mode }), f, {} as TeardownBase, clients, { removeAddon: false });
  createPlan(actions); // unique IDs, known dependencies, no cycle
  return actions;
};
const todo = (actions: Action[]) => actions.filter((a) => a.change !== 'noop');
const kept = (actions: Action[]) => actions.filter((a) => a.change === 'noop');

/** Whether `later` runs after `earlier` (through any chain of dependencies). */
function runsAfter(actions: Action[], later: string, earlier: string): boolean {
  const seen = new Set<string>();
  const stack = [...(byId(actions, later).dependsOn ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === earlier) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId(actions, id).dependsOn ?? []));
  }
  return false;
}

/** What discoverTeardown would report for these facts (no cluster network): every table of both VPCs, the peering, the link. */
function withTeardown(f: NetworkFacts, over: Partial<NetworkTeardownFacts> = {}): NetworkDestroyFacts {
  const { mode, accountA, accountB, regionA, regionB, clusterId, instanceId, enterprise, registryVpcDomain, registryInternetDomain } = f;
  const teardown: NetworkTeardownFacts = {
    tables: [
      ...f.cluster.routeTables.map((t) => ({ account: 'A' as const, vpcId: f.cluster.vpc.vpcId, routeTableId: t.routeTableId, entries: t.entries })),
      ...(f.registry?.routeTables ?? []).map((t) => ({ account: 'B' as const, vpcId: f.registry!.vpc.vpcId, routeTableId: t.routeTableId, entries: t.entries })),
    ],
    peerings: f.peering?.existing ? [f.peering.existing] : [],
    cens: [],
    links: f.registry?.link ? [f.registry.link] : [],
    ...over,
  };
  return { mode, accountA, accountB, regionA, regionB, clusterId, instanceId, enterprise, registryVpcDomain, registryInternetDomain, teardown };
}

/** The finished peering setup, plus a default route of the user in A and a route of the user in B. */
function peeringWorld(): NetworkDestroyFacts {
  const f = finishedPeering();
  f.peering!.existing!.name = 'acr-xaccount-registry';
  f.cluster.routeTables[0]!.entries.push(route('vtb-a', '0.0.0.0/0', 'NatGateway', 'ngw-1', { routeEntryName: 'internet' }));
  f.registry!.routeTables[0]!.entries.push(route('vtb-b', '10.8.0.0/16', 'Instance', 'i-vpn', { routeEntryName: 'office' }));
  return withTeardown(f);
}

/** Removes from the facts what a finished teardown removed: our routes, peering, CENs, ACL entries. */
function tornDown(f: NetworkDestroyFacts): NetworkDestroyFacts {
  const t = f.teardown;
  for (const table of t.tables) table.entries = table.entries.filter((e) => !(e.description ?? '').includes(MARKER));
  t.peerings = t.peerings.filter((p) => !(p.description ?? '').includes(MARKER));
  t.cens = t.cens.filter((c) => !(c.cen.description ?? '').includes(MARKER));
  if (t.internet) t.internet.aclEntries = t.internet.aclEntries.filter((a) => !(a.comment ?? '').includes(MARKER));
  return f;
}

describe('network teardown: peering', () => {
  it('deletes our routes (one chain per table) and then the peering; keeps the link and the user routes, without listing them', () => {
    const actions = teardown(peeringWorld());
    const routesA = todo(actions).filter((a) => a.id.startsWith('network.destroy.route.vtb-a.'));
    const routesB = todo(actions).filter((a) => a.id.startsWith('network.destroy.route.vtb-b.'));
    assert.equal(routesA.length, 3);
    assert.equal(routesB.length, 2);
    for (const a of [...routesA, ...routesB]) assert.equal(a.change, 'delete');
    assert.ok(routesA.every((a) => a.account === 'A') && routesB.every((a) => a.account === 'B'));
    // A route table takes one change at a time.
    assert.ok(runsAfter(actions, routesA[2]!.id, routesA[0]!.id) && runsAfter(actions, routesB[1]!.id, routesB[0]!.id));
    const peering = byId(actions, 'network.destroy.peering.pcc-1');
    assert.equal(peering.change, 'delete');
    assert.match(peering.title, /^Delete VPC peering pcc-1/);
    for (const r of [...routesA, ...routesB]) assert.ok(runsAfter(actions, peering.id, r.id), `the peering goes after ${r.id}`);
    assert.deepEqual(kept(actions).map((a) => `${a.account} ${a.title}`).sort(), [
      "A Keep 1 route in A's route tables that acr-xaccount did not make",
      "B Keep 1 route in B's route tables that acr-xaccount did not make",
      "B Keep the registry's link to B's VPC vpc-b (a link carries no marker, and others may pull through it; remove it in the console if nothing else does)",
    ]);
    const text = JSON.stringify(actions.map((a) => [a.title, a.detail]));
    assert.ok(!text.includes('0.0.0.0/0') && !text.includes('10.8.0.0/16'), "the user's routes are not listed");
  });

  it('a route of the user through our peering keeps the peering, naming that route; our routes still go', () => {
    const f = peeringWorld();
    f.teardown.tables[1]!.entries.push(route('vtb-b', '192.168.9.0/24', 'VpcPeer', 'pcc-1', { routeEntryName: 'by-hand' }));
    const actions = teardown(f);
    const peering = byId(actions, 'network.destroy.peering.pcc-1');
    assert.equal(peering.change, 'noop');
    assert.match(peering.title, /^Keep VPC peering pcc-1: route 192\.168\.9\.0\/24 in vtb-b \(account B\), not made by acr-xaccount, still uses it/);
    assert.equal(todo(actions).length, 5);
  });

  it("a peering that is not ours is kept; our routes through it go", () => {
    const f = peeringWorld();
    f.teardown.peerings[0]!.description = undefined;
    f.teardown.peerings[0]!.name = 'made-by-hand';
    const actions = teardown(f);
    assert.match(byId(actions, 'network.destroy.peering.pcc-1').title, /^Keep VPC peering pcc-1 \(made-by-hand\): not made by acr-xaccount/);
    assert.equal(byId(actions, 'network.destroy.peering.pcc-1').change, 'noop');
    assert.equal(todo(actions).length, 5);
  });

  it('resumes a killed destroy: a route already Deleting and a peering Deleting are waited for, not deleted again', () => {
    const f = peeringWorld();
    f.teardown.tables[0]!.entries.find((e) => e.routeEntryName === 'acr-xaccount-registry')!.status = 'Deleting';
    f.teardown.peerings[0]!.status = 'Deleting';
    const actions = teardown(f);
    assert.equal(actions.find((a) => a.title.includes('acr-xaccount-registry'))!.change, 'wait');
    assert.equal(byId(actions, 'network.destroy.peering.pcc-1').change, 'wait');
  });

  it('a torn-down world plans only noops, in any mode', () => {
    for (const mode of ['peering', 'cen', 'public'] as const) assert.deepEqual(todo(teardown(tornDown(peeringWorld()), mode)), [], mode);
  });
});

// ---- CEN ----

const trEntry = (entryId: string, destinationCidrBlock: string, nextHopId: string, extra: Partial<TrRouteEntry> = {}): TrRouteEntry => ({
  entryId, destinationCidrBlock, type: 'Static', status: 'Active', nextHopType: 'Attachment', nextHopId, description: MARKER, ...extra,
});
const vpcAttachment = (attachmentId: string, transitRouterId: string, vpcId: string, vpcOwnerId: string, extra: Partial<VpcAttachment> = {}): VpcAttachment => ({
  attachmentId, transitRouterId, vpcId, vpcOwnerId, status: 'Attached', description: MARKER, zoneMappings: [], tags: {}, ...extra,
});
const peerView = (transitRouterId: string, peerTransitRouterId: string): PeerAttachment => ({
  attachmentId: 'att-peer', transitRouterId, peerTransitRouterId, status: 'Attached', description: MARKER, tags: {},
});
function router(transitRouterId: string, regionId: string, tableId: string, statics: TrRouteEntry[]): TeardownRouter {
  return {
    router: { transitRouterId, cenId: 'cen-1', regionId, status: 'Active', description: MARKER, tags: {} },
    tables: [{ routeTableId: tableId, type: 'System', entries: [...statics, { ...trEntry(`p-${tableId}`, '192.168.0.0/24', 'att-a'), type: 'Propagated', description: undefined }], associations: [], propagations: [] }],
    vpcAttachments: [],
    peerAttachments: [],
  };
}

/** Our CEN across regions, finished: A's VPC on tr-a (cn-hangzhou), B's on tr-b (cn-shanghai), the inter-region connection, statics, routes. */
function cenWorld(): NetworkDestroyFacts {
  const f = finishedPeering();
  f.mode = 'cen';
  f.regionB = 'cn-shanghai';
  f.peering = undefined;
  for (const [t, hop] of [[f.cluster.routeTables[0]!, 'att-a'], [f.registry!.routeTables[0]!, 'att-b']] as const) {
    for (const e of t.entries) if (e.type === 'Custom') e.nextHops = [{ nextHopType: 'Attachment', nextHopId: hop }];
  }
  const rA = router('tr-a', 'cn-hangzhou', 'vtb-tra', [trEntry('e-a-auth', '100.103.1.2/32', 'att-peer'), trEntry('e-a-oss', '100.118.3.4/32', 'att-peer')]);
  const rB = router('tr-b', 'cn-shanghai', 'vtb-trb', [trEntry('e-b-auth', '100.103.1.2/32', 'att-b'), trEntry('e-b-oss', '100.118.3.4/32', 'att-b')]);
  rA.vpcAttachments = [vpcAttachment('att-a', 'tr-a', 'vpc-a', '111')];
  rB.vpcAttachments = [vpcAttachment('att-b', 'tr-b', 'vpc-b', '222')];
  rA.peerAttachments = [peerView('tr-a', 'tr-b')];
  rB.peerAttachments = [peerView('tr-b', 'tr-a')];
  const cen: TeardownCen = {
    cen: { cenId: 'cen-1', name: 'acr-xaccount', description: MARKER, status: 'Active', tags: {} },
    found: 'made by acr-xaccount',
    routers: [rA, rB],
    children: [
      { childInstanceId: 'vpc-a', type: 'VPC', regionId: 'cn-hangzhou', status: 'Attached' },
      { childInstanceId: 'vpc-b', type: 'VPC', regionId: 'cn-shanghai', status: 'Attached' },
    ],
    grantedVpcs: ['vpc-b'],
  };
  return withTeardown(f, { cens: [cen] });
}

describe('network teardown: CEN', () => {
  it('removes in the order the cloud allows: VPC routes, TR routes, inter-region connection, attachments, routers, grant, CEN', () => {
    const actions = teardown(cenWorld());
    const ids = todo(actions).map((a) => a.id);
    for (const id of [
      'network.destroy.tr-route.e-a-auth', 'network.destroy.tr-route.e-b-oss', 'network.destroy.cen-peer.att-peer', 'network.destroy.cen-attach.att-a', 'network.destroy.cen-attach.att-b',
      'network.destroy.cen-router.tr-a', 'network.destroy.cen-router.tr-b', 'network.destroy.cen-grant.cen-1.vpc-b', 'network.destroy.cen.cen-1',
    ]) {
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    }
    assert.ok(!ids.some((id) => id.includes('p-vtb')), 'learned routes are not ours to delete');
    const vpcRoutes = ids.filter((id) => id.startsWith('network.destroy.route.'));
    assert.equal(vpcRoutes.length, 5);
    const chain: [string, string[]][] = [
      ['network.destroy.tr-route.e-a-auth', vpcRoutes],
      ['network.destroy.cen-peer.att-peer', ['network.destroy.tr-route.e-a-auth', 'network.destroy.tr-route.e-b-oss']],
      ['network.destroy.cen-attach.att-a', ['network.destroy.cen-peer.att-peer', ...vpcRoutes.filter((id) => id.includes('vtb-a'))]],
      ['network.destroy.cen-attach.att-b', ['network.destroy.cen-peer.att-peer', ...vpcRoutes.filter((id) => id.includes('vtb-b'))]],
      ['network.destroy.cen-router.tr-a', ['network.destroy.cen-attach.att-a', 'network.destroy.cen-peer.att-peer']],
      ['network.destroy.cen-router.tr-b', ['network.destroy.cen-attach.att-b']],
      ['network.destroy.cen-grant.cen-1.vpc-b', ['network.destroy.cen-attach.att-b']],
      ['network.destroy.cen.cen-1', ['network.destroy.cen-router.tr-a', 'network.destroy.cen-router.tr-b', 'network.destroy.cen-grant.cen-1.vpc-b']],
    ];
    for (const [later, earlier] of chain) for (const e of earlier) assert.ok(runsAfter(actions, later, e), `${later} after ${e}`);
    assert.equal(byId(actions, 'network.destroy.cen-grant.cen-1.vpc-b').account, 'B');
    assert.match(byId(actions, 'network.destroy.cen-grant.cen-1.vpc-b').title, /^Revoke B's grant of VPC vpc-b to CEN cen-1/);
    assert.ok(todo(actions).filter((a) => !a.id.includes('grant') && !a.id.includes('route.vtb-b')).every((a) => a.account === 'A'));
    assert.deepEqual(todo(teardown(tornDown(cenWorld()))), [], 'a torn-down world plans no change');
  });

  it("a router holding the user's attachment stays, and so do the CEN and B's grant; our attachments still go", () => {
    const f = cenWorld();
    const rA = f.teardown.cens[0]!.routers[0]!;
    rA.vpcAttachments.push(vpcAttachment('att-user', 'tr-a', 'vpc-other', '111', { description: 'corp' }));
    f.teardown.cens[0]!.children.push({ childInstanceId: 'vpc-other', type: 'VPC', regionId: 'cn-hangzhou', status: 'Attached' });
    const actions = teardown(f);
    assert.match(byId(actions, 'network.destroy.cen-router.tr-a').title, /^Keep transit router tr-a in cn-hangzhou: it still holds attachment of vpc-other att-user \(not made by acr-xaccount\)/);
    assert.equal(byId(actions, 'network.destroy.cen-router.tr-a').change, 'noop');
    assert.equal(byId(actions, 'network.destroy.cen-router.tr-b').change, 'delete', 'the other router is empty and goes');
    assert.match(byId(actions, 'network.destroy.cen.cen-1').title, /^Keep CEN cen-1: it still holds transit router tr-a \(kept\)/);
    assert.equal(byId(actions, 'network.destroy.cen.cen-1').change, 'noop');
    assert.match(byId(actions, 'network.destroy.cen-grant.cen-1.vpc-b').title, /^Keep B's grant of VPC vpc-b to CEN cen-1 \(CEN cen-1 stays\)/);
    for (const id of ['network.destroy.cen-attach.att-a', 'network.destroy.cen-attach.att-b', 'network.destroy.cen-peer.att-peer']) assert.equal(byId(actions, id).change, 'delete');
    assert.ok(!actions.some((a) => a.id.includes('att-user')), "nothing is planned for the user's attachment");
  });

  it("a route of the user to our attachment keeps that attachment, its router and the CEN, naming the route", () => {
    const f = cenWorld();
    f.teardown.tables[0]!.entries.push(route('vtb-a', '10.9.0.0/16', 'Attachment', 'att-a', { routeEntryName: 'by-hand' }));
    const actions = teardown(f);
    assert.match(byId(actions, 'network.destroy.cen-attach.att-a').title, /^Keep the VPC attachment att-a .*: route 10\.9\.0\.0\/16 in vtb-a \(account A\), not made by acr-xaccount, still uses it/);
    assert.equal(byId(actions, 'network.destroy.cen-router.tr-a').change, 'noop');
    assert.equal(byId(actions, 'network.destroy.cen.cen-1').change, 'noop');
  });

  it("the user's CEN (--cen-id) stays with B's grant to it; only what we added inside it goes", () => {
    const f = cenWorld();
    const c = f.teardown.cens[0]!;
    c.cen = { cenId: 'cen-corp', name: 'corp-backbone', status: 'Active', tags: {} };
    c.found = '--cen-id';
    c.routers[0]!.router.description = undefined; // the user's router in cn-hangzhou
    c.routers[0]!.tables[0]!.entries.push(trEntry('e-user', '10.0.0.0/8', 'att-corp', { description: 'corp' }));
    const actions = teardown(f);
    assert.match(byId(actions, 'network.destroy.cen.cen-1'.replace('cen-1', 'cen-corp')).title, /^Keep CEN cen-corp \(corp-backbone\): not made by acr-xaccount \(--cen-id\)/);
    assert.match(byId(actions, 'network.destroy.cen-grant.cen-corp.vpc-b').title, /^Keep B's grant of VPC vpc-b to CEN cen-corp \(the CEN is not acr-xaccount's \(--cen-id\)\)/);
    assert.ok(!actions.some((a) => a.id === 'network.destroy.cen-router.tr-a'), "the user's router is not touched");
    assert.ok(!actions.some((a) => a.id === 'network.destroy.tr-route.e-user'), "the user's static route is not touched");
    for (const id of ['network.destroy.cen-attach.att-a', 'network.destroy.cen-attach.att-b', 'network.destroy.cen-peer.att-peer', 'network.destroy.cen-router.tr-b', 'network.destroy.tr-route.e-a-auth']) {
      assert.equal(byId(actions, id).change, 'delete', id);
    }
  });

  it('a switch of mode: the peering of an earlier run and the CEN both go, whatever the config names now', () => {
    const f = cenWorld();
    const p = peeringWorld().teardown.peerings[0]!;
    f.teardown.peerings = [p];
    for (const mode of ['peering', 'cen', 'public'] as const) {
      const actions = teardown(f, mode);
      assert.equal(byId(actions, 'network.destroy.peering.pcc-1').change, 'delete', mode);
      assert.equal(byId(actions, 'network.destroy.cen.cen-1').change, 'delete', mode);
    }
  });

  it('resumes a killed destroy: what the cloud is already removing is waited for', () => {
    const f = cenWorld();
    const c = f.teardown.cens[0]!;
    c.routers[1]!.vpcAttachments[0]!.status = 'Detaching';
    c.routers[0]!.tables[0]!.entries[0]!.status = 'Deleting';
    c.cen.status = 'Deleting';
    const actions = teardown(f);
    assert.equal(byId(actions, 'network.destroy.cen-attach.att-b').change, 'wait');
    assert.equal(byId(actions, 'network.destroy.tr-route.e-a-auth').change, 'wait');
    assert.equal(byId(actions, 'network.destroy.cen.cen-1').change, 'wait');
  });
});

describe('network teardown: public endpoint', () => {
  function publicWorld(): NetworkDestroyFacts {
    const f = withTeardown(finishedPeering(), { peerings: [], links: [] });
    f.mode = 'public';
    f.teardown.tables = f.teardown.tables.map((t) => ({ ...t, entries: t.entries.filter((e) => !(e.description ?? '').includes(MARKER)) }));
    f.teardown.internet = {
      enabled: true,
      status: 'RUNNING',
      aclEntries: [{ entry: '47.96.1.1/32', comment: `${MARKER} cluster c1` }, { entry: '127.0.0.1/32' }, { entry: '203.0.113.0/24', comment: 'office' }],
    };
    return f;
  }

  it("removes only our ACL entries; the endpoint stays on, with the user's entries", () => {
    const actions = teardown(publicWorld());
    assert.deepEqual(todo(actions).map((a) => `${a.account} ${a.change} ${a.id}`), ['B delete network.destroy.acl.47.96.1.1/32']);
    const endpoint = byId(actions, 'network.destroy.internet-endpoint');
    assert.equal(endpoint.change, 'noop');
    assert.match(endpoint.title, /^Keep the Internet endpoint of cri-abc on \(others may pull over the Internet/);
    assert.ok(!JSON.stringify(actions.map((a) => [a.title, a.detail])).includes('203.0.113.0/24'));
    assert.deepEqual(todo(teardown(tornDown(publicWorld()))), []);
  });
});

describe('network teardown: discovery reads', () => {
  it('a VPC already gone reads as nothing there; any other error (a denied read) stops the run', () => {
    const error = (code: string) => new CloudError(code, code, 400, 'req-1', 'vpc', 'DescribeRouteTableList', 'B');
    assert.deepEqual(ifGone([])(error('InvalidVpcId.NotFound')), []);
    assert.equal(ifGone(undefined)(error('Instance.NotExist')), undefined);
    assert.throws(() => ifGone([])(error('Forbidden.RAM')), /Forbidden\.RAM/);
    assert.throws(() => ifGone([])(new Error('socket hang up')), /socket hang up/);
  });
});

describe("network teardown: A's cluster gone", () => {
  const peering = (instanceId: string, vpcId: string, extra: Partial<VpcPeerConnection> = {}): VpcPeerConnection => ({
    instanceId, name: 'acr-xaccount-registry', description: MARKER, status: 'Activated', ownerId: '111', vpc: { vpcId, ipv4Cidrs: [], ipv6Cidrs: [] },
    acceptingOwnerUid: '222', acceptingVpc: { vpcId: 'vpc-b', ipv4Cidrs: [], ipv6Cidrs: [] }, tags: {}, ...extra,
  });

  it("A's VPC is the requester of our peering: named ours, with the marker, requested by A, not gone", () => {
    const found = vpcsOfOurPeerings(
      [
        peering('pcc-1', 'vpc-a'),
        peering('pcc-2', 'vpc-a', { status: 'Accepting' }),
        peering('pcc-3', 'vpc-nomark', { description: undefined }),
        peering('pcc-4', 'vpc-othername', { name: 'made-by-hand' }),
        peering('pcc-5', 'vpc-of-b', { ownerId: '222', acceptingOwnerUid: '111' }),
        peering('pcc-6', 'vpc-deleted', { status: 'Deleted' }),
      ],
      '111',
    );
    assert.deepEqual(found, ['vpc-a']);
  });

  it("A's VPC is the one our attachment joins: A's own VPC, on the router in A's region, with the marker", () => {
    const c = cenWorld().teardown.cens[0]!;
    const [rA, rB] = c.routers;
    rA!.vpcAttachments.push(
      vpcAttachment('att-user', 'tr-a', 'vpc-user', '111', { description: 'corp' }),
      vpcAttachment('att-no-owner', 'tr-a', 'vpc-a2', '111', { vpcOwnerId: undefined }),
    );
    rB!.vpcAttachments.push(vpcAttachment('att-a-elsewhere', 'tr-b', 'vpc-a-shanghai', '111'));
    assert.deepEqual(vpcsOfOurAttachments([c], '111', 'cn-hangzhou'), ['vpc-a', 'vpc-a2']);
    assert.deepEqual(vpcsOfOurAttachments([{ ...c, routers: [rB!] }], '111', 'cn-hangzhou'), [], 'nothing of A in B-region routers');
  });

  it("destroy's facts carry no cluster network, and plan the teardown all the same", () => {
    const destroyFacts = peeringWorld();
    assert.ok(!('cluster' in destroyFacts));
    assert.equal(todo(teardown(destroyFacts)).length, 6);
  });
});
