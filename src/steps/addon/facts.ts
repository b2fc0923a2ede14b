// Add-on discovery: which edition is installed and how it is configured, the chosen edition's config schema
// (read at run time), the helper's ConfigMap and pods, and for access-key the RAM user's keys. Reads only.
import type { Config } from '../../config/schema.js';
import * as addons from '../../cloud/cs-addons.js';
import * as ims from '../../cloud/ims.js';
import { helperPods, readHelperConfig, RegistryInfoError, type RegistryEntry } from '../../kube/acr-configuration.js';
import type { PodInfo } from '../../kube/pods.js';
import { userState, type UserState } from '../auth/facts.js';
import type { BaseFacts, StepClients } from '../step.js';

/** Both editions of the credential helper: ACK lets only one be installed. */
export const ADDON_NAME = { managed: 'managed-aliyun-acr-credential-helper', 'self-managed': 'aliyun-acr-credential-helper' } as const;

export interface AddonFacts {
  installed: { managed?: addons.AddonInstanceDetail; 'self-managed'?: addons.AddonInstanceDetail };
  /** The chosen edition's metadata (version it would install, config schema); undefined when CS does not offer it. */
  metadata?: addons.AddonMetadata;
  metadataError?: string;
  /** Self-managed, or replacing it: the ConfigMap's data and entries; undefined when it does not exist. */
  helperConfig?: { data: Record<string, string>; entries: RegistryEntry[] };
  helperConfigError?: string;
  /** rrsa: the helper's pods and when each started. */
  helperPods: PodInfo[];
  /** rrsa with RRSA on: when the cluster's OIDC provider was registered (RRSA's enablement), epoch ms. */
  rrsaSinceMs?: number;
  /** access-key: the RAM user's keys and the one the cluster uses (the same facts the auth step plans from). */
  user?: UserState;
}

const describeError = (error: unknown) => `${(error as { code?: string }).code ? `${(error as { code: string }).code}: ` : ''}${(error as Error).message}`;

export async function discoverAddon(config: Config, base: BaseFacts, clients: StepClients): Promise<AddonFacts> {
  const clusterId = config.accountA.clusterId;
  const edition = config.addon.edition;
  const rrsa = config.auth.mode === 'rrsa';
  const kubeconfig = () => clients.kubeconfig();
  // Replacing the self-managed edition with the managed one carries the ConfigMap's other entries over.
  const readConfigMap = edition === 'self-managed' || config.addon.replaceEdition;
  const [managed, selfManaged, metadata, helperConfig, pods, provider, user] = await Promise.all([
    addons.getClusterAddonInstance(clients.A, clusterId, ADDON_NAME.managed),
    addons.getClusterAddonInstance(clients.A, clusterId, ADDON_NAME['self-managed']),
    addons.describeClusterAddonMetadata(clients.A, clusterId, ADDON_NAME[edition]).then(
      (m) => ({ m }),
      (error: unknown) => ({ error: describeError(error) }),
    ),
    readConfigMap
      ? kubeconfig().then(readHelperConfig).then(
          (c) => ({ c }),
          (error: unknown) => {
            if (error instanceof RegistryInfoError) return { error: error.message };
            throw error;
          },
        )
      : undefined,
    rrsa ? kubeconfig().then(helperPods) : [],
    rrsa && base.cluster.rrsa.enabled && base.cluster.rrsa.oidcName ? ims.getOIDCProvider(clients.A, base.cluster.rrsa.oidcName) : undefined,
    config.auth.mode === 'access-key' ? userState(config, clients) : undefined,
  ]);
  const created = provider?.createDate ? Date.parse(provider.createDate) : NaN;
  return {
    installed: { managed, 'self-managed': selfManaged },
    metadata: 'm' in metadata ? metadata.m : undefined,
    metadataError: 'error' in metadata ? metadata.error : undefined,
    helperConfig: helperConfig && 'c' in helperConfig ? helperConfig.c : undefined,
    helperConfigError: helperConfig && 'error' in helperConfig ? helperConfig.error : undefined,
    helperPods: pods,
    rrsaSinceMs: Number.isNaN(created) ? undefined : created,
    user,
  };
}
