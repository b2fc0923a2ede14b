// A typed bridge from the generated API types (src/cloud/api/*-types.ts) to the funnel's untyped
// AccountClient.rpc: the action name and the request are checked against the product's `Apis` map, params
// that need a special wire form are serialised per the product's PARAM_WIRE, and undefined values are dropped.
import type { RpcProduct } from './products.js';
import type { AccountClient, CallOptions } from './session.js';

/** How one parameter goes on the wire, as the generated PARAM_WIRE tables describe it. */
export interface WireSpec {
  readonly in?: string;
  readonly style?: string;
}

/** A product's PARAM_WIRE table: action -> param name -> wire form. */
export type ParamWire<K extends string = string> = { readonly [A in K]?: Readonly<Record<string, WireSpec>> };

export interface RpcApi {
  request: object;
  response: object;
}

/**
 * Options for one call: `region` picks the regional endpoint (cr) and the RegionId the funnel adds when the
 * request has none (central products: Cbn, VpcPeer, pvtz); `retryOn` adds codes worth retrying.
 */
export type RpcCallOptions = Omit<CallOptions, 'product' | 'action' | 'params'>;

export type RpcCall<A extends { [K in keyof A]: RpcApi }> = <K extends keyof A & string>(
  acct: AccountClient,
  action: K,
  request: A[K]['request'],
  options?: RpcCallOptions,
) => Promise<A[K]['response']>;

/** Removes undefined and null values, deeply through plain objects and arrays (what the wire never carries). */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null).map(compact);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = compact(v);
    return out;
  }
  return value;
}

/**
 * The request as the funnel should send it. Styles, as the official SDKs apply them:
 * - `json`: the value JSON-encoded into one string (`TransitRouterCidrList=[{"Cidr":...}]`);
 * - `simple`: an array joined with commas (`VpcId=vpc-1,vpc-2`);
 * - `repeatList` / `flat` and anything else: left as is, OpenApiUtil.query flattens it (`Vpcs.1.VpcId=...`).
 * Placement (`in: formData`) is not honoured: the funnel sends every RPC param in the query string, which
 * RPC gateways accept for body params too.
 */
export function serializeParams(request: object, wire?: Readonly<Record<string, WireSpec>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(request)) {
    if (raw === undefined || raw === null) continue;
    const value = compact(raw);
    switch (wire?.[name]?.style) {
      case 'json':
        out[name] = typeof value === 'string' ? value : JSON.stringify(value);
        break;
      case 'simple':
        out[name] = Array.isArray(value) ? value.join(',') : value;
        break;
      default:
        out[name] = value;
    }
  }
  return out;
}

/**
 * One typed `call` per product. The action must be a key of the product's generated `Apis` map, so a typo in
 * an action name, or a request missing a required parameter, fails `tsc`.
 */
export function makeRpc<A extends { [K in keyof A]: RpcApi }>(product: RpcProduct, wire: ParamWire<keyof A & string>): RpcCall<A> {
  return (acct, action, request, options) =>
    acct.rpc<A[typeof action]['response']>(product, action, serializeParams(request, wire[action]), options);
}

/** An account ID for a `number`-typed wire param (AcceptingAliUid, VpcOwnerId): sent as its exact digits. */
export function accountIdParam(id: string | number): number {
  const text = String(id).trim();
  if (!/^\d{1,20}$/.test(text)) throw new Error(`"${text}" is not an Alibaba Cloud account ID (digits only)`);
  // Query values are strings on the wire; keeping the string keeps IDs beyond 2^53 exact.
  return text as unknown as number;
}

/** Account IDs come back as JSON numbers; we keep them as strings (as GetCallerIdentity gives them). */
export function accountIdOf(value: number | string | undefined): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** Tags from the wire (`[{Key, Value}]`) as a plain record. */
export function tagsOf(list: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) if (t.Key) out[t.Key] = t.Value ?? '';
  return out;
}

/** Tags for the wire, from a plain record. */
export function tagList(tags: Readonly<Record<string, string>> | undefined): { Key: string; Value: string }[] | undefined {
  if (!tags) return undefined;
  const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return list.length > 0 ? list : undefined;
}

/** A timestamp from the wire (epoch ms as number or digits, or an ISO-like text) as a Date. */
export function dateOf(value: number | string | undefined): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = typeof value === 'number' || /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export { pageByNumber, pageByToken } from './paging.js';
