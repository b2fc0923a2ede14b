// Public mode's facts: the registry's Internet endpoint (status, ACL with comments), and how each node vSwitch of
// A reaches the Internet: the route table's default route to an Internet NAT gateway with an SNAT entry for the
// vSwitch and EIPs bound to the gateway, or public addresses on every node in it.
import type { ClusterNode } from '../../cloud/cs.js';
import type { EcsInstance } from '../../cloud/ecs.js';
import type { NatGateway, RouteEntry, SnatEntry } from '../../cloud/vpc.js';
import type { BaseFacts, StepClients } from '../step.js';
import { cidrContains, cidrWithin } from './cidr.js';
import type { ClusterNetwork, EgressPath, PublicFacts } from './facts.js';

interface EgressWorld {
  nats: NatGateway[];
  snat: SnatEntry[];
  /** EIP addresses bound to each NAT gateway. */
  natEips: Map<string, string[]>;
  nodes: ClusterNode[];
  instances: EcsInstance[];
}

/** The route a table uses for Internet traffic: the longest Available prefix holding a public address. */
function defaultRoute(entries: readonly RouteEntry[]): RouteEntry | undefined {
  const bits = (e: RouteEntry) => Number(e.destinationCidrBlock.split('/')[1] ?? 32);
  return entries.filter((e) => e.status !== 'Deleting' && cidrContains(e.destinationCidrBlock, '8.8.8.8')).sort((a, b) => bits(b) - bits(a))[0];
}

/** How one node vSwitch reaches the Internet, with the public addresses its traffic leaves with. */
export function egressOf(vsw: ClusterNetwork['vSwitches'][number], cluster: ClusterNetwork, w: EgressWorld): EgressPath {
  const base = { vSwitchId: vsw.vSwitchId, cidrBlock: vsw.cidrBlock };
  // Nodes with their own public address (an EIP or a public IP) leave with it, whatever the route table says.
  const nodesHere = w.instances.filter((i) => i.vSwitchId === vsw.vSwitchId && w.nodes.some((n) => n.instanceId === i.instanceId));
  const ownIps = nodesHere.map((i) => i.eipAddress ?? i.publicIps[0]).filter((ip): ip is string => Boolean(ip));
  const everyNodeHasOne = nodesHere.length > 0 && ownIps.length === nodesHere.length;
  const table = cluster.routeTables.find((t) => t.routeTableId === vsw.routeTableId) ?? cluster.routeTables.find((t) => t.type === 'System');
  const route = table ? defaultRoute(table.entries) : undefined;
  const nat = route?.nextHops.find((h) => h.nextHopType === 'NatGateway');
  const gateway = nat ? w.nats.find((g) => g.natGatewayId === nat.nextHopId && g.networkType !== 'intranet') : undefined;
  if (gateway) {
    const entries = w.snat.filter((s) => s.natGatewayId === gateway.natGatewayId);
    const covering = entries.find((s) => s.sourceVSwitchId === vsw.vSwitchId) ?? entries.find((s) => s.sourceCidr && cidrWithin(vsw.cidrBlock, s.sourceCidr));
    const bound = new Set(w.natEips.get(gateway.natGatewayId) ?? []);
    const ips = covering ? covering.snatIps.filter((ip) => bound.has(ip)) : [];
    if (ips.length > 0) return { ...base, ips, via: `NAT gateway ${gateway.natGatewayId}, SNAT entry ${covering!.snatEntryId}` };
    if (everyNodeHasOne) return { ...base, ips: ownIps, via: "the nodes' own public addresses" };
    return {
      ...base,
      ips: [],
      problem: covering
        ? `the SNAT entry ${covering.snatEntryId} of NAT gateway ${gateway.natGatewayId} for vSwitch ${vsw.vSwitchId} uses no EIP bound to the gateway: bind an EIP to ${gateway.natGatewayId} and use it in the entry`
        : `NAT gateway ${gateway.natGatewayId} has no SNAT entry for node vSwitch ${vsw.vSwitchId} (${vsw.cidrBlock}): add one (VPC console > NAT Gateway > SNAT) with an EIP of the gateway`,
    };
  }
  if (everyNodeHasOne) return { ...base, ips: ownIps, via: "the nodes' own public addresses" };
  return {
    ...base,
    ips: [],
    problem:
      `node vSwitch ${vsw.vSwitchId} (${vsw.cidrBlock}) has no public egress: its route table ${table?.routeTableId ?? '?'} ` +
      `${route ? `sends Internet traffic to ${route.nextHops[0]?.nextHopType ?? '?'} ${route.nextHops[0]?.nextHopId ?? ''}` : 'has no default route'}. ` +
      'Fix: create an Internet NAT gateway in the cluster VPC with an EIP and an SNAT entry for the node vSwitches (ACK: "enable Internet access"), or use --network peering or cen',
  };
}

export async function discoverPublic(base: BaseFacts, clients: StepClients, cluster: ClusterNetwork): Promise<PublicFacts> {
  const [cr, vpc, cs, ecs] = await Promise.all([import('../../cloud/cr.js'), import('../../cloud/vpc.js'), import('../../cloud/cs.js'), import('../../cloud/ecs.js')]);
  const { A, B } = clients;
  const instanceId = base.registry.instance.instanceId;
  const [endpoint, nats, nodes] = await Promise.all([
    cr.getInstanceEndpoint(B, instanceId, 'Internet').catch(() => undefined),
    vpc.describeNatGateways(A, { vpcId: cluster.vpc.vpcId }),
    cs.describeClusterNodes(A, base.cluster.clusterId),
  ]);
  const [snat, eips, instances] = await Promise.all([
    Promise.all(nats.map((g) => vpc.describeSnatTableEntries(A, { natGatewayId: g.natGatewayId }))).then((l) => l.flat()),
    Promise.all(nats.map(async (g) => [g.natGatewayId, (await vpc.describeEipAddresses(A, { associatedInstanceId: g.natGatewayId, associatedInstanceType: 'Nat' })).map((e) => e.ipAddress)] as const)),
    nodes.length > 0 ? ecs.describeInstances(A, { instanceIds: nodes.map((n) => n.instanceId) }) : Promise.resolve([]),
  ]);
  const world: EgressWorld = { nats, snat, natEips: new Map(eips), nodes, instances };
  return {
    endpoint: endpoint ? { ...endpoint, aclEntries: endpoint.aclEntries } : undefined,
    egress: cluster.vSwitches.map((v) => egressOf(v, cluster, world)),
  };
}
