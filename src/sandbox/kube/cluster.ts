// A simulated cluster's Kubernetes state as the rest of the sandbox uses it: seeding, tokens, and a typed store.
import { createHash } from 'node:crypto';

import { findCluster, kubeTokenValid } from '../state/cs.js';
import type { World } from '../world.js';
import { reconcile } from './controllers.js';
import { recordEvent, type EventInput } from './events.js';
import { createObject, deleteObject, listObjects, patchObject, replaceObject, type DeleteOptions, type KubeCtx, type ListOptions, type WriteOptions } from './ops.js';
import type { PatchType } from './patch.js';
import { findKubeCluster, kubeWorld, newClusterState, rawGet, resource, type KubeClusterState } from './store.js';
import { clone, type KindName, type KubeObject, type KubeObjectInput } from './types.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface SeedKubeOptions {
  /** Extra namespaces besides default, kube-system, kube-public and kube-node-lease. */
  namespaces?: string[];
  /** Kubernetes version without the leading v (e.g. `1.31.1-aliyun.1`); default the CS cluster's, else 1.31.1-aliyun.1. */
  version?: string;
  podCidr?: string;
  /** A bearer token the API accepts (see setClusterToken). */
  token?: string;
}

/** Operations on one cluster's objects with the API server's rules; controllers run after every write. */
export class KubeStore {
  constructor(
    readonly world: World,
    readonly state: KubeClusterState,
  ) {}

  get clusterId(): string {
    return this.state.clusterId;
  }

  private get ctx(): KubeCtx {
    return { world: this.world, cluster: this.state };
  }

  /** A copy of one object, or undefined. */
  get(kind: KindName, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = rawGet(this.state, resource(kind), namespace, name);
    return found ? clone(found) : undefined;
  }

  /** Copies of the objects of a kind (all namespaces when `namespace` is undefined), with label/field selectors. */
  list(kind: KindName, namespace?: string, opts: ListOptions = {}): KubeObject[] {
    return listObjects(this.ctx, resource(kind), namespace, opts).items;
  }

  /** POST: refuses an existing name (AlreadyExists), a missing namespace (NotFound), invalid objects (Invalid). */
  create(obj: KubeObjectInput, opts: WriteOptions = {}): KubeObject {
    const r = resource(String(obj.kind) as KindName);
    const created = createObject(this.ctx, r, obj.metadata.namespace, obj, opts);
    this.reconcile();
    return created;
  }

  /** PUT: replaces an existing object (Conflict when metadata.resourceVersion is stale). */
  replace(obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    const r = resource(obj.kind as KindName);
    const replaced = replaceObject(this.ctx, r, obj.metadata.namespace, obj.metadata.name, obj, opts);
    this.reconcile();
    return replaced;
  }

  /** PATCH with a merge, strategic merge, JSON or apply patch. */
  patch(kind: KindName, namespace: string | undefined, name: string, patch: unknown, type: PatchType = 'merge', opts: WriteOptions = {}): KubeObject {
    const raw = typeof patch === 'string' ? patch : JSON.stringify(patch);
    const patched = patchObject(this.ctx, resource(kind), namespace, name, raw, type, { fieldManager: type === 'apply' ? 'sandbox' : undefined, ...opts });
    this.reconcile();
    return patched;
  }

  /** Creates or replaces without a resourceVersion check (seeding and simulated components). */
  put(obj: KubeObjectInput & { metadata: { name: string } }): KubeObject {
    const existing = this.get(obj.kind as KindName, obj.metadata.namespace, obj.metadata.name);
    if (!existing) return this.create(obj);
    const body = clone(obj) as KubeObject;
    delete (body.metadata as Partial<KubeObject['metadata']>).resourceVersion;
    return this.replace(body);
  }

  /** DELETE, with the garbage collector's cascade (a Deployment takes its ReplicaSets and Pods along). */
  delete(kind: KindName, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject {
    const result = deleteObject(this.ctx, resource(kind), namespace, name, opts);
    this.reconcile();
    return result.deleted;
  }

  /** Records an event about an object (aggregated by count when identical, like client-go). */
  recordEvent(involved: KubeObject, input: EventInput, mode: 'aggregate' | 'once' = 'aggregate'): KubeObject {
    return clone(recordEvent(this.world, this.state, involved, input, mode));
  }

  /** Runs the controllers, scheduler and kubelet decider once (what every API request does first). */
  reconcile(): void {
    syncVersion(this.world, this.state);
    reconcile(this.ctx);
  }
}

/** The CS cluster's current version wins, so an upgrade shows in /version and node info. */
function syncVersion(world: World, state: KubeClusterState): void {
  const cs = findCluster(world, state.clusterId);
  if (cs) state.version = `v${cs.cluster.currentVersion}`;
}

/** Creates a cluster's Kubernetes state as a fresh cluster has it: system namespaces, each with its default ServiceAccount. */
export function seedKubeCluster(world: World, clusterId: string, opts: SeedKubeOptions = {}): KubeStore {
  const clusters = kubeWorld(world).clusters;
  const cs = findCluster(world, clusterId);
  const version = opts.version ?? cs?.cluster.currentVersion;
  clusters[clusterId] ??= newClusterState(clusterId, version ? `v${version}` : undefined, opts.podCidr ?? cs?.cluster.podCidr);
  const store = new KubeStore(world, clusters[clusterId]!);
  const wanted = ['default', 'kube-node-lease', 'kube-public', 'kube-system', ...(opts.namespaces ?? [])];
  for (const name of wanted) if (!store.get('Namespace', undefined, name)) createObject({ world, cluster: store.state }, resource('Namespace'), undefined, { metadata: { name } });
  if (opts.token) setClusterToken(world, clusterId, opts.token);
  store.reconcile();
  return store;
}

/** The cluster's store; a cluster the CS state knows gets its Kubernetes state on first use. Undefined for unknown clusters. */
export function ensureKubeCluster(world: World, clusterId: string): KubeStore | undefined {
  const state = findKubeCluster(world, clusterId);
  if (state) return new KubeStore(world, state);
  const cs = findCluster(world, clusterId);
  if (!cs || cs.cluster.state === 'deleting' || cs.cluster.state === 'initial') return undefined;
  return seedKubeCluster(world, clusterId);
}

/** The store of a seeded (or CS-known) cluster; throws for an unknown one. */
export function kubeStore(world: World, clusterId: string): KubeStore {
  const store = ensureKubeCluster(world, clusterId);
  if (!store) throw new Error(`the sandbox has no cluster ${clusterId}; seed it with seedKubeCluster or seedCluster`);
  return store;
}

/** Lets the cluster's API accept `token` as a bearer token (only its SHA-256 is stored). */
export function setClusterToken(world: World, clusterId: string, token: string): void {
  const state = findKubeCluster(world, clusterId) ?? seedKubeCluster(world, clusterId).state;
  const hash = sha256(token);
  if (!state.tokens.includes(hash)) state.tokens.push(hash);
}

/** A token from DescribeClusterUserKubeconfig (CS state) or one set with setClusterToken. */
export function clusterTokenAccepted(world: World, clusterId: string, token: string): boolean {
  if (!token) return false;
  if (kubeTokenValid(world, clusterId, token)) return true;
  return findKubeCluster(world, clusterId)?.tokens.includes(sha256(token)) ?? false;
}
