// Pods: the helper's pods in kube-system (their start times), and deleting one so its Deployment starts a fresh one.
import { isKubeNotFound, kubeCall, type KubeClient } from './client.js';

export interface PodInfo {
  name: string;
  /** creationTimestamp, epoch ms. */
  createdMs: number;
}

/** Pods of a namespace whose name starts with `prefix`, leaving out those already being deleted. */
export async function listPods(client: KubeClient, namespace: string, prefix: string): Promise<PodInfo[]> {
  const list = await kubeCall(client, `list pods in ${namespace}`, () => client.core.listNamespacedPod({ namespace }));
  return list.items
    .filter((p) => p.metadata?.name?.startsWith(prefix) && !p.metadata.deletionTimestamp)
    .map((p) => ({ name: p.metadata!.name!, createdMs: toMs(p.metadata!.creationTimestamp) }));
}

/** Deletes a pod; false when it was already gone. */
export async function deletePod(client: KubeClient, namespace: string, name: string): Promise<boolean> {
  try {
    await kubeCall(client, `delete pod ${namespace}/${name}`, () => client.core.deleteNamespacedPod({ name, namespace }));
    return true;
  } catch (error) {
    if (isKubeNotFound(error)) return false;
    throw error;
  }
}

function toMs(value: Date | string | undefined): number {
  if (value instanceof Date) return value.getTime();
  return value ? Date.parse(value) : 0;
}
