// The self-managed helper's ConfigMap kube-system/acr-configuration: its `acr-registry-info` list merged entry by
// entry (other instances' entries keep their exact YAML text), its settings keys set, every other key kept; and for
// `destroy`, entries spliced out the same way.
import { isMap, isSeq, parseDocument, stringify, type Document, type YAMLSeq } from 'yaml';

import { registerSecret } from '../secrets.js';
import { kubeClient } from './client.js';
import { readConfigMap, updateConfigMap, type ConfigMapWrite } from './configmap.js';
import { deletePod, listPods, type PodInfo } from './pods.js';

export const HELPER_NAME = 'aliyun-acr-credential-helper';
export const HELPER_NAMESPACE = 'kube-system';
export const HELPER_CONFIGMAP = 'acr-configuration';
export const REGISTRY_INFO_KEY = 'acr-registry-info';

/** One entry of `acr-registry-info` (instanceId, regionId, domains, assumeRoleARN, ..., customAccessKeySecret). */
export type RegistryEntry = Record<string, string | number>;

/** The entry fields that hold a secret: never shown, never logged. */
export const SECRET_ENTRY_FIELDS = ['customAccessKeySecret'] as const;

export class RegistryInfoError extends Error {}

/** The entries of an `acr-registry-info` value ([] when empty); throws when it is not a YAML list. */
export function parseRegistryInfo(text: string | undefined): RegistryEntry[] {
  const doc = parseDocument(text ?? '');
  if (doc.errors.length > 0) throw new RegistryInfoError(`${REGISTRY_INFO_KEY} is not valid YAML: ${doc.errors[0]!.message}`);
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new RegistryInfoError(`${REGISTRY_INFO_KEY} is not a YAML list of registry entries`);
  const entries = value.filter((e): e is RegistryEntry => e !== null && typeof e === 'object' && !Array.isArray(e));
  // A secret read from the cluster must be masked wherever it could surface later.
  for (const e of entries) for (const field of SECRET_ENTRY_FIELDS) if (typeof e[field] === 'string') registerSecret(e[field] as string);
  return entries;
}

/** The entry for an instance, if the list has one. */
export function findRegistryEntry(entries: readonly RegistryEntry[], instanceId: string): RegistryEntry | undefined {
  return entries.find((e) => String(e.instanceId ?? '') === instanceId);
}

/** Same fields with the same values (numbers and numeric strings compare equal, as the helper reads them). */
export function sameRegistryEntry(a: RegistryEntry | undefined, b: RegistryEntry | undefined): boolean {
  if (!a || !b) return a === b;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] !== undefined && b[k] !== undefined && String(a[k]) === String(b[k]));
}

/** Our entry as block-mapping lines, continuation lines indented to `column`. */
function entryText(entry: RegistryEntry, column: number): string {
  return stringify(entry, { lineWidth: 0 }).trimEnd().split('\n').join(`\n${' '.repeat(column)}`);
}

const columnOf = (text: string, offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);

/**
 * The `acr-registry-info` text with `entry` in place of the entry for the same instance (or appended). The text is
 * spliced, not re-serialised: every other entry, comment and blank keeps its exact characters.
 */
export function mergeRegistryInfo(text: string | undefined, entry: RegistryEntry): string {
  const source = text ?? '';
  const doc = parseDocument(source);
  if (doc.errors.length > 0) throw new RegistryInfoError(`${REGISTRY_INFO_KEY} is not valid YAML: ${doc.errors[0]!.message}`);
  const seq = doc.contents;
  if (seq === null || (!isSeq(seq) && doc.toJS() === null)) return stringify([entry], { lineWidth: 0 });
  if (!isSeq(seq)) throw new RegistryInfoError(`${REGISTRY_INFO_KEY} is not a YAML list of registry entries`);
  if (seq.flow || !seq.range) {
    // A flow list ([...]) has no lines to splice: rewrite it through the parsed document.
    const editable = doc as unknown as Document;
    const list = editable.contents as unknown as YAMLSeq;
    const at = list.items.findIndex((item) => isMap(item) && String(item.get('instanceId') ?? '') === String(entry.instanceId));
    if (at >= 0) list.items[at] = editable.createNode(entry);
    else list.items.push(editable.createNode(entry));
    return editable.toString({ lineWidth: 0 });
  }
  const item = seq.items.find((i) => isMap(i) && String(i.get('instanceId') ?? '') === String(entry.instanceId));
  if (item?.range) {
    const [start, , end] = item.range;
    const newline = source.slice(start, end).endsWith('\n') ? '\n' : '';
    return source.slice(0, start) + entryText(entry, columnOf(source, start)) + newline + source.slice(end);
  }
  const dash = columnOf(source, seq.range[0]);
  const prefix = source === '' || source.endsWith('\n') ? source : `${source}\n`;
  return `${prefix}${' '.repeat(dash)}- ${entryText(entry, dash + 2)}\n`;
}

/**
 * The `acr-registry-info` text without the entries `match` picks, spliced out line by line: every other entry,
 * comment and blank keeps its exact characters. `removed` lists what was taken out (empty: the text is unchanged).
 */
export function removeRegistryEntries(text: string | undefined, match: (entry: RegistryEntry) => boolean): { text: string; removed: RegistryEntry[] } {
  const source = text ?? '';
  const doc = parseDocument(source);
  if (doc.errors.length > 0) throw new RegistryInfoError(`${REGISTRY_INFO_KEY} is not valid YAML: ${doc.errors[0]!.message}`);
  const seq = doc.contents;
  if (seq === null || (!isSeq(seq) && doc.toJS() === null)) return { text: source, removed: [] };
  if (!isSeq(seq)) throw new RegistryInfoError(`${REGISTRY_INFO_KEY} is not a YAML list of registry entries`);
  const picked = seq.items.filter((item) => isMap(item) && match(item.toJSON() as RegistryEntry));
  if (picked.length === 0) return { text: source, removed: [] };
  const removed = picked.map((item) => (item as { toJSON(): unknown }).toJSON() as RegistryEntry);
  const spans = seq.flow || !seq.range ? undefined : picked.map((item) => itemLines(source, item.range));
  if (!spans || spans.some((s) => s === undefined)) {
    // A flow list ([...]) or an item sharing its lines: rewrite the list through the parsed document.
    const list = (doc as unknown as Document).contents as unknown as YAMLSeq;
    list.items = list.items.filter((item) => !picked.includes(item as never));
    return { text: doc.toString({ lineWidth: 0 }), removed };
  }
  let out = source;
  for (const [start, end] of (spans as [number, number][]).sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + out.slice(end);
  return { text: out, removed };
}

/** The whole lines a block list item takes, from its dash to its line end; undefined when they hold anything else. */
function itemLines(source: string, range: readonly number[] | null | undefined): [number, number] | undefined {
  if (!range) return undefined;
  let dash = range[0]! - 1;
  while (dash >= 0 && /\s/.test(source[dash]!)) dash--;
  if (source[dash] !== '-') return undefined;
  const lineStart = source.lastIndexOf('\n', dash - 1) + 1;
  if (source.slice(lineStart, dash).trim() !== '') return undefined;
  let end = range[2]!;
  if (end > 0 && source[end - 1] !== '\n') {
    const newline = source.indexOf('\n', end);
    const rest = source.slice(end, newline < 0 ? source.length : newline);
    if (rest.trim() !== '' && !rest.trim().startsWith('#')) return undefined;
    end = newline < 0 ? source.length : newline + 1;
  }
  return [lineStart, end];
}

/** The ConfigMap data with our settings keys and our registry entry merged in; everything else as it was. */
export function mergeHelperData(data: Record<string, string>, settings: Record<string, string>, entry: RegistryEntry): Record<string, string> {
  return { ...data, ...settings, [REGISTRY_INFO_KEY]: mergeRegistryInfo(data[REGISTRY_INFO_KEY], entry) };
}

/** The helper's configuration as the cluster has it now; undefined when the ConfigMap does not exist. */
export async function readHelperConfig(kubeconfig: string): Promise<{ data: Record<string, string>; entries: RegistryEntry[] } | undefined> {
  const client = await kubeClient(kubeconfig);
  const cm = await readConfigMap(client, HELPER_NAMESPACE, HELPER_CONFIGMAP);
  if (!cm) return undefined;
  return { data: cm.data, entries: parseRegistryInfo(cm.data[REGISTRY_INFO_KEY]) };
}

/** Writes our settings and entry into the helper's ConfigMap (created when missing), re-reading on a conflict. */
export async function writeHelperConfig(kubeconfig: string, settings: Record<string, string>, entry: RegistryEntry): Promise<ConfigMapWrite> {
  const client = await kubeClient(kubeconfig);
  return updateConfigMap(client, HELPER_NAMESPACE, HELPER_CONFIGMAP, (data) => mergeHelperData(data, settings, entry));
}

/** What taking entries out of the helper's ConfigMap did: nothing (none matched, or no ConfigMap), or replaced it. */
export interface HelperEntriesRemoval {
  write: ConfigMapWrite | 'missing';
  removed: RegistryEntry[];
}

/**
 * Takes the entries `match` picks out of the helper's ConfigMap (re-read on a conflict, so the check runs against
 * what is there at write time); every other entry and key stays, and a missing ConfigMap is not created.
 */
export async function removeHelperEntries(kubeconfig: string, match: (entry: RegistryEntry) => boolean): Promise<HelperEntriesRemoval> {
  const client = await kubeClient(kubeconfig);
  let removed: RegistryEntry[] = [];
  let exists = true;
  const write = await updateConfigMap(client, HELPER_NAMESPACE, HELPER_CONFIGMAP, (data, found) => {
    exists = found;
    const out = found ? removeRegistryEntries(data[REGISTRY_INFO_KEY], match) : { text: '', removed: [] };
    removed = out.removed;
    return out.removed.length === 0 ? undefined : { ...data, [REGISTRY_INFO_KEY]: out.text };
  });
  return { write: exists ? write : 'missing', removed };
}

/** The helper's running pods in kube-system and when each started. */
export async function helperPods(kubeconfig: string): Promise<PodInfo[]> {
  return listPods(await kubeClient(kubeconfig), HELPER_NAMESPACE, HELPER_NAME);
}

/** Deletes the helper's pods that started before `beforeMs` (its Deployment starts fresh ones); returns their names. */
export async function restartHelperPods(kubeconfig: string, beforeMs: number): Promise<string[]> {
  const client = await kubeClient(kubeconfig);
  const stale = (await listPods(client, HELPER_NAMESPACE, HELPER_NAME)).filter((p) => p.createdMs < beforeMs);
  const deleted: string[] = [];
  for (const pod of stale) if (await deletePod(client, HELPER_NAMESPACE, pod.name)) deleted.push(pod.name);
  return deleted;
}
