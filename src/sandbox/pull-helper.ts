// The simulated aliyun-acr-credential-helper: which registry entries it serves, for which pods, and the
// credential chain it walks (RRSA -> role A -> role B, worker role -> role B, or an AccessKey) to get a token.
import { parse as parseYaml } from 'yaml';

import type { Caller } from './api.js';
import { accessKeyCaller, assumeRoleAs, assumeRoleForService, assumeRoleWithOidc, sessionCaller, type AssumeResult } from './identity.js';
import { kubeStore } from './kube/index.js';
import type { ClusterFacts } from './state/cs-seed.js';
import { mintOidcToken } from './state/ims.js';
import type { World } from './world.js';

export const HELPER_NAME = 'aliyun-acr-credential-helper';
export const HELPER_SUBJECT = `system:serviceaccount:kube-system:${HELPER_NAME}`;

/** One `acr-registry-info` entry (self-managed ConfigMap) or `AcrInstanceInfo` entry (managed add-on config). */
export interface RegistryEntry {
  instanceId?: string;
  regionId?: string;
  domains?: string;
  assumeRoleARN?: string;
  expireDuration?: number | string;
  rrsaRoleARN?: string;
  rrsaOIDCProviderRoleARN?: string;
  customAccessKey?: string;
  customAccessKeySecret?: string;
}

export interface HelperView {
  edition: 'managed' | 'self-managed';
  entries: RegistryEntry[];
  /** `all`, or namespaces. */
  watchNamespaces: string[];
  serviceAccounts: string[];
  rrsa: boolean;
  /** Self-managed only: `auto` | `workerRole` | `managedRole`. */
  tokenMode?: string;
  /** When the helper's pod last started: a token mounted by RRSA exists only if RRSA was on by then. */
  startedAtMs?: number;
}

const list = (value: unknown): string[] =>
  String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Reads the helper's configuration as the helper itself would; undefined when no helper is installed and active. */
export function helperView(world: World, cluster: ClusterFacts): HelperView | string {
  const addon = cluster.credentialHelper;
  if (!addon) return `the ${HELPER_NAME} add-on is not installed in cluster ${cluster.clusterId}`;
  if (addon.state !== 'active') return `the ${HELPER_NAME} add-on is ${addon.state}, not active`;
  const startedAtMs = helperStartedAt(world, cluster.clusterId) ?? addon.activeSinceMs;
  if (addon.edition === 'managed') {
    const c = addon.config as { AcrInstanceInfo?: RegistryEntry[]; enableRRSA?: boolean; watchNamespace?: string; serviceAccount?: string };
    return {
      edition: 'managed',
      entries: c.AcrInstanceInfo ?? [],
      watchNamespaces: list(c.watchNamespace ?? 'default'),
      serviceAccounts: list(c.serviceAccount ?? 'default'),
      rrsa: c.enableRRSA === true,
      startedAtMs,
    };
  }
  const configMap = kubeStore(world, cluster.clusterId).get('ConfigMap', 'kube-system', 'acr-configuration') as { data?: Record<string, string> } | undefined;
  if (!configMap) return 'the ConfigMap kube-system/acr-configuration does not exist';
  const data = configMap.data ?? {};
  let entries: RegistryEntry[] = [];
  try {
    const parsed = parseYaml(data['acr-registry-info'] ?? '') as unknown;
    entries = Array.isArray(parsed) ? (parsed as RegistryEntry[]) : [];
  } catch {
    return 'acr-registry-info in kube-system/acr-configuration is not valid YAML';
  }
  let rrsa = false;
  try {
    rrsa = (parseYaml(data.rrsa ?? '') as { enable?: boolean } | null)?.enable === true;
  } catch {
    rrsa = false;
  }
  return {
    edition: 'self-managed',
    entries,
    watchNamespaces: list(data['watch-namespace'] ?? 'default'),
    serviceAccounts: list(data['service-account'] ?? 'default'),
    rrsa,
    tokenMode: String((addon.config as { tokenMode?: string }).tokenMode ?? 'auto'),
    startedAtMs,
  };
}

/** Self-managed: the ConfigMap the add-on creates on install (assumed defaults; the seed then edits it). */
const DEFAULT_SELF_MANAGED_CONFIG = {
  'service-account': 'default',
  'watch-namespace': 'default',
  'expiring-threshold': '15m',
  'acr-registry-info': '- instanceId: ""\n',
  rrsa: 'enable: false\n',
};

/** What installing the credential helper starts in the cluster: its workload, and for self-managed its ConfigMap. */
export function startHelper(world: World, clusterId: string, addonName: string): void {
  if (addonName !== HELPER_NAME && addonName !== `managed-${HELPER_NAME}`) return;
  ensureHelperWorkload(world, clusterId);
  const store = kubeStore(world, clusterId);
  if (addonName === HELPER_NAME && !store.get('ConfigMap', 'kube-system', 'acr-configuration')) {
    store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'acr-configuration', namespace: 'kube-system' }, data: { ...DEFAULT_SELF_MANAGED_CONFIG } });
  }
}

/**
 * What uninstalling the credential helper takes away: its workload (the Deployment, with its pods, and the
 * ServiceAccount). Assumed: the acr-configuration ConfigMap stays, as user-edited configuration.
 */
export function stopHelper(world: World, clusterId: string, addonName: string): void {
  if (addonName !== HELPER_NAME && addonName !== `managed-${HELPER_NAME}`) return;
  const store = kubeStore(world, clusterId);
  if (store.get('Deployment', 'kube-system', HELPER_NAME)) store.delete('Deployment', 'kube-system', HELPER_NAME);
  if (store.get('ServiceAccount', 'kube-system', HELPER_NAME)) store.delete('ServiceAccount', 'kube-system', HELPER_NAME);
}

/**
 * The helper's workload in kube-system, as the add-on installs it: a ServiceAccount and a Deployment whose pod's
 * creation time is when the helper (re)started; restarting means deleting the pod.
 */
export function ensureHelperWorkload(world: World, clusterId: string): void {
  const store = kubeStore(world, clusterId);
  if (!store.get('ServiceAccount', 'kube-system', HELPER_NAME)) {
    store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: HELPER_NAME, namespace: 'kube-system' } });
  }
  if (!store.get('Deployment', 'kube-system', HELPER_NAME)) {
    const labels = { app: HELPER_NAME };
    store.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: HELPER_NAME, namespace: 'kube-system', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { serviceAccountName: HELPER_NAME, containers: [{ name: 'main', image: 'registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/aliyun-acr-credential-helper:v23.02.06.1-74e2172-aliyun' }] },
        },
      },
    });
  }
}

/** The newest start of a helper pod in kube-system, if the cluster runs one. */
function helperStartedAt(world: World, clusterId: string): number | undefined {
  const pods = kubeStore(world, clusterId).list('Pod', 'kube-system') as { metadata?: { name?: string; creationTimestamp?: string } }[];
  const times = pods.filter((p) => p.metadata?.name?.startsWith(HELPER_NAME)).map((p) => Date.parse(p.metadata?.creationTimestamp ?? ''));
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** The entry serving a registry domain, if any (an entry without domains serves all of its instance's). */
export function entryFor(view: HelperView, instanceId: string, domain: string): RegistryEntry | undefined {
  return view.entries.find((e) => e.instanceId === instanceId && (list(e.domains).length === 0 || list(e.domains).includes(domain)))
    ?? view.entries.find((e) => e.customAccessKey && !e.instanceId && list(e.domains).includes(domain));
}

export function servesPod(view: HelperView, namespace: string, serviceAccount: string): string | undefined {
  if (!view.watchNamespaces.includes('all') && !view.watchNamespaces.includes(namespace)) {
    return `the helper watches ${view.watchNamespaces.join(', ')}, not namespace ${namespace}`;
  }
  if (!view.serviceAccounts.map((s) => s.toLowerCase()).includes(serviceAccount.toLowerCase()) && !view.serviceAccounts.includes('*')) {
    return `the helper patches service account(s) ${view.serviceAccounts.join(', ')}, not ${serviceAccount}`;
  }
  return undefined;
}

export type ChainResult = { ok: true; caller: Caller; path: string } | { ok: false; link: string; detail: string };

const failed = (link: string, step: string, r: Extract<AssumeResult, { ok: false }>): ChainResult => ({ ok: false, link, detail: `${step}: ${r.code}: ${r.message}` });

/** Walks the entry's credential chain the way the helper does, on the world's current state. */
export function credentialChain(world: World, cluster: ClusterFacts, view: HelperView, entry: RegistryEntry): ChainResult {
  const duration = Number(entry.expireDuration ?? 3600);
  if (entry.customAccessKey) {
    const caller = accessKeyCaller(world, entry.customAccessKey);
    const key = world.data.accessKeys[entry.customAccessKey];
    if (!caller || key?.secret !== entry.customAccessKeySecret) {
      return { ok: false, link: 'access-key', detail: `the AccessKey ${entry.customAccessKey} in the helper configuration is not an active key with that secret` };
    }
    return { ok: true, caller, path: `AccessKey ${entry.customAccessKey}` };
  }
  if (!entry.assumeRoleARN) return { ok: false, link: 'helper-config', detail: 'the registry entry names no assumeRoleARN' };
  let first: Caller;
  let path: string;
  const useRrsa = view.rrsa && Boolean(entry.rrsaRoleARN);
  if (useRrsa) {
    if (!cluster.rrsa.enabled || !cluster.rrsa.issuer) return { ok: false, link: 'rrsa', detail: `RRSA is not enabled on cluster ${cluster.clusterId}` };
    if (view.startedAtMs !== undefined && (cluster.rrsa.enabledAtMs ?? 0) > view.startedAtMs) {
      return { ok: false, link: 'rrsa-restart', detail: 'RRSA was enabled after the helper started: its pod has no OIDC token mounted until it restarts' };
    }
    const token = mintOidcToken(world, { issuer: cluster.rrsa.issuer.split(',')[0]!, subject: HELPER_SUBJECT, audience: cluster.rrsa.audience ?? 'sts.aliyuncs.com', expiresInSec: 3600 });
    const a = assumeRoleWithOidc(world, { providerArn: entry.rrsaOIDCProviderRoleARN ?? '', roleArn: entry.rrsaRoleARN!, token, durationSeconds: 3600 });
    if (!a.ok) return failed('role-a-trust', `AssumeRoleWithOIDC ${entry.rrsaRoleARN}`, a);
    first = sessionCaller(a.session);
    path = `RRSA -> ${entry.rrsaRoleARN}`;
  } else {
    if (!cluster.workerRoleArn) return { ok: false, link: 'worker-role', detail: `cluster ${cluster.clusterId} has no worker RAM role` };
    const w = assumeRoleForService(world, { service: 'ecs.aliyuncs.com', roleArn: cluster.workerRoleArn, durationSeconds: 3600 });
    if (!w.ok) return failed('worker-role', `worker role ${cluster.workerRoleArn}`, w);
    first = sessionCaller(w.session);
    path = `worker role ${cluster.workerRamRoleName}`;
  }
  const b = assumeRoleAs(world, first, entry.assumeRoleARN, duration, { sessionName: 'acr-credential-helper' });
  // A refused duration is the session length, not the trust: a different fix (expireDuration vs MaxSessionDuration).
  if (!b.ok) return failed(b.code.startsWith('InvalidParameter.DurationSeconds') ? 'role-b-session' : 'role-b-trust', `AssumeRole ${entry.assumeRoleARN}`, b);
  return { ok: true, caller: sessionCaller(b.session), path: `${path} -> ${entry.assumeRoleARN}` };
}
