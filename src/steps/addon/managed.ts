// The managed edition: its config is a JSON string whose shape comes from DescribeClusterAddonMetadata's schema,
// read at run time. Our entry joins the instance list (other instances' entries kept), our settings are set.
import type { Config } from '../../config/schema.js';
import type { RegistryEntry } from '../../kube/acr-configuration.js';
import { fieldChange, type Action, type ApplyContext, type Detail, type DetailValue } from '../../plan/action.js';
import { renderData } from '../auth/render.js';
import { rrsaFromCluster, type RrsaOutput } from '../auth/rrsa.js';
import type { BaseFacts, StepClients } from '../step.js';
import { entryDetail, registryEntry } from './entry.js';
import { ADDON_NAME, type AddonFacts } from './facts.js';
import { ensureAddon, parseAddonConfig, stableJson, type AddonConfig } from './install.js';
import { entriesToCarry, entryLabel } from './replace.js';

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}

/** Where our values go in this version's config: the instance list, the RRSA switch, the settings it knows. */
export interface ManagedLayout {
  listKey: string;
  rrsaKey: string;
  /** Fields an instance entry may have (undefined: the schema does not restrict them). */
  entryFields?: string[];
  expireAsNumber: boolean;
  keys: Set<string>;
}

const types = (s: Schema | undefined): string[] => (s?.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

/** Reads the schema; a string problem when it has no place for the instance list or the RRSA switch. */
export function managedLayout(schemaText: string, version: string): ManagedLayout | string {
  let schema: Schema;
  try {
    schema = JSON.parse(schemaText) as Schema;
  } catch {
    return `the config schema of ${ADDON_NAME.managed} ${version} is not JSON`;
  }
  const props = schema.properties ?? {};
  const isList = (s: Schema | undefined) => types(s).includes('array') && Boolean(s?.items?.properties?.instanceId);
  const listKey = isList(props.AcrInstanceInfo) ? 'AcrInstanceInfo' : Object.keys(props).find((k) => isList(props[k]));
  const rrsaKey = types(props.enableRRSA).includes('boolean') ? 'enableRRSA' : Object.keys(props).find((k) => /rrsa/i.test(k) && types(props[k]).includes('boolean'));
  if (!listKey || !rrsaKey) {
    const missing = [!listKey && 'a list of ACR instances', !rrsaKey && 'an RRSA switch'].filter(Boolean).join(' and ');
    return `the config schema of ${ADDON_NAME.managed} ${version} has no field for ${missing}, so acr-xaccount cannot configure this version. Configure it in the ACK console (Add-ons > Security), or use --edition self-managed.`;
  }
  const item = props[listKey]!.items!;
  const expire = item.properties?.expireDuration;
  return {
    listKey,
    rrsaKey,
    entryFields: item.properties ? Object.keys(item.properties) : undefined,
    expireAsNumber: !expire || types(expire).length === 0 || types(expire).some((t) => t === 'integer' || t === 'number'),
    keys: new Set(Object.keys(props)),
  };
}

/** The entry in the shape the schema describes (fields it lists, expireDuration as number or string). */
function shapeEntry(layout: ManagedLayout, entry: RegistryEntry): RegistryEntry {
  const out: RegistryEntry = {};
  for (const [k, v] of Object.entries(entry)) {
    if (layout.entryFields && !layout.entryFields.includes(k)) continue;
    out[k] = k === 'expireDuration' ? (layout.expireAsNumber ? Number(v) : String(v)) : v;
  }
  return out;
}

/**
 * The other edition's entries this schema can hold as they are; an entry with a field it lacks (an AccessKey: the
 * managed edition has none) cannot move without changing what it does, so it is listed in `left`.
 */
export function carriableEntries(layout: ManagedLayout, entries: readonly RegistryEntry[]): { carried: RegistryEntry[]; left: string[] } {
  const carried: RegistryEntry[] = [];
  const left: string[] = [];
  for (const e of entries) {
    const lacking = layout.entryFields ? Object.keys(e).filter((k) => !layout.entryFields!.includes(k) && e[k] !== '') : [];
    if (lacking.length > 0) left.push(`${entryLabel(e)} (no field for ${lacking.join(', ')})`);
    else carried.push(shapeEntry(layout, e));
  }
  return { carried, left };
}

/** The config with carried entries added to its instance list; an instance already listed keeps its entry. */
export function withCarried(layout: ManagedLayout, current: AddonConfig, carried: readonly RegistryEntry[]): AddonConfig {
  if (carried.length === 0) return current;
  const list = Array.isArray(current[layout.listKey]) ? [...(current[layout.listKey] as RegistryEntry[])] : [];
  for (const e of carried) if (!list.some((x) => x && String(x.instanceId) === String(e.instanceId))) list.push(e);
  return { ...current, [layout.listKey]: list };
}

/** The whole config: the existing one with our settings and our entry (in place of this instance's, or appended). */
export function managedConfig(layout: ManagedLayout, existing: AddonConfig, config: Config, entry: RegistryEntry): AddonConfig {
  const ours = renderData<AddonConfig>('managed-helper-config.json', {
    watchNamespaces: config.addon.watchNamespaces.join(','),
    serviceAccounts: config.addon.serviceAccounts.join(','),
    expiringThreshold: config.addon.expiringThreshold,
  });
  if (config.addon.notifyEmail) ours.notifyEmail = config.addon.notifyEmail;
  const out: AddonConfig = { ...existing };
  for (const [key, value] of Object.entries(ours)) {
    const target = key === 'AcrInstanceInfo' ? layout.listKey : key === 'enableRRSA' ? layout.rrsaKey : key;
    if (target === layout.listKey || !layout.keys.has(target)) continue;
    out[target] = value;
  }
  const shaped = shapeEntry(layout, entry);
  const list = Array.isArray(existing[layout.listKey]) ? [...(existing[layout.listKey] as RegistryEntry[])] : [];
  const index = list.findIndex((e) => e && String(e.instanceId) === String(entry.instanceId));
  if (index >= 0) list[index] = shaped;
  else list.push(shaped);
  out[layout.listKey] = list;
  return out;
}

/** `addon.install` for the managed edition: installed with our config, or its config brought to ours. */
export function managedActions(config: Config, facts: AddonFacts, base: BaseFacts, clients: StepClients, dependsOn: string[]): Action[] {
  const name = ADDON_NAME.managed;
  const layout = managedLayout(facts.metadata?.configSchema ?? '', facts.metadata?.version ?? '');
  if (typeof layout === 'string') throw new Error(layout); // preflight refuses this first
  const known = rrsaFromCluster(base);
  const entryFor = (oidcProviderArn: string) => registryEntry(config, base, { oidcProviderArn });
  const planned = entryFor(known?.oidcProviderArn ?? '');
  const installed = facts.installed.managed;
  // Replacing the self-managed edition: the instances it served move into this config.
  const { carried } = carriableEntries(layout, entriesToCarry(config, facts));
  const w = (ctx: ApplyContext) => ({ acct: clients.A, clusterId: config.accountA.clusterId, intervalMs: clients.pollIntervalMs, ctx });
  const apply = (ctx: ApplyContext) => {
    const entry = known ? planned : entryFor(ctx.output<RrsaOutput>('auth.rrsa').oidcProviderArn);
    return ensureAddon(w(ctx), name, (current) => managedConfig(layout, withCarried(layout, current, carried), config, entry));
  };
  const action = { id: 'addon.install', step: 'addon' as const, account: 'A' as const, dependsOn, apply };
  const entry = entryDetail(shapeEntry(layout, planned), known ? [] : ['rrsaOIDCProviderRoleARN']);
  if (!installed) {
    const moved: Detail = carried.length > 0 ? { otherInstancesMovedIn: carried.map(entryLabel) } : {};
    return [{ ...action, title: `Install add-on ${name} (managed) with RRSA`, change: 'create', detail: { addon: name, version: facts.metadata?.version ?? '', entry, ...moved, settings: settingsDetail(layout, managedConfig(layout, {}, config, planned)) } }];
  }
  const existing = parseAddonConfig(installed.config) ?? {};
  const wanted = managedConfig(layout, existing, config, planned);
  if (known && stableJson(comparable(layout, wanted)) === stableJson(comparable(layout, existing))) return [{ ...action, title: `Add-on ${name} (managed)`, change: 'noop' }];
  const changes: Record<string, DetailValue> = {};
  for (const key of Object.keys(wanted)) {
    if (key === layout.listKey || stableJson(wanted[key]) === stableJson(existing[key])) continue;
    changes[key] = fieldChange(toDetail(existing[key]), toDetail(wanted[key]));
  }
  return [{ ...action, title: `Configure add-on ${name} (managed): this instance's entry and settings`, change: 'update', detail: { addon: name, entry, ...changes } }];
}

/** A config as compared for "no change": an entry's `domains` is a set, so "vpc,internet" equals "internet,vpc". */
function comparable(layout: ManagedLayout, config: AddonConfig): AddonConfig {
  const list = config[layout.listKey];
  if (!Array.isArray(list)) return config;
  const sortDomains = (e: unknown) =>
    e && typeof e === 'object' && typeof (e as RegistryEntry).domains === 'string'
      ? { ...(e as RegistryEntry), domains: String((e as RegistryEntry).domains).split(',').map((d) => d.trim()).filter(Boolean).sort().join(',') }
      : e;
  return { ...config, [layout.listKey]: list.map(sortDomains) };
}

const toDetail = (v: unknown): DetailValue => (v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : (v as DetailValue));

function settingsDetail(layout: ManagedLayout, config: AddonConfig): Record<string, DetailValue> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => k !== layout.listKey).map(([k, v]) => [k, toDetail(v)]));
}
