// Label selectors (query string and LabelSelector objects) and the field selectors each kind supports.
import { badRequest, type KindName, type KubeObject } from './types.js';

type Requirement =
  | { key: string; op: 'exists' | '!' }
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

/** Splits on commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseRequirement(text: string): Requirement {
  let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter(Boolean) };
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (m) return { key: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! };
  m = /^!\s*([^=!\s]+)$/.exec(text);
  if (m) return { key: m[1]!, op: '!' };
  if (/^[^=!\s(),]+$/.test(text)) return { key: text, op: 'exists' };
  throw badRequest(`unable to parse requirement: found '${text}', expected: in, notin, =, ==, !=, gt, lt`);
}

function matches(labels: Record<string, string>, r: Requirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
      return has && labels[r.key] === r.value;
    case '!=':
      return !has || labels[r.key] !== r.value;
    case 'in':
      return has && r.values.includes(labels[r.key]!);
    case 'notin':
      return !has || !r.values.includes(labels[r.key]!);
  }
}

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

/** `?labelSelector=` syntax: `a=b,c!=d,e in (x,y),!f`. */
export function parseLabelSelector(selector: string | undefined): LabelMatcher {
  const requirements = selector ? splitTop(selector).map(parseRequirement) : [];
  return (labels) => requirements.every((r) => matches(labels ?? {}, r));
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** metav1.LabelSelector, as a Deployment's spec.selector holds it; an empty selector matches everything. */
export function labelSelectorMatcher(selector: LabelSelectorObject | undefined): LabelMatcher {
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) requirements.push({ key, op: '=', value });
  for (const e of selector?.matchExpressions ?? []) {
    if (e.operator === 'In') requirements.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (e.operator === 'NotIn') requirements.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (e.operator === 'Exists') requirements.push({ key: e.key, op: 'exists' });
    else requirements.push({ key: e.key, op: '!' });
  }
  return (labels) => requirements.every((r) => matches(labels ?? {}, r));
}

const get = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), obj);

/** Field labels each kind's registry accepts (pkg/registry/<kind>/strategy.go ...FieldsSet); metadata.name/namespace for all. */
const FIELD_LABELS: Partial<Record<KindName, string[]>> = {
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
};

function fieldValue(kind: KindName, obj: KubeObject, field: string): string {
  if (kind === 'Event' && field === 'source') return String(obj.source?.component ?? obj.reportingController ?? '');
  const value = get(obj, field);
  if (value === undefined || value === null) return field === 'spec.hostNetwork' || field === 'spec.unschedulable' ? 'false' : '';
  return String(value);
}

export type ObjectMatcher = (obj: KubeObject) => boolean;

/** `?fieldSelector=` syntax: `a=b,c!=d`; a field the kind does not index is refused as the API server does. */
export function parseFieldSelector(kind: KindName, selector: string | undefined): ObjectMatcher {
  if (!selector) return () => true;
  const allowed = ['metadata.name', 'metadata.namespace', ...(FIELD_LABELS[kind] ?? [])];
  const terms = selector
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((term) => {
      const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
      if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
      const field = m[1]!.trim();
      if (!allowed.includes(field)) throw badRequest(`field label not supported: ${field}`);
      return { field, negate: m[2] === '!=', value: m[3]!.trim() };
    });
  return (obj) => terms.every((t) => (fieldValue(kind, obj, t.field) === t.value) !== t.negate);
}
