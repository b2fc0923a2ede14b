// CS (ACK) add-ons: the catalogue a cluster may install, installs/upgrades/config changes/uninstalls as tasks, and
// the installed instances with their config (a JSON string checked against the add-on's schema).
import { ApiError, type CallContext, type RoaHandler } from '../api.js';
import { clusterTasks, startTask, taskAddons, TASK_DURATION_MS, type AddonState, type ClusterRecord, type TaskRecord } from '../state/cs.js';
import {
  ADDON_CATALOGUE,
  addonAvailable,
  addonSpec,
  availableAddons,
  configSchemaString,
  conflictingEdition,
  latestVersion,
  normaliseAddonConfig,
  type AddonSpec,
  type ClusterKind,
} from '../state/cs-addons.js';
import { assertClusterIdle, invalidParameter, ownCluster } from './cs-common.js';

/** The code terraform-provider-alicloud reads as "add-on not installed / unknown" (HTTP 404). */
function addonNotFound(message: string): ApiError {
  return new ApiError('AddonNotFound', message, 404);
}

function installedAddon(cluster: ClusterRecord, name: string) {
  const addon = cluster.addons[name];
  if (!addon) throw addonNotFound(`AddonNotFound: add-on ${name} is not installed in cluster ${cluster.clusterId}.`);
  return addon;
}

/** A config CS refuses, naming the field but never its value. Assumed code: InvalidParameter. */
function checkedConfig(spec: AddonSpec, config: string | undefined): string {
  try {
    return normaliseAddonConfig(spec, config);
  } catch (error) {
    throw invalidParameter(`invalid config for add-on ${spec.name}: ${(error as Error).message}.`);
  }
}

/**
 * The cluster kind a catalogue query is about: the cluster's own when cluster_id is given, else the query's.
 * Without cluster_id, CS wants region_id, cluster_type, profile, cluster_spec and cluster_version together
 * (ListAddons parameter descriptions); assumed: profile and cluster_spec only for ManagedKubernetes.
 */
function catalogueKind(ctx: CallContext, query: Record<string, unknown>, clusterParam: string, required: boolean): { kind?: ClusterKind; cluster?: ClusterRecord } {
  const clusterId = query[clusterParam];
  if (clusterId) {
    const cluster = ownCluster(ctx, String(clusterId));
    return { kind: cluster, cluster };
  }
  const type = query.cluster_type ? String(query.cluster_type) : undefined;
  const needed = ['region_id', 'cluster_type', 'cluster_version', ...(type === 'ManagedKubernetes' ? ['profile', 'cluster_spec'] : [])];
  const missing = needed.filter((k) => !query[k]);
  if (missing.length === needed.length && !required) return {};
  if (missing.length > 0) throw invalidParameter(`without ${clusterParam}, specify region_id, cluster_type, profile, cluster_spec and cluster_version together (missing ${missing.join(', ')}).`);
  return { kind: { clusterType: type!, profile: String(query.profile ?? 'Default'), currentVersion: String(query.cluster_version) } };
}

const SUPPORTED_ACTIONS = ['Install', 'Upgrade', 'Modify', 'Uninstall'];

function catalogueItem(spec: AddonSpec): Record<string, unknown> {
  return {
    name: spec.name,
    version: latestVersion(spec),
    managed: spec.managed,
    install_by_default: spec.installByDefault,
    category: spec.category,
    config_schema: configSchemaString(spec),
    supported_actions: [...SUPPORTED_ACTIONS],
    architecture: ['amd64', 'arm64'],
  };
}

const listAddons: RoaHandler = (ctx, { query }) => {
  const { kind } = catalogueKind(ctx, query, 'cluster_id', true);
  return { addons: availableAddons(kind!).map(catalogueItem) };
};

const describeAddon: RoaHandler = (ctx, { pathParams, query }) => {
  const name = pathParams.addon_name!;
  const { kind, cluster } = catalogueKind(ctx, query, 'cluster_id', false);
  const spec = addonSpec(name);
  if (!spec || (kind && !addonAvailable(spec, kind))) throw addonNotFound(`AddonNotFound: add-on ${name} is not available${cluster ? ` for cluster ${cluster.clusterId}` : ''}.`);
  const version = query.version ? String(query.version) : cluster?.addons[name]?.version ?? latestVersion(spec);
  const index = spec.versions.indexOf(version);
  if (index < 0) throw addonNotFound(`AddonNotFound: add-on ${name} has no version ${version}.`);
  return {
    ...catalogueItem(spec),
    version,
    newer_versions: spec.versions.slice(index + 1).map((v) => ({ version: v, upgradable: true, minimum_cluster_version: spec.minClusterVersion })),
  };
};

const describeAddons: RoaHandler = (ctx, { query }) => {
  const type = query.cluster_type ? String(query.cluster_type) : undefined;
  const kind = type && query.cluster_version ? { clusterType: type, profile: String(query.cluster_profile ?? 'Default'), currentVersion: String(query.cluster_version) } : undefined;
  const specs = kind ? availableAddons(kind) : [...ADDON_CATALOGUE];
  const groups = [...new Set(specs.map((s) => s.category))].map((group) => ({ group_name: group, items: specs.filter((s) => s.category === group).map((s) => ({ name: s.name })) }));
  const standard = Object.fromEntries(
    specs.map((s) => [s.name, { name: s.name, version: latestVersion(s), description: s.description, required: String(s.installByDefault), disabled: false }]),
  );
  return { ComponentGroups: groups, StandardComponents: standard };
};

interface InstallItem {
  name: string;
  version?: string;
  config?: string;
}

const installClusterAddons: RoaHandler = (ctx, { pathParams, body }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  assertClusterIdle(cluster);
  const items = (Array.isArray(body) ? body : []) as InstallItem[];
  if (items.length === 0) throw invalidParameter('the request body must list at least one add-on to install.');
  const planned: { spec: AddonSpec; version: string; config: string }[] = [];
  for (const item of items) {
    const spec = addonSpec(item.name);
    if (!spec) throw addonNotFound(`AddonNotFound: add-on ${item.name} does not exist.`);
    // Assumed code: an add-on CS does not offer for this cluster type/version is refused as unsupported.
    if (!addonAvailable(spec, cluster)) {
      throw new ApiError('AddonNotSupported', `add-on ${spec.name} is not available for ${cluster.clusterType}/${cluster.profile} clusters on ${cluster.currentVersion} (needs ${spec.minClusterVersion} or later).`, 400);
    }
    if (item.version && !spec.versions.includes(item.version)) throw invalidParameter(`add-on ${spec.name} has no version ${item.version}; available: ${spec.versions.join(', ')}.`);
    // Assumed code: installing an add-on that is already there is refused rather than repeated.
    if (cluster.addons[spec.name]) throw new ApiError('AddonAlreadyInstalled', `add-on ${spec.name} is already installed in cluster ${cluster.clusterId}; use ModifyClusterAddon or UpgradeClusterAddons.`, 400);
    if (planned.some((p) => p.spec.name === spec.name)) throw invalidParameter(`add-on ${spec.name} is listed twice.`);
    // ACK allows one edition of the credential helper at a time (ACR docs); assumed code AddonConflict.
    const other = conflictingEdition(spec.name);
    if (other && (cluster.addons[other] || planned.some((p) => p.spec.name === other))) {
      throw new ApiError('AddonConflict', `add-on ${spec.name} cannot be installed while ${other} is installed: only one edition of aliyun-acr-credential-helper is allowed. Uninstall ${other} first.`, 400);
    }
    planned.push({ spec, version: item.version || latestVersion(spec), config: checkedConfig(spec, item.config) });
  }
  const task = startTask(ctx.world, ctx.caller.accountId, cluster, 'cluster_addon_install', { kind: 'addon-install', addons: planned.map((p) => p.spec.name) }, TASK_DURATION_MS.addonInstall);
  for (const p of planned) cluster.addons[p.spec.name] = { name: p.spec.name, version: p.version, config: p.config, state: 'initial', installedAt: task.created };
  return { cluster_id: cluster.clusterId, task_id: task.taskId, request_id: ctx.requestId };
};

const modifyClusterAddon: RoaHandler = (ctx, { pathParams, body }) => {
  const cluster = ownCluster(ctx, pathParams.cluster_id!);
  const addon = installedAddon(cluster, pathParams.component_id!);
  assertClusterIdle(cluster);
  const config = (body as { config?: string } | undefined)?.config;
  if (config === undefined) throw invalidParameter('config is required: the add-on configuration as a JSON string.');
  const spec = addonSpec(addon.name);
  const previousConfig = addon.config;
  addon.config = spec ? checkedConfig(spec, config) : config;
  addon.state = 'updating';
  startTask(ctx.world, ctx.caller.accountId, cluster, 'cluster_addon_upgrade', { kind: 'addon-config', addon: addon.name, previousConfig }, TASK_DURATION_MS.addonConfig);
  return {};
};

interface UpgradeItem {
  component_name: string;
  next_version: string;
  version?: string;
  config?: string;
}

const upgradeClusterAddons: RoaHandler = (ctx, { pathParams, body }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  assertClusterIdle(cluster);
  const items = (Array.isArray(body) ? body : []) as UpgradeItem[];
  if (items.length === 0) throw invalidParameter('the request body must list at least one add-on to upgrade.');
  const changes = items.map((item) => {
    const addon = installedAddon(cluster, item.component_name);
    const spec = addonSpec(addon.name);
    if (!spec?.versions.includes(item.next_version)) throw invalidParameter(`add-on ${addon.name} has no version ${item.next_version}.`);
    if (item.version && item.version !== addon.version) throw invalidParameter(`add-on ${addon.name} runs ${addon.version}, not ${item.version}.`);
    return { name: addon.name, version: item.next_version, config: item.config === undefined ? undefined : checkedConfig(spec, item.config), previousState: addon.state };
  });
  const task = startTask(ctx.world, ctx.caller.accountId, cluster, 'cluster_addon_upgrade', { kind: 'addon-upgrade', addons: changes }, TASK_DURATION_MS.addonUpgrade);
  for (const c of changes) cluster.addons[c.name]!.state = 'upgrading';
  return { cluster_id: cluster.clusterId, request_id: ctx.requestId, task_id: task.taskId };
};

interface UninstallItem {
  name?: string;
  cleanup_cloud_resources?: boolean;
}

/** States an uninstall may start from; an add-on mid-task (installing, changing, uninstalling) must settle first. */
const UNINSTALLABLE = new Set(['active', 'unhealthy']);

const unInstallClusterAddons: RoaHandler = (ctx, { pathParams, body }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  assertClusterIdle(cluster);
  const items = (Array.isArray(body) ? body : []) as UninstallItem[];
  if (items.length === 0) throw invalidParameter('the request body must list at least one add-on to uninstall.');
  const addons: { name: string; previousState: AddonState }[] = [];
  for (const item of items) {
    if (!item?.name) throw invalidParameter('every add-on to uninstall needs a name.');
    // Not installed (or unknown altogether): the same AddonNotFound (404) as every other add-on call.
    const addon = installedAddon(cluster, item.name);
    if (addons.some((a) => a.name === addon.name)) throw invalidParameter(`add-on ${addon.name} is listed twice.`);
    // Assumed code, after ErrorClusterState: an add-on whose own task is still running is refused until it ends.
    if (!UNINSTALLABLE.has(addon.state)) throw new ApiError('ErrorAddonState', `ErrorAddonState: add-on ${addon.name} is ${addon.state}; wait until its task ends.`, 400);
    addons.push({ name: addon.name, previousState: addon.state });
  }
  // cleanup_cloud_resources is accepted and has nothing to clean here: no sandbox add-on creates cloud resources.
  const task = startTask(ctx.world, ctx.caller.accountId, cluster, 'cluster_addon_uninstall', { kind: 'addon-uninstall', addons }, TASK_DURATION_MS.addonUninstall);
  for (const a of addons) cluster.addons[a.name]!.state = 'deleting';
  return { cluster_id: cluster.clusterId, task_id: task.taskId, request_id: ctx.requestId };
};

const describeClusterAddonInstance: RoaHandler = (ctx, { pathParams }) => {
  const addon = installedAddon(ownCluster(ctx, pathParams.ClusterID!), pathParams.AddonName!);
  return { name: addon.name, version: addon.version, state: addon.state, config: addon.config };
};

const getClusterAddonInstance: RoaHandler = (ctx, { pathParams }) => {
  const addon = installedAddon(ownCluster(ctx, pathParams.cluster_id!), pathParams.instance_name!);
  return { name: addon.name, state: addon.state, version: addon.version, config: addon.config, logging: { capable: false, enabled: false } };
};

const listClusterAddonInstances: RoaHandler = (ctx, { pathParams }) => {
  const cluster = ownCluster(ctx, pathParams.cluster_id!);
  return { addons: Object.values(cluster.addons).map((a) => ({ name: a.name, state: a.state, version: a.version })) };
};

const describeClusterAddonsVersion: RoaHandler = (ctx, { pathParams }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  const out: Record<string, unknown> = {};
  for (const spec of availableAddons(cluster)) {
    const installed = cluster.addons[spec.name];
    const next = latestVersion(spec);
    const canUpgrade = !!installed && installed.version !== next;
    out[spec.name] = {
      component_name: spec.name,
      version: installed?.version ?? '',
      next_version: next,
      changed: 'false',
      can_upgrade: canUpgrade,
      policy: 'overwrite',
      ready_to_upgrade: String(canUpgrade && installed.state === 'active'),
      exist: !!installed,
      required: spec.installByDefault,
      message: spec.description,
      value: installed?.config ?? '',
    };
  }
  return out;
};

/** `Running` / `Success` / `Failed` of the newest task touching an add-on (the casing terraform waits on). */
function upgradeTaskStatus(task: TaskRecord | undefined, installedAt: string) {
  if (!task) return { created_at: installedAt, finished_at: installedAt, status: 'Success', is_canceled: false };
  const status = task.state === 'running' ? 'Running' : task.state === 'success' ? 'Success' : 'Failed';
  return { created_at: task.created, ...(task.state === 'running' ? {} : { finished_at: task.updated }), status, is_canceled: false };
}

const describeClusterAddonsUpgradeStatus: RoaHandler = (ctx, { pathParams, query }) => {
  const cluster = ownCluster(ctx, pathParams.ClusterId!);
  let names: unknown;
  try {
    names = JSON.parse(String(query.componentIds ?? '[]'));
  } catch {
    names = undefined;
  }
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw invalidParameter('componentIds must be a JSON array of add-on names.');
  const tasks = clusterTasks(ctx.world, ctx.caller.accountId, cluster.clusterId);
  const out: Record<string, unknown> = {};
  for (const name of names as string[]) {
    const addon = cluster.addons[name];
    if (!addon) continue; // Assumed: names that are not installed are left out of the map.
    const task = tasks.find((t) => taskAddons(t).includes(name));
    out[name] = {
      addon_info: { component_name: name, version: addon.version, ready_to_upgrade: String(addon.state === 'active') },
      tasks: upgradeTaskStatus(task, addon.installedAt),
    };
  }
  return out;
};

const describeClusterAddonMetadata: RoaHandler = (ctx, { pathParams, query }) => {
  const cluster = ownCluster(ctx, pathParams.cluster_id!);
  const name = pathParams.component_id!;
  const spec = addonSpec(name);
  if (!spec || !addonAvailable(spec, cluster)) throw addonNotFound(`AddonNotFound: add-on ${name} is not available for cluster ${cluster.clusterId}.`);
  const version = query.version ? String(query.version) : cluster.addons[name]?.version ?? latestVersion(spec);
  if (!spec.versions.includes(version) && cluster.addons[name]?.version !== version) throw addonNotFound(`AddonNotFound: add-on ${name} has no version ${version}.`);
  return { name, version, config_schema: configSchemaString(spec) };
};

export const csAddonHandlers: Record<string, RoaHandler> = {
  ListAddons: listAddons,
  DescribeAddon: describeAddon,
  DescribeAddons: describeAddons,
  InstallClusterAddons: installClusterAddons,
  ModifyClusterAddon: modifyClusterAddon,
  UpgradeClusterAddons: upgradeClusterAddons,
  UnInstallClusterAddons: unInstallClusterAddons,
  DescribeClusterAddonInstance: describeClusterAddonInstance,
  GetClusterAddonInstance: getClusterAddonInstance,
  ListClusterAddonInstances: listClusterAddonInstances,
  DescribeClusterAddonsVersion: describeClusterAddonsVersion,
  DescribeClusterAddonsUpgradeStatus: describeClusterAddonsUpgradeStatus,
  DescribeClusterAddonMetadata: describeClusterAddonMetadata,
};
