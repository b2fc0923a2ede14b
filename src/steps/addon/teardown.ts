// `destroy` for the add-on step: our instance's entry out of the helper's configuration (the managed add-on's config
// through ModifyClusterAddon, the rest of it as it was; the self-managed ConfigMap by a text splice, every other entry
// and key byte for byte), and the add-on itself kept (others may use it) unless --remove-addon. The helper's settings
// keys (service accounts, namespaces, RRSA switch) are shared: they stay.
import type { Config } from '../../config/schema.js';
import * as addons from '../../cloud/cs-addons.js';
import { HELPER_CONFIGMAP, HELPER_NAMESPACE, REGISTRY_INFO_KEY, removeHelperEntries, type RegistryEntry } from '../../kube/acr-configuration.js';
import type { Action, ApplyContext, Detail } from '../../plan/action.js';
import { whenClusterIdle, type WaitContext } from '../auth/cluster-wait.js';
import type { StepClients, TeardownBase, TeardownOptions } from '../step.js';
import { entryDetail } from './entry.js';
import { ADDON_NAME, type AddonFacts } from './facts.js';
import { parseAddonConfig, waitAddonActive, type AddonConfig } from './install.js';
import { entryLabel, managedConfigEntries, managedListKey, otherEdition, servesSomething, uninstallAddon, type Edition } from './replace.js';
import { entriesForInstance, ourEntryMatcher, type Ownership } from './teardown-facts.js';

const CONFIGMAP = `${HELPER_NAMESPACE}/${HELPER_CONFIGMAP}`;

/** The managed config without the entries `match` picks; the other keys and entries as they were, in their order. */
export function withoutManagedEntries(config: AddonConfig, match: (e: RegistryEntry) => boolean): { config: AddonConfig; removed: RegistryEntry[] } {
  const key = managedListKey(config);
  if (!key) return { config, removed: [] };
  const list = config[key] as unknown[];
  const picked = (e: unknown): e is RegistryEntry => Boolean(e) && typeof e === 'object' && !Array.isArray(e) && match(e as RegistryEntry);
  const removed = list.filter(picked);
  return removed.length === 0 ? { config, removed } : { config: { ...config, [key]: list.filter((e) => !picked(e)) }, removed };
}

const servedBy = (entries: readonly RegistryEntry[], instanceId: string): string[] =>
  entries.filter((e) => servesSomething(e) && String(e.instanceId ?? '') !== instanceId).map(entryLabel);

interface Place {
  /** `managed-entry`: the managed add-on's config; `config-entry`: the self-managed helper's ConfigMap. */
  id: 'managed-entry' | 'config-entry';
  where: string;
  entries: RegistryEntry[];
  settings: string[];
  apply: (ctx: ApplyContext) => Promise<Record<string, unknown>>;
}

/** The entry actions of one place: ours out (update), an entry for our instance that is not ours kept (noop). */
function entryActions(config: Config, place: Place, found: { entry: RegistryEntry; owner: Ownership }[]): Action[] {
  const instance = config.accountB.instanceId;
  const ours = found.filter((f) => f.owner.ours);
  const others = servedBy(place.entries, instance);
  const actions: Action[] = found
    .filter((f): f is { entry: RegistryEntry; owner: { ours: false; why: string } } => !f.owner.ours)
    .map((f, i) => ({
      id: `addon.destroy.${place.id}-kept${i === 0 ? '' : `-${i + 1}`}`,
      step: 'addon',
      account: 'A',
      title: `Keep the entry for ${instance} in ${place.where} (not provably acr-xaccount's: ${f.owner.why})`,
      change: 'noop',
      detail: { entry: entryDetail(f.entry) },
    }));
  if (ours.length > 0) {
    const provenBy = ours.map((f) => (f.owner as { provenBy: string }).provenBy);
    const detail: Detail = {
      instanceId: instance,
      entry: ours.length === 1 ? entryDetail(ours[0]!.entry) : ours.map((f) => entryDetail(f.entry)),
      provenOursBecause: provenBy.length === 1 ? provenBy[0]! : provenBy,
      keepsOtherInstances: others,
      keepsSettings: place.settings,
    };
    actions.unshift({
      id: `addon.destroy.${place.id}`,
      step: 'addon',
      account: 'A',
      title: `Remove this instance's entry (${instance}) from ${place.where}`,
      change: 'update',
      detail,
      apply: place.apply,
    });
  }
  return actions;
}

/** Re-reads the managed config right before the write, takes our entry out, and waits until the add-on is active again. */
async function removeManagedEntry(w: WaitContext, match: (e: RegistryEntry) => boolean): Promise<Record<string, unknown>> {
  const name = ADDON_NAME.managed;
  const current = await addons.getClusterAddonInstance(w.acct, w.clusterId, name);
  if (!current || current.state === 'deleting') return { removed: [], reason: `${name} is not installed` };
  const existing = parseAddonConfig(current.config);
  if (!existing) throw new Error(`the config of add-on ${name} is not a JSON object; take this instance's entry out in the ACK console (Add-ons > ${name} > Configure).`);
  const { config, removed } = withoutManagedEntries(existing, match);
  if (removed.length === 0) return { removed: [] };
  await whenClusterIdle(w, () => addons.modifyClusterAddon(w.acct, w.clusterId, name, JSON.stringify(config)));
  await waitAddonActive(w, name);
  return { removed: removed.map(entryLabel) };
}

function managedPlace(config: Config, base: TeardownBase, facts: AddonFacts, w: (ctx: ApplyContext) => WaitContext): Action[] {
  const installed = facts.installed.managed;
  if (!installed || installed.state === 'deleting') return [];
  const where = `add-on ${ADDON_NAME.managed} (managed)`;
  const parsed = parseAddonConfig(installed.config);
  if (!parsed) {
    return [{ id: 'addon.destroy.managed-entry', step: 'addon', account: 'A', change: 'noop', title: `Keep the config of ${where} as it is (it is not a JSON object: take this instance's entry out in the ACK console)` }];
  }
  const entries = managedConfigEntries(parsed);
  const key = managedListKey(parsed);
  const match = ourEntryMatcher(config, base, facts);
  const place: Place = { id: 'managed-entry', where, entries, settings: Object.keys(parsed).filter((k) => k !== key), apply: (ctx) => removeManagedEntry(w(ctx), match) };
  return entryActions(config, place, entriesForInstance(config, base, facts, entries));
}

function configMapPlace(config: Config, base: TeardownBase, facts: AddonFacts, clients: StepClients): Action[] {
  if (facts.helperConfigError) {
    return [{ id: 'addon.destroy.config-entry', step: 'addon', account: 'A', change: 'noop', title: `Keep ${CONFIGMAP} as it is (${facts.helperConfigError}: take this instance's entry out by hand)` }];
  }
  const helper = facts.helperConfig;
  if (!helper) return [];
  const match = ourEntryMatcher(config, base, facts);
  const place: Place = {
    id: 'config-entry',
    where: CONFIGMAP,
    entries: helper.entries,
    settings: Object.keys(helper.data).filter((k) => k !== REGISTRY_INFO_KEY),
    apply: async () => {
      const { write, removed } = await removeHelperEntries(await clients.kubeconfig(), match);
      return { configMap: write, removed: removed.map(entryLabel) };
    },
  };
  return entryActions(config, place, entriesForInstance(config, base, facts, helper.entries));
}

/** The instances an edition serves once our entry is out (the self-managed edition's live in the ConfigMap). */
function stillServed(config: Config, facts: AddonFacts, edition: Edition): string[] {
  const entries = edition === 'managed' ? managedConfigEntries(parseAddonConfig(facts.installed.managed?.config) ?? {}) : facts.helperConfig?.entries ?? [];
  return servedBy(entries, config.accountB.instanceId);
}

/** The add-on: kept (noop) by default, uninstalled with --remove-addon once our entries are out. */
function addonActions(config: Config, facts: AddonFacts, options: TeardownOptions, w: (ctx: ApplyContext) => WaitContext, entryIds: string[]): Action[] {
  const edition = config.addon.edition;
  const name = ADDON_NAME[edition];
  const installed = facts.installed[edition];
  const other = otherEdition(edition);
  const actions: Action[] = [];
  if (installed) {
    const served = stillServed(config, facts, edition);
    const detail: Detail = { addon: name, edition, version: installed.version, servesOtherInstances: served };
    if (!options.removeAddon) {
      actions.push({ id: 'addon.destroy.addon', step: 'addon', account: 'A', change: 'noop', title: `Keep add-on ${name} installed (others may use it; --remove-addon uninstalls it)`, detail });
    } else {
      const cut = served.length === 0 ? '' : served.length === 1 ? ': 1 other instance loses its pulls' : `: ${served.length} other instances lose their pulls`;
      actions.push({
        id: 'addon.destroy.addon',
        step: 'addon',
        account: 'A',
        change: 'delete',
        title: `Uninstall add-on ${name} (--remove-addon${cut})`,
        detail: { ...detail, cleanupCloudResources: false },
        dependsOn: entryIds,
        apply: (ctx) => uninstallAddon(w(ctx), name),
      });
    }
  }
  if (options.removeAddon && facts.installed[other]) {
    actions.push({
      id: 'addon.destroy.other-addon',
      step: 'addon',
      account: 'A',
      change: 'noop',
      title: `Keep add-on ${ADDON_NAME[other]} installed (the config names the ${edition} edition; --remove-addon uninstalls only that one)`,
      detail: { addon: ADDON_NAME[other], servesOtherInstances: stillServed(config, facts, other) },
    });
  }
  return actions;
}

export function addonTeardown(config: Config, facts: AddonFacts, base: TeardownBase, clients: StepClients, options: TeardownOptions): Action[] {
  const w = (ctx: ApplyContext): WaitContext => ({ acct: clients.A, clusterId: config.accountA.clusterId, intervalMs: clients.pollIntervalMs, ctx });
  const entries = [...managedPlace(config, base, facts, w), ...configMapPlace(config, base, facts, clients)];
  const entryIds = entries.filter((a) => a.change !== 'noop').map((a) => a.id);
  return [...entries, ...addonActions(config, facts, options, w, entryIds)];
}
