// ACK (CS) state of one account: clusters with their RRSA setting, add-on instances, node pools and tasks.
// Asynchronous work (RRSA enablement, add-on install/upgrade/config/uninstall, node-pool updates) is a task record that
// settles lazily against the simulated clock; every reader goes through findCluster/settleTasks first.
import { createHash, randomBytes } from 'node:crypto';

import type { World } from '../world.js';
import { addonActivated, addonRemoved } from './cs-hooks.js';
import { registerOidcProvider } from './ims.js';

export { onAddonActive, onAddonRemoved, type AddonListener } from './cs-hooks.js';

export type ClusterType = 'ManagedKubernetes' | 'Kubernetes' | 'ExternalKubernetes';
/** `Default` covers ACK Basic/Pro (cluster_spec ack.standard / ack.pro.small); Edge and Serverless are profiles too. */
export type ClusterProfile = 'Default' | 'Edge' | 'Serverless' | 'Lingjun';
/** DescribeClusterDetail `state` values (metadata description). */
export type ClusterState = 'initial' | 'running' | 'updating' | 'updating_failed' | 'scaling' | 'failed' | 'deleting' | 'stopped';
/** DescribeClusterAddonInstance `state` enum. */
export type AddonState = 'initial' | 'active' | 'unhealthy' | 'upgrading' | 'updating' | 'deleting' | 'deleted';
export type TaskState = 'running' | 'success' | 'fail';
/** Injected by tests: a task never finishes (`stuck`) or ends in `fail`. */
export type TaskFault = 'stuck' | 'fail';

export interface AddonInstanceRecord {
  name: string;
  version: string;
  /** The add-on's custom configuration as CS shows it: a JSON string ('' for none). */
  config: string;
  state: AddonState;
  installedAt: string;
  /** When the add-on became active (simulated ms): its workload has been running since. */
  activeSinceMs?: number;
}

export interface NodePoolRecord {
  nodepoolId: string;
  name: string;
  /** `ess` for regular pools. */
  type: string;
  isDefault: boolean;
  vSwitchIds: string[];
  /** Base64, as the API carries it ('' for none). */
  userData: string;
  preUserData: string;
  instanceTypes: string[];
  scalingGroupId: string;
  state: 'active' | 'updating' | 'scaling';
  created: string;
  updated: string;
}

export interface KubeTokenRecord {
  /** SHA-256 of the bearer token: the token itself never sits in the state file. */
  sha256: string;
  principalArn: string;
  expiresMs: number;
}

export interface ClusterLogRecord {
  id: number;
  message: string;
  created: string;
}

export interface ClusterRecord {
  clusterId: string;
  name: string;
  regionId: string;
  zoneId: string;
  clusterType: ClusterType;
  profile: ClusterProfile;
  /** `ack.pro.small` / `ack.standard` for managed clusters; '' for dedicated and registered ones. */
  clusterSpec: string;
  initVersion: string;
  currentVersion: string;
  vpcId: string;
  /** Control-plane vSwitches (vswitch_ids); nodes sit in the node pools' vSwitches. */
  vSwitchIds: string[];
  podCidr: string;
  serviceCidr: string;
  /** '' when the cluster has none (Serverless). */
  workerRamRoleName: string;
  securityGroupId: string;
  state: ClusterState;
  deletionProtection: boolean;
  resourceGroupId: string;
  created: string;
  updated: string;
  rrsaEnabled: boolean;
  /** When RRSA last became enabled (simulated ms): pods started before then have no OIDC token mounted. */
  rrsaEnabledAtMs?: number;
  addons: Record<string, AddonInstanceRecord>;
  nodePools: Record<string, NodePoolRecord>;
  /** Instance IDs of the dedicated cluster's masters (managed clusters have none). */
  masterInstanceIds: string[];
  kubeTokens: KubeTokenRecord[];
  logs: ClusterLogRecord[];
  taskFault?: TaskFault;
}

export type TaskEffect =
  | { kind: 'rrsa'; enable: boolean }
  | { kind: 'cluster-update' }
  | { kind: 'addon-install'; addons: string[] }
  | { kind: 'addon-upgrade'; addons: { name: string; version: string; config?: string; previousState: AddonState }[] }
  | { kind: 'addon-config'; addon: string; previousConfig: string }
  | { kind: 'addon-uninstall'; addons: { name: string; previousState: AddonState }[] }
  | { kind: 'nodepool-update'; nodepoolId: string };

export interface TaskRecord {
  taskId: string;
  clusterId: string;
  taskType: string;
  state: TaskState;
  startMs: number;
  durationMs: number;
  created: string;
  updated: string;
  effect: TaskEffect;
  error?: { code: string; message: string };
}

export interface CsSlice {
  clusters: Record<string, ClusterRecord>;
  tasks: Record<string, TaskRecord>;
}

/** How long each kind of task runs on the simulated clock (assumed; the real ones take about a minute or more). */
export const TASK_DURATION_MS = {
  rrsa: 60_000,
  clusterUpdate: 10_000,
  addonInstall: 30_000,
  addonUpgrade: 30_000,
  addonConfig: 20_000,
  addonUninstall: 20_000,
  nodepoolUpdate: 10_000,
} as const;

/** The audience RRSA tokens carry and the OIDC provider trusts. */
export const RRSA_AUDIENCE = 'sts.aliyuncs.com';

export function csState(world: World, accountId: string): CsSlice {
  return world.slice<CsSlice>(accountId, 'cs', () => ({ clusters: {}, tasks: {} }));
}

/** Lower-case hex of a fresh world ID: CS IDs are hex (`c` + 32 for clusters, `np` + 32 for pools, `T-` + 24 for tasks). */
export function hexId(world: World, length: number): string {
  return createHash('sha256').update(world.nextId('')).digest('hex').slice(0, length);
}

export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Finds a cluster in any account, with its tasks settled up to now. */
export function findCluster(world: World, clusterId: string): { accountId: string; cluster: ClusterRecord } | undefined {
  for (const accountId of world.accountIds()) {
    const cluster = csState(world, accountId).clusters[clusterId];
    if (cluster) {
      settleTasks(world, accountId);
      return { accountId, cluster };
    }
  }
  return undefined;
}

export function addClusterLog(world: World, cluster: ClusterRecord, message: string, atMs = world.data.nowMs): void {
  cluster.logs.push({ id: 590_749_245 + world.data.seq + cluster.logs.length, message: `${cluster.clusterId} | ${message}`, created: iso(atMs) });
}

// ---- tasks -------------------------------------------------------------------------------------

/** Starts a task; a cluster-level change puts the cluster in `updating` until it ends. */
export function startTask(world: World, accountId: string, cluster: ClusterRecord, taskType: string, effect: TaskEffect, durationMs: number): TaskRecord {
  const now = world.data.nowMs;
  const task: TaskRecord = {
    taskId: `T-${hexId(world, 24)}`,
    clusterId: cluster.clusterId,
    taskType,
    state: 'running',
    startMs: now,
    durationMs,
    created: iso(now),
    updated: iso(now),
    effect,
  };
  csState(world, accountId).tasks[task.taskId] = task;
  if (effect.kind === 'rrsa' || effect.kind === 'cluster-update') cluster.state = 'updating';
  cluster.updated = iso(now);
  return task;
}

/** Ends every running task of the account whose time has come (unless a `stuck` fault holds it). */
export function settleTasks(world: World, accountId: string): void {
  const state = csState(world, accountId);
  for (const task of Object.values(state.tasks)) {
    if (task.state !== 'running') continue;
    const cluster = state.clusters[task.clusterId];
    if (!cluster) continue;
    if (cluster.taskFault === 'stuck' || !world.isDone(task.startMs, task.durationMs)) continue;
    finishTask(world, accountId, cluster, task, cluster.taskFault === 'fail');
  }
}

function finishTask(world: World, accountId: string, cluster: ClusterRecord, task: TaskRecord, failed: boolean): void {
  const endMs = task.startMs + task.durationMs;
  task.state = failed ? 'fail' : 'success';
  task.updated = iso(endMs);
  cluster.updated = iso(endMs);
  if (failed) task.error = { code: 'InternalError', message: `task ${task.taskType} failed (injected fault)` };
  const effect = task.effect;
  switch (effect.kind) {
    case 'rrsa':
      cluster.state = failed ? 'updating_failed' : 'running';
      if (!failed) {
        // Assumed: disabling RRSA leaves the RAM OIDC provider in place (ACK does not own its deletion).
        cluster.rrsaEnabled = effect.enable;
        cluster.rrsaEnabledAtMs = effect.enable ? endMs : undefined;
        // ACK registers the cluster's OIDC provider in the owner's RAM when RRSA is enabled.
        if (effect.enable) registerOidcProvider(world, accountId, { name: oidcProviderName(cluster.clusterId), issuerUrl: rrsaIssuerOf(cluster), clientIds: [RRSA_AUDIENCE], description: `RRSA OIDC provider of ACK cluster ${cluster.clusterId}` });
      }
      addClusterLog(world, cluster, `${effect.enable ? 'enable' : 'disable'} RRSA ${failed ? 'failed' : 'successfully'}`, endMs);
      return;
    case 'cluster-update':
      cluster.state = failed ? 'updating_failed' : 'running';
      return;
    case 'addon-install':
      for (const name of effect.addons) {
        const addon = cluster.addons[name];
        if (!addon) continue;
        // A failed install leaves nothing behind, so the caller may retry.
        if (failed) delete cluster.addons[name];
        else {
          addon.state = 'active';
          addon.activeSinceMs = endMs;
          addonActivated(world, cluster.clusterId, name);
        }
      }
      addClusterLog(world, cluster, `install addons ${effect.addons.join(',')} ${failed ? 'failed' : 'successfully'}`, endMs);
      return;
    case 'addon-upgrade':
      for (const change of effect.addons) {
        const addon = cluster.addons[change.name];
        if (!addon) continue;
        addon.state = failed ? change.previousState : 'active';
        if (!failed) {
          addon.version = change.version;
          if (change.config !== undefined) addon.config = change.config;
        }
      }
      return;
    case 'addon-config': {
      const addon = cluster.addons[effect.addon];
      if (!addon) return;
      addon.state = 'active';
      if (failed) addon.config = effect.previousConfig;
      return;
    }
    case 'addon-uninstall':
      for (const { name, previousState } of effect.addons) {
        const addon = cluster.addons[name];
        if (!addon) continue;
        // A failed uninstall leaves the add-on as it was, so the caller may retry.
        if (failed) addon.state = previousState;
        else {
          delete cluster.addons[name];
          addonRemoved(world, cluster.clusterId, name);
        }
      }
      addClusterLog(world, cluster, `uninstall addons ${effect.addons.map((a) => a.name).join(',')} ${failed ? 'failed' : 'successfully'}`, endMs);
      return;
    case 'nodepool-update': {
      const pool = cluster.nodePools[effect.nodepoolId];
      if (pool) pool.state = 'active';
      return;
    }
  }
}

/** Every cluster ID of every account. */
export function allClusterIds(world: World): string[] {
  return world.accountIds().flatMap((id) => Object.keys(csState(world, id).clusters));
}

/** Makes this cluster's running and future tasks hang (`stuck`) or fail; `undefined` lets them finish normally. */
export function setTaskFault(world: World, clusterId: string, fault: TaskFault | undefined): void {
  const found = findCluster(world, clusterId);
  if (!found) throw new Error(`setTaskFault: no cluster ${clusterId}`);
  if (fault) found.cluster.taskFault = fault;
  else delete found.cluster.taskFault;
}

/** The add-on names a task is about (for DescribeClusterAddonsUpgradeStatus and task results). */
export function taskAddons(task: TaskRecord): string[] {
  const e = task.effect;
  if (e.kind === 'addon-install') return e.addons;
  if (e.kind === 'addon-upgrade' || e.kind === 'addon-uninstall') return e.addons.map((a) => a.name);
  if (e.kind === 'addon-config') return [e.addon];
  return [];
}

/** The cluster's tasks, newest first. */
export function clusterTasks(world: World, accountId: string, clusterId: string): TaskRecord[] {
  return Object.values(csState(world, accountId).tasks)
    .filter((t) => t.clusterId === clusterId)
    .sort((a, b) => b.startMs - a.startMs || b.taskId.localeCompare(a.taskId));
}

// ---- RRSA --------------------------------------------------------------------------------------

export const oidcProviderName = (clusterId: string): string => `ack-rrsa-${clusterId}`;

/** The token issuer ACK uses: an OSS-hosted discovery document per cluster (seen in real trust policies and STS answers). */
export function rrsaIssuerOf(cluster: Pick<ClusterRecord, 'clusterId' | 'regionId'>): string {
  return `https://oidc-ack-${cluster.regionId}.oss-${cluster.regionId}.aliyuncs.com/${cluster.clusterId}`;
}

/** The `iss` the cluster's service-account tokens carry, or undefined while RRSA is off. */
export function rrsaIssuer(world: World, clusterId: string): string | undefined {
  const found = findCluster(world, clusterId);
  return found?.cluster.rrsaEnabled ? rrsaIssuerOf(found.cluster) : undefined;
}

export interface RrsaView {
  enabled: boolean;
  issuer?: string;
  /** The comma-joined issuers rrsa_config shows: the OIDC issuer, then the in-cluster one. */
  issuers?: string;
  audience?: string;
  oidcName?: string;
  oidcArn?: string;
  maxOidcTokenExpiration?: string;
  jwksUrl?: string;
  discoveryUrl?: string;
}

export function rrsaView(accountId: string, cluster: ClusterRecord): RrsaView {
  if (!cluster.rrsaEnabled) return { enabled: false };
  const issuer = rrsaIssuerOf(cluster);
  const name = oidcProviderName(cluster.clusterId);
  return {
    enabled: true,
    issuer,
    issuers: `${issuer},https://kubernetes.default.svc`,
    audience: RRSA_AUDIENCE,
    oidcName: name,
    oidcArn: `acs:ram::${accountId}:oidc-provider/${name}`,
    maxOidcTokenExpiration: '12h',
    jwksUrl: `${issuer}/keys`,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
  };
}

// ---- kubeconfig tokens -------------------------------------------------------------------------

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Issues a bearer token for the cluster's Kubernetes API; only its hash is kept. */
export function issueKubeToken(world: World, cluster: ClusterRecord, principalArn: string, lifetimeMs: number): { token: string; expiresMs: number } {
  const token = `sbx.${randomBytes(24).toString('base64url')}`;
  const expiresMs = world.data.nowMs + lifetimeMs;
  cluster.kubeTokens.push({ sha256: sha256(token), principalArn, expiresMs });
  return { token, expiresMs };
}

/** Who a kubeconfig token belongs to, if it is one this cluster issued and it has not expired. */
export function kubeTokenPrincipal(world: World, clusterId: string, token: string): string | undefined {
  const found = findCluster(world, clusterId);
  if (!found || !token) return undefined;
  const hash = sha256(token);
  return found.cluster.kubeTokens.find((t) => t.sha256 === hash && t.expiresMs > world.data.nowMs)?.principalArn;
}

export function kubeTokenValid(world: World, clusterId: string, token: string): boolean {
  return kubeTokenPrincipal(world, clusterId, token) !== undefined;
}

// ---- node pools --------------------------------------------------------------------------------

/** The user-data script (decoded) new nodes of the pool run; undefined when the pool does not exist. */
export function nodePoolUserData(world: World, clusterId: string, nodePoolId: string): string | undefined {
  const pool = findCluster(world, clusterId)?.cluster.nodePools[nodePoolId];
  return pool ? Buffer.from(pool.userData, 'base64').toString('utf8') : undefined;
}
