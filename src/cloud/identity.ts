// Who each account is, confirmed with sts:GetCallerIdentity before anything else; A and B must differ.
import { UserError } from '../errors.js';
import type { Account } from '../plan/action.js';
import type { AccountClient, Cloud } from './session.js';
import { getCallerIdentity, type CallerIdentity } from './sts.js';

export type Identities = Record<Account, CallerIdentity>;

export async function confirmIdentities(cloud: Cloud): Promise<Identities> {
  const ask = async (client: AccountClient): Promise<CallerIdentity> => {
    try {
      return await getCallerIdentity(client);
    } catch (error) {
      const e = error as { code?: string; message?: string };
      const flag = `--profile-${client.account.toLowerCase()}`;
      if (/unable to get credentials from any of the providers/.test(e.message ?? '')) {
        throw new UserError(
          `account ${client.account}: no credentials found. Pass ${flag} NAME (a profile of ~/.aliyun/config.json or ` +
            '~/.alibabacloud/credentials), or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.' +
            (client.account === 'B' ? ' For B, --role-b ARN assumes a role in B with A\'s credentials.' : ''),
        );
      }
      throw new UserError(
        `account ${client.account}: could not confirm the identity of ${client.credential.source}: ` +
          `${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}\n` +
          `Check the AccessKey (\`aliyun configure list\`), or pass another ${flag}.`,
      );
    }
  };
  const [a, b] = await Promise.all([ask(cloud.account('A')), ask(cloud.account('B'))]);
  if (a.accountId === b.accountId) {
    throw new UserError(
      `accounts A and B are the same account (${a.accountId}). acr-xaccount sets up pulls across two accounts; ` +
        'within one account the cluster needs no cross-account roles. Pass a --profile-b (or --role-b) for the registry owner.',
    );
  }
  return { A: a, B: b };
}

/** `1234****5678`: enough to tell accounts apart in a plan without printing the whole UID. */
export function maskAccountId(accountId: string): string {
  return accountId.length > 8 ? `${accountId.slice(0, 4)}****${accountId.slice(-4)}` : accountId;
}
