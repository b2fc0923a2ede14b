// The ACK add-on catalogue the sandbox offers (names, versions, where each installs, config schemas) and the
// check CS applies to an add-on config (a JSON string validated against the add-on's config schema).
import type { ClusterRecord } from './cs.js';
import { versionAtLeast } from '../../versions.js';

/** Both editions of the credential helper; ACK lets only one be installed at a time. */
export const MANAGED_HELPER = 'managed-aliyun-acr-credential-helper';
export const SELF_MANAGED_HELPER = 'aliyun-acr-credential-helper';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: unknown[];
  pattern?: string;
  default?: unknown;
  description?: string;
};

export interface AddonSpec {
  name: string;
  category: string;
  /** A managed (control-plane) edition. */
  managed: boolean;
  installByDefault: boolean;
  /** Oldest first; the last is what CS offers by default. */
  versions: string[];
  /** Lowest Kubernetes version it installs on. */
  minClusterVersion: string;
  /** Cluster kinds it installs on, as `<cluster_type>/<profile>`. */
  clusterKinds: string[];
  description: string;
  configSchema: JsonSchema;
}

const ANY_CONFIG: JsonSchema = { type: 'object' };

/** The managed edition's config (ACK console "AcrInstanceInfo" and component options; seen in real installs). */
const MANAGED_HELPER_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    AcrInstanceInfo: {
      type: 'array',
      description: 'ACR instances the component serves',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          instanceId: { type: 'string', description: 'ACR instance ID (empty for Personal Edition)' },
          regionId: { type: 'string', description: 'region of the instance' },
          domains: { type: 'string', description: 'comma-separated registry domains; default all of the instance' },
          assumeRoleARN: { type: 'string', description: 'role in the registry account to assume' },
          // Assumed: the console writes a number; a numeric string is accepted too.
          expireDuration: { type: ['integer', 'string'], pattern: '^[0-9]+$', description: 'seconds the temporary credentials last' },
          rrsaRoleARN: { type: 'string', description: 'role in the cluster account assumed through RRSA' },
          rrsaOIDCProviderRoleARN: { type: 'string', description: 'ARN of the cluster OIDC provider' },
        },
      },
    },
    enableRRSA: { type: 'boolean', default: false },
    watchNamespace: { type: 'string', default: 'default' },
    serviceAccount: { type: 'string', default: 'Default' },
    expiringThreshold: { type: 'string', default: '15m', pattern: '^[0-9]+[smh]$' },
    notifyEmail: { type: 'string' },
  },
};

/** The self-managed edition's install parameter; its real configuration is the kube-system/acr-configuration ConfigMap. */
const SELF_MANAGED_HELPER_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { tokenMode: { type: 'string', enum: ['auto', 'managedRole', 'workerRole'], default: 'auto' } },
};

const MANAGED_KINDS = ['ManagedKubernetes/Default', 'ManagedKubernetes/Serverless', 'ManagedKubernetes/Edge'];
const NODE_KINDS = ['ManagedKubernetes/Default', 'ManagedKubernetes/Edge', 'Kubernetes/Default'];

// Versions are ones real clusters report (ACK docs, API examples); coredns and npd have an older one so upgrades show.
export const ADDON_CATALOGUE: readonly AddonSpec[] = [
  {
    name: MANAGED_HELPER,
    category: 'security',
    managed: true,
    installByDefault: false,
    versions: ['v24.01.29.1-5318af4-aliyun'],
    minClusterVersion: '1.22',
    clusterKinds: MANAGED_KINDS,
    description: 'aliyun-acr-credential-helper (managed): pulls ACR images without secrets',
    configSchema: MANAGED_HELPER_SCHEMA,
  },
  {
    name: SELF_MANAGED_HELPER,
    category: 'security',
    managed: false,
    installByDefault: false,
    versions: ['v23.02.06.1-74e2172-aliyun'],
    minClusterVersion: '1.20',
    clusterKinds: ['ManagedKubernetes/Default', 'Kubernetes/Default'],
    description: 'aliyun-acr-credential-helper: pulls ACR images without secrets (configured by the acr-configuration ConfigMap)',
    configSchema: SELF_MANAGED_HELPER_SCHEMA,
  },
  {
    name: 'coredns',
    category: 'network',
    managed: false,
    installByDefault: true,
    versions: ['v1.9.3.6-32932850-aliyun', 'v1.9.3.10-7dfca203-aliyun'],
    minClusterVersion: '1.16',
    clusterKinds: [...NODE_KINDS, 'ManagedKubernetes/Serverless'],
    description: 'CoreDNS',
    configSchema: ANY_CONFIG,
  },
  {
    name: 'metrics-server',
    category: 'monitor',
    managed: false,
    installByDefault: true,
    versions: ['v0.3.9.5-1e8461a-aliyun'],
    minClusterVersion: '1.16',
    clusterKinds: [...NODE_KINDS, 'ManagedKubernetes/Serverless'],
    description: 'metrics-server',
    configSchema: ANY_CONFIG,
  },
  {
    name: 'csi-plugin',
    category: 'storage',
    managed: false,
    installByDefault: true,
    versions: ['v1.26.2-327ca15-aliyun'],
    minClusterVersion: '1.16',
    clusterKinds: NODE_KINDS,
    description: 'CSI storage plugin',
    configSchema: ANY_CONFIG,
  },
  {
    name: 'ack-node-problem-detector',
    category: 'monitor',
    managed: false,
    installByDefault: false,
    versions: ['1.2.16', '1.2.18'],
    minClusterVersion: '1.16',
    clusterKinds: NODE_KINDS,
    description: 'node problem detector, reports to the event center',
    configSchema: ANY_CONFIG,
  },
];

export function addonSpec(name: string): AddonSpec | undefined {
  return ADDON_CATALOGUE.find((a) => a.name === name);
}

export const latestVersion = (spec: AddonSpec): string => spec.versions[spec.versions.length - 1]!;

export interface ClusterKind {
  clusterType: string;
  profile: string;
  currentVersion: string;
}

/** Whether CS offers the add-on to a cluster of this type, profile and version. */
export function addonAvailable(spec: AddonSpec, kind: ClusterKind): boolean {
  return spec.clusterKinds.includes(`${kind.clusterType}/${kind.profile || 'Default'}`) && versionAtLeast(kind.currentVersion, spec.minClusterVersion);
}

export function availableAddons(kind: ClusterKind): AddonSpec[] {
  return ADDON_CATALOGUE.filter((a) => addonAvailable(a, kind));
}

export const configSchemaString = (spec: AddonSpec): string =>
  JSON.stringify({ $schema: 'https://json-schema.org/draft-07/schema#', ...spec.configSchema });

/** The other edition of the credential helper, if `name` is one of them. */
export function conflictingEdition(name: string): string | undefined {
  if (name === MANAGED_HELPER) return SELF_MANAGED_HELPER;
  if (name === SELF_MANAGED_HELPER) return MANAGED_HELPER;
  return undefined;
}

/**
 * Checks a config string against the add-on's schema and returns it as CS stores it: the given keys over the
 * schema's top-level defaults. Throws a message naming the field (never its value: configs may hold secrets).
 * Assumed: CS fills defaults into the stored config, as GetClusterAddonInstance examples show default-looking values.
 */
export function normaliseAddonConfig(spec: AddonSpec, config: string | undefined): string {
  let value: unknown = {};
  if (config !== undefined && config.trim() !== '') {
    try {
      value = JSON.parse(config);
    } catch {
      throw new Error(`config of ${spec.name} is not valid JSON`);
    }
  }
  checkValue(spec.configSchema, value, 'config');
  const defaults: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(spec.configSchema.properties ?? {})) if (prop.default !== undefined) defaults[key] = prop.default;
  const merged = { ...defaults, ...(value as Record<string, unknown>) };
  return Object.keys(merged).length === 0 ? '' : JSON.stringify(merged);
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function checkValue(schema: JsonSchema, value: unknown, path: string): void {
  const actual = typeOf(value);
  if (schema.type) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = allowed.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) throw new Error(`${path} must be ${allowed.join(' or ')}`);
  }
  if (schema.enum && !schema.enum.includes(value)) throw new Error(`${path} must be one of ${schema.enum.join(', ')}`);
  if (schema.pattern && (actual === 'string' || actual === 'integer') && !new RegExp(schema.pattern).test(String(value))) {
    throw new Error(`${path} does not match ${schema.pattern}`);
  }
  if (actual === 'array' && schema.items) (value as unknown[]).forEach((item, i) => checkValue(schema.items!, item, `${path}.${i + 1}`));
  if (actual === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const sub = schema.properties?.[key];
      if (sub) checkValue(sub, child, `${path}.${key}`);
      else if (schema.additionalProperties === false) throw new Error(`${path}.${key} is not a parameter of this add-on`);
    }
  }
}

/** The installed credential helper, its edition and parsed config, for the pull decision. */
export interface CredentialHelperFacts {
  name: string;
  edition: 'managed' | 'self-managed';
  version: string;
  state: string;
  config: Record<string, unknown>;
  /** When the add-on became active (its workload started). */
  activeSinceMs?: number;
}

export function credentialHelperOf(cluster: ClusterRecord): CredentialHelperFacts | undefined {
  for (const name of [MANAGED_HELPER, SELF_MANAGED_HELPER]) {
    const addon = cluster.addons[name];
    if (!addon) continue;
    return { name, edition: name === MANAGED_HELPER ? 'managed' : 'self-managed', version: addon.version, state: addon.state, config: parseConfig(addon.config), activeSinceMs: addon.activeSinceMs };
  }
  return undefined;
}

export function parseConfig(config: string): Record<string, unknown> {
  try {
    const value = config ? JSON.parse(config) : {};
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
