// VPC routes for peering and CEN: in every route table A's node vSwitches use, a /32 for the registry, auth-service
// and OSS addresses towards B; in B's tables that carry the registry's replies, a route back to each node vSwitch
// CIDR. Ours carry a name and the marker; a route that is not ours is never replaced. A route table takes one
// change at a time, so the actions of one table run in a chain, each waiting until its route is Available.
import type { RouteEntry } from '../../cloud/vpc.js';
import type { AccountClient } from '../../cloud/session.js';
import type { Action, ApplyContext } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import type { StepClients } from '../step.js';
import { hostRoute } from './cidr.js';
import { NAMES, type NetworkFacts, type RoutePurpose, type RouteTableFacts } from './facts.js';
import { MARKER, isOurs } from '../marker.js';
import { mapRef, read, show, valueOf, withDeps, type Ref } from './refs.js';

export interface NextHop {
  /** `VpcPeer` (a peering connection) or `Attachment` (a transit-router VPC attachment). */
  type: 'VpcPeer' | 'Attachment';
  id: Ref;
  /** Actions after which the hop can carry a route (the peering Activated, the attachment Attached). */
  after: string[];
}

const ROUTE_TIMEOUT_MS = 5 * 60_000;

interface RouteSpec {
  account: 'A' | 'B';
  table: RouteTableFacts;
  purpose: RoutePurpose;
  /** The destination CIDR; a ref for addresses known only after apply. */
  destination: Ref;
  hop: NextHop;
}

const live = (e: RouteEntry) => e.status !== 'Deleting';
const goesTo = (e: RouteEntry, type: string, id: string) => e.nextHops.some((h) => h.nextHopType === type && h.nextHopId === id);

/** Our earlier route for this purpose in the table (for `return`, the one for this destination). */
function oursFor(spec: RouteSpec, destination: string | undefined): RouteEntry | undefined {
  return spec.table.entries.find(
    (e) => live(e) && e.routeEntryName === NAMES.route(spec.purpose) && isOurs(e.description) && (spec.purpose !== 'return' || e.destinationCidrBlock === destination),
  );
}

/** Creates the route unless an equal one exists, replacing only our own stale one; waits until it is Available. */
async function ensureRoute(acct: AccountClient, spec: RouteSpec, destination: string, hopId: string, stale: RouteEntry | undefined, pollIntervalMs: number, ctx: ApplyContext): Promise<{ routeEntryId: string }> {
  const vpc = await import('../../cloud/vpc.js');
  const tableId = spec.table.routeTableId;
  const at = (cidr: string) => vpc.describeRouteEntryList(acct, { routeTableId: tableId, destinationCidrBlock: cidr }).then((l) => l.filter(live));
  const untilGone = (cidr: string) =>
    waitFor(async (report) => ((await at(cidr)).length === 0 ? true : (report('deleting the old route'), undefined)), {
      what: `route ${cidr} in ${tableId} to be removed`, intervalMs: pollIntervalMs, timeoutMs: ROUTE_TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal,
    });
  if (stale && stale.destinationCidrBlock !== destination && (await at(stale.destinationCidrBlock)).some((e) => e.routeEntryId === stale.routeEntryId)) {
    await vpc.deleteRouteEntry(acct, { routeEntryId: stale.routeEntryId });
    await untilGone(stale.destinationCidrBlock);
  }
  const existing = await at(destination);
  if (!existing.some((e) => goesTo(e, spec.hop.type, hopId))) {
    const other = existing[0];
    if (other && !isOurs(other.description)) {
      throw new Error(`route table ${tableId} already sends ${destination} to ${other.nextHops[0]?.nextHopType ?? '?'} ${other.nextHops[0]?.nextHopId ?? ''} (route ${other.routeEntryId}, not made by acr-xaccount): remove or re-point it, then re-run`);
    }
    if (other) {
      await vpc.deleteRouteEntry(acct, { routeEntryId: other.routeEntryId });
      await untilGone(destination);
    }
    await vpc.createRouteEntry(acct, { routeTableId: tableId, destinationCidrBlock: destination, nextHopType: spec.hop.type, nextHopId: hopId, routeEntryName: NAMES.route(spec.purpose), description: MARKER });
  }
  const entry = await waitFor(
    async (report) => {
      const found = (await at(destination)).find((e) => goesTo(e, spec.hop.type, hopId));
      report(found?.status ?? 'not listed yet');
      return found?.status === 'Available' ? found : undefined;
    },
    { what: `route ${destination} in ${tableId}`, intervalMs: pollIntervalMs, timeoutMs: ROUTE_TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal },
  );
  return { routeEntryId: entry.routeEntryId };
}

function routeAction(spec: RouteSpec, id: string, acct: AccountClient, pollIntervalMs: number, previous?: string): Action {
  const destination = valueOf(spec.destination);
  const hopId = valueOf(spec.hop.id);
  const ours = oursFor(spec, destination);
  const atDestination = destination ? spec.table.entries.find((e) => live(e) && e.destinationCidrBlock === destination) : undefined;
  const done = atDestination && hopId && goesTo(atDestination, spec.hop.type, hopId);
  const change = done ? 'noop' : ours ? 'update' : 'create';
  const target = spec.purpose === 'return' ? "A's node vSwitch" : `the ${spec.purpose === 'registry' ? 'registry' : spec.purpose === 'auth' ? 'auth-service' : 'OSS'} address`;
  const action: Action = {
    id,
    step: 'network',
    account: spec.account,
    change,
    title: `Route ${destination ?? target} in ${spec.table.routeTableId} to ${spec.hop.type} ${hopId ?? '(new)'}`,
    detail: {
      routeTable: spec.table.routeTableId,
      destination: show(spec.destination),
      nextHop: { type: spec.hop.type, id: show(spec.hop.id) },
      name: NAMES.route(spec.purpose),
      ...(change === 'update' && ours ? { replaces: `${ours.destinationCidrBlock} -> ${ours.nextHops[0]?.nextHopId ?? '?'}` } : {}),
      ...(done && atDestination && !isOurs(atDestination.description) ? { note: 'an equal route made by someone else; kept as it is' } : {}),
    },
    dependsOn: [...spec.hop.after, ...(previous ? [previous] : [])],
    apply: (ctx) => ensureRoute(acct, spec, read(ctx, spec.destination), read(ctx, spec.hop.id), ours, pollIntervalMs, ctx),
  };
  return withDeps(action, spec.destination, spec.hop.id);
}

/** The routes both ways, as chains of actions per route table. */
export function planVpcRoutes(f: NetworkFacts, clients: StepClients, targets: { registry: Ref; auth: Ref; oss: Ref }, hopA: NextHop, hopB: NextHop): Action[] {
  const actions: Action[] = [];
  for (const table of f.cluster.routeTables) {
    let previous: string | undefined;
    for (const purpose of ['registry', 'auth', 'oss'] as const) {
      const destination = mapRef(targets[purpose], hostRoute);
      const action = routeAction({ account: 'A', table, purpose, destination, hop: hopA }, `network.route-a.${table.routeTableId}.${purpose}`, clients.A, clients.pollIntervalMs, previous);
      actions.push(action);
      previous = action.id;
    }
  }
  const nodeCidrs = [...new Set(f.cluster.vSwitches.map((v) => v.cidrBlock))].sort();
  for (const table of f.registry!.routeTables) {
    let previous: string | undefined;
    for (const cidr of nodeCidrs) {
      const action = routeAction({ account: 'B', table, purpose: 'return', destination: { value: cidr }, hop: hopB }, `network.route-b.${table.routeTableId}.${cidr}`, clients.B, clients.pollIntervalMs, previous);
      actions.push(action);
      previous = action.id;
    }
  }
  return actions;
}
