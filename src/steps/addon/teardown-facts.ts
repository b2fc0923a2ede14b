// `destroy` for the add-on step, the reads and the proof: which editions are installed, the self-managed helper's
// ConfigMap, our RAM user's AccessKeys when an entry holds one, and which entry for our instance acr-xaccount wrote.
import type { Config } from '../../config/schema.js';
import * as addons from '../../cloud/cs-addons.js';
import * as ram from '../../cloud/ram.js';
import { readHelperConfig, RegistryInfoError, type RegistryEntry } from '../../kube/acr-configuration.js';
import { roleBArn } from '../auth/role-b.js';
import { isOurs } from '../marker.js';
import type { StepClients, TeardownBase } from '../step.js';
import { ADDON_NAME, type AddonFacts } from './facts.js';
import { parseAddonConfig } from './install.js';
import { managedConfigEntries } from './replace.js';

/** Reads what the teardown plans from; never refuses a half-removed setup (no schema, no preflight facts). */
export async function discoverAddonTeardown(config: Config, base: TeardownBase, clients: StepClients): Promise<AddonFacts> {
  // A cluster deleted before destroy took the add-on and its configuration with it.
  if (!base.cluster) return { installed: {}, helperPods: [] };
  const clusterId = config.accountA.clusterId;
  const [managed, selfManaged] = await Promise.all([
    addons.getClusterAddonInstance(clients.A, clusterId, ADDON_NAME.managed),
    addons.getClusterAddonInstance(clients.A, clusterId, ADDON_NAME['self-managed']),
  ]);
  // The ConfigMap outlives the self-managed add-on, so it is read whenever that edition is or was ours.
  const readConfigMap = config.addon.edition === 'self-managed' || config.addon.replaceEdition || Boolean(selfManaged);
  let helperConfig: AddonFacts['helperConfig'];
  let helperConfigError: string | undefined;
  if (readConfigMap) {
    try {
      helperConfig = await readHelperConfig(await clients.kubeconfig());
    } catch (error) {
      if (!(error instanceof RegistryInfoError)) throw error;
      helperConfigError = error.message;
    }
  }
  // An entry with an AccessKey is ours only if the key is our RAM user's: read the user and its keys then.
  const entries = [...(helperConfig?.entries ?? []), ...managedConfigEntries(parseAddonConfig(managed?.config) ?? {})];
  const withKey = entries.some((e) => String(e.instanceId ?? '') === config.accountB.instanceId && e.customAccessKey);
  let user: AddonFacts['user'];
  if (config.auth.mode === 'access-key' || withKey) {
    const found = await ram.getUser(clients.B, config.auth.userName);
    user = { user: found, attached: [], keys: found ? await ram.listAccessKeys(clients.B, config.auth.userName) : [] };
  }
  return { installed: { managed, 'self-managed': selfManaged }, helperConfig, helperConfigError, helperPods: [], user };
}

export type Ownership = { ours: true; provenBy: string } | { ours: false; why: string };

/**
 * Whether acr-xaccount wrote this entry for our instance. Proven ours when it assumes role B as the config names it
 * (the only role ARN apply writes into an entry), or when its AccessKey is one of the keys of our RAM user (the user
 * named in the config, whose Comments carry the marker: apply refuses any other user). Anything else is the user's.
 */
export function entryOwnership(config: Config, base: TeardownBase, facts: Pick<AddonFacts, 'user'>, entry: RegistryEntry): Ownership {
  const roleB = roleBArn(config, base);
  const assumed = String(entry.assumeRoleARN ?? '');
  if (assumed !== '' && assumed === roleB) return { ours: true, provenBy: `it assumes role B ${roleB}` };
  const keyId = String(entry.customAccessKey ?? '');
  const user = facts.user?.user;
  const userName = config.auth.userName;
  if (keyId !== '' && user && isOurs(user.comments) && facts.user!.keys.some((k) => k.accessKeyId === keyId)) {
    return { ours: true, provenBy: `its AccessKey ${keyId} belongs to RAM user ${userName}, made by acr-xaccount` };
  }
  if (assumed !== '') return { ours: false, why: `it assumes ${assumed}, not role B ${roleB}` };
  if (keyId !== '') {
    if (!user) return { ours: false, why: `its AccessKey ${keyId} cannot be tied to acr-xaccount: RAM user ${userName} does not exist` };
    if (!isOurs(user.comments)) return { ours: false, why: `its AccessKey ${keyId} belongs to no user made by acr-xaccount` };
    return { ours: false, why: `its AccessKey ${keyId} is not a key of RAM user ${userName}` };
  }
  return { ours: false, why: `it names neither role B ${roleB} nor an AccessKey of RAM user ${userName}` };
}

/** The entries for our instance in a list, each with whether it is ours. */
export function entriesForInstance(config: Config, base: TeardownBase, facts: Pick<AddonFacts, 'user'>, entries: readonly RegistryEntry[]): { entry: RegistryEntry; owner: Ownership }[] {
  return entries.filter((e) => String(e.instanceId ?? '') === config.accountB.instanceId).map((entry) => ({ entry, owner: entryOwnership(config, base, facts, entry) }));
}

/** The predicate a write re-checks at apply time: our instance, and proven ours by the same facts the plan showed. */
export function ourEntryMatcher(config: Config, base: TeardownBase, facts: Pick<AddonFacts, 'user'>): (entry: RegistryEntry) => boolean {
  return (entry) => String(entry.instanceId ?? '') === config.accountB.instanceId && entryOwnership(config, base, facts, entry).ours;
}
