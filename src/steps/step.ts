// The contract every step of the seed procedure fulfils: discover (reads only), preflight (refuse before any
// write, naming the fix), plan (pure: config + facts -> Actions whose apply() does the writes).
import type { StepName } from '../config/choices.js';
import type { Config } from '../config/schema.js';
import type { Identities } from '../cloud/identity.js';
import type { ClusterDetail } from '../cloud/cs.js';
import type { CrEndpoint, CrInstance, VpcEndpoint } from '../cloud/cr.js';
import type { AccountClient } from '../cloud/session.js';
import type { Action } from '../plan/action.js';

/** What every step may rely on, discovered once before the steps' own discovery. */
export interface BaseFacts {
  /**
   * The steps this run plans together (for `destroy`: the steps it tears down; for `doctor`: the steps it checks).
   * The auth and add-on steps read it: the add-on's actions wait for auth's only when auth runs too, and auth makes
   * (or retires) an AccessKey only when the add-on puts the new one into the cluster in the same run.
   */
  steps: readonly StepName[];
  identities: Identities;
  /** A's cluster, as DescribeClusterDetail shows it. */
  cluster: ClusterDetail;
  /** B's registry instance, its endpoints (Internet, VPC) and its VPC endpoint (linked VPCs with IPs). */
  registry: { instance: CrInstance; endpoints: CrEndpoint[]; vpcEndpoint?: VpcEndpoint };
}

/** The clients a step's actions use when they run; planning itself never calls them. */
export interface StepClients {
  A: AccountClient;
  B: AccountClient;
  /** A kubeconfig for A's cluster (the --kubeconfig file's content, or DescribeClusterUserKubeconfig's), on demand. */
  kubeconfig(): Promise<string>;
  /** How long to wait between polls of an asynchronous operation (short against the sandbox's simulated clock). */
  pollIntervalMs: number;
}

/**
 * What `destroy` starts from: like BaseFacts, but A's cluster may be gone (deleted before destroy). What lived in
 * it (the add-on, its ConfigMap, the test Deployment, the nodes' hosts) went with it; the rest is still ours to remove.
 */
export type TeardownBase = Omit<BaseFacts, 'cluster'> & { cluster?: ClusterDetail };

/** What `destroy` was asked for beyond removing what carries our marker. */
export interface TeardownOptions {
  /** --remove-addon: uninstall the credential helper add-on too (it is kept by default: others may rely on it). */
  removeAddon: boolean;
}

/** `Facts`: what discover reads for plan and preflight; `TeardownFacts`: what discoverTeardown reads for destroy. */
export interface StepModule<Facts = unknown, TeardownFacts = Facts> {
  name: StepName;
  /** Read-only calls gathering what this step needs. Runs in parallel with the other steps' discovery. */
  discover(config: Config, base: BaseFacts, clients: StepClients): Promise<Facts>;
  /** Problems that must stop the run before any write, each saying what is wrong and how to fix it. */
  preflight(config: Config, facts: Facts, base: BaseFacts): string[];
  /** The actions that bring this step's part of the world to the config; no I/O here. */
  plan(config: Config, facts: Facts, base: BaseFacts, clients: StepClients): Action[];
  /**
   * `destroy`: the actions that remove what this step made, and only what carries our marker (src/steps/marker.ts),
   * ordered among themselves by dependsOn (`destroy` orders the steps). What the step changed but cannot prove is ours
   * is a noop action whose title says why it stays. No I/O here; a finished teardown plans no change.
   */
  // Property syntax, so that strictFunctionTypes checks a step really copes with the cluster being gone.
  teardown: (config: Config, facts: TeardownFacts, base: TeardownBase, clients: StepClients, options: TeardownOptions) => Action[];
  /** Reads for `destroy` (read-only like discover), whatever mode the config names now, and with A's cluster gone. */
  discoverTeardown: (config: Config, base: TeardownBase, clients: StepClients) => Promise<TeardownFacts>;
}
