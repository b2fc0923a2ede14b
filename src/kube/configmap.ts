// ConfigMaps: read one, and update one by read-modify-write that keeps every key it does not change.
import type { V1ConfigMap } from '@kubernetes/client-node';

import { isKubeConflict, isKubeNotFound, kubeCall, type KubeClient } from './client.js';

export interface ConfigMapData {
  data: Record<string, string>;
  resourceVersion?: string;
}

async function readRaw(client: KubeClient, namespace: string, name: string): Promise<V1ConfigMap | undefined> {
  try {
    return await kubeCall(client, `read ConfigMap ${namespace}/${name}`, () => client.core.readNamespacedConfigMap({ name, namespace }));
  } catch (error) {
    if (isKubeNotFound(error)) return undefined;
    throw error;
  }
}

/** One ConfigMap's data; undefined when it does not exist. */
export async function readConfigMap(client: KubeClient, namespace: string, name: string): Promise<ConfigMapData | undefined> {
  const cm = await readRaw(client, namespace, name);
  return cm ? { data: { ...(cm.data ?? {}) }, resourceVersion: cm.metadata?.resourceVersion } : undefined;
}

/** What an update did: nothing (the data was already as wanted), or the ConfigMap was created or replaced. */
export type ConfigMapWrite = 'unchanged' | 'created' | 'replaced';

/**
 * Applies `change` to the ConfigMap's current data (`exists`: whether there is a ConfigMap) and writes the result:
 * created when missing, replaced with the read resourceVersion otherwise, so a concurrent writer makes us re-read and
 * re-apply instead of being overwritten. `change` returning undefined writes nothing (a missing ConfigMap stays
 * missing). Labels, annotations and binaryData stay as they are.
 */
export async function updateConfigMap(
  client: KubeClient,
  namespace: string,
  name: string,
  change: (data: Record<string, string>, exists: boolean) => Record<string, string> | undefined,
  attempts = 5,
): Promise<ConfigMapWrite> {
  for (let attempt = 1; ; attempt++) {
    const current = await readRaw(client, namespace, name);
    const before = { ...(current?.data ?? {}) };
    const next = change({ ...before }, current !== undefined);
    if (next === undefined) return 'unchanged';
    try {
      if (!current) {
        await kubeCall(client, `create ConfigMap ${namespace}/${name}`, () =>
          client.core.createNamespacedConfigMap({ namespace, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: next } }),
        );
        return 'created';
      }
      if (sameData(before, next)) return 'unchanged';
      await kubeCall(client, `replace ConfigMap ${namespace}/${name}`, () =>
        client.core.replaceNamespacedConfigMap({ name, namespace, body: { ...current, data: next } }),
      );
      return 'replaced';
    } catch (error) {
      // 409: someone wrote in between (stale resourceVersion) or created it first; 404: deleted in between.
      if (!(isKubeConflict(error) || isKubeNotFound(error)) || attempt >= attempts) throw error;
    }
  }
}

function sameData(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}
