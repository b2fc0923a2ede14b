// The writes of `destroy` for the network step. Each re-reads right before it writes and skips what is already
// gone (a killed destroy is re-run), waits out a transitional status the cloud refuses to delete in (Pending,
// Creating, Attaching...), and returns only once the thing is gone: the next removal often needs that (an
// attachment must be gone before its transit router can go, the routes before the peering they use).
import type { AccountClient } from '../../cloud/session.js';
import type { ApplyContext } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import type { StepClients } from '../step.js';
import { normalizeCidr } from './cidr.js';

const TIMEOUT_MS = 15 * 60_000;

/** Gone: the read found nothing. */
const GONE = null;

/**
 * Waits until `read` shows the thing gone (GONE) or in a status `settled` accepts; returns it (or GONE).
 * `read` reports the status it saw for the progress line.
 */
function settle<T extends { status: string }>(clients: StepClients, ctx: ApplyContext, what: string, read: () => Promise<T | undefined>, settled: (status: string) => boolean): Promise<T | null> {
  return waitFor(
    async (report) => {
      const current = await read();
      if (!current) return GONE;
      report(current.status);
      return settled(current.status) ? current : undefined;
    },
    { what, intervalMs: clients.pollIntervalMs, timeoutMs: TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal },
  );
}

const untilGone = <T extends { status: string }>(clients: StepClients, ctx: ApplyContext, what: string, read: () => Promise<T | undefined>) =>
  settle(clients, ctx, `${what} to be removed`, read, () => false);

/** A VPC route (A's or B's): a Pending one is waited for, then deleted; returns once it is gone. */
export async function removeVpcRoute(clients: StepClients, acct: AccountClient, route: { routeTableId: string; routeEntryId: string; destinationCidrBlock: string }, ctx: ApplyContext): Promise<void> {
  const vpc = await import('../../cloud/vpc.js');
  const read = async () =>
    (await vpc.describeRouteEntryList(acct, { routeTableId: route.routeTableId, destinationCidrBlock: route.destinationCidrBlock })).find((e) => e.routeEntryId === route.routeEntryId);
  const what = `route ${route.destinationCidrBlock} in ${route.routeTableId}`;
  const current = await settle(clients, ctx, what, read, (s) => s !== 'Pending');
  if (current && current.status !== 'Deleting') await vpc.deleteRouteEntry(acct, { routeEntryId: route.routeEntryId });
  await untilGone(clients, ctx, what, read);
}

/** A VPC peering connection, once no route uses it (the cloud refuses otherwise). */
export async function removePeering(clients: StepClients, account: 'A' | 'B', instanceId: string, ctx: ApplyContext): Promise<void> {
  const peer = await import('../../cloud/vpcpeer.js');
  const read = async () => {
    const c = await peer.getVpcPeerConnectionAttribute(clients[account], instanceId);
    return c && c.status !== 'Deleted' ? c : undefined;
  };
  const current = await settle(clients, ctx, `VPC peering ${instanceId}`, read, (s) => s !== 'Creating' && s !== 'Updating');
  if (current && current.status !== 'Deleting') await peer.deleteVpcPeerConnection(clients[account], instanceId);
  await untilGone(clients, ctx, `VPC peering ${instanceId}`, read);
}

/** A static route of a transit-router table. */
export async function removeTrRoute(clients: StepClients, route: { routeTableId: string; entryId: string; destinationCidrBlock: string }, ctx: ApplyContext): Promise<void> {
  const routes = await import('../../cloud/cbn-routes.js');
  const read = async () => (await routes.listTransitRouterRouteEntries(clients.A, route.routeTableId, { ids: [route.entryId] })).find((e) => e.entryId === route.entryId);
  const what = `transit-router route ${route.destinationCidrBlock} in ${route.routeTableId}`;
  const current = await settle(clients, ctx, what, read, (s) => s !== 'Creating');
  if (current && current.status !== 'Deleting') await routes.deleteTransitRouterRouteEntry(clients.A, { entryId: route.entryId });
  await untilGone(clients, ctx, what, read);
}

export interface AttachmentTarget {
  kind: 'VPC' | 'PEER';
  attachmentId: string;
  /** The router it was seen on, and that router's region. */
  transitRouterId: string;
  regionId: string;
  /** Every router it connects (two for an inter-region connection): where its route-table correlations live. */
  routerIds: string[];
}

/**
 * Takes the attachment's own associations and route learning out of the routers' tables (the cloud refuses to
 * delete an attachment that still has them), waits until they are gone, then deletes the attachment and waits
 * until it is. Nothing but the attachment's own correlations is touched.
 */
export async function removeAttachment(clients: StepClients, target: AttachmentTarget, ctx: ApplyContext): Promise<void> {
  const [cbn, routes] = await Promise.all([import('../../cloud/cbn.js'), import('../../cloud/cbn-routes.js')]);
  const { attachmentId } = target;
  const options = { region: target.regionId };
  const read = async () =>
    target.kind === 'VPC'
      ? (await cbn.listTransitRouterVpcAttachments(clients.A, { attachmentId, regionId: target.regionId }, options))[0]
      : (await cbn.listTransitRouterPeerAttachments(clients.A, { attachmentId, transitRouterId: target.transitRouterId, regionId: target.regionId }, options)).find((a) => a.attachmentId === attachmentId);
  const what = `${target.kind === 'VPC' ? 'VPC attachment' : 'inter-region connection'} ${attachmentId}`;
  const current = await settle(clients, ctx, what, read, (s) => s !== 'Attaching');
  if (current && current.status === 'Attached') {
    const tables = (await Promise.all(target.routerIds.map((id) => routes.listTransitRouterRouteTables(clients.A, id)))).flat().map((t) => t.routeTableId);
    await waitFor(
      async (report) => {
        const [associations, propagations] = await Promise.all([
          routes.listTransitRouterRouteTableAssociations(clients.A, { attachmentId }),
          Promise.all(tables.map((routeTableId) => routes.listTransitRouterRouteTablePropagations(clients.A, { routeTableId, attachmentId }))).then((l) => l.flat()),
        ]);
        const links = [...associations.map((l) => ({ ...l, kind: 'association' })), ...propagations.map((l) => ({ ...l, kind: 'propagation' }))].filter((l) => l.attachmentId === attachmentId);
        if (links.length === 0) return true;
        for (const l of links.filter((x) => x.status === 'Active')) {
          const link = { attachmentId, routeTableId: l.routeTableId };
          if (l.kind === 'association') await routes.dissociateTransitRouterAttachmentFromRouteTable(clients.A, link);
          else await routes.disableTransitRouterRouteTablePropagation(clients.A, link);
        }
        report(links.map((l) => `${l.kind} with ${l.routeTableId} ${l.status}`).join(', '));
        return undefined;
      },
      { what: `the route-table links of ${attachmentId} to be removed`, intervalMs: clients.pollIntervalMs, timeoutMs: TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal },
    );
    if (target.kind === 'VPC') await cbn.deleteTransitRouterVpcAttachment(clients.A, attachmentId, {}, options);
    else await cbn.deleteTransitRouterPeerAttachment(clients.A, attachmentId, {}, options);
  }
  await untilGone(clients, ctx, what, read);
}

/** A transit router, once nothing is attached to it and its tables hold no static route. */
export async function removeRouter(clients: StepClients, router: { cenId: string; transitRouterId: string; regionId: string }, ctx: ApplyContext): Promise<void> {
  const cbn = await import('../../cloud/cbn.js');
  const read = async () => (await cbn.listTransitRouters(clients.A, router, { region: router.regionId }))[0];
  const what = `transit router ${router.transitRouterId}`;
  const current = await settle(clients, ctx, what, read, (s) => s !== 'Creating' && s !== 'Modifying');
  if (current && current.status !== 'Deleting') await cbn.deleteTransitRouter(clients.A, router.transitRouterId, { region: router.regionId });
  await untilGone(clients, ctx, what, read);
}

/** B takes back its grant of a VPC to A's CEN (only once no attachment of that VPC to the CEN is left). */
export async function revokeGrant(clients: StepClients, grant: { vpcId: string; cenId: string; cenOwnerId: string }, ctx: ApplyContext): Promise<void> {
  const vpc = await import('../../cloud/vpc.js');
  const read = async () => ((await vpc.describeGrantRulesToCen(clients.B, grant.vpcId)).some((g) => g.cenId === grant.cenId) ? { status: 'granted' } : undefined);
  if (await read()) await vpc.revokeInstanceFromCen(clients.B, { instanceId: grant.vpcId, cenId: grant.cenId, cenOwnerId: grant.cenOwnerId });
  await untilGone(clients, ctx, `the grant of ${grant.vpcId} to ${grant.cenId}`, read);
}

/** A CEN instance, once its transit routers and connections are gone. */
export async function removeCen(clients: StepClients, cenId: string, ctx: ApplyContext): Promise<void> {
  const cbn = await import('../../cloud/cbn.js');
  const read = async () => (await cbn.describeCens(clients.A, { cenId }))[0];
  const current = await settle(clients, ctx, `CEN ${cenId}`, read, (s) => s !== 'Creating');
  if (current && current.status !== 'Deleting') await cbn.deleteCen(clients.A, cenId);
  await untilGone(clients, ctx, `CEN ${cenId}`, read);
}

/** One entry of the Internet endpoint's ACL (the call takes effect at once). */
export async function removeAclEntry(clients: StepClients, instanceId: string, entry: string): Promise<void> {
  const cr = await import('../../cloud/cr.js');
  const current = await cr.getInstanceEndpoint(clients.B, instanceId, 'Internet');
  const found = current?.aclEntries.find((a) => (normalizeCidr(a.entry) ?? a.entry) === (normalizeCidr(entry) ?? entry));
  if (found) await cr.deleteInstanceEndpointAclPolicy(clients.B, { instanceId, entry: found.entry, endpointType: 'Internet' });
}
