// The writes of CEN mode, each re-reading before it writes (a re-run after a crash resumes) and waiting until
// what it made is usable: the CEN, transit routers, B's grant, attachments, associations, propagations, routes.
import type { AccountClient } from '../../cloud/session.js';
import type { ApplyContext } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import type { StepClients } from '../step.js';
import { NAMES } from './facts.js';
import { MARKER, MARKER_TAG } from '../marker.js';

const TIMEOUT_MS = 15 * 60_000;

const cbnModule = () => import('../../cloud/cbn.js');
const routesModule = () => import('../../cloud/cbn-routes.js');

function until<T>(clients: StepClients, ctx: ApplyContext, what: string, check: (report: (s: string) => void) => Promise<T | undefined>): Promise<T> {
  return waitFor(check, { what, intervalMs: clients.pollIntervalMs, timeoutMs: TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal });
}

export async function createCen(clients: StepClients, ctx: ApplyContext): Promise<{ cenId: string }> {
  const cbn = await cbnModule();
  const found = (await cbn.describeCens(clients.A, { name: NAMES.cen })).find((c) => (c.description ?? '').includes(MARKER) && c.status !== 'Deleting');
  const cenId = found?.cenId ?? (await cbn.createCen(clients.A, { name: NAMES.cen, description: MARKER, tags: { ...MARKER_TAG } }));
  await until(clients, ctx, `CEN ${cenId}`, async (report) => {
    const status = (await cbn.describeCens(clients.A, { cenId }))[0]?.status ?? 'not listed yet';
    report(status);
    return status === 'Active' ? true : undefined;
  });
  return { cenId };
}

/** A transit router of the CEN in a region (the one there, or a new Enterprise one), Active, and its system table. */
export async function ensureRouter(clients: StepClients, ctx: ApplyContext, cenId: string, regionId: string): Promise<{ transitRouterId: string; routeTableId: string }> {
  const [cbn, routes] = await Promise.all([cbnModule(), routesModule()]);
  const existing = (await cbn.listTransitRouters(clients.A, { cenId, regionId }))[0];
  const transitRouterId =
    existing?.transitRouterId ??
    (await cbn.createTransitRouter(clients.A, { cenId, regionId, name: `${NAMES.cen}-${regionId}`, description: MARKER, tags: { ...MARKER_TAG } }));
  await until(clients, ctx, `transit router ${transitRouterId}`, async (report) => {
    const status = (await cbn.listTransitRouters(clients.A, { cenId, regionId, transitRouterId }))[0]?.status ?? 'not listed yet';
    report(status);
    return status === 'Active' ? true : undefined;
  });
  const routeTableId = await until(clients, ctx, `the system route table of ${transitRouterId}`, async () => (await routes.listTransitRouterRouteTables(clients.A, transitRouterId, { type: 'System' }))[0]?.routeTableId || undefined);
  return { transitRouterId, routeTableId };
}

export async function ensureGrant(B: AccountClient, input: { vpcId: string; cenId: string; cenOwnerId: string }): Promise<void> {
  const vpc = await import('../../cloud/vpc.js');
  if ((await vpc.describeGrantRulesToCen(B, input.vpcId)).some((g) => g.cenId === input.cenId)) return;
  await vpc.grantInstanceToCen(B, { instanceId: input.vpcId, cenId: input.cenId, cenOwnerId: input.cenOwnerId });
}

export interface VpcAttachmentSpec {
  cenId: string;
  transitRouterId: string;
  regionId: string;
  vpcId: string;
  vpcOwnerId?: string;
  zoneMappings: { vSwitchId: string; zoneId: string }[];
}

export async function ensureVpcAttachment(clients: StepClients, ctx: ApplyContext, spec: VpcAttachmentSpec): Promise<{ attachmentId: string }> {
  const cbn = await cbnModule();
  const list = (attachmentId?: string) => cbn.listTransitRouterVpcAttachments(clients.A, { cenId: spec.cenId, regionId: spec.regionId, vpcId: spec.vpcId, attachmentId });
  const attachmentId =
    (await list())[0]?.attachmentId ??
    (await cbn.createTransitRouterVpcAttachment(clients.A, {
      regionId: spec.regionId,
      transitRouterId: spec.transitRouterId,
      vpcId: spec.vpcId,
      vpcOwnerId: spec.vpcOwnerId,
      zoneMappings: spec.zoneMappings,
      name: `${NAMES.cen}-${spec.vpcId}`,
      description: MARKER,
      tags: { ...MARKER_TAG },
    }));
  await until(clients, ctx, `the attachment of ${spec.vpcId}`, async (report) => {
    const status = (await list(attachmentId))[0]?.status ?? 'not listed yet';
    report(status);
    return status === 'Attached' ? true : undefined;
  });
  return { attachmentId };
}

export interface PeerSpec {
  cenId: string;
  transitRouterId: string;
  regionId: string;
  peerTransitRouterId: string;
  peerRegionId: string;
  bandwidthMbps: number;
}

export async function ensurePeerAttachment(clients: StepClients, ctx: ApplyContext, spec: PeerSpec): Promise<{ attachmentId: string }> {
  const cbn = await cbnModule();
  const list = () => cbn.listTransitRouterPeerAttachments(clients.A, { transitRouterId: spec.transitRouterId, regionId: spec.regionId });
  const attachmentId =
    (await list()).find((p) => p.peerTransitRouterId === spec.peerTransitRouterId && p.status !== 'Detaching')?.attachmentId ??
    (await cbn.createTransitRouterPeerAttachment(clients.A, {
      cenId: spec.cenId,
      transitRouterId: spec.transitRouterId,
      regionId: spec.regionId,
      peerTransitRouterId: spec.peerTransitRouterId,
      peerTransitRouterRegionId: spec.peerRegionId,
      // Pay by data transfer: no bandwidth plan to buy; the bandwidth is a cap.
      bandwidthType: 'DataTransfer',
      bandwidth: spec.bandwidthMbps,
      name: `${NAMES.cen}-${spec.regionId}-${spec.peerRegionId}`,
      description: MARKER,
      tags: { ...MARKER_TAG },
    }));
  await until(clients, ctx, `the inter-region connection ${attachmentId}`, async (report) => {
    const status = (await list()).find((p) => p.attachmentId === attachmentId)?.status ?? 'not listed yet';
    report(status);
    return status === 'Attached' ? true : undefined;
  });
  return { attachmentId };
}

/** The route table forwards the attachment's traffic (unless another table already does), Active. */
export async function ensureAssociation(clients: StepClients, ctx: ApplyContext, link: { attachmentId: string; routeTableId: string }): Promise<void> {
  const routes = await routesModule();
  const current = await routes.listTransitRouterRouteTableAssociations(clients.A, { attachmentId: link.attachmentId });
  if (!current.some((l) => l.routeTableId === link.routeTableId)) await routes.associateTransitRouterAttachmentWithRouteTable(clients.A, link);
  await until(clients, ctx, `association of ${link.attachmentId} with ${link.routeTableId}`, async (report) => {
    const l = (await routes.listTransitRouterRouteTableAssociations(clients.A, link)).find((x) => x.routeTableId === link.routeTableId);
    report(l?.status ?? 'not listed yet');
    return l?.status === 'Active' ? true : undefined;
  });
}

/** The route table learns the attachment's routes, Active. */
export async function ensurePropagation(clients: StepClients, ctx: ApplyContext, link: { attachmentId: string; routeTableId: string }): Promise<void> {
  const routes = await routesModule();
  const find = async () => (await routes.listTransitRouterRouteTablePropagations(clients.A, link)).find((x) => x.attachmentId === link.attachmentId);
  if (!(await find())) await routes.enableTransitRouterRouteTablePropagation(clients.A, link);
  await until(clients, ctx, `propagation of ${link.attachmentId} into ${link.routeTableId}`, async (report) => {
    const l = await find();
    report(l?.status ?? 'not listed yet');
    return l?.status === 'Active' ? true : undefined;
  });
}

/** A static route in a transit-router table; only our own route for the destination is ever replaced. */
export async function ensureTrRoute(clients: StepClients, ctx: ApplyContext, route: { routeTableId: string; destination: string; attachmentId: string }): Promise<void> {
  const routes = await routesModule();
  const list = () => routes.listTransitRouterRouteEntries(clients.A, route.routeTableId, { destinationCidrBlock: route.destination, status: 'All', type: 'Static' });
  const statics = (await list()).filter((e) => e.status !== 'Deleting');
  if (!statics.some((e) => e.nextHopId === route.attachmentId)) {
    const other = statics[0];
    if (other && !(other.description ?? '').includes(MARKER)) {
      throw new Error(`transit-router table ${route.routeTableId} already has a static route for ${route.destination} to ${other.nextHopId ?? other.nextHopType} (not made by acr-xaccount): remove it, then re-run`);
    }
    if (other) {
      await routes.deleteTransitRouterRouteEntry(clients.A, { entryId: other.entryId });
      await until(clients, ctx, `old route ${route.destination} to be removed`, async () => ((await list()).some((e) => e.entryId === other.entryId) ? undefined : true));
    }
    await routes.createTransitRouterRouteEntry(clients.A, {
      routeTableId: route.routeTableId,
      destinationCidrBlock: route.destination,
      nextHopType: 'Attachment',
      nextHopId: route.attachmentId,
      name: NAMES.cen,
      description: MARKER,
    });
  }
  await until(clients, ctx, `transit-router route ${route.destination}`, async (report) => {
    const e = (await list()).find((x) => x.nextHopId === route.attachmentId);
    report(e?.status ?? 'not listed yet');
    return e?.status === 'Active' ? true : undefined;
  });
}
