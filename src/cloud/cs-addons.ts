// CS (ACK, ROA) add-ons: what is installed, install, configure (config is a JSON string) and uninstall, schemas, catalogue.
import { redact } from '../secrets.js';
import { CloudError, isNotFound } from './errors.js';
import type { AccountClient } from './session.js';
import { sdkCaller } from './sdk-call.js';

const cs = sdkCaller('cs');

export interface AddonInstance {
  name: string;
  version: string;
  /** `active`, `updating`, `upgrading`, `deleting`, `unhealthy`... */
  state: string;
}

export interface AddonInstanceDetail extends AddonInstance {
  /** The add-on's custom configuration, a JSON string ('' when none). */
  config: string;
}

/** The add-ons installed in a cluster. */
export async function listClusterAddonInstances(acct: AccountClient, clusterId: string): Promise<AddonInstance[]> {
  const res = await cs(acct, { action: 'ListClusterAddonInstances', params: { cluster_id: clusterId } }, (c, _m, rt) =>
    c.listClusterAddonInstancesWithOptions(clusterId, {}, rt),
  );
  return (res.body?.addons ?? []).map((a) => ({ name: a.name ?? '', version: a.version ?? '', state: a.state ?? '' }));
}

/** One installed add-on with its config; undefined when it is not installed. */
export async function getClusterAddonInstance(acct: AccountClient, clusterId: string, name: string): Promise<AddonInstanceDetail | undefined> {
  try {
    const params = { cluster_id: clusterId, instance_name: name };
    const res = await cs(acct, { action: 'GetClusterAddonInstance', params }, (c, _m, rt) => c.getClusterAddonInstanceWithOptions(clusterId, name, {}, rt));
    const b = res.body;
    return { name: b?.name ?? name, version: b?.version ?? '', state: b?.state ?? '', config: b?.config ?? '' };
  } catch (error) {
    // AddonNotFound (or another 404) means "not installed"; a missing cluster is an error, not an absent add-on.
    if (isNotFound(error, 'ErrorClusterNotFound')) throw error;
    if (isNotFound(error, 'AddonNotFound') || (error instanceof CloudError && error.statusCode === 404)) return undefined;
    throw error;
  }
}

export interface AddonToInstall {
  name: string;
  /** Omitted: the version CS offers for the cluster. */
  version?: string;
  /** A JSON string, per the add-on's config schema. */
  config?: string;
}

/** Installs add-ons; returns the task ID. */
export async function installClusterAddons(acct: AccountClient, clusterId: string, addons: AddonToInstall[]): Promise<string> {
  // A config may carry credentials (a custom AccessKey): the log gets it through redact().
  const params = { ClusterId: clusterId, body: addons.map((a) => ({ name: a.name, version: a.version, config: a.config === undefined ? undefined : redact(a.config) })) };
  const res = await cs(acct, { action: 'InstallClusterAddons', params }, (c, m, rt) => {
    const body = addons.map((a) => new m.InstallClusterAddonsRequestBody({ name: a.name, version: a.version, config: a.config }));
    return c.installClusterAddonsWithOptions(clusterId, new m.InstallClusterAddonsRequest({ body }), {}, rt);
  });
  return res.body?.taskId ?? '';
}

export interface AddonToUninstall {
  name: string;
  /** Also release the cloud resources the add-on created (load balancers, disks...); default false. */
  cleanupCloudResources?: boolean;
}

/** Uninstalls add-ons; returns the task ID (the add-ons are `deleting` until it ends, then gone). */
export async function uninstallClusterAddons(acct: AccountClient, clusterId: string, addons: AddonToUninstall[]): Promise<string> {
  const body = addons.map((a) => ({ name: a.name, cleanup_cloud_resources: a.cleanupCloudResources ?? false }));
  const res = await cs(acct, { action: 'UnInstallClusterAddons', params: { ClusterId: clusterId, body } }, (c, m, rt) => {
    const request = new m.UnInstallClusterAddonsRequest({ addons: addons.map((a) => new m.UnInstallClusterAddonsRequestAddons({ name: a.name, cleanupCloudResources: a.cleanupCloudResources ?? false })) });
    return c.unInstallClusterAddonsWithOptions(clusterId, request, {}, rt);
  });
  return res.body?.taskId ?? '';
}

/** Replaces an installed add-on's configuration (a JSON string). The API answers with no body. */
export async function modifyClusterAddon(acct: AccountClient, clusterId: string, name: string, config: string): Promise<void> {
  const params = { cluster_id: clusterId, component_id: name, body: { config: redact(config) } };
  await cs(acct, { action: 'ModifyClusterAddon', params }, (c, m, rt) =>
    c.modifyClusterAddonWithOptions(clusterId, name, new m.ModifyClusterAddonRequest({ config }), {}, rt),
  );
}

export interface AddonMetadata {
  name: string;
  version: string;
  /** JSON Schema of the add-on's config, as a string. */
  configSchema: string;
}

/** The config schema of an add-on (of `version`, or the installed one). */
export async function describeClusterAddonMetadata(acct: AccountClient, clusterId: string, name: string, version?: string): Promise<AddonMetadata> {
  const params = { cluster_id: clusterId, component_id: name, version };
  const res = await cs(acct, { action: 'DescribeClusterAddonMetadata', params }, (c, m, rt) =>
    c.describeClusterAddonMetadataWithOptions(clusterId, name, new m.DescribeClusterAddonMetadataRequest({ version }), {}, rt),
  );
  return { name: res.body?.name ?? name, version: res.body?.version ?? version ?? '', configSchema: res.body?.configSchema ?? '' };
}

export interface AvailableAddon {
  name: string;
  version: string;
  /** A managed (control-plane) edition. */
  managed: boolean;
  category: string;
  installByDefault: boolean;
  configSchema: string;
  supportedActions: string[];
}

export interface AddonCatalogueFilter {
  /** For a cluster: the add-ons and versions it can install. */
  clusterId?: string;
  regionId?: string;
  clusterType?: string;
  profile?: string;
  clusterSpec?: string;
  clusterVersion?: string;
}

/** The add-ons available (to a cluster, or for a cluster type and version in a region) and their versions. */
export async function listAddons(acct: AccountClient, filter: AddonCatalogueFilter): Promise<AvailableAddon[]> {
  const params = {
    cluster_id: filter.clusterId, region_id: filter.regionId, cluster_type: filter.clusterType, profile: filter.profile,
    cluster_spec: filter.clusterSpec, cluster_version: filter.clusterVersion,
  };
  const res = await cs(acct, { action: 'ListAddons', params }, (c, m, rt) => c.listAddonsWithOptions(new m.ListAddonsRequest({ ...filter }), {}, rt));
  return (res.body?.addons ?? []).map((a) => ({
    name: a.name ?? '', version: a.version ?? '', managed: a.managed ?? false, category: a.category ?? '',
    installByDefault: a.installByDefault ?? false, configSchema: a.configSchema ?? '', supportedActions: a.supportedActions ?? [],
  }));
}
