// The simulated clusters' Kubernetes API: what the sandbox server mounts and what other sandbox parts read and write.
export { createKubeHandler } from './server.js';
export { clusterTokenAccepted, ensureKubeCluster, kubeStore, KubeStore, seedKubeCluster, setClusterToken, type SeedKubeOptions } from './cluster.js';
export { setPodDecider, type PodDecider, type PodDecision, type PodEventSpec, type PodPhase } from './kubelet.js';
export { clusterInstances, nodeInstance, nodeNameOf } from './nodes.js';
export type { EventInput } from './events.js';
export type { DeleteOptions, ListOptions, WriteOptions } from './ops.js';
export type { PatchType } from './patch.js';
export { KubeError, type KindName, type KubeObject, type KubeObjectInput } from './types.js';
