// RAM documents as data: the pull, assume and trust documents we want, and the comparisons and merges that
// decide whether RAM already has them (a trust policy gets our statement added, never replaced).
import type { Config } from '../../config/schema.js';
import type { PolicyDocument, PolicyStatement } from '../../cloud/ram.js';
import { HELPER_SUBJECT } from './names.js';
import { renderData } from './render.js';

/** The pull policy: cr:GetAuthorizationToken, cr:ListInstanceEndpoint, cr:PullRepository on this instance (or `*`). */
export function pullPolicyDocument(config: Config, registryOwner: string): PolicyDocument {
  if (config.auth.policyScope === 'all') return renderData('ram-pull-policy-all.json', {});
  // GetAuthorizationToken has no resource-level permission in ACR: it is granted on the account's cr resources.
  return renderData('ram-pull-policy-instance.json', { region: config.accountB.region, accountId: registryOwner, instanceId: config.accountB.instanceId });
}

/** Lets its holder assume exactly one role. */
export const assumeRoleDocument = (targetRoleArn: string): PolicyDocument => renderData('ram-assume-role-policy.json', { roleArn: targetRoleArn });

/** Role B's trust statement: exactly this principal (role A, or the worker role), not its whole account. */
export const trustRamStatement = (principalArn: string): PolicyStatement => renderData('ram-trust-ram-statement.json', { principalArn });

/** Role A's trust statement: the cluster's OIDC provider, for the helper's service account only. */
export function trustOidcStatement(rrsa: { oidcProviderArn: string; issuer: string; audience: string }): PolicyStatement {
  return renderData('ram-trust-oidc-statement.json', { oidcProviderArn: rrsa.oidcProviderArn, issuer: rrsa.issuer, audience: rrsa.audience, subject: HELPER_SUBJECT });
}

// ---- comparison ------------------------------------------------------------------------------------------------

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A canonical form: keys sorted, one-item lists as their item (RAM accepts both), lists sorted. */
function canonical(value: unknown): Json {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    if (items.length === 1) return items[0]!;
    return items.map((i) => JSON.stringify(i)).sort().map((s) => JSON.parse(s) as Json);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value as Json;
}

const key = (value: unknown): string => JSON.stringify(canonical(value));

/** Whether two policy documents grant the same (same statements, in any order and list spelling). */
export function sameDocument(a: PolicyDocument | undefined, b: PolicyDocument): boolean {
  if (!a) return false;
  return String(a.Version) === String(b.Version) && key(a.Statement ?? []) === key(b.Statement);
}

export const sameStatement = (a: PolicyStatement, b: PolicyStatement): boolean => key(a) === key(b);

/** Whether a trust policy already holds our statement (other statements do not matter). */
export function hasStatement(doc: PolicyDocument | undefined, statement: PolicyStatement): boolean {
  return Boolean(doc?.Statement?.some((s) => sameStatement(s, statement)));
}

/** The trust policy with our statement added after the existing ones (which stay exactly as they are). */
export function withStatement(doc: PolicyDocument | undefined, statement: PolicyStatement): PolicyDocument {
  if (hasStatement(doc, statement)) return doc!;
  return { Version: doc?.Version ?? '1', Statement: [...(doc?.Statement ?? []), statement] };
}

/**
 * The trust policy without the statements equal to `statements` (every other statement, and every other field of the
 * document, exactly as they were); undefined when it holds none of them.
 */
export function withoutStatements(doc: PolicyDocument | undefined, statements: readonly PolicyStatement[]): PolicyDocument | undefined {
  const kept = (doc?.Statement ?? []).filter((s) => !statements.some((ours) => sameStatement(s, ours)));
  if (!doc || kept.length === (doc.Statement ?? []).length) return undefined;
  return { ...doc, Statement: kept };
}

/** A one-line JSON text of a document or statement, for plan details. */
export const compact = (value: unknown): string => JSON.stringify(value);
