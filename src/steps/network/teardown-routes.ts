// `destroy`, VPC routes: ours (a custom route whose description carries the marker) in every route table of A's
// VPC (the cluster's, or the one our peering or attachments join) and of B's VPCs, one chain per table; the user's
// routes stay, and hold the peering or attachment they use in place.
import type { RouteEntry } from '../../cloud/vpc.js';
import type { Action } from '../../plan/action.js';
import { isOurs } from '../marker.js';
import type { StepClients } from '../step.js';
import type { NetworkTeardownFacts, TeardownTable } from './facts.js';
import { removeVpcRoute } from './teardown-apply.js';

const base = { step: 'network' as const };

/** A route of ours and the action that removes it. */
export interface PlannedRoute {
  table: TeardownTable;
  entry: RouteEntry;
  actionId: string;
}

const live = (e: RouteEntry) => e.status !== 'Deleting';
/** Ours: a custom route whose description carries the marker (system routes are the cloud's). */
const ourRoute = (e: RouteEntry) => e.type === 'Custom' && isOurs(e.description);
const userRoute = (e: RouteEntry) => e.type === 'Custom' && !isOurs(e.description) && live(e);
export const hopsTo = (e: RouteEntry, type: string, id: string) => e.nextHops.some((h) => h.nextHopType === type && h.nextHopId === id);

/** Routes of the user (not ours) that send traffic to a peering or an attachment: they keep it in place. */
export function userRoutesTo(t: NetworkTeardownFacts, type: 'VpcPeer' | 'Attachment', id: string): string[] {
  return t.tables.flatMap((table) => table.entries.filter((e) => userRoute(e) && hopsTo(e, type, id)).map((e) => `route ${e.destinationCidrBlock} in ${table.routeTableId} (account ${table.account})`));
}

/** Our VPC routes, one chain per route table (the cloud takes one change per table at a time). */
export function planRoutes(t: NetworkTeardownFacts, clients: StepClients): { actions: Action[]; routes: PlannedRoute[] } {
  const actions: Action[] = [];
  const routes: PlannedRoute[] = [];
  for (const table of t.tables) {
    let previous: string | undefined;
    for (const entry of table.entries.filter(ourRoute)) {
      const id = `network.destroy.route.${table.routeTableId}.${entry.routeEntryId}`;
      const hop = entry.nextHops[0];
      const deleting = entry.status === 'Deleting';
      actions.push({
        ...base,
        id,
        account: table.account,
        change: deleting ? 'wait' : 'delete',
        title: `${deleting ? 'Wait for the removal of' : 'Delete'} route ${entry.destinationCidrBlock}${entry.routeEntryName ? ` (${entry.routeEntryName})` : ''} in ${table.routeTableId} to ${hop?.nextHopType ?? '?'} ${hop?.nextHopId ?? ''}`.trimEnd(),
        detail: { vpc: table.vpcId, routeTable: table.routeTableId, destination: entry.destinationCidrBlock, nextHop: { type: hop?.nextHopType ?? '', id: hop?.nextHopId ?? '' }, name: entry.routeEntryName },
        dependsOn: previous ? [previous] : undefined,
        apply: (ctx) => removeVpcRoute(clients, clients[table.account], entry, ctx),
      });
      routes.push({ table, entry, actionId: id });
      previous = id;
    }
  }
  // The user's routes stay; one line per account says so, without listing them.
  for (const account of ['A', 'B'] as const) {
    const count = t.tables.filter((x) => x.account === account).reduce((n, x) => n + x.entries.filter(userRoute).length, 0);
    if (count === 0) continue;
    actions.push({
      ...base,
      id: `network.destroy.user-routes-${account.toLowerCase()}`,
      account,
      change: 'noop',
      title: `Keep ${count} route${count === 1 ? '' : 's'} in ${account}'s route tables that acr-xaccount did not make`,
    });
  }
  return { actions, routes };
}
