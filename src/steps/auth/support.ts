// The seed's support matrix: which cluster kinds and Kubernetes versions each auth mode and add-on edition
// work on, and a refusal that names the cluster's kind and version and the combinations that would work.
import type { AddonEdition, AuthMode, Config } from '../../config/schema.js';
import type { ClusterDetail } from '../../cloud/cs.js';
import { versionAtLeast } from '../../versions.js';

export type ClusterKind = 'ack-basic' | 'ack-pro' | 'ack-edge' | 'ack-serverless-basic' | 'ack-serverless-pro' | 'ack-dedicated' | 'other';

export const KIND_LABEL: Record<ClusterKind, string> = {
  'ack-basic': 'ACK managed Basic',
  'ack-pro': 'ACK managed Pro',
  'ack-edge': 'ACK Edge',
  'ack-serverless-basic': 'ACK Serverless Basic',
  'ack-serverless-pro': 'ACK Serverless Pro',
  'ack-dedicated': 'ACK dedicated',
  other: 'this kind of',
};

export function clusterKind(cluster: Pick<ClusterDetail, 'clusterType' | 'profile' | 'clusterSpec'>): ClusterKind {
  const pro = cluster.clusterSpec !== 'ack.standard';
  if (cluster.clusterType === 'Kubernetes') return 'ack-dedicated';
  if (cluster.clusterType !== 'ManagedKubernetes') return 'other';
  switch (cluster.profile || 'Default') {
    case 'Default':
      return pro ? 'ack-pro' : 'ack-basic';
    case 'Edge':
      return 'ack-edge';
    case 'Serverless':
      return pro ? 'ack-serverless-pro' : 'ack-serverless-basic';
    default:
      return 'other';
  }
}

/** `ACK dedicated cluster c123 (Kubernetes 1.31.1-aliyun.1)`. */
export function describeCluster(cluster: ClusterDetail): string {
  const kind = clusterKind(cluster);
  const label = kind === 'other' ? `${cluster.clusterType}/${cluster.profile || 'Default'}` : KIND_LABEL[kind];
  return `${label} cluster ${cluster.clusterId} (Kubernetes ${cluster.currentVersion || 'unknown'})`;
}

export interface Support {
  kinds: ClusterKind[];
  minVersion: string;
  text: string;
}

// Seed, "Supported clusters" per authorization method.
export const AUTH_SUPPORT: Record<AuthMode, Support & { editions: AddonEdition[] }> = {
  rrsa: { kinds: ['ack-basic', 'ack-pro', 'ack-edge', 'ack-serverless-pro'], minVersion: '1.22', editions: ['managed', 'self-managed'], text: 'ACK managed Basic/Pro, ACK Edge or ACK Serverless Pro on Kubernetes 1.22 or later' },
  'worker-role': { kinds: ['ack-basic', 'ack-pro', 'ack-dedicated'], minVersion: '1.20', editions: ['self-managed'], text: 'ACK managed Basic/Pro or ACK dedicated on Kubernetes 1.20 or later' },
  'access-key': { kinds: ['ack-basic', 'ack-pro', 'ack-dedicated'], minVersion: '1.20', editions: ['self-managed'], text: 'ACK managed Basic/Pro or ACK dedicated on Kubernetes 1.20 or later' },
};

// Seed, "Prerequisites": where each edition of the passwordless component installs.
export const EDITION_SUPPORT: Record<AddonEdition, Support> = {
  managed: { kinds: ['ack-basic', 'ack-pro', 'ack-edge', 'ack-serverless-basic', 'ack-serverless-pro'], minVersion: '1.22', text: 'ACK managed, ACK Serverless or ACK Edge clusters on Kubernetes 1.22 or later' },
  'self-managed': { kinds: ['ack-basic', 'ack-pro', 'ack-dedicated'], minVersion: '1.20', text: 'ACK managed or ACK dedicated clusters on Kubernetes 1.20 or later' },
};

const fits = (support: Support, cluster: ClusterDetail) => support.kinds.includes(clusterKind(cluster)) && versionAtLeast(cluster.currentVersion, support.minVersion);

/** Every (auth, edition) pair the cluster supports, as flags. */
function workingCombinations(cluster: ClusterDetail): string[] {
  const out: string[] = [];
  for (const [mode, support] of Object.entries(AUTH_SUPPORT) as [AuthMode, (typeof AUTH_SUPPORT)[AuthMode]][]) {
    if (!fits(support, cluster)) continue;
    for (const edition of support.editions) if (fits(EDITION_SUPPORT[edition], cluster)) out.push(`--auth ${mode} --edition ${edition}`);
  }
  return out;
}

function instead(cluster: ClusterDetail): string {
  const combos = workingCombinations(cluster);
  if (combos.length > 0) return `For this cluster use ${combos.join(', or ')}.`;
  return 'No authorization mode supports this cluster: upgrade it to Kubernetes 1.22 or later (ACK console: Cluster Information > Upgrade), or use an ACK managed cluster.';
}

/** Why the auth mode cannot work on this cluster, with what would; undefined when it can. */
export function authSupportProblem(config: Config, cluster: ClusterDetail): string | undefined {
  const support = AUTH_SUPPORT[config.auth.mode];
  if (fits(support, cluster)) return undefined;
  return `auth ${config.auth.mode} does not support the ${describeCluster(cluster)}: it needs ${support.text}. ${instead(cluster)}`;
}

/** Why the add-on edition cannot be used (on this cluster, or with this auth mode); undefined when it can. */
export function editionSupportProblem(config: Config, cluster: ClusterDetail): string | undefined {
  const edition = config.addon.edition;
  const support = EDITION_SUPPORT[edition];
  if (!fits(support, cluster)) {
    return `the ${edition} edition of aliyun-acr-credential-helper does not install on the ${describeCluster(cluster)}: it needs ${support.text}. ${instead(cluster)}`;
  }
  if (!AUTH_SUPPORT[config.auth.mode].editions.includes(edition)) {
    return `the ${edition} edition of aliyun-acr-credential-helper supports only auth rrsa across accounts, not ${config.auth.mode}: use --edition self-managed, or --auth rrsa.`;
  }
  return undefined;
}
