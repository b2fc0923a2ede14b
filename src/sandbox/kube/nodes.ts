// Node objects mirrored from the cluster's ECS instances, and the scheduler that binds pods to them.
import { findCluster } from '../state/cs.js';
import type { EcsInstanceRecord, EcsSlice } from '../state/ecs.js';
import type { World } from '../world.js';
import { recordEvent } from './events.js';
import { setCondition } from './kubelet.js';
import type { KubeCtx } from './ops.js';
import { rawDelete, rawList, rawPutIfChanged, resource, stampNew } from './store.js';
import { clone, kubeTime, type KubeObject } from './types.js';

const NODES = resource('Node');
const PODS = resource('Pod');

/** ACK names a node `<region>.<private IP>` and sets providerID `<region>.<instance ID>`. */
export const nodeNameOf = (instance: Pick<EcsInstanceRecord, 'regionId' | 'privateIp'>): string => `${instance.regionId}.${instance.privateIp}`;

/** The cluster's ECS instances in every account (read without creating empty ECS slices). */
export function clusterInstances(world: World, clusterId: string): { accountId: string; instance: EcsInstanceRecord }[] {
  const found: { accountId: string; instance: EcsInstanceRecord }[] = [];
  for (const account of Object.values(world.data.accounts)) {
    const slice = account.slices.ecs as EcsSlice | undefined;
    for (const instance of Object.values(slice?.instances ?? {})) if (instance.clusterId === clusterId) found.push({ accountId: account.accountId, instance });
  }
  return found;
}

/** The ECS instance behind a node name (what the simulated kubelet needs: hosts file, VPC, vSwitch, RAM role). */
export function nodeInstance(world: World, clusterId: string, nodeName: string): { accountId: string; instance: EcsInstanceRecord } | undefined {
  return clusterInstances(world, clusterId).find(({ instance }) => nodeNameOf(instance) === nodeName);
}

function nodeObject(ctx: KubeCtx, instance: EcsInstanceRecord, master: boolean): KubeObject {
  const name = nodeNameOf(instance);
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'topology.kubernetes.io/region': instance.regionId,
    'topology.kubernetes.io/zone': instance.zoneId,
  };
  if (instance.instanceType) labels['node.kubernetes.io/instance-type'] = instance.instanceType;
  if (instance.nodePoolId) labels['alibabacloud.com/nodepool-id'] = instance.nodePoolId;
  if (master) labels['node-role.kubernetes.io/master'] = '';
  const ready = instance.status === 'Running';
  const spec: Record<string, unknown> = { providerID: `${instance.regionId}.${instance.instanceId}` };
  if (master) spec.taints = [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }];
  const version = ctx.cluster.version;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: '', resourceVersion: '', creationTimestamp: '', labels },
    spec,
    status: {
      addresses: [
        { type: 'InternalIP', address: instance.privateIp },
        { type: 'Hostname', address: name },
      ],
      conditions: [
        ready
          ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
          : { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' },
      ],
      nodeInfo: { kubeletVersion: version, kubeProxyVersion: version, containerRuntimeVersion: 'containerd://1.6.28', operatingSystem: 'linux', architecture: 'amd64', osImage: instance.osName ?? 'Alibaba Cloud Linux 3.2104 U10 (OpenAnolis Edition)' },
    },
  };
}

/** A Serverless cluster schedules onto a virtual node per zone (ECI), not onto ECS instances. */
function virtualNode(ctx: KubeCtx, regionId: string, zoneId: string): KubeObject {
  const name = `virtual-kubelet-${zoneId}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: '', resourceVersion: '', creationTimestamp: '', labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', type: 'virtual-kubelet', 'topology.kubernetes.io/region': regionId, 'topology.kubernetes.io/zone': zoneId } },
    spec: {},
    status: { addresses: [], conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok' }], nodeInfo: { kubeletVersion: ctx.cluster.version, operatingSystem: 'linux', architecture: 'amd64' } },
  };
}

/** Keeps Node objects in step with the ECS instances that carry this cluster's ID. */
export function syncNodes(ctx: KubeCtx): void {
  const cs = findCluster(ctx.world, ctx.cluster.clusterId);
  const masters = new Set(cs?.cluster.masterInstanceIds ?? []);
  const wanted = clusterInstances(ctx.world, ctx.cluster.clusterId).map(({ instance }) => nodeObject(ctx, instance, masters.has(instance.instanceId)));
  if (cs?.cluster.profile === 'Serverless') wanted.push(virtualNode(ctx, cs.cluster.regionId, cs.cluster.zoneId));
  const names = new Set(wanted.map((n) => n.metadata.name));
  for (const desired of wanted) {
    const current = rawList(ctx.cluster, NODES).find((n) => n.metadata.name === desired.metadata.name);
    if (!current) {
      stampNew(ctx.world, NODES, desired);
      rawPutIfChanged(ctx.cluster, NODES, desired);
      continue;
    }
    const next = clone(current);
    next.status = { ...next.status, conditions: desired.status.conditions, nodeInfo: desired.status.nodeInfo, addresses: desired.status.addresses };
    rawPutIfChanged(ctx.cluster, NODES, next);
  }
  // Mirrored nodes (those with an ECS providerID) go when their instance goes; nodes created through the API stay.
  for (const node of rawList(ctx.cluster, NODES)) {
    const mirrored = /\.i-/.test(String(node.spec?.providerID ?? '')) || node.metadata.labels?.type === 'virtual-kubelet';
    if (mirrored && !names.has(node.metadata.name)) rawDelete(ctx.cluster, NODES, undefined, node.metadata.name);
  }
}

const isReady = (node: KubeObject): boolean => (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** A pod tolerates a NoSchedule taint only with a matching toleration. */
function tolerates(pod: KubeObject, node: KubeObject): boolean {
  const taints: any[] = (node.spec?.taints ?? []).filter((t: any) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  const tolerations: any[] = pod.spec?.tolerations ?? [];
  const matches = (tol: any, t: any) =>
    (tol.operator === 'Exists' ? !tol.key || tol.key === t.key : tol.key === t.key && (tol.value ?? '') === (t.value ?? '')) && (!tol.effect || tol.effect === t.effect);
  return taints.every((t) => tolerations.some((tol) => matches(tol, t)));
}

function internalIp(node: KubeObject): string | undefined {
  return (node.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
}

/** Fills what binding sets on a pod: PodScheduled, hostIP, startTime. */
function bind(ctx: KubeCtx, pod: KubeObject, node: KubeObject): KubeObject {
  const now = kubeTime(ctx.world.data.nowMs);
  const next = clone(pod);
  next.spec.nodeName = node.metadata.name;
  next.status ??= { phase: 'Pending' };
  setCondition(next.status, 'PodScheduled', 'True', now);
  const ip = internalIp(node);
  if (ip) {
    next.status.hostIP = ip;
    next.status.hostIPs = [{ ip }];
  }
  next.status.startTime ??= now;
  return rawPutIfChanged(ctx.cluster, PODS, next);
}

/** default-scheduler: each unbound pod goes to the ready, untainted node with the fewest pods. */
export function schedulePods(ctx: KubeCtx): void {
  const nodes = rawList(ctx.cluster, NODES);
  const pods = rawList(ctx.cluster, PODS);
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (pod.spec?.nodeName) {
      const node = nodes.find((n) => n.metadata.name === pod.spec.nodeName);
      if (node && !pod.status?.startTime) bind(ctx, pod, node);
      continue;
    }
    const fit = nodes.filter((n) => isReady(n) && !n.spec?.unschedulable && tolerates(pod, n));
    const ns = pod.metadata.namespace;
    if (fit.length === 0) {
      const message = nodes.length === 0 ? 'no nodes available to schedule pods' : `0/${nodes.length} nodes are available: ${nodes.length} node(s) were unschedulable, not ready or had untolerated taints. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
      const next = clone(pod);
      next.status ??= { phase: 'Pending' };
      setCondition(next.status, 'PodScheduled', 'False', kubeTime(ctx.world.data.nowMs), 'Unschedulable', message);
      const stored = rawPutIfChanged(ctx.cluster, PODS, next);
      recordEvent(ctx.world, ctx.cluster, stored, { type: 'Warning', reason: 'FailedScheduling', message, component: 'default-scheduler' }, 'once');
      continue;
    }
    const load = (n: KubeObject) => pods.filter((p) => p.spec?.nodeName === n.metadata.name).length;
    const node = fit.reduce((best, n) => (load(n) < load(best) ? n : best));
    const bound = bind(ctx, pod, node);
    pods.splice(pods.indexOf(pod), 1, bound);
    recordEvent(ctx.world, ctx.cluster, bound, { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${ns}/${pod.metadata.name} to ${node.metadata.name}`, component: 'default-scheduler' });
  }
}
