// STS: who is calling, AssumeRole and AssumeRoleWithOIDC (the decisions live in ../identity.ts beside the sessions).
import { ApiError, type ProductModule } from '../api.js';
import { assumeRoleAs, assumeRoleWithOidc, sessionOf, stsCredentials, type AssumeResult } from '../identity.js';
import { missingParameter } from '../spec.js';
import { findRole, findUser, isoSeconds } from '../state/ram.js';

function answer(result: AssumeResult) {
  if (!result.ok) throw new ApiError(result.code, result.message, result.status);
  return stsCredentials(result.session);
}

const optional = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const sts: ProductModule = {
  product: 'sts',
  rpc: {
    GetCallerIdentity: ({ world, caller }) => {
      if (caller.type === 'assumed-role') {
        const roleId = sessionOf(world, caller.accessKeyId)?.roleId ?? findRole(world, caller.accountId, caller.roleName ?? '')?.roleId;
        return { AccountId: caller.accountId, Arn: caller.arn, IdentityType: 'AssumedRoleUser', PrincipalId: `${roleId ?? caller.roleName}:${caller.sessionName}`, RoleId: roleId };
      }
      if (caller.type === 'user') {
        const userId = findUser(world, caller.accountId, caller.userName ?? '')?.userId;
        return { AccountId: caller.accountId, Arn: caller.arn, IdentityType: 'RAMUser', PrincipalId: userId, UserId: userId };
      }
      return { AccountId: caller.accountId, Arn: caller.arn, IdentityType: 'Account', PrincipalId: caller.accountId, UserId: caller.accountId };
    },

    AssumeRole: ({ world, caller }, p) =>
      answer(
        assumeRoleAs(world, caller, String(p.RoleArn), p.DurationSeconds ?? 3600, {
          sessionName: String(p.RoleSessionName),
          policy: optional(p.Policy),
          externalId: optional(p.ExternalId),
        }),
      ),

    AssumeRoleWithOIDC: ({ world }, p) => {
      for (const name of ['OIDCProviderArn', 'RoleArn', 'OIDCToken']) if (typeof p[name] !== 'string' || p[name] === '') throw missingParameter(name);
      const result = assumeRoleWithOidc(world, {
        providerArn: p.OIDCProviderArn,
        roleArn: p.RoleArn,
        token: p.OIDCToken,
        durationSeconds: p.DurationSeconds,
        sessionName: String(p.RoleSessionName),
        policy: optional(p.Policy),
      });
      const body = answer(result);
      const claims = result.ok ? result.claims! : undefined;
      return {
        ...body,
        OIDCTokenInfo: claims && {
          Subject: claims.sub,
          Issuer: claims.iss,
          ClientIds: claims.aud.join(','),
          ExpirationTime: isoSeconds(claims.exp * 1000),
          IssuanceTime: isoSeconds(claims.iat * 1000),
          VerificationInfo: 'Success',
        },
      };
    },
  },
};
