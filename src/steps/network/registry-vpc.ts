// Which of B's VPCs carries the registry for A (peering and CEN connect A to it), and the instance's link to it.
// Shared by the network step (which links it) and the DNS step (which needs the registry's address there).
import type { LinkedVpc } from '../../cloud/cr.js';
import type { AccountClient } from '../../cloud/session.js';
import type { Config } from '../../config/schema.js';
import type { BaseFacts } from '../step.js';

export interface RegistryVpcChoice {
  vpcId?: string;
  /** Why this VPC, for the plan. */
  reason: string;
  /** The instance's link to it, if any (a DELETING one counts as none). */
  link?: LinkedVpc;
  /** Why no VPC could be chosen, naming the fix. */
  problem?: string;
}

/** The instance's live links (a link being deleted is about to be gone). */
export const liveLinks = (base: BaseFacts): LinkedVpc[] => (base.registry.vpcEndpoint?.linkedVpcs ?? []).filter((l) => l.status !== 'DELETING');

/**
 * B's VPC for the registry: --vpc-id-b; else a VPC the instance is already linked to (RUNNING first); else B's only
 * VPC in the registry's region. Several candidates and no link: the user must choose.
 */
export async function chooseRegistryVpc(config: Config, base: BaseFacts, B: AccountClient): Promise<RegistryVpcChoice> {
  const links = liveLinks(base);
  const given = config.network.vpcIdB;
  if (given) return { vpcId: given, reason: 'as configured: network.vpcIdB / --vpc-id-b', link: links.find((l) => l.vpcId === given) };
  const sorted = [...links].sort((a, b) => Number(b.status === 'RUNNING') - Number(a.status === 'RUNNING') || a.vpcId.localeCompare(b.vpcId));
  if (sorted[0]) return { vpcId: sorted[0].vpcId, reason: 'already linked to the registry', link: sorted[0] };
  const { describeVpcs } = await import('../../cloud/vpc.js');
  const vpcs = await describeVpcs(B);
  if (vpcs.length === 1) return { vpcId: vpcs[0]!.vpcId, reason: `the only VPC of account B in ${config.accountB.region}` };
  if (vpcs.length === 0) {
    return { reason: '', problem: `account B has no VPC in ${config.accountB.region} to link the registry to: create one (with a vSwitch), or use --network public` };
  }
  return {
    reason: '',
    problem:
      `the registry is linked to no VPC yet and account B has ${vpcs.length} VPCs in ${config.accountB.region} ` +
      `(${vpcs.map((v) => `${v.vpcId}${v.vpcName ? ` "${v.vpcName}"` : ''} ${v.cidrBlock}`).join(', ')}): pass --vpc-id-b to choose the one to link`,
  };
}

/** The registry's VPC domain (`<name>-registry-vpc.<region>.cr.aliyuncs.com`), from the instance's endpoints. */
export function registryVpcDomain(base: Pick<BaseFacts, 'registry'>): string {
  const fromVpc = base.registry.vpcEndpoint?.domains[0];
  const fromList = base.registry.endpoints.find((e) => e.type === 'VPC')?.domains[0]?.domain;
  return fromVpc ?? fromList ?? '';
}

/** The registry's Internet domain (`<name>-registry.<region>.cr.aliyuncs.com`). */
export function registryInternetDomain(base: Pick<BaseFacts, 'registry'>): string {
  return base.registry.endpoints.find((e) => e.type === 'Internet')?.domains[0]?.domain ?? '';
}
