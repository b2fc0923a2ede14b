// CEN mode's facts: the CEN (the user's --cen-id, or ours by name and marker), its transit routers in both regions
// with their route tables (routes, associations, propagations), B's grant, the VPC and inter-region attachments,
// the zones each router supports, and other CENs either VPC is attached to.
import type { Cen, TransitRouter } from '../../cloud/cbn.js';
import type { Config } from '../../config/schema.js';
import type { StepClients } from '../step.js';
import { NAMES, type CenFacts, type NetworkFacts, type TransitRouterFacts, type TrRouteTableFacts } from './facts.js';
import { isOurs } from '../marker.js';

async function findCen(config: Config, clients: StepClients): Promise<Cen | undefined> {
  const cbn = await import('../../cloud/cbn.js');
  if (config.network.cenId) return (await cbn.describeCens(clients.A, { cenId: config.network.cenId }))[0];
  return (await cbn.describeCens(clients.A, { name: NAMES.cen })).find((c) => isOurs(c.description) && c.status !== 'Deleting');
}

export async function tableFacts(clients: StepClients, routeTableId: string): Promise<TrRouteTableFacts> {
  const routes = await import('../../cloud/cbn-routes.js');
  const [entries, associations, propagations] = await Promise.all([
    routes.listTransitRouterRouteEntries(clients.A, routeTableId, { status: 'All' }),
    routes.listTransitRouterRouteTableAssociations(clients.A, { routeTableId }),
    routes.listTransitRouterRouteTablePropagations(clients.A, { routeTableId }),
  ]);
  return { routeTableId, entries, associations, propagations };
}

/** A router with its system table and any other table of it. */
async function routerFacts(clients: StepClients, router: TransitRouter | undefined): Promise<TransitRouterFacts | undefined> {
  if (!router) return undefined;
  const routes = await import('../../cloud/cbn-routes.js');
  const tables = await routes.listTransitRouterRouteTables(clients.A, router.transitRouterId);
  const facts = await Promise.all(tables.map((t) => tableFacts(clients, t.routeTableId)));
  const systemId = tables.find((t) => t.type === 'System')?.routeTableId;
  return { router, systemTable: facts.find((t) => t.routeTableId === systemId), otherTables: facts.filter((t) => t.routeTableId !== systemId) };
}

export async function discoverCen(config: Config, f: NetworkFacts, clients: StepClients): Promise<CenFacts> {
  const [cbn, vpc] = await Promise.all([import('../../cloud/cbn.js'), import('../../cloud/vpc.js')]);
  const vpcA = f.cluster.vpc.vpcId;
  const vpcB = f.registry!.vpc.vpcId;
  const cen = await findCen(config, clients);
  const crossRegion = f.regionA !== f.regionB;
  const [zonesA, zonesB, grants] = await Promise.all([
    cbn.listTransitRouterAvailableResource(clients.A, f.regionA).then((r) => r.availableZones),
    crossRegion ? cbn.listTransitRouterAvailableResource(clients.A, f.regionB).then((r) => r.availableZones) : Promise.resolve(undefined),
    vpc.describeGrantRulesToCen(clients.B, vpcB),
  ]);
  const otherCens = {
    A: f.cluster.vpc.associatedCens.map((c) => c.cenId).filter((id) => id !== cen?.cenId),
    B: f.registry!.vpc.associatedCens.map((c) => c.cenId).filter((id) => id !== cen?.cenId),
  };
  const facts: CenFacts = { cen, routers: {}, granted: false, attachments: {}, zones: { A: zonesA, B: zonesB ?? zonesA }, otherCens };
  if (!cen) return facts;
  facts.granted = grants.some((g) => g.cenId === cen.cenId);
  const [routerA, routerB] = await Promise.all([
    cbn.listTransitRouters(clients.A, { cenId: cen.cenId, regionId: f.regionA }).then((l) => l[0]),
    crossRegion ? cbn.listTransitRouters(clients.A, { cenId: cen.cenId, regionId: f.regionB }).then((l) => l[0]) : Promise.resolve(undefined),
  ]);
  const [factsA, factsB, attA, attB] = await Promise.all([
    routerFacts(clients, routerA),
    crossRegion ? routerFacts(clients, routerB) : Promise.resolve(undefined),
    cbn.listTransitRouterVpcAttachments(clients.A, { cenId: cen.cenId, regionId: f.regionA, vpcId: vpcA }).then((l) => l[0]),
    cbn.listTransitRouterVpcAttachments(clients.A, { cenId: cen.cenId, regionId: f.regionB, vpcId: vpcB }).then((l) => l[0]),
  ]);
  facts.routers = { A: factsA, B: crossRegion ? factsB : factsA };
  facts.attachments = { A: attA, B: attB };
  if (crossRegion && routerA && routerB) {
    const peers = await cbn.listTransitRouterPeerAttachments(clients.A, { transitRouterId: routerA.transitRouterId, regionId: f.regionA });
    facts.attachments.peer = peers.find((p) => p.peerTransitRouterId === routerB.transitRouterId && p.status !== 'Detaching');
  }
  return facts;
}
