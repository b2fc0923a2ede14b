// Cloud Enterprise Network (seed: "Use CEN transit routers to connect the two VPCs across accounts and regions"):
// the user's CEN (--cen-id) or ours in A; a transit router per region; B grants its VPC to A's CEN; both VPCs
// attached (zone mappings in two zones); an inter-region connection when the regions differ; each attachment
// associated with a route table and its routes learned where the traffic needs them; static routes for the auth
// and OSS addresses (they live in no vSwitch, so no attachment advertises them); then the VPC routes both ways.
import type { Config } from '../../config/schema.js';
import type { Action } from '../../plan/action.js';
import type { StepClients } from '../step.js';
import { hostRoute } from './cidr.js';
import { createCen, ensureAssociation, ensureGrant, ensurePeerAttachment, ensurePropagation, ensureRouter, ensureTrRoute, ensureVpcAttachment } from './cen-apply.js';
import { NAMES, type NetworkFacts, type TransitRouterFacts, type TrRouteTableFacts } from './facts.js';
import { MARKER, isOurs } from '../marker.js';
import { known, later, mapRef, read, show, valueOf, withDeps, type Ref } from './refs.js';
import type { NextHop } from './routes.js';

export const CEN_ACTION = 'network.cen';
const DEFAULT_PEER_BANDWIDTH_MBPS = 100;

interface Table {
  ref: Ref;
  /** Its current state, when it exists now. */
  facts?: TrRouteTableFacts;
}

/** The table a router uses for an attachment's traffic, if the attachment is associated with one of its tables. */
function associatedTable(router: TransitRouterFacts | undefined, attachmentId: string | undefined): TrRouteTableFacts | undefined {
  if (!router || !attachmentId) return undefined;
  return [router.systemTable, ...router.otherTables].find((t) => t?.associations.some((a) => a.attachmentId === attachmentId));
}

/** One vSwitch per zone where the router works, up to two zones, `preferred` zone first. */
function zoneMappings(vSwitches: readonly { vSwitchId: string; zoneId: string }[], zones: readonly string[], preferred?: string): { vSwitchId: string; zoneId: string }[] {
  const byZone = new Map<string, string>();
  const ordered = [...vSwitches].sort((a, b) => Number(b.vSwitchId === preferred) - Number(a.vSwitchId === preferred) || a.zoneId.localeCompare(b.zoneId));
  for (const v of ordered) if (zones.includes(v.zoneId) && !byZone.has(v.zoneId)) byZone.set(v.zoneId, v.vSwitchId);
  return [...byZone].slice(0, 2).map(([zoneId, vSwitchId]) => ({ zoneId, vSwitchId }));
}

export function planCen(config: Config, f: NetworkFacts, clients: StepClients, addresses: { auth: Ref; oss: Ref }): { actions: Action[]; hopA: NextHop; hopB: NextHop } {
  const c = f.cen!;
  const crossRegion = f.regionA !== f.regionB;
  const vpcA = f.cluster.vpc.vpcId;
  const vpcB = f.registry!.vpc.vpcId;
  const actions: Action[] = [];
  const add = (action: Action, ...refs: (Ref | undefined)[]) => {
    actions.push(withDeps(action, ...refs));
    return action.id;
  };
  const base = { step: 'network' as const, account: 'A' as const };

  // The CEN.
  const cenId: Ref = c.cen ? known(c.cen.cenId) : later(CEN_ACTION, 'cenId');
  add({
    ...base,
    id: CEN_ACTION,
    change: c.cen ? 'noop' : 'create',
    title: c.cen ? `CEN ${c.cen.cenId}${isOurs(c.cen.description) ? '' : ' (yours, reused)'}` : `Create CEN ${NAMES.cen}`,
    detail: { id: show(cenId), name: c.cen?.name ?? NAMES.cen, ...(c.cen ? {} : { description: MARKER }) },
    apply: (ctx) => createCen(clients, ctx),
  });

  // A transit router per region, and its system route table.
  const router = (side: 'A' | 'B', regionId: string) => {
    const facts = c.routers[side];
    const id = `network.cen-router-${side.toLowerCase()}`;
    const trId: Ref = facts ? known(facts.router.transitRouterId) : later(id, 'transitRouterId');
    const system: Ref = facts?.systemTable ? known(facts.systemTable.routeTableId) : later(id, 'routeTableId');
    add(
      {
        ...base,
        id,
        change: facts?.systemTable ? 'noop' : 'create',
        title: facts ? `Transit router ${facts.router.transitRouterId} in ${regionId}` : `Create a transit router in ${regionId}`,
        detail: { cen: show(cenId), region: regionId, id: show(trId) },
        apply: async (ctx) => ensureRouter(clients, ctx, read(ctx, cenId), regionId),
      },
      cenId,
    );
    return { trId, system: { ref: system, facts: facts?.systemTable } as Table, facts };
  };
  const rA = router('A', f.regionA);
  const rB = crossRegion ? router('B', f.regionB) : rA;

  // B lets A's CEN attach its VPC.
  const grant = add(
    {
      step: 'network',
      account: 'B',
      id: 'network.cen-grant',
      change: c.granted ? 'noop' : 'create',
      title: `Grant B's VPC ${vpcB} to A's CEN`,
      detail: { vpc: vpcB, cen: show(cenId), cenOwner: f.accountA },
      apply: async (ctx) => ensureGrant(clients.B, { vpcId: vpcB, cenId: read(ctx, cenId), cenOwnerId: f.accountA }),
    },
    cenId,
  );

  // Both VPCs attached to their region's router.
  const attach = (side: 'A' | 'B') => {
    const existing = c.attachments[side];
    const id = `network.cen-attach-${side.toLowerCase()}`;
    const r = side === 'A' ? rA : rB;
    const regionId = side === 'A' ? f.regionA : f.regionB;
    const vpcId = side === 'A' ? vpcA : vpcB;
    const mappings = side === 'A' ? zoneMappings(f.cluster.vSwitches, c.zones.A) : zoneMappings(f.registry!.vSwitches, c.zones.B, f.registry!.linkVSwitchId);
    const ref: Ref = existing ? known(existing.attachmentId) : later(id, 'attachmentId');
    add(
      {
        ...base,
        id,
        change: existing ? (existing.status === 'Attached' ? 'noop' : 'wait') : 'create',
        title: existing ? `VPC attachment ${existing.attachmentId} of ${vpcId} (${existing.status})` : `Attach ${side}'s VPC ${vpcId} to the transit router in ${regionId}`,
        detail: { vpc: vpcId, ...(side === 'B' ? { vpcOwner: f.accountB } : {}), transitRouter: show(r.trId), zoneMappings: (existing?.zoneMappings ?? mappings).map((m) => `${m.zoneId}: ${m.vSwitchId}`) },
        dependsOn: side === 'B' ? [grant] : [],
        apply: async (ctx) =>
          ensureVpcAttachment(clients, ctx, { cenId: read(ctx, cenId), transitRouterId: read(ctx, r.trId), regionId, vpcId, vpcOwnerId: side === 'B' ? f.accountB : undefined, zoneMappings: mappings }),
      },
      cenId,
      r.trId,
    );
    return ref;
  };
  const attA = attach('A');
  const attB = attach('B');

  // The inter-region connection.
  let peer: Ref | undefined;
  if (crossRegion) {
    const existing = c.attachments.peer;
    peer = existing ? known(existing.attachmentId) : later('network.cen-peer', 'attachmentId');
    const bandwidthMbps = config.network.bandwidthMbps ?? DEFAULT_PEER_BANDWIDTH_MBPS;
    add(
      {
        ...base,
        id: 'network.cen-peer',
        change: existing ? (existing.status === 'Attached' ? 'noop' : 'wait') : 'create',
        title: existing ? `Inter-region connection ${existing.attachmentId}` : `Connect the transit routers in ${f.regionA} and ${f.regionB}`,
        detail: { from: show(rA.trId), to: show(rB.trId), bandwidthMbps: existing?.bandwidth ?? bandwidthMbps, billing: existing?.bandwidthType ?? 'DataTransfer' },
        apply: async (ctx) =>
          ensurePeerAttachment(clients, ctx, { cenId: read(ctx, cenId), transitRouterId: read(ctx, rA.trId), regionId: f.regionA, peerTransitRouterId: read(ctx, rB.trId), peerRegionId: f.regionB, bandwidthMbps }),
      },
      cenId,
      rA.trId,
      rB.trId,
    );
  }

  const names: Record<string, string> = {
    a: `A's VPC attachment`,
    b: `B's VPC attachment`,
    'peer-a': `inter-region connection (on the ${f.regionA} router)`,
    'peer-b': `inter-region connection (on the ${f.regionB} router)`,
    peer: 'inter-region connection',
  };
  const tableName = (table: Table, fallback: string) => valueOf(table.ref) ?? fallback;

  // Which table each attachment's traffic is looked up in: the one it is associated with, else (now) the system table.
  const associate = (label: string, attachment: Ref, r: typeof rA): Table => {
    const found = associatedTable(r.facts, valueOf(attachment));
    if (found) return { ref: known(found.routeTableId), facts: found };
    add(
      {
        ...base,
        id: `network.cen-assoc.${label}`,
        change: 'create',
        title: `Associate the ${names[label]} with the system route table of ${valueOf(r.trId) ?? 'the new transit router'}`,
        detail: { attachment: show(attachment), routeTable: show(r.system.ref) },
        apply: async (ctx) => ensureAssociation(clients, ctx, { attachmentId: read(ctx, attachment), routeTableId: read(ctx, r.system.ref) }),
      },
      attachment,
      r.system.ref,
    );
    return r.system;
  };
  const tableA = associate('a', attA, rA);
  const tableB = associate('b', attB, rB);
  const tablePeerA = peer ? associate('peer-a', peer, rA) : tableA;
  const tablePeerB = peer ? associate('peer-b', peer, rB) : tableB;

  // Where routes must be learned: each table needs the routes of the attachments its traffic goes towards.
  const propagate = (label: string, attachment: Ref, table: Table, tableOf: string) => {
    const id = valueOf(attachment);
    const done = Boolean(id && table.facts?.propagations.some((p) => p.attachmentId === id));
    add(
      {
        ...base,
        id: `network.cen-prop.${label}`,
        change: done ? 'noop' : 'create',
        title: `Let the route table of the ${names[tableOf]} (${tableName(table, 'new')}) learn the routes of the ${names[label.split('-into-')[0]!]}`,
        detail: { attachment: show(attachment), routeTable: show(table.ref) },
        apply: async (ctx) => ensurePropagation(clients, ctx, { attachmentId: read(ctx, attachment), routeTableId: read(ctx, table.ref) }),
      },
      attachment,
      table.ref,
    );
  };
  if (peer) {
    propagate('a-into-peer-a', attA, tablePeerA, 'peer-a');
    propagate('b-into-peer-b', attB, tablePeerB, 'peer-b');
    propagate('peer-into-a', peer, tableA, 'a');
    propagate('peer-into-b', peer, tableB, 'b');
  } else {
    propagate('b-into-a', attB, tableA, 'a');
    propagate('a-into-b', attA, tableB, 'b');
  }

  // Static routes for the auth and OSS addresses towards B's VPC (through the inter-region connection first).
  const trRoute = (label: string, table: Table, destination: Ref, attachment: Ref, towards: string) => {
    const dest = valueOf(destination);
    const hop = valueOf(attachment);
    const statics = (table.facts?.entries ?? []).filter((e) => e.type === 'Static' && e.status !== 'Deleting' && e.destinationCidrBlock === dest);
    const done = Boolean(dest && hop && statics.some((e) => e.nextHopId === hop));
    add(
      {
        ...base,
        id: `network.cen-route.${label}`,
        change: done ? 'noop' : statics.length > 0 ? 'update' : 'create',
        title: `Transit-router route ${dest ?? `for the ${label.endsWith('auth') ? 'auth-service' : 'OSS'} address`} in ${tableName(table, 'the new system table')} towards the ${names[towards]}`,
        detail: { routeTable: show(table.ref), destination: show(destination), nextHop: show(attachment) },
        apply: async (ctx) => ensureTrRoute(clients, ctx, { routeTableId: read(ctx, table.ref), destination: read(ctx, destination), attachmentId: read(ctx, attachment) }),
      },
      table.ref,
      destination,
      attachment,
    );
  };
  for (const [purpose, ip] of [['auth', addresses.auth], ['oss', addresses.oss]] as const) {
    const destination = mapRef(ip, hostRoute);
    if (peer) {
      trRoute(`a.${purpose}`, tableA, destination, peer, 'peer');
      trRoute(`peer-b.${purpose}`, tablePeerB, destination, attB, 'b');
    } else {
      trRoute(`a.${purpose}`, tableA, destination, attB, 'b');
    }
  }

  const pending = (id: string) => (actions.some((a) => a.id === id && a.change !== 'noop') ? [id] : []);
  return {
    actions,
    hopA: { type: 'Attachment', id: attA, after: pending('network.cen-attach-a') },
    hopB: { type: 'Attachment', id: attB, after: pending('network.cen-attach-b') },
  };
}
