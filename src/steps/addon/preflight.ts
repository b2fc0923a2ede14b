// Add-on preflight: the edition on this cluster and with this auth mode, the registry edition, the config schema,
// the other edition (and, replacing it, whether what it serves can move), and what the add-on needs from the auth
// step when that step is not part of the run.
import type { Config } from '../../config/schema.js';
import { findRegistryEntry } from '../../kube/acr-configuration.js';
import { planKeys } from '../auth/access-key.js';
import { rrsaFromCluster } from '../auth/rrsa.js';
import { editionSupportProblem } from '../auth/support.js';
import { versionAtLeast } from '../../versions.js';
import type { BaseFacts } from '../step.js';
import { ADDON_NAME, type AddonFacts } from './facts.js';
import { parseAddonConfig } from './install.js';
import { carriableEntries, managedLayout } from './managed.js';
import { entriesToCarry, otherEdition } from './replace.js';
import { tokenModeFor } from './self-managed.js';

/** The self-managed edition reads RRSA settings from this version on (seed, "Supported components"). */
export const RRSA_MIN_SELF_MANAGED = 'v23.02.06.1-74e2172';
/** Personal Edition instances created after this day are not served by the helper (seed, "Prerequisites"). */
const PERSONAL_EDITION_CUTOFF_MS = Date.parse('2024-09-09T00:00:00+08:00');

function registryProblem(base: BaseFacts): string | undefined {
  const { instance } = base.registry;
  if (instance.edition.startsWith('Enterprise_')) return undefined;
  const created = instance.createdAt?.getTime();
  if (created !== undefined && created < PERSONAL_EDITION_CUTOFF_MS) return undefined;
  return `ACR instance ${instance.instanceId} is a Personal Edition instance created ${instance.createdAt?.toISOString().slice(0, 10) ?? 'on an unknown date'}: the credential helper serves Enterprise Edition instances and Personal Edition instances created on or before 2024-09-08 only. Use an Enterprise Edition instance (--instance-id), or image pull secrets.`;
}

/** The other edition: refused without --replace-edition; with it, what it serves must be able to move to ours. */
function otherEditionProblems(config: Config, facts: AddonFacts): string[] {
  const other = otherEdition(config.addon.edition);
  if (facts.installed[other] && !config.addon.replaceEdition) {
    const installed = `the ${other} edition (${ADDON_NAME[other]}) is installed in cluster ${config.accountA.clusterId}, and ACK allows only one edition`;
    return [`${installed}. Pass --replace-edition to uninstall it and install the ${config.addon.edition} edition (the instances it serves move over), or keep it with --edition ${other}.`];
  }
  if (!config.addon.replaceEdition || config.addon.edition !== 'managed' || facts.installed.managed) return [];
  // Into the managed edition: the ConfigMap's entries must be readable, and each must fit the managed config.
  if (facts.installed['self-managed'] && facts.helperConfigError) {
    return [`kube-system/acr-configuration: ${facts.helperConfigError}, so the instances the self-managed edition serves cannot move to the managed edition. Fix the ConfigMap by hand (kubectl -n kube-system edit configmap acr-configuration), then re-run.`];
  }
  const layout = managedLayout(facts.metadata?.configSchema ?? '', facts.metadata?.version ?? '');
  if (typeof layout === 'string') return []; // editionProblems names it
  const { left } = carriableEntries(layout, entriesToCarry(config, facts));
  if (left.length === 0) return [];
  return [`kube-system/acr-configuration (the self-managed edition's configuration) serves ${left.join('; ')}, which the managed edition's config cannot hold: replacing the self-managed edition would cut those pulls off. Keep it with --edition self-managed, or change those entries to role-based ones (assumeRoleARN) first.`];
}

function editionProblems(config: Config, facts: AddonFacts): string[] {
  const problems: string[] = [];
  const name = ADDON_NAME[config.addon.edition];
  if (!facts.metadata) {
    return [`ACK does not offer ${name} for cluster ${config.accountA.clusterId} (${facts.metadataError ?? 'no metadata'}). Check the cluster's kind and version, or use the other edition.`];
  }
  if (config.addon.edition === 'managed') {
    const layout = managedLayout(facts.metadata.configSchema, facts.metadata.version);
    if (typeof layout === 'string') problems.push(layout);
    const installed = facts.installed.managed;
    if (installed && !parseAddonConfig(installed.config)) problems.push(`the config of the installed ${name} is not a JSON object; fix it in the ACK console (Add-ons > ${name} > Configure) and re-run.`);
    return problems;
  }
  const tokenMode = (JSON.parse(facts.metadata.configSchema || '{}') as { properties?: { tokenMode?: { enum?: unknown[] } } }).properties?.tokenMode;
  if (tokenMode?.enum && !tokenMode.enum.includes(tokenModeFor(config))) {
    problems.push(`${name} ${facts.metadata.version} does not accept tokenMode ${tokenModeFor(config)} (it accepts ${tokenMode.enum.join(', ')}); upgrade the add-on in the ACK console.`);
  }
  const version = facts.installed['self-managed']?.version ?? facts.metadata.version;
  if (config.auth.mode === 'rrsa' && !versionAtLeast(version, RRSA_MIN_SELF_MANAGED)) {
    problems.push(`${name} ${version} cannot use RRSA (it needs ${RRSA_MIN_SELF_MANAGED} or later): upgrade it in the ACK console (Add-ons > ${name} > Upgrade), or use --edition managed.`);
  }
  if (facts.helperConfigError) problems.push(`kube-system/acr-configuration: ${facts.helperConfigError}. Fix the ConfigMap by hand (kubectl -n kube-system edit configmap acr-configuration), then re-run.`);
  return problems;
}

/** What the add-on cannot do alone when the auth step is not part of this run. */
function withoutAuthProblems(config: Config, facts: AddonFacts, base: BaseFacts): string[] {
  if (base.steps.includes('auth')) return [];
  if (config.auth.mode === 'rrsa' && !rrsaFromCluster(base)) {
    return [`RRSA is off on cluster ${config.accountA.clusterId} and the helper's entry needs its OIDC provider: run with --step auth as well (it enables RRSA).`];
  }
  if (config.auth.mode === 'access-key') {
    const entry = findRegistryEntry(facts.helperConfig?.entries ?? [], config.accountB.instanceId);
    if (!entry?.customAccessKey || planKeys(facts.user ?? { keys: [] }, config.auth.rotateKey).create) {
      return ['the helper needs an AccessKey that only the auth step can make (or rotate): run with --step auth as well.'];
    }
  }
  return [];
}

export function addonPreflight(config: Config, facts: AddonFacts, base: BaseFacts): string[] {
  const support = editionSupportProblem(config, base.cluster);
  const problems = [support, registryProblem(base), ...otherEditionProblems(config, facts)].filter((p): p is string => Boolean(p));
  // Schema and version checks only make sense for an edition the cluster can run.
  if (!support) problems.push(...editionProblems(config, facts));
  problems.push(...withoutAuthProblems(config, facts, base));
  return problems;
}
