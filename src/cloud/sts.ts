// STS: who am I, and temporary credentials for a role.
import type { AssumedCredentials } from './credentials.js';
import type { AccountClient } from './session.js';

export interface CallerIdentity {
  accountId: string;
  arn: string;
  identityType: string;
  principalId: string;
  userId?: string;
  roleId?: string;
}

export async function getCallerIdentity(acct: AccountClient): Promise<CallerIdentity> {
  const { client } = await acct.sdk('sts');
  const res = await acct.call({ product: 'sts', action: 'GetCallerIdentity' }, (rt) => client.getCallerIdentityWithOptions(rt as never));
  const body = res.body ?? ({} as NonNullable<typeof res.body>);
  return {
    accountId: body.accountId ?? '',
    arn: body.arn ?? '',
    identityType: body.identityType ?? '',
    principalId: body.principalId ?? '',
    userId: body.userId,
    roleId: body.roleId,
  };
}

export interface AssumeRoleInput {
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  /** An inline policy that narrows the session further. */
  policy?: string;
}

export async function assumeRole(acct: AccountClient, input: AssumeRoleInput): Promise<AssumedCredentials & { assumedRoleArn: string }> {
  const { client, models } = await acct.sdk('sts');
  const request = new models.AssumeRoleRequest({
    roleArn: input.roleArn,
    roleSessionName: input.roleSessionName,
    durationSeconds: input.durationSeconds ?? 3600,
    policy: input.policy,
  });
  const res = await acct.call(
    { product: 'sts', action: 'AssumeRole', params: { RoleArn: input.roleArn, RoleSessionName: input.roleSessionName, DurationSeconds: request.durationSeconds } },
    (rt) => client.assumeRoleWithOptions(request, rt as never),
  );
  const c = res.body?.credentials;
  if (!c?.accessKeyId || !c.accessKeySecret || !c.securityToken) {
    throw new Error(`AssumeRole ${input.roleArn} answered without credentials`);
  }
  return {
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    securityToken: c.securityToken,
    expiration: new Date(c.expiration ?? Date.now() + 3600_000),
    assumedRoleArn: res.body?.assumedRoleUser?.arn ?? input.roleArn,
  };
}
