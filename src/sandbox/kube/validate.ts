// Defaulting and validation the API server applies before storing an object (the rules the tool can trip over).
import { labelSelectorMatcher, type LabelSelectorObject } from './selectors.js';
import type { FieldError, KubeObject, ResourceType } from './types.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** ConfigMaps and Secrets are capped at 1 MiB (core/validation MaxSecretSize). */
const MAX_DATA_BYTES = 1024 * 1024;

export function validateName(r: ResourceType, name: string): FieldError[] {
  // Namespaces are DNS-1123 labels; the other kinds here are subdomains.
  const label = r.kind === 'Namespace';
  if (label ? name.length > 63 || !DNS1123_LABEL.test(name) : name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    const detail = name.length > (label ? 63 : 253) ? `must be no more than ${label ? 63 : 253} characters` : label ? LABEL_MSG : SUBDOMAIN_MSG;
    return [{ type: 'Invalid', field: 'metadata.name', value: name, detail }];
  }
  return [];
}

function qualifiedNameErrors(field: string, key: string): FieldError[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if ((slash >= 0 && !DNS1123_SUBDOMAIN.test(prefix)) || name.length > 63 || !NAME_PART.test(name)) {
    return [{ type: 'Invalid', field, value: key, detail: "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')" }];
  }
  return [];
}

function labelErrors(path: string, labels: unknown): FieldError[] {
  if (labels === undefined) return [];
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return [{ type: 'Invalid', field: path, value: labels, detail: 'must be a map of strings' }];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels)) {
    errors.push(...qualifiedNameErrors(path, key));
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      errors.push({ type: 'Invalid', field: path, value, detail: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" });
    }
  }
  return errors;
}

function annotationErrors(annotations: unknown): FieldError[] {
  if (annotations === undefined) return [];
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) return [{ type: 'Invalid', field: 'metadata.annotations', value: annotations, detail: 'must be a map of strings' }];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    errors.push(...qualifiedNameErrors('metadata.annotations', key));
    if (typeof value !== 'string') errors.push({ type: 'Invalid', field: `metadata.annotations`, value, detail: 'annotation values must be strings' });
  }
  return errors;
}

/** kubelet's default: Always for `:latest` or an untagged image, else IfNotPresent. */
function pullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** SetDefaults_PodSpec and SetDefaults_Container for the fields a client sees come back. */
export function defaultPodSpec(spec: any): void {
  if (!spec || typeof spec !== 'object') return;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  for (const c of [...(spec.initContainers ?? []), ...(Array.isArray(spec.containers) ? spec.containers : [])]) {
    if (!c || typeof c !== 'object') continue;
    if (typeof c.image === 'string') c.imagePullPolicy ??= pullPolicy(c.image);
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
  }
}

function podSpecErrors(path: string, spec: any): FieldError[] {
  if (!spec || typeof spec !== 'object') return [{ type: 'Required', field: path }];
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) return [{ type: 'Required', field: `${path}.containers` }];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c: any, i: number) => {
    const at = `${path}.containers[${i}]`;
    if (!c?.name) errors.push({ type: 'Required', field: `${at}.name` });
    else if (!DNS1123_LABEL.test(c.name) || c.name.length > 63) errors.push({ type: 'Invalid', field: `${at}.name`, value: c.name, detail: LABEL_MSG });
    else if (seen.has(c.name)) errors.push({ type: 'Duplicate', field: `${at}.name`, value: c.name });
    else seen.add(c.name);
    if (!c?.image || typeof c.image !== 'string') errors.push({ type: 'Required', field: `${at}.image` });
  });
  if (!['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy)) errors.push({ type: 'NotSupported', field: `${path}.restartPolicy`, value: spec.restartPolicy, detail: 'supported values: "Always", "OnFailure", "Never"' });
  if (spec.serviceAccountName !== undefined && (typeof spec.serviceAccountName !== 'string' || !DNS1123_SUBDOMAIN.test(spec.serviceAccountName))) {
    errors.push({ type: 'Invalid', field: `${path}.serviceAccountName`, value: spec.serviceAccountName, detail: SUBDOMAIN_MSG });
  }
  return errors;
}

function dataErrors(obj: KubeObject, binaryIsBase64: boolean, field: 'data' | 'binaryData'): FieldError[] {
  const data = obj[field];
  if (data === undefined || data === null) return [];
  if (typeof data !== 'object' || Array.isArray(data)) return [{ type: 'Invalid', field, value: data, detail: 'must be a map' }];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!CONFIG_KEY.test(key) || key.length > 253) {
      errors.push({ type: 'Invalid', field: `${field}[${key}]`, value: key, detail: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')" });
    }
    if (typeof value !== 'string') errors.push({ type: 'Invalid', field: `${field}[${key}]`, value, detail: 'must be a string' });
    else if (binaryIsBase64 && !BASE64.test(value)) errors.push({ type: 'Invalid', field: `${field}[${key}]`, value: '<value omitted>', detail: 'illegal base64 data' });
  }
  return errors;
}

function dataSize(obj: KubeObject): number {
  let total = 0;
  for (const field of ['data', 'binaryData'] as const) for (const [k, v] of Object.entries((obj[field] as Record<string, string>) ?? {})) total += k.length + String(v).length;
  return total;
}

function selectorErrors(obj: KubeObject): FieldError[] {
  const selector = obj.spec?.selector as LabelSelectorObject | undefined;
  if (!selector) return [{ type: 'Required', field: 'spec.selector' }];
  if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
    return [{ type: 'Invalid', field: 'spec.selector', value: selector, detail: `empty selector is invalid for ${obj.kind === 'Deployment' ? 'deployment' : 'replicaset'}` }];
  }
  const labels = obj.spec?.template?.metadata?.labels;
  if (!labelSelectorMatcher(selector)(labels)) {
    return [{ type: 'Invalid', field: 'spec.template.metadata.labels', value: labels ?? {}, detail: '`selector` does not match template `labels`' }];
  }
  return [];
}

/** Fills what the API server defaults on create and update. */
export function applyDefaults(r: ResourceType, obj: KubeObject): void {
  switch (r.kind) {
    case 'Namespace':
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
      break;
    case 'Secret':
      obj.type ??= 'Opaque';
      if (obj.stringData && typeof obj.stringData === 'object') {
        // stringData is write-only: merged into data as base64 and never stored.
        obj.data = { ...(obj.data ?? {}) };
        for (const [k, v] of Object.entries(obj.stringData as Record<string, string>)) obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      }
      delete obj.stringData;
      break;
    case 'Pod':
      defaultPodSpec(obj.spec);
      if (obj.spec && typeof obj.spec === 'object') {
        // The ServiceAccount admission plugin fills both fields; DefaultTolerationSeconds adds the two 300 s tolerations.
        obj.spec.serviceAccountName ??= obj.spec.serviceAccount ?? 'default';
        obj.spec.serviceAccount = obj.spec.serviceAccountName;
        obj.spec.enableServiceLinks ??= true;
        obj.spec.priority ??= 0;
        obj.spec.preemptionPolicy ??= 'PreemptLowerPriority';
        obj.spec.tolerations ??= [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ];
      }
      break;
    case 'Deployment':
    case 'ReplicaSet':
      if (obj.spec && typeof obj.spec === 'object') {
        obj.spec.replicas ??= 1;
        obj.spec.revisionHistoryLimit ??= r.kind === 'Deployment' ? 10 : undefined;
        if (r.kind === 'Deployment') {
          obj.spec.progressDeadlineSeconds ??= 600;
          obj.spec.strategy ??= { type: 'RollingUpdate' };
          if (obj.spec.strategy.type === 'RollingUpdate') obj.spec.strategy.rollingUpdate = { maxUnavailable: '25%', maxSurge: '25%', ...(obj.spec.strategy.rollingUpdate ?? {}) };
        } else delete obj.spec.revisionHistoryLimit;
        defaultPodSpec(obj.spec.template?.spec);
      }
      break;
    default:
      break;
  }
}

/** Field errors of a new object (old undefined) or an update; the caller turns them into a 422 Invalid. */
export function validateObject(r: ResourceType, obj: KubeObject, old?: KubeObject): FieldError[] {
  const errors: FieldError[] = [...validateName(r, obj.metadata.name), ...labelErrors('metadata.labels', obj.metadata.labels), ...annotationErrors(obj.metadata.annotations)];
  switch (r.kind) {
    case 'ConfigMap':
      errors.push(...dataErrors(obj, false, 'data'), ...dataErrors(obj, true, 'binaryData'));
      if (dataSize(obj) > MAX_DATA_BYTES) errors.push({ type: 'TooLong', field: '', detail: `must have at most ${MAX_DATA_BYTES} bytes` });
      if (old?.immutable === true && (JSON.stringify(old.data ?? {}) !== JSON.stringify(obj.data ?? {}) || obj.immutable !== true)) {
        errors.push({ type: 'Forbidden', field: 'data', detail: 'field is immutable when `immutable` is set' });
      }
      break;
    case 'Secret':
      errors.push(...dataErrors(obj, true, 'data'));
      if (dataSize(obj) > MAX_DATA_BYTES) errors.push({ type: 'TooLong', field: 'data', detail: `must have at most ${MAX_DATA_BYTES} bytes` });
      if (old && old.type !== obj.type) errors.push({ type: 'Invalid', field: 'type', value: obj.type, detail: 'field is immutable' });
      break;
    case 'Pod':
      errors.push(...podSpecErrors('spec', obj.spec));
      if (old && errors.length === 0 && !podUpdateAllowed(old.spec, obj.spec)) {
        errors.push({
          type: 'Forbidden',
          field: 'spec',
          detail:
            'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        });
      }
      break;
    case 'Deployment':
    case 'ReplicaSet':
      if (!obj.spec || typeof obj.spec !== 'object') {
        errors.push({ type: 'Required', field: 'spec.selector' }, { type: 'Required', field: 'spec.template.spec.containers' });
        break;
      }
      errors.push(...selectorErrors(obj), ...labelErrors('spec.template.metadata.labels', obj.spec.template?.metadata?.labels), ...podSpecErrors('spec.template.spec', obj.spec.template?.spec));
      if (typeof obj.spec.replicas !== 'number' || !Number.isInteger(obj.spec.replicas) || obj.spec.replicas < 0) {
        errors.push({ type: 'Invalid', field: 'spec.replicas', value: obj.spec.replicas, detail: 'must be greater than or equal to 0' });
      }
      if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(obj.spec.selector)) {
        errors.push({ type: 'Invalid', field: 'spec.selector', value: obj.spec.selector, detail: 'field is immutable' });
      }
      break;
    case 'Event':
      if (!obj.involvedObject || typeof obj.involvedObject !== 'object') errors.push({ type: 'Required', field: 'involvedObject' });
      else if (obj.involvedObject.namespace && obj.involvedObject.namespace !== obj.metadata.namespace) {
        errors.push({ type: 'Invalid', field: 'involvedObject.namespace', value: obj.involvedObject.namespace, detail: 'does not match event.namespace' });
      }
      break;
    default:
      break;
  }
  return errors;
}

/** A running pod's spec is immutable except container images (and a few fields the tool never touches). */
function podUpdateAllowed(oldSpec: any, newSpec: any): boolean {
  const withoutImages = (spec: any) =>
    JSON.stringify({
      ...spec,
      containers: (spec?.containers ?? []).map((c: any) => ({ ...c, image: '' })),
      initContainers: (spec?.initContainers ?? []).map((c: any) => ({ ...c, image: '' })),
      activeDeadlineSeconds: undefined,
      tolerations: undefined,
    });
  return withoutImages(oldSpec) === withoutImages(newSpec);
}
