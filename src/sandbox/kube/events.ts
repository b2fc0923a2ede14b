// Events as the controllers, scheduler and kubelet record them (core/v1 Event, aggregated by count like client-go).
import { randomUUID } from 'node:crypto';

import type { World } from '../world.js';
import { rawList, rawPut, resource, type KubeClusterState } from './store.js';
import { kubeTime, type KubeObject } from './types.js';

export interface EventInput {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** source.component / reportingComponent: kubelet, default-scheduler, replicaset-controller, ... */
  component: string;
  /** source.host (the node, for kubelet events). */
  host?: string;
  /** e.g. `spec.containers{app}` for a container's pull events. */
  fieldPath?: string;
  /** Sets the count outright (a decider that knows how often a back-off repeated). */
  count?: number;
}

/** The API server keeps events for an hour (--event-ttl default). */
const EVENT_TTL_MS = 60 * 60 * 1000;

const EVENTS = resource('Event');

function sameSeries(e: KubeObject, involved: KubeObject, input: EventInput): boolean {
  return (
    e.involvedObject?.uid === involved.metadata.uid &&
    e.reason === input.reason &&
    e.message === input.message &&
    e.type === input.type &&
    e.source?.component === input.component &&
    (e.involvedObject?.fieldPath ?? '') === (input.fieldPath ?? '')
  );
}

/**
 * Records an event about `involved`. `mode: 'aggregate'` bumps the count of an identical event (controllers retrying);
 * `mode: 'once'` leaves an identical event alone (deciders re-reporting the same history on every read).
 */
export function recordEvent(world: World, cluster: KubeClusterState, involved: KubeObject, input: EventInput, mode: 'aggregate' | 'once' = 'aggregate'): KubeObject {
  const namespace = involved.metadata.namespace || 'default';
  const now = kubeTime(world.data.nowMs);
  const existing = rawList(cluster, EVENTS, namespace).find((e) => sameSeries(e, involved, input));
  if (existing) {
    if (mode === 'once' && (input.count === undefined || input.count === existing.count)) return existing;
    const updated = { ...existing, count: input.count ?? (existing.count ?? 1) + 1, lastTimestamp: now };
    return rawPut(cluster, EVENTS, updated);
  }
  // Like client-go's recorder: `<object>.<hex of the time in ns>`, unique per event.
  const nanos = BigInt(world.data.nowMs) * 1_000_000n + BigInt(cluster.rv);
  const involvedObject: Record<string, unknown> = {
    kind: involved.kind,
    namespace: involved.metadata.namespace,
    name: involved.metadata.name,
    uid: involved.metadata.uid,
    apiVersion: involved.apiVersion,
    resourceVersion: involved.metadata.resourceVersion,
  };
  if (!involved.metadata.namespace) delete involvedObject.namespace;
  if (input.fieldPath) involvedObject.fieldPath = input.fieldPath;
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${involved.metadata.name}.${nanos.toString(16)}`, namespace, uid: randomUUID(), resourceVersion: '', creationTimestamp: now },
    involvedObject,
    reason: input.reason,
    message: input.message,
    source: input.host ? { component: input.component, host: input.host } : { component: input.component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: input.count ?? 1,
    type: input.type,
    eventTime: null,
    reportingComponent: input.component,
    reportingInstance: input.host ?? '',
  };
  return rawPut(cluster, EVENTS, event);
}

/** Drops events older than the TTL, as etcd's lease expiry does. */
export function expireEvents(world: World, cluster: KubeClusterState): void {
  const bucket = cluster.objects[EVENTS.plural];
  if (!bucket) return;
  for (const [key, event] of Object.entries(bucket)) {
    const last = Date.parse(String(event.lastTimestamp ?? event.metadata.creationTimestamp));
    if (Number.isFinite(last) && world.data.nowMs - last > EVENT_TTL_MS) delete bucket[key];
  }
}
