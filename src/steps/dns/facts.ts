// What the DNS step learns before planning: the registry's VPC domain and address, and per mode the PrivateZone
// zones of that exact name, or the node pools' user data and what each node last ran.
import type { ZoneInfo, ZoneRecord } from '../../cloud/pvtz.js';
import type { Config, DnsMode, NetworkMode } from '../../config/schema.js';
import type { TeardownBase } from '../step.js';

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
  /** A's cluster's VPC; undefined only in `destroy` with the cluster gone (plan always has it, see vpcOfA). */
  vpcA?: string;
  clusterId: string;
  instanceId: string;
  /** The name pods pull with (peering/CEN): the registry's VPC domain. */
  domain: string;
  /** B's VPC linked to the registry, and the registry's address there once the link is RUNNING. */
  vpcB?: string;
  registryIp?: string;
  /** The link exists (CREATING or RUNNING): only its address is pending. */
  linkPending: boolean;
  /** The cluster's profile (`Default`, `Serverless`, ...); undefined like vpcA. */
  profile?: string;
  zones: ZoneFacts[];
  pools: PoolFacts[];
  nodes: NodeFacts[];
  problems: string[];
}

/**
 * The facts every discovery starts from (no call made yet): the config's choices and the shared facts. With A's
 * cluster gone (destroy only), its VPC and profile are unknown and the cluster ID is the configured one.
 */
export function initialFacts(config: Config, base: TeardownBase, domain: string): DnsFacts {
  return {
    network: config.network.mode,
    mode: config.network.dns,
    accountA: base.identities.A.accountId,
    regionA: config.accountA.region,
    ...(base.cluster ? { vpcA: base.cluster.vpcId, profile: base.cluster.profile } : {}),
    clusterId: base.cluster?.clusterId ?? config.accountA.clusterId,
    instanceId: base.registry.instance.instanceId,
    domain,
    linkPending: false,
    zones: [],
    pools: [],
    nodes: [],
    problems: [],
  };
}

/** A's VPC, for planning: discover always has A's cluster (BaseFacts), only destroy may run without it. */
export function vpcOfA(f: DnsFacts): string {
  if (f.vpcA === undefined) throw new Error(`A's VPC is unknown: cluster ${f.clusterId} is gone`);
  return f.vpcA;
}
