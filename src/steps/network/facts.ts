// What the network step learns before planning: A's cluster network, B's registry side, and per mode the
// peering, CEN or public-endpoint state. Discovery fills it (reads only); preflight and the planners read it.
import type { Cen, ChildInstance, PeerAttachment, TransitRouter, VpcAttachment } from '../../cloud/cbn.js';
import type { RouteTableLink, TrRouteEntry } from '../../cloud/cbn-routes.js';
import type { CrEndpoint, LinkedVpc } from '../../cloud/cr.js';
import type { EcsInstance } from '../../cloud/ecs.js';
import type { RouteEntry, VSwitch, VpcAttribute } from '../../cloud/vpc.js';
import type { VpcPeerConnection } from '../../cloud/vpcpeer.js';
import type { NetworkMode } from '../../config/schema.js';

/** Names we give what we create; discovery finds our resources by them (with the marker). */
export const NAMES = {
  peering: 'acr-xaccount-registry',
  cen: 'acr-xaccount',
  route: (purpose: RoutePurpose) => `acr-xaccount-${purpose}`,
  resolveCommand: 'acr-xaccount-resolve',
} as const;

/** What a route we add is for: the registry, auth-service and OSS addresses in A, the way back in B. */
export type RoutePurpose = 'registry' | 'auth' | 'oss' | 'return';

export interface RouteTableFacts {
  routeTableId: string;
  /** `System` or `Custom`. */
  type: string;
  entries: RouteEntry[];
}

/** A's side: the cluster's VPC, the vSwitches its nodes use, and the route tables those vSwitches use. */
export interface ClusterNetwork {
  vpc: VpcAttribute;
  /** Node-pool vSwitches and the control plane's, each with its route table. */
  vSwitches: VSwitch[];
  routeTables: RouteTableFacts[];
  podCidr: string;
  serviceCidr: string;
}

/** The auth-service and OSS domains, and their addresses inside B's VPC when known now. */
export interface ServiceAddresses {
  authDomain: string;
  ossDomain: string;
  authIp?: string;
  ossIp?: string;
  /** Where the addresses came from, for the plan (flags, an earlier lookup, our earlier routes). */
  source?: string;
  /** The ECS instance in B's VPC that will look them up (Cloud Assistant), when they are not known yet. */
  probeInstanceId?: string;
  /** Instances in B's VPC with Cloud Assistant online. */
  candidates: EcsInstance[];
}

/** B's side for peering and CEN: the VPC linked to the registry, its link, its route tables. */
export interface RegistrySide {
  vpc: VpcAttribute;
  /** Why this VPC (flag, existing link, the only VPC). */
  vpcReason: string;
  vSwitches: VSwitch[];
  /** The instance's link to this VPC, when there is one. */
  link?: LinkedVpc;
  /** The vSwitch a new link would use. */
  linkVSwitchId?: string;
  /** How many VPCs the instance is linked to (the cloud allows three). */
  linkedCount: number;
  /** The tables that carry replies from the registry and its services: the system table and the link vSwitch's. */
  routeTables: RouteTableFacts[];
  addresses: ServiceAddresses;
}

export interface PeeringFacts {
  /** A live connection between A's VPC and B's VPC (ours or the user's). */
  existing?: VpcPeerConnection;
}

export interface TrRouteTableFacts {
  routeTableId: string;
  /** Static and learned routes, every status. */
  entries: TrRouteEntry[];
  associations: RouteTableLink[];
  propagations: RouteTableLink[];
}

export interface TransitRouterFacts {
  router: TransitRouter;
  systemTable?: TrRouteTableFacts;
  /** Tables other than the system one that our attachments are associated with. */
  otherTables: TrRouteTableFacts[];
}

export interface CenFacts {
  /** The CEN to use (the user's --cen-id, or ours found by name and marker); absent: we create one. */
  cen?: Cen;
  routers: { A?: TransitRouterFacts; B?: TransitRouterFacts };
  /** B's grant of its VPC to the CEN. */
  granted: boolean;
  attachments: { A?: VpcAttachment; B?: VpcAttachment; peer?: PeerAttachment };
  /** Zones where each region's transit router can place vSwitches. */
  zones: { A: string[]; B: string[] };
  /** CENs other than ours each VPC is attached to (a VPC joins one CEN). */
  otherCens: { A: string[]; B: string[] };
}

export interface EgressPath {
  vSwitchId: string;
  cidrBlock: string;
  /** The public addresses traffic from this vSwitch leaves with (NAT SNAT EIPs, or the nodes' own EIPs). */
  ips: string[];
  /** How, for the plan; or why there is none. */
  via?: string;
  problem?: string;
}

export interface PublicFacts {
  endpoint?: CrEndpoint & { aclEntries: { entry: string; comment?: string }[] };
  egress: EgressPath[];
}

/** Who and where: what both `discover` and `discoverTeardown` report. */
export interface NetworkScope {
  mode: NetworkMode;
  accountA: string;
  accountB: string;
  regionA: string;
  regionB: string;
  clusterId: string;
  instanceId: string;
  enterprise: boolean;
  registryVpcDomain: string;
  registryInternetDomain: string;
}

/** `discover`'s facts (apply, plan, doctor): the cluster exists. */
export interface NetworkFacts extends NetworkScope {
  cluster: ClusterNetwork;
  registry?: RegistrySide;
  peering?: PeeringFacts;
  cen?: CenFacts;
  public?: PublicFacts;
  /** Problems found while discovering (e.g. no way to choose B's VPC); preflight reports them. */
  problems: string[];
}


// ---- destroy ----

/** `discoverTeardown`'s facts (destroy): no cluster network, as A's cluster may be gone. */
export interface NetworkDestroyFacts extends NetworkScope {
  /** What discovery found of ours (and around it), whatever the mode. */
  teardown: NetworkTeardownFacts;
}

/** A route table of A's VPC (the cluster's, or one proven ours when the cluster is gone) or of one of B's VPCs, with every entry. */
export interface TeardownTable {
  account: 'A' | 'B';
  vpcId: string;
  routeTableId: string;
  entries: RouteEntry[];
}

/** A transit router with every table (routes, associations, propagations) and every attachment on it. */
export interface TeardownRouter {
  router: TransitRouter;
  tables: (TrRouteTableFacts & { type: string })[];
  vpcAttachments: VpcAttachment[];
  /** Inter-region connections, as this router sees them. */
  peerAttachments: PeerAttachment[];
}

export interface TeardownCen {
  cen: Cen;
  /** How it was found (ours by name and marker, --cen-id, a VPC's CEN), for the plan. */
  found: string;
  /** Its transit routers in A's and B's regions. */
  routers: TeardownRouter[];
  /** VPCs attached to it, every region (DescribeCenAttachedChildInstances). */
  children: ChildInstance[];
  /** B's VPCs that B has granted to it. */
  grantedVpcs: string[];
}

export interface NetworkTeardownFacts {
  /**
   * Every route table of A's VPC (the cluster's; with the cluster gone, those our peering or our attachments join)
   * and of B's VPCs involved (linked to the registry, peered, attached).
   */
  tables: TeardownTable[];
  /** Connections between A's VPCs and a VPC of B (ours and not). */
  peerings: VpcPeerConnection[];
  cens: TeardownCen[];
  /** The registry's links to B's VPCs. */
  links: LinkedVpc[];
  /** The registry's Internet endpoint (Enterprise Edition). */
  internet?: { enabled: boolean; status?: string; aclEntries: { entry: string; comment?: string }[] };
}
