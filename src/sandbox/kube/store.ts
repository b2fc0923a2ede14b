// Where each simulated cluster's Kubernetes objects live: world.shared('kube'), keyed by cluster ID, plain JSON.
import { randomUUID } from 'node:crypto';

import type { World } from '../world.js';
import { clone, kubeTime, resourceByKind, type KindName, type KubeObject, type ResourceType } from './types.js';

export const DEFAULT_KUBE_VERSION = 'v1.31.1-aliyun.1';

export interface KubeClusterState {
  clusterId: string;
  /** gitVersion /version reports. */
  version: string;
  /** Bearer tokens this cluster accepts (until the CS state owns kubeconfig credentials). */
  tokens: string[];
  /** etcd's revision: every write takes the next one. */
  rv: number;
  /** Pod CIDR running pods take their IPs from. */
  podCidr: string;
  podIpSeq: number;
  /** plural -> `namespace/name` (or `name` for cluster-scoped kinds) -> object. */
  objects: Record<string, Record<string, KubeObject>>;
}

export interface KubeWorldState {
  clusters: Record<string, KubeClusterState>;
}

export const kubeWorld = (world: World): KubeWorldState => world.shared<KubeWorldState>('kube', () => ({ clusters: {} }));

export function findKubeCluster(world: World, clusterId: string): KubeClusterState | undefined {
  return kubeWorld(world).clusters[clusterId];
}

export function mustKubeCluster(world: World, clusterId: string): KubeClusterState {
  const cluster = findKubeCluster(world, clusterId);
  if (!cluster) throw new Error(`the sandbox has no Kubernetes state for cluster ${clusterId}; call seedKubeCluster first`);
  return cluster;
}

export function newClusterState(clusterId: string, version = DEFAULT_KUBE_VERSION, podCidr = '172.20.0.0/16'): KubeClusterState {
  return { clusterId, version, tokens: [], rv: 1, podCidr, podIpSeq: 0, objects: {} };
}

export const objectKey = (r: ResourceType, namespace: string | undefined, name: string): string => (r.namespaced ? `${namespace ?? ''}/${name}` : name);

function bucket(cluster: KubeClusterState, r: ResourceType): Record<string, KubeObject> {
  cluster.objects[r.plural] ??= {};
  return cluster.objects[r.plural]!;
}

/** The stored object itself (callers inside this folder mutate only through `rawPut`). */
export function rawGet(cluster: KubeClusterState, r: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
  return cluster.objects[r.plural]?.[objectKey(r, namespace, name)];
}

/** Stored objects of a kind, in etcd key order (namespace, then name). */
export function rawList(cluster: KubeClusterState, r: ResourceType, namespace?: string): KubeObject[] {
  const all = Object.entries(cluster.objects[r.plural] ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return all.map(([, o]) => o).filter((o) => !r.namespaced || namespace === undefined || o.metadata.namespace === namespace);
}

/** Stores `obj` under the next resourceVersion; returns the stored copy. */
export function rawPut(cluster: KubeClusterState, r: ResourceType, obj: KubeObject): KubeObject {
  cluster.rv += 1;
  const stored = clone(obj);
  stored.metadata.resourceVersion = String(cluster.rv);
  bucket(cluster, r)[objectKey(r, stored.metadata.namespace, stored.metadata.name)] = stored;
  return stored;
}

/** Stores `obj` only if it differs from what is stored (a no-op write keeps the resourceVersion, as the API server does). */
export function rawPutIfChanged(cluster: KubeClusterState, r: ResourceType, obj: KubeObject): KubeObject {
  const current = rawGet(cluster, r, obj.metadata.namespace, obj.metadata.name);
  if (current && sameIgnoringVersion(current, obj)) return current;
  return rawPut(cluster, r, obj);
}

export function rawDelete(cluster: KubeClusterState, r: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
  const b = cluster.objects[r.plural];
  const key = objectKey(r, namespace, name);
  const found = b?.[key];
  if (b && found) {
    delete b[key];
    cluster.rv += 1;
  }
  return found;
}

export function sameIgnoringVersion(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: '' } });
  return strip(a) === strip(b);
}

/** Server-set identity of a new object: uid, creation time, generation. */
export function stampNew(world: World, r: ResourceType, obj: KubeObject): void {
  obj.metadata.uid = randomUUID();
  obj.metadata.creationTimestamp = kubeTime(world.data.nowMs);
  if (r.generation) obj.metadata.generation = 1;
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Random suffix in the alphabet the API server's name generator and controllers use. */
export function randomSuffix(length = 5): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => SAFE_ALPHABET[b % SAFE_ALPHABET.length]).join('');
}

/** rand.SafeEncodeString: each character mapped into the vowel-free alphabet (pod-template-hash). */
export const safeEncode = (text: string): string => Array.from(text, (c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');

/** FNV-1a, 32 bits: the hash family the deployment controller uses for pod-template-hash. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Next pod IP from the cluster's pod CIDR (the sandbox never reuses one). */
export function nextPodIp(cluster: KubeClusterState): string {
  cluster.podIpSeq += 1;
  const [base] = cluster.podCidr.split('/');
  const octets = base!.split('.').map(Number);
  const n = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) + cluster.podIpSeq + 1;
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export const resource = (kind: KindName | string): ResourceType => resourceByKind(kind);
