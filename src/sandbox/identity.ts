// Who signed a request (an account's own key, a RAM user's key, or an STS session), the sessions STS hands out,
// and the STS decisions themselves: AssumeRole, AssumeRoleWithOIDC and a cloud service assuming a role (ECS worker roles).
import { randomBytes } from 'node:crypto';

import { ApiError, type Caller } from './api.js';
import { isAllowed, parsePolicyDocument, trustAllows, type TrustPrincipal } from './policy.js';
import { findOidcProvider, parseOidcProviderArn, verifyOidcToken, type OidcClaims } from './state/ims.js';
import { findRole, isoSeconds, parseRoleArn, type RamRoleRecord } from './state/ram.js';
import type { World } from './world.js';

export interface StsSession {
  accessKeyId: string;
  secret: string;
  token: string;
  accountId: string;
  roleName: string;
  sessionName: string;
  expiresMs: number;
  /** ARN of whoever assumed the role (for the audit trail and role chaining). */
  sourceArn: string;
  roleId?: string;
  /** The AssumeRole `Policy` parameter: the session may do only what both it and the role's policies allow. */
  policy?: string;
}

interface StsShared {
  sessions: Record<string, StsSession>;
}

const sts = (world: World) => world.shared<StsShared>('sts', () => ({ sessions: {} }));

export function issueSession(world: World, input: Omit<StsSession, 'accessKeyId' | 'secret' | 'token'>): StsSession {
  const session: StsSession = {
    ...input,
    accessKeyId: `STS.${world.nextId('', 24)}`,
    secret: randomBytes(20).toString('base64url'),
    token: `CAIS${randomBytes(48).toString('base64url')}`,
  };
  sts(world).sessions[session.accessKeyId] = session;
  return session;
}

/** The STS session behind an AccessKey ID, if it is one. */
export function sessionOf(world: World, accessKeyId: string): StsSession | undefined {
  return sts(world).sessions[accessKeyId];
}

/** The secret behind an AccessKey ID (a long-lived key or an STS session), for signature checks. */
export function secretOf(world: World, accessKeyId: string): { secret: string } | undefined {
  const key = world.data.accessKeys[accessKeyId];
  if (key) return key.status === 'Active' ? { secret: key.secret } : undefined;
  const session = sts(world).sessions[accessKeyId];
  return session ? { secret: session.secret } : undefined;
}

/** The caller a session signs as (`acs:ram::<uid>:assumed-role/<role, lower-case>/<session>`, as GetCallerIdentity shows it). */
export function sessionCaller(session: StsSession): Caller {
  return {
    accountId: session.accountId,
    type: 'assumed-role',
    arn: `acs:ram::${session.accountId}:assumed-role/${session.roleName.toLowerCase()}/${session.sessionName}`,
    accessKeyId: session.accessKeyId,
    roleName: session.roleName,
    sessionName: session.sessionName,
  };
}

/** The caller behind a long-lived AccessKey (root or RAM user), or undefined. */
export function accessKeyCaller(world: World, accessKeyId: string): Caller | undefined {
  const key = world.data.accessKeys[accessKeyId];
  if (!key || key.status !== 'Active') return undefined;
  if (key.userName) return { accountId: key.accountId, type: 'user', arn: `acs:ram::${key.accountId}:user/${key.userName}`, accessKeyId, userName: key.userName };
  return { accountId: key.accountId, type: 'root', arn: `acs:ram::${key.accountId}:root`, accessKeyId };
}

/** Resolves the caller; STS keys must come with their own, unexpired token. */
export function resolveCaller(world: World, accessKeyId: string, securityToken: string | undefined): Caller {
  const known = accessKeyCaller(world, accessKeyId);
  if (known) return known;
  const session = sts(world).sessions[accessKeyId];
  if (!session) throw new ApiError('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
  if (!securityToken) throw new ApiError('InvalidSecurityToken.Missing', 'The security token you provided is missing.', 400);
  if (securityToken !== session.token) {
    throw new ApiError('InvalidSecurityToken.MismatchWithAccessKey', 'The security token you provided does not match the access key id.', 400);
  }
  if (world.data.nowMs >= session.expiresMs) throw new ApiError('InvalidSecurityToken.Expired', 'The security token you provided has expired.', 400);
  return sessionCaller(session);
}

// ---- STS decisions ----

/** Either a new session, or the error STS answers with (code, message, HTTP status). */
export type AssumeResult = { ok: true; session: StsSession; role: RamRoleRecord; claims?: OidcClaims } | { ok: false; code: string; message: string; status: number };

const refuse = (code: string, message: string, status: number): AssumeResult => ({ ok: false, code, message, status });
const NOT_AUTHORIZED = 'You are not authorized to do this action. You should be authorized by RAM.';

interface Common {
  roleArn: string;
  durationSeconds?: number;
  sessionName?: string;
  /** AssumeRole `Policy`: narrows the session. */
  policy?: string;
}

function checkSessionName(name: string): AssumeResult | undefined {
  if (!/^[\w.@-]{2,64}$/.test(name)) return refuse('InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.', 400);
  return undefined;
}

function checkPolicy(policy: string | undefined): AssumeResult | undefined {
  if (policy === undefined) return undefined;
  if (policy.length > 2048) return refuse('InvalidParameter.PolicySize', 'The size of Policy must be smaller than 2048 bytes.', 400);
  try {
    parsePolicyDocument(policy, 'session');
  } catch (error) {
    const e = error as ApiError;
    return refuse(e.code, e.message, e.status);
  }
  return undefined;
}

function checkDuration(seconds: number, max: number): AssumeResult | undefined {
  if (!Number.isInteger(seconds) || seconds < 900 || seconds > max) {
    const hours = max % 3600 === 0 ? `${max / 3600}hr` : `${max}s`;
    return refuse('InvalidParameter.DurationSeconds', `The Min/Max value of DurationSeconds is 15min/${hours}.`, 400);
  }
  return undefined;
}

function grant(world: World, role: RamRoleRecord, accountId: string, input: Common, sourceArn: string, seconds: number): StsSession {
  return issueSession(world, {
    accountId,
    roleName: role.roleName,
    roleId: role.roleId,
    sessionName: input.sessionName ?? 'sandbox',
    expiresMs: world.data.nowMs + seconds * 1000,
    sourceArn,
    policy: input.policy,
  });
}

/**
 * AssumeRole by a signed-in caller: a RAM user or role session (never an account's root identity) allowed
 * `sts:AssumeRole` on the role by its own policies, and trusted by the role's trust policy.
 */
export function assumeRoleAs(world: World, caller: Caller, roleArn: string, durationSeconds = 3600, options: Omit<Common, 'roleArn' | 'durationSeconds'> & { externalId?: string } = {}): AssumeResult {
  const parsed = parseRoleArn(roleArn);
  if (!parsed) return refuse('InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.', 400);
  const input: Common = { ...options, roleArn, durationSeconds };
  const badName = checkSessionName(input.sessionName ?? 'sandbox');
  if (badName) return badName;
  if (options.externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(options.externalId)) {
    return refuse('InvalidParameter.ExternalId', 'The parameter ExternalId is wrongly formed.', 400);
  }
  // STS's answer to an account's root AccessKey (seen verbatim in STS clients' tests; the docs: "cannot use an Alibaba Cloud account").
  if (caller.type === 'root') return refuse('NoPermission', 'Roles may not be assumed by root accounts.', 403);
  const found = findRole(world, parsed.accountId, parsed.roleName);
  const resource = found?.arn ?? roleArn;
  if (!isAllowed(world, caller, 'sts:AssumeRole', resource)) return refuse('NoPermission', NOT_AUTHORIZED, 403);
  if (!found) return refuse('EntityNotExist.Role', `The role not exists: ${roleArn}.`, 404);
  const context: Record<string, string> = options.externalId !== undefined ? { 'sts:ExternalId': options.externalId } : {};
  if (!trustAllows(found, { kind: 'caller', caller }, context)) return refuse('NoPermission', NOT_AUTHORIZED, 403);
  // No one-hour cap on role chaining: the credential helper chains (RRSA role A -> role B) and the ACK guide allows
  // expireDuration up to role B's MaxSessionDuration (43200); the metadata's maximum is MaxSessionDuration too.
  const max = found.maxSessionDuration;
  const bad = checkDuration(durationSeconds, max) ?? checkPolicy(options.policy);
  if (bad) return bad;
  return { ok: true, session: grant(world, found, parsed.accountId, input, caller.arn, durationSeconds), role: found };
}

/** A cloud service (e.g. `ecs.aliyuncs.com` for an instance's RAM role) assuming a role that trusts it. */
export function assumeRoleForService(world: World, input: Common & { service: string }): AssumeResult {
  const parsed = parseRoleArn(input.roleArn);
  const role = parsed && findRole(world, parsed.accountId, parsed.roleName);
  if (!parsed || !role) return refuse('EntityNotExist.Role', `The role not exists: ${input.roleArn}.`, 404);
  if (!trustAllows(role, { kind: 'service', service: input.service })) return refuse('NoPermission', NOT_AUTHORIZED, 403);
  const seconds = input.durationSeconds ?? 3600;
  const bad = checkDuration(seconds, role.maxSessionDuration);
  if (bad) return bad;
  return { ok: true, session: grant(world, role, parsed.accountId, input, `service:${input.service}`, seconds), role };
}

/**
 * AssumeRoleWithOIDC: the provider must exist in the role's account, the token must verify against it
 * (issuer, signature, expiry, audience), and the role's trust policy must allow that provider with the token's claims.
 */
export function assumeRoleWithOidc(world: World, input: Common & { providerArn: string; token: string }): AssumeResult {
  const providerRef = parseOidcProviderArn(input.providerArn);
  // These AuthenticationFail.* answers are quoted from STS (credential SDK tests, the RRSA guide); 403 is assumed.
  if (!providerRef) return refuse('AuthenticationFail.NoPermission', 'Parameter OIDCProviderArn is not valid', 403);
  const provider = findOidcProvider(world, providerRef.accountId, providerRef.name);
  if (!provider) return refuse('AuthenticationFail.NoPermission', 'No such OIDC Provider registered.', 403);
  const parsed = parseRoleArn(input.roleArn);
  if (!parsed) return refuse('InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.', 400);
  const badName = checkSessionName(input.sessionName ?? 'sandbox');
  if (badName) return badName;
  if (input.token.length < 4 || input.token.length > 20000) return refuse('InvalidParameter.OIDCToken', 'The parameter OIDCToken is wrongly formed.', 400);
  let claims: OidcClaims;
  try {
    claims = verifyOidcToken(world, input.token, provider);
  } catch (error) {
    const e = error as ApiError;
    return refuse(e.code, e.message, e.status);
  }
  const role = findRole(world, parsed.accountId, parsed.roleName);
  if (!role) return refuse('EntityNotExist.Role', `The role not exists: ${input.roleArn}.`, 404);
  const context = { 'oidc:iss': claims.iss, 'oidc:aud': claims.aud, 'oidc:sub': claims.sub };
  const who: TrustPrincipal = { kind: 'federated', providerArn: provider.arn };
  if (parsed.accountId !== providerRef.accountId || !trustAllows(role, who, context)) return refuse('AuthenticationFail.NoPermission', 'There is no permission', 403);
  const seconds = input.durationSeconds ?? 3600;
  const bad = checkDuration(seconds, role.maxSessionDuration) ?? checkPolicy(input.policy);
  if (bad) return bad;
  return { ok: true, session: grant(world, role, parsed.accountId, input, `oidc:${claims.sub}`, seconds), role, claims };
}

/** One link of a credential chain, as a pod's credential helper walks it. */
export type ChainStep =
  | { kind: 'accessKey'; accessKeyId: string }
  | { kind: 'oidc'; providerArn: string; roleArn: string; token: string; durationSeconds?: number }
  | { kind: 'service'; service: string; roleArn: string; durationSeconds?: number }
  | { kind: 'assumeRole'; roleArn: string; durationSeconds?: number };

export type ChainResult = { ok: true; caller: Caller; session?: StsSession } | { ok: false; step: number; code: string; message: string };

/** Walks a credential chain (e.g. OIDC -> role A -> role B, or worker role -> role B) and returns the final identity. */
export function resolveCredentialChain(world: World, steps: readonly ChainStep[], sessionName = 'acr-credential-helper'): ChainResult {
  let caller: Caller | undefined;
  let session: StsSession | undefined;
  for (const [i, step] of steps.entries()) {
    let result: AssumeResult;
    if (step.kind === 'accessKey') {
      caller = accessKeyCaller(world, step.accessKeyId);
      if (!caller) return { ok: false, step: i, code: 'InvalidAccessKeyId.NotFound', message: 'Specified access key is not found.' };
      continue;
    } else if (step.kind === 'oidc') {
      result = assumeRoleWithOidc(world, { ...step, sessionName });
    } else if (step.kind === 'service') {
      result = assumeRoleForService(world, { ...step, sessionName });
    } else {
      if (!caller) return { ok: false, step: i, code: 'InvalidAccessKeyId.NotFound', message: 'AssumeRole needs a caller from an earlier step.' };
      result = assumeRoleAs(world, caller, step.roleArn, step.durationSeconds, { sessionName });
    }
    if (!result.ok) return { ok: false, step: i, code: result.code, message: result.message };
    session = result.session;
    caller = sessionCaller(session);
  }
  if (!caller) return { ok: false, step: 0, code: 'InvalidParameter', message: 'The credential chain is empty.' };
  return { ok: true, caller, session };
}

/** The Credentials and AssumedRoleUser blocks of an STS answer. */
export function stsCredentials(session: StsSession) {
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      AccessKeySecret: session.secret,
      SecurityToken: session.token,
      Expiration: isoSeconds(session.expiresMs),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${session.roleId ?? ''}:${session.sessionName}`,
      // STS names the role in lower case here (`role/adminrole/alice` in its reference; SSO roles appear lower-cased too).
      Arn: `acs:ram::${session.accountId}:role/${session.roleName.toLowerCase()}/${session.sessionName}`,
    },
  };
}
