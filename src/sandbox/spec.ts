// The sandbox's view of the Alibaba Cloud APIs: api-spec/*.json loaded once, indexed by product code and
// by API version (the RPC server routes on x-acs-version + x-acs-action), plus a path matcher for ROA (CS).
// Request and response validation live in spec-validate.ts; the types and errors in spec-model.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

import { actionNotFound, invalidVersion, missingParameter, type ApiSpec, type ProductSpec } from './spec-model.js';

export * from './spec-model.js';
export { parseRpcParams, validateRpcRequest, validateRoaRequest, validateResponse } from './spec-validate.js';
export type { ParsedRequest, RoaRequest } from './spec-validate.js';

/** One compiled ROA route: the API and a matcher for its path template. */
interface RoaRoute {
  api: ApiSpec;
  method: string;
  segments: RouteSegment[];
}

type RouteSegment = { literal: string } | { param: string };

export interface RoaMatch {
  api: ApiSpec;
  /** Path parameters by their template names, percent-decoded. */
  pathParams: Record<string, string>;
}

export interface SpecIndex {
  /** By lower-case product key (`cbn`, `cs`, `ecs`, ...) and by the metadata's product code (`Cbn`, `CS`, `Ecs`). */
  product(name: string): ProductSpec | undefined;
  /** Every product answering to an API version (normally one; two products may share a version). */
  byVersion(version: string): ProductSpec[];
  readonly products: readonly ProductSpec[];
  /** The RPC API for a version + action, or the gateway's error (InvalidVersion, InvalidAction.NotFound). */
  resolveRpc(version: string | undefined, action: string | undefined, product?: string): ApiSpec;
  /** The ROA API for a method + path (query string ignored), most specific template first; undefined if none. */
  matchRoa(product: string, method: string, path: string): RoaMatch | undefined;
  /** Like matchRoa, but answers the gateway's InvalidAction.NotFound when nothing matches. */
  resolveRoa(product: string, method: string, path: string): RoaMatch;
}

/** Where api-spec/ sits: two levels up from this module, both from src/sandbox (tsx) and dist/sandbox (installed). */
export const DEFAULT_SPEC_DIR: string = fileURLToPath(new URL('../../api-spec/', import.meta.url));

const cache = new Map<string, SpecIndex>();

/** Reads and indexes every api-spec/*.json in `dir`, once per directory. */
export function loadSpecs(dir: string = DEFAULT_SPEC_DIR): SpecIndex {
  const cached = cache.get(dir);
  if (cached) return cached;
  const products = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => readProduct(join(dir, file), file.slice(0, -'.json'.length)));
  const index = buildIndex(products);
  cache.set(dir, index);
  return index;
}

function readProduct(path: string, key: string): ProductSpec {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Omit<ProductSpec, 'key'>;
  if (!raw.product || !raw.version || !raw.apis) throw new Error(`${path} is not an api-spec file (no product/version/apis)`);
  // Each API learns its own name and product, so validators and error messages need no extra context.
  const apis: Record<string, ApiSpec> = {};
  for (const [name, api] of Object.entries(raw.apis)) apis[name] = { ...api, name, product: raw.product };
  return { ...raw, key, apis };
}

function buildIndex(products: ProductSpec[]): SpecIndex {
  const byName = new Map<string, ProductSpec>();
  const byVersion = new Map<string, ProductSpec[]>();
  const routes = new Map<ProductSpec, RoaRoute[]>();
  for (const spec of products) {
    byName.set(spec.key.toLowerCase(), spec);
    byName.set(spec.product.toLowerCase(), spec);
    byVersion.set(spec.version, [...(byVersion.get(spec.version) ?? []), spec]);
    if (spec.style === 'ROA') routes.set(spec, compileRoutes(spec));
  }
  const product = (name: string) => byName.get(name.toLowerCase());

  const matchRoa = (name: string, method: string, path: string): RoaMatch | undefined => {
    const spec = product(name);
    if (!spec) return undefined;
    const parts = splitPath(path);
    const verb = method.toUpperCase();
    for (const route of routes.get(spec) ?? []) {
      if (route.method !== verb) continue;
      const pathParams = matchSegments(route.segments, parts);
      if (pathParams) return { api: route.api, pathParams };
    }
    return undefined;
  };

  return {
    products,
    product,
    byVersion: (version) => byVersion.get(version) ?? [],
    resolveRpc(version, action, productName) {
      if (!version) throw missingParameter('Version');
      if (!action) throw missingParameter('Action');
      let candidates = byVersion.get(version) ?? [];
      if (productName) candidates = candidates.filter((p) => p === product(productName));
      if (candidates.length === 0) throw invalidVersion();
      // Action names are case-sensitive at the gateway, as are parameter names.
      for (const spec of candidates) if (Object.hasOwn(spec.apis, action)) return spec.apis[action];
      throw actionNotFound();
    },
    matchRoa,
    resolveRoa(name, method, path) {
      const match = matchRoa(name, method, path);
      if (!match) throw actionNotFound();
      return match;
    },
  };
}

function compileRoutes(spec: ProductSpec): RoaRoute[] {
  const routes: RoaRoute[] = [];
  for (const api of Object.values(spec.apis)) {
    if (!api.path) continue;
    const segments = splitPath(api.path).map((s): RouteSegment => {
      const m = /^\{(.+)\}$/.exec(s);
      return m ? { param: m[1] } : { literal: s };
    });
    for (const method of api.methods) routes.push({ api, method: method.toUpperCase(), segments });
  }
  return routes.sort((a, b) => compareSpecificity(a.segments, b.segments));
}

/** Literal segments beat placeholders at the first position where two templates differ; then longer first. */
function compareSpecificity(a: RouteSegment[], b: RouteSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const aLit = 'literal' in a[i];
    const bLit = 'literal' in b[i];
    if (aLit !== bLit) return aLit ? -1 : 1;
  }
  return b.length - a.length;
}

function splitPath(path: string): string[] {
  const pathname = path.split('?')[0];
  return pathname.split('/').filter((s) => s !== '');
}

function matchSegments(segments: RouteSegment[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if ('literal' in seg) {
      if (seg.literal !== parts[i]) return undefined;
    } else {
      try {
        params[seg.param] = decodeURIComponent(parts[i]);
      } catch {
        return undefined; // a malformed escape cannot name a resource
      }
    }
  }
  return params;
}
