// The wizard's lookups: thin, read-only calls to the cloud layer, each made once (answers are remembered).
import { UserError } from '../errors.js';
import type { Account } from '../plan/action.js';
import { assumedRoleCredential, listCliProfiles, listSharedProfiles, resolveCredential, type CredentialHandle } from '../cloud/credentials.js';
import { AccountClient, type Cloud } from '../cloud/session.js';
import type {
  AccountSpec,
  ClusterInfo,
  ClusterNetworkInfo,
  Identity,
  ProbeInfo,
  ProfileInfo,
  RegistryEndpointsInfo,
  RegistryInstanceInfo,
  RepositoryInfo,
  TagInfo,
  VpcInfo,
  WizardSources,
} from './sources.js';

type ClusterSummary = Awaited<ReturnType<typeof import('../cloud/cs.js').describeClustersV1>>[number];

const toCluster = (c: ClusterSummary): ClusterInfo => ({
  clusterId: c.clusterId, name: c.name, clusterType: c.clusterType, profile: c.profile, clusterSpec: c.clusterSpec, state: c.state,
  regionId: c.regionId, currentVersion: c.currentVersion, vpcId: c.vpcId, containerCidr: c.containerCidr, serviceCidr: c.serviceCidr,
  rrsaEnabled: c.rrsa.enabled,
});

export interface CloudSourcesOptions {
  cloud: Cloud;
  sandbox: boolean;
  /** Region for calls that name none yet (identities, the cluster list). */
  defaultRegion: string;
}

/** WizardSources over the cloud layer. Every method only reads; the answers are cached per argument. */
export class CloudSources implements WizardSources {
  readonly sandbox: boolean;
  private readonly cloud: Cloud;
  private readonly defaultRegion: string;
  private readonly credentials = new Map<Account, CredentialHandle>();
  private readonly clients = new Map<string, AccountClient>();
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(options: CloudSourcesOptions) {
    this.cloud = options.cloud;
    this.sandbox = options.sandbox;
    this.defaultRegion = options.defaultRegion;
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let pending = this.memo.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = load();
      this.memo.set(key, pending);
      // A failed lookup is asked again next time (the user may fix the cause and retry).
      pending.catch(() => this.memo.delete(key));
    }
    return pending;
  }

  /** One client per account and region (the VPC and ECS calls work in the client's region). */
  private client(account: Account, region = this.defaultRegion): AccountClient {
    const key = `${account}@${region}`;
    let client = this.clients.get(key);
    if (!client) {
      const credential = this.credentials.get(account) ?? (this.sandbox ? this.cloud.account(account).credential : undefined);
      if (!credential) throw new Error(`account ${account} has no credentials chosen yet`);
      client = new AccountClient(account, region, credential, this.cloud);
      this.clients.set(key, client);
    }
    return client;
  }

  profiles(): ProfileInfo[] {
    const cli = listCliProfiles().map((p) => ({ name: p.name, origin: `aliyun CLI, mode ${p.mode ?? 'AK'}` }));
    const shared = listSharedProfiles()
      .filter((name) => !cli.some((p) => p.name === name))
      .map((name) => ({ name, origin: '~/.alibabacloud/credentials' }));
    return [...cli, ...shared];
  }

  hasEnvironmentCredentials(): boolean {
    return Boolean(process.env.ALIBABA_CLOUD_ACCESS_KEY_ID);
  }

  private credentialFor(account: Account, spec: AccountSpec): CredentialHandle {
    switch (spec.kind) {
      case 'sandbox':
        return this.cloud.account(account).credential;
      case 'profile':
        return resolveCredential({ profile: spec.profile }, account);
      case 'default':
        return resolveCredential({}, account);
      case 'role': {
        const a = this.client('A');
        return assumedRoleCredential(spec.roleArn, async () => (await import('../cloud/sts.js')).assumeRole(a, { roleArn: spec.roleArn, roleSessionName: 'acr-xaccount' }));
      }
    }
  }

  async identify(account: Account, spec: AccountSpec): Promise<Identity> {
    const credential = this.credentialFor(account, spec);
    const { getCallerIdentity } = await import('../cloud/sts.js');
    try {
      const who = await getCallerIdentity(new AccountClient(account, this.defaultRegion, credential, this.cloud));
      // Chosen: later lookups in this account use these credentials.
      this.credentials.set(account, credential);
      for (const key of [...this.clients.keys()]) if (key.startsWith(`${account}@`)) this.clients.delete(key);
      return { accountId: who.accountId, arn: who.arn, source: credential.source };
    } catch (error) {
      if (error instanceof UserError) throw error;
      const e = error as { code?: string; message?: string };
      throw new UserError(`${credential.source} did not work: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}`);
    }
  }

  clusters(): Promise<ClusterInfo[]> {
    return this.once('clusters', async () => {
      const { describeClustersV1 } = await import('../cloud/cs.js');
      return (await describeClustersV1(this.client('A'))).map(toCluster);
    });
  }

  cluster(clusterId: string, region?: string): Promise<ClusterInfo | undefined> {
    return this.once(`cluster:${clusterId}`, async () => {
      const { describeClusterDetail } = await import('../cloud/cs.js');
      const found = await describeClusterDetail(this.client('A', region), clusterId);
      return found && toCluster(found);
    });
  }

  clusterNetwork(cluster: ClusterInfo): Promise<ClusterNetworkInfo> {
    return this.once(`network:${cluster.vpcId}`, async () => {
      const vpc = await import('../cloud/vpc.js');
      const a = this.client('A', cluster.regionId);
      const [attribute, nat] = await Promise.all([vpc.describeVpcAttribute(a, cluster.vpcId), vpc.describeNatGateways(a, { vpcId: cluster.vpcId })]);
      const vpcCidrs = attribute ? [attribute.cidrBlock, ...attribute.secondaryCidrBlocks].filter(Boolean) : [];
      return { vpcCidrs, natGateways: nat.filter((g) => g.networkType !== 'intranet').length };
    });
  }

  registries(region: string): Promise<RegistryInstanceInfo[]> {
    return this.once(`registries:${region}`, async () => {
      const { listInstance } = await import('../cloud/cr.js');
      const found = await listInstance(this.client('B', region));
      return found.map((i) => ({ instanceId: i.instanceId, name: i.name, edition: i.edition, status: i.status, regionId: i.regionId ?? region, createdAt: i.createdAt }));
    });
  }

  registry(instanceId: string, region: string): Promise<RegistryInstanceInfo | undefined> {
    return this.once(`registry:${region}:${instanceId}`, async () => {
      const { getInstance } = await import('../cloud/cr.js');
      const i = await getInstance(this.client('B', region), instanceId);
      return i && { instanceId: i.instanceId, name: i.name, edition: i.edition, status: i.status, regionId: region, createdAt: i.createdAt };
    });
  }

  registryEndpoints(instanceId: string, region: string): Promise<RegistryEndpointsInfo> {
    return this.once(`endpoints:${region}:${instanceId}`, async () => {
      const cr = await import('../cloud/cr.js');
      const b = this.client('B', region);
      const [vpcEndpoint, endpoints] = await Promise.all([cr.getInstanceVpcEndpoint(b, instanceId), cr.listInstanceEndpoint(b, instanceId)]);
      return {
        vpcDomain: vpcEndpoint?.domains[0] ?? endpoints.find((e) => e.type === 'VPC')?.domains[0]?.domain,
        internetDomain: endpoints.find((e) => e.type === 'Internet')?.domains[0]?.domain,
        linkedVpcs: (vpcEndpoint?.linkedVpcs ?? []).filter((l) => l.status !== 'DELETING').map((l) => ({ vpcId: l.vpcId, ip: l.ip, status: l.status })),
      };
    });
  }

  vpcsB(region: string): Promise<VpcInfo[]> {
    return this.once(`vpcs:${region}`, async () => {
      const { describeVpcs } = await import('../cloud/vpc.js');
      const vpcs = await describeVpcs(this.client('B', region));
      return vpcs.map((v) => ({ vpcId: v.vpcId, name: v.vpcName, cidrs: [v.cidrBlock, ...v.secondaryCidrBlocks].filter(Boolean) }));
    });
  }

  probes(vpcId: string, region: string): Promise<ProbeInfo[]> {
    return this.once(`probes:${region}:${vpcId}`, async () => {
      const ecs = await import('../cloud/ecs.js');
      const b = this.client('B', region);
      const instances = await ecs.describeInstances(b, { vpcId });
      if (instances.length === 0) return [];
      const online = new Set((await ecs.describeCloudAssistantStatus(b, instances.map((i) => i.instanceId))).filter((s) => s.online).map((s) => s.instanceId));
      return instances.map((i) => ({ instanceId: i.instanceId, name: i.instanceName, status: i.status, privateIp: i.privateIps[0], cloudAssistant: online.has(i.instanceId) }));
    });
  }

  repositories(instanceId: string, region: string): Promise<RepositoryInfo[]> {
    return this.once(`repos:${region}:${instanceId}`, async () => {
      const { listRepository } = await import('../cloud/cr.js');
      const repos = await listRepository(this.client('B', region), instanceId);
      return repos.map((r) => ({ repoId: r.repoId, namespace: r.namespace, name: r.name }));
    });
  }

  tags(instanceId: string, region: string, repoId: string): Promise<TagInfo[]> {
    return this.once(`tags:${region}:${instanceId}:${repoId}`, async () => {
      const { listRepoTag } = await import('../cloud/cr.js');
      const tags = await listRepoTag(this.client('B', region), instanceId, repoId);
      return tags.map((t) => ({ tag: t.tag, updatedAt: t.updatedAt, sizeBytes: t.sizeBytes }));
    });
  }
}
