// The registry's auth-service and OSS addresses as B's VPC resolves them (seed: "Obtain the domain names and IP
// addresses related to the ACR instance"). Never guessed: from --auth-ip/--oss-ip, from an earlier Cloud
// Assistant lookup that Cloud Assistant still remembers, from the routes we made for them, or looked up now on an
// ECS instance in B's VPC (an action: Cloud Assistant's RunCommand is a write call, so discovery cannot run it).
import type { EcsInstance } from '../../cloud/ecs.js';
import type { AccountClient } from '../../cloud/session.js';
import type { Config } from '../../config/schema.js';
import type { Action } from '../../plan/action.js';
import { renderTemplate } from '../../templates.js';
import { cidrContains } from './cidr.js';
import { describeFailures, lastSuccessfulRun, runScript } from './cloud-assistant.js';
import { NAMES, type ClusterNetwork, type NetworkFacts, type RouteTableFacts, type ServiceAddresses } from './facts.js';
import { isOurs } from '../marker.js';
import { known, later, type Ref } from './refs.js';

export const RESOLVE_ACTION = 'network.service-addresses';

/** The auth service's VPC domain (per region) and the instance's OSS bucket's internal domain (seed procedure). */
export function serviceDomains(config: Config): { authDomain: string; ossDomain: string } {
  const region = config.accountB.region;
  return {
    authDomain: config.network.authDomain ?? `dockerauth-vpc.${region}.aliyuncs.com`,
    ossDomain: config.network.ossDomain ?? `${config.accountB.instanceId}-registry.oss-${region}-internal.aliyuncs.com`,
  };
}

export const resolveScript = (d: { authDomain: string; ossDomain: string }): string => renderTemplate('resolve-addresses.sh', { authDomain: d.authDomain, ossDomain: d.ossDomain });

/** The address `getent hosts` printed for a domain (`ADDRESS  NAME [ALIASES]` per line). */
export function parseGetent(output: string, domain: string): string | undefined {
  const wanted = domain.toLowerCase().replace(/\.$/, '');
  for (const line of output.split('\n')) {
    const [address, ...names] = line.trim().split(/\s+/);
    if (address && /^\d+\.\d+\.\d+\.\d+$/.test(address) && names.some((n) => n.toLowerCase().replace(/\.$/, '') === wanted)) return address;
  }
  return undefined;
}

/** Instances in B's VPC that are running with Cloud Assistant online: where a lookup can run. */
async function probeCandidates(B: AccountClient, vpcId: string): Promise<EcsInstance[]> {
  const ecs = await import('../../cloud/ecs.js');
  const running = (await ecs.describeInstances(B, { vpcId })).filter((i) => i.status === 'Running');
  if (running.length === 0) return [];
  const online = new Set((await ecs.describeCloudAssistantStatus(B, running.map((i) => i.instanceId))).filter((s) => s.online).map((s) => s.instanceId));
  return running.filter((i) => online.has(i.instanceId)).sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}

/** Reads what is known now; what is not will be looked up by the resolve action on `probeInstanceId`. */
export async function discoverAddresses(config: Config, B: AccountClient, vpcId: string): Promise<ServiceAddresses> {
  const domains = serviceDomains(config);
  const out: ServiceAddresses = { ...domains, candidates: [] };
  const { authIp, ossIp } = config.network;
  if (authIp) out.authIp = authIp;
  if (ossIp) out.ossIp = ossIp;
  if (authIp && ossIp) {
    out.source = '--auth-ip and --oss-ip';
    return out;
  }
  out.candidates = await probeCandidates(B, vpcId);
  const given = config.network.discoveryInstanceId;
  const probes = given ? [given] : out.candidates.map((c) => c.instanceId);
  for (const instanceId of probes.slice(0, 5)) {
    const past = await lastSuccessfulRun(B, instanceId, NAMES.resolveCommand);
    const pastAuth = past && parseGetent(past.output, domains.authDomain);
    const pastOss = past && parseGetent(past.output, domains.ossDomain);
    if (past && (out.authIp || pastAuth) && (out.ossIp || pastOss)) {
      out.authIp ??= pastAuth;
      out.ossIp ??= pastOss;
      out.source = `Cloud Assistant lookup ${past.invokeId} on ${instanceId}${past.finishedAt ? ` (${past.finishedAt})` : ''}`;
      return out;
    }
  }
  out.probeInstanceId = given ?? (out.candidates.length === 1 ? out.candidates[0]!.instanceId : undefined);
  return out;
}

/** When the lookup is gone from Cloud Assistant's memory, our routes still say which addresses we routed. */
export function fillFromOurRoutes(addresses: ServiceAddresses, tables: readonly RouteTableFacts[]): void {
  if (addresses.authIp && addresses.ossIp) return;
  const routed = (purpose: 'auth' | 'oss') =>
    tables.flatMap((t) => t.entries).find((e) => e.routeEntryName === NAMES.route(purpose) && isOurs(e.description))?.destinationCidrBlock.replace(/\/32$/, '');
  const auth = addresses.authIp ?? routed('auth');
  const oss = addresses.ossIp ?? routed('oss');
  if (auth && oss && (!addresses.authIp || !addresses.ossIp)) {
    addresses.authIp = auth;
    addresses.ossIp = oss;
    addresses.source = `the routes acr-xaccount made for them earlier (${NAMES.route('auth')}, ${NAMES.route('oss')})`;
  }
}

/** A's address space: what an address of B's must not fall into. */
export function addressSpaceOf(cluster: ClusterNetwork): { label: string; cidr: string }[] {
  const vpc = cluster.vpc;
  return [
    ...[vpc.cidrBlock, ...vpc.secondaryCidrBlocks, ...vpc.userCidrs].filter(Boolean).map((cidr) => ({ label: `VPC ${vpc.vpcId}`, cidr })),
    ...(cluster.podCidr ? [{ label: `cluster pod CIDR`, cidr: cluster.podCidr }] : []),
    ...(cluster.serviceCidr ? [{ label: `cluster service CIDR`, cidr: cluster.serviceCidr }] : []),
  ];
}

/** The seed FAQ "IP address conflicts in the 100.0.0.0/8 CIDR block": which domain collides, and its remedy. */
export function addressCollisions(f: Pick<NetworkFacts, 'cluster' | 'instanceId'>, a: { authDomain: string; ossDomain: string; authIp?: string; ossIp?: string }): string[] {
  const space = addressSpaceOf(f.cluster);
  const problems: string[] = [];
  const clash = (ip: string | undefined) => (ip ? space.find((s) => cidrContains(s.cidr, ip)) : undefined);
  const auth = clash(a.authIp);
  if (auth) {
    problems.push(
      `the authentication domain ${a.authDomain} resolves to ${a.authIp} in B's VPC, inside A's ${auth.label} ${auth.cidr}: A's nodes would never send that traffic to B ` +
        `(seed FAQ on 100.0.0.0/8 conflicts). Fix: turn on "Instance Takeover of Authentication Domain Name" for ${f.instanceId} ` +
        '(Container Registry console > the instance > Repository Management > Domain Names; submit a ticket to allowlist the instance first), ' +
        'so the cluster only needs the registry domain; or use --network public',
    );
  }
  const oss = clash(a.ossIp);
  if (oss) {
    problems.push(
      `the OSS domain ${a.ossDomain} resolves to ${a.ossIp} in B's VPC, inside A's ${oss.label} ${oss.cidr} (seed FAQ on 100.0.0.0/8 conflicts). ` +
        `Fix: reach the bucket over PrivateLink (an OSS endpoint in B's VPC), point the CNAME of ${a.ossDomain} to that endpoint, and pass its address with ` +
        '--oss-ip and --oss-domain; or use --network public',
    );
  }
  return problems;
}

export interface AddressRefs {
  auth: Ref;
  oss: Ref;
  /** The lookup action, when the addresses are looked up in this run (every write of the step waits for it). */
  action: Action;
}

/** The addresses as refs, and the action that shows (noop) or looks them up (Cloud Assistant in B). */
export function planAddresses(f: NetworkFacts, B: AccountClient, pollIntervalMs: number): AddressRefs {
  const a = f.registry!.addresses;
  const detail = { authDomain: a.authDomain, ossDomain: a.ossDomain };
  if (a.authIp && a.ossIp) {
    return {
      auth: known(a.authIp),
      oss: known(a.ossIp),
      action: { id: RESOLVE_ACTION, step: 'network', account: 'B', change: 'noop', title: "Auth-service and OSS addresses in B's VPC", detail: { ...detail, authIp: a.authIp, ossIp: a.ossIp, source: a.source ?? '' } },
    };
  }
  const probe = a.probeInstanceId ?? '';
  return {
    auth: later(RESOLVE_ACTION, 'authIp'),
    oss: later(RESOLVE_ACTION, 'ossIp'),
    action: {
      id: RESOLVE_ACTION,
      step: 'network',
      account: 'B',
      change: 'wait',
      title: `Look up the auth-service and OSS addresses on ${probe} in ${f.registry!.vpc.vpcId} (Cloud Assistant, reads only)`,
      detail: { ...detail, instance: probe, command: 'getent hosts' },
      async apply(ctx) {
        const [result] = await runScript(B, [probe], resolveScript(a), { name: NAMES.resolveCommand, what: 'the address lookup', pollIntervalMs, progress: ctx.progress, signal: ctx.signal });
        if (!result || result.invocationStatus !== 'Success') throw new Error(`the lookup on ${probe} failed: ${describeFailures(result ? [result] : [])}`);
        const authIp = a.authIp ?? parseGetent(result.output, a.authDomain);
        const ossIp = a.ossIp ?? parseGetent(result.output, a.ossDomain);
        const missing = [!authIp && a.authDomain, !ossIp && a.ossDomain].filter(Boolean);
        if (missing.length > 0) {
          throw new Error(`${missing.join(' and ')} did not resolve on ${probe}: check the instance's DNS, or pass the addresses with --auth-ip/--auth-domain and --oss-ip/--oss-domain`);
        }
        // The preflight check, for addresses only known now; the step's other writes wait for this action.
        const collisions = addressCollisions(f, { ...a, authIp, ossIp });
        if (collisions.length > 0) throw new Error(`stopped before any peering, CEN or route was made:\n${collisions.join('\n')}`);
        return { authIp: authIp!, ossIp: ossIp! };
      },
    },
  };
}
