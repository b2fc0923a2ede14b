// STS: who is calling. (AssumeRole and AssumeRoleWithOIDC live beside the RAM policy engine.)
import type { ProductModule } from '../api.js';

export const sts: ProductModule = {
  product: 'sts',
  rpc: {
    GetCallerIdentity: (ctx) => ({
      AccountId: ctx.caller.accountId,
      Arn: ctx.caller.arn,
      IdentityType: ctx.caller.type === 'root' ? 'Account' : ctx.caller.type === 'user' ? 'RAMUser' : 'AssumedRoleUser',
      PrincipalId: ctx.caller.type === 'assumed-role' ? `${ctx.caller.roleName}:${ctx.caller.sessionName}` : ctx.caller.accessKeyId,
      UserId: ctx.caller.type === 'user' ? ctx.caller.userName : undefined,
      RoleId: undefined,
    }),
  },
};
