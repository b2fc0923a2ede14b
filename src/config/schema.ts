// The config file's schema: the single source of truth for `acr-xaccount.yaml`, its flags and its JSON Schema.
import { z } from 'zod';

import {
  ADDON_EDITIONS,
  API_VERSION,
  AUTH_MODES,
  DNS_MODES,
  EXPIRE_DURATION_MAX,
  EXPIRE_DURATION_MIN,
  NETWORK_MODES,
} from './choices.js';

export * from './choices.js';

const regionId = z
  .string()
  .regex(/^[a-z]{2}(-[a-z0-9]+)+$/, 'expected an Alibaba Cloud region ID such as cn-hangzhou or ap-southeast-1');
const profileName = z.string().min(1).max(64);
const ipv4 = z.ipv4({ message: 'expected an IPv4 address such as 100.103.7.181' });
const cidr = z.cidrv4({ message: 'expected an IPv4 CIDR block such as 203.0.113.7/32' });
const domain = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i, 'expected a domain name');
// RAM names: letters, digits, '.', '-', '_' (RAM's own rule for role, policy and user names).
const ramName = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "-" and "_" only');
const k8sName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a Kubernetes name (lower case, digits, "-")')
  .max(63);

export const accountASchema = z.strictObject({
  profile: profileName.optional().describe('aliyun CLI profile for account A (the cluster owner)'),
  region: regionId.describe('region of the ACK cluster'),
  clusterId: z
    .string()
    .regex(/^c[0-9a-z]{6,}$/, 'expected an ACK cluster ID such as c8864f6d1c0bd4a1f9dd14c0f27a7d4e1')
    .describe('ACK cluster ID'),
});

export const accountBSchema = z.strictObject({
  profile: profileName.optional().describe('aliyun CLI profile for account B (the registry owner)'),
  roleArn: z
    .string()
    .regex(/^acs:ram::\d+:role\/[^/]+$/, 'expected a RAM role ARN such as acs:ram::1234567890123456:role/name')
    .optional()
    .describe("role in B assumed with A's credentials instead of a B profile"),
  region: regionId.describe('region of the ACR Enterprise Edition instance'),
  instanceId: z
    .string()
    .regex(/^(cri|crpi)-[0-9a-z]+$/, 'expected an ACR instance ID such as cri-abc123 (Enterprise) or crpi-abc123 (Personal)')
    .describe('ACR Enterprise Edition instance ID'),
});

export const networkSchema = z.strictObject({
  mode: z.enum(NETWORK_MODES).describe('how A reaches the registry: public endpoint, VPC peering or CEN'),
  dns: z.enum(DNS_MODES).default('privatezone').describe('how nodes resolve the registry VPC domain'),
  vpcIdB: z.string().optional().describe("B's VPC linked to the registry (peering/cen); default: discovered"),
  vswitchIdB: z.string().optional().describe("B's vSwitch for the registry's VPC endpoint"),
  authIp: ipv4.optional().describe("auth-service address as resolved inside B's VPC"),
  ossIp: ipv4.optional().describe("OSS storage address as resolved inside B's VPC"),
  authDomain: domain.optional().describe('auth-service domain, with authIp'),
  ossDomain: domain.optional().describe('OSS storage domain, with ossIp'),
  discoveryInstanceId: z.string().optional().describe("ECS instance in B's VPC that resolves auth/OSS addresses"),
  cenId: z.string().optional().describe('existing CEN instance in A to reuse (cen)'),
  bandwidthMbps: z.number().int().min(1).max(100000).optional().describe('cross-region bandwidth in Mbit/s'),
  aclCidrs: z.array(cidr).default([]).describe('extra CIDRs allowed by the public endpoint ACL (public)'),
  allowAnywhere: z.boolean().default(false).describe('allow 0.0.0.0/0 on the public endpoint ACL (public)'),
});

export const authSchema = z.strictObject({
  mode: z.enum(AUTH_MODES).describe('how the helper gets registry credentials'),
  expireDuration: z
    .number()
    .int()
    .min(EXPIRE_DURATION_MIN)
    .max(EXPIRE_DURATION_MAX)
    .default(EXPIRE_DURATION_MIN)
    .describe("lifetime of the temporary credentials in seconds; at most role B's MaxSessionDuration"),
  roleAName: ramName(64).default('acr-xaccount-helper').describe('RAM role in A for the helper (rrsa)'),
  roleBName: ramName(64).default('acr-xaccount-puller').describe('RAM role in B that may pull'),
  policyName: ramName(128).default('acr-xaccount-pull').describe('custom pull policy in B'),
  userName: ramName(64).default('acr-xaccount-puller').describe('RAM user in B (access-key)'),
  assumePolicy: z
    .enum(['least-privilege', 'system'])
    .default('least-privilege')
    .describe('least-privilege: role A may assume role B only; system: attach AliyunSTSAssumeRoleAccess'),
  policyScope: z
    .enum(['instance', 'all'])
    .default('instance')
    .describe('pull policy resource: this instance only, or "*" as in the Alibaba Cloud guide'),
  rotateKey: z
    .boolean()
    .default(false)
    .describe('access-key: create a new AccessKey, switch the cluster to it, then delete the old one'),
});

export const addonSchema = z.strictObject({
  edition: z.enum(ADDON_EDITIONS).describe('aliyun-acr-credential-helper edition'),
  watchNamespaces: z.array(k8sName.or(z.literal('all'))).min(1).default(['all']).describe('namespaces the helper watches'),
  serviceAccounts: z.array(k8sName).min(1).default(['default']).describe('service accounts the helper patches'),
  expiringThreshold: z
    .string()
    .regex(/^\d+[smh]$/, 'expected a duration such as 15m')
    .default('15m')
    .describe('refresh credentials this long before they expire'),
  notifyEmail: z.email().optional().describe('address notified by the helper on failures'),
  replaceEdition: z
    .boolean()
    .default(false)
    .describe('allow replacing the other installed edition of the credential helper with this one'),
});

export const verifySchema = z.strictObject({
  image: z.string().optional().describe("image from B to test-pull, e.g. ns/repo:tag; default: discovered"),
  namespace: k8sName.default('default').describe('namespace of the test Deployment'),
  serviceAccount: k8sName.default('default').describe('service account of the test Deployment'),
  timeoutSeconds: z.number().int().min(10).max(3600).default(300).describe('how long to wait for the pull'),
  keep: z.boolean().default(false).describe('keep the test Deployment after verification'),
});

export const configSchema = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    accountA: accountASchema,
    accountB: accountBSchema,
    network: networkSchema,
    auth: authSchema,
    addon: addonSchema,
    verify: verifySchema.default(verifySchema.parse({})),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.accountB.profile && cfg.accountB.roleArn) {
      ctx.addIssue({
        code: 'custom',
        path: ['accountB', 'roleArn'],
        message: 'give either accountB.profile or accountB.roleArn, not both',
      });
    }
    if (cfg.addon.edition === 'managed' && cfg.auth.mode !== 'rrsa') {
      ctx.addIssue({
        code: 'custom',
        path: ['addon', 'edition'],
        message: `the managed add-on supports only auth "rrsa" across accounts; with auth "${cfg.auth.mode}" use edition "self-managed"`,
      });
    }
    if (Boolean(cfg.network.authIp) !== Boolean(cfg.network.authDomain)) {
      ctx.addIssue({ code: 'custom', path: ['network', 'authIp'], message: 'give authIp and authDomain together' });
    }
    if (Boolean(cfg.network.ossIp) !== Boolean(cfg.network.ossDomain)) {
      ctx.addIssue({ code: 'custom', path: ['network', 'ossIp'], message: 'give ossIp and ossDomain together' });
    }
  });

/** A validated config, defaults filled in. */
export type Config = z.output<typeof configSchema>;
/** What a user may write: defaults optional. */
export type ConfigInput = z.input<typeof configSchema>;
