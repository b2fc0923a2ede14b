// IMS: the RAM OIDC identity providers (RRSA registers one per cluster; GetOIDCProvider lives here, not in Ram).
import { isNotFound } from './errors.js';
import type { AccountClient } from './session.js';
import { sdkCaller, sdkRequest as req } from './sdk-call.js';

const ims = sdkCaller('ims');

export interface OidcProvider {
  name: string;
  arn: string;
  issuerUrl: string;
  /** The audiences accepted (the API gives them comma-joined). */
  clientIds: string[];
  fingerprints: string[];
  description: string;
  /** Hours an issued token may be used, when set. */
  issuanceLimitTime?: number;
  createDate?: string;
  updateDate?: string;
}

type ProviderModel = {
  OIDCProviderName?: string;
  arn?: string;
  issuerUrl?: string;
  clientIds?: string;
  fingerprints?: string;
  description?: string;
  issuanceLimitTime?: number;
  createDate?: string;
  updateDate?: string;
};

const split = (joined: string | undefined) => (joined ?? '').split(',').map((s) => s.trim()).filter(Boolean);

const toProvider = (p: ProviderModel | undefined, fallbackName: string): OidcProvider => ({
  name: p?.OIDCProviderName ?? fallbackName, arn: p?.arn ?? '', issuerUrl: p?.issuerUrl ?? '', clientIds: split(p?.clientIds),
  fingerprints: split(p?.fingerprints), description: p?.description ?? '', issuanceLimitTime: p?.issuanceLimitTime,
  createDate: p?.createDate, updateDate: p?.updateDate,
});

/** One OIDC provider by name (for RRSA: the cluster's `rrsa_config.oidc_name`); undefined when it does not exist. */
export async function getOIDCProvider(acct: AccountClient, name: string): Promise<OidcProvider | undefined> {
  const params = { OIDCProviderName: name };
  try {
    const res = await ims(acct, { action: 'GetOIDCProvider', params }, (c, m, rt) => c.getOIDCProviderWithOptions(req(m.GetOIDCProviderRequest, params), rt));
    return toProvider(res.body?.OIDCProvider, name);
  } catch (error) {
    if (isNotFound(error, 'EntityNotExist.OIDCProvider')) return undefined;
    throw error;
  }
}

/** Every OIDC provider of the account (pages through Marker). */
export async function listOIDCProviders(acct: AccountClient): Promise<OidcProvider[]> {
  const out: OidcProvider[] = [];
  let marker: string | undefined;
  do {
    const params = { MaxItems: 100, Marker: marker };
    const res = await ims(acct, { action: 'ListOIDCProviders', params }, (c, m, rt) => c.listOIDCProvidersWithOptions(req(m.ListOIDCProvidersRequest, params), rt));
    out.push(...(res.body?.OIDCProviders?.OIDCProvider ?? []).map((p) => toProvider(p, '')));
    marker = res.body?.isTruncated ? res.body.marker || undefined : undefined;
  } while (marker);
  return out;
}
