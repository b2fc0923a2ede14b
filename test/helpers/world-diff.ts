// Comparing two sandbox worlds: every path where they differ, and every place that still carries our marker.
// `destroy` is judged by these: what it leaves must carry no marker, and everything else must be as it was.
import { HOSTS_BEGIN } from '../../src/steps/dns/user-data.js';
import { MARKER, NAME_PREFIX } from '../../src/steps/marker.js';

export interface Difference {
  path: string;
  kind: 'added' | 'removed' | 'changed';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Empty objects and arrays count as absent: a product's state slice created empty by a read is no difference. */
const isEmpty = (v: unknown): boolean => v === undefined || (isRecord(v) && Object.values(v).every(isEmpty)) || (Array.isArray(v) && v.length === 0);

/** The paths (`accounts.<id>.slices.vpc.routeEntries.rte-1.status`) where `after` differs from `before`. */
export function worldDiff(before: unknown, after: unknown, path = ''): Difference[] {
  if (isEmpty(before) && isEmpty(after)) return [];
  // A new or removed object is compared key by key against nothing, so a pattern can name exactly which part came or went.
  const asRecord = (v: unknown) => (isRecord(v) ? v : isEmpty(v) ? {} : undefined);
  const [b, a] = [asRecord(before), asRecord(after)];
  if (b && a && (isRecord(before) || isRecord(after))) {
    const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
    return [...keys].flatMap((k) => worldDiff(b[k], a[k], path ? `${path}.${k}` : k));
  }
  if (isEmpty(before)) return [{ path, kind: 'added' }];
  if (isEmpty(after)) return [{ path, kind: 'removed' }];
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, kind: 'changed' }];
}

/** Differences no pattern explains. */
export const unexplained = (diffs: readonly Difference[], allowed: readonly RegExp[]): Difference[] =>
  diffs.filter((d) => !allowed.some((re) => re.test(d.path)));

/** Paths whose value carries our marker: the text `managed-by=acr-xaccount`, the tag, a name of ours, our hosts block. */
export function markedPaths(data: unknown, path = ''): string[] {
  if (typeof data === 'string') return data.includes(MARKER) || data.includes(HOSTS_BEGIN) || data.startsWith(`${NAME_PREFIX}-`) ? [path] : [];
  if (Array.isArray(data)) return data.flatMap((v, i) => markedPaths(v, `${path}[${i}]`));
  if (!isRecord(data)) return [];
  const tag = (data.Key ?? data.key ?? data.TagKey) === 'managed-by' && (data.Value ?? data.value ?? data.TagValue) === NAME_PREFIX;
  const own = data['managed-by'] === NAME_PREFIX || tag ? [path] : [];
  return [...own, ...Object.entries(data).flatMap(([k, v]) => [...(k.startsWith(`${NAME_PREFIX}-`) ? [`${path}.${k}`] : []), ...markedPaths(v, path ? `${path}.${k}` : k)])];
}

/** What changes in any world by being used: the clock, ID counters, call history, sessions, events, task records. */
export const HISTORY: readonly RegExp[] = [
  /^(nowMs|seq)$/,
  /^accounts\.\d+\.slices\.cs\.tasks\b/,
  /^accounts\.\d+\.slices\.cs\.clusters\.\w+\.(updated|logs|kubeTokens)$/,
  /^accounts\.\d+\.slices\.cs\.clusters\.\w+\.nodePools\.\w+\.updated$/,
  /^accounts\.\d+\.slices\.ecs\.invocations\b/,
  /^accounts\.\d+\.slices\.ecs\.commands\b/,
  /^shared\.(sts|oidc-idp)\b/,
  /^shared\.pvtz\.nextRecordId$/,
  /^shared\.network\b/,
  /^shared\.kube\.clusters\.\w+\.(rv|podIpSeq)$/,
  /^shared\.kube\.clusters\.\w+\.objects\.events\b/,
  /^shared\.kube\.clusters\.\w+\.objects\.\w+\.[^.]+\.metadata\.resourceVersion$/,
];

/** Paths that are history (call records, sessions, events) and may mention our names without being a resource. */
export const notHistory = (path: string): boolean => !HISTORY.some((re) => re.test(path));
