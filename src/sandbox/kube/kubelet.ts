// The simulated kubelet's seam: a pluggable decider says how a bound pod is doing; this writes its status and events.
import { createHash } from 'node:crypto';

import type { World } from '../world.js';
import { recordEvent } from './events.js';
import { nextPodIp, rawPutIfChanged, resource } from './store.js';
import type { KubeCtx } from './ops.js';
import { clone, kubeTime, type KubeObject } from './types.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface PodEventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** e.g. `spec.containers{app}`; pull events carry it on a real node. */
  fieldPath?: string;
  /** How often the event repeated so far (e.g. back-off); default 1. */
  count?: number;
}

export interface PodDecision {
  phase: PodPhase;
  /** Every event the pod should show by now: the same list may come back on every call (recorded once each). */
  events: PodEventSpec[];
  /** While Pending: why the containers wait (ErrImagePull, ImagePullBackOff, ...); default ContainerCreating. */
  waiting?: { reason: string; message?: string };
}

/** Decides a pod's progress from the whole world; called for each bound, not-yet-running pod on every API request. */
export type PodDecider = (world: World, clusterId: string, pod: KubeObject) => PodDecision;

const pendingForever: PodDecider = () => ({ phase: 'Pending', events: [] });
let decider: PodDecider = pendingForever;

/** Installs the simulated kubelet's decision function (undefined restores the default: Pending, no events). */
export function setPodDecider(fn: PodDecider | undefined): void {
  decider = fn ?? pendingForever;
}

const PODS = resource('Pod');

type Condition = { type: string; status: string; lastProbeTime: null; lastTransitionTime: string; reason?: string; message?: string };

/** Sets a pod condition, keeping lastTransitionTime when the status did not change. */
export function setCondition(status: any, type: string, value: 'True' | 'False', now: string, reason?: string, message?: string): void {
  const conditions: Condition[] = (status.conditions ??= []);
  const current = conditions.find((c) => c.type === type);
  const next: Condition = { type, status: value, lastProbeTime: null, lastTransitionTime: current && current.status === value ? current.lastTransitionTime : now };
  if (reason) next.reason = reason;
  if (message) next.message = message;
  if (current) conditions.splice(conditions.indexOf(current), 1, next);
  else conditions.push(next);
}

const digestOf = (image: string): string => `sha256:${createHash('sha256').update(image).digest('hex')}`;

function containerStatuses(pod: KubeObject, decision: PodDecision, previous: any[] | undefined, now: string): any[] {
  return (pod.spec?.containers ?? []).map((c: any) => {
    const base = { name: c.name, image: c.image, imageID: '', lastState: {}, ready: false, restartCount: 0, started: false };
    if (decision.phase === 'Running') {
      const before = previous?.find((p) => p.name === c.name);
      const startedAt = before?.state?.running?.startedAt ?? now;
      return { ...base, imageID: `${c.image.split(':')[0]}@${digestOf(c.image)}`, containerID: `containerd://${digestOf(pod.metadata.uid + c.name).slice(7)}`, ready: true, started: true, state: { running: { startedAt } } };
    }
    if (decision.phase === 'Succeeded' || decision.phase === 'Failed') {
      const exitCode = decision.phase === 'Succeeded' ? 0 : 1;
      return { ...base, state: { terminated: { exitCode, reason: decision.phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: now, finishedAt: now } } };
    }
    const waiting: Record<string, string> = { reason: decision.waiting?.reason ?? 'ContainerCreating' };
    if (decision.waiting?.message) waiting.message = decision.waiting.message;
    return { ...base, state: { waiting } };
  });
}

/** Asks the decider about one bound pod and writes what it says: events (once each) and the pod's status. */
export function runKubelet(ctx: KubeCtx, pod: KubeObject): void {
  const decision = decider(ctx.world, ctx.cluster.clusterId, clone(pod));
  const node = String(pod.spec?.nodeName ?? '');
  for (const event of decision.events) recordEvent(ctx.world, ctx.cluster, pod, { ...event, component: 'kubelet', host: node }, 'once');
  const now = kubeTime(ctx.world.data.nowMs);
  const next = clone(pod);
  const status = (next.status ??= {});
  status.phase = decision.phase;
  const ready = decision.phase === 'Running';
  const names = (pod.spec?.containers ?? []).map((c: any) => c.name).join(' ');
  setCondition(status, 'PodReadyToStartContainers', 'True', now); // the pod sandbox exists once the kubelet works on the pod
  setCondition(status, 'Initialized', 'True', now);
  if (ready) {
    setCondition(status, 'Ready', 'True', now);
    setCondition(status, 'ContainersReady', 'True', now);
    status.podIP ??= nextPodIp(ctx.cluster);
    status.podIPs = [{ ip: status.podIP }];
  } else {
    const reason = decision.phase === 'Succeeded' ? 'PodCompleted' : 'ContainersNotReady';
    const message = decision.phase === 'Succeeded' ? undefined : `containers with unready status: [${names}]`;
    setCondition(status, 'Ready', 'False', now, reason, message);
    setCondition(status, 'ContainersReady', 'False', now, reason, message);
  }
  status.containerStatuses = containerStatuses(pod, decision, pod.status?.containerStatuses, now);
  rawPutIfChanged(ctx.cluster, PODS, next);
}
