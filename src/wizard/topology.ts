// A small drawing of the chosen topology, shown with the plan: A's VPC and cluster, the link and the addresses
// routed over it, B's VPC and registry. Built from the config, and from what the wizard discovered when it ran.
import type { Config } from '../config/schema.js';
import type { Identities } from '../cloud/identity.js';
import type { WizardFacts } from './wizard.js';
import { clusterLabel, editionLabel } from './support.js';

export interface Topology {
  a: { accountId: string; region: string; vpcId?: string; cidrs: string[]; cluster: string; clusterDetail?: string };
  b: { accountId: string; region: string; vpcId?: string; cidrs: string[]; registry: string; domain?: string };
  link: Config['network']['mode'];
  dns: Config['network']['dns'];
  /** Destinations routed from A to B (private paths), each with what it is. */
  routes: { what: string; address?: string; pending: string }[];
  aclCidrs: string[];
  bandwidthMbps?: number;
}

const LINK_TITLE = { public: "Internet, to the registry's public endpoint", peering: 'VPC peering', cen: 'CEN transit routers' } as const;

export function topologyOf(config: Config, identities: Identities, facts?: WizardFacts): Topology {
  const { cluster, registry, network } = facts ?? {};
  const crossRegion = config.accountA.region !== config.accountB.region;
  const vpcIdB = network?.vpcB?.vpcId ?? config.network.vpcIdB;
  const registryIp = network?.endpoints.linkedVpcs.find((l) => l.vpcId === vpcIdB && l.ip)?.ip;
  const lookup = config.network.discoveryInstanceId ? `looked up on ${config.network.discoveryInstanceId} at apply` : 'looked up at apply';
  return {
    a: {
      accountId: identities.A.accountId,
      region: config.accountA.region,
      vpcId: cluster?.vpcId,
      cidrs: network?.clusterNetwork.vpcCidrs ?? [],
      cluster: `ACK ${cluster?.name ? `${cluster.name}  ` : ''}${config.accountA.clusterId}`,
      clusterDetail: cluster && [clusterLabel(cluster), cluster.containerCidr && `pods ${cluster.containerCidr}`, cluster.serviceCidr && `services ${cluster.serviceCidr}`].filter(Boolean).join(' · '),
    },
    b: {
      accountId: identities.B.accountId,
      region: config.accountB.region,
      vpcId: config.network.mode === 'public' ? undefined : vpcIdB ?? '(chosen at plan time)',
      cidrs: config.network.mode === 'public' ? [] : network?.vpcB?.cidrs ?? [],
      registry: `ACR ${registry?.name ? `${registry.name}  ` : ''}${config.accountB.instanceId}${registry ? ` (${editionLabel(registry)})` : ''}`,
      domain: config.network.mode === 'public' ? network?.endpoints.internetDomain : network?.endpoints.vpcDomain,
    },
    link: config.network.mode,
    dns: config.network.dns,
    routes:
      config.network.mode === 'public'
        ? []
        : [
            { what: 'registry', address: registryIp, pending: 'known once B\'s VPC is linked' },
            { what: 'auth service', address: config.network.authIp, pending: lookup },
            { what: 'OSS', address: config.network.ossIp, pending: lookup },
          ],
    aclCidrs: config.network.aclCidrs,
    bandwidthMbps: crossRegion ? config.network.bandwidthMbps : undefined,
  };
}

/** A box with `title` in its top border (or bottom, for B, so the VPC frames the registry from below). */
function box(lines: string[], title: string, titleAtBottom: boolean, joint: number): string[] {
  const width = Math.max(title.length + 4, ...lines.map((l) => l.length + 2));
  const rule = (left: string, right: string, label: string, join?: string) => {
    const bar = `${left}─${label ? ` ${label} ` : ''}`.padEnd(width + 1, '─');
    return `${join ? `${bar.slice(0, joint)}${join}${bar.slice(joint + 1)}` : bar}${right}`;
  };
  const body = lines.map((l) => `│ ${l.padEnd(width - 2)} │`);
  return titleAtBottom
    ? [rule('┌', '┐', '', '┴'), ...body, rule('└', '┘', title)]
    : [rule('┌', '┐', title), ...body, rule('└', '┘', '', '┬')];
}

export function renderTopology(t: Topology): string[] {
  const joint = 6;
  const pipe = ' '.repeat(joint) + '│ ';
  const vpcTitle = (vpcId: string | undefined, cidrs: string[]) => (vpcId ? `VPC ${vpcId}${cidrs.length ? `  ${cidrs.join(', ')}` : ''}` : '');
  const out = [`account A ${t.a.accountId} · ${t.a.region}`];
  out.push(...box([t.a.cluster, ...(t.a.clusterDetail ? [t.a.clusterDetail] : [])], vpcTitle(t.a.vpcId, t.a.cidrs), false, joint));
  const crossing = t.a.region === t.b.region ? `within ${t.a.region}` : `${t.a.region} -> ${t.b.region}${t.bandwidthMbps ? `, ${t.bandwidthMbps} Mbit/s` : ''}`;
  out.push(`${pipe}${LINK_TITLE[t.link]}${t.link === 'public' ? '' : ` (${crossing})`}`);
  if (t.link === 'public') {
    out.push(`${pipe}ACL admits A's NAT egress addresses${t.aclCidrs.length ? ` and ${t.aclCidrs.join(', ')}` : ''}`);
  } else {
    const width = Math.max(...t.routes.map((r) => (r.address ? `${r.address}/32` : '?').length));
    t.routes.forEach((r, i) => {
      const target = r.address ? `${r.address}/32`.padEnd(width) : '?'.padEnd(width);
      out.push(`${pipe}${i === 0 ? 'routed from A: ' : ' '.repeat(15)}${target}  ${r.what}${r.address ? '' : ` (${r.pending})`}`);
    });
    out.push(`${pipe}names: ${t.dns === 'privatezone' ? "a PrivateZone record in A's VPC" : '/etc/hosts on the nodes'}`);
  }
  out.push(...box([t.b.registry, ...(t.b.domain ? [t.b.domain] : [])], vpcTitle(t.b.vpcId, t.b.cidrs), true, joint));
  out.push(`account B ${t.b.accountId} · ${t.b.region}`);
  return out.map((line) => `  ${line}`);
}
