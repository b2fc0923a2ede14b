// What the helper is told: this instance's registry entry (per auth mode, from templates/helper-entry-*.yaml) and
// the settings keys (service accounts, namespaces, refresh threshold, RRSA switch).
import type { Config } from '../../config/schema.js';
import { SECRET_ENTRY_FIELDS, type RegistryEntry } from '../../kube/acr-configuration.js';
import { knownAfterApply, sensitive, type Detail } from '../../plan/action.js';
import { roleArn } from '../auth/names.js';
import { renderData } from '../auth/render.js';
import { roleBArn } from '../auth/role-b.js';
import type { BaseFacts } from '../step.js';

/** Every domain of the instance's Internet and VPC endpoints (the seed: "all endpoints"), comma-joined. */
export function registryDomains(base: BaseFacts): string {
  const domains = base.registry.endpoints
    .filter((e) => e.type === 'VPC' || e.type === 'Internet')
    .flatMap((e) => e.domains.map((d) => d.domain))
    .filter(Boolean);
  return [...new Set(domains)].join(',');
}

/** The credentials an entry carries beyond what config and discovery already tell. */
export interface EntryCredentials {
  /** rrsa: the cluster's OIDC provider. */
  oidcProviderArn?: string;
  /** access-key: the key the cluster is to use. */
  accessKey?: { accessKeyId: string; accessKeySecret: string };
}

/** This instance's entry, exactly as we want it (an existing entry for the instance is replaced by it). */
export function registryEntry(config: Config, base: BaseFacts, creds: EntryCredentials): RegistryEntry {
  const common = { instanceId: config.accountB.instanceId, regionId: config.accountB.region, domains: registryDomains(base) };
  switch (config.auth.mode) {
    case 'rrsa':
      return renderData('helper-entry-rrsa.yaml', {
        ...common,
        assumeRoleArn: roleBArn(config, base),
        expireDuration: config.auth.expireDuration,
        rrsaRoleArn: roleArn(base.identities.A.accountId, config.auth.roleAName),
        oidcProviderArn: creds.oidcProviderArn ?? '',
      });
    case 'worker-role':
      return renderData('helper-entry-worker-role.yaml', { ...common, assumeRoleArn: roleBArn(config, base), expireDuration: config.auth.expireDuration });
    case 'access-key':
      return renderData('helper-entry-access-key.yaml', { ...common, accessKeyId: creds.accessKey?.accessKeyId ?? '', accessKeySecret: creds.accessKey?.accessKeySecret ?? '' });
  }
}

/** The entry for a plan: secrets masked, values only the apply can tell marked so. */
export function entryDetail(entry: RegistryEntry, unknownFields: readonly string[] = []): Detail {
  const detail: Detail = {};
  for (const [key, value] of Object.entries(entry)) {
    if (unknownFields.includes(key)) detail[key] = knownAfterApply();
    else if ((SECRET_ENTRY_FIELDS as readonly string[]).includes(key)) detail[key] = sensitive(String(value));
    else detail[key] = value;
  }
  return detail;
}

/** The helper's settings keys of the self-managed ConfigMap, as the config asks. */
export function helperSettings(config: Config): Record<string, string> {
  const settings = renderData<Record<string, string>>('helper-settings.yaml', {
    serviceAccounts: config.addon.serviceAccounts.join(','),
    watchNamespaces: config.addon.watchNamespaces.join(','),
    expiringThreshold: config.addon.expiringThreshold,
  });
  if (config.addon.notifyEmail) settings['notify-email'] = config.addon.notifyEmail;
  if (config.auth.mode === 'rrsa') Object.assign(settings, renderData<Record<string, string>>('helper-settings-rrsa.yaml', {}));
  return settings;
}
