// What the rest of the sandbox asks about registries: the facts a pull decision needs, which instance a domain
// belongs to, what the registry's names resolve to from inside a VPC or from the Internet, whether a token is valid.
import { createHash } from 'node:crypto';

import type { World } from '../world.js';
import {
  allRegistries,
  authDomain,
  crShared,
  findRegistry,
  internetStatus,
  isEnterprise,
  linkStatus,
  ossDomain,
  PERSONAL_EDITION_CUTOFF_MS,
  registryDomain,
  regionServices,
  serviceAddress,
  sweepLinks,
  type CrInstanceRecord,
  type CrModuleName,
  type CrSpecification,
  type LinkStatus,
} from './cr.js';

/** The user name GetAuthorizationToken hands out with every temporary password. */
export const REGISTRY_TEMP_USERNAME = 'cr_temp_user';

export interface RegistryFacts {
  instanceId: string;
  /** The account that owns the instance (B). */
  accountId: string;
  regionId: string;
  name: string;
  specification: CrSpecification;
  enterprise: boolean;
  createdAt: string;
  /** Enterprise Edition, or Personal Edition created on or before 2024-09-08: the passwordless helper supports it. */
  helperSupported: boolean;
  domains: { internet: string; vpc: string };
  internet: {
    enabled: boolean;
    status?: 'CREATING' | 'RUNNING';
    /** ACL entries (CIDRs or addresses). An enabled endpoint with an empty list is open to every address (ACR docs). */
    aclEntries: string[];
    publicIp: string;
  };
  linkedVpcs: { vpcId: string; vswitchId: string; ip: string; status: LinkStatus }[];
  auth: { vpcDomain: string; vpcIp: string; publicDomain: string; publicIp: string };
  oss: { bucket: string; vpcDomain: string; vpcIp: string; publicDomain: string; publicIp: string };
  repositories: { namespace: string; name: string; repoType: string; tags: string[] }[];
}

const helperSupported = (instance: CrInstanceRecord): boolean => isEnterprise(instance) || instance.createdAtMs <= PERSONAL_EDITION_CUTOFF_MS;

/** Everything about one instance that decides whether a pull can work; undefined when no such instance exists. */
export function registryFacts(world: World, instanceId: string): RegistryFacts | undefined {
  const found = findRegistry(world, instanceId);
  if (!found) return undefined;
  const { accountId, instance } = found;
  sweepLinks(world, instance);
  const services = regionServices(world, instance.regionId);
  const internet = instance.modules.Registry.internet;
  return {
    instanceId,
    accountId,
    regionId: instance.regionId,
    name: instance.name,
    specification: instance.specification,
    enterprise: isEnterprise(instance),
    createdAt: new Date(instance.createdAtMs).toISOString(),
    helperSupported: helperSupported(instance),
    domains: { internet: registryDomain(instance, 'internet'), vpc: registryDomain(instance, 'vpc') },
    internet: {
      enabled: isEnterprise(instance) ? internet.enabled : true,
      status: isEnterprise(instance) ? internetStatus(world, internet) : 'RUNNING',
      aclEntries: internet.aclEntries.map((a) => a.entry),
      publicIp: instance.publicIp,
    },
    linkedVpcs: instance.modules.Registry.linkedVpcs.map((l) => ({ vpcId: l.vpcId, vswitchId: l.vswitchId, ip: l.ip, status: linkStatus(world, l) })),
    auth: { vpcDomain: authDomain(instance.regionId, 'vpc'), vpcIp: services.authVpcIp, publicDomain: authDomain(instance.regionId, 'internet'), publicIp: services.authPublicIp },
    oss: {
      bucket: instance.oss.bucket,
      vpcDomain: ossDomain(instance, 'vpc'),
      vpcIp: instance.oss.internalIp,
      publicDomain: ossDomain(instance, 'internet'),
      publicIp: instance.oss.publicIp,
    },
    repositories: Object.values(instance.repositories).map((r) => ({ namespace: r.namespace, name: r.name, repoType: r.repoType, tags: r.tags.map((t) => t.tag) })),
  };
}

/** Whether `namespace/repository:tag` exists in the instance. */
export function hasImage(world: World, instanceId: string, namespace: string, repository: string, tag: string): boolean {
  const instance = findRegistry(world, instanceId)?.instance;
  return Object.values(instance?.repositories ?? {}).some((r) => r.namespace === namespace && r.name === repository && r.tags.some((t) => t.tag === tag));
}

/** The instance whose registry domain (Internet or VPC) this is, e.g. the host part of a pod's image reference. */
export function registryByDomain(world: World, domain: string): { accountId: string; instanceId: string; kind: 'internet' | 'vpc'; module: CrModuleName } | undefined {
  const host = normalise(domain);
  for (const { accountId, instance } of allRegistries(world)) {
    for (const module of ['Registry', 'Chart'] as const) {
      for (const kind of ['internet', 'vpc'] as const) {
        if (registryDomain(instance, kind, module) === host) return { accountId, instanceId: instance.instanceId, kind, module };
      }
    }
  }
  return undefined;
}

export interface NameAnswer {
  addresses: string[];
  /** PrivateZone answers (the linked VPC's registry name) come back authoritative; public and service names do not. */
  authoritative: boolean;
}

const normalise = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

/**
 * What a registry-related name resolves to through the VPC's DNS (100.100.2.136), seen from `from`:
 * - the VPC domain, in a VPC linked to the instance, RUNNING, with cr's PrivateZone record requested: the link IP;
 * - the auth service and OSS internal domains, from any VPC: their 100.x addresses (seed FAQ "100.0.0.0/8");
 * - the Internet domain (when the endpoint is enabled), the public auth and OSS domains: their public addresses.
 * Undefined for any other name (the caller goes on to PrivateZone zones and public DNS).
 */
export function resolveRegistryName(world: World, from: { accountId: string; vpcId: string }, name: string): NameAnswer | undefined {
  const host = normalise(name);
  for (const { accountId, instance } of allRegistries(world)) {
    sweepLinks(world, instance);
    for (const module of ['Registry', 'Chart'] as const) {
      if (registryDomain(instance, 'vpc', module) === host) {
        if (!isEnterprise(instance)) return { addresses: [serviceAddress(`personal-vpc:${instance.regionId}`, 104)], authoritative: false };
        // Only when the link asked cr to write the PrivateZone record (EnableCreateDNSRecordInPvzt; the console does).
        const link = instance.modules[module].linkedVpcs.find(
          (l) => accountId === from.accountId && l.vpcId === from.vpcId && l.createDnsRecord && linkStatus(world, l) === 'RUNNING',
        );
        if (link) return { addresses: [link.ip], authoritative: true };
      }
      if (registryDomain(instance, 'internet', module) === host) {
        const enabled = !isEnterprise(instance) || instance.modules[module].internet.enabled;
        if (enabled) return { addresses: [instance.publicIp], authoritative: false };
      }
    }
    if (ossDomain(instance, 'vpc') === host) return { addresses: [instance.oss.internalIp], authoritative: false };
    if (ossDomain(instance, 'internet') === host) return { addresses: [instance.oss.publicIp], authoritative: false };
  }
  for (const [regionId, services] of Object.entries(crShared(world).regions)) {
    if (authDomain(regionId, 'vpc') === host) return { addresses: [services.authVpcIp], authoritative: false };
    if (authDomain(regionId, 'internet') === host) return { addresses: [services.authPublicIp], authoritative: false };
  }
  return undefined;
}

/** Every registry-related name the public Internet resolves, with its address (for the network path's public DNS). */
export function publicRegistryNames(world: World): { domain: string; ip: string }[] {
  const names: { domain: string; ip: string }[] = [];
  for (const { instance } of allRegistries(world)) {
    if (!isEnterprise(instance) || instance.modules.Registry.internet.enabled) names.push({ domain: registryDomain(instance, 'internet'), ip: instance.publicIp });
    names.push({ domain: ossDomain(instance, 'internet'), ip: instance.oss.publicIp });
  }
  for (const [regionId, services] of Object.entries(crShared(world).regions)) names.push({ domain: authDomain(regionId, 'internet'), ip: services.authPublicIp });
  return names;
}

/** Checks a registry login from GetAuthorizationToken: `ok`, `expired`, or `unknown` (wrong user, token or instance). */
export function checkRegistryToken(world: World, instanceId: string, username: string, token: string): { result: 'ok' | 'expired' | 'unknown'; issuedToArn?: string } {
  const instance = findRegistry(world, instanceId)?.instance;
  if (!instance || username !== REGISTRY_TEMP_USERNAME) return { result: 'unknown' };
  const sha = createHash('sha256').update(token).digest('hex');
  const record = instance.tokens.find((t) => t.tokenSha256 === sha);
  if (!record) return { result: 'unknown' };
  return { result: world.data.nowMs < record.expiresAtMs ? 'ok' : 'expired', issuedToArn: record.issuedToArn };
}
