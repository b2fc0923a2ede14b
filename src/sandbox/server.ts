// The simulator's HTTP front door: every product on one port, routed by x-acs-version/x-acs-action (CS by path),
// each request signed, validated against api-spec, authorised, then answered by a product module, always in JSON.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApiError, type CallContext, type Caller, type ProductModule } from './api.js';
import type { FaultSet } from './faults.js';
import { resolveCaller, secretOf } from './identity.js';
import { NonceCache, SignatureError, verifySignature } from './signature.js';
import { errorBody, SpecError, validateRoaRequest, validateRpcRequest, type ApiSpec, type ProductSpec, type RoaMatch, type SpecIndex } from './spec.js';
import type { World } from './world.js';

/** Decides whether a non-root caller may call an API (RAM policy evaluation); throws ApiError when not. */
export type Authorizer = (world: World, caller: Caller, product: string, action: string, params: Record<string, unknown>, region?: string) => void;

/** APIs the cloud serves without a signature: the caller proves itself with the request's own token. */
const ANONYMOUS_APIS = new Set(['sts:AssumeRoleWithOIDC']);

/** Handles requests under /k8s/ (the simulated clusters' Kubernetes API). */
export type KubeHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse, url: URL) => Promise<void> | void;

export interface ServerOptions {
  world: World;
  specs: SpecIndex;
  modules: readonly ProductModule[];
  faults: FaultSet;
  authorize?: Authorizer;
  kube?: KubeHandler;
  /** Called after every call that may have changed the world (to persist it). */
  onChange?: () => void;
  port?: number;
}

export interface RunningServer {
  url: string;
  /** host:port, as the SDKs' `endpoint` wants it. */
  endpoint: string;
  /** How many API calls were answered, by action (tests use it to prove a dry run sent no write). */
  calls: { product: string; action: string; accountId?: string; status: number }[];
  close(): Promise<void>;
}

const flatten = (query: URLSearchParams): Record<string, string> => Object.fromEntries(query);

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId });
  res.end(JSON.stringify(body));
}

/** RPC form bodies carry parameters too; JSON bodies are CS's. */
function formParams(req: IncomingMessage, body: Buffer): Record<string, string> {
  const type = header(req, 'content-type') ?? '';
  return type.includes('application/x-www-form-urlencoded') && body.length > 0 ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : {};
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { world, specs, faults } = options;
  const nonces = new NonceCache();
  const calls: RunningServer['calls'] = [];
  const handlers = new Map(options.modules.map((m) => [m.product, m]));
  let baseUrl = '';

  const handle = async (req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    // CS has its own /k8s/{ClusterId}/user_config; only the Kubernetes clients come without x-acs-version.
    if (url.pathname.startsWith('/k8s/') && !header(req, 'x-acs-version')) {
      if (options.kube) {
        await options.kube(req, body, res, url);
        options.onChange?.();
        return;
      }
      return send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'no cluster API here', reason: 'NotFound', code: 404 }, 'k8s');
    }
    // Not from the world's ID counter: reads must not change the IDs later writes get.
    const requestId = randomUUID().toUpperCase();
    const query = flatten(url.searchParams);
    const form = formParams(req, body);
    const version = header(req, 'x-acs-version') ?? form.Version ?? query.Version;
    const actionName = header(req, 'x-acs-action') ?? form.Action ?? query.Action;
    let product: ProductSpec | undefined;
    let api: ApiSpec | undefined;
    let roaMatch: RoaMatch | undefined;
    const record = { product: '?', action: actionName ?? '?', accountId: undefined as string | undefined, status: 200 };
    calls.push(record);
    try {
      const style = version ? specs.byVersion(version)[0]?.style : undefined;
      if (style === 'ROA') {
        product = specs.byVersion(version!)[0]!;
        roaMatch = specs.resolveRoa(product.key, req.method ?? 'GET', url.pathname);
        api = roaMatch.api;
      } else {
        api = specs.resolveRpc(version, actionName);
        product = specs.byVersion(version!)[0]!;
      }
      record.product = product.key;
      record.action = api.name;
      const anonymous = ANONYMOUS_APIS.has(`${product.key}:${api.name}`) && !header(req, 'authorization') && !query.Signature && !form.Signature;
      const caller: Caller = anonymous
        ? { accountId: '', type: 'root', arn: 'anonymous', accessKeyId: '' }
        : (() => {
            const principal = verifySignature(
              { method: req.method ?? 'GET', pathname: url.pathname, query, headers: req.headers, body },
              (ak) => secretOf(world, ak),
              new Date(),
              nonces,
            );
            return resolveCaller(world, principal.accessKeyId, principal.securityToken);
          })();
      record.accountId = caller.accountId;
      await faults.apply(product.key, api.name);
      const module = handlers.get(product.key);
      const ctxBase = { world, caller, product: product.key, action: api.name, requestId, baseUrl };
      world.data.nowMs = Math.max(world.data.nowMs, Date.now());
      world.tick();
      let result: unknown;
      if (roaMatch) {
        const match = roaMatch;
        const json = body.length > 0 && (header(req, 'content-type') ?? '').includes('json') ? JSON.parse(body.toString('utf8')) : undefined;
        const { params } = validateRoaRequest(api, { pathParams: match.pathParams, query, body: json });
        const region = String(query.RegionId ?? query.region_id ?? 'cn-hangzhou');
        if (!anonymous) options.authorize?.(world, caller, product.key, api.name, params, region);
        const handler = module?.roa?.[api.name];
        if (!handler) throw new ApiError('InvalidAction.NotFound', `The sandbox does not implement ${product.key} ${api.name} yet.`, 404);
        result = await handler({ ...ctxBase, region } satisfies CallContext, { pathParams: match.pathParams, query, body: json });
        send(res, 200, result ?? {}, requestId);
      } else {
        const { params } = validateRpcRequest(api, { ...query, ...form });
        const region = String(params.RegionId ?? query.RegionId ?? form.RegionId ?? 'cn-hangzhou');
        if (!anonymous) options.authorize?.(world, caller, product.key, api.name, params, region);
        const handler = module?.rpc?.[api.name];
        if (!handler) throw new ApiError('InvalidAction.NotFound', `The sandbox does not implement ${product.key} ${api.name} yet.`, 404);
        result = await handler({ ...ctxBase, region } satisfies CallContext, params);
        send(res, 200, { ...(result as object), RequestId: requestId }, requestId);
      }
      options.onChange?.();
    } catch (error) {
      const known = error instanceof ApiError || error instanceof SpecError || error instanceof SignatureError;
      const status = known ? (error as { status: number }).status : 500;
      const code = known ? (error as { code: string }).code : 'InternalError';
      const message = known ? (error as Error).message : `The sandbox failed: ${(error as Error).message ?? String(error)}`;
      record.status = status;
      send(res, status, errorBody(code, message, requestId, { style: product?.style ?? 'RPC', product: product?.product, status }), requestId);
    }
  };

  // RPC parameters travel in the query string; RunCommand scripts make it longer than Node's default 16 KB.
  const server: Server = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks), res).catch((error: unknown) => {
        // The SDKs choke on a non-JSON answer, so even a crash here answers JSON.
        if (!res.headersSent) send(res, 500, errorBody('InternalError', String(error), 'sandbox'), 'sandbox');
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    endpoint: `127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
