// One row per config field that a flag can set: the CLI registers them, the loader applies them over the file.
import { ADDON_EDITIONS, AUTH_MODES, DNS_MODES, NETWORK_MODES } from './choices.js';

export type FlagKind = 'string' | 'int' | 'list' | 'bool';

export interface SettingFlag {
  /** Long flag name without dashes, e.g. `region-a`. */
  name: string;
  /** Dotted path in the config file, e.g. `accountA.region`. */
  path: string;
  kind: FlagKind;
  /** Placeholder shown in --help. */
  value?: string;
  choices?: readonly string[];
  description: string;
  /** A one-run request (e.g. --rotate-key): applies to this run, never saved to the config file. */
  oneShot?: boolean;
}

export const SETTING_FLAGS: readonly SettingFlag[] = [
  { name: 'region-a', path: 'accountA.region', kind: 'string', value: 'REGION', description: "region of A's cluster" },
  { name: 'cluster-id', path: 'accountA.clusterId', kind: 'string', value: 'ID', description: "A's ACK cluster ID" },
  { name: 'region-b', path: 'accountB.region', kind: 'string', value: 'REGION', description: "region of B's ACR instance" },
  { name: 'instance-id', path: 'accountB.instanceId', kind: 'string', value: 'ID', description: "B's ACR EE instance ID" },
  { name: 'network', path: 'network.mode', kind: 'string', choices: NETWORK_MODES, description: 'network path' },
  { name: 'dns', path: 'network.dns', kind: 'string', choices: DNS_MODES, description: 'name resolution' },
  { name: 'vpc-id-b', path: 'network.vpcIdB', kind: 'string', value: 'ID', description: "B's VPC linked to the registry" },
  { name: 'vswitch-id-b', path: 'network.vswitchIdB', kind: 'string', value: 'ID', description: "B's vSwitch for the registry endpoint" },
  { name: 'auth-ip', path: 'network.authIp', kind: 'string', value: 'IP', description: 'auth-service address in B' },
  { name: 'auth-domain', path: 'network.authDomain', kind: 'string', value: 'DOMAIN', description: 'auth-service domain' },
  { name: 'oss-ip', path: 'network.ossIp', kind: 'string', value: 'IP', description: 'OSS storage address in B' },
  { name: 'oss-domain', path: 'network.ossDomain', kind: 'string', value: 'DOMAIN', description: 'OSS storage domain' },
  { name: 'discovery-instance', path: 'network.discoveryInstanceId', kind: 'string', value: 'ID', description: "ECS instance in B that resolves auth/OSS addresses" },
  { name: 'cen-id', path: 'network.cenId', kind: 'string', value: 'ID', description: 'existing CEN instance to reuse' },
  { name: 'bandwidth', path: 'network.bandwidthMbps', kind: 'int', value: 'MBPS', description: 'cross-region bandwidth' },
  { name: 'acl-cidr', path: 'network.aclCidrs', kind: 'list', value: 'CIDR', description: 'extra CIDR allowed on the public endpoint (repeatable)' },
  { name: 'allow-anywhere', path: 'network.allowAnywhere', kind: 'bool', description: 'allow 0.0.0.0/0 on the public endpoint' },
  { name: 'auth', path: 'auth.mode', kind: 'string', choices: AUTH_MODES, description: 'how the helper authenticates' },
  { name: 'expire-duration', path: 'auth.expireDuration', kind: 'int', value: 'SECONDS', description: 'credential lifetime (3600..43200)' },
  { name: 'role-a-name', path: 'auth.roleAName', kind: 'string', value: 'NAME', description: 'RAM role in A for RRSA' },
  { name: 'role-b-name', path: 'auth.roleBName', kind: 'string', value: 'NAME', description: 'RAM role in B that may pull' },
  { name: 'policy-name', path: 'auth.policyName', kind: 'string', value: 'NAME', description: 'pull policy in B' },
  { name: 'user-name', path: 'auth.userName', kind: 'string', value: 'NAME', description: 'RAM user in B (access-key)' },
  { name: 'assume-policy', path: 'auth.assumePolicy', kind: 'string', choices: ['least-privilege', 'system'], description: 'how role A may assume role B' },
  { name: 'policy-scope', path: 'auth.policyScope', kind: 'string', choices: ['instance', 'all'], description: 'resource scope of the pull policy' },
  { name: 'rotate-key', path: 'auth.rotateKey', kind: 'bool', oneShot: true, description: 'access-key: replace the AccessKey (new key, switch the cluster, delete the old)' },
  { name: 'edition', path: 'addon.edition', kind: 'string', choices: ADDON_EDITIONS, description: 'credential-helper edition' },
  { name: 'watch-namespace', path: 'addon.watchNamespaces', kind: 'list', value: 'NS', description: 'namespace the helper watches (repeatable; "all")' },
  { name: 'service-account', path: 'addon.serviceAccounts', kind: 'list', value: 'SA', description: 'service account the helper patches (repeatable)' },
  { name: 'expiring-threshold', path: 'addon.expiringThreshold', kind: 'string', value: 'DURATION', description: 'refresh before expiry, e.g. 15m' },
  { name: 'notify-email', path: 'addon.notifyEmail', kind: 'string', value: 'EMAIL', description: 'helper failure notifications' },
  { name: 'replace-edition', path: 'addon.replaceEdition', kind: 'bool', oneShot: true, description: 'replace the other installed edition of the credential helper' },
  { name: 'image', path: 'verify.image', kind: 'string', value: 'IMAGE', description: 'image from B to test-pull (ns/repo:tag)' },
  { name: 'verify-namespace', path: 'verify.namespace', kind: 'string', value: 'NS', description: 'namespace of the test Deployment' },
  { name: 'verify-service-account', path: 'verify.serviceAccount', kind: 'string', value: 'SA', description: 'service account of the test Deployment' },
  { name: 'verify-timeout', path: 'verify.timeoutSeconds', kind: 'int', value: 'SECONDS', description: 'how long verify waits for the pull' },
  { name: 'keep', path: 'verify.keep', kind: 'bool', description: 'keep the test Deployment' },
];

/** Account flags are global but also land in the config. */
export const ACCOUNT_FLAGS: readonly SettingFlag[] = [
  { name: 'profile-a', path: 'accountA.profile', kind: 'string', value: 'NAME', description: 'aliyun CLI profile for account A' },
  { name: 'profile-b', path: 'accountB.profile', kind: 'string', value: 'NAME', description: 'aliyun CLI profile for account B' },
  { name: 'role-b', path: 'accountB.roleArn', kind: 'string', value: 'ARN', description: "role in B to assume with A's credentials" },
];

/** commander's camelCase attribute name for a flag (`region-a` -> `regionA`). */
export function flagAttribute(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function flagForPath(path: string): SettingFlag | undefined {
  return SETTING_FLAGS.find((f) => f.path === path) ?? ACCOUNT_FLAGS.find((f) => f.path === path);
}
