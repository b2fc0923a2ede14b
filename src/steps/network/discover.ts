// Discovery for the network step (reads only, both accounts in parallel): A's cluster network, B's registry VPC
// and its link, the service addresses, and the state of the chosen mode (public endpoint, peering or CEN).
import type { AccountClient } from '../../cloud/session.js';
import type { VSwitch } from '../../cloud/vpc.js';
import type { Config } from '../../config/schema.js';
import { UserError } from '../../errors.js';
import type { BaseFacts, StepClients } from '../step.js';
import { discoverAddresses, fillFromOurRoutes } from './addresses.js';
import { discoverCen } from './cen-discover.js';
import type { ClusterNetwork, NetworkFacts, RegistrySide, RouteTableFacts } from './facts.js';
import { discoverPublic } from './public-discover.js';
import { chooseRegistryVpc, registryInternetDomain, registryVpcDomain } from './registry-vpc.js';

/** The route tables of a VPC that `vSwitches` use (the system table for a vSwitch that names none), with their entries. */
async function routeTablesOf(acct: AccountClient, vpcId: string, vSwitches: readonly VSwitch[], extra: string[] = []): Promise<RouteTableFacts[]> {
  const vpc = await import('../../cloud/vpc.js');
  const tables = await vpc.describeRouteTableList(acct, { vpcId });
  const system = tables.find((t) => t.routeTableType === 'System');
  const ids = [...new Set([...vSwitches.map((v) => v.routeTableId ?? system?.routeTableId ?? ''), ...extra].filter(Boolean))];
  return Promise.all(
    ids.map(async (routeTableId) => ({
      routeTableId,
      type: tables.find((t) => t.routeTableId === routeTableId)?.routeTableType ?? 'System',
      entries: await vpc.describeRouteEntryList(acct, { routeTableId }),
    })),
  );
}

/** A's cluster VPC, the vSwitches its nodes use (node pools and control plane), and their route tables. */
export async function discoverCluster(base: Pick<BaseFacts, 'cluster'>, A: AccountClient): Promise<ClusterNetwork> {
  const [vpc, cs] = await Promise.all([import('../../cloud/vpc.js'), import('../../cloud/cs.js')]);
  const vpcId = base.cluster.vpcId;
  const [attribute, pools, vSwitches] = await Promise.all([
    vpc.describeVpcAttribute(A, vpcId),
    cs.describeClusterNodePools(A, base.cluster.clusterId),
    vpc.describeVSwitches(A, { vpcId }),
  ]);
  if (!attribute) throw new UserError(`the cluster's VPC ${vpcId} is not visible to account A in ${A.region}: check --region-a and that --profile-a owns the cluster`);
  const ids = new Set([...pools.flatMap((p) => p.vSwitchIds), ...base.cluster.vSwitchIds]);
  const nodeVSwitches = vSwitches.filter((v) => ids.has(v.vSwitchId)).sort((a, b) => a.vSwitchId.localeCompare(b.vSwitchId));
  const routeTables = await routeTablesOf(A, vpcId, nodeVSwitches);
  return { vpc: attribute, vSwitches: nodeVSwitches, routeTables, podCidr: base.cluster.containerCidr, serviceCidr: base.cluster.serviceCidr };
}

/** The vSwitch a new link uses: --vswitch-id-b, else the one with the most free addresses. */
function linkVSwitch(config: Config, vSwitches: readonly VSwitch[]): string | undefined {
  if (config.network.vswitchIdB) return config.network.vswitchIdB;
  const ranked = [...vSwitches].sort((a, b) => (b.availableIpAddressCount ?? 0) - (a.availableIpAddressCount ?? 0) || a.vSwitchId.localeCompare(b.vSwitchId));
  return ranked[0]?.vSwitchId;
}

/** B's side: the registry's VPC, its vSwitches and route tables, the link, the service addresses. */
async function discoverRegistrySide(config: Config, base: BaseFacts, B: AccountClient): Promise<{ registry?: RegistrySide; problems: string[] }> {
  const choice = await chooseRegistryVpc(config, base, B);
  if (!choice.vpcId) return { problems: [choice.problem ?? "no VPC of account B to link the registry to"] };
  const vpc = await import('../../cloud/vpc.js');
  const [attribute, vSwitches, addresses] = await Promise.all([
    vpc.describeVpcAttribute(B, choice.vpcId),
    vpc.describeVSwitches(B, { vpcId: choice.vpcId }),
    discoverAddresses(config, B, choice.vpcId),
  ]);
  if (!attribute) return { problems: [`account B has no VPC ${choice.vpcId} in ${config.accountB.region}: check --vpc-id-b and --region-b`] };
  const linkVSwitchId = choice.link?.vswitchId || linkVSwitch(config, vSwitches);
  const linked = vSwitches.filter((v) => v.vSwitchId === linkVSwitchId);
  const tables = await vpc.describeRouteTableList(B, { vpcId: choice.vpcId });
  const system = tables.find((t) => t.routeTableType === 'System')?.routeTableId;
  const routeTables = await routeTablesOf(B, choice.vpcId, linked, system ? [system] : []);
  const links = (base.registry.vpcEndpoint?.linkedVpcs ?? []).filter((l) => l.status !== 'DELETING');
  return {
    registry: {
      vpc: attribute,
      vpcReason: choice.reason,
      vSwitches: [...vSwitches].sort((a, b) => a.vSwitchId.localeCompare(b.vSwitchId)),
      link: choice.link,
      linkVSwitchId,
      linkedCount: links.length,
      routeTables,
      addresses,
    },
    problems: [],
  };
}

export async function discoverNetwork(config: Config, base: BaseFacts, clients: StepClients): Promise<NetworkFacts> {
  const mode = config.network.mode;
  const { isEnterpriseEdition } = await import('../../cloud/cr.js');
  const enterprise = isEnterpriseEdition(base.registry.instance);
  const [cluster, registrySide] = await Promise.all([
    discoverCluster(base, clients.A),
    mode === 'public' || !enterprise ? Promise.resolve(undefined) : discoverRegistrySide(config, base, clients.B),
  ]);
  const facts: NetworkFacts = {
    mode,
    accountA: base.identities.A.accountId,
    accountB: base.identities.B.accountId,
    regionA: config.accountA.region,
    regionB: config.accountB.region,
    clusterId: base.cluster.clusterId,
    instanceId: base.registry.instance.instanceId,
    enterprise,
    registryVpcDomain: registryVpcDomain(base),
    registryInternetDomain: registryInternetDomain(base),
    cluster,
    problems: [...(registrySide?.problems ?? [])],
  };
  if (mode === 'public') {
    facts.public = await discoverPublic(base, clients, facts.cluster);
    return facts;
  }
  if (!registrySide?.registry) return facts;
  facts.registry = registrySide.registry;
  fillFromOurRoutes(facts.registry.addresses, facts.cluster.routeTables);
  if (mode === 'peering') {
    const { listVpcPeerConnections } = await import('../../cloud/vpcpeer.js');
    const a = facts.cluster.vpc.vpcId;
    const b = facts.registry.vpc.vpcId;
    const live = (await listVpcPeerConnections(clients.A, { vpcIds: [a] })).filter((c) => !['Rejected', 'Expired', 'Deleting', 'Deleted'].includes(c.status));
    facts.peering = { existing: live.find((c) => (c.vpc.vpcId === a && c.acceptingVpc.vpcId === b) || (c.vpc.vpcId === b && c.acceptingVpc.vpcId === a)) };
  } else {
    facts.cen = await discoverCen(config, facts, clients);
  }
  return facts;
}
