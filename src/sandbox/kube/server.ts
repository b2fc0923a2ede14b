// The simulated clusters' Kubernetes API over HTTP under /k8s/<clusterId>/: discovery, CRUD verbs, Status errors.
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { KubeHandler } from '../server.js';
import type { World } from '../world.js';
import { clusterTokenAccepted, ensureKubeCluster, type KubeStore } from './cluster.js';
import { deleteObject, listObjects, patchObject, replaceObject, createObject, type DeleteOptions, type KubeCtx } from './ops.js';
import { patchTypeOf, PATCH_TYPES } from './patch.js';
import { rawGet } from './store.js';
import { apiVersionOf, badRequest, KubeError, notFound, pathNotFound, RESOURCES, resourceByPath, unauthorized, type JsonObject, type ResourceType } from './types.js';

interface Reply {
  status: number;
  body: unknown;
  /** text/plain answers (/healthz). */
  text?: boolean;
}

const ok = (body: unknown, status = 200): Reply => ({ status, body });

function discoveryList(groupVersion: string, group: string): JsonObject {
  const resources: JsonObject[] = [];
  for (const r of RESOURCES.filter((x) => x.group === group)) {
    const entry: JsonObject = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames) entry.shortNames = r.shortNames;
    resources.push(entry);
  }
  // Subresources follow their resource, as the real list orders them (KubernetesObjectApi takes the first match by kind).
  for (const r of RESOURCES.filter((x) => x.group === group && x.hasStatus)) resources.push({ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get'] });
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

function versionInfo(store: KubeStore): JsonObject {
  const gitVersion = store.state.version;
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '31',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-09-01T00:00:00Z',
    goVersion: 'go1.22.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** List answers drop kind/apiVersion from items, as the API server does. */
function listBody(r: ResourceType, result: ReturnType<typeof listObjects>): JsonObject {
  const metadata: JsonObject = { resourceVersion: result.resourceVersion };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  const items = result.items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest) as unknown as JsonObject[];
  return { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata, items };
}

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

function requireJson(req: IncomingMessage): void {
  const type = String(req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
  if (type !== 'application/json' && type !== '*/*') {
    throw new KubeError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
}

function writeOptions(query: URLSearchParams): { dryRun?: boolean; fieldManager?: string } {
  const dryRun = query.get('dryRun');
  if (dryRun !== null && dryRun !== 'All') throw badRequest(`Invalid dryRun value: ${dryRun}; supported values: "All"`);
  return { dryRun: dryRun === 'All', fieldManager: query.get('fieldManager') ?? undefined };
}

function deleteOptions(query: URLSearchParams, body: unknown): DeleteOptions {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, any>;
  const grace = query.get('gracePeriodSeconds') ?? b.gracePeriodSeconds;
  const orphan = (query.get('orphanDependents') ?? b.orphanDependents) === true || query.get('orphanDependents') === 'true';
  const propagation = query.get('propagationPolicy') ?? b.propagationPolicy ?? (orphan ? 'Orphan' : undefined);
  if (propagation !== undefined && !['Orphan', 'Background', 'Foreground'].includes(propagation)) {
    throw new KubeError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${propagation}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  const dryRun = query.get('dryRun') ?? (Array.isArray(b.dryRun) ? b.dryRun[0] : undefined);
  return { dryRun: dryRun === 'All', propagationPolicy: propagation, gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace), preconditions: b.preconditions };
}

interface Target {
  r: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Splits `/api/v1/...` or `/apis/<group>/<version>/...` after the group-version into resource, namespace, name, subresource. */
function resolveTarget(group: string, version: string, rest: string[]): Target {
  const [a, b, c, d, e] = rest;
  if (a === 'namespaces' && b !== undefined && c !== undefined) {
    const r = resourceByPath(group, version, c);
    if (r?.namespaced) return { r, namespace: b, name: d, subresource: e };
    // `/namespaces/<name>/status`
    const ns = resourceByPath(group, version, 'namespaces');
    if (ns && d === undefined && c === 'status') return { r: ns, name: b, subresource: 'status' };
    throw pathNotFound();
  }
  const r = a ? resourceByPath(group, version, a) : undefined;
  if (!r) throw pathNotFound();
  if (r.namespaced && b !== undefined) throw pathNotFound();
  return { r, name: b, subresource: c };
}

function serveResource(ctx: KubeCtx, req: IncomingMessage, body: Buffer, query: URLSearchParams, t: Target): Reply {
  const method = req.method ?? 'GET';
  const notAllowed = () => new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  if (query.get('watch') === 'true' || query.get('watch') === '1') throw badRequest('the sandbox Kubernetes API does not serve watch requests; poll with list'); // assumed limitation
  if (t.subresource !== undefined) {
    if (t.subresource !== 'status' || !t.r.hasStatus || !t.name) throw pathNotFound();
    if (method !== 'GET') throw notAllowed();
    const found = rawGet(ctx.cluster, t.r, t.namespace, t.name);
    if (!found) throw notFound(t.r, t.name);
    return ok(found);
  }
  // Listing in an absent namespace answers an empty list, as the API server does.
  if (t.name === undefined) {
    switch (method) {
      case 'GET': {
        const limit = query.get('limit');
        return ok(listBody(t.r, listObjects(ctx, t.r, t.namespace, { labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined, limit: limit ? Number(limit) : undefined, continue: query.get('continue') ?? undefined })));
      }
      case 'POST':
        if (t.r.namespaced && t.namespace === undefined) throw notAllowed();
        requireJson(req);
        return ok(createObject(ctx, t.r, t.namespace, parseJsonBody(body), writeOptions(query)), 201);
      case 'DELETE': {
        // deletecollection: every object the selectors match, answered as a list of what was deleted.
        const matched = listObjects(ctx, t.r, t.namespace, { labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined });
        const opts = deleteOptions(query, parseJsonBody(body));
        const deleted = matched.items.filter((o) => rawGet(ctx.cluster, t.r, o.metadata.namespace, o.metadata.name)).map((o) => deleteObject(ctx, t.r, o.metadata.namespace, o.metadata.name, opts).deleted);
        return ok(listBody(t.r, { items: deleted, resourceVersion: String(ctx.cluster.rv) }));
      }
      default:
        throw notAllowed();
    }
  }
  switch (method) {
    case 'GET': {
      const found = rawGet(ctx.cluster, t.r, t.namespace, t.name);
      if (!found) throw notFound(t.r, t.name);
      return ok(found);
    }
    case 'PUT':
      requireJson(req);
      return ok(replaceObject(ctx, t.r, t.namespace, t.name, parseJsonBody(body), writeOptions(query)));
    case 'PATCH': {
      const type = patchTypeOf(req.headers['content-type']);
      if (!type) {
        throw new KubeError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${Object.values(PATCH_TYPES).join(', ')}`);
      }
      const existed = rawGet(ctx.cluster, t.r, t.namespace, t.name) !== undefined;
      const result = patchObject(ctx, t.r, t.namespace, t.name, body.toString('utf8'), type, writeOptions(query));
      return ok(result, existed ? 200 : 201);
    }
    case 'DELETE': {
      const { deleted, body: answer } = deleteObject(ctx, t.r, t.namespace, t.name, deleteOptions(query, parseJsonBody(body)));
      // A pod that still has to stop answers 202 Accepted; an immediate delete 200.
      return ok(answer, t.r.kind === 'Pod' && deleted.metadata.deletionTimestamp ? 202 : 200);
    }
    default:
      throw notAllowed();
  }
}

const PUBLIC_PATHS = new Set(['version', 'healthz', 'livez', 'readyz']);

function route(store: KubeStore, req: IncomingMessage, body: Buffer, segments: string[], query: URLSearchParams, serverAddress: string): Reply {
  const [head, ...rest] = segments;
  if (head === undefined) return ok({ paths: ['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/healthz', '/livez', '/readyz', '/version'] });
  if (PUBLIC_PATHS.has(head) && rest.length === 0) return head === 'version' ? ok(versionInfo(store)) : { status: 200, body: 'ok', text: true };
  const ctx: KubeCtx = { world: store.world, cluster: store.state };
  if (head === 'api') {
    if (rest.length === 0) return ok({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] });
    if (rest[0] !== 'v1') throw pathNotFound();
    if (rest.length === 1) return ok(discoveryList('v1', ''));
    return serveResource(ctx, req, body, query, resolveTarget('', 'v1', rest.slice(1)));
  }
  if (head === 'apis') {
    const apps = { groupVersion: 'apps/v1', version: 'v1' };
    if (rest.length === 0) return ok({ kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [apps], preferredVersion: apps }] });
    if (rest[0] !== 'apps') throw pathNotFound();
    if (rest.length === 1) return ok({ kind: 'APIGroup', apiVersion: 'v1', name: 'apps', versions: [apps], preferredVersion: apps });
    if (rest[1] !== 'v1') throw pathNotFound();
    if (rest.length === 2) return ok(discoveryList('apps/v1', 'apps'));
    return serveResource(ctx, req, body, query, resolveTarget('apps', 'v1', rest.slice(2)));
  }
  throw pathNotFound();
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.text) {
    res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(String(reply.body));
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(reply.body));
}

function bearer(req: IncomingMessage): string | undefined {
  const header = String(req.headers.authorization ?? '');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1];
}

/**
 * The KubeHandler the sandbox server mounts under /k8s/: each request moves the simulated clock like a cloud call,
 * runs the controllers, authenticates the bearer token, then serves the verb.
 */
export function createKubeHandler(world: World, baseUrl: () => string): KubeHandler {
  return (req, body, res, url) => {
    try {
      const [, , clusterId = '', ...segments] = url.pathname.split('/').map((s) => decodeURIComponent(s));
      const store = ensureKubeCluster(world, clusterId);
      if (!store) throw pathNotFound();
      world.data.nowMs = Math.max(world.data.nowMs, Date.now());
      world.tick();
      const path = segments.filter((s, i) => s !== '' || i < segments.length - 1);
      const token = bearer(req);
      // Anonymous requests may read /version and the health endpoints (system:public-info-viewer); others are refused.
      const isPublic = path.length === 1 && PUBLIC_PATHS.has(path[0]!);
      if (token !== undefined ? !clusterTokenAccepted(world, clusterId, token) : !isPublic) throw unauthorized();
      store.reconcile();
      const reply = route(store, req, body, path, url.searchParams, new URL(baseUrl() || 'http://127.0.0.1').host);
      if (req.method !== 'GET' && reply.status < 300) store.reconcile();
      send(res, reply);
    } catch (error) {
      const status = error instanceof KubeError ? error : new KubeError(500, 'InternalError', `Internal error occurred: ${(error as Error).message ?? String(error)}`);
      send(res, { status: status.code, body: status.toStatus() });
    }
  };
}

