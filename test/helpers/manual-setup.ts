// The seed procedure (shared/seed/000_b9780608811f14fb.txt) performed by hand, step by step, through the tool's REAL
// client modules (src/cloud/*.ts) and the real @kubernetes/client-node against a running sandbox: what a careful
// engineer would click or script. Tests use it to prove the sandbox's pull decision end to end:
//
//   const env = await openEnv('default');
//   await setupNetwork(env, 'peering');
//   await setupDns(env, 'privatezone');
//   await setupAuth(env, 'rrsa');
//   await installAddon(env, 'managed');
//   const pull = await testPull(env);          // pod events, as `kubectl describe pod` shows them
//   await env.close();
//
// Every step reads before it writes, so calling it again is harmless and repairs what a test broke.
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import assert from 'node:assert/strict';

import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml, stringify as toYaml } from 'yaml';

import * as cbn from '../../src/cloud/cbn.js';
import * as cbnRoutes from '../../src/cloud/cbn-routes.js';
import * as cr from '../../src/cloud/cr.js';
import * as cs from '../../src/cloud/cs.js';
import * as addons from '../../src/cloud/cs-addons.js';
import * as ecs from '../../src/cloud/ecs.js';
import * as pvtz from '../../src/cloud/pvtz.js';
import * as ram from '../../src/cloud/ram.js';
import { Cloud, type AccountClient } from '../../src/cloud/session.js';
import * as vpc from '../../src/cloud/vpc.js';
import * as peer from '../../src/cloud/vpcpeer.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { decideImagePull, type PullLink, type PullResult } from '../../src/sandbox/pull.js';
import { clusterFacts } from '../../src/sandbox/state/cs-seed.js';
import { HOSTS_BLOCK_BEGIN, HOSTS_BLOCK_END } from '../../src/sandbox/state/ecs.js';
import { staticCredential } from './fake-cloud.js';

export type NetworkKind = 'peering' | 'cen' | 'public';
export type DnsKind = 'privatezone' | 'hosts';
export type AuthKind = 'rrsa' | 'worker-role' | 'access-key';
export type AddonEdition = 'managed' | 'self-managed';

/** Retries for the funnel: transient errors only, and no real waiting. */
const FAST_RETRY = { maxAttempts: 4, maxElapsedMs: 5_000, baseDelayMs: 1, maxDelayMs: 2 };
const PRODUCTS = ['ram', 'vpc', 'cs', 'sts', 'ims', 'ecs', 'cr', 'cbn', 'vpcpeer', 'pvtz'] as const;
/** Each sandbox call moves the simulated clock 5 s; a poll only needs a breath of real time. */
const POLL_SLEEP_MS = 10;

/** Names a careful engineer gives what they create, so it is recognisable later (the tool's marker). */
export const NAMES = {
  peering: 'acr-xaccount-registry',
  cen: 'acr-xaccount',
  roleA: 'acr-xaccount-rrsa',
  policyA: 'acr-xaccount-assume-registry-role',
  workerPolicy: 'acr-xaccount-worker-assume-registry-role',
  roleB: 'acr-xaccount-registry-pull',
  policyB: 'acr-xaccount-registry-pull',
  userB: 'acr-xaccount-registry-pull',
  routePrefix: 'acr-xaccount',
  verify: 'acr-xaccount-verify',
} as const;
export const MARKER = 'managed-by=acr-xaccount';
export const HELPER_SA_SUBJECT = 'system:serviceaccount:kube-system:aliyun-acr-credential-helper';
export const MANAGED_HELPER = 'managed-aliyun-acr-credential-helper';
export const SELF_MANAGED_HELPER = 'aliyun-acr-credential-helper';

export interface Facts {
  accountA: string;
  accountB: string;
  regionA: string;
  regionB: string;
  clusterId: string;
  instanceId: string;
  vpcA: string;
  vpcB: string;
  vswitchesA: string[];
  vswitchesB: string[];
  registryVpcDomain: string;
  registryInternetDomain: string;
  probeInstanceId: string;
}

/** A route this setup made (so a test can delete exactly it). */
export interface MadeRoute {
  account: 'A' | 'B';
  routeTableId: string;
  destinationCidrBlock: string;
  nextHopType: string;
  nextHopId: string;
  /** What it is for: `registry`, `auth`, `oss`, or `return`. */
  purpose: 'registry' | 'auth' | 'oss' | 'return';
}

/** What the steps learned and made, for the next steps and for tests that break one link. */
export interface EnvState {
  network?: NetworkKind;
  dns?: DnsKind;
  auth?: AuthKind;
  addon?: AddonEdition;
  /** The registry domain pulls use: the VPC domain (peering, CEN) or the Internet domain (public). */
  registryDomain?: string;
  /** The registry's private address in B's linked VPC. */
  registryIp?: string;
  authDomain?: string;
  authIp?: string;
  ossDomain?: string;
  ossIp?: string;
  /** Route tables of A's node vSwitches, and the CIDRs of those vSwitches. */
  nodeRouteTables?: string[];
  nodeCidrs?: string[];
  routes: MadeRoute[];
  peeringId?: string;
  cen?: { cenId: string; trA: string; trB: string; attA: string; attB: string; peerAttachment?: string; rtA: string; rtB: string };
  aclEntries?: string[];
  zone?: { zoneId: string; zoneName: string; recordId: number };
  hosts?: { instanceIds: string[]; lines: string[] };
  rrsa?: { issuer: string; oidcArn: string };
  /** When this setup enabled RRSA (the task's end), if it did. */
  rrsaEnabledAt?: string;
  roleAArn?: string;
  roleBArn?: string;
  workerRoleArn?: string;
  workerRoleName?: string;
  accessKey?: { id: string; secret: string };
  expireDuration: number;
  addonConfig?: Record<string, unknown>;
  /** The registry entry the helper was given. */
  entry?: Record<string, unknown>;
}

export interface Kube {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
}

export interface Env {
  scenario: string;
  sandbox: RunningSandbox;
  cloud: Cloud;
  A: AccountClient;
  B: AccountClient;
  facts: Facts;
  state: EnvState;
  /** The cluster's Kubernetes API through the kubeconfig DescribeClusterUserKubeconfig hands account A. */
  kube(): Promise<Kube>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads until `done` holds (each read moves the simulated clock); throws with the last value after `tries`. */
export async function poll<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, tries = 60): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await read();
    if (done(last)) return last;
    await sleep(POLL_SLEEP_MS);
  }
  throw new Error(`${what}: not done after ${tries} reads; last: ${JSON.stringify(last)}`);
}

const str = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '');
const strs = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);
const roleArn = (accountId: string, name: string) => `acs:ram::${accountId}:role/${name}`;
const json = (v: unknown) => JSON.stringify(v);

/** Starts a fresh sandbox world and a Cloud with both accounts' root keys (the way a user's two profiles would be). */
export async function openEnv(scenario = 'default'): Promise<Env> {
  const sandbox = await startSandbox({ ephemeral: true, scenario });
  const f = sandbox.meta.facts;
  const facts: Facts = {
    accountA: sandbox.accounts.A.accountId,
    accountB: sandbox.accounts.B.accountId,
    regionA: str(f.regionA),
    regionB: str(f.regionB),
    clusterId: str(f.clusterId),
    instanceId: str(f.instanceId),
    vpcA: str(f.vpcA),
    vpcB: str(f.vpcB),
    vswitchesA: strs(f.vswitchesA),
    vswitchesB: strs(f.vswitchesB),
    registryVpcDomain: str(f.registryVpcDomain),
    registryInternetDomain: str(f.registryInternetDomain),
    probeInstanceId: str(f.probeInstanceId),
  };
  const endpoints = Object.fromEntries(PRODUCTS.map((p) => [p, { endpoint: sandbox.endpoint, protocol: 'http' as const }]));
  const cloud = new Cloud({ endpoints, retry: FAST_RETRY });
  const A = cloud.addAccount('A', facts.regionA, staticCredential(sandbox.accounts.A.accessKeyId, sandbox.accounts.A.accessKeySecret));
  const B = cloud.addAccount('B', facts.regionB, staticCredential(sandbox.accounts.B.accessKeyId, sandbox.accounts.B.accessKeySecret));
  let kube: Promise<Kube> | undefined;
  return {
    scenario,
    sandbox,
    cloud,
    A,
    B,
    facts,
    state: { routes: [], expireDuration: 3600 },
    kube: () => {
      kube ??= (async () => {
        const { config } = await cs.describeClusterUserKubeconfig(A, facts.clusterId);
        const kc = new KubeConfig();
        kc.loadFromString(config);
        return { kc, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
      })();
      return kube;
    },
    close: () => sandbox.close(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Step 1: network
// ---------------------------------------------------------------------------------------------------------------

/** Step 1.1: link B's VPC to the instance (no cr-managed PrivateZone record: DNS is ours) and read the registry's IP. */
export async function linkRegistryVpc(env: Env): Promise<string> {
  const { B, facts } = env;
  let current = await cr.getInstanceVpcEndpoint(B, facts.instanceId);
  if (current?.linkedVpcs.some((l) => l.vpcId === facts.vpcB && l.status === 'DELETING')) {
    // A link being removed cannot be requested again until it is gone.
    current = await poll('old link gone', () => cr.getInstanceVpcEndpoint(B, facts.instanceId), (e) => !e?.linkedVpcs.some((l) => l.vpcId === facts.vpcB));
  }
  if (!current?.linkedVpcs.some((l) => l.vpcId === facts.vpcB)) {
    await cr.createInstanceVpcEndpointLinkedVpc(B, { instanceId: facts.instanceId, vpcId: facts.vpcB, vswitchId: facts.vswitchesB[0]!, enableCreateDnsRecordInPvzt: false });
  }
  const endpoint = await poll(
    'linked VPC RUNNING',
    () => cr.getInstanceVpcEndpoint(B, facts.instanceId),
    (e) => e?.linkedVpcs.some((l) => l.vpcId === facts.vpcB && l.status === 'RUNNING' && l.ip !== '') ?? false,
  );
  const ip = endpoint!.linkedVpcs.find((l) => l.vpcId === facts.vpcB)!.ip;
  env.state.registryIp = ip;
  return ip;
}

/** Runs a shell script through Cloud Assistant and waits for every instance's result. */
export async function runScript(acct: AccountClient, instanceIds: string[], script: string, name = 'acr-xaccount'): Promise<ecs.InvocationResult[]> {
  const { invokeId } = await ecs.runCommand(acct, { instanceIds, commandContent: script, name, timeoutSeconds: 60 });
  return poll(
    `Cloud Assistant ${invokeId}`,
    () => ecs.describeInvocationResults(acct, { invokeId }),
    (results) => results.length === instanceIds.length && results.every((r) => ['Success', 'Failed', 'Stopped', 'Invalid', 'Aborted'].includes(r.invocationStatus)),
  );
}

/** Step 1.2: the auth-service and OSS domains resolved inside B's VPC (`getent hosts` on the probe instance). */
export async function resolveServiceAddresses(env: Env): Promise<{ authDomain: string; authIp: string; ossDomain: string; ossIp: string }> {
  const { B, facts } = env;
  const authDomain = `dockerauth-vpc.${facts.regionB}.aliyuncs.com`;
  // The instance's OSS bucket is `<instanceId>-registry`; from a VPC it is reached on the `-internal` endpoint.
  const ossDomain = `${facts.instanceId}-registry.oss-${facts.regionB}-internal.aliyuncs.com`;
  const [result] = await runScript(B, [facts.probeInstanceId], `getent hosts ${authDomain}\ngetent hosts ${ossDomain}\n`, 'acr-xaccount-resolve');
  if (!result || result.invocationStatus !== 'Success') throw new Error(`name lookup on ${facts.probeInstanceId} failed: ${json(result)}`);
  const addressOf = (domain: string): string => {
    const line = result.output.split('\n').find((l) => l.trim().split(/\s+/).slice(1).includes(domain));
    const ip = line?.trim().split(/\s+/)[0];
    if (!ip) throw new Error(`${domain} did not resolve on ${facts.probeInstanceId}: ${JSON.stringify(result.output)}`);
    return ip;
  };
  const out = { authDomain, authIp: addressOf(authDomain), ossDomain, ossIp: addressOf(ossDomain) };
  Object.assign(env.state, out);
  return out;
}

/** A's node vSwitches (from the node pools), the route tables they use, and their CIDRs. */
async function nodeNetwork(env: Env): Promise<{ routeTables: string[]; cidrs: string[] }> {
  const { A, facts } = env;
  const pools = await cs.describeClusterNodePools(A, facts.clusterId);
  const ids = [...new Set(pools.flatMap((p) => p.vSwitchIds))];
  const vsws = await Promise.all((ids.length > 0 ? ids : facts.vswitchesA).map((id) => vpc.describeVSwitchAttributes(A, id)));
  const routeTables = [...new Set(vsws.map((v) => v?.routeTableId).filter((t): t is string => Boolean(t)))];
  const cidrs = [...new Set(vsws.map((v) => v?.cidrBlock).filter((c): c is string => Boolean(c)))];
  env.state.nodeRouteTables = routeTables;
  env.state.nodeCidrs = cidrs;
  return { routeTables, cidrs };
}

/** B's route tables that answer for the registry: the linked vSwitch's table and the VPC's system table (service addresses). */
async function registryRouteTables(env: Env): Promise<string[]> {
  const { B, facts } = env;
  const linked = await vpc.describeVSwitchAttributes(B, facts.vswitchesB[0]!);
  const tables = await vpc.describeRouteTableList(B, { vpcId: facts.vpcB });
  const system = tables.find((t) => t.routeTableType === 'System')?.routeTableId;
  return [...new Set([linked?.routeTableId, system].filter((t): t is string => Boolean(t)))];
}

/** A route entry, created unless an equal one exists, then waited on until Available. */
async function ensureRoute(env: Env, route: MadeRoute): Promise<void> {
  const acct = route.account === 'A' ? env.A : env.B;
  const existing = await vpc.describeRouteEntryList(acct, { routeTableId: route.routeTableId, destinationCidrBlock: route.destinationCidrBlock });
  const same = existing.find((e) => e.nextHops.some((h) => h.nextHopId === route.nextHopId));
  if (!same) {
    // Something else holds the destination (e.g. a route left from an earlier attempt): ours replaces it.
    for (const other of existing.filter((e) => e.type === 'Custom')) await vpc.deleteRouteEntry(acct, { routeEntryId: other.routeEntryId });
    if (existing.length > 0) {
      await poll('old route gone', () => vpc.describeRouteEntryList(acct, { routeTableId: route.routeTableId, destinationCidrBlock: route.destinationCidrBlock }), (l) => l.length === 0);
    }
    await vpc.createRouteEntry(acct, {
      routeTableId: route.routeTableId,
      destinationCidrBlock: route.destinationCidrBlock,
      nextHopType: route.nextHopType,
      nextHopId: route.nextHopId,
      routeEntryName: `${NAMES.routePrefix}-${route.purpose}`,
      description: MARKER,
    });
  }
  await poll(
    `route ${route.destinationCidrBlock} in ${route.routeTableId}`,
    () => vpc.describeRouteEntryList(acct, { routeTableId: route.routeTableId, destinationCidrBlock: route.destinationCidrBlock }),
    (l) => l.some((e) => e.status === 'Available' && e.nextHops.some((h) => h.nextHopId === route.nextHopId)),
  );
  if (!env.state.routes.some((r) => r.account === route.account && r.routeTableId === route.routeTableId && r.destinationCidrBlock === route.destinationCidrBlock)) env.state.routes.push(route);
}

/** Routes in A for the registry, auth and OSS addresses, and in B back to A's node CIDRs, over `nextHop`. */
async function routeBothWays(env: Env, nextHopA: { type: string; id: string }, nextHopB: { type: string; id: string }): Promise<void> {
  const { routeTables, cidrs } = await nodeNetwork(env);
  const s = env.state;
  const targets: [MadeRoute['purpose'], string][] = [['registry', s.registryIp!], ['auth', s.authIp!], ['oss', s.ossIp!]];
  for (const table of routeTables) {
    for (const [purpose, ip] of targets) {
      await ensureRoute(env, { account: 'A', routeTableId: table, destinationCidrBlock: `${ip}/32`, nextHopType: nextHopA.type, nextHopId: nextHopA.id, purpose });
    }
  }
  for (const table of await registryRouteTables(env)) {
    for (const cidr of cidrs) await ensureRoute(env, { account: 'B', routeTableId: table, destinationCidrBlock: cidr, nextHopType: nextHopB.type, nextHopId: nextHopB.id, purpose: 'return' });
  }
}

/** The peering from A's VPC to B's: requested by A, accepted by B, waited on until Activated. */
export async function ensurePeering(env: Env, options: { accept?: boolean } = {}): Promise<string> {
  const { A, B, facts } = env;
  const existing = (await peer.listVpcPeerConnections(A, { vpcIds: [facts.vpcA] })).find(
    (c) => c.acceptingVpc.vpcId === facts.vpcB && !['Rejected', 'Expired', 'Deleting', 'Deleted'].includes(c.status),
  );
  const id =
    existing?.instanceId ??
    (await peer.createVpcPeerConnection(A, {
      vpcId: facts.vpcA,
      acceptingAliUid: facts.accountB,
      acceptingRegionId: facts.regionB,
      acceptingVpcId: facts.vpcB,
      name: NAMES.peering,
      description: MARKER,
    }));
  env.state.peeringId = id;
  const seen = await poll('peering reaches B', () => peer.getVpcPeerConnectionAttribute(B, id), (c) => c?.status === 'Accepting' || c?.status === 'Activated');
  if (options.accept === false) return id;
  if (seen?.status === 'Accepting') await peer.acceptVpcPeerConnection(B, id);
  await poll('peering Activated', () => peer.getVpcPeerConnectionAttribute(A, id), (c) => c?.status === 'Activated');
  return id;
}

async function networkPeering(env: Env): Promise<void> {
  await linkRegistryVpc(env);
  await resolveServiceAddresses(env);
  const id = await ensurePeering(env);
  await routeBothWays(env, { type: 'VpcPeer', id }, { type: 'VpcPeer', id });
  env.state.registryDomain = env.facts.registryVpcDomain;
}

/** A transit router of the CEN in a region, created unless there is one, waited on until Active. */
async function ensureTransitRouter(env: Env, cenId: string, regionId: string): Promise<string> {
  const { A } = env;
  const found = await cbn.listTransitRouters(A, { cenId, regionId });
  const id = found[0]?.transitRouterId ?? (await cbn.createTransitRouter(A, { cenId, regionId, name: `${NAMES.cen}-${regionId}`, description: MARKER }));
  await poll(`transit router ${regionId}`, () => cbn.listTransitRouters(A, { cenId, regionId, transitRouterId: id }), (l) => l[0]?.status === 'Active');
  return id;
}

/** A VPC attachment (B's with VpcOwnerId), created unless there is one, waited on until Attached. */
async function ensureVpcAttachment(env: Env, input: { regionId: string; transitRouterId: string; vpcId: string; vpcOwnerId?: string; vSwitches: vpc.VSwitch[] }): Promise<string> {
  const { A } = env;
  const zones = new Set((await cbn.listTransitRouterAvailableResource(A, input.regionId)).availableZones);
  const byZone = new Map<string, string>();
  for (const v of input.vSwitches) if (zones.has(v.zoneId) && !byZone.has(v.zoneId)) byZone.set(v.zoneId, v.vSwitchId);
  const existing = (await cbn.listTransitRouterVpcAttachments(A, { transitRouterId: input.transitRouterId, regionId: input.regionId, vpcId: input.vpcId }))[0];
  const id =
    existing?.attachmentId ??
    (await cbn.createTransitRouterVpcAttachment(A, {
      regionId: input.regionId,
      transitRouterId: input.transitRouterId,
      vpcId: input.vpcId,
      vpcOwnerId: input.vpcOwnerId,
      zoneMappings: [...byZone].map(([zoneId, vSwitchId]) => ({ zoneId, vSwitchId })),
      name: `${NAMES.cen}-${input.vpcId}`,
      description: MARKER,
    }));
  await poll(`attachment of ${input.vpcId}`, () => cbn.listTransitRouterVpcAttachments(A, { transitRouterId: input.transitRouterId, regionId: input.regionId, attachmentId: id }), (l) => l[0]?.status === 'Attached');
  return id;
}

/** The router's system route table forwards the attachment's traffic (association) and learns its routes (propagation). */
async function associateAndPropagate(env: Env, attachmentId: string, routeTableId: string, propagate = true): Promise<void> {
  const { A } = env;
  const associated = await cbnRoutes.listTransitRouterRouteTableAssociations(A, { attachmentId, routeTableId });
  if (!associated.some((l) => l.routeTableId === routeTableId)) await cbnRoutes.associateTransitRouterAttachmentWithRouteTable(A, { attachmentId, routeTableId });
  if (propagate) {
    const propagated = await cbnRoutes.listTransitRouterRouteTablePropagations(A, { routeTableId, attachmentId });
    if (!propagated.some((l) => l.attachmentId === attachmentId)) await cbnRoutes.enableTransitRouterRouteTablePropagation(A, { attachmentId, routeTableId });
  }
  await poll(`association of ${attachmentId}`, () => cbnRoutes.listTransitRouterRouteTableAssociations(A, { attachmentId, routeTableId }), (l) => l.some((x) => x.routeTableId === routeTableId && x.status === 'Active'));
  if (propagate) {
    await poll(`propagation of ${attachmentId}`, () => cbnRoutes.listTransitRouterRouteTablePropagations(A, { routeTableId, attachmentId }), (l) => l.some((x) => x.attachmentId === attachmentId && x.status === 'Active'));
  }
}

/** A static TR route, unless the table already has an Active route for exactly that destination. */
async function ensureTrRoute(env: Env, routeTableId: string, cidr: string, attachmentId: string): Promise<void> {
  const { A } = env;
  const routes = await cbnRoutes.listTransitRouterRouteEntries(A, routeTableId, { destinationCidrBlock: cidr, status: 'All' });
  if (!routes.some((r) => r.type === 'Static' && r.nextHopId === attachmentId)) {
    await cbnRoutes.createTransitRouterRouteEntry(A, { routeTableId, destinationCidrBlock: cidr, nextHopType: 'Attachment', nextHopId: attachmentId, name: NAMES.routePrefix, description: MARKER });
  }
  await poll(`TR route ${cidr}`, () => cbnRoutes.listTransitRouterRouteEntries(A, routeTableId, { destinationCidrBlock: cidr }), (l) => l.some((r) => r.status === 'Active' && r.nextHopId === attachmentId));
}

async function networkCen(env: Env): Promise<void> {
  const { A, B, facts } = env;
  await linkRegistryVpc(env);
  await resolveServiceAddresses(env);
  const cenId = (await cbn.describeCens(A, { name: NAMES.cen }))[0]?.cenId ?? (await cbn.createCen(A, { name: NAMES.cen, description: MARKER, tags: { 'managed-by': 'acr-xaccount' } }));
  await poll('CEN Active', () => cbn.describeCens(A, { cenId }), (l) => l[0]?.status === 'Active');
  const crossRegion = facts.regionA !== facts.regionB;
  const trA = await ensureTransitRouter(env, cenId, facts.regionA);
  const trB = crossRegion ? await ensureTransitRouter(env, cenId, facts.regionB) : trA;
  // B lets A's CEN attach its VPC.
  if (!(await vpc.describeGrantRulesToCen(B, facts.vpcB)).some((g) => g.cenId === cenId)) {
    await vpc.grantInstanceToCen(B, { instanceId: facts.vpcB, cenId, cenOwnerId: facts.accountA });
  }
  const attA = await ensureVpcAttachment(env, { regionId: facts.regionA, transitRouterId: trA, vpcId: facts.vpcA, vSwitches: await vpc.describeVSwitches(A, { vpcId: facts.vpcA }) });
  const attB = await ensureVpcAttachment(env, { regionId: facts.regionB, transitRouterId: trB, vpcId: facts.vpcB, vpcOwnerId: facts.accountB, vSwitches: await vpc.describeVSwitches(B, { vpcId: facts.vpcB }) });
  const [rtA] = await cbnRoutes.listTransitRouterRouteTables(A, trA, { type: 'System' });
  const [rtB] = crossRegion ? await cbnRoutes.listTransitRouterRouteTables(A, trB, { type: 'System' }) : [rtA];
  await associateAndPropagate(env, attA, rtA!.routeTableId);
  await associateAndPropagate(env, attB, rtB!.routeTableId);
  let peerAttachment: string | undefined;
  if (crossRegion) {
    const existing = (await cbn.listTransitRouterPeerAttachments(A, { transitRouterId: trA, regionId: facts.regionA })).find((p) => p.peerTransitRouterId === trB);
    peerAttachment =
      existing?.attachmentId ??
      (await cbn.createTransitRouterPeerAttachment(A, {
        transitRouterId: trA,
        regionId: facts.regionA,
        peerTransitRouterId: trB,
        peerTransitRouterRegionId: facts.regionB,
        bandwidth: 10,
        bandwidthType: 'DataTransfer',
        name: `${NAMES.cen}-${facts.regionA}-${facts.regionB}`,
        description: MARKER,
      }));
    await poll('inter-region connection Attached', () => cbn.listTransitRouterPeerAttachments(A, { transitRouterId: trA, regionId: facts.regionA, attachmentId: peerAttachment }), (l) => l[0]?.status === 'Attached');
    await associateAndPropagate(env, peerAttachment, rtA!.routeTableId);
    await associateAndPropagate(env, peerAttachment, rtB!.routeTableId);
  }
  // The auth-service and OSS addresses live behind B's VPC but in no vSwitch: B's attachment does not advertise
  // them, so they get static routes towards it (and, across regions, towards the inter-region connection in A's table).
  for (const ip of [env.state.authIp!, env.state.ossIp!]) {
    await ensureTrRoute(env, rtB!.routeTableId, `${ip}/32`, attB);
    if (crossRegion) {
      const learned = await cbnRoutes.listTransitRouterRouteEntries(A, rtA!.routeTableId, { destinationCidrBlock: `${ip}/32` });
      if (!learned.some((r) => r.status === 'Active')) await ensureTrRoute(env, rtA!.routeTableId, `${ip}/32`, peerAttachment!);
    }
  }
  env.state.cen = { cenId, trA, trB, attA, attB, peerAttachment, rtA: rtA!.routeTableId, rtB: rtB!.routeTableId };
  await routeBothWays(env, { type: 'Attachment', id: attA }, { type: 'Attachment', id: attB });
  env.state.registryDomain = facts.registryVpcDomain;
}

/** The NAT gateways' EIPs A's nodes leave through (what the registry's ACL must hold). */
export async function natEgressIps(env: Env): Promise<string[]> {
  const nats = await vpc.describeNatGateways(env.A, { vpcId: env.facts.vpcA });
  const ips = new Set<string>();
  for (const nat of nats) {
    for (const eip of await vpc.describeEipAddresses(env.A, { associatedInstanceId: nat.natGatewayId, associatedInstanceType: 'Nat' })) ips.add(eip.ipAddress);
  }
  return [...ips];
}

async function networkPublic(env: Env): Promise<void> {
  const { B, facts } = env;
  const endpoint = await cr.getInstanceEndpoint(B, facts.instanceId, 'Internet');
  if (!endpoint?.enabled) await cr.updateInstanceEndpointStatus(B, { instanceId: facts.instanceId, enable: true, endpointType: 'Internet' });
  await poll('Internet endpoint RUNNING', () => cr.getInstanceEndpoint(B, facts.instanceId, 'Internet'), (e) => e?.enabled === true && e.status === 'RUNNING');
  const ips = await natEgressIps(env);
  if (ips.length === 0) throw new Error(`A's VPC ${facts.vpcA} has no NAT gateway EIP: the nodes have no public egress`);
  const acl = (await cr.getInstanceEndpoint(B, facts.instanceId, 'Internet'))!.aclEntries.map((a) => a.entry);
  for (const ip of ips) {
    const entry = `${ip}/32`;
    if (!acl.includes(entry)) await cr.createInstanceEndpointAclPolicy(B, { instanceId: facts.instanceId, entry, comment: 'acr-xaccount cluster egress', endpointType: 'Internet' });
  }
  env.state.aclEntries = ips.map((ip) => `${ip}/32`);
  env.state.registryDomain = facts.registryInternetDomain;
}

/** Seed "Step 1": network connectivity for the chosen option. */
export async function setupNetwork(env: Env, kind: NetworkKind): Promise<void> {
  if (kind === 'peering') await networkPeering(env);
  else if (kind === 'cen') await networkCen(env);
  else await networkPublic(env);
  env.state.network = kind;
}

// ---------------------------------------------------------------------------------------------------------------
// Step 1 (end): DNS for the registry's VPC domain
// ---------------------------------------------------------------------------------------------------------------

/** A PrivateZone zone named exactly `zoneName` with an A record `rr` -> `ip`, bound to A's VPC (other bindings kept). */
export async function ensureZone(env: Env, zoneName: string, rr: string, ip: string): Promise<{ zoneId: string; recordId: number }> {
  const { A, facts } = env;
  const zoneId = (await pvtz.findZoneByName(A, zoneName))?.zoneId ?? (await pvtz.addZone(A, { zoneName, proxyPattern: 'ZONE' })).zoneId;
  const records = await pvtz.describeZoneRecords(A, zoneId, { keyword: rr });
  const record = records.find((r) => r.rr === rr && r.type === 'A');
  let recordId: number;
  if (!record) recordId = await pvtz.addZoneRecord(A, { zoneId, rr, type: 'A', value: ip, ttl: 60, remark: MARKER });
  else {
    recordId = record.recordId;
    if (record.value !== ip) await pvtz.updateZoneRecord(A, { recordId, rr, type: 'A', value: ip, ttl: 60 });
  }
  await pvtz.addZoneVpcBinding(A, zoneId, { vpcId: facts.vpcA, regionId: facts.regionA });
  return { zoneId, recordId };
}

/** The hosts script the nodes run: our block between the markers, everything else in /etc/hosts kept. */
export function hostsScript(lines: readonly string[]): string {
  const pattern = (marker: string) => marker.replace(/[/.*[\]^$\\]/g, '\\$&');
  return [
    'set -e',
    'tmp=$(mktemp)',
    `sed '/^${pattern(HOSTS_BLOCK_BEGIN)}$/,/^${pattern(HOSTS_BLOCK_END)}$/d' /etc/hosts > "$tmp"`,
    `cat >> "$tmp" <<'EOF'`,
    HOSTS_BLOCK_BEGIN,
    ...lines,
    HOSTS_BLOCK_END,
    'EOF',
    'cat "$tmp" > /etc/hosts',
    'rm -f "$tmp"',
    '',
  ].join('\n');
}

/** Seed "Resolve the ACR instance domain name": a PrivateZone zone for the exact VPC domain, or /etc/hosts on every node. */
export async function setupDns(env: Env, kind: DnsKind): Promise<void> {
  const { A, facts } = env;
  const ip = env.state.registryIp ?? (await linkRegistryVpc(env));
  if (kind === 'privatezone') {
    const { zoneId, recordId } = await ensureZone(env, facts.registryVpcDomain, '@', ip);
    env.state.zone = { zoneId, zoneName: facts.registryVpcDomain, recordId };
  } else {
    const nodes = (await cs.describeClusterNodes(A, facts.clusterId)).filter((n) => n.instanceRole !== 'Master');
    const instanceIds = nodes.map((n) => n.instanceId);
    const lines = [`${ip} ${facts.registryVpcDomain}`];
    const results = await runScript(A, instanceIds, hostsScript(lines), 'acr-xaccount-hosts');
    const bad = results.filter((r) => r.invocationStatus !== 'Success');
    if (bad.length > 0) throw new Error(`hosts script failed on ${bad.map((r) => `${r.instanceId}: ${r.output}`).join('; ')}`);
    env.state.hosts = { instanceIds, lines };
  }
  env.state.dns = kind;
}

// ---------------------------------------------------------------------------------------------------------------
// Step 2: authorization
// ---------------------------------------------------------------------------------------------------------------

export const PULL_POLICY: ram.PolicyDocument = {
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: ['cr:GetAuthorizationToken', 'cr:ListInstanceEndpoint', 'cr:PullRepository'], Resource: '*' }],
};

const assumePolicy = (targetArn: string): ram.PolicyDocument => ({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: targetArn }] });

const sameJson = (a: unknown, b: unknown) => json(a) === json(b);

/** A custom policy with exactly `document` as its default version. */
async function ensurePolicy(acct: AccountClient, name: string, document: ram.PolicyDocument, description: string): Promise<void> {
  const existing = await ram.getPolicy(acct, name);
  if (!existing) await ram.createPolicy(acct, { policyName: name, document, description });
  else if (!sameJson(existing.document, document)) await ram.createPolicyVersion(acct, name, document, { setAsDefault: true, rotateOldest: true });
}

async function ensureRolePolicy(acct: AccountClient, roleName: string, policyName: string): Promise<void> {
  if (!(await ram.listPoliciesForRole(acct, roleName)).some((p) => p.policyName === policyName)) await ram.attachPolicyToRole(acct, roleName, policyName);
}

/** A role whose trust policy holds `statement` (added beside any others, never replacing them) and whose MaxSessionDuration is at least `minSession`. */
async function ensureRole(acct: AccountClient, roleName: string, statement: ram.PolicyStatement, minSession: number, description: string): Promise<ram.RamRole> {
  const existing = await ram.getRole(acct, roleName);
  if (!existing) {
    return ram.createRole(acct, { roleName, trustPolicy: { Version: '1', Statement: [statement] }, description, maxSessionDuration: Math.max(3600, minSession) });
  }
  const trust = existing.assumeRolePolicy ?? { Version: '1', Statement: [] };
  const hasIt = trust.Statement.some((s) => sameJson(s, statement));
  const change: ram.UpdateRoleInput = {};
  if (!hasIt) change.trustPolicy = { Version: '1', Statement: [...trust.Statement, statement] };
  if (existing.maxSessionDuration < minSession) change.maxSessionDuration = minSession;
  return Object.keys(change).length > 0 ? ram.updateRole(acct, roleName, change) : existing;
}

/** RRSA on the cluster: ModifyCluster, then the task, then rrsa_config. */
export async function enableRrsa(env: Env): Promise<{ issuer: string; oidcArn: string }> {
  const { A, facts } = env;
  let detail = await cs.describeClusterDetail(A, facts.clusterId);
  if (!detail?.rrsa.enabled) {
    const taskId = await cs.modifyCluster(A, facts.clusterId, { enableRrsa: true });
    const task = await poll('RRSA task', () => cs.describeTaskInfo(A, taskId), (t) => t.state !== 'running');
    if (task.state !== 'success') throw new Error(`enabling RRSA failed: ${json(task)}`);
    detail = await poll('rrsa_config enabled', () => cs.describeClusterDetail(A, facts.clusterId), (d) => d?.rrsa.enabled === true);
    // Pods that started before now have no OIDC token mounted (seed: delete the helper's pod after enabling RRSA).
    env.state.rrsaEnabledAt = task.updated ?? new Date(0).toISOString();
  }
  const rrsa = { issuer: detail!.rrsa.issuer, oidcArn: detail!.rrsa.oidcArn };
  env.state.rrsa = rrsa;
  return rrsa;
}

/** Turns RRSA off (ModifyCluster enable_rrsa=false), waiting for the task. */
export async function disableRrsa(env: Env): Promise<void> {
  const { A, facts } = env;
  const taskId = await cs.modifyCluster(A, facts.clusterId, { enableRrsa: false });
  await poll('RRSA off', () => cs.describeTaskInfo(A, taskId), (t) => t.state !== 'running');
  await poll('rrsa_config disabled', () => cs.describeClusterDetail(A, facts.clusterId), (d) => d?.rrsa.enabled === false);
}

/** Role B's trust statement for a principal in A. */
export const trustRam = (principalArn: string): ram.PolicyStatement => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [principalArn] } });

/** Role A's trust statement: the cluster's OIDC provider, for the helper's service account only. */
export function trustOidc(rrsa: { issuer: string; oidcArn: string }, subject = HELPER_SA_SUBJECT): ram.PolicyStatement {
  return {
    Effect: 'Allow',
    Action: 'sts:AssumeRole',
    Principal: { Federated: [rrsa.oidcArn] },
    Condition: { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com', 'oidc:iss': rrsa.issuer, 'oidc:sub': subject } },
  };
}

export interface AuthOptions {
  /** Seconds the helper asks for (entry `expireDuration`); default 3600. */
  expireDuration?: number;
  /** Role B's MaxSessionDuration; default the expireDuration (at least 3600). */
  maxSessionDuration?: number;
}

/** Role B in account B with the pull policy, trusting `principalArn`. */
async function registryRole(env: Env, principalArn: string, options: AuthOptions): Promise<string> {
  const { B, facts } = env;
  const expire = options.expireDuration ?? env.state.expireDuration;
  await ensurePolicy(B, NAMES.policyB, PULL_POLICY, 'acr-xaccount: pull images from the registry');
  const role = await ensureRole(B, NAMES.roleB, trustRam(principalArn), options.maxSessionDuration ?? Math.max(3600, expire), `acr-xaccount: assumed by cluster ${facts.clusterId}`);
  if (options.maxSessionDuration !== undefined && role.maxSessionDuration !== options.maxSessionDuration) await ram.updateRole(B, NAMES.roleB, { maxSessionDuration: options.maxSessionDuration });
  await ensureRolePolicy(B, NAMES.roleB, NAMES.policyB);
  return role.arn || roleArn(facts.accountB, NAMES.roleB);
}

/** Seed "Step 2": RRSA (OIDC -> role A -> role B), the worker role (-> role B), or a RAM user's AccessKey in B. */
export async function setupAuth(env: Env, kind: AuthKind, options: AuthOptions = {}): Promise<void> {
  const { A, B, facts } = env;
  env.state.expireDuration = options.expireDuration ?? env.state.expireDuration;
  const roleBArn = roleArn(facts.accountB, NAMES.roleB);
  if (kind === 'rrsa') {
    const rrsa = await enableRrsa(env);
    // Role A may assume role B only; it is assumed only by the helper's service account through the cluster's OIDC provider.
    await ensurePolicy(A, NAMES.policyA, assumePolicy(roleBArn), 'acr-xaccount: assume the registry role in the registry account');
    const roleA = await ensureRole(A, NAMES.roleA, trustOidc(rrsa), 3600, `acr-xaccount: RRSA role of cluster ${facts.clusterId}`);
    await ensureRolePolicy(A, NAMES.roleA, NAMES.policyA);
    env.state.roleAArn = roleA.arn || roleArn(facts.accountA, NAMES.roleA);
    env.state.roleBArn = await registryRole(env, env.state.roleAArn, options);
  } else if (kind === 'worker-role') {
    const detail = await cs.describeClusterDetail(A, facts.clusterId);
    const workerRoleName = detail?.workerRamRoleName;
    if (!workerRoleName) throw new Error(`cluster ${facts.clusterId} has no worker RAM role`);
    const worker = await ram.getRole(A, workerRoleName);
    if (!worker) throw new Error(`worker role ${workerRoleName} does not exist in A`);
    await ensurePolicy(A, NAMES.workerPolicy, assumePolicy(roleBArn), 'acr-xaccount: let the worker role assume the registry role');
    await ensureRolePolicy(A, workerRoleName, NAMES.workerPolicy);
    env.state.workerRoleName = workerRoleName;
    env.state.workerRoleArn = worker.arn;
    env.state.roleBArn = await registryRole(env, worker.arn, options);
  } else {
    await ensurePolicy(B, NAMES.policyB, PULL_POLICY, 'acr-xaccount: pull images from the registry');
    if (!(await ram.getUser(B, NAMES.userB))) await ram.createUser(B, { userName: NAMES.userB, comments: MARKER });
    if (!(await ram.listPoliciesForUser(B, NAMES.userB)).some((p) => p.policyName === NAMES.policyB)) await ram.attachPolicyToUser(B, NAMES.userB, NAMES.policyB);
    const keys = await ram.listAccessKeys(B, NAMES.userB);
    const current = env.state.accessKey && keys.find((k) => k.accessKeyId === env.state.accessKey!.id && k.status === 'Active');
    if (!current) {
      // RAM allows two keys per user: rotate out the oldest rather than pile up.
      if (keys.length >= 2) await ram.deleteAccessKey(B, NAMES.userB, [...keys].sort((a, b) => String(a.createDate).localeCompare(String(b.createDate)))[0]!.accessKeyId);
      const key = await ram.createAccessKey(B, NAMES.userB);
      env.state.accessKey = { id: key.accessKeyId, secret: key.accessKeySecret.reveal() };
    }
  }
  env.state.auth = kind;
}

// ---------------------------------------------------------------------------------------------------------------
// Step 2.3: the passwordless add-on and its configuration
// ---------------------------------------------------------------------------------------------------------------

export interface AddonOptions {
  /** `all` or comma-separated namespaces; default `all` (as the seed's ConfigMap). */
  watchNamespace?: string;
  /** Service accounts the helper patches; default `default`. */
  serviceAccount?: string;
  /** Delete helper pods that started before RRSA was enabled (the seed's advice); default true. */
  restartHelper?: boolean;
  /** Replace the entry before it is written (e.g. a test's deliberate mistake). */
  entry?: (entry: Record<string, unknown>) => Record<string, unknown>;
}

/** The registry entry for the helper, per the seed's tables (AcrInstanceInfo / acr-registry-info). */
export function registryEntry(env: Env): Record<string, unknown> {
  const { facts, state } = env;
  const base = { instanceId: facts.instanceId, regionId: facts.regionB, domains: [facts.registryVpcDomain, facts.registryInternetDomain].join(',') };
  switch (state.auth) {
    case 'rrsa':
      return { ...base, assumeRoleARN: state.roleBArn, expireDuration: state.expireDuration, rrsaRoleARN: state.roleAArn, rrsaOIDCProviderRoleARN: state.rrsa!.oidcArn };
    case 'worker-role':
      return { ...base, assumeRoleARN: state.roleBArn, expireDuration: state.expireDuration };
    case 'access-key':
      return { ...base, customAccessKey: state.accessKey!.id, customAccessKeySecret: state.accessKey!.secret };
    default:
      throw new Error('set up authorization (setupAuth) before the add-on');
  }
}

/** Installs an add-on unless it is there, or rewrites its config when it differs; waits until it is active. */
async function ensureAddon(env: Env, name: string, config: string): Promise<void> {
  const { A, facts } = env;
  const installed = await addons.getClusterAddonInstance(A, facts.clusterId, name);
  if (!installed) {
    const taskId = await addons.installClusterAddons(A, facts.clusterId, [{ name, config }]);
    const task = await poll(`install ${name}`, () => cs.describeTaskInfo(A, taskId), (t) => t.state !== 'running');
    if (task.state !== 'success') throw new Error(`installing ${name} failed: ${json(task)}`);
  } else if (!sameJson(JSON.parse(installed.config || '{}'), { ...JSON.parse(installed.config || '{}'), ...JSON.parse(config) })) {
    await addons.modifyClusterAddon(A, facts.clusterId, name, config);
  }
  await poll(`${name} active`, () => addons.getClusterAddonInstance(A, facts.clusterId, name), (a) => a?.state === 'active');
}

/** The kube-system/acr-configuration ConfigMap with our entry merged in (other instances' entries kept). */
export async function writeHelperConfigMap(env: Env, entry: Record<string, unknown>, options: AddonOptions = {}): Promise<void> {
  const { core } = await env.kube();
  let existing: Awaited<ReturnType<CoreV1Api['readNamespacedConfigMap']>> | undefined;
  try {
    existing = await core.readNamespacedConfigMap({ name: 'acr-configuration', namespace: 'kube-system' });
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
  const data = { ...(existing?.data ?? {}) };
  const list = ((data['acr-registry-info'] ? parseYaml(data['acr-registry-info']) : []) as Record<string, unknown>[] | null) ?? [];
  const others = list.filter((e) => e.instanceId !== env.facts.instanceId && e.instanceId !== entry.instanceId);
  data['acr-registry-info'] = toYaml([...others, entry]);
  data['service-account'] = options.serviceAccount ?? 'default';
  data['watch-namespace'] = options.watchNamespace ?? 'all';
  data['expiring-threshold'] = data['expiring-threshold'] ?? '15m';
  if (env.state.auth === 'rrsa') data.rrsa = 'enable: true\n';
  if (existing) await core.replaceNamespacedConfigMap({ name: 'acr-configuration', namespace: 'kube-system', body: { ...existing, data } });
  else await core.createNamespacedConfigMap({ namespace: 'kube-system', body: { metadata: { name: 'acr-configuration', namespace: 'kube-system' }, data } });
}

/** Seed "Step 2.3": the managed add-on with its AcrInstanceInfo config, or the self-managed one and its ConfigMap. */
export async function installAddon(env: Env, edition: AddonEdition, options: AddonOptions = {}): Promise<void> {
  const entry = (options.entry ?? ((e) => e))(registryEntry(env));
  env.state.entry = entry;
  if (edition === 'managed') {
    if (env.state.auth !== 'rrsa') throw new Error('the managed add-on supports only RRSA for cross-account pulls');
    const config = { AcrInstanceInfo: [entry], enableRRSA: true, watchNamespace: options.watchNamespace ?? 'all', serviceAccount: options.serviceAccount ?? 'default', expiringThreshold: '15m' };
    env.state.addonConfig = config;
    await ensureAddon(env, MANAGED_HELPER, json(config));
  } else {
    const config = { tokenMode: env.state.auth === 'worker-role' ? 'workerRole' : 'auto' };
    env.state.addonConfig = config;
    await ensureAddon(env, SELF_MANAGED_HELPER, json(config));
    await writeHelperConfigMap(env, entry, options);
  }
  if (env.state.auth === 'rrsa' && env.state.rrsaEnabledAt && options.restartHelper !== false) await restartHelperIfOlderThan(env, env.state.rrsaEnabledAt);
  env.state.addon = edition;
}

/** Deletes the helper's pods that started before `since` (their Deployment starts fresh ones). Returns the pods deleted. */
export async function restartHelperIfOlderThan(env: Env, since: string): Promise<string[]> {
  const { core } = await env.kube();
  const pods = (await core.listNamespacedPod({ namespace: 'kube-system' })).items.filter(
    (p) => p.metadata?.name?.startsWith(SELF_MANAGED_HELPER) && !p.metadata.deletionTimestamp && p.metadata.creationTimestamp && p.metadata.creationTimestamp.getTime() < Date.parse(since),
  );
  for (const pod of pods) await core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: 'kube-system' });
  return pods.map((p) => p.metadata!.name!);
}

// ---------------------------------------------------------------------------------------------------------------
// Step 3: verify
// ---------------------------------------------------------------------------------------------------------------

export interface PodEvent {
  type: string;
  reason: string;
  message: string;
}

export interface PullCheck {
  ok: boolean;
  image: string;
  namespace: string;
  pod: string;
  /** The pod's events, oldest first. */
  events: PodEvent[];
  /** The `Successfully pulled image ...` or `Failed to pull image ...` message. */
  message: string;
}

export interface PullOptions {
  namespace?: string;
  serviceAccount?: string;
  /** `<repo>:<tag>` under the registry domain; default `team/app:1.4.2`. */
  repository?: string;
  /** The whole image reference (overrides `repository`). */
  image?: string;
  /** Leave the Deployment in place. */
  keep?: boolean;
}

let verifyCount = 0;

/** The image reference a pull test uses. */
export const imageOf = (env: Env, options: PullOptions = {}): string =>
  options.image ?? `${env.state.registryDomain ?? env.facts.registryVpcDomain}/${options.repository ?? 'team/app:1.4.2'}`;

/** Seed "Step 3": a Deployment with the image from B; waits for `Successfully pulled image` or `Failed` on its pod. */
export async function testPull(env: Env, options: PullOptions = {}): Promise<PullCheck> {
  const { core, apps } = await env.kube();
  const namespace = options.namespace ?? 'default';
  const image = imageOf(env, options);
  try {
    await core.readNamespace({ name: namespace });
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  }
  const name = `${NAMES.verify}-${++verifyCount}`;
  const labels = { app: name };
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name, labels: { ...labels, 'managed-by': 'acr-xaccount' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { ...(options.serviceAccount ? { serviceAccountName: options.serviceAccount } : {}), containers: [{ name: 'app', image, ports: [{ containerPort: 80 }] }] } },
      },
    },
  });
  try {
    const events = await poll(
      `pull events of ${name}`,
      async () => {
        const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${name}` });
        const pod = pods.items[0]?.metadata?.name;
        if (!pod) return { pod: '', events: [] as PodEvent[] };
        const list = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${pod}` });
        const sorted = [...list.items].sort((a, b) => Number(a.metadata?.resourceVersion ?? 0) - Number(b.metadata?.resourceVersion ?? 0));
        return { pod, events: sorted.map((e) => ({ type: e.type ?? '', reason: e.reason ?? '', message: e.message ?? '' })) };
      },
      (r) => r.events.some((e) => (e.reason === 'Pulled' && e.message.startsWith('Successfully pulled image')) || (e.reason === 'Failed' && e.message.startsWith('Failed to pull image'))),
      40,
    );
    const pulled = events.events.find((e) => e.reason === 'Pulled' && e.message.startsWith('Successfully pulled image'));
    const failed = events.events.find((e) => e.reason === 'Failed' && e.message.startsWith('Failed to pull image'));
    return { ok: Boolean(pulled), image, namespace, pod: events.pod, events: events.events, message: (pulled ?? failed)!.message };
  } finally {
    if (!options.keep) await apps.deleteNamespacedDeployment({ name, namespace });
  }
}

/** The sandbox kubelet's decision for a pull right now, without a pod (what `verify` and `doctor` map to a fix). */
export function decidePull(env: Env, options: PullOptions & { node?: number } = {}): PullResult {
  const world = env.sandbox.world;
  const cluster = clusterFacts(world, env.facts.clusterId);
  if (!cluster) throw new Error(`no cluster ${env.facts.clusterId}`);
  const worker = cluster.nodes.filter((n) => n.role === 'Worker')[options.node ?? 0];
  if (!worker) throw new Error(`cluster ${env.facts.clusterId} has no worker node ${options.node ?? 0}`);
  const node = { accountId: cluster.accountId, vpcId: cluster.vpcId, vSwitchId: worker.vSwitchId, ip: worker.privateIp, hosts: worker.hosts };
  return decideImagePull(world, cluster, node, { namespace: options.namespace ?? 'default', serviceAccount: options.serviceAccount ?? 'default' }, imageOf(env, options));
}

/** The helper's pods in kube-system (its workload exists once the add-on serves pulls). */
export async function helperPods(env: Env): Promise<string[]> {
  const { core } = await env.kube();
  const pods = await core.listNamespacedPod({ namespace: 'kube-system' });
  return pods.items.filter((p) => p.metadata?.name?.startsWith(SELF_MANAGED_HELPER) && !p.metadata.deletionTimestamp).map((p) => p.metadata!.name!);
}

/** The whole seed procedure for one combination. */
export async function setupAll(env: Env, combo: { network: NetworkKind; dns?: DnsKind; auth: AuthKind; addon: AddonEdition }, addonOptions: AddonOptions = {}): Promise<void> {
  await setupNetwork(env, combo.network);
  if (combo.dns) await setupDns(env, combo.dns);
  await setupAuth(env, combo.auth);
  await installAddon(env, combo.addon, addonOptions);
}

// ---------------------------------------------------------------------------------------------------------------
// Checks: the decision and a real pod must agree
// ---------------------------------------------------------------------------------------------------------------

export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Both the sandbox's decision and a real pod's events say the image was pulled. */
export async function expectPulled(env: Env, options: PullOptions = {}): Promise<PullCheck> {
  const decision = decidePull(env, options);
  assert.ok(decision.ok, `decideImagePull: ${JSON.stringify(decision)}`);
  const pull = await testPull(env, options);
  assert.ok(pull.ok, `pod events: ${JSON.stringify(pull.events)}`);
  assert.match(pull.message, new RegExp(`^Successfully pulled image "${escapeRe(pull.image)}" in [0-9.]+s \\([0-9.]+s including waiting\\)\\. Image size: \\d+ bytes\\.$`));
  assert.deepEqual(
    pull.events.filter((e) => ['Pulling', 'Pulled', 'Created', 'Started'].includes(e.reason)).map((e) => e.reason),
    ['Pulling', 'Pulled', 'Created', 'Started'],
  );
  return pull;
}

export interface Broken {
  link: PullLink;
  message: RegExp;
  detail?: RegExp;
}

/** The decision names `link`; the pod shows `Failed to pull image "<image>": <the same message>`, ErrImagePull, BackOff. */
export async function expectBroken(env: Env, expected: Broken, options: PullOptions = {}): Promise<PullCheck> {
  const decision = decidePull(env, options);
  assert.equal(decision.ok, false, `expected ${expected.link} to break the pull, but it succeeded: ${JSON.stringify(decision)}`);
  if (decision.ok) throw new Error('unreachable');
  assert.equal(decision.link, expected.link, `${decision.message} (${decision.detail})`);
  assert.match(decision.message, expected.message);
  if (expected.detail) assert.match(decision.detail ?? '', expected.detail);
  const pull = await testPull(env, options);
  assert.equal(pull.ok, false, `pod events: ${JSON.stringify(pull.events)}`);
  assert.equal(pull.message, `Failed to pull image "${pull.image}": ${decision.message}`);
  assert.deepEqual(
    pull.events.filter((e) => e.reason !== 'Scheduled').map((e) => [e.type, e.reason, e.reason === 'Failed' ? e.message.replace(/^Failed to pull image .*/, 'Failed to pull image ...') : e.message.replace(/".*"/, '"..."')]),
    [
      ['Normal', 'Pulling', 'Pulling image "..."'],
      ['Warning', 'Failed', 'Failed to pull image ...'],
      ['Warning', 'Failed', 'Error: ErrImagePull'],
      ['Normal', 'BackOff', 'Back-off pulling image "..."'],
    ],
  );
  return pull;
}

/** Deletes routes this setup made (in A or B); returns them. */
export async function deleteRoutes(env: Env, pick: (r: MadeRoute) => boolean): Promise<MadeRoute[]> {
  const routes = env.state.routes.filter(pick);
  assert.ok(routes.length > 0, 'no such route was made');
  for (const r of routes) {
    const removed = await vpc.deleteRouteEntry(r.account === 'A' ? env.A : env.B, { routeTableId: r.routeTableId, destinationCidrBlock: r.destinationCidrBlock, nextHopId: r.nextHopId });
    assert.equal(removed, true, `route ${r.destinationCidrBlock} in ${r.routeTableId} was not there`);
  }
  return routes;
}

/** A fresh world, set up with `combo` (unless undefined), closed when `run` ends. */
export async function withEnv(scenario: string, combo: Parameters<typeof setupAll>[1] | undefined, run: (env: Env) => Promise<void>, addonOptions: AddonOptions = {}): Promise<void> {
  const env = await openEnv(scenario);
  try {
    if (combo) await setupAll(env, combo, addonOptions);
    await run(env);
  } finally {
    await env.close();
  }
}
