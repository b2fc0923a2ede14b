// Request and response validation against api-spec: rebuilds the structured parameters from the wire
// form the official SDKs send, refuses what the real gateway refuses (with its codes), and lists every
// place a sandbox response strays from the spec's response schema.
import { invalidParameter, missingParameter, SpecError, type ApiSpec, type ErrorSpec, type ParamSpec, type SchemaNode } from './spec-model.js';

export interface ParsedRequest {
  /** Parameter values by spec name, structured (arrays, objects, numbers, booleans) per the spec. */
  params: Record<string, unknown>;
  /** Wire keys that are no parameter of the API: the real gateway drops them silently, so do we. */
  ignored: string[];
}

export interface RoaRequest {
  pathParams: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body, if any. */
  body?: unknown;
}

/** Parameters the SDKs add to every RPC request (signature v1 puts them in the query): never API input. */
const COMMON_RPC_PARAMS = new Set([
  'Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion',
  'SignatureNonce', 'SignatureType', 'Timestamp', 'SecurityToken', 'BearerToken',
]);

/** A wire key split at its dots, with the full key kept for reporting. */
interface FlatEntry {
  rest: string[];
  key: string;
  value: string;
}

/** Rebuilds structured values from an RPC request's flattened query + form parameters. Throws on unconvertible values. */
export function parseRpcParams(flat: Record<string, string>, api: ApiSpec): ParsedRequest {
  const { decoded, ignored } = decodeRpc(flat, api);
  const params: Record<string, unknown> = {};
  for (const [name, { value }] of decoded) if (value !== undefined) params[name] = value;
  return { params, ignored };
}

/**
 * Validates an RPC request as the gateway would, parameter by parameter in spec order: a missing required
 * one, a value of the wrong type, outside its enum or over maxItems throws the matching SpecError.
 * Unknown parameters are ignored (the real gateway does not refuse them).
 */
export function validateRpcRequest(api: ApiSpec, flat: Record<string, string>): ParsedRequest {
  const { decoded, ignored } = decodeRpc(flat, api, true);
  const params: Record<string, unknown> = {};
  for (const param of api.params) {
    const entry = decoded.get(param.name);
    if (!entry || entry.value === undefined) {
      if (param.required) throw missing(api, param.name);
      continue;
    }
    if (entry.error) throw entry.error;
    checkConstraints(api, param, entry.value, param.name);
    params[param.name] = entry.value;
  }
  return { params, ignored };
}

/** Validates a ROA (CS) request: path and query parameters like RPC ones, the JSON body against the `body` schema. */
export function validateRoaRequest(api: ApiSpec, request: RoaRequest): ParsedRequest {
  const params: Record<string, unknown> = {};
  const ignored: string[] = [];
  const declared = new Set(api.params.filter((p) => p.in === 'query').map((p) => p.name));
  for (const key of Object.keys(request.query)) if (!declared.has(key)) ignored.push(key);
  for (const param of api.params) {
    let value: unknown;
    if (param.in === 'body') {
      value = request.body === '' ? undefined : request.body;
      if (value !== undefined) checkJson(param, value, param.name, ignored);
    } else {
      const raw = param.in === 'path' ? request.pathParams[param.name] : request.query[param.name];
      if (raw !== undefined) value = param.style === 'json' ? parseJsonParam(param, raw, param.name, ignored) : scalarFrom(param, raw, param.name);
    }
    if (value === undefined) {
      if (param.required) throw missing(api, param.name);
      continue;
    }
    checkConstraints(api, param, value, param.name);
    params[param.name] = value;
  }
  return { params, ignored };
}

/**
 * Every place `body` strays from the API's response schema: a wrong type, a value outside an enum, a
 * property the spec does not have (at any depth). Absent properties are fine: the cloud omits fields.
 */
export function validateResponse(api: ApiSpec, body: unknown): string[] {
  const problems: string[] = [];
  if (api.response) walkResponse(api.response, body, '$', problems);
  return problems;
}

// ---- RPC decoding ----------------------------------------------------------------------------------

interface Decoded {
  value: unknown;
  /** With `deferErrors`, a conversion error waits here so a missing required parameter earlier in spec order wins. */
  error?: SpecError;
}

function decodeRpc(flat: Record<string, string>, api: ApiSpec, deferErrors = false): { decoded: Map<string, Decoded>; ignored: string[] } {
  const byName = new Map(api.params.map((p) => [p.name, p]));
  const grouped = new Map<string, FlatEntry[]>();
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(flat)) {
    const [root, ...rest] = key.split('.');
    if (!byName.has(root)) {
      // RegionId is common to every RPC call; it is an API parameter only where the spec declares it.
      if (!COMMON_RPC_PARAMS.has(key) && key !== 'RegionId') ignored.push(key);
      continue;
    }
    grouped.set(root, [...(grouped.get(root) ?? []), { rest, key, value: String(value) }]);
  }
  const decoded = new Map<string, Decoded>();
  for (const [name, entries] of grouped) {
    const param = byName.get(name) as ParamSpec;
    try {
      decoded.set(name, { value: decodeParam(param, entries, ignored) });
    } catch (error) {
      if (!(deferErrors && error instanceof SpecError)) throw error;
      decoded.set(name, { value: null, error });
    }
  }
  return { decoded, ignored };
}

function decodeParam(param: ParamSpec, entries: FlatEntry[], ignored: string[]): unknown {
  const exact = entries.find((e) => e.rest.length === 0);
  if (param.style === 'json' || param.style === 'simple' || (param.type !== 'array' && param.type !== 'object')) {
    // One value on the wire; sub-keys (`Name.1`) mean nothing for it.
    for (const e of entries) if (e.rest.length > 0) ignored.push(e.key);
    if (!exact) return undefined;
    if (param.style === 'json') return parseJsonParam(param, exact.value, param.name, ignored);
    if (param.style === 'simple') return splitSimple(param, exact.value);
    return scalarFrom(param, exact.value, param.name);
  }
  // repeatList / flat: `Name.1=v`, `Name.1.Key=v`, `Name.Key=v`; a bare `Name=v` is not an element.
  if (exact) ignored.push(exact.key);
  const nested = entries.filter((e) => e.rest.length > 0);
  return nested.length === 0 ? undefined : decodeFlat(param, nested, param.name, ignored);
}

function decodeFlat(schema: SchemaNode, entries: FlatEntry[], wire: string, ignored: string[]): unknown {
  if (schema.type === 'array') {
    const byIndex = new Map<number, FlatEntry[]>();
    for (const e of entries) {
      const index = /^[1-9]\d*$/.test(e.rest[0] ?? '') ? Number(e.rest[0]) : NaN;
      if (Number.isNaN(index)) ignored.push(e.key);
      else byIndex.set(index, [...(byIndex.get(index) ?? []), { ...e, rest: e.rest.slice(1) }]);
    }
    // Elements in index order; gaps close up, as the gateway hands lists on.
    const indices = [...byIndex.keys()].sort((a, b) => a - b);
    return indices.map((i) => decodeFlat(schema.items ?? { type: 'string' }, byIndex.get(i) as FlatEntry[], `${wire}.${i}`, ignored));
  }
  if (schema.type === 'object') {
    const byKey = new Map<string, FlatEntry[]>();
    for (const e of entries) {
      const key = e.rest[0];
      const known = key !== undefined && (schema.properties ? Object.hasOwn(schema.properties, key) : true);
      if (!known) ignored.push(e.key);
      else byKey.set(key, [...(byKey.get(key) ?? []), { ...e, rest: e.rest.slice(1) }]);
    }
    const out: Record<string, unknown> = {};
    for (const [key, sub] of byKey) {
      const child = schema.properties?.[key] ?? schema.additionalProperties ?? { type: 'string' };
      const value = decodeFlat(child, sub, `${wire}.${key}`, ignored);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  const exact = entries.find((e) => e.rest.length === 0);
  for (const e of entries) if (e.rest.length > 0) ignored.push(e.key);
  return exact ? scalarFrom(schema, exact.value, wire) : undefined;
}

function splitSimple(param: ParamSpec, raw: string): unknown[] {
  if (raw === '') return [];
  const items = param.items ?? { type: 'string' };
  return raw.split(',').map((part, i) => scalarFrom(items, part, `${param.name}.${i + 1}`));
}

function parseJsonParam(schema: SchemaNode, raw: string, wire: string, ignored: string[]): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalidParameter(wire);
  }
  checkJson(schema, value, wire, ignored);
  return value;
}

const INT32 = 2 ** 31;

/** A wire string as the spec's scalar type; int64 beyond 2^53 stays a digit string so account IDs stay exact. */
function scalarFrom(schema: SchemaNode, raw: string, wire: string): unknown {
  switch (schema.type) {
    case 'integer': {
      if (!/^[-+]?\d+$/.test(raw.trim())) throw invalidParameter(wire);
      const n = Number(raw);
      if (schema.format === 'int32' && (n < -INT32 || n >= INT32)) throw invalidParameter(wire);
      return Number.isSafeInteger(n) ? n : raw.trim().replace(/^\+/, '');
    }
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw invalidParameter(wire);
      return n;
    }
    case 'boolean':
      if (!/^(true|false)$/i.test(raw.trim())) throw invalidParameter(wire);
      return raw.trim().toLowerCase() === 'true';
    default:
      return raw;
  }
}

// ---- JSON values (json-style params, ROA bodies) ---------------------------------------------------

/** Checks JSON types strictly (the services decode into typed structs); unknown properties are noted and kept. */
function checkJson(schema: SchemaNode, value: unknown, wire: string, ignored: string[]): void {
  if (schema.unresolvedRef || schema.recursiveRef) return;
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') throw invalidParameter(wire);
      return;
    case 'integer':
      if (!Number.isInteger(value)) throw invalidParameter(wire);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidParameter(wire);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidParameter(wire);
      return;
    case 'array':
      if (!Array.isArray(value)) throw invalidParameter(wire);
      value.forEach((item, i) => schema.items && checkJson(schema.items, item, `${wire}.${i + 1}`, ignored));
      return;
    case 'object': {
      if (!isPlainObject(value)) throw invalidParameter(wire);
      for (const [key, child] of Object.entries(value)) {
        const sub = schema.properties?.[key] ?? schema.additionalProperties;
        if (sub) checkJson(sub, child, `${wire}.${key}`, ignored);
        else if (schema.properties) ignored.push(`${wire}.${key}`);
      }
      return;
    }
    default:
      return;
  }
}

// ---- constraints: nested required properties, enums, maxItems -------------------------------------

function checkConstraints(api: ApiSpec, schema: SchemaNode, value: unknown, wire: string): void {
  if (value === undefined || value === null) return;
  if (schema.enum && !isPlainObject(value) && !Array.isArray(value) && !schema.enum.some((e) => String(e) === String(value))) {
    throw invalid(api, wire, true);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) throw invalid(api, wire, false);
    value.forEach((item, i) => schema.items && checkConstraints(api, schema.items, item, `${wire}.${i + 1}`));
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (value[key] === undefined) {
        if (sub.required) throw missing(api, `${wire}.${key}`);
      } else checkConstraints(api, sub, value[key], `${wire}.${key}`);
    }
    if (schema.additionalProperties) for (const [k, v] of Object.entries(value)) checkConstraints(api, schema.additionalProperties, v, `${wire}.${k}`);
  }
}

/** `ZoneMappings.1.VSwitchId` -> names an API-specific code may use: ZoneMappings.VSwitchId, ZoneMappingsVSwitchId, VSwitchId. */
function codeNames(wire: string): string[] {
  const parts = wire.split('.').filter((p) => !/^\d+$/.test(p));
  return [...new Set([parts.join('.'), parts.join(''), parts[parts.length - 1]])];
}

function listedError(api: ApiSpec, codes: string[]): ErrorSpec | undefined {
  const wanted = new Set(codes.map((c) => c.toLowerCase()));
  return api.errors.find((e) => wanted.has(e.code.toLowerCase()));
}

function fromListed(e: ErrorSpec, wire: string): SpecError {
  const status = Number(e.httpStatus);
  return new SpecError(e.code, Number.isInteger(status) && status >= 400 ? status : 400, e.message || e.code, wire);
}

/** The API's own missing-parameter code when its metadata lists one for this parameter, else the gateway's. */
function missing(api: ApiSpec, wire: string): SpecError {
  const names = codeNames(wire);
  const listed = listedError(api, names.flatMap((n) => [`MissingParameter.${n}`, `MissingParam.${n}`]));
  return listed ? fromListed(listed, wire) : missingParameter(wire);
}

/** A value the service refuses: its own listed code for the parameter when there is one, else InvalidParameter. */
function invalid(api: ApiSpec, wire: string, isEnum: boolean): SpecError {
  const names = codeNames(wire);
  const codes = names.flatMap((n) => [`InvalidParameter.${n}`, `InvalidParam.${n}`, `IllegalParam.${n}`]);
  if (isEnum) codes.push(...names.map((n) => `Invalid${n}.ValueNotSupported`));
  const listed = listedError(api, codes);
  return listed ? fromListed(listed, wire) : invalidParameter(wire);
}

// ---- responses -------------------------------------------------------------------------------------

function walkResponse(schema: SchemaNode, value: unknown, path: string, out: string[]): void {
  if (value === undefined || schema.unresolvedRef || schema.recursiveRef) return;
  if (value === null) {
    out.push(`${path}: null, expected ${schema.type} (the cloud omits absent fields)`);
    return;
  }
  const wrong = (expected: string): void => {
    out.push(`${path}: expected ${expected}, got ${describe(value)}`);
  };
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return wrong('string');
      break;
    case 'integer':
      if (!Number.isInteger(value)) return wrong('integer');
      if (schema.format === 'int32' && ((value as number) < -INT32 || (value as number) >= INT32)) return wrong('int32');
      break;
    case 'number':
      if (typeof value !== 'number') return wrong('number');
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return wrong('boolean');
      break;
    case 'array':
      if (!Array.isArray(value)) return wrong('array');
      if (schema.items) value.forEach((item, i) => walkResponse(schema.items as SchemaNode, item, `${path}[${i}]`, out));
      return;
    case 'object':
      if (!isPlainObject(value)) return wrong('object');
      for (const [key, child] of Object.entries(value)) {
        const sub = schema.properties?.[key] ?? schema.additionalProperties;
        if (sub) walkResponse(sub, child, `${path}.${key}`, out);
        else if (schema.properties) out.push(`${path}.${key}: not in the spec`);
      }
      return;
    default:
      return; // untyped in the metadata: anything goes
  }
  if (schema.enum && !schema.enum.some((e) => String(e) === String(value))) {
    out.push(`${path}: ${describe(value)} is not one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
}

function describe(value: unknown): string {
  const kind = Array.isArray(value) ? 'array' : typeof value;
  return kind === 'object' || kind === 'array' ? kind : `${kind} ${JSON.stringify(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
