// The setup's choices as plain constants: shared by the schema, the flags and the wizard without loading zod.
export const API_VERSION = 'acr-xaccount/v1';

export const NETWORK_MODES = ['public', 'peering', 'cen'] as const;
export const DNS_MODES = ['privatezone', 'hosts'] as const;
export const AUTH_MODES = ['rrsa', 'worker-role', 'access-key'] as const;
export const ADDON_EDITIONS = ['managed', 'self-managed'] as const;
export const STEPS = ['network', 'dns', 'auth', 'addon', 'verify'] as const;

export const EXPIRE_DURATION_MIN = 3600;
export const EXPIRE_DURATION_MAX = 43200;

export type NetworkMode = (typeof NETWORK_MODES)[number];
export type DnsMode = (typeof DNS_MODES)[number];
export type AuthMode = (typeof AUTH_MODES)[number];
export type AddonEdition = (typeof ADDON_EDITIONS)[number];
export type StepName = (typeof STEPS)[number];
