// The API server's verbs on stored objects: create, replace, patch, delete (with garbage collection), list.
import { parse as parseYaml } from 'yaml';

import type { World } from '../world.js';
import { isObject, jsonPatch, mergePatch, strategicMerge, type PatchType } from './patch.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { rawDelete, rawGet, rawList, rawPut, randomSuffix, resource, sameIgnoringVersion, stampNew, type KubeClusterState } from './store.js';
import {
  alreadyExists,
  apiVersionOf,
  badRequest,
  clone,
  conflict,
  forbidden,
  invalid,
  KubeError,
  kubeTime,
  notFound,
  RESOURCES,
  type Json,
  type JsonObject,
  type KubeObject,
  type ResourceType,
} from './types.js';
import { applyDefaults, validateObject } from './validate.js';

export interface KubeCtx {
  world: World;
  cluster: KubeClusterState;
}

export interface WriteOptions {
  /** `dryRun=All`: run every check, store nothing. */
  dryRun?: boolean;
  fieldManager?: string;
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const NAMESPACES = resource('Namespace');
/** Namespaces the API server refuses to delete. */
const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/** The request body as an object of this resource's kind (kind/apiVersion may be omitted, as the decoder allows). */
export function decodeBody(r: ResourceType, body: unknown): KubeObject {
  if (!isObject(body as Json)) throw badRequest(`the object provided is unrecognized (must be of type ${r.kind}): the body must be a JSON object`);
  const obj = clone(body) as KubeObject;
  if (obj.kind !== undefined && obj.kind !== r.kind) throw badRequest(`the object provided is unrecognized (must be of type ${r.kind}): kind ${String(obj.kind)}`);
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersionOf(r)) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersionOf(r)})`);
  }
  if (obj.metadata !== undefined && !isObject(obj.metadata as unknown as Json)) throw badRequest('metadata must be an object');
  const { kind: _k, apiVersion: _a, metadata, ...rest } = obj;
  const meta = { ...(metadata ?? {}) } as KubeObject['metadata'] & { managedFields?: unknown; selfLink?: unknown };
  // Server-managed bookkeeping a client may echo back; the sandbox does not track field managers.
  delete meta.managedFields;
  delete meta.selfLink;
  return { apiVersion: apiVersionOf(r), kind: r.kind, metadata: meta, ...rest };
}

function checkNamespace(r: ResourceType, obj: KubeObject, namespace: string | undefined): void {
  if (!r.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (obj.metadata.namespace && obj.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  obj.metadata.namespace = namespace;
}

/** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
function admitNamespace(ctx: KubeCtx, r: ResourceType, namespace: string | undefined, name: string): void {
  if (!r.namespaced) return;
  const ns = rawGet(ctx.cluster, NAMESPACES, undefined, namespace ?? '');
  if (!ns) throw notFound(NAMESPACES, namespace ?? '');
  if (ns.status?.phase === 'Terminating') throw forbidden(r, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
}

/** ServiceAccount admission: a pod's service account must exist. */
function admitPod(ctx: KubeCtx, obj: KubeObject, displayName: string): void {
  const sa = obj.spec?.serviceAccountName ?? obj.spec?.serviceAccount ?? 'default';
  if (!rawGet(ctx.cluster, resource('ServiceAccount'), obj.metadata.namespace, sa)) {
    throw forbidden(resource('Pod'), displayName, `error looking up service account ${obj.metadata.namespace}/${sa}: serviceaccount "${sa}" not found`);
  }
}

function initialStatus(r: ResourceType, obj: KubeObject): Json | undefined {
  switch (r.kind) {
    case 'Namespace':
      return { phase: 'Active' };
    case 'Pod': {
      const hasResources = (obj.spec?.containers ?? []).some((c: any) => Object.keys(c?.resources ?? {}).length > 0);
      return { phase: 'Pending', qosClass: hasResources ? 'Burstable' : 'BestEffort' };
    }
    case 'Deployment':
    case 'ReplicaSet':
      return {};
    default:
      return obj.status as Json | undefined;
  }
}

export function createObject(ctx: KubeCtx, r: ResourceType, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): KubeObject {
  const obj = decodeBody(r, body);
  checkNamespace(r, obj, namespace);
  if (obj.metadata.resourceVersion) throw new KubeError(500, 'InternalError', 'Internal error occurred: resourceVersion should not be set on objects to be created');
  const displayName = obj.metadata.name || obj.metadata.generateName || '';
  if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = `${obj.metadata.generateName}${randomSuffix()}`;
  if (!obj.metadata.name) throw invalid(r, '', [{ type: 'Required', field: 'metadata.name', detail: 'name or generateName is required' }]);
  admitNamespace(ctx, r, obj.metadata.namespace, displayName);
  applyDefaults(r, obj);
  if (r.kind === 'Pod') admitPod(ctx, obj, displayName);
  const errors = validateObject(r, obj);
  if (errors.length > 0) throw invalid(r, obj.metadata.name, errors);
  if (rawGet(ctx.cluster, r, obj.metadata.namespace, obj.metadata.name)) throw alreadyExists(r, obj.metadata.name);
  if (r.hasStatus) {
    const status = initialStatus(r, obj);
    if (status === undefined) delete obj.status;
    else obj.status = status;
  }
  delete obj.metadata.deletionTimestamp;
  delete obj.metadata.deletionGracePeriodSeconds;
  stampNew(ctx.world, r, obj);
  if (opts.dryRun) return obj;
  return clone(rawPut(ctx.cluster, r, obj));
}

/** The update path shared by PUT and PATCH: preconditions, system fields kept, status kept, validation, generation. */
function updateExisting(ctx: KubeCtx, r: ResourceType, existing: KubeObject, obj: KubeObject, opts: WriteOptions): KubeObject {
  const name = existing.metadata.name;
  if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== existing.metadata.resourceVersion) throw conflict(r, name);
  if (obj.metadata.uid && obj.metadata.uid !== existing.metadata.uid) {
    throw conflict(r, name, `Precondition failed: UID in precondition: ${obj.metadata.uid}, UID in object meta: ${existing.metadata.uid}`);
  }
  const next: KubeObject = {
    ...obj,
    metadata: {
      ...obj.metadata,
      name,
      namespace: existing.metadata.namespace,
      uid: existing.metadata.uid,
      creationTimestamp: existing.metadata.creationTimestamp,
      resourceVersion: existing.metadata.resourceVersion,
    },
  };
  if (!r.namespaced) delete next.metadata.namespace;
  for (const key of ['generation', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
    if (existing.metadata[key] === undefined) delete next.metadata[key];
    else (next.metadata as unknown as Record<string, unknown>)[key] = existing.metadata[key];
  }
  if (r.hasStatus) {
    if (existing.status === undefined) delete next.status;
    else next.status = clone(existing.status);
  }
  applyDefaults(r, next);
  const errors = validateObject(r, next, existing);
  if (errors.length > 0) throw invalid(r, name, errors);
  if (r.generation && JSON.stringify(existing.spec) !== JSON.stringify(next.spec)) next.metadata.generation = (existing.metadata.generation ?? 1) + 1;
  if (sameIgnoringVersion(existing, next)) return clone(existing);
  if (opts.dryRun) return next;
  return clone(rawPut(ctx.cluster, r, next));
}

export function replaceObject(ctx: KubeCtx, r: ResourceType, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions = {}): KubeObject {
  const obj = decodeBody(r, body);
  if (obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`);
  checkNamespace(r, obj, namespace);
  const existing = rawGet(ctx.cluster, r, namespace, name);
  if (!existing) {
    // Events are the one kind here whose strategy allows create-on-update.
    if (r.kind === 'Event') return createObject(ctx, r, namespace, { ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } }, opts);
    throw notFound(r, name);
  }
  return updateExisting(ctx, r, existing, obj, opts);
}

function parsePatch(raw: string, type: PatchType): unknown {
  try {
    return type === 'apply' ? parseYaml(raw) : JSON.parse(raw);
  } catch (error) {
    throw badRequest(type === 'apply' ? `error decoding YAML: ${(error as Error).message}` : `error decoding patch: ${(error as Error).message}`);
  }
}

export function patchObject(ctx: KubeCtx, r: ResourceType, namespace: string | undefined, name: string, raw: string, type: PatchType, opts: WriteOptions = {}): KubeObject {
  if (type === 'apply' && !opts.fieldManager) {
    throw new KubeError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
    });
  }
  const patch = parsePatch(raw, type) as Json;
  if (type !== 'json' && !isObject(patch)) throw badRequest('Invalid JSON Patch');
  const existing = rawGet(ctx.cluster, r, namespace, name);
  if (!existing) {
    // Server-side apply creates what does not exist; the other patch types need an object to patch.
    if (type !== 'apply') throw notFound(r, name);
    const meta = { ...((patch as JsonObject).metadata as JsonObject | undefined), name, namespace: namespace ?? null };
    return createObject(ctx, r, namespace, { ...(patch as JsonObject), metadata: meta }, opts);
  }
  const doc = clone(existing) as unknown as Json;
  // Server-side apply is approximated by a strategic merge (the sandbox does not track field ownership).
  const patched = type === 'json' ? jsonPatch(doc, patch) : type === 'merge' ? mergePatch(doc, patch) : strategicMerge(doc, patch);
  if (!isObject(patched)) throw badRequest('the patch did not produce an object');
  const obj = decodeBody(r, patched);
  if (obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`);
  if (r.namespaced && obj.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  return updateExisting(ctx, r, existing, obj, opts);
}

/** Objects in `namespace` whose ownerReferences name `owner` (the garbage collector's dependents). */
function dependentsOf(ctx: KubeCtx, owner: KubeObject): { r: ResourceType; obj: KubeObject }[] {
  const found: { r: ResourceType; obj: KubeObject }[] = [];
  for (const r of RESOURCES) {
    if (!r.namespaced) continue;
    for (const obj of rawList(ctx.cluster, r, owner.metadata.namespace)) {
      if ((obj.metadata.ownerReferences ?? []).some((ref) => ref.uid === owner.metadata.uid)) found.push({ r, obj });
    }
  }
  return found;
}

export interface DeleteResult {
  deleted: KubeObject;
  /** The response body: the object for pods and namespaces, else a Success Status. */
  body: JsonObject;
}

export function deleteObject(ctx: KubeCtx, r: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): DeleteResult {
  const existing = rawGet(ctx.cluster, r, namespace, name);
  if (!existing) throw notFound(r, name);
  const pre = opts.preconditions ?? {};
  if (pre.uid && pre.uid !== existing.metadata.uid) throw conflict(r, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`);
  if (pre.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
    throw conflict(r, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`);
  }
  if (r.kind === 'Namespace' && PROTECTED_NAMESPACES.includes(name)) throw forbidden(r, name, 'this namespace may not be deleted');
  const now = kubeTime(ctx.world.data.nowMs);
  const deleted = clone(existing);
  if (r.kind === 'Pod' && existing.spec?.nodeName) {
    const grace = opts.gracePeriodSeconds ?? existing.spec?.terminationGracePeriodSeconds ?? 30;
    deleted.metadata.deletionTimestamp = kubeTime(ctx.world.data.nowMs + grace * 1000);
    deleted.metadata.deletionGracePeriodSeconds = grace;
  }
  if (r.kind === 'Namespace') {
    deleted.metadata.deletionTimestamp = now;
    deleted.status = { ...(deleted.status ?? {}), phase: 'Terminating' };
  }
  if (!opts.dryRun) {
    for (const dep of dependentsOf(ctx, existing)) {
      if (opts.propagationPolicy === 'Orphan') {
        const orphan = clone(dep.obj);
        orphan.metadata.ownerReferences = (orphan.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== existing.metadata.uid);
        if (orphan.metadata.ownerReferences.length === 0) delete orphan.metadata.ownerReferences;
        rawPut(ctx.cluster, dep.r, orphan);
      } else if (rawGet(ctx.cluster, dep.r, dep.obj.metadata.namespace, dep.obj.metadata.name)) {
        // Background and Foreground both end with the dependents gone; the simulated GC is immediate.
        deleteObject(ctx, dep.r, dep.obj.metadata.namespace, dep.obj.metadata.name, { propagationPolicy: 'Background' });
      }
    }
    if (r.kind === 'Namespace') {
      // The namespace controller empties it now and removes it on a later pass (see controllers.ts).
      for (const nr of RESOURCES) if (nr.namespaced) for (const o of rawList(ctx.cluster, nr, name)) rawDelete(ctx.cluster, nr, name, o.metadata.name);
      const stored = rawPut(ctx.cluster, r, deleted);
      deleted.metadata.resourceVersion = stored.metadata.resourceVersion;
    } else {
      rawDelete(ctx.cluster, r, namespace, name);
    }
  }
  if (r.deleteReturnsObject) return { deleted, body: deleted as unknown as JsonObject };
  const details: JsonObject = r.group ? { name, group: r.group, kind: r.plural, uid: existing.metadata.uid } : { name, kind: r.plural, uid: existing.metadata.uid };
  return { deleted, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } };
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export function listObjects(ctx: KubeCtx, r: ResourceType, namespace: string | undefined, opts: ListOptions = {}): ListResult {
  const labels = parseLabelSelector(opts.labelSelector);
  const fields = parseFieldSelector(r.kind, opts.fieldSelector);
  let items = rawList(ctx.cluster, r, namespace).filter((o) => labels(o.metadata.labels) && fields(o));
  if (opts.continue) {
    let start: string;
    try {
      start = String(JSON.parse(Buffer.from(opts.continue, 'base64url').toString('utf8')).start);
    } catch {
      throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    }
    items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > start);
  }
  const result: ListResult = { items: items.map((o) => clone(o)), resourceVersion: String(ctx.cluster.rv) };
  if (opts.limit && opts.limit > 0 && items.length > opts.limit) {
    const last = items[opts.limit - 1]!;
    result.items = result.items.slice(0, opts.limit);
    result.continue = Buffer.from(JSON.stringify({ start: `${last.metadata.namespace ?? ''}/${last.metadata.name}` })).toString('base64url');
    result.remainingItemCount = items.length - opts.limit;
  }
  return result;
}

