// How the simulated cluster's Kubernetes side hears that an add-on came up or went away (its workload, its default
// config), without this state layer knowing any Kubernetes: listeners registered by the pull decision at start-up.
import type { World } from '../world.js';

/** Called when an add-on becomes active in a cluster (install finished), or is gone from it (uninstall finished). */
export type AddonListener = (world: World, clusterId: string, addonName: string) => void;

const activeListeners: AddonListener[] = [];
const removedListeners: AddonListener[] = [];

/** Lets the simulated cluster react to an add-on install finishing. */
export function onAddonActive(listener: AddonListener): void {
  if (!activeListeners.includes(listener)) activeListeners.push(listener);
}

/** Lets the simulated cluster react to an add-on uninstall finishing (its workload goes away). */
export function onAddonRemoved(listener: AddonListener): void {
  if (!removedListeners.includes(listener)) removedListeners.push(listener);
}

export function addonActivated(world: World, clusterId: string, addonName: string): void {
  for (const listener of activeListeners) listener(world, clusterId, addonName);
}

export function addonRemoved(world: World, clusterId: string, addonName: string): void {
  for (const listener of removedListeners) listener(world, clusterId, addonName);
}
