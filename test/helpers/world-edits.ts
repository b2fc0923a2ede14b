// Changes made to a sandbox world between CLI runs, as someone would make them in the console.
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { kubeWorld } from '../../src/sandbox/kube/store.js';
import { csState, findCluster } from '../../src/sandbox/state/cs.js';
import { ecsState } from '../../src/sandbox/state/ecs.js';
import { World } from '../../src/sandbox/world.js';

/** Deletes A's cluster as ACK does: the cluster, its tasks, its Kubernetes objects and its nodes (ECS instances); its VPC stays. */
export function deleteClusterIn(world: World, clusterId: string): void {
  const found = findCluster(world, clusterId);
  assert.ok(found, `cluster ${clusterId} in the world`);
  const cs = csState(world, found.accountId);
  delete cs.clusters[clusterId];
  for (const [id, task] of Object.entries(cs.tasks)) if (task.clusterId === clusterId) delete cs.tasks[id];
  delete kubeWorld(world).clusters[clusterId];
  const { instances } = ecsState(world, found.accountId);
  for (const [id, instance] of Object.entries(instances)) if (instance.clusterId === clusterId) delete instances[id];
}

/** The same on a saved world (`--sandbox-state DIR`). */
export function deleteCluster(stateDir: string, clusterId: string): void {
  const file = join(stateDir, 'state.json');
  const world = World.load(file);
  deleteClusterIn(world, clusterId);
  world.save(file);
}
