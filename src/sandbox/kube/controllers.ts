// The control plane's loops, run on every request: namespaces, deployments -> replica sets -> pods, scheduling, kubelet, status.
import { expireEvents, recordEvent } from './events.js';
import { runKubelet } from './kubelet.js';
import { schedulePods, syncNodes } from './nodes.js';
import { createObject, deleteObject, type KubeCtx } from './ops.js';
import { fnv32a, rawDelete, rawGet, rawList, rawPutIfChanged, resource, safeEncode } from './store.js';
import { clone, KubeError, kubeTime, type KubeObject, type OwnerReference } from './types.js';

const NAMESPACES = resource('Namespace');
const SERVICE_ACCOUNTS = resource('ServiceAccount');
const CONFIG_MAPS = resource('ConfigMap');
const DEPLOYMENTS = resource('Deployment');
const REPLICA_SETS = resource('ReplicaSet');
const PODS = resource('Pod');

/** How long a deleted namespace stays Terminating before the namespace controller removes it (assumed). */
const NAMESPACE_FINALIZE_MS = 5_000;
const ROOT_CA = '-----BEGIN CERTIFICATE-----\nMIIDSANDBOXSIMULATEDCLUSTERROOTCA\n-----END CERTIFICATE-----\n';

const controllerUid = (obj: KubeObject): string | undefined => obj.metadata.ownerReferences?.find((r) => r.controller)?.uid;
const revisionOf = (rs: KubeObject): number => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

function ownerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** JSON with sorted keys, so an equal template always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** pod-template-hash: FNV-32a of the template (and collision count), safe-encoded like controller.ComputeHash. */
export function templateHash(template: unknown, collisionCount?: number): string {
  return safeEncode(String(fnv32a(canonical(template) + (collisionCount ? String(collisionCount) : ''))));
}

/** A "25%" or integer bound resolved against the replica count (maxSurge rounds up). */
function resolveSurge(value: unknown, replicas: number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? '25%'));
  return m ? Math.ceil((replicas * Number(m[1])) / 100) : 0;
}

/** The namespace controller's side: removes finished namespaces; the service-account and root-CA controllers fill new ones. */
function reconcileNamespaces(ctx: KubeCtx): void {
  for (const ns of rawList(ctx.cluster, NAMESPACES)) {
    const name = ns.metadata.name;
    if (ns.status?.phase === 'Terminating') {
      if (ctx.world.data.nowMs - Date.parse(String(ns.metadata.deletionTimestamp)) >= NAMESPACE_FINALIZE_MS) rawDelete(ctx.cluster, NAMESPACES, undefined, name);
      continue;
    }
    if (!rawGet(ctx.cluster, SERVICE_ACCOUNTS, name, 'default')) createObject(ctx, SERVICE_ACCOUNTS, name, { metadata: { name: 'default' } });
    if (!rawGet(ctx.cluster, CONFIG_MAPS, name, 'kube-root-ca.crt')) {
      createObject(ctx, CONFIG_MAPS, name, { metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': ROOT_CA } });
    }
  }
}

function setReplicas(ctx: KubeCtx, deployment: KubeObject, rs: KubeObject, replicas: number, annotations: Record<string, string>): KubeObject {
  const next = clone(rs);
  const from = next.spec.replicas ?? 0;
  next.spec.replicas = replicas;
  next.metadata.annotations = { ...(next.metadata.annotations ?? {}), ...annotations };
  if (from !== replicas) next.metadata.generation = (next.metadata.generation ?? 1) + 1;
  const stored = rawPutIfChanged(ctx.cluster, REPLICA_SETS, next);
  if (from !== replicas) {
    const verb = replicas > from ? 'up' : 'down';
    recordEvent(ctx.world, ctx.cluster, deployment, { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${replicas}`, component: 'deployment-controller' });
  }
  return stored;
}

/** Deployment controller: one ReplicaSet per template; the current one gets the replicas, older ones none (rollout is immediate). */
function reconcileDeployment(ctx: KubeCtx, deployment: KubeObject): void {
  if (deployment.metadata.deletionTimestamp) return;
  const ns = deployment.metadata.namespace!;
  const owned = rawList(ctx.cluster, REPLICA_SETS, ns).filter((rs) => controllerUid(rs) === deployment.metadata.uid);
  const hash = templateHash(deployment.spec.template, deployment.status?.collisionCount);
  const desired = deployment.spec.replicas ?? 1;
  const maxRevision = Math.max(0, ...owned.map(revisionOf));
  let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
  if (deployment.spec.paused) return;
  const maxReplicas = String(desired + resolveSurge(deployment.spec.strategy?.rollingUpdate?.maxSurge, desired));
  const annotations = { 'deployment.kubernetes.io/desired-replicas': String(desired), 'deployment.kubernetes.io/max-replicas': maxReplicas };
  if (!current) {
    const template = clone(deployment.spec.template);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash } };
    const selector = { ...clone(deployment.spec.selector), matchLabels: { ...(deployment.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } };
    const body = {
      metadata: {
        name: `${deployment.metadata.name}-${hash}`,
        labels: template.metadata.labels,
        annotations: { ...annotations, 'deployment.kubernetes.io/revision': String(maxRevision + 1) },
        ownerReferences: [ownerRef(deployment)],
      },
      spec: { replicas: desired, selector, template, ...(deployment.spec.minReadySeconds ? { minReadySeconds: deployment.spec.minReadySeconds } : {}) },
    };
    current = createObject(ctx, REPLICA_SETS, ns, body);
    if (desired > 0) recordEvent(ctx.world, ctx.cluster, deployment, { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${current.metadata.name} from 0 to ${desired}`, component: 'deployment-controller' });
  } else {
    // Rolling back to an older template reuses its ReplicaSet under a new revision.
    const revision = revisionOf(current) === maxRevision ? maxRevision : maxRevision + 1;
    current = setReplicas(ctx, deployment, current, desired, { ...annotations, 'deployment.kubernetes.io/revision': String(revision) });
  }
  const old = owned.filter((rs) => rs.metadata.uid !== current!.metadata.uid);
  for (const rs of old) if ((rs.spec.replicas ?? 0) > 0) setReplicas(ctx, deployment, rs, 0, {});
  // revisionHistoryLimit: the oldest scaled-down ReplicaSets go.
  const history = old.sort((a, b) => revisionOf(a) - revisionOf(b));
  const limit = deployment.spec.revisionHistoryLimit ?? 10;
  for (const rs of history.slice(0, Math.max(0, history.length - limit))) deleteObject(ctx, REPLICA_SETS, ns, rs.metadata.name);
  const next = clone(deployment);
  next.metadata.annotations = { ...(next.metadata.annotations ?? {}), 'deployment.kubernetes.io/revision': current.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '1' };
  rawPutIfChanged(ctx.cluster, DEPLOYMENTS, next);
}

const isReadyPod = (pod: KubeObject): boolean => pod.status?.phase === 'Running' && (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

function podsOf(ctx: KubeCtx, owner: KubeObject): KubeObject[] {
  return rawList(ctx.cluster, PODS, owner.metadata.namespace).filter((p) => controllerUid(p) === owner.metadata.uid && !p.metadata.deletionTimestamp);
}

/** ReplicaSet controller: creates or deletes pods to match spec.replicas; a refused create shows as FailedCreate. */
function reconcileReplicaSet(ctx: KubeCtx, rs: KubeObject): void {
  const ns = rs.metadata.namespace!;
  let pods = podsOf(ctx, rs);
  const desired = rs.spec.replicas ?? 0;
  let failure: string | undefined;
  for (let i = pods.length; i < desired; i++) {
    const template = rs.spec.template ?? {};
    const body = {
      metadata: { generateName: `${rs.metadata.name}-`, labels: template.metadata?.labels, annotations: template.metadata?.annotations, ownerReferences: [ownerRef(rs)] },
      spec: clone(template.spec),
    };
    try {
      const pod = createObject(ctx, PODS, ns, body);
      recordEvent(ctx.world, ctx.cluster, rs, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}`, component: 'replicaset-controller' });
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      failure = error.message;
      recordEvent(ctx.world, ctx.cluster, rs, { type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${error.message}`, component: 'replicaset-controller' });
      break;
    }
  }
  // Scale down: unscheduled first, then not running, then the newest.
  const rank = (p: KubeObject) => (p.spec?.nodeName ? 0 : 2) + (p.status?.phase === 'Running' ? 0 : 1);
  const surplus = [...pods].sort((a, b) => rank(b) - rank(a) || (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? 1 : -1)).slice(0, Math.max(0, pods.length - desired));
  for (const pod of surplus) {
    deleteObject(ctx, PODS, ns, pod.metadata.name);
    recordEvent(ctx.world, ctx.cluster, rs, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}`, component: 'replicaset-controller' });
  }
  pods = podsOf(ctx, rs);
  const current = rawGet(ctx.cluster, REPLICA_SETS, ns, rs.metadata.name);
  if (!current) return;
  const next = clone(current);
  const ready = pods.filter(isReadyPod).length;
  const status: Record<string, unknown> = { replicas: pods.length, fullyLabeledReplicas: pods.length, observedGeneration: current.metadata.generation ?? 1 };
  if (ready > 0) Object.assign(status, { readyReplicas: ready, availableReplicas: ready });
  const now = kubeTime(ctx.world.data.nowMs);
  const before = (current.status?.conditions ?? []).find((c: any) => c.type === 'ReplicaFailure');
  if (failure) status.conditions = [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: before?.lastTransitionTime ?? now, reason: 'FailedCreate', message: failure }];
  next.status = status;
  rawPutIfChanged(ctx.cluster, REPLICA_SETS, next);
}

type DeploymentCondition = { type: string; status: string; lastUpdateTime: string; lastTransitionTime: string; reason: string; message: string };

function condition(previous: DeploymentCondition[], type: string, status: string, reason: string, message: string, now: string, progressed: boolean): DeploymentCondition {
  const before = previous.find((c) => c.type === type);
  const same = before && before.status === status && before.reason === reason && before.message === message;
  return {
    type,
    status,
    lastUpdateTime: same && !progressed ? before.lastUpdateTime : now,
    lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
    reason,
    message,
  };
}

/** Deployment status: replica counts from its ReplicaSets' pods, Available and Progressing with the progress deadline. */
function deploymentStatus(ctx: KubeCtx, deployment: KubeObject): void {
  const ns = deployment.metadata.namespace!;
  const owned = rawList(ctx.cluster, REPLICA_SETS, ns).filter((rs) => controllerUid(rs) === deployment.metadata.uid);
  const hash = templateHash(deployment.spec.template, deployment.status?.collisionCount);
  const current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
  const pods = owned.flatMap((rs) => podsOf(ctx, rs));
  const updated = current ? podsOf(ctx, current).length : 0;
  const ready = pods.filter(isReadyPod).length;
  const desired = deployment.spec.replicas ?? 1;
  const now = kubeTime(ctx.world.data.nowMs);
  const previous: DeploymentCondition[] = deployment.status?.conditions ?? [];
  const maxUnavailable = deployment.spec.strategy?.type === 'Recreate' ? 0 : Math.floor((desired * Number(/^(\d+)%$/.exec(String(deployment.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%'))?.[1] ?? 0)) / 100);
  const available = ready >= desired - maxUnavailable;
  const complete = updated === desired && ready === desired && pods.length === desired;
  const rsName = current?.metadata.name ?? '';
  const oldReady = Number(deployment.status?.availableReplicas ?? 0);
  const prevProgress = previous.find((c) => c.type === 'Progressing');
  let progressing: DeploymentCondition;
  if (complete) progressing = condition(previous, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, now, false);
  else if (prevProgress?.reason === 'ProgressDeadlineExceeded' && prevProgress.message.includes(`"${rsName}"`)) progressing = prevProgress;
  else {
    // A new ReplicaSet starts as NewReplicaSetCreated; once its pods become ready it is ReplicaSetUpdated.
    const newRs = !prevProgress || !prevProgress.message.includes(`"${rsName}"`);
    const fresh = newRs || (prevProgress.reason === 'NewReplicaSetCreated' && ready <= oldReady);
    progressing = fresh
      ? condition(previous, 'Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`, now, false)
      : condition(previous, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, now, ready > oldReady);
    const deadline = (deployment.spec.progressDeadlineSeconds ?? 600) * 1000;
    if (ctx.world.data.nowMs - Date.parse(progressing.lastUpdateTime) > deadline) {
      progressing = condition(previous, 'Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`, now, false);
    }
  }
  const availableCondition = available
    ? condition(previous, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now, false)
    : condition(previous, 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now, false);
  const status: Record<string, unknown> = { observedGeneration: deployment.metadata.generation ?? 1 };
  if (pods.length) status.replicas = pods.length;
  if (updated) status.updatedReplicas = updated;
  if (ready) Object.assign(status, { readyReplicas: ready, availableReplicas: ready });
  if (desired - ready > 0) status.unavailableReplicas = desired - ready;
  status.conditions = [availableCondition, progressing];
  if (deployment.status?.collisionCount) status.collisionCount = deployment.status.collisionCount;
  const next = clone(deployment);
  next.status = status;
  rawPutIfChanged(ctx.cluster, DEPLOYMENTS, next);
}

/** One pass of every loop; repeated while it still changes something (controllers reacting to each other). */
export function reconcile(ctx: KubeCtx): void {
  expireEvents(ctx.world, ctx.cluster);
  syncNodes(ctx);
  for (let pass = 0; pass < 4; pass++) {
    const before = ctx.cluster.rv;
    reconcileNamespaces(ctx);
    for (const deployment of rawList(ctx.cluster, DEPLOYMENTS)) reconcileDeployment(ctx, deployment);
    for (const rs of rawList(ctx.cluster, REPLICA_SETS)) reconcileReplicaSet(ctx, rs);
    schedulePods(ctx);
    for (const pod of rawList(ctx.cluster, PODS)) {
      if (pod.spec?.nodeName && pod.status?.phase === 'Pending' && !pod.metadata.deletionTimestamp && rawGet(ctx.cluster, resource('Node'), undefined, pod.spec.nodeName)) runKubelet(ctx, pod);
    }
    for (const deployment of rawList(ctx.cluster, DEPLOYMENTS)) deploymentStatus(ctx, deployment);
    if (ctx.cluster.rv === before) break;
  }
}
