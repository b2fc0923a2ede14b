// The API server's patch mechanisms: JSON merge patch (RFC 7386), strategic merge patch, JSON patch (RFC 6902).
import { KubeError, badRequest, clone, type Json, type JsonObject } from './types.js';

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export type PatchType = keyof typeof PATCH_TYPES;

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return (Object.keys(PATCH_TYPES) as PatchType[]).find((k) => PATCH_TYPES[k] === media);
}

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** patchMergeKey of the list fields the simulated kinds use (k8s.io/api struct tags); other lists are replaced. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  secrets: 'name',
  ownerReferences: 'uid',
  conditions: 'type',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};
/** Primitive lists with patchStrategy "merge" (set union). */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

const DIRECTIVE = '$patch';

function strategicList(field: string, target: Json[] | undefined, patch: Json[]): Json[] {
  const key = MERGE_KEYS[field];
  if (MERGED_PRIMITIVE_LISTS.has(field)) {
    const out = [...(target ?? [])];
    for (const v of patch) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(clone(v));
    return out;
  }
  // A `$patch: replace` item turns the whole list into a replacement.
  if (!key || patch.some((p) => isObject(p) && p[DIRECTIVE] === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p[DIRECTIVE] === 'replace')).map((p) => clone(p));
  }
  const out = (target ?? []).map((t) => clone(t));
  for (const item of patch) {
    if (!isObject(item)) throw badRequest(`unable to find api field in struct for the list ${field}: items must be objects`);
    const id = item[key];
    if (id === undefined) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const index = out.findIndex((o) => isObject(o) && o[key] === id);
    if (item[DIRECTIVE] === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = strategicMerge(out[index], item);
    else out.push(strategicMerge(undefined, item));
  }
  return out;
}

/** Strategic merge patch: a merge patch whose known lists merge by key, with `$patch` and `$deleteFromPrimitiveList` directives. */
export function strategicMerge(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch[DIRECTIVE] === 'delete') return null;
  const replace = patch[DIRECTIVE] === 'replace';
  const result: JsonObject = isObject(target) && !replace ? clone(target) : {};
  const retainKeys = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as Json[]).map(String) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const drop = Array.isArray(value) ? value.map((v) => JSON.stringify(v)) : [];
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((v) => !drop.includes(JSON.stringify(v)));
      continue;
    }
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = strategicList(key, Array.isArray(result[key]) ? (result[key] as Json[]) : undefined, value);
    else if (isObject(value)) {
      const merged = strategicMerge(result[key], value);
      if (merged === null) delete result[key];
      else result[key] = merged;
    } else result[key] = value;
  }
  if (retainKeys) for (const key of Object.keys(result)) if (!retainKeys.includes(key)) delete result[key];
  return result;
}

/** A JSON patch that parsed but does not apply: the API server answers 422 with the library's message as the cause. */
function notApplicable(message: string): KubeError {
  return new KubeError(422, 'Invalid', 'the server rejected our request due to an error in our request', { causes: [{ reason: 'UnexpectedServerResponse', message }] });
}

const unescape = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

function pointer(path: unknown): string[] {
  if (typeof path !== 'string') throw badRequest('json: cannot unmarshal path: path must be a string');
  if (path === '') return [];
  if (!path.startsWith('/')) throw notApplicable(`invalid JSON pointer: ${JSON.stringify(path)}`);
  return path.slice(1).split('/').map(unescape);
}

interface Location {
  parent: Json;
  key: string;
}

function locate(doc: Json, tokens: string[], op: string, path: string): Location {
  let node: Json = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(token)] as Json;
    else if (isObject(node)) node = node[token] as Json;
    else node = undefined as unknown as Json;
    if (node === undefined || node === null) throw notApplicable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return { parent: node, key: tokens[tokens.length - 1]! };
}

function read(loc: Location): Json | undefined {
  if (Array.isArray(loc.parent)) {
    const i = Number(loc.key);
    return Number.isInteger(i) && i >= 0 && i < loc.parent.length ? loc.parent[i] : undefined;
  }
  return isObject(loc.parent) && Object.prototype.hasOwnProperty.call(loc.parent, loc.key) ? loc.parent[loc.key] : undefined;
}

function add(loc: Location, value: Json, path: string): void {
  if (Array.isArray(loc.parent)) {
    const i = loc.key === '-' ? loc.parent.length : Number(loc.key);
    if (!Number.isInteger(i) || i < 0 || i > loc.parent.length) throw notApplicable(`add operation does not apply: doc is missing path: "${path}": missing value`);
    loc.parent.splice(i, 0, value);
  } else if (isObject(loc.parent)) loc.parent[loc.key] = value;
  else throw notApplicable(`add operation does not apply: doc is missing path: "${path}": missing value`);
}

function remove(loc: Location, op: string, path: string): Json {
  const current = read(loc);
  if (current === undefined) throw notApplicable(`${op} operation does not apply: doc is missing key: ${path}: missing value`);
  if (Array.isArray(loc.parent)) loc.parent.splice(Number(loc.key), 1);
  else delete (loc.parent as JsonObject)[loc.key];
  return current;
}

/** RFC 6902 add/remove/replace/move/copy/test on a copy of `doc`. */
export function jsonPatch(doc: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let result = clone(doc);
  for (const raw of operations) {
    if (!isObject(raw)) throw badRequest('json: cannot unmarshal operation: each operation must be an object');
    const op = String(raw.op ?? '');
    const path = String(raw.path ?? '');
    const tokens = pointer(raw.path);
    if (['add', 'replace', 'test'].includes(op) && !('value' in raw)) throw notApplicable(`${op} operation does not apply: value is missing`);
    if (tokens.length === 0) {
      // The whole document: only add/replace/test make sense at the root.
      if (op === 'add' || op === 'replace') result = clone(raw.value as Json);
      else if (op === 'test' && JSON.stringify(result) !== JSON.stringify(raw.value)) throw notApplicable(`testing value ${path} failed: test failed`);
      else if (op !== 'test') throw notApplicable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
      continue;
    }
    const loc = locate(result, tokens, op, path);
    switch (op) {
      case 'add':
        add(loc, clone(raw.value as Json), path);
        break;
      case 'remove':
        remove(loc, op, path);
        break;
      case 'replace':
        remove(loc, op, path);
        add(loc, clone(raw.value as Json), path);
        break;
      case 'test': {
        const current = read(loc);
        if (current === undefined || JSON.stringify(current) !== JSON.stringify(raw.value)) throw notApplicable(`testing value ${path} failed: test failed`);
        break;
      }
      case 'move':
      case 'copy': {
        const from = String(raw.from ?? '');
        const fromLoc = locate(result, pointer(raw.from), op, from);
        const value = op === 'move' ? remove(fromLoc, op, from) : clone(read(fromLoc));
        if (value === undefined) throw notApplicable(`${op} operation does not apply: doc is missing from path: ${from}: missing value`);
        add(locate(result, tokens, op, path), value, path);
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${op}`);
    }
  }
  return result;
}
