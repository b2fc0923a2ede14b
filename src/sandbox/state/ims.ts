// RAM OIDC identity providers of one account (RRSA registers one per cluster; Ims reads and creates them), and the
// sandbox's own OIDC issuers: it mints the service-account tokens a cluster would and verifies them for STS.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { ApiError } from '../api.js';
import type { World } from '../world.js';
import { isoSeconds } from './ram.js';

export interface OidcProviderRecord {
  name: string;
  arn: string;
  issuerUrl: string;
  clientIds: string[];
  fingerprints: string[];
  description: string;
  createdAt: string;
  updatedAt?: string;
  /** Hours an ID token may be old when presented (IssuanceLimitTime); not enforced by the sandbox. */
  issuanceLimitTime?: number;
}

export interface ImsSlice {
  oidcProviders: Record<string, OidcProviderRecord>;
}

export function imsState(world: World, accountId: string): ImsSlice {
  return world.slice<ImsSlice>(accountId, 'ims', () => ({ oidcProviders: {} }));
}

const DEFAULT_FINGERPRINT = '902ef2deeb3c5b13ea4c3d5193629309e231ae55';

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
    arn: oidcProviderArn(accountId, input.name),
    issuerUrl: input.issuerUrl,
    clientIds: input.clientIds,
    fingerprints: [DEFAULT_FINGERPRINT],
    description: input.description ?? '',
    createdAt: isoSeconds(world.data.nowMs),
  };
  state.oidcProviders[input.name] = record;
  return record;
}

export const oidcProviderArn = (accountId: string, name: string): string => `acs:ram::${accountId}:oidc-provider/${name}`;

export function findOidcProvider(world: World, accountId: string, name: string): OidcProviderRecord | undefined {
  return world.data.accounts[accountId] ? imsState(world, accountId).oidcProviders[name] : undefined;
}

/** `acs:ram::<uid>:oidc-provider/<name>` split, or undefined. */
export function parseOidcProviderArn(arn: string): { accountId: string; name: string } | undefined {
  const m = /^acs:ram::(\d+):oidc-provider\/([^/]+)$/.exec(arn);
  return m ? { accountId: m[1]!, name: m[2]! } : undefined;
}

const split = (joined: string | undefined): string[] => (joined ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** CreateOIDCProvider with the documented limits: https issuer unique in the account, 50 client IDs, 5 fingerprints, 100 providers. */
export function createOidcProvider(
  world: World,
  accountId: string,
  input: { name: string; issuerUrl: string; clientIds?: string; fingerprints?: string; description?: string; issuanceLimitTime?: number },
): OidcProviderRecord {
  const bad = (param: string, why: string) => new ApiError(`InvalidParameter.${param}`, `The parameter - "${param}" ${why}`, 400);
  // Codes below are assumed (InvalidParameter.<Name>, LimitExceeded.*); the rules are CreateOIDCProvider's documented ones.
  if (input.name.length > 128 || !/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(input.name)) throw bad('OIDCProviderName', 'is invalid.');
  let url: URL | undefined;
  try {
    url = new URL(input.issuerUrl);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || input.issuerUrl.length > 255 || url.search || url.hash || url.username || input.issuerUrl.includes('@')) {
    throw bad('IssuerUrl', 'must be an https URL without query, fragment or logon information.');
  }
  if (input.description !== undefined && input.description.length > 256) throw bad('Description', 'beyond the length limit.');
  const clientIds = split(input.clientIds);
  const fingerprints = split(input.fingerprints);
  if (clientIds.length > 50) throw new ApiError('LimitExceeded.OIDCProvider.ClientId', 'The count of client IDs beyond the current limits.', 409);
  if (fingerprints.length > 5) throw new ApiError('LimitExceeded.OIDCProvider.Fingerprint', 'The count of fingerprints beyond the current limits.', 409);
  if (fingerprints.some((f) => !/^[A-Za-z0-9]{1,128}$/.test(f))) throw bad('Fingerprints', 'is invalid.');
  if (input.issuanceLimitTime !== undefined && (input.issuanceLimitTime < 1 || input.issuanceLimitTime > 168)) throw bad('IssuanceLimitTime', 'MUST be in the range of 1 and 168.');
  const state = imsState(world, accountId);
  if (state.oidcProviders[input.name]) throw new ApiError('EntityAlreadyExists.OIDCProvider', 'The OIDC provider does already EXIST.', 409);
  // The issuer URL must be unique in the account (documented); the code is one seen in the wild.
  if (Object.values(state.oidcProviders).some((p) => p.issuerUrl === input.issuerUrl)) {
    throw new ApiError('EntityAlreadyExists.OIDCProvider.Url', 'An OIDC provider with this issuer URL does already EXIST.', 409);
  }
  if (Object.keys(state.oidcProviders).length >= 100) throw new ApiError('LimitExceeded.OIDCProvider', 'The count of OIDC providers beyond the current limits.', 409);
  const now = isoSeconds(world.data.nowMs);
  const record: OidcProviderRecord = {
    name: input.name,
    arn: oidcProviderArn(accountId, input.name),
    issuerUrl: input.issuerUrl,
    clientIds,
    fingerprints,
    description: input.description ?? '',
    createdAt: now,
    updatedAt: now,
    issuanceLimitTime: input.issuanceLimitTime,
  };
  state.oidcProviders[input.name] = record;
  return record;
}

// ---- the sandbox as an OIDC issuer: HS256 tokens with one secret per issuer, kept in the world ----

interface IdpShared {
  /** issuer URL -> signing secret (never leaves the sandbox state). */
  keys: Record<string, string>;
}

const idp = (world: World) => world.shared<IdpShared>('oidc-idp', () => ({ keys: {} }));

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest();

export interface OidcTokenInput {
  issuer: string;
  /** `system:serviceaccount:<namespace>:<name>` for a cluster's service account. */
  subject: string;
  audience: string | string[];
  expiresInSec: number;
  /** Default: the simulated now. */
  issuedAtMs?: number;
}

/** A signed ID token as the issuer (a cluster's RRSA OIDC issuer) would mint it, dated on the simulated clock. */
export function mintOidcToken(world: World, input: OidcTokenInput): string {
  const keys = idp(world).keys;
  keys[input.issuer] ??= randomBytes(32).toString('base64url');
  const iat = Math.floor((input.issuedAtMs ?? world.data.nowMs) / 1000);
  const header = b64({ alg: 'HS256', typ: 'JWT', kid: 'sandbox' });
  const payload = b64({ iss: input.issuer, sub: input.subject, aud: input.audience, iat, nbf: iat, exp: iat + input.expiresInSec });
  return `${header}.${payload}.${sign(keys[input.issuer]!, `${header}.${payload}`).toString('base64url')}`;
}

export interface OidcClaims {
  iss: string;
  sub: string;
  aud: string[];
  iat: number;
  exp: number;
}

// STS's answers for bad tokens, as the ACK RRSA troubleshooting table quotes them; HTTP 400 is assumed.
const tokenError = (code: string, message: string) => new ApiError(`AuthenticationFail.OIDCToken.${code}`, message, 400);

/** Verifies a token against a registered provider: issuer, signature, expiry, then audience (the provider's ClientIds). */
export function verifyOidcToken(world: World, token: string, provider: OidcProviderRecord): OidcClaims {
  const invalid = () => tokenError('Invalid', 'The OIDC token is invalid.');
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid();
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid();
  }
  if (typeof claims.iss !== 'string' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') throw invalid();
  if (claims.iss !== provider.issuerUrl) throw tokenError('IssuerNotMatch', "The issuer in the OIDC Token doesn't match the OIDC Provider registered.");
  const secret = idp(world).keys[claims.iss];
  const given = Buffer.from(parts[2]!, 'base64url');
  const expected = secret ? sign(secret, `${parts[0]}.${parts[1]}`) : undefined;
  if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  if (claims.exp * 1000 <= world.data.nowMs) throw tokenError('Expired', 'This JsonWebToken is expired.');
  const aud = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter((a): a is string => typeof a === 'string');
  if (!aud.some((a) => provider.clientIds.includes(a))) throw tokenError('AudienceNotMatch', 'Invalid audience.');
  return { iss: claims.iss, sub: claims.sub, aud, iat: typeof claims.iat === 'number' ? claims.iat : 0, exp: claims.exp };
}
