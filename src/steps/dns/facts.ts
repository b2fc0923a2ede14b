// What the DNS step learns before planning: the registry's VPC domain and address, and per mode the PrivateZone
// zones of that exact name, or the node pools' user data and what each node last ran.
import type { ZoneInfo, ZoneRecord } from '../../cloud/pvtz.js';
import type { Config, DnsMode, NetworkMode } from '../../config/schema.js';
import type { BaseFacts } from '../step.js';

export interface ZoneFacts {
  info: ZoneInfo;
  records: ZoneRecord[];
}

export interface NodeFacts {
  instanceId: string;
  nodepoolId: string;
  online: boolean;
  /** The block the last successful hosts run wrote on this node (undefined: none that Cloud Assistant remembers). */
  lastBlock?: string[];
}

export interface PoolFacts {
  nodepoolId: string;
  name: string;
  userData: string;
}

export interface DnsFacts {
  network: NetworkMode;
  mode: DnsMode;
  accountA: string;
  regionA: string;
  vpcA: string;
  clusterId: string;
  instanceId: string;
  /** The name pods pull with (peering/CEN): the registry's VPC domain. */
  domain: string;
  /** B's VPC linked to the registry, and the registry's address there once the link is RUNNING. */
  vpcB?: string;
  registryIp?: string;
  /** The link exists (CREATING or RUNNING): only its address is pending. */
  linkPending: boolean;
  profile: string;
  zones: ZoneFacts[];
  pools: PoolFacts[];
  nodes: NodeFacts[];
  problems: string[];
}

/** The facts every discovery starts from (no call made yet): the config's choices and the shared facts. */
export function initialFacts(config: Config, base: BaseFacts, domain: string): DnsFacts {
  return {
    network: config.network.mode,
    mode: config.network.dns,
    accountA: base.identities.A.accountId,
    regionA: config.accountA.region,
    vpcA: base.cluster.vpcId,
    clusterId: base.cluster.clusterId,
    instanceId: base.registry.instance.instanceId,
    domain,
    linkPending: false,
    profile: base.cluster.profile,
    zones: [],
    pools: [],
    nodes: [],
    problems: [],
  };
}
