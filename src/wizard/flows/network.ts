// The network path (public, peering, CEN) with the recommendation for these two VPCs, then what the chosen path
// needs: B's VPC, where the auth-service and OSS addresses come from, cross-region bandwidth, or the ACL.
import type { NetworkMode } from '../../config/choices.js';
import { UserError } from '../../errors.js';
import { NETWORK_COMPARISON, optionLabel, renderComparison } from '../comparisons.js';
import type { AskPolicy } from '../policy.js';
import type { Choice, Prompter } from '../prompter.js';
import { addressSpaceA, overlap, recommendNetwork, type AddressBlock } from '../recommend.js';
import type { ClusterInfo, ClusterNetworkInfo, ProbeInfo, RegistryEndpointsInfo, RegistryInstanceInfo, VpcInfo, WizardSources } from '../sources.js';
import { aclCidrs, domainFormat, serviceAddress, splitList, wholeNumber } from '../validate.js';
import { askRecommended } from './recommended.js';

export interface NetworkContext {
  cluster: ClusterInfo;
  registry: RegistryInstanceInfo;
  regionB: string;
}

/** What the network flow learned, for the later flows and the topology drawing. */
export interface NetworkFacts {
  clusterNetwork: ClusterNetworkInfo;
  endpoints: RegistryEndpointsInfo;
  space: AddressBlock[];
  vpcB?: VpcInfo;
  probe?: ProbeInfo;
}

export interface NetworkAnswer {
  config: { network: Record<string, unknown> };
  mode: NetworkMode;
  facts: NetworkFacts;
}

const MANUAL = '<enter the addresses>';

/** B's VPC for peering/CEN: the one linked to the registry when it fits, else chosen; overlapping ones not offered. */
async function askVpcB(p: Prompter, policy: AskPolicy, vpcs: readonly VpcInfo[], space: readonly AddressBlock[], endpoints: RegistryEndpointsInfo, regionB: string): Promise<VpcInfo | undefined> {
  const given = policy.text('network.vpcIdB');
  if (!policy.asks('network.vpcIdB')) return vpcs.find((v) => v.vpcId === given);
  const linked = new Set(endpoints.linkedVpcs.map((l) => l.vpcId));
  const sorted = [...vpcs].sort((a, b) => Number(linked.has(b.vpcId)) - Number(linked.has(a.vpcId)));
  const choices: Choice<string>[] = sorted.map((v) => ({
    value: v.vpcId,
    name: `${v.vpcId}  ${v.name || '(no name)'}  ${v.cidrs.join(', ')}${linked.has(v.vpcId) ? '  linked to the registry' : ''}`,
    short: v.vpcId,
    disabled: overlap(space, v),
  }));
  const usable = choices.filter((c) => !c.disabled);
  if (usable.length === 1 && choices.length === 1) {
    p.note(`  B's VPC: ${usable[0]!.name} (the only VPC of B in ${regionB})`);
    return vpcs[0];
  }
  const preferred = [given, ...sorted.filter((v) => linked.has(v.vpcId)).map((v) => v.vpcId)].find((id) => usable.some((c) => c.value === id));
  const picked = await p.select({ id: 'network.vpcIdB', message: "B's VPC to link the registry to (A connects to it)", choices, default: preferred });
  return vpcs.find((v) => v.vpcId === picked);
}

/** The auth-service and OSS addresses: looked up by Cloud Assistant on an instance in B's VPC, or typed. */
async function askAddresses(p: Prompter, s: WizardSources, policy: AskPolicy, ctx: NetworkContext, vpcB: VpcInfo, space: readonly AddressBlock[]): Promise<{ config: Record<string, unknown>; probe?: ProbeInfo }> {
  const paths = ['network.authIp', 'network.ossIp', 'network.discoveryInstanceId'];
  if (!paths.every((path) => policy.asks(path))) return { config: {} };
  const probes = await p.busy(`Looking up ECS instances in B's ${vpcB.vpcId}`, s.probes(vpcB.vpcId, ctx.regionB));
  const unusable = (i: ProbeInfo) => (i.status !== 'Running' ? `is ${i.status}` : !i.cloudAssistant ? 'Cloud Assistant is not online' : undefined);
  const choices: Choice<string>[] = probes.map((i) => ({ value: i.instanceId, name: `${i.instanceId}  ${i.name || '(no name)'}  ${i.privateIp ?? ''}`.trimEnd(), short: i.instanceId, disabled: unusable(i) }));
  const usable = probes.filter((i) => !unusable(i));
  p.note("  The registry's auth-service and OSS addresses are resolved inside B's VPC (Cloud Assistant runs `getent hosts` there), never guessed.", 'dim');
  let picked: string;
  if (usable.length === 1 && probes.length === 1) {
    p.note(`  They will be looked up on ${usable[0]!.instanceId} (${usable[0]!.name || 'no name'}), the only instance there.`);
    picked = usable[0]!.instanceId;
  } else {
    if (usable.length === 0) p.note(`  No running instance with Cloud Assistant in ${vpcB.vpcId}: enter the addresses as resolved there.`, 'warn');
    const preset = policy.text('network.discoveryInstanceId');
    picked = await p.select({ id: 'network.discoveryInstanceId', message: 'Look the addresses up on', choices: [...choices, { value: MANUAL, name: 'enter the addresses myself' }], default: preset });
  }
  if (picked !== MANUAL) return { config: { discoveryInstanceId: picked }, probe: probes.find((i) => i.instanceId === picked) };
  const { instanceId } = ctx.registry;
  const address = (id: string, message: string) => p.input({ id, message, default: policy.text(id), validate: serviceAddress(space) });
  const authIp = await address('network.authIp', "Auth-service address as B's VPC resolves it");
  const authDomain = await p.input({ id: 'network.authDomain', message: 'Auth-service domain', default: policy.text('network.authDomain') ?? `dockerauth-vpc.${ctx.regionB}.aliyuncs.com`, validate: domainFormat });
  const ossIp = await address('network.ossIp', "OSS address as B's VPC resolves it");
  const ossDomain = await p.input({ id: 'network.ossDomain', message: 'OSS domain', default: policy.text('network.ossDomain') ?? `${instanceId}-registry.oss-${ctx.regionB}-internal.aliyuncs.com`, validate: domainFormat });
  return { config: { authIp: authIp.trim(), authDomain: authDomain.trim(), ossIp: ossIp.trim(), ossDomain: ossDomain.trim() } };
}

export async function askNetwork(p: Prompter, s: WizardSources, policy: AskPolicy, ctx: NetworkContext): Promise<NetworkAnswer> {
  const { cluster, registry, regionB } = ctx;
  const [clusterNetwork, endpoints, vpcsB] = await p.busy(
    "Looking up A's and B's networks",
    Promise.all([s.clusterNetwork(cluster), s.registryEndpoints(registry.instanceId, regionB), s.vpcsB(regionB)]),
  );
  const space = addressSpaceA(cluster, clusterNetwork.vpcCidrs);
  const rec = recommendNetwork({ regionA: cluster.regionId, regionB, space, natGateways: clusterNetwork.natGateways, registry, vpcsB });
  const facts: NetworkFacts = { clusterNetwork, endpoints, space };
  const given = policy.text('network.mode') as NetworkMode | undefined;
  let mode: NetworkMode;
  if (policy.asks('network.mode')) {
    for (const line of renderComparison(NETWORK_COMPARISON)) p.note(line, 'dim');
    mode = await askRecommended(p, { id: 'network.mode', message: 'Network path', label: (m) => optionLabel(NETWORK_COMPARISON, m), current: given }, rec);
  } else {
    mode = given!;
    const refused = rec.options.find((o) => o.value === mode)?.disabled;
    if (refused) throw new UserError(`${policy.origin('network.mode')} cannot work here: ${refused}. Recommended: ${rec.recommended} (${rec.why})`);
  }
  const network: Record<string, unknown> = { mode };
  if (mode === 'public') {
    if (policy.asks('network.aclCidrs')) {
      p.note("  The Internet endpoint's ACL will admit A's NAT egress addresses (found when planning).", 'dim');
      const extra = await p.input({
        id: 'network.aclCidrs',
        message: 'Other CIDRs to admit (comma-separated; empty for none)',
        default: (policy.value<string[]>('network.aclCidrs') ?? []).join(', '),
        validate: aclCidrs(Boolean(policy.value('network.allowAnywhere'))),
      });
      network.aclCidrs = splitList(extra);
    }
    return { config: { network }, mode, facts };
  }
  facts.vpcB = await askVpcB(p, policy, vpcsB, space, endpoints, regionB);
  if (facts.vpcB && policy.asks('network.vpcIdB')) network.vpcIdB = facts.vpcB.vpcId;
  if (facts.vpcB) {
    const addresses = await askAddresses(p, s, policy, ctx, facts.vpcB, space);
    Object.assign(network, addresses.config);
    facts.probe = addresses.probe;
  }
  if (cluster.regionId !== regionB && policy.asks('network.bandwidthMbps')) {
    const bandwidth = await p.input({
      id: 'network.bandwidthMbps',
      message: `Bandwidth between ${cluster.regionId} and ${regionB} in Mbit/s (a cap; billed by data transfer)`,
      default: policy.text('network.bandwidthMbps') ?? '100',
      validate: wholeNumber(1, 100000),
    });
    network.bandwidthMbps = Number(bandwidth);
  }
  return { config: { network }, mode, facts };
}
