// Reads for `destroy` (no writes), whatever network mode the config names now: a user who switched from peering
// to CEN expects both gone. What is ours is found by its marker (routes, the peering, the CEN, transit routers,
// attachments, TR routes, ACL entries); what is around it is read too, so the planner can tell what must stay:
// the user's routes and attachments that still use ours, the registry's links, the Internet endpoint.
import type { Cen } from '../../cloud/cbn.js';
import { CloudError } from '../../cloud/errors.js';
import type { AccountClient } from '../../cloud/session.js';
import type { VpcPeerConnection } from '../../cloud/vpcpeer.js';
import type { Config } from '../../config/schema.js';
import { isOurs } from '../marker.js';
import type { BaseFacts, StepClients } from '../step.js';
import { tableFacts } from './cen-discover.js';
import { discoverCluster } from './discover.js';
import { NAMES, type NetworkFacts, type NetworkTeardownFacts, type TeardownCen, type TeardownRouter, type TeardownTable } from './facts.js';
import { registryInternetDomain, registryVpcDomain } from './registry-vpc.js';

const GONE_PEERING = ['Deleted', 'Rejected', 'Expired'];

/** Every route table of a VPC, with every entry. */
async function tablesOf(acct: AccountClient, account: 'A' | 'B', vpcId: string): Promise<TeardownTable[]> {
  const vpc = await import('../../cloud/vpc.js');
  const tables = await vpc.describeRouteTableList(acct, { vpcId });
  return Promise.all(tables.map(async (t) => ({ account, vpcId, routeTableId: t.routeTableId, entries: await vpc.describeRouteEntryList(acct, { routeTableId: t.routeTableId }) })));
}

/** A router with its tables and the attachments on it. */
async function routerOf(clients: StepClients, router: TeardownRouter['router']): Promise<TeardownRouter> {
  const [cbn, routes] = await Promise.all([import('../../cloud/cbn.js'), import('../../cloud/cbn-routes.js')]);
  const where = { transitRouterId: router.transitRouterId, regionId: router.regionId };
  const [tables, vpcAttachments, peerAttachments] = await Promise.all([
    routes.listTransitRouterRouteTables(clients.A, router.transitRouterId),
    cbn.listTransitRouterVpcAttachments(clients.A, where),
    cbn.listTransitRouterPeerAttachments(clients.A, where),
  ]);
  const withFacts = await Promise.all(tables.map(async (t) => ({ ...(await tableFacts(clients, t.routeTableId)), type: t.type })));
  return { router, tables: withFacts, vpcAttachments, peerAttachments };
}

/**
 * The CENs of A that may hold something of ours: ours (name and marker), the one --cen-id names, and those A's
 * cluster VPC or B's VPCs are attached or granted to.
 */
async function findCens(config: Config, clients: StepClients, candidates: Map<string, string>): Promise<{ cen: Cen; found: string }[]> {
  const cbn = await import('../../cloud/cbn.js');
  const out = new Map<string, { cen: Cen; found: string }>();
  for (const cen of await cbn.describeCens(clients.A, { name: NAMES.cen })) if (isOurs(cen.description)) out.set(cen.cenId, { cen, found: 'made by acr-xaccount' });
  if (config.network.cenId) candidates.set(config.network.cenId, '--cen-id');
  await Promise.all(
    [...candidates].filter(([id]) => !out.has(id)).map(async ([cenId, found]) => {
      const cen = (await cbn.describeCens(clients.A, { cenId }))[0];
      if (cen) out.set(cenId, { cen, found });
    }),
  );
  return [...out.values()].sort((a, b) => a.cen.cenId.localeCompare(b.cen.cenId));
}

async function cenOf(clients: StepClients, regions: string[], cen: Cen, found: string): Promise<TeardownCen> {
  const cbn = await import('../../cloud/cbn.js');
  const [routers, children] = await Promise.all([
    Promise.all(regions.map((regionId) => cbn.listTransitRouters(clients.A, { cenId: cen.cenId, regionId }))).then((l) => l.flat()),
    cbn.describeCenAttachedChildInstances(clients.A, cen.cenId),
  ]);
  return { cen, found, routers: await Promise.all(routers.map((r) => routerOf(clients, r))), children, grantedVpcs: [] };
}

/**
 * A VPC named by a link or a peering may be gone already: that reads as "nothing there". Any other error (a denied
 * read above all) stops the run, or destroy would leave behind what it could not see.
 */
export const ifGone =
  <T>(fallback: T) =>
  (error: unknown): T => {
    if (error instanceof CloudError && /NotFound|NotExist/i.test(error.code)) return fallback;
    throw error;
  };

export async function discoverNetworkTeardown(config: Config, base: BaseFacts, clients: StepClients): Promise<NetworkFacts> {
  const [{ isEnterpriseEdition, getInstanceEndpoint }, vpc, peer] = await Promise.all([import('../../cloud/cr.js'), import('../../cloud/vpc.js'), import('../../cloud/vpcpeer.js')]);
  const accountA = base.identities.A.accountId;
  const accountB = base.identities.B.accountId;
  const regionA = config.accountA.region;
  const regionB = config.accountB.region;
  const enterprise = isEnterpriseEdition(base.registry.instance);
  const instanceId = base.registry.instance.instanceId;
  const cluster = await discoverCluster(base, clients.A);
  const vpcA = cluster.vpc.vpcId;

  // The connections between A's VPC and a VPC of B: ours (whatever they join) and the user's (to say they stay).
  const peerings = (await peer.listVpcPeerConnections(clients.A, { vpcIds: [vpcA] })).filter(
    (c: VpcPeerConnection) => !GONE_PEERING.includes(c.status) && (isOurs(c.description) || c.acceptingOwnerUid === accountB || c.ownerId === accountB),
  );
  const links = enterprise ? (base.registry.vpcEndpoint?.linkedVpcs ?? []) : [];
  // B's VPCs that may carry our routes: linked to the registry, named by --vpc-id-b, peered with A's VPC.
  const vpcsB = new Set<string>([...links.map((l) => l.vpcId), ...(config.network.vpcIdB ? [config.network.vpcIdB] : [])]);
  for (const c of peerings) if (c.acceptingOwnerUid === accountB && c.acceptingRegionId === regionB) vpcsB.add(c.acceptingVpc.vpcId);
  const grants = async (vpcIds: Iterable<string>) =>
    new Map(await Promise.all([...vpcIds].map(async (id) => [id, await vpc.describeGrantRulesToCen(clients.B, id).catch(ifGone([]))] as const)));
  const grantsB = await grants(vpcsB);

  const candidates = new Map<string, string>();
  for (const c of cluster.vpc.associatedCens) candidates.set(c.cenId, `A's VPC ${vpcA} is attached to it`);
  for (const [vpcId, list] of grantsB) for (const g of list) if (g.cenOwnerId === accountA) candidates.set(g.cenId, `B's VPC ${vpcId} is granted to it`);
  const regions = [...new Set([regionA, regionB])];
  const cens = await Promise.all((await findCens(config, clients, candidates)).map(({ cen, found }) => cenOf(clients, regions, cen, found)));
  // B's VPCs our attachments join, then every grant of B's VPCs to these CENs.
  for (const c of cens) for (const r of c.routers) for (const a of r.vpcAttachments) if (a.vpcOwnerId === accountB && r.router.regionId === regionB) vpcsB.add(a.vpcId);
  const more = await grants([...vpcsB].filter((id) => !grantsB.has(id)));
  for (const [id, list] of more) grantsB.set(id, list);
  for (const c of cens) c.grantedVpcs = [...grantsB].filter(([, list]) => list.some((g) => g.cenId === c.cen.cenId)).map(([id]) => id).sort();

  const [tablesA, tablesB, internet] = await Promise.all([
    tablesOf(clients.A, 'A', vpcA),
    Promise.all([...vpcsB].sort().map((id) => tablesOf(clients.B, 'B', id).catch(ifGone([])))).then((l) => l.flat()),
    enterprise ? getInstanceEndpoint(clients.B, instanceId, 'Internet').catch(ifGone(undefined)) : Promise.resolve(undefined),
  ]);
  const teardown: NetworkTeardownFacts = {
    tables: [...tablesA, ...tablesB],
    peerings,
    cens,
    links,
    internet: internet ? { enabled: internet.enabled, status: internet.status, aclEntries: internet.aclEntries } : undefined,
  };
  return {
    mode: config.network.mode,
    accountA,
    accountB,
    regionA,
    regionB,
    clusterId: base.cluster.clusterId,
    instanceId,
    enterprise,
    registryVpcDomain: registryVpcDomain(base),
    registryInternetDomain: registryInternetDomain(base),
    cluster,
    teardown,
    problems: [],
  };
}
