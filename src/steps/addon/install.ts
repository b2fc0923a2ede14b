// Installing or reconfiguring an add-on through CS: InstallClusterAddons (then its task) or ModifyClusterAddon,
// then the add-on's state until it is active again. The config is re-read and rebuilt when the action runs.
import * as addons from '../../cloud/cs-addons.js';
import { waitFor } from '../../plan/wait.js';
import { CLUSTER_TASK_TIMEOUT_MS, waitClusterTask, whenClusterIdle, type WaitContext } from '../auth/cluster-wait.js';

export type AddonConfig = Record<string, unknown>;

/** A config string as CS stores it, parsed ({} when empty); undefined when it is not a JSON object. */
export function parseAddonConfig(text: string | undefined): AddonConfig | undefined {
  if (!text || text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as AddonConfig) : undefined;
  } catch {
    return undefined;
  }
}

/** JSON with sorted keys, for comparing configs whatever order CS keeps them in. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Installs the add-on with `build({})`, or, when it is there, modifies it to `build(current config)` unless that
 * changes nothing; then waits until it is active.
 */
export async function ensureAddon(w: WaitContext, name: string, build: (current: AddonConfig) => AddonConfig): Promise<Record<string, unknown>> {
  const current = await addons.getClusterAddonInstance(w.acct, w.clusterId, name);
  if (!current) {
    const config = JSON.stringify(build({}));
    const taskId = await whenClusterIdle(w, () => addons.installClusterAddons(w.acct, w.clusterId, [{ name, config }]));
    if (taskId) await waitClusterTask(w, taskId, `installing ${name}`);
  } else {
    const existing = parseAddonConfig(current.config);
    if (!existing) throw new Error(`the config of add-on ${name} is not a JSON object; fix it in the ACK console (Add-ons > ${name} > Configure) and re-run.`);
    const next = build(existing);
    if (stableJson(next) !== stableJson(existing)) await whenClusterIdle(w, () => addons.modifyClusterAddon(w.acct, w.clusterId, name, JSON.stringify(next)));
  }
  const active = await waitAddonActive(w, name);
  return { name, version: active.version };
}

/** Waits until CS shows the add-on active (after an install or a config change). */
export function waitAddonActive(w: WaitContext, name: string): Promise<addons.AddonInstanceDetail> {
  return waitFor(
    async (report) => {
      const a = await addons.getClusterAddonInstance(w.acct, w.clusterId, name);
      report(`${name} ${a?.state ?? 'not listed yet'}`);
      return a?.state === 'active' ? a : undefined;
    },
    { what: `add-on ${name}`, intervalMs: w.intervalMs, timeoutMs: CLUSTER_TASK_TIMEOUT_MS, progress: w.ctx.progress, signal: w.ctx.signal },
  );
}
