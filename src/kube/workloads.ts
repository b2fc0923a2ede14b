// Workloads for the test pull: create, read and delete a Deployment, find its pods by label, read a pod's events.
import { isKubeConflict, isKubeNotFound, kubeCall, kubeClient, type KubeClient } from './client.js';

/** A KubeClient that also reaches apps/v1 (Deployments). */
export interface WorkloadClient extends KubeClient {
  apps: import('@kubernetes/client-node').AppsV1Api;
}

const appsClients = new Map<string, Promise<WorkloadClient>>();

/** A client for the kubeconfig's current context with the apps/v1 API (secrets registered through kubeClient). */
export function workloadClient(kubeconfig: string): Promise<WorkloadClient> {
  let pending = appsClients.get(kubeconfig);
  if (!pending) {
    pending = Promise.all([kubeClient(kubeconfig), import('@kubernetes/client-node')]).then(([base, k]) => {
      const kc = new k.KubeConfig();
      kc.loadFromString(kubeconfig);
      return { ...base, apps: kc.makeApiClient(k.AppsV1Api) };
    });
    appsClients.set(kubeconfig, pending);
  }
  return pending;
}

export interface DeploymentSpec {
  namespace: string;
  name: string;
  image: string;
  serviceAccount: string;
  /** Labels on the Deployment, its selector and its pods. */
  labels: Record<string, string>;
}

/** Creates a one-replica Deployment; an existing one of the same name is replaced by deleting it first. */
export async function createDeployment(client: WorkloadClient, spec: DeploymentSpec): Promise<void> {
  const body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: spec.labels },
      template: {
        metadata: { labels: spec.labels },
        spec: { serviceAccountName: spec.serviceAccount, containers: [{ name: 'pull', image: spec.image, imagePullPolicy: 'Always' }] },
      },
    },
  };
  const what = `create Deployment ${spec.namespace}/${spec.name}`;
  try {
    await kubeCall(client, what, () => client.apps.createNamespacedDeployment({ namespace: spec.namespace, body }));
  } catch (error) {
    if (!isKubeConflict(error)) throw error;
    // A kept Deployment from an earlier run (--keep): start over so the pull is tested afresh.
    await deleteDeployment(client, spec.namespace, spec.name);
    await kubeCall(client, what, () => client.apps.createNamespacedDeployment({ namespace: spec.namespace, body }));
  }
}

export interface DeploymentInfo {
  namespace: string;
  name: string;
  labels: Record<string, string>;
}

/** One Deployment's name and labels; undefined when it does not exist. */
export async function readDeployment(client: WorkloadClient, namespace: string, name: string): Promise<DeploymentInfo | undefined> {
  try {
    const d = await kubeCall(client, `read Deployment ${namespace}/${name}`, () => client.apps.readNamespacedDeployment({ name, namespace }));
    return { namespace, name, labels: { ...(d.metadata?.labels ?? {}) } };
  } catch (error) {
    if (isKubeNotFound(error)) return undefined;
    throw error;
  }
}

/** Deletes a Deployment and (in the background) its ReplicaSets and pods; false when it was already gone. */
export async function deleteDeployment(client: WorkloadClient, namespace: string, name: string): Promise<boolean> {
  try {
    await kubeCall(client, `delete Deployment ${namespace}/${name}`, () => client.apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' }));
    return true;
  } catch (error) {
    if (isKubeNotFound(error)) return false;
    throw error;
  }
}

export interface PodState {
  name: string;
  phase: string;
  /** Why the first container waits (ErrImagePull, ImagePullBackOff, ContainerCreating), if it does. */
  waitingReason?: string;
}

/** Pods matching a label selector (e.g. `app=x`), leaving out those already being deleted. */
export async function listPodsByLabel(client: KubeClient, namespace: string, labelSelector: string): Promise<PodState[]> {
  const list = await kubeCall(client, `list pods ${labelSelector} in ${namespace}`, () => client.core.listNamespacedPod({ namespace, labelSelector }));
  return list.items
    .filter((p) => p.metadata?.name && !p.metadata.deletionTimestamp)
    .map((p) => ({ name: p.metadata!.name!, phase: p.status?.phase ?? 'Pending', waitingReason: p.status?.containerStatuses?.[0]?.state?.waiting?.reason }));
}

export interface PodEvent {
  type: string;
  reason: string;
  message: string;
}

/** A pod's events, oldest first. */
export async function listPodEvents(client: KubeClient, namespace: string, podName: string): Promise<PodEvent[]> {
  const list = await kubeCall(client, `list events of pod ${namespace}/${podName}`, () =>
    client.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${podName}` }),
  );
  const at = (e: (typeof list.items)[number]): number => new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0).getTime();
  return [...list.items]
    .sort((x, y) => at(x) - at(y))
    .map((e) => ({ type: e.type ?? 'Normal', reason: e.reason ?? '', message: e.message ?? '' }));
}
