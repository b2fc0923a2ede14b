// `destroy` for CEN mode's pieces, in the order the cloud allows: VPC routes (teardown.ts) -> our static routes
// in transit-router tables -> our inter-region connection -> our VPC attachments -> our transit routers -> B's
// grant of its VPC to our CEN -> our CEN. Ours is what carries the marker in its description. A router or CEN
// that still holds something not ours (another attachment, a custom table, a static route of the user) is kept,
// and so is an attachment a route of the user still points at; each kept thing says why. A CEN that is not ours
// (--cen-id) stays with B's grant to it; only what we added inside it goes.
import type { Action } from '../../plan/action.js';
import { isOurs } from '../marker.js';
import type { StepClients } from '../step.js';
import type { NetworkDestroyFacts, TeardownCen } from './facts.js';
import { removeAttachment, removeCen, removeRouter, removeTrRoute, revokeGrant, type AttachmentTarget } from './teardown-apply.js';
import { hopsTo, userRoutesTo, type PlannedRoute } from './teardown-routes.js';

const base = { step: 'network' as const, account: 'A' as const };

interface Attachment extends AttachmentTarget {
  description?: string;
  status: string;
  /** The VPC and its owner (VPC attachments). */
  vpcId?: string;
  vpcOwnerId?: string;
}

/** Every attachment on the CEN's routers, once (an inter-region connection shows on both of its routers). */
function attachmentsOf(c: TeardownCen): Attachment[] {
  const out = new Map<string, Attachment>();
  for (const r of c.routers) {
    const where = { transitRouterId: r.router.transitRouterId, regionId: r.router.regionId };
    for (const a of r.vpcAttachments) {
      if (!out.has(a.attachmentId)) out.set(a.attachmentId, { ...where, kind: 'VPC', attachmentId: a.attachmentId, routerIds: [a.transitRouterId], description: a.description, status: a.status, vpcId: a.vpcId, vpcOwnerId: a.vpcOwnerId });
    }
    for (const a of r.peerAttachments) {
      if (!out.has(a.attachmentId)) out.set(a.attachmentId, { ...where, kind: 'PEER', attachmentId: a.attachmentId, routerIds: [a.transitRouterId, a.peerTransitRouterId], description: a.description, status: a.status });
    }
  }
  return [...out.values()];
}

function planOneCen(f: NetworkDestroyFacts, c: TeardownCen, clients: StepClients, vpcRoutes: PlannedRoute[]): Action[] {
  const t = f.teardown;
  const cenId = c.cen.cenId;
  const ourCen = isOurs(c.cen.description);
  const actions: Action[] = [];
  const vpcRouteIds = vpcRoutes.map((r) => r.actionId);
  /** A removal (`wait` when the cloud is already removing it); returns its ID for the ones after it. */
  const remove = (id: string, what: string, deleting: boolean, detail: Action['detail'], dependsOn: string[], apply: Action['apply'], account: 'A' | 'B' = 'A', verb = 'Delete'): string => {
    const title = deleting ? `Wait for the removal of ${what}` : `${verb} ${what}`;
    actions.push({ ...base, account, id, change: deleting ? 'wait' : 'delete', title, detail, dependsOn: [...new Set(dependsOn)], apply });
    return id;
  };
  const keep = (id: string, title: string, detail?: Action['detail'], account: 'A' | 'B' = 'A') => actions.push({ ...base, account, id, change: 'noop', title, detail });

  // Static routes in the routers' tables: ours go (after the VPC routes); the user's stay and hold what they use.
  const trRouteIds: string[] = [];
  const trRoutesOf = new Map<string, string[]>();
  const userStatics: { attachmentId?: string; routerId: string; label: string }[] = [];
  for (const r of c.routers) {
    for (const table of r.tables) {
      for (const e of table.entries.filter((x) => x.type === 'Static')) {
        if (!isOurs(e.description)) {
          if (e.status !== 'Deleting') userStatics.push({ attachmentId: e.nextHopId, routerId: r.router.transitRouterId, label: `static route ${e.destinationCidrBlock} in ${table.routeTableId}` });
          continue;
        }
        const route = { routeTableId: table.routeTableId, entryId: e.entryId, destinationCidrBlock: e.destinationCidrBlock };
        const id = remove(
          `network.destroy.tr-route.${e.entryId}`,
          `transit-router route ${e.destinationCidrBlock} in ${table.routeTableId} to ${e.nextHopId ?? e.nextHopType ?? '?'}`,
          e.status === 'Deleting',
          { transitRouter: r.router.transitRouterId, routeTable: table.routeTableId, destination: e.destinationCidrBlock, nextHop: e.nextHopId ?? e.nextHopType ?? '' },
          vpcRouteIds,
          (ctx) => removeTrRoute(clients, route, ctx),
        );
        trRouteIds.push(id);
        trRoutesOf.set(r.router.transitRouterId, [...(trRoutesOf.get(r.router.transitRouterId) ?? []), id]);
      }
    }
  }

  // Attachments: ours go unless a route of the user still points at them; the inter-region connection first.
  const attachments = attachmentsOf(c);
  const going = new Map<string, string>();
  const kept: Attachment[] = [];
  for (const a of [...attachments.filter((x) => x.kind === 'PEER'), ...attachments.filter((x) => x.kind === 'VPC')]) {
    if (!isOurs(a.description)) {
      kept.push(a);
      continue;
    }
    const label = a.kind === 'PEER' ? `the inter-region connection ${a.attachmentId} (${a.routerIds.join(' - ')})` : `the VPC attachment ${a.attachmentId} of ${a.vpcOwnerId === f.accountB ? "B's" : "A's"} VPC ${a.vpcId} to ${a.transitRouterId}`;
    const id = `network.destroy.cen-${a.kind === 'PEER' ? 'peer' : 'attach'}.${a.attachmentId}`;
    const blockers = [...userRoutesTo(t, 'Attachment', a.attachmentId), ...userStatics.filter((s) => s.attachmentId === a.attachmentId).map((s) => s.label)];
    if (blockers.length > 0) {
      kept.push(a);
      keep(id, `Keep ${label}: ${blockers.join(', ')}, not made by acr-xaccount, still use${blockers.length === 1 ? 's' : ''} it (remove or re-point it, then run destroy again)`);
      continue;
    }
    // After the routes that use it (VPC and TR routes), and a VPC attachment after the inter-region connection.
    const peers = attachments.filter((x) => x.kind === 'PEER' && going.has(x.attachmentId)).map((x) => going.get(x.attachmentId)!);
    const before = [...vpcRoutes.filter((r) => hopsTo(r.entry, 'Attachment', a.attachmentId)).map((r) => r.actionId), ...trRouteIds, ...(a.kind === 'VPC' ? peers : [])];
    const detail = { attachment: a.attachmentId, transitRouters: a.routerIds, ...(a.vpcId ? { vpc: a.vpcId } : {}), cen: cenId };
    going.set(a.attachmentId, remove(id, label, a.status === 'Detaching', detail, before, (ctx) => removeAttachment(clients, a, ctx)));
  }
  const keptLabel = (a: Attachment) => `${a.kind === 'PEER' ? 'inter-region connection' : `attachment of ${a.vpcId}`} ${a.attachmentId}${isOurs(a.description) ? ' (kept)' : ' (not made by acr-xaccount)'}`;

  // Transit routers: ours go once empty.
  const routerGoes = new Map<string, string>();
  const keptRouters: string[] = [];
  for (const r of c.routers) {
    const trId = r.router.transitRouterId;
    const holds = [
      ...kept.filter((a) => a.routerIds.includes(trId)).map(keptLabel),
      ...r.tables.filter((x) => x.type === 'Custom').map((x) => `custom route table ${x.routeTableId}`),
      ...userStatics.filter((s) => s.routerId === trId).map((s) => s.label),
    ];
    const id = `network.destroy.cen-router.${trId}`;
    if (!isOurs(r.router.description)) {
      keptRouters.push(`transit router ${trId} (not made by acr-xaccount)`);
      continue;
    }
    if (holds.length > 0) {
      keptRouters.push(`transit router ${trId} (kept)`);
      keep(id, `Keep transit router ${trId} in ${r.router.regionId}: it still holds ${holds.join(', ')}`);
      continue;
    }
    const mine = (x: Attachment) => x.routerIds.includes(trId);
    const before = [...(trRoutesOf.get(trId) ?? []), ...attachments.filter(mine).map((a) => going.get(a.attachmentId)!)];
    const where = { cenId, transitRouterId: trId, regionId: r.router.regionId };
    routerGoes.set(trId, remove(id, `transit router ${trId} in ${r.router.regionId}`, r.router.status === 'Deleting', { cen: cenId, region: r.router.regionId, id: trId }, before, (ctx) => removeRouter(clients, where, ctx)));
  }

  // The CEN: ours goes once nothing else is in it; a VPC attached in a region we did not look at also keeps it.
  const goingVpcs = new Set(attachments.filter((a) => a.kind === 'VPC' && going.has(a.attachmentId)).map((a) => a.vpcId));
  const otherChildren = c.children.filter((ch) => !goingVpcs.has(ch.childInstanceId)).map((ch) => `${ch.type} ${ch.childInstanceId} (${ch.regionId})`);
  // A kept attachment's VPC is named by its router's line already.
  const cenHolds = [...keptRouters, ...otherChildren.filter((o) => !kept.some((a) => a.vpcId && o.includes(a.vpcId)))];
  const cenGoes = ourCen && cenHolds.length === 0;
  const reason = !ourCen ? `the CEN is not acr-xaccount's (${c.found})` : `CEN ${cenId} stays`;

  // B's grants of its VPCs to the CEN: taken back only when the CEN is ours and goes.
  const grantIds: string[] = [];
  for (const vpcId of c.grantedVpcs) {
    const id = `network.destroy.cen-grant.${cenId}.${vpcId}`;
    if (!cenGoes) {
      keep(id, `Keep B's grant of VPC ${vpcId} to CEN ${cenId} (${reason})`, { vpc: vpcId, cen: cenId }, 'B');
      continue;
    }
    const grant = { vpcId, cenId, cenOwnerId: f.accountA };
    grantIds.push(remove(id, `B's grant of VPC ${vpcId} to CEN ${cenId}`, false, { vpc: vpcId, cen: cenId, cenOwner: f.accountA }, [...going.values()], (ctx) => revokeGrant(clients, grant, ctx), 'B', 'Revoke'));
  }

  const cenAction = `network.destroy.cen.${cenId}`;
  const cenDetail = { id: cenId, name: c.cen.name, found: c.found };
  if (!ourCen) {
    keep(cenAction, `Keep CEN ${cenId}${c.cen.name ? ` (${c.cen.name})` : ''}: not made by acr-xaccount (${c.found}); only what acr-xaccount added to it is removed`, cenDetail);
  } else if (!cenGoes) {
    keep(cenAction, `Keep CEN ${cenId}: it still holds ${cenHolds.join(', ')}`, cenDetail);
  } else {
    const before = [...routerGoes.values(), ...grantIds, ...going.values(), ...trRouteIds];
    remove(cenAction, `CEN ${cenId} (${c.cen.name})`, c.cen.status === 'Deleting', cenDetail, before, (ctx) => removeCen(clients, cenId, ctx));
  }
  return actions;
}

export function planCenTeardown(f: NetworkDestroyFacts, clients: StepClients, vpcRoutes: PlannedRoute[]): Action[] {
  return f.teardown.cens.flatMap((c) => planOneCen(f, c, clients, vpcRoutes));
}
