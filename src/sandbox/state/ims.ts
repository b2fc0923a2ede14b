// RAM OIDC identity providers of one account (RRSA registers one per cluster; Ims GetOIDCProvider reads them).
import type { World } from '../world.js';

export interface OidcProviderRecord {
  name: string;
  arn: string;
  issuerUrl: string;
  clientIds: string[];
  fingerprints: string[];
  description: string;
  createdAt: string;
}

export interface ImsSlice {
  oidcProviders: Record<string, OidcProviderRecord>;
}

export function imsState(world: World, accountId: string): ImsSlice {
  return world.slice<ImsSlice>(accountId, 'ims', () => ({ oidcProviders: {} }));
}

/** Registers (or returns the existing) OIDC provider, as ACK does when RRSA is enabled on a cluster. */
export function registerOidcProvider(
  world: World,
  accountId: string,
  input: { name: string; issuerUrl: string; clientIds: string[]; description?: string },
): OidcProviderRecord {
  const state = imsState(world, accountId);
  const existing = state.oidcProviders[input.name];
  if (existing) return existing;
  const record: OidcProviderRecord = {
    name: input.name,
    arn: `acs:ram::${accountId}:oidc-provider/${input.name}`,
    issuerUrl: input.issuerUrl,
    clientIds: input.clientIds,
    fingerprints: ['902ef2deeb3c5b13ea4c3d5193629309e231ae55'],
    description: input.description ?? '',
    createdAt: world.now.toISOString(),
  };
  state.oidcProviders[input.name] = record;
  return record;
}
