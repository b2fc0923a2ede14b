// The 100.0.0.0/8 conflicts: B's auth-service and OSS addresses (in 100.64.0.0/10 and nearby) must not fall inside
// A's VPC, pod or service CIDRs, or A's nodes route them locally and never reach B.
import type { NetworkFacts } from '../steps/network/facts.js';
import { cidrContains } from '../steps/network/cidr.js';
import { fail, ok, type Check } from './check.js';

export function addressConflictCheck(f: NetworkFacts): Check | undefined {
  if (f.mode === 'public' || !f.registry) return undefined;
  const title = '100.0.0.0/8 conflicts';
  const { authIp, ossIp } = f.registry.addresses;
  if (!authIp && !ossIp) return undefined;
  const blocks = [
    ...[f.cluster.vpc.cidrBlock, ...f.cluster.vpc.secondaryCidrBlocks].map((cidr) => ({ what: `A's VPC ${f.cluster.vpc.vpcId}`, cidr })),
    { what: 'the pod CIDR', cidr: f.cluster.podCidr },
    { what: 'the service CIDR', cidr: f.cluster.serviceCidr },
  ].filter((b) => b.cidr);
  const clashes = [
    ['auth service', authIp],
    ['OSS', ossIp],
  ].flatMap(([what, ip]) => (ip ? blocks.filter((b) => cidrContains(b.cidr, ip)).map((b) => `${what} ${ip} is inside ${b.what} ${b.cidr}`) : []));
  if (clashes.length > 0) {
    return fail('network.address-conflict', title, clashes.join('; '), 'use --network public, or move the cluster to a VPC/pod CIDR outside these addresses');
  }
  return ok('network.address-conflict', title, `auth ${authIp ?? '?'}, OSS ${ossIp ?? '?'} are outside A's VPC, pod and service CIDRs`);
}
