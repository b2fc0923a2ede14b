// What the wizard may look up, as plain data: discover.ts answers from the cloud (reads only), tests from fixtures.
import type { ClusterSummary } from '../cloud/cs.js';
import type { Account } from '../plan/action.js';

/** A credentials profile the user already has. */
export interface ProfileInfo {
  name: string;
  /** e.g. `aliyun CLI, mode AK` or `~/.alibabacloud/credentials`. */
  origin: string;
}

/** How an account's credentials are found. */
export type AccountSpec =
  | { kind: 'profile'; profile: string }
  /** ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET, else the default chain. */
  | { kind: 'default' }
  /** B only: a role in B assumed with A's credentials. */
  | { kind: 'role'; roleArn: string }
  /** The simulator's fixed accounts. */
  | { kind: 'sandbox' };

export interface Identity {
  accountId: string;
  arn: string;
  /** Where the credentials came from, for messages. */
  source: string;
}

/** A cluster as the wizard lists it: the cloud's summary fields it shows, and whether RRSA is on. */
export type ClusterInfo = Pick<
  ClusterSummary,
  'clusterId' | 'name' | 'clusterType' | 'profile' | 'clusterSpec' | 'state' | 'regionId' | 'currentVersion' | 'vpcId' | 'containerCidr' | 'serviceCidr'
> & { rrsaEnabled: boolean };

/** A's side of the network: the cluster VPC's address space and whether it has NAT egress. */
export interface ClusterNetworkInfo {
  vpcCidrs: string[];
  natGateways: number;
}

export interface RegistryInstanceInfo {
  instanceId: string;
  name: string;
  /** InstanceSpecification: `Enterprise_Basic|Standard|Advanced`, else Personal Edition. */
  edition: string;
  status: string;
  regionId: string;
  createdAt?: Date;
}

export interface RegistryEndpointsInfo {
  vpcDomain?: string;
  internetDomain?: string;
  linkedVpcs: { vpcId: string; ip: string; status: string }[];
}

export interface VpcInfo {
  vpcId: string;
  name: string;
  cidrs: string[];
}

/** An ECS instance in B's VPC, and whether Cloud Assistant can run the address lookup on it. */
export interface ProbeInfo {
  instanceId: string;
  name: string;
  status: string;
  privateIp?: string;
  cloudAssistant: boolean;
}

export interface RepositoryInfo {
  repoId: string;
  namespace: string;
  name: string;
}

export interface TagInfo {
  tag: string;
  updatedAt?: Date;
  sizeBytes?: number;
}

export interface WizardSources {
  /** The simulator: accounts are fixed, so no profile is asked. */
  readonly sandbox: boolean;
  profiles(): ProfileInfo[];
  /** Whether ALIBABA_CLOUD_ACCESS_KEY_ID is set (offered as a credential source). */
  hasEnvironmentCredentials(): boolean;
  /** Confirms who the credentials belong to (sts:GetCallerIdentity); throws a UserError when they do not work. */
  identify(account: Account, spec: AccountSpec): Promise<Identity>;
  /** A's clusters in every region. */
  clusters(): Promise<ClusterInfo[]>;
  cluster(clusterId: string, region?: string): Promise<ClusterInfo | undefined>;
  clusterNetwork(cluster: ClusterInfo): Promise<ClusterNetworkInfo>;
  registries(region: string): Promise<RegistryInstanceInfo[]>;
  registry(instanceId: string, region: string): Promise<RegistryInstanceInfo | undefined>;
  registryEndpoints(instanceId: string, region: string): Promise<RegistryEndpointsInfo>;
  vpcsB(region: string): Promise<VpcInfo[]>;
  probes(vpcId: string, region: string): Promise<ProbeInfo[]>;
  repositories(instanceId: string, region: string): Promise<RepositoryInfo[]>;
  tags(instanceId: string, region: string, repoId: string): Promise<TagInfo[]>;
}
