// Replacing the other edition of the credential helper (--replace-edition). ACK runs one edition at a time, so the
// other is uninstalled (its task awaited, until CS no longer lists it) right before ours is installed; the entries it
// served for other instances move into ours (merge, never clobber: replacing an edition must not cut other teams off).
import type { Config } from '../../config/schema.js';
import * as addons from '../../cloud/cs-addons.js';
import type { RegistryEntry } from '../../kube/acr-configuration.js';
import type { Action, ApplyContext } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import { CLUSTER_TASK_TIMEOUT_MS, waitClusterTask, whenClusterIdle, type WaitContext } from '../auth/cluster-wait.js';
import type { StepClients } from '../step.js';
import { ADDON_NAME, type AddonFacts } from './facts.js';
import { parseAddonConfig, type AddonConfig } from './install.js';

export type Edition = Config['addon']['edition'];

export const otherEdition = (edition: Edition): Edition => (edition === 'managed' ? 'self-managed' : 'managed');

/** The action that uninstalls the other edition; installing ours depends on it. */
export const UNINSTALL_ID = 'addon.uninstall';

/** Whether this run uninstalls the other edition: asked for, and the other edition is installed. */
export function replacingEdition(config: Config, facts: AddonFacts): boolean {
  return config.addon.replaceEdition && Boolean(facts.installed[otherEdition(config.addon.edition)]);
}

/** The key of a managed config's instance list: the array of objects with an instanceId (AcrInstanceInfo in the versions seen). */
export function managedListKey(config: AddonConfig): string | undefined {
  const isEntryList = (v: unknown): boolean => Array.isArray(v) && v.some((e) => e && typeof e === 'object' && 'instanceId' in e);
  return isEntryList(config.AcrInstanceInfo) ? 'AcrInstanceInfo' : Object.keys(config).find((k) => isEntryList(config[k]));
}

/** The instance entries of a managed config. */
export function managedConfigEntries(config: AddonConfig): RegistryEntry[] {
  const key = managedListKey(config);
  const list = key ? (config[key] as unknown[]) : [];
  return list.filter((e): e is RegistryEntry => Boolean(e) && typeof e === 'object' && !Array.isArray(e));
}

/** An entry that serves something: the self-managed add-on's default `- instanceId: ""` serves nothing. */
export const servesSomething = (e: RegistryEntry): boolean => Object.values(e).some((v) => v !== '' && v !== undefined && v !== null);

/**
 * The entries the other edition serves for instances other than ours, to carry into our edition. Self-managed ->
 * managed reads the ConfigMap while the managed edition is not yet installed, so a run stopped after the uninstall
 * still carries them (the ConfigMap outlives the add-on). Managed -> self-managed reads the managed add-on's config.
 */
export function entriesToCarry(config: Config, facts: AddonFacts): RegistryEntry[] {
  if (!config.addon.replaceEdition) return [];
  let entries: RegistryEntry[];
  if (config.addon.edition === 'managed') {
    if (facts.installed.managed) return [];
    entries = facts.helperConfig?.entries ?? [];
  } else {
    const managed = facts.installed.managed;
    entries = managed ? managedConfigEntries(parseAddonConfig(managed.config) ?? {}) : [];
  }
  return entries.filter((e) => servesSomething(e) && String(e.instanceId ?? '') !== config.accountB.instanceId);
}

/** How an entry is named in a plan: its instance, never its credentials. */
export const entryLabel = (e: RegistryEntry): string => String(e.instanceId || `(no instance ID${e.domains ? `: ${String(e.domains)}` : ''})`);

/** `addon.uninstall`: the other edition, when this run replaces it; otherwise nothing. */
export function uninstallOtherAction(config: Config, facts: AddonFacts, clients: StepClients, dependsOn: string[]): Action | undefined {
  const other = otherEdition(config.addon.edition);
  const installed = facts.installed[other];
  if (!config.addon.replaceEdition || !installed) return undefined;
  const name = ADDON_NAME[other];
  const carried = entriesToCarry(config, facts).map(entryLabel);
  return {
    id: UNINSTALL_ID,
    step: 'addon',
    account: 'A',
    title: `Uninstall add-on ${name} (the ${other} edition), replaced by the ${config.addon.edition} edition`,
    change: 'delete',
    detail: {
      addon: name,
      version: installed.version,
      cleanupCloudResources: false,
      ...(carried.length > 0 ? { otherInstancesMoved: carried } : {}),
    },
    // After auth: a run that fails there leaves the old helper serving as before.
    dependsOn,
    apply: (ctx: ApplyContext) => uninstallAddon({ acct: clients.A, clusterId: config.accountA.clusterId, intervalMs: clients.pollIntervalMs, ctx }, name),
  };
}

/** Uninstalls an add-on and waits until CS no longer lists it; one already `deleting` (a stopped run) is only awaited. */
export async function uninstallAddon(w: WaitContext, name: string): Promise<Record<string, unknown>> {
  const current = await addons.getClusterAddonInstance(w.acct, w.clusterId, name);
  if (current && current.state !== 'deleting') {
    const taskId = await whenClusterIdle(w, () => addons.uninstallClusterAddons(w.acct, w.clusterId, [{ name, cleanupCloudResources: false }]));
    if (taskId) await waitClusterTask(w, taskId, `uninstalling ${name}`);
  }
  await waitFor(
    async (report) => {
      const a = await addons.getClusterAddonInstance(w.acct, w.clusterId, name);
      report(`${name} ${a ? a.state : 'uninstalled'}`);
      return a ? undefined : true;
    },
    { what: `add-on ${name} to be uninstalled`, intervalMs: w.intervalMs, timeoutMs: CLUSTER_TASK_TIMEOUT_MS, progress: w.ctx.progress, signal: w.ctx.signal },
  );
  return { uninstalled: name, version: current?.version ?? '' };
}
