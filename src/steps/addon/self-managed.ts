// The self-managed edition: installed through CS with its tokenMode, then configured through the Kubernetes API in
// kube-system/acr-configuration (our entry and settings merged in; every other entry and key kept).
import type { Config } from '../../config/schema.js';
import { parse as parseYaml } from 'yaml';

import { findRegistryEntry, sameRegistryEntry, writeHelperConfig } from '../../kube/acr-configuration.js';
import { fieldChange, type Action, type ApplyContext } from '../../plan/action.js';
import { planKeys, type NewKeyOutput } from '../auth/access-key.js';
import { rrsaFromCluster, type RrsaOutput } from '../auth/rrsa.js';
import type { BaseFacts, StepClients } from '../step.js';
import { entryDetail, helperSettings, registryEntry, type EntryCredentials } from './entry.js';
import { ADDON_NAME, type AddonFacts } from './facts.js';
import { ensureAddon, parseAddonConfig } from './install.js';
import { entriesToCarry, entryLabel } from './replace.js';

/** The seed: tokenMode workerRole for the worker role, auto for an AccessKey (and for RRSA, set in the ConfigMap). */
export const tokenModeFor = (config: Config): string => (config.auth.mode === 'worker-role' ? 'workerRole' : 'auto');

/** `addon.install`: the self-managed add-on with our tokenMode. */
export function selfManagedInstallAction(config: Config, facts: AddonFacts, clients: StepClients, dependsOn: string[]): Action {
  const name = ADDON_NAME['self-managed'];
  const tokenMode = tokenModeFor(config);
  const apply = (ctx: ApplyContext) =>
    ensureAddon({ acct: clients.A, clusterId: config.accountA.clusterId, intervalMs: clients.pollIntervalMs, ctx }, name, (current) => ({ ...current, tokenMode }));
  const action = { id: 'addon.install', step: 'addon' as const, account: 'A' as const, dependsOn, apply };
  const installed = facts.installed['self-managed'];
  if (!installed) return { ...action, title: `Install add-on ${name} (tokenMode ${tokenMode})`, change: 'create', detail: { addon: name, version: facts.metadata?.version ?? '', tokenMode } };
  const current = String(parseAddonConfig(installed.config)?.tokenMode ?? 'auto');
  if (current === tokenMode) return { ...action, title: `Add-on ${name}`, change: 'noop' };
  return { ...action, title: `Set tokenMode of add-on ${name}`, change: 'update', detail: { addon: name, tokenMode: fieldChange(current, tokenMode) } };
}

/** Settings equal as the helper reads them (the `rrsa` key is YAML itself). */
function sameSetting(key: string, a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  if (key !== 'rrsa') return a.trim() === b.trim();
  try {
    return JSON.stringify(parseYaml(a)) === JSON.stringify(parseYaml(b));
  } catch {
    return false;
  }
}

/** `addon.config`: this instance's entry and our settings in kube-system/acr-configuration. */
export function helperConfigAction(config: Config, facts: AddonFacts, base: BaseFacts, clients: StepClients, dependsOn: string[]): Action {
  const data = facts.helperConfig?.data ?? {};
  const existing = findRegistryEntry(facts.helperConfig?.entries ?? [], config.accountB.instanceId);
  const settings = helperSettings(config);
  const known = rrsaFromCluster(base);
  const keys = config.auth.mode === 'access-key' ? planKeys(facts.user ?? { keys: [] }, config.auth.rotateKey) : undefined;
  const keptKey = keys && !keys.create && existing?.customAccessKey ? { accessKeyId: String(existing.customAccessKey), accessKeySecret: String(existing.customAccessKeySecret ?? '') } : undefined;

  const unknown: string[] = [];
  if (config.auth.mode === 'rrsa' && !known) unknown.push('rrsaOIDCProviderRoleARN');
  if (keys?.create) unknown.push('customAccessKey');
  const planned = registryEntry(config, base, { oidcProviderArn: known?.oidcProviderArn, accessKey: keptKey });
  // Replacing the managed edition: the instances it served join the ConfigMap (one already listed there keeps its entry).
  const carried = entriesToCarry(config, facts).filter((e) => !findRegistryEntry(facts.helperConfig?.entries ?? [], String(e.instanceId ?? '')));

  /** The entry's credentials once the actions before have run (a new key, RRSA's provider). */
  const credentials = (ctx: ApplyContext): EntryCredentials => {
    const creds: EntryCredentials = { oidcProviderArn: known?.oidcProviderArn, accessKey: keptKey };
    if (config.auth.mode === 'rrsa' && !known) creds.oidcProviderArn = ctx.output<RrsaOutput>('auth.rrsa').oidcProviderArn;
    if (keys?.create) {
      const key = ctx.output<Partial<NewKeyOutput>>('auth.access-key');
      if (!key.accessKeyId || !key.accessKeySecret) throw new Error('auth.access-key made no AccessKey: nothing to write into the cluster');
      creds.accessKey = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret.reveal() };
    }
    return creds;
  };
  const action = {
    id: 'addon.config',
    step: 'addon' as const,
    account: 'A' as const,
    dependsOn,
    apply: async (ctx: ApplyContext) => {
      const kubeconfig = await clients.kubeconfig();
      for (const entry of carried) await writeHelperConfig(kubeconfig, {}, entry);
      const result = await writeHelperConfig(kubeconfig, settings, registryEntry(config, base, credentials(ctx)));
      return { configMap: result };
    },
  };
  const settingsChanged = Object.entries(settings).filter(([k, v]) => !sameSetting(k, data[k], v));
  if (unknown.length === 0 && settingsChanged.length === 0 && carried.length === 0 && sameRegistryEntry(existing, planned)) {
    return { ...action, title: 'Helper configuration kube-system/acr-configuration', change: 'noop' };
  }
  const others = (facts.helperConfig?.entries.length ?? 0) - (existing ? 1 : 0);
  const detail = {
    configMap: 'kube-system/acr-configuration',
    entry: entryDetail(planned, unknown),
    ...Object.fromEntries(settingsChanged.map(([k, v]) => [k, data[k] === undefined ? v : fieldChange(data[k], v)])),
    keepsOtherEntries: Math.max(0, others),
    ...(carried.length > 0 ? { otherInstancesMovedIn: carried.map(entryLabel) } : {}),
  };
  const verb = !facts.helperConfig ? 'create' : 'update';
  const what = existing ? "update this instance's entry" : "add this instance's entry";
  return { ...action, title: `${verb === 'create' ? 'Create' : 'Update'} helper configuration kube-system/acr-configuration (${what})`, change: verb, detail };
}
