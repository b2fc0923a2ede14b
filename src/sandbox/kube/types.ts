// Kubernetes object shapes, the resource types the simulated API server serves, and its Status errors.

/** A JSON value as stored in world state. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
}

/** Any stored object; kind-specific fields (data, spec, status, ...) are plain JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: any;
}

/** What a caller hands to create/put: server-set metadata (uid, resourceVersion, ...) may be left out. */
export interface KubeObjectInput {
  apiVersion?: string;
  kind: KindName | string;
  metadata: Partial<ObjectMeta>;
  [field: string]: any;
}

export type KindName = 'Namespace' | 'Node' | 'ConfigMap' | 'Secret' | 'ServiceAccount' | 'Pod' | 'Event' | 'Deployment' | 'ReplicaSet';

export interface ResourceType {
  kind: KindName;
  plural: string;
  singular: string;
  /** '' for the core group. */
  group: '' | 'apps';
  version: 'v1';
  namespaced: boolean;
  shortNames?: string[];
  verbs: string[];
  /** spec/status split: writes to the main resource keep the stored status. */
  hasStatus: boolean;
  /** metadata.generation tracks spec changes. */
  generation: boolean;
  /** DELETE answers with the object (pods, namespaces) rather than a Status. */
  deleteReturnsObject: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: readonly ResourceType[] = [
  { kind: 'Namespace', plural: 'namespaces', singular: 'namespace', group: '', version: 'v1', namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], hasStatus: true, generation: false, deleteReturnsObject: true },
  { kind: 'Node', plural: 'nodes', singular: 'node', group: '', version: 'v1', namespaced: false, shortNames: ['no'], verbs: ALL_VERBS, hasStatus: true, generation: false, deleteReturnsObject: false },
  { kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', group: '', version: 'v1', namespaced: true, shortNames: ['cm'], verbs: ALL_VERBS, hasStatus: false, generation: false, deleteReturnsObject: false },
  { kind: 'Secret', plural: 'secrets', singular: 'secret', group: '', version: 'v1', namespaced: true, verbs: ALL_VERBS, hasStatus: false, generation: false, deleteReturnsObject: false },
  { kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', group: '', version: 'v1', namespaced: true, shortNames: ['sa'], verbs: ALL_VERBS, hasStatus: false, generation: false, deleteReturnsObject: false },
  { kind: 'Pod', plural: 'pods', singular: 'pod', group: '', version: 'v1', namespaced: true, shortNames: ['po'], verbs: ALL_VERBS, hasStatus: true, generation: false, deleteReturnsObject: true },
  { kind: 'Event', plural: 'events', singular: 'event', group: '', version: 'v1', namespaced: true, shortNames: ['ev'], verbs: ALL_VERBS, hasStatus: false, generation: false, deleteReturnsObject: false },
  { kind: 'Deployment', plural: 'deployments', singular: 'deployment', group: 'apps', version: 'v1', namespaced: true, shortNames: ['deploy'], verbs: ALL_VERBS, hasStatus: true, generation: true, deleteReturnsObject: false },
  { kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', group: 'apps', version: 'v1', namespaced: true, shortNames: ['rs'], verbs: ALL_VERBS, hasStatus: true, generation: true, deleteReturnsObject: false },
];

export const apiVersionOf = (r: ResourceType): string => (r.group ? `${r.group}/${r.version}` : r.version);

export function resourceByKind(kind: KindName | string): ResourceType {
  const found = RESOURCES.find((r) => r.kind === kind || r.plural === kind);
  if (!found) throw new Error(`the simulated cluster has no resource type ${kind}`);
  return found;
}

export function resourceByPath(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** `configmaps` or `deployments.apps`, as Status messages name a resource. */
export const qualifiedResource = (r: ResourceType): string => (r.group ? `${r.plural}.${r.group}` : r.plural);
/** `ConfigMap` or `Deployment.apps`, as Invalid messages name a kind. */
export const qualifiedKind = (r: ResourceType): string => (r.group ? `${r.kind}.${r.group}` : r.kind);

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
}

/** A Kubernetes API error: answered as a `Status` object with this code and reason. */
export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubeError';
  }

  toStatus(): JsonObject {
    const status: JsonObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason };
    if (this.details) status.details = JSON.parse(JSON.stringify(this.details)) as JsonObject;
    status.code = this.code;
    return status;
  }
}

const detailsOf = (r: ResourceType, name: string): StatusDetails => (r.group ? { name, group: r.group, kind: r.plural } : { name, kind: r.plural });

export const notFound = (r: ResourceType, name: string): KubeError => new KubeError(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, detailsOf(r, name));

export const alreadyExists = (r: ResourceType, name: string): KubeError =>
  new KubeError(409, 'AlreadyExists', `${qualifiedResource(r)} "${name}" already exists`, detailsOf(r, name));

export const conflict = (r: ResourceType, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): KubeError =>
  new KubeError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${why}`, detailsOf(r, name));

export const badRequest = (message: string): KubeError => new KubeError(400, 'BadRequest', message);

export const forbidden = (r: ResourceType, name: string, why: string): KubeError =>
  new KubeError(403, 'Forbidden', `${qualifiedResource(r)} "${name}" is forbidden: ${why}`, detailsOf(r, name));

export const unauthorized = (): KubeError => new KubeError(401, 'Unauthorized', 'Unauthorized');

export const pathNotFound = (): KubeError => new KubeError(404, 'NotFound', 'the server could not find the requested resource', {});

/** One field problem, as apimachinery's field.Error renders it. */
export interface FieldError {
  type: 'Required' | 'Invalid' | 'Duplicate' | 'Forbidden' | 'TooLong' | 'NotSupported';
  field: string;
  value?: unknown;
  detail?: string;
}

const CAUSE_REASONS: Record<FieldError['type'], string> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  Duplicate: 'FieldValueDuplicate',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  NotSupported: 'FieldValueNotSupported',
};

function renderValue(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

function renderFieldError(e: FieldError): string {
  switch (e.type) {
    case 'Required':
      return `Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'Forbidden':
      return `Forbidden${e.detail ? `: ${e.detail}` : ''}`;
    case 'TooLong':
      return `Too long${e.detail ? `: ${e.detail}` : ''}`;
    case 'Duplicate':
      return `Duplicate value: ${renderValue(e.value)}`;
    case 'NotSupported':
      return `Unsupported value: ${renderValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    default:
      return `Invalid value: ${renderValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** 422 Invalid with one cause per field error, worded as the API server does. */
export function invalid(r: ResourceType, name: string, errors: FieldError[]): KubeError {
  const causes = errors.map((e) => ({ reason: CAUSE_REASONS[e.type], message: renderFieldError(e), field: e.field }));
  const parts = errors.map((e) => `${e.field}: ${renderFieldError(e)}`);
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const details: StatusDetails = r.group ? { name, group: r.group, kind: r.kind, causes } : { name, kind: r.kind, causes };
  return new KubeError(422, 'Invalid', `${qualifiedKind(r)} "${name}" is invalid: ${summary}`, details);
}

/** Deep copy of a JSON value (objects in world state are never handed out by reference). */
export const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/** RFC 3339 with second precision, as the API server writes timestamps. */
export const kubeTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
