// Reads for `destroy` (no writes), whatever network mode the config names now: a user who switched from peering
// to CEN expects both gone. What is ours is found by its marker (routes, the peering, the CEN, transit routers,
// attachments, TR routes, ACL entries); what is around it is read too, so the planner can tell what must stay:
// the user's routes and attachments that still use ours, the registry's links, the Internet endpoint. A's cluster
// may be gone (deleted before destroy): then A's VPC is the one our peering or our CEN attachments join.
import type { Cen } from '../../cloud/cbn.js';
import { CloudError } from '../../cloud/errors.js';
import type { AccountClient } from '../../cloud/session.js';
import type { VpcPeerConnection } from '../../cloud/vpcpeer.js';
import type { Config } from '../../config/schema.js';
import { isOurs } from '../marker.js';
import type { StepClients, TeardownBase } from '../step.js';
import { tableFacts } from './cen-discover.js';
import { discoverCluster } from './discover.js';
import { NAMES, type NetworkDestroyFacts, type NetworkTeardownFacts, type TeardownCen, type TeardownRouter, type TeardownTable } from './facts.js';
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
 * VPC (vpcsOfA) or B's VPCs are attached or granted to.
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

/**
 * With A's cluster gone, the VPCs of A that our VPC peerings join: the requester VPC of a peering named ours and
 * carrying the marker, requested by A (we peer from the cluster's VPC only, peering.ts), not already gone.
 */
export function vpcsOfOurPeerings(peerings: readonly VpcPeerConnection[], accountA: string): string[] {
  const ours = peerings.filter((c) => !GONE_PEERING.includes(c.status) && c.name === NAMES.peering && isOurs(c.description) && c.ownerId === accountA);
  return [...new Set(ours.map((c) => c.vpc.vpcId))].sort();
}

/**
 * With A's cluster gone, the VPCs of A that our CEN attachments join: A's own VPC, attached to a router in A's
 * region by an attachment carrying the marker, in any CEN found (we attach the cluster's VPC only, cen-apply.ts).
 */
export function vpcsOfOurAttachments(cens: readonly TeardownCen[], accountA: string, regionA: string): string[] {
  const out = new Set<string>();
  for (const c of cens) {
    for (const r of c.routers) {
      if (r.router.regionId !== regionA) continue;
      // VpcOwnerId is the caller's (A's) when an attachment names none.
      for (const a of r.vpcAttachments) if ((a.vpcOwnerId ?? accountA) === accountA && isOurs(a.description)) out.add(a.vpcId);
    }
  }
  return [...out].sort();
}

/**
 * A's VPCs that may hold our routes, and the CENs they are attached to. With the cluster: its VPC, as before. With
 * the cluster gone: the VPCs our peerings join (vpcsOfOurPeerings); those of our CEN attachments are added once the
 * CENs are read.
 */
async function vpcsOfA(base: TeardownBase, clients: StepClients, accountA: string): Promise<{ vpcs: Set<string>; cens: Map<string, string> }> {
  const cens = new Map<string, string>();
  if (base.cluster) {
    const cluster = await discoverCluster({ cluster: base.cluster }, clients.A);
    for (const c of cluster.vpc.associatedCens) cens.set(c.cenId, `A's VPC ${cluster.vpc.vpcId} is attached to it`);
    return { vpcs: new Set([cluster.vpc.vpcId]), cens };
  }
  const [vpc, peer] = await Promise.all([import('../../cloud/vpc.js'), import('../../cloud/vpcpeer.js')]);
  const vpcs = new Set(vpcsOfOurPeerings(await peer.listVpcPeerConnections(clients.A, { name: NAMES.peering }), accountA));
  const attributes = await Promise.all([...vpcs].map((id) => vpc.describeVpcAttribute(clients.A, id).catch(ifGone(undefined))));
  for (const a of attributes) for (const c of a?.associatedCens ?? []) cens.set(c.cenId, `A's VPC ${a!.vpcId} is attached to it`);
  return { vpcs, cens };
}

export async function discoverNetworkTeardown(config: Config, base: TeardownBase, clients: StepClients): Promise<NetworkDestroyFacts> {
  const [{ isEnterpriseEdition, getInstanceEndpoint }, vpc, peer] = await Promise.all([import('../../cloud/cr.js'), import('../../cloud/vpc.js'), import('../../cloud/vpcpeer.js')]);
  const accountA = base.identities.A.accountId;
  const accountB = base.identities.B.accountId;
  const regionA = config.accountA.region;
  const regionB = config.accountB.region;
  const enterprise = isEnterpriseEdition(base.registry.instance);
  const instanceId = base.registry.instance.instanceId;
  const { vpcs: vpcsA, cens: candidates } = await vpcsOfA(base, clients, accountA);

  // The connections between A's VPCs and a VPC of B: ours (whatever they join) and the user's (to say they stay).
  const peeringsOf = async (vpcIds: string[]) =>
    vpcIds.length === 0
      ? []
      : (await peer.listVpcPeerConnections(clients.A, { vpcIds })).filter(
          (c: VpcPeerConnection) => !GONE_PEERING.includes(c.status) && (isOurs(c.description) || c.acceptingOwnerUid === accountB || c.ownerId === accountB),
        );
  const peerings = await peeringsOf([...vpcsA]);
  const links = enterprise ? (base.registry.vpcEndpoint?.linkedVpcs ?? []) : [];
  // B's VPCs that may carry our routes: linked to the registry, named by --vpc-id-b, peered with A's VPC.
  const vpcsB = new Set<string>([...links.map((l) => l.vpcId), ...(config.network.vpcIdB ? [config.network.vpcIdB] : [])]);
  const addPeeredB = (list: VpcPeerConnection[]) => {
    for (const c of list) if (c.acceptingOwnerUid === accountB && c.acceptingRegionId === regionB) vpcsB.add(c.acceptingVpc.vpcId);
  };
  addPeeredB(peerings);
  const grants = async (vpcIds: Iterable<string>) =>
    new Map(await Promise.all([...vpcIds].map(async (id) => [id, await vpc.describeGrantRulesToCen(clients.B, id).catch(ifGone([]))] as const)));
  const grantsB = await grants(vpcsB);

  for (const [vpcId, list] of grantsB) for (const g of list) if (g.cenOwnerId === accountA) candidates.set(g.cenId, `B's VPC ${vpcId} is granted to it`);
  const regions = [...new Set([regionA, regionB])];
  const cens = await Promise.all((await findCens(config, clients, candidates)).map(({ cen, found }) => cenOf(clients, regions, cen, found)));
  // B's VPCs our attachments join.
  for (const c of cens) for (const r of c.routers) for (const a of r.vpcAttachments) if (a.vpcOwnerId === accountB && r.router.regionId === regionB) vpcsB.add(a.vpcId);
  if (!base.cluster) {
    // The cluster gone: A's VPCs our attachments join too (vpcsOfOurAttachments), with their connections.
    const attachedA = vpcsOfOurAttachments(cens, accountA, regionA).filter((id) => !vpcsA.has(id));
    const known = new Set(peerings.map((p) => p.instanceId));
    const extra = (await peeringsOf(attachedA)).filter((p) => !known.has(p.instanceId));
    peerings.push(...extra);
    addPeeredB(extra);
    for (const id of attachedA) vpcsA.add(id);
  }
  // Every grant of B's VPCs to these CENs.
  const more = await grants([...vpcsB].filter((id) => !grantsB.has(id)));
  for (const [id, list] of more) grantsB.set(id, list);
  for (const c of cens) c.grantedVpcs = [...grantsB].filter(([, list]) => list.some((g) => g.cenId === c.cen.cenId)).map(([id]) => id).sort();

  // The cluster's VPC must be readable (as before); with the cluster gone, a VPC already gone holds no route.
  const tablesA = (id: string) => (base.cluster ? tablesOf(clients.A, 'A', id) : tablesOf(clients.A, 'A', id).catch(ifGone([])));
  const [inA, inB, internet] = await Promise.all([
    Promise.all([...vpcsA].sort().map(tablesA)).then((l) => l.flat()),
    Promise.all([...vpcsB].sort().map((id) => tablesOf(clients.B, 'B', id).catch(ifGone([])))).then((l) => l.flat()),
    enterprise ? getInstanceEndpoint(clients.B, instanceId, 'Internet').catch(ifGone(undefined)) : Promise.resolve(undefined),
  ]);
  const teardown: NetworkTeardownFacts = {
    tables: [...inA, ...inB],
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
    clusterId: config.accountA.clusterId,
    instanceId,
    enterprise,
    registryVpcDomain: registryVpcDomain(base),
    registryInternetDomain: registryInternetDomain(base),
    teardown,
  };
}
