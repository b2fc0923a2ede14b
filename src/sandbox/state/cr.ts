// Container Registry (cr 2018-12-01) state of one account: instances with their edition and creation date, the
// Internet endpoint (status, ACL), linked VPCs (asynchronous, with the registry's IP in each), namespaces,
// repositories and tags; and the addresses of the services a pull also needs (auth service, OSS bucket).
// Queries for the rest of the sandbox (registryFacts, name resolution) live in cr-facts.ts.
import { createHash } from 'node:crypto';

import type { World } from '../world.js';
import { ecsState } from './ecs.js';
import { addressIn, cidrContains, parseCidr, vpcState } from './vpc.js';

/** InstanceSpecification as GetInstance answers it: Enterprise_* for Enterprise Edition (the Terraform provider strips
 *  that prefix to get Basic/Standard/Advanced); `Basic` is what the sandbox answers for a Personal Edition instance (assumed). */
export type CrSpecification = 'Enterprise_Basic' | 'Enterprise_Standard' | 'Enterprise_Advanced' | 'Basic';
export type CrModuleName = 'Registry' | 'Chart';

/** Personal Edition instances created on or before 2024-09-08 (Beijing time) work with the passwordless helper (seed doc). */
export const PERSONAL_EDITION_CUTOFF_MS = Date.parse('2024-09-08T23:59:59.999+08:00');

/** "A maximum of three VPCs can be associated with a Container Registry instance" (CreateInstanceVpcEndpointLinkedVpc docs). */
export const MAX_LINKED_VPCS = 3;
/** Simulated durations of the asynchronous endpoint operations (assumed; the real ones take tens of seconds). */
export const LINK_CREATE_MS = 30_000;
export const LINK_DELETE_MS = 15_000;
export const INTERNET_ENABLE_MS = 20_000;

export interface AclEntryRecord {
  entry: string;
  comment: string;
}

export interface InternetEndpointRecord {
  enabled: boolean;
  /** When Enable last changed: the endpoint is CREATING for INTERNET_ENABLE_MS after being enabled. */
  changedAtMs: number;
  aclEntries: AclEntryRecord[];
}

export interface LinkedVpcRecord {
  vpcId: string;
  vswitchId: string;
  /** The registry's address in the vSwitch, assigned when the link is requested. */
  ip: string;
  createdAtMs: number;
  /** Set by DeleteInstanceVpcEndpointLinkedVpc: DELETING until LINK_DELETE_MS later, then gone. */
  deletingAtMs?: number;
  createDnsRecord: boolean;
}

export interface ModuleEndpointsRecord {
  internet: InternetEndpointRecord;
  linkedVpcs: LinkedVpcRecord[];
}

export interface CrImageTagRecord {
  tag: string;
  digest: string;
  imageId: string;
  sizeBytes: number;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface CrRepositoryRecord {
  repoId: string;
  namespace: string;
  name: string;
  repoType: 'PRIVATE' | 'PUBLIC';
  summary: string;
  createdAtMs: number;
  modifiedAtMs: number;
  tags: CrImageTagRecord[];
}

export interface CrNamespaceRecord {
  namespaceId: string;
  name: string;
  autoCreateRepo: boolean;
  defaultRepoType: 'PRIVATE' | 'PUBLIC';
  createdAtMs: number;
}

export interface StorageRouteRecord {
  InstanceDomain: string;
  StorageDomain: string;
  EndpointType: 'Internet' | 'VPC';
}

export interface StorageRoutingRuleRecord {
  ruleId: string;
  routes: StorageRouteRecord[];
  createdAtMs: number;
  modifiedAtMs: number;
}

/** A temporary login handed out by GetAuthorizationToken (only a hash of the token is kept). */
export interface RegistryTokenRecord {
  tokenSha256: string;
  issuedToArn: string;
  expiresAtMs: number;
}

export interface CrInstanceRecord {
  instanceId: string;
  name: string;
  regionId: string;
  specification: CrSpecification;
  status: 'RUNNING';
  createdAtMs: number;
  modifiedAtMs: number;
  resourceGroupId: string;
  tags: { TagKey: string; TagValue: string }[];
  modules: Record<CrModuleName, ModuleEndpointsRecord>;
  /** By namespace name. */
  namespaces: Record<string, CrNamespaceRecord>;
  /** By repository ID. */
  repositories: Record<string, CrRepositoryRecord>;
  /** The Internet endpoint's public address. */
  publicIp: string;
  /** The instance's OSS bucket and the addresses its domains resolve to (internal: from inside a VPC). */
  oss: { bucket: string; internalIp: string; publicIp: string };
  /** SHA-256 of the login password set with ResetLoginPassword (never the password itself). */
  passwordSha256?: string;
  /** The *StorageDomainRoutingRule APIs work only for allow-listed instances (metadata text). */
  storageRoutingAllowListed: boolean;
  storageRoutingRules: Record<string, StorageRoutingRuleRecord>;
  /** The last few temporary logins (for the simulated credential helper and kubelet). */
  tokens: RegistryTokenRecord[];
}

export interface CrSlice {
  instances: Record<string, CrInstanceRecord>;
}

/** The auth service is per region, not per instance: every instance in a region shares its domains and addresses. */
export interface CrRegionRecord {
  authVpcIp: string;
  authPublicIp: string;
}

export interface CrShared {
  regions: Record<string, CrRegionRecord>;
}

export const crState = (world: World, accountId: string): CrSlice => world.slice<CrSlice>(accountId, 'cr', () => ({ instances: {} }));
export const crShared = (world: World): CrShared => world.shared<CrShared>('cr', () => ({ regions: {} }));

export const isEnterprise = (instance: Pick<CrInstanceRecord, 'specification'>): boolean => instance.specification.startsWith('Enterprise_');

/** A stable pseudo-random byte from a seed string, for deterministic addresses. */
function byteOf(seed: string, index: number): number {
  return createHash('sha256').update(seed).digest()[index % 32]!;
}

/** An address in 100.64.0.0/10 (where the seed FAQ says auth and OSS resolve from a VPC), stable per seed. */
export function serviceAddress(seed: string, secondOctet: number): string {
  return `100.${secondOctet}.${byteOf(seed, 0)}.${(byteOf(seed, 1) % 250) + 2}`;
}

function publicAddress(seed: string, firstOctets: string): string {
  return `${firstOctets}.${byteOf(seed, 2)}.${(byteOf(seed, 3) % 250) + 2}`;
}

export function regionServices(world: World, regionId: string): CrRegionRecord {
  const regions = crShared(world).regions;
  regions[regionId] ??= { authVpcIp: serviceAddress(`auth-vpc:${regionId}`, 103), authPublicIp: publicAddress(`auth:${regionId}`, '47.97') };
  return regions[regionId];
}

// ---- domains ----

/** Registry domain of an endpoint. Enterprise: `<name>-registry[-vpc].<region>.cr.aliyuncs.com` (ACR docs, Terraform
 *  examples); Chart: `<name>-chart[-vpc]...` (assumed). Personal Edition: the shared regional registry domains for
 *  instances from before the cutoff, per-instance `*.personal.cr.aliyuncs.com` names after it (assumed). */
export function registryDomain(instance: CrInstanceRecord, kind: 'internet' | 'vpc', module: CrModuleName = 'Registry'): string {
  const vpc = kind === 'vpc' ? '-vpc' : '';
  if (!isEnterprise(instance)) {
    return instance.createdAtMs <= PERSONAL_EDITION_CUTOFF_MS
      ? `registry${vpc}.${instance.regionId}.aliyuncs.com`
      : `${instance.instanceId}${vpc}.${instance.regionId}.personal.cr.aliyuncs.com`;
  }
  return `${instance.name}-${module === 'Chart' ? 'chart' : 'registry'}${vpc}.${instance.regionId}.cr.aliyuncs.com`;
}

/** The auth service's domains (VPC: `dockerauth-vpc.<region>.aliyuncs.com`, as the seed procedure records it). */
export const authDomain = (regionId: string, kind: 'internet' | 'vpc'): string => `dockerauth${kind === 'vpc' ? '-vpc' : ''}.${regionId}.aliyuncs.com`;

/** The instance's OSS bucket domain: `<instanceId>-registry.oss-<region>[-internal].aliyuncs.com` (Terraform example). */
export const ossDomain = (instance: CrInstanceRecord, kind: 'internet' | 'vpc'): string =>
  `${instance.oss.bucket}.oss-${instance.regionId}${kind === 'vpc' ? '-internal' : ''}.aliyuncs.com`;

// ---- endpoint and link states over simulated time ----

export type LinkStatus = 'CREATING' | 'RUNNING' | 'DELETING';

/** Drops links whose deletion has finished; called before every read or write of an instance's links. */
export function sweepLinks(world: World, instance: CrInstanceRecord): void {
  for (const module of Object.values(instance.modules)) {
    module.linkedVpcs = module.linkedVpcs.filter((l) => l.deletingAtMs === undefined || !world.isDone(l.deletingAtMs, LINK_DELETE_MS));
  }
}

export function linkStatus(world: World, link: LinkedVpcRecord): LinkStatus {
  if (link.deletingAtMs !== undefined) return 'DELETING';
  return world.isDone(link.createdAtMs, LINK_CREATE_MS) ? 'RUNNING' : 'CREATING';
}

/** CREATING right after enabling, then RUNNING; undefined while disabled (GetInstanceEndpoint then has no Status). */
export function internetStatus(world: World, endpoint: InternetEndpointRecord): 'CREATING' | 'RUNNING' | undefined {
  if (!endpoint.enabled) return undefined;
  return world.isDone(endpoint.changedAtMs, INTERNET_ENABLE_MS) ? 'RUNNING' : 'CREATING';
}

/** The registry's address for a new link: the highest free address of the vSwitch (Alibaba keeps the last three). */
export function allocateLinkIp(vswitchCidr: string, taken: ReadonlySet<string>): string | undefined {
  const { bits } = parseCidr(vswitchCidr);
  const size = 2 ** (32 - bits);
  for (let index = size - 4; index >= 1; index--) {
    const ip = addressIn(vswitchCidr, index);
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}

/** Addresses already used in a vSwitch: other registry links and the account's ECS instances. */
export function usedAddresses(world: World, accountId: string, vswitchId: string): Set<string> {
  const used = new Set<string>();
  const vswitch = vpcState(world, accountId).vswitches[vswitchId];
  for (const id of world.accountIds()) {
    for (const instance of Object.values(crState(world, id).instances)) {
      for (const module of Object.values(instance.modules)) for (const l of module.linkedVpcs) if (l.vswitchId === vswitchId) used.add(l.ip);
    }
  }
  for (const i of Object.values(ecsState(world, accountId).instances)) {
    if (i.vSwitchId === vswitchId || (vswitch && cidrContains(vswitch.cidrBlock, i.privateIp))) used.add(i.privateIp);
  }
  return used;
}

/** Finds an instance in any account. */
export function findRegistry(world: World, instanceId: string): { accountId: string; instance: CrInstanceRecord } | undefined {
  for (const accountId of world.accountIds()) {
    const instance = crState(world, accountId).instances[instanceId];
    if (instance) return { accountId, instance };
  }
  return undefined;
}

/** Every instance in the world with its owner. */
export function allRegistries(world: World): { accountId: string; instance: CrInstanceRecord }[] {
  return world.accountIds().flatMap((accountId) => Object.values(crState(world, accountId).instances).map((instance) => ({ accountId, instance })));
}

// ---- seeding ----

export interface SeedTag {
  tag: string;
  digest?: string;
  sizeBytes?: number;
}

export interface SeedRegistryInput {
  regionId: string;
  /** 3-30 lower-case letters, digits and hyphens; part of the registry domains, so unique in the world. */
  name: string;
  specification?: CrSpecification;
  /** Creation time (ISO or epoch ms); decides whether a Personal Edition instance is supported. Default: now. */
  createdAt?: string | number;
  /** A VPC of the same account to link at once (already RUNNING), through `vswitchId` or its first vSwitch. */
  vpcId?: string;
  vswitchId?: string;
  repositories?: { namespace: string; name: string; tags?: (string | SeedTag)[]; repoType?: 'PRIVATE' | 'PUBLIC' }[];
  /** Override the auth service / OSS addresses seen from a VPC (scenarios with an address inside A's network). */
  authIp?: string;
  ossIp?: string;
  internetEnabled?: boolean;
  aclEntries?: string[];
  storageRoutingAllowListed?: boolean;
}

export interface SeededRegistry {
  instanceId: string;
  domains: { internet: string; vpc: string };
  authDomain: string;
  authIp: string;
  ossDomain: string;
  ossIp: string;
}

const emptyModule = (): ModuleEndpointsRecord => ({ internet: { enabled: false, changedAtMs: 0, aclEntries: [] }, linkedVpcs: [] });

const digestOf = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** Adds a namespace (if new) and a repository with tags to an instance; returns the repository. */
export function seedRepository(world: World, instance: CrInstanceRecord, input: NonNullable<SeedRegistryInput['repositories']>[number]): CrRepositoryRecord {
  const now = world.data.nowMs;
  instance.namespaces[input.namespace] ??= { namespaceId: world.nextId('crn-', 16), name: input.namespace, autoCreateRepo: true, defaultRepoType: 'PRIVATE', createdAtMs: now };
  const existing = Object.values(instance.repositories).find((r) => r.namespace === input.namespace && r.name === input.name);
  const repo: CrRepositoryRecord = existing ?? {
    repoId: world.nextId('crr-', 16),
    namespace: input.namespace,
    name: input.name,
    repoType: input.repoType ?? 'PRIVATE',
    summary: '',
    createdAtMs: now,
    modifiedAtMs: now,
    tags: [],
  };
  (input.tags ?? []).forEach((t, i) => {
    const tag = typeof t === 'string' ? { tag: t } : t;
    if (repo.tags.some((x) => x.tag === tag.tag)) return;
    const digest = tag.digest ?? digestOf(`${instance.instanceId}/${input.namespace}/${input.name}:${tag.tag}`);
    repo.tags.push({ tag: tag.tag, digest, imageId: digestOf(digest), sizeBytes: tag.sizeBytes ?? 27_107_966 + i * 1024, createdAtMs: now + i, updatedAtMs: now + i });
  });
  instance.repositories[repo.repoId] = repo;
  return repo;
}

/** Seeds an instance (RUNNING) for a scenario or a test; throws on a name already used or a VPC it cannot link. */
export function seedRegistry(world: World, accountId: string, input: SeedRegistryInput): SeededRegistry {
  if (allRegistries(world).some((r) => r.instance.name === input.name && r.instance.regionId === input.regionId)) {
    throw new Error(`seedRegistry: an instance named ${input.name} already exists in ${input.regionId}`);
  }
  const specification = input.specification ?? 'Enterprise_Standard';
  const createdAtMs = input.createdAt === undefined ? world.data.nowMs : typeof input.createdAt === 'number' ? input.createdAt : Date.parse(input.createdAt);
  const instanceId = world.nextId(specification.startsWith('Enterprise_') ? 'cri-' : 'crpi-', 16);
  const services = regionServices(world, input.regionId);
  if (input.authIp) services.authVpcIp = input.authIp;
  const instance: CrInstanceRecord = {
    instanceId,
    name: input.name,
    regionId: input.regionId,
    specification,
    status: 'RUNNING',
    createdAtMs,
    modifiedAtMs: createdAtMs,
    resourceGroupId: `rg-acfm${digestOf(accountId).slice(0, 11)}`,
    tags: [],
    modules: { Registry: emptyModule(), Chart: emptyModule() },
    namespaces: {},
    repositories: {},
    publicIp: publicAddress(`registry:${instanceId}`, '47.98'),
    oss: { bucket: `${instanceId}-registry`, internalIp: input.ossIp ?? serviceAddress(`oss:${instanceId}`, 118), publicIp: publicAddress(`oss:${instanceId}`, '118.178') },
    storageRoutingAllowListed: input.storageRoutingAllowListed ?? false,
    storageRoutingRules: {},
    tokens: [],
  };
  crState(world, accountId).instances[instanceId] = instance;
  const internet = instance.modules.Registry.internet;
  if (input.internetEnabled) Object.assign(internet, { enabled: true, changedAtMs: 0, aclEntries: (input.aclEntries ?? ['127.0.0.1/32']).map((entry) => ({ entry, comment: '' })) });
  if (input.vpcId) {
    const vpcs = vpcState(world, accountId);
    const vswitch = input.vswitchId ? vpcs.vswitches[input.vswitchId] : Object.values(vpcs.vswitches).find((v) => v.vpcId === input.vpcId);
    if (!vpcs.vpcs[input.vpcId] || !vswitch || vswitch.vpcId !== input.vpcId) throw new Error(`seedRegistry: no VPC ${input.vpcId} with that vSwitch in ${accountId}`);
    const ip = allocateLinkIp(vswitch.cidrBlock, usedAddresses(world, accountId, vswitch.vSwitchId));
    if (!ip) throw new Error(`seedRegistry: vSwitch ${vswitch.vSwitchId} is full`);
    instance.modules.Registry.linkedVpcs.push({ vpcId: input.vpcId, vswitchId: vswitch.vSwitchId, ip, createdAtMs: 0, createDnsRecord: true });
  }
  for (const repo of input.repositories ?? []) seedRepository(world, instance, repo);
  return {
    instanceId,
    domains: { internet: registryDomain(instance, 'internet'), vpc: registryDomain(instance, 'vpc') },
    authDomain: authDomain(input.regionId, 'vpc'),
    authIp: services.authVpcIp,
    ossDomain: ossDomain(instance, 'vpc'),
    ossIp: instance.oss.internalIp,
  };
}
