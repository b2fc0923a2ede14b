// Who signed a request: an account's own key, a RAM user's key, or an STS session; and the sessions STS hands out.
import { randomBytes } from 'node:crypto';

import { ApiError, type Caller } from './api.js';
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

/** The secret behind an AccessKey ID (a long-lived key or an STS session), for signature checks. */
export function secretOf(world: World, accessKeyId: string): { secret: string } | undefined {
  const key = world.data.accessKeys[accessKeyId];
  if (key) return key.status === 'Active' ? { secret: key.secret } : undefined;
  const session = sts(world).sessions[accessKeyId];
  return session ? { secret: session.secret } : undefined;
}

/** Resolves the caller; STS keys must come with their own, unexpired token. */
export function resolveCaller(world: World, accessKeyId: string, securityToken: string | undefined): Caller {
  const key = world.data.accessKeys[accessKeyId];
  if (key) {
    if (key.userName) {
      return { accountId: key.accountId, type: 'user', arn: `acs:ram::${key.accountId}:user/${key.userName}`, accessKeyId, userName: key.userName };
    }
    return { accountId: key.accountId, type: 'root', arn: `acs:ram::${key.accountId}:root`, accessKeyId };
  }
  const session = sts(world).sessions[accessKeyId];
  if (!session) throw new ApiError('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
  if (!securityToken) throw new ApiError('InvalidSecurityToken.Missing', 'The security token you provided is missing.', 400);
  if (securityToken !== session.token) {
    throw new ApiError('InvalidSecurityToken.MismatchWithAccessKey', 'The security token you provided does not match the access key id.', 400);
  }
  if (world.data.nowMs >= session.expiresMs) throw new ApiError('InvalidSecurityToken.Expired', 'The security token you provided has expired.', 400);
  return {
    accountId: session.accountId,
    type: 'assumed-role',
    arn: `acs:ram::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
    accessKeyId,
    roleName: session.roleName,
    sessionName: session.sessionName,
  };
}
