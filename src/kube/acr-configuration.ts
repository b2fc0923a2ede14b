// The self-managed helper's ConfigMap kube-system/acr-configuration: its `acr-registry-info` list merged entry by
// entry (other instances' entries keep their exact YAML text), its settings keys set, every other key kept.
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
