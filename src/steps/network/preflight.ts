// The network step's refusals before any write, each naming what is wrong and how to fix it.
import type { Config } from '../../config/schema.js';
import { addressCollisions } from './addresses.js';
import { cidrsOverlap, hostRoute, normalizeCidr } from './cidr.js';
import { type NetworkFacts, type RouteTableFacts } from './facts.js';
import { isOurs } from '../marker.js';

/** The instance accepts three linked VPCs (CreateInstanceVpcEndpointLinkedVpc documentation). */
const MAX_LINKED_VPCS = 3;

function publicProblems(config: Config, f: NetworkFacts): string[] {
  const problems: string[] = [];
  for (const cidr of config.network.aclCidrs) {
    if (normalizeCidr(cidr)?.endsWith('/0') && !config.network.allowAnywhere) {
      problems.push(`--acl-cidr ${cidr} opens the registry to the whole Internet: remove it, or pass --allow-anywhere if that is really meant`);
    }
  }
  if (!f.enterprise) return problems; // Personal Edition: the Internet endpoint is always on and has no ACL.
  for (const path of f.public?.egress ?? []) if (path.problem) problems.push(`public mode needs egress from A's nodes: ${path.problem}`);
  if (f.cluster.vSwitches.length === 0) problems.push(`cluster ${f.clusterId} has no node vSwitch to check for public egress`);
  return problems;
}

/** CIDR blocks of A (VPC, pods, services) that overlap B's VPC: peering and CEN cannot route between them. */
function overlapProblems(f: NetworkFacts): string[] {
  const b = f.registry!.vpc;
  const bCidrs = [b.cidrBlock, ...b.secondaryCidrBlocks].filter(Boolean);
  const a = f.cluster.vpc;
  const aBlocks = [
    ...[a.cidrBlock, ...a.secondaryCidrBlocks].filter(Boolean).map((cidr) => ({ what: `A's VPC ${a.vpcId}`, cidr })),
    ...(f.cluster.podCidr ? [{ what: `the cluster's pod CIDR`, cidr: f.cluster.podCidr }] : []),
    ...(f.cluster.serviceCidr ? [{ what: `the cluster's service CIDR`, cidr: f.cluster.serviceCidr }] : []),
  ];
  const problems: string[] = [];
  for (const block of aBlocks) {
    const clash = bCidrs.find((c) => cidrsOverlap(c, block.cidr));
    if (clash) {
      problems.push(
        `${block.what} ${block.cidr} overlaps B's VPC ${b.vpcId} (${clash}): ${f.mode === 'cen' ? 'CEN' : 'VPC peering'} cannot route between overlapping address spaces. ` +
          'Fix: use --network public, or link the registry to another VPC of B whose CIDR does not overlap (--vpc-id-b)',
      );
    }
  }
  return problems;
}

/** A route that is not ours already holds a destination we need, towards something else: we never replace it. */
function routeConflicts(tables: readonly RouteTableFacts[], destinations: readonly string[], account: 'A' | 'B', usable: (nextHopId: string) => boolean): string[] {
  const problems: string[] = [];
  for (const table of tables) {
    for (const destination of destinations) {
      const entry = table.entries.find((e) => e.destinationCidrBlock === destination && e.status !== 'Deleting');
      // A System route is the VPC's own vSwitch CIDR: that is an overlap of address spaces, reported as such.
      if (!entry || entry.type === 'System' || isOurs(entry.description) || entry.nextHops.some((h) => usable(h.nextHopId))) continue;
      const hop = entry.nextHops[0];
      problems.push(
        `route table ${table.routeTableId} in account ${account} already sends ${destination} to ${hop?.nextHopType ?? '?'} ${hop?.nextHopId ?? ''} (route ${entry.routeEntryId}, not made by acr-xaccount): ` +
          'remove or re-point that route, then re-run',
      );
    }
  }
  return problems;
}

function privateProblems(config: Config, f: NetworkFacts): string[] {
  if (!f.enterprise) {
    return [`instance ${f.instanceId} is a Personal Edition instance, which has no VPC endpoint to link: use --network public`];
  }
  const r = f.registry;
  if (!r) return [];
  const problems = overlapProblems(f);
  const a = r.addresses;
  problems.push(...addressCollisions(f, a));
  if (!r.link) {
    if (r.linkedCount >= MAX_LINKED_VPCS) {
      problems.push(
        `instance ${f.instanceId} is already linked to ${r.linkedCount} VPCs, the most it allows, and not to ${r.vpc.vpcId}: ` +
          'unlink one (Container Registry console > Access Control > VPC), or pass --vpc-id-b with one of the linked VPCs',
      );
    }
    if (!r.linkVSwitchId) problems.push(`B's VPC ${r.vpc.vpcId} has no vSwitch for the registry's endpoint: create one, or pass --vswitch-id-b`);
    else if (!r.vSwitches.some((v) => v.vSwitchId === r.linkVSwitchId)) problems.push(`vSwitch ${r.linkVSwitchId} (--vswitch-id-b) is not in B's VPC ${r.vpc.vpcId}`);
  }
  if (!a.authIp || !a.ossIp) {
    const given = config.network.discoveryInstanceId;
    const list = a.candidates.map((c) => `${c.instanceId}${c.instanceName ? ` "${c.instanceName}"` : ''}`).join(', ');
    const flags = 'or give the addresses with --auth-ip/--auth-domain and --oss-ip/--oss-domain';
    if (given && !a.candidates.some((c) => c.instanceId === given)) {
      problems.push(`--discovery-instance ${given} is not a running instance with Cloud Assistant online in B's VPC ${r.vpc.vpcId}${list ? ` (candidates: ${list})` : ''}: pick another, ${flags}`);
    } else if (!a.probeInstanceId && a.candidates.length === 0) {
      problems.push(`the auth-service and OSS addresses must be looked up inside B's VPC ${r.vpc.vpcId}, and no instance there runs with Cloud Assistant online: start one, ${flags}`);
    } else if (!a.probeInstanceId) {
      problems.push(`the auth-service and OSS addresses are looked up on an instance in B's VPC ${r.vpc.vpcId}: pass --discovery-instance with one of ${list}, ${flags}`);
    }
  }
  // Routes we need that someone else already points elsewhere.
  const hops = new Set([f.peering?.existing?.instanceId, f.cen?.attachments.A?.attachmentId, f.cen?.attachments.B?.attachmentId].filter((x): x is string => Boolean(x)));
  const mine = (id: string) => hops.has(id);
  const destinationsA = [r.link?.ip, a.authIp, a.ossIp].filter((ip): ip is string => Boolean(ip)).map(hostRoute);
  problems.push(...routeConflicts(f.cluster.routeTables, destinationsA, 'A', mine));
  problems.push(...routeConflicts(r.routeTables, [...new Set(f.cluster.vSwitches.map((v) => v.cidrBlock))], 'B', mine));
  if (f.mode === 'cen') problems.push(...cenProblems(config, f));
  return problems;
}

function cenProblems(config: Config, f: NetworkFacts): string[] {
  const c = f.cen;
  if (!c) return [];
  const problems: string[] = [];
  if (config.network.cenId && !c.cen) {
    problems.push(`account A has no CEN ${config.network.cenId} (--cen-id): check the ID (\`aliyun cbn DescribeCens\`), or leave --cen-id out to let acr-xaccount create one`);
  }
  for (const [side, ids] of [['A', c.otherCens.A], ['B', c.otherCens.B]] as const) {
    if (ids.length > 0) problems.push(`${side}'s VPC is already attached to CEN ${ids.join(', ')} (a network instance joins one CEN): pass --cen-id ${ids[0]} to use that CEN`);
  }
  // Static transit-router routes of someone else's for the auth or OSS address: we never replace them.
  const ours = new Set([c.attachments.B?.attachmentId, c.attachments.peer?.attachmentId].filter(Boolean));
  const destinations = [f.registry!.addresses.authIp, f.registry!.addresses.ossIp].filter((ip): ip is string => Boolean(ip)).map(hostRoute);
  for (const router of new Set([c.routers.A, c.routers.B])) {
    for (const table of [router?.systemTable, ...(router?.otherTables ?? [])]) {
      for (const e of table?.entries ?? []) {
        if (e.type !== 'Static' || e.status === 'Deleting' || !destinations.includes(e.destinationCidrBlock) || isOurs(e.description) || ours.has(e.nextHopId)) continue;
        problems.push(`transit-router table ${table!.routeTableId} already has a static route for ${e.destinationCidrBlock} to ${e.nextHopId ?? e.nextHopType} (not made by acr-xaccount): remove it, then re-run`);
      }
    }
  }
  const zonesNeeded = (zones: string[]) => Math.min(2, zones.length);
  const sides = [
    { side: 'A', vpc: f.cluster.vpc.vpcId, zones: c.zones.A, vSwitches: f.cluster.vSwitches, attached: c.attachments.A },
    { side: 'B', vpc: f.registry!.vpc.vpcId, zones: c.zones.B, vSwitches: f.registry!.vSwitches, attached: c.attachments.B },
  ];
  for (const s of sides) {
    if (s.attached) continue;
    const usable = new Set(s.vSwitches.filter((v) => s.zones.includes(v.zoneId)).map((v) => v.zoneId));
    if (usable.size < zonesNeeded(s.zones)) {
      problems.push(
        `${s.side}'s VPC ${s.vpc} needs vSwitches in ${zonesNeeded(s.zones)} zones where the transit router works (${s.zones.join(', ')}) for its CEN attachment, ` +
          `and has them in ${usable.size ? [...usable].join(', ') : 'none'}: create a vSwitch in another of those zones`,
      );
    }
  }
  return problems;
}

export function preflightNetwork(config: Config, f: NetworkFacts): string[] {
  const problems = [...f.problems];
  if (f.mode === 'public') return [...problems, ...publicProblems(config, f)];
  return [...problems, ...privateProblems(config, f)];
}

