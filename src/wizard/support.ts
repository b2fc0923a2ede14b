// Which clusters, registries, auth methods and add-on editions the helper supports, as short reasons for the
// wizard's lists: the same matrix the steps' preflight uses (src/steps/auth/support.ts), so they cannot drift.
import type { AddonEdition, AuthMode } from '../config/choices.js';
import { AUTH_SUPPORT, clusterKind, EDITION_SUPPORT, KIND_LABEL, type Support } from '../steps/auth/support.js';
import { versionAtLeast } from '../versions.js';
import type { ClusterInfo, RegistryInstanceInfo } from './sources.js';

/** `1.31.1-aliyun.1` -> `1.31.1`. */
export const shortVersion = (version: string): string => version.replace(/^v/, '').split('-')[0] ?? version;

/** `ACK managed Pro 1.31.1`. */
export function clusterLabel(cluster: ClusterInfo): string {
  const kind = clusterKind(cluster);
  const label = kind === 'other' ? `${cluster.clusterType}/${cluster.profile || 'Default'}` : KIND_LABEL[kind];
  return `${label} ${shortVersion(cluster.currentVersion) || '(version unknown)'}`;
}

const fits = (support: Support, cluster: ClusterInfo) => support.kinds.includes(clusterKind(cluster)) && versionAtLeast(cluster.currentVersion, support.minVersion);

/** Why this auth method is not offered for the cluster; undefined when it is. */
export function authProblem(mode: AuthMode, cluster: ClusterInfo): string | undefined {
  const support = AUTH_SUPPORT[mode];
  return fits(support, cluster) ? undefined : `needs ${support.text}; this is ${clusterLabel(cluster)}`;
}

/** Why this edition is not offered for the cluster and auth method; undefined when it is. */
export function editionProblem(edition: AddonEdition, cluster: ClusterInfo, auth: AuthMode): string | undefined {
  const support = EDITION_SUPPORT[edition];
  if (!fits(support, cluster)) return `installs on ${support.text}; this is ${clusterLabel(cluster)}`;
  if (edition === 'managed' && auth !== 'rrsa') return `supports only RRSA across accounts, not ${auth}`;
  return undefined;
}

const UNUSABLE_STATES = new Set(['failed', 'delete_failed', 'deleting', 'deleted', 'stopped']);

/** Why no setup can work on this cluster (no auth method supports it, or it is not usable); undefined when one can. */
export function clusterProblem(cluster: ClusterInfo): string | undefined {
  if (UNUSABLE_STATES.has(cluster.state)) return `cluster is ${cluster.state}`;
  if ((Object.keys(AUTH_SUPPORT) as AuthMode[]).some((mode) => !authProblem(mode, cluster))) return undefined;
  const kind = clusterKind(cluster);
  if (kind === 'other') return `${clusterLabel(cluster)} is not a cluster kind the helper supports (ACK managed, Edge, Serverless Pro, dedicated)`;
  if (kind === 'ack-serverless-basic') return 'ACK Serverless Basic supports no cross-account method: upgrade to Serverless Pro';
  return `Kubernetes ${shortVersion(cluster.currentVersion)} is below every supported version (RRSA 1.22+, worker role and AccessKey 1.20+): upgrade the cluster`;
}

// Seed: "ACR Personal Edition instances created on or before September 8, 2024".
const PERSONAL_CUTOFF = Date.UTC(2024, 8, 8, 23, 59, 59);

export const isEnterprise = (instance: Pick<RegistryInstanceInfo, 'edition'>): boolean => instance.edition.startsWith('Enterprise_');

/** `Enterprise Standard`, `Personal`. */
export const editionLabel = (instance: Pick<RegistryInstanceInfo, 'edition'>): string =>
  isEnterprise(instance) ? instance.edition.replace('_', ' ') : 'Personal';

/** Why the helper cannot use this registry instance; undefined when it can. */
export function registryProblem(instance: RegistryInstanceInfo): string | undefined {
  if (instance.status && instance.status !== 'RUNNING') return `instance is ${instance.status}`;
  if (isEnterprise(instance)) return undefined;
  const created = instance.createdAt?.getTime();
  if (created !== undefined && created <= PERSONAL_CUTOFF) return undefined;
  const when = instance.createdAt ? `created ${instance.createdAt.toISOString().slice(0, 10)}` : 'creation date unknown';
  return `Personal Edition ${when}: the helper supports Enterprise Edition, or Personal Edition created on or before 2024-09-08`;
}
