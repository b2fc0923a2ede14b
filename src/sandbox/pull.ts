// The simulated kubelet's image pull, decided from the whole world the way a real node experiences it:
// resolve the registry -> reach it -> resolve and reach the auth service -> credentials from the helper
// -> manifest -> resolve and reach OSS for the layers. The first broken link becomes the pod's events.
import type { Caller } from './api.js';
import { nodeInstance, setPodDecider, type KubeObject, type PodDecider, type PodDecision } from './kube/index.js';
import { publicEgress, registerServiceAddress, resolveFromVpc, routeBetween } from './network-path.js';
import { crResourceArn, isAllowed } from './policy.js';
import { credentialChain, ensureHelperWorkload, entryFor, helperView, servesPod, startHelper, stopHelper } from './pull-helper.js';
import { hasImage, registryByDomain, registryFacts, type RegistryFacts } from './state/cr-facts.js';
import { clusterFacts, type ClusterFacts } from './state/cs-seed.js';
import { onAddonActive, onAddonRemoved } from './state/cs.js';
import { cidrContains } from './state/vpc.js';
import type { World } from './world.js';

/** The link a failed pull broke; `verify` and `doctor` map it to a fix. */
export type PullLink =
  | 'dns-registry'
  | 'network-registry'
  | 'dns-auth'
  | 'network-auth'
  | 'helper'
  | 'helper-config'
  | 'helper-scope'
  | 'rrsa'
  | 'rrsa-restart'
  | 'role-a-trust'
  | 'role-b-trust'
  | 'role-b-session'
  | 'worker-role'
  | 'access-key'
  | 'permission'
  | 'image'
  | 'dns-oss'
  | 'network-oss';

export type PullResult = { ok: true; image: string; via: string } | { ok: false; image: string; link: PullLink; message: string; detail?: string };

interface Node {
  accountId: string;
  vpcId: string;
  vSwitchId: string;
  ip: string;
  hosts: string[];
}

/** Images from ACK's own system registry always pull: the add-ons' images are not what we simulate. */
const SYSTEM_REGISTRY = /\.ack\.aliyuncs\.com$/;
const DNS_SERVER = '100.100.2.136:53';

function parseImage(image: string): { domain: string; namespace: string; repository: string; tag: string } | undefined {
  const match = /^([^/]+\.[^/]+)\/([^/]+)\/([^:@]+)(?::([^@]+))?$/.exec(image);
  if (!match) return undefined;
  return { domain: match[1]!, namespace: match[2]!, repository: match[3]!, tag: match[4] ?? 'latest' };
}

const fail = (image: string, link: PullLink, message: string, detail?: string): PullResult => ({ ok: false, image, link, message, detail });
const noSuchHost = (domain: string) => `dial tcp: lookup ${domain} on ${DNS_SERVER}: no such host`;
const timeout = (ip: string) => `dial tcp ${ip}:443: i/o timeout`;

/** Resolves a name from the node and checks the path to it; undefined when both work. */
function reach(world: World, node: Node, domain: string, expected: string | string[] | undefined, overInternet: boolean): { link: 'dns' | 'network'; message: string; detail?: string } | { ip: string } {
  const answer = resolveFromVpc(world, node.accountId, node.vpcId, node.hosts, domain);
  if (!answer.ip) return { link: 'dns', message: noSuchHost(domain), detail: answer.reason };
  const serving = expected === undefined ? undefined : Array.isArray(expected) ? expected : [expected];
  if (serving && !serving.includes(answer.ip)) {
    return { link: 'network', message: timeout(answer.ip), detail: `${domain} resolves to ${answer.ip} (${answer.via}), but the service is at ${serving.join(' or ')}` };
  }
  if (overInternet) {
    const egress = publicEgress(world, node.accountId, node.vpcId, node.vSwitchId);
    if (!egress.ok) return { link: 'network', message: timeout(answer.ip), detail: egress.reason };
    return { ip: answer.ip };
  }
  const path = routeBetween(world, node, answer.ip);
  if (!path.ok) return { link: 'network', message: timeout(answer.ip), detail: path.reason };
  return { ip: answer.ip };
}

/** Decides one image pull for a pod on a node of a cluster. */
export function decideImagePull(world: World, cluster: ClusterFacts, node: Node, pod: { namespace: string; serviceAccount: string }, image: string): PullResult {
  const ref = parseImage(image);
  if (!ref) return fail(image, 'image', `failed to resolve reference "${image}": invalid reference format`);
  if (SYSTEM_REGISTRY.test(ref.domain)) return { ok: true, image, via: 'ACK system registry' };
  const owner = registryByDomain(world, ref.domain);
  const registry = owner ? registryFacts(world, owner.instanceId) : undefined;
  if (!owner || !registry) {
    const answer = resolveFromVpc(world, node.accountId, node.vpcId, node.hosts, ref.domain);
    return fail(image, 'dns-registry', answer.ip ? timeout(answer.ip) : noSuchHost(ref.domain), `no ACR instance serves ${ref.domain}`);
  }
  const overInternet = owner.kind === 'internet';
  exposeServiceAddresses(world, registry);

  // 1. The registry endpoint.
  const endpoint = overInternet ? internetEndpoint(world, registry, node) : vpcEndpoints(registry);
  if (!Array.isArray(endpoint) && typeof endpoint === 'object') return fail(image, 'network-registry', `failed to do request: Head "https://${ref.domain}/v2/${ref.namespace}/${ref.repository}/manifests/${ref.tag}": ${endpoint.message}`, endpoint.detail);
  // Any RUNNING linked VPC's address serves; the name must resolve to one of them.
  const registryPath = reach(world, node, ref.domain, endpoint, overInternet);
  if ('link' in registryPath) {
    return fail(image, registryPath.link === 'dns' ? 'dns-registry' : 'network-registry', `failed to do request: Head "https://${ref.domain}/v2/${ref.namespace}/${ref.repository}/manifests/${ref.tag}": ${registryPath.message}`, registryPath.detail);
  }

  // 2. The auth service named in the registry's 401 challenge.
  const authDomain = overInternet ? registry.auth.publicDomain : registry.auth.vpcDomain;
  const authPath = reach(world, node, authDomain, overInternet ? registry.auth.publicIp : registry.auth.vpcIp, overInternet);
  if ('link' in authPath) {
    return fail(image, authPath.link === 'dns' ? 'dns-auth' : 'network-auth', `failed to authorize: failed to fetch oauth token: Post "https://${authDomain}/auth": ${authPath.message}`, authPath.detail);
  }

  // 3. Credentials from the helper, and what they may do.
  const unauthorized = `failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${authDomain}/auth?scope=repository%3A${ref.namespace}%2F${ref.repository}%3Apull&service=registry.aliyuncs.com%3Acn-registry: 401 Unauthorized`;
  const view = helperView(world, cluster);
  if (typeof view === 'string') return fail(image, 'helper', unauthorized, view);
  const entry = entryFor(view, registry.instanceId, ref.domain);
  if (!entry) return fail(image, 'helper-config', unauthorized, `the helper configuration has no entry for instance ${registry.instanceId} and domain ${ref.domain}`);
  const scope = servesPod(view, pod.namespace, pod.serviceAccount);
  if (scope) return fail(image, 'helper-scope', unauthorized, scope);
  const chain = credentialChain(world, cluster, view, entry);
  if (!chain.ok) return fail(image, chain.link as PullLink, unauthorized, chain.detail);
  const denied = permissionProblem(world, chain.caller, registry, ref);
  if (denied) return fail(image, 'permission', `failed to authorize: failed to fetch oauth token: unexpected status: 403 Forbidden`, denied);

  // 4. The manifest.
  if (!hasImage(world, registry.instanceId, ref.namespace, ref.repository, ref.tag)) {
    return fail(image, 'image', `failed to resolve reference "${image}": ${image}: not found`, `no tag ${ref.tag} in ${ref.namespace}/${ref.repository}`);
  }

  // 5. The layers, redirected to OSS.
  const ossDomain = overInternet ? registry.oss.publicDomain : registry.oss.vpcDomain;
  const ossPath = reach(world, node, ossDomain, overInternet ? registry.oss.publicIp : registry.oss.vpcIp, overInternet);
  if ('link' in ossPath) {
    return fail(image, ossPath.link === 'dns' ? 'dns-oss' : 'network-oss', `failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://${ossDomain}/docker/registry/v2/blobs/sha256/4f/4f4fb700ef54/data": ${ossPath.message}`, ossPath.detail);
  }
  return { ok: true, image, via: `${overInternet ? 'Internet endpoint' : 'VPC endpoint'}; credentials: ${chain.path}` };
}

/** The VPC endpoint's addresses: one per linked VPC that is RUNNING. */
function vpcEndpoints(registry: RegistryFacts): string[] | { message: string; detail: string } {
  const running = registry.linkedVpcs.filter((l) => l.status === 'RUNNING');
  if (running.length > 0) return running.map((l) => l.ip);
  const pending = registry.linkedVpcs[0];
  return { message: 'dial tcp: i/o timeout', detail: pending ? `the linked VPC ${pending.vpcId} is ${pending.status}` : `instance ${registry.instanceId} has no linked VPC` };
}

/** The Internet endpoint's address, when enabled and its ACL lets the node's egress addresses in. */
function internetEndpoint(world: World, registry: RegistryFacts, node: Node): string | { message: string; detail: string } {
  if (!registry.internet.enabled || registry.internet.status !== 'RUNNING') {
    return { message: timeout(registry.internet.publicIp), detail: `the Internet endpoint of ${registry.instanceId} is ${registry.internet.enabled ? registry.internet.status : 'disabled'}` };
  }
  const acl = registry.internet.aclEntries;
  if (acl.length === 0) return registry.internet.publicIp;
  const egress = publicEgress(world, node.accountId, node.vpcId, node.vSwitchId);
  if (egress.ips.some((ip) => acl.some((entry) => cidrContains(entry.includes('/') ? entry : `${entry}/32`, ip)))) return registry.internet.publicIp;
  return { message: timeout(registry.internet.publicIp), detail: `the Internet endpoint's ACL (${acl.join(', ')}) does not hold the cluster's egress address(es) ${egress.ips.join(', ') || '(none)'}` };
}

/** Auth and OSS addresses live in every VPC linked to the instance (the registry's service network). */
function exposeServiceAddresses(world: World, registry: RegistryFacts): void {
  for (const link of registry.linkedVpcs.filter((l) => l.status === 'RUNNING')) {
    registerServiceAddress(world, registry.accountId, link.vpcId, registry.auth.vpcIp, 'ACR auth service');
    registerServiceAddress(world, registry.accountId, link.vpcId, registry.oss.vpcIp, 'ACR OSS storage');
  }
}

function permissionProblem(world: World, caller: Caller, registry: RegistryFacts, ref: { namespace: string; repository: string }): string | undefined {
  const token = crResourceArn(registry.regionId, registry.accountId);
  if (!isAllowed(world, caller, 'cr:GetAuthorizationToken', token)) return `${caller.arn} is not allowed cr:GetAuthorizationToken`;
  const repo = crResourceArn(registry.regionId, registry.accountId, { instanceId: registry.instanceId, namespace: ref.namespace, repository: ref.repository });
  if (!isAllowed(world, caller, 'cr:PullRepository', repo)) return `${caller.arn} is not allowed cr:PullRepository on ${repo}`;
  return undefined;
}

/** The node a pod runs on, as the network sees it (Serverless pods run on the cluster's vSwitches). */
function podNode(world: World, cluster: ClusterFacts, pod: KubeObject): Node | undefined {
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  const found = nodeName ? nodeInstance(world, cluster.clusterId, nodeName) : undefined;
  if (found) return { accountId: found.accountId, vpcId: found.instance.vpcId, vSwitchId: found.instance.vSwitchId, ip: found.instance.privateIp, hosts: found.instance.hosts };
  const vSwitchId = cluster.vSwitchIds[0];
  return vSwitchId ? { accountId: cluster.accountId, vpcId: cluster.vpcId, vSwitchId, ip: '', hosts: [] } : undefined;
}

/** The kubelet's view of a pod: Pulling, then Pulled and Running, or the failure and back-off. */
export const decidePodPull: PodDecider = (world, clusterId, pod): PodDecision => {
  const cluster = clusterFacts(world, clusterId);
  if (!cluster) return { phase: 'Pending', events: [] };
  if (cluster.credentialHelper?.state === 'active') ensureHelperWorkload(world, clusterId);
  const node = podNode(world, cluster, pod);
  if (!node) return { phase: 'Pending', events: [] };
  const spec = pod.spec as { serviceAccountName?: string; containers?: { name: string; image: string }[] };
  const namespace = String((pod.metadata as { namespace?: string }).namespace ?? 'default');
  const events: PodDecision['events'] = [];
  for (const container of spec.containers ?? []) {
    const fieldPath = `spec.containers{${container.name}}`;
    events.push({ type: 'Normal', reason: 'Pulling', message: `Pulling image "${container.image}"`, fieldPath });
    const result = decideImagePull(world, cluster, node, { namespace, serviceAccount: spec.serviceAccountName ?? 'default' }, container.image);
    if (!result.ok) {
      events.push({ type: 'Warning', reason: 'Failed', message: `Failed to pull image "${container.image}": ${result.message}`, fieldPath });
      events.push({ type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull', fieldPath });
      events.push({ type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${container.image}"`, fieldPath });
      return { phase: 'Pending', events, waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${container.image}"` } };
    }
    events.push({ type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "${container.image}" in 1.532s (1.532s including waiting). Image size: 15728640 bytes.`, fieldPath });
    events.push({ type: 'Normal', reason: 'Created', message: `Created container ${container.name}`, fieldPath });
    events.push({ type: 'Normal', reason: 'Started', message: `Started container ${container.name}`, fieldPath });
  }
  return { phase: 'Running', events };
};

/** Installs the decision as the sandbox kubelet's; the helper's workload starts with its add-on and goes with it. */
export function installPullDecider(): void {
  setPodDecider(decidePodPull);
  onAddonActive(startHelper);
  onAddonRemoved(stopHelper);
}

/** One name on the pull's network path, as a node sees it. */
export interface PathStep {
  domain: string;
  ok: boolean;
  /** What the name resolved to, and who answered (hosts, privatezone, public). */
  ip?: string;
  via?: string;
  /** `dns` or `network` when it fails, with the kubelet's message and the reason in words. */
  link?: 'dns' | 'network';
  message?: string;
  detail?: string;
}

export interface NetworkPathCheck {
  ok: boolean;
  clusterId: string;
  /** The node checked (a worker's instance ID; `cluster vSwitch ...` for a cluster without nodes). */
  node: string;
  image: string;
  registry: PathStep;
  auth: PathStep;
  oss: PathStep;
}

/**
 * The network part of a pull only (no credentials, no image): from a node of the cluster, do the registry, auth
 * and OSS names resolve, and are their addresses reachable (both ways) over the way the image's domain implies
 * (Internet endpoint or VPC endpoint)? `nodeId` picks the node; default the cluster's first worker.
 */
export function checkNetworkPath(world: World, clusterId: string, image: string, nodeId?: string): NetworkPathCheck {
  const cluster = clusterFacts(world, clusterId);
  if (!cluster) throw new Error(`checkNetworkPath: no cluster ${clusterId}`);
  const worker = nodeId ? cluster.nodes.find((n) => n.instanceId === nodeId) : cluster.nodes.find((n) => n.role === 'Worker');
  if (nodeId && !worker) throw new Error(`checkNetworkPath: ${nodeId} is not a node of ${clusterId}`);
  const vSwitchId = worker?.vSwitchId ?? cluster.vSwitchIds[0] ?? '';
  const node: Node = { accountId: cluster.accountId, vpcId: cluster.vpcId, vSwitchId, ip: worker?.privateIp ?? '', hosts: worker?.hosts ?? [] };
  const label = worker?.instanceId ?? `cluster vSwitch ${vSwitchId}`;
  const ref = parseImage(image);
  const domain = ref?.domain ?? image;
  const owner = ref ? registryByDomain(world, ref.domain) : undefined;
  const registry = owner ? registryFacts(world, owner.instanceId) : undefined;
  const step = (name: string, expected: string | string[] | { message: string; detail: string } | undefined, overInternet: boolean): PathStep => {
    const answer = resolveFromVpc(world, node.accountId, node.vpcId, node.hosts, name);
    const seen = { domain: name, ip: answer.ip, via: answer.via };
    if (expected && typeof expected === 'object' && !Array.isArray(expected)) return { ...seen, ok: false, link: 'network', message: expected.message, detail: expected.detail };
    const result = reach(world, node, name, expected, overInternet);
    return 'link' in result ? { ...seen, ok: false, link: result.link, message: result.message, detail: result.detail } : { ...seen, ok: true };
  };
  if (!owner || !registry) {
    const none = (name: string): PathStep => ({ domain: name, ok: false, link: 'dns', message: noSuchHost(name), detail: `no ACR instance serves ${domain}` });
    return { ok: false, clusterId, node: label, image, registry: none(domain), auth: none('(unknown auth domain)'), oss: none('(unknown OSS domain)') };
  }
  const overInternet = owner.kind === 'internet';
  exposeServiceAddresses(world, registry);
  const endpoint = overInternet ? internetEndpoint(world, registry, node) : vpcEndpoints(registry);
  const result = {
    registry: step(domain, endpoint, overInternet),
    auth: step(overInternet ? registry.auth.publicDomain : registry.auth.vpcDomain, overInternet ? registry.auth.publicIp : registry.auth.vpcIp, overInternet),
    oss: step(overInternet ? registry.oss.publicDomain : registry.oss.vpcDomain, overInternet ? registry.oss.publicIp : registry.oss.vpcIp, overInternet),
  };
  return { ok: result.registry.ok && result.auth.ok && result.oss.ok, clusterId, node: label, image, ...result };
}
