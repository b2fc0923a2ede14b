// The recommendation for each choice, computed from what was discovered, with the reason in one sentence;
// options that cannot work carry their reason instead of being offered.
import type { AddonEdition, AuthMode, DnsMode, NetworkMode } from '../config/choices.js';
import { ADDON_EDITIONS, AUTH_MODES } from '../config/choices.js';
import { cidrsOverlap } from '../steps/network/cidr.js';
import type { ClusterInfo, VpcInfo } from './sources.js';
import { authProblem, editionProblem, isEnterprise } from './support.js';

export interface OptionVerdict<T> {
  value: T;
  /** Why it is not offered. */
  disabled?: string;
  /** A caveat shown with it. */
  note?: string;
}

export interface Recommendation<T> {
  options: OptionVerdict<T>[];
  recommended?: T;
  /** One sentence: why the recommended option. */
  why: string;
}

export interface AddressBlock {
  label: string;
  cidr: string;
}

/** A's address space as peering and CEN see it: the VPC's blocks, and the cluster's pod and service CIDRs. */
export function addressSpaceA(cluster: ClusterInfo, vpcCidrs: readonly string[]): AddressBlock[] {
  return [
    ...vpcCidrs.map((cidr) => ({ label: `A's VPC ${cluster.vpcId}`, cidr })),
    ...(cluster.containerCidr ? [{ label: 'the pod CIDR', cidr: cluster.containerCidr }] : []),
    ...(cluster.serviceCidr ? [{ label: 'the service CIDR', cidr: cluster.serviceCidr }] : []),
  ];
}

/** The first clash between A's address space and a VPC of B, as a phrase; undefined when none. */
export function overlap(space: readonly AddressBlock[], vpc: VpcInfo): string | undefined {
  for (const block of space) {
    const clash = vpc.cidrs.find((cidr) => cidrsOverlap(cidr, block.cidr));
    if (clash) return `${block.label} ${block.cidr} overlaps B's ${vpc.vpcId} ${clash}`;
  }
  return undefined;
}

export interface NetworkSituation {
  regionA: string;
  regionB: string;
  space: AddressBlock[];
  natGateways: number;
  registry: { edition: string };
  vpcsB: VpcInfo[];
}

/** Same region and no overlap -> peering; across regions -> CEN; overlap (or Personal Edition) -> public with an ACL. */
export function recommendNetwork(s: NetworkSituation): Recommendation<NetworkMode> {
  const publicNote = s.natGateways === 0 ? "A's VPC has no NAT gateway: nodes need public egress for this" : undefined;
  const publicOption: OptionVerdict<NetworkMode> = { value: 'public', note: publicNote };
  const privateOnly = (disabled: string | undefined, crossRegionNote?: string): OptionVerdict<NetworkMode>[] => [
    publicOption,
    { value: 'peering', disabled, note: disabled ? undefined : crossRegionNote },
    { value: 'cen', disabled },
  ];
  const viaPublic = (reason: string): Recommendation<NetworkMode> => ({
    options: privateOnly(reason),
    recommended: 'public',
    why: `${reason}, so the registry is reached over its public endpoint, with an ACL that admits only A's egress addresses${publicNote ? ` (${publicNote})` : ''}.`,
  });

  if (!isEnterprise(s.registry)) return viaPublic('a Personal Edition instance has no VPC endpoint');
  if (s.vpcsB.length === 0) return viaPublic(`account B has no VPC in ${s.regionB} to link the registry to`);
  const clear = s.vpcsB.filter((vpc) => !overlap(s.space, vpc));
  if (clear.length === 0) {
    const clash = overlap(s.space, s.vpcsB[0]!)!;
    return viaPublic(`${clash}${s.vpcsB.length > 1 ? ' (and every other VPC of B overlaps too)' : ''}: no route can tell the two apart`);
  }
  if (s.regionA === s.regionB) {
    return {
      options: privateOnly(undefined),
      recommended: 'peering',
      why: `same region (${s.regionA}) and no overlapping CIDRs: VPC peering keeps the traffic private and is free within a region.`,
    };
  }
  return {
    options: privateOnly(undefined, 'across regions: CDT data-transfer fees'),
    recommended: 'cen',
    why: `across regions (${s.regionA} -> ${s.regionB}): CEN transit routers with an inter-region connection are the private path meant for production with strict security requirements.`,
  };
}

/** PrivateZone covers every node, new and old; /etc/hosts needs nodes of the cluster's own (not Serverless). */
export function recommendDns(cluster: ClusterInfo): Recommendation<DnsMode> {
  const serverless = cluster.profile === 'Serverless';
  return {
    options: [
      { value: 'privatezone' },
      { value: 'hosts', disabled: serverless ? 'a Serverless cluster has no nodes of its own to write /etc/hosts on' : undefined },
    ],
    recommended: 'privatezone',
    why: "one PrivateZone record bound to A's VPC answers for every node, including nodes added later.",
  };
}

/** RRSA where the cluster supports it (pod-level, temporary credentials), else the worker role; never AccessKey. */
export function recommendAuth(cluster: ClusterInfo, fixedEdition?: AddonEdition): Recommendation<AuthMode> {
  const options = AUTH_MODES.map((mode): OptionVerdict<AuthMode> => {
    const problem = authProblem(mode, cluster);
    if (problem) return { value: mode, disabled: problem };
    if (fixedEdition && editionProblem(fixedEdition, cluster, mode)) {
      return { value: mode, disabled: `the ${fixedEdition} add-on edition in the config ${editionProblem(fixedEdition, cluster, mode)!}` };
    }
    return { value: mode, note: mode === 'rrsa' && !cluster.rrsaEnabled ? 'RRSA is off on this cluster: the plan turns it on' : undefined };
  });
  const usable = options.filter((o) => !o.disabled).map((o) => o.value);
  if (usable.includes('rrsa')) {
    return { options, recommended: 'rrsa', why: 'RRSA gives only the helper pod temporary STS credentials: no shared node permission, no stored secret.' };
  }
  if (usable.includes('worker-role')) {
    return { options, recommended: 'worker-role', why: `RRSA is not supported here (${authProblem('rrsa', cluster) ?? 'see above'}); the worker role still uses temporary credentials.` };
  }
  return { options, recommended: usable[0], why: usable.length > 0 ? 'the only method this cluster supports.' : 'no method supports this cluster.' };
}

/** The managed edition where allowed (ACK runs and upgrades it), else the self-managed one. */
export function recommendEdition(cluster: ClusterInfo, auth: AuthMode): Recommendation<AddonEdition> {
  const options = ADDON_EDITIONS.map((edition): OptionVerdict<AddonEdition> => ({ value: edition, disabled: editionProblem(edition, cluster, auth) }));
  const usable = options.filter((o) => !o.disabled).map((o) => o.value);
  if (usable.includes('managed')) return { options, recommended: 'managed', why: 'ACK installs, configures and upgrades the managed edition itself.' };
  return {
    options,
    recommended: usable[0],
    why: usable.length > 0 ? `the managed edition ${editionProblem('managed', cluster, auth)}.` : 'no edition installs on this cluster.',
  };
}
