// The wizard: runs the flows in the seed's order and returns the answers as config pieces, plus what it learned.
// No cloud writes here: every lookup goes through WizardSources, which only reads.
import type { AddonEdition, AuthMode, StepName } from '../config/choices.js';
import type { RawConfig } from '../config/load.js';
import type { Account } from '../plan/action.js';
import { askAccounts } from './flows/accounts.js';
import { askAddon, askAuth } from './flows/auth.js';
import { askCluster } from './flows/cluster.js';
import { askDns } from './flows/dns.js';
import { askImage } from './flows/image.js';
import { askNetwork, type NetworkFacts } from './flows/network.js';
import { askRegistry } from './flows/registry.js';
import { AskPolicy } from './policy.js';
import type { Prompter } from './prompter.js';
import type { ClusterInfo, Identity, RegistryInstanceInfo, WizardSources } from './sources.js';

export interface WizardInput {
  /** The config file's values with the flags laid over them. */
  given: RawConfig;
  /** Config paths set by flags: never asked. */
  fromFlags: ReadonlySet<string>;
  /** `--step`: re-ask these steps' settings (the rest comes from the file). */
  steps?: readonly StepName[];
  /** Suggestions (the sandbox scenario's IDs): preselected, still asked. */
  hints?: { clusterId?: string; regionB?: string; instanceId?: string };
}

/** What the wizard found out, for the topology drawing shown with the plan. */
export interface WizardFacts {
  identities: Record<Account, Identity>;
  cluster: ClusterInfo;
  registry: RegistryInstanceInfo;
  network?: NetworkFacts;
}

export interface WizardResult {
  /** Only the settings the wizard asked for (the caller lays them over the file and flags). */
  answers: RawConfig;
  facts: WizardFacts;
}

const isPlainObject = (v: unknown): v is RawConfig => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/** Lays `piece` into `target`, object by object; lists and values replace. */
export function mergeInto(target: RawConfig, piece: RawConfig): RawConfig {
  for (const [key, value] of Object.entries(piece)) {
    if (value === undefined) continue;
    const existing = target[key];
    target[key] = isPlainObject(value) ? mergeInto(isPlainObject(existing) ? existing : {}, value) : value;
  }
  return target;
}

const NETWORK_PATHS = ['network.mode', 'network.vpcIdB', 'network.authIp', 'network.ossIp', 'network.discoveryInstanceId', 'network.bandwidthMbps', 'network.aclCidrs', 'network.dns'];
const AUTH_PATHS = ['auth.mode', 'auth.expireDuration'];
const ADDON_PATHS = ['addon.edition', 'addon.watchNamespaces', 'addon.serviceAccounts'];

/** Starts a lookup the next questions will need while the user reads and answers; its failure surfaces when used. */
const prefetch = (pending: Promise<unknown>) => void pending.catch(() => undefined);

export async function runWizard(p: Prompter, s: WizardSources, input: WizardInput): Promise<WizardResult> {
  const policy = new AskPolicy(input.given, input.fromFlags, input.steps);
  const answers: RawConfig = {};
  const asksAny = (paths: readonly string[]) => paths.some((path) => policy.asks(path));

  const accounts = await askAccounts(p, s, policy);
  mergeInto(answers, accounts.config);

  const { cluster, config: clusterConfig } = await askCluster(p, s, policy, input.hints?.clusterId);
  mergeInto(answers, clusterConfig);
  const asksNetwork = asksAny(NETWORK_PATHS);
  if (asksNetwork) prefetch(s.clusterNetwork(cluster));

  const { registry, config: registryConfig } = await askRegistry(p, s, policy, cluster, { region: input.hints?.regionB, instanceId: input.hints?.instanceId });
  mergeInto(answers, registryConfig);
  const regionB = registryConfig.accountB.region;
  if (asksNetwork) {
    prefetch(s.registryEndpoints(registry.instanceId, regionB));
    prefetch(s.vpcsB(regionB));
  }
  if (policy.asks('verify.image')) prefetch(s.repositories(registry.instanceId, regionB));

  const facts: WizardFacts = { identities: accounts.identities, cluster, registry };
  if (asksNetwork) {
    const network = await askNetwork(p, s, policy, { cluster, registry, regionB });
    mergeInto(answers, network.config);
    facts.network = network.facts;
    mergeInto(answers, (await askDns(p, policy, cluster, network.mode)).config);
  }

  let authMode = policy.text('auth.mode') as AuthMode | undefined;
  if (asksAny(AUTH_PATHS)) {
    const fixedEdition = policy.asks('addon.edition') ? undefined : (policy.text('addon.edition') as AddonEdition | undefined);
    const auth = await askAuth(p, policy, cluster, fixedEdition);
    mergeInto(answers, auth.config);
    authMode = auth.mode;
  }
  if (asksAny(ADDON_PATHS) && authMode) mergeInto(answers, (await askAddon(p, policy, cluster, authMode)).config);

  mergeInto(answers, (await askImage(p, s, policy, registry)).config);
  return { answers, facts };
}
