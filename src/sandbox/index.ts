// Starting the simulator: load or seed a world, serve it, write an aliyun CLI profiles file, save on every change.
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { FaultSet, parseFault, type Fault } from './faults.js';
import { createKubeHandler } from './kube/index.js';
import { authorize } from './policy.js';
import { installPullDecider } from './pull.js';
import { allClusterIds, setTaskFault } from './state/cs.js';
import { PRODUCT_MODULES } from './products/index.js';
import { createWorld, sandboxMeta, type SandboxMeta } from './scenarios.js';
import { startServer, type Authorizer, type KubeHandler, type RunningServer } from './server.js';
import { loadSpecs } from './spec.js';
import { World } from './world.js';

/** The persisted state does not fit what was asked; the message says how to start afresh. */
export class SandboxStateError extends Error {}

export const DEFAULT_SANDBOX_DIR = join(homedir(), '.acr-xaccount', 'sandbox');

export interface SandboxOptions {
  /** Folder holding `state.json` and `aliyun-config.json`; default ~/.acr-xaccount/sandbox. */
  dir?: string;
  /** State file; default `<dir>/state.json`. */
  stateFile?: string;
  /** World a fresh state starts from. */
  scenario?: string;
  port?: number;
  /** Real milliseconds added to every call. */
  latencyMs?: number;
  faults?: readonly string[];
  /** Do not read or write any state file (tests). */
  ephemeral?: boolean;
  authorize?: Authorizer;
  kube?: (world: World, baseUrl: () => string) => KubeHandler;
}

export interface SandboxAccountInfo {
  accountId: string;
  accessKeyId: string;
  /** Only for building in-process credentials; never printed. */
  accessKeySecret: string;
}

export interface RunningSandbox {
  url: string;
  endpoint: string;
  world: World;
  faults: FaultSet;
  accounts: { A: SandboxAccountInfo; B: SandboxAccountInfo };
  meta: SandboxMeta;
  stateFile?: string;
  /** aliyun CLI config (mode 0600) with profiles sandbox-a and sandbox-b. */
  profilesFile?: string;
  server: RunningServer;
  /** Kubernetes API URL of a simulated cluster. */
  kubeUrl(clusterId: string): string;
  addFault(fault: Fault | string): void;
  save(): void;
  close(): Promise<void>;
}

function accountInfo(world: World, accountId: string, accessKeyId: string): SandboxAccountInfo {
  const key = world.data.accessKeys[accessKeyId];
  if (!key) throw new Error(`sandbox state lacks the root key of ${accountId}; run \`acr-xaccount sandbox reset\``);
  return { accountId, accessKeyId, accessKeySecret: key.secret };
}

/** The aliyun CLI's config format, so `aliyun --profile sandbox-a` and `--profile-a sandbox-a` both work. */
export function writeProfilesFile(file: string, accounts: RunningSandbox['accounts'], region: string): void {
  const profile = (name: string, a: SandboxAccountInfo) => ({
    name,
    mode: 'AK',
    access_key_id: a.accessKeyId,
    access_key_secret: a.accessKeySecret,
    region_id: region,
    output_format: 'json',
    language: 'en',
  });
  const config = { current: 'sandbox-a', profiles: [profile('sandbox-a', accounts.A), profile('sandbox-b', accounts.B)], meta_path: '' };
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const dir = options.dir ?? DEFAULT_SANDBOX_DIR;
  const stateFile = options.ephemeral ? undefined : options.stateFile ?? join(dir, 'state.json');
  const world = stateFile && World.exists(stateFile) ? World.load(stateFile) : createWorld(options.scenario ?? 'default');
  if (options.scenario && world.data.scenario !== options.scenario) {
    throw new SandboxStateError(
      `the sandbox state ${stateFile} was made from scenario "${world.data.scenario}", not "${options.scenario}": ` +
        'run `acr-xaccount sandbox reset` first (or pick another --sandbox-state folder).',
    );
  }
  const meta = sandboxMeta(world);
  installPullDecider();
  const faults = new FaultSet();
  for (const spec of options.faults ?? []) faults.add(parseFault(spec));
  if (options.latencyMs) faults.add({ kind: 'latency', product: '*', action: '*', count: Infinity, value: options.latencyMs });
  for (const { clusterId, fault } of faults.taskFaults()) {
    const ids = clusterId === '*' ? allClusterIds(world) : [clusterId];
    for (const id of ids) setTaskFault(world, id, fault);
  }
  const save = () => {
    if (stateFile) world.save(stateFile);
  };
  let baseUrl = '';
  const server = await startServer({
    world,
    specs: loadSpecs(),
    modules: PRODUCT_MODULES,
    faults,
    authorize: options.authorize ?? authorize,
    kube: (options.kube ?? createKubeHandler)(world, () => baseUrl),
    onChange: save,
    port: options.port,
  });
  baseUrl = server.url;
  const accounts = {
    A: accountInfo(world, meta.accounts.A, meta.rootKeys.A),
    B: accountInfo(world, meta.accounts.B, meta.rootKeys.B),
  };
  let profilesFile: string | undefined;
  if (!options.ephemeral) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    profilesFile = join(dir, 'aliyun-config.json');
    writeProfilesFile(profilesFile, accounts, String(meta.facts.regionA ?? 'cn-hangzhou'));
  }
  save();
  return {
    url: server.url,
    endpoint: server.endpoint,
    world,
    faults,
    accounts,
    meta,
    stateFile,
    profilesFile,
    server,
    kubeUrl: (clusterId) => `${server.url}/k8s/${clusterId}`,
    addFault: (fault) => faults.add(typeof fault === 'string' ? parseFault(fault) : fault),
    save,
    close: async () => {
      await server.close();
      save();
    },
  };
}

/** The scenario facts (IDs, regions) of the world a sandbox run would use, without starting it. */
export function peekSandboxFacts(options: Pick<SandboxOptions, 'dir' | 'stateFile' | 'scenario'>): Record<string, string | string[]> {
  const stateFile = options.stateFile ?? join(options.dir ?? DEFAULT_SANDBOX_DIR, 'state.json');
  const world = World.exists(stateFile) ? World.load(stateFile) : createWorld(options.scenario ?? 'default');
  return sandboxMeta(world).facts;
}
