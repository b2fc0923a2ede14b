// Accounts: which credentials act as A (the cluster owner) and B (the registry owner), each confirmed at once.
import { UserError } from '../../errors.js';
import type { Account } from '../../plan/action.js';
import type { AskPolicy } from '../policy.js';
import type { Choice, Prompter } from '../prompter.js';
import type { AccountSpec, Identity, WizardSources } from '../sources.js';
import { roleArnFormat } from '../validate.js';

export interface AccountsAnswer {
  config: { accountA?: { profile?: string }; accountB?: { profile?: string; roleArn?: string } };
  identities: Record<Account, Identity>;
}

const ROLE = 'role';
const DEFAULT_CHAIN = 'default';

const describe = (who: Identity) => `${who.accountId}  ${who.arn}`;

/** The credential sources offered for an account: profiles, environment variables / default chain, and (B) a role. */
function credentialChoices(s: WizardSources, account: Account): Choice<string>[] {
  const choices: Choice<string>[] = s.profiles().map((p) => ({ value: `profile:${p.name}`, name: `profile ${p.name}`, description: p.origin, short: p.name }));
  choices.push({
    value: DEFAULT_CHAIN,
    name: s.hasEnvironmentCredentials() ? 'environment variables (ALIBABA_CLOUD_ACCESS_KEY_ID)' : 'the default credential chain',
    short: s.hasEnvironmentCredentials() ? 'environment variables' : 'default chain',
  });
  if (account === 'B') {
    choices.push({ value: ROLE, name: "assume a role in B with A's credentials (e.g. ResourceDirectoryAccountAccessRole)", short: 'role in B' });
  }
  return choices;
}

async function specFor(p: Prompter, answer: string, defaultArn?: string): Promise<AccountSpec> {
  if (answer === DEFAULT_CHAIN) return { kind: 'default' };
  if (answer === ROLE) {
    const roleArn = await p.input({ id: 'accountB.roleArn', message: 'ARN of the role in B', default: defaultArn, validate: roleArnFormat });
    return { kind: 'role', roleArn: roleArn.trim() };
  }
  return { kind: 'profile', profile: answer.slice('profile:'.length) };
}

const specConfig = (spec: AccountSpec) =>
  spec.kind === 'profile' ? { profile: spec.profile } : spec.kind === 'role' ? { roleArn: spec.roleArn } : {};

/** Asks (or takes from the config) one account's credentials until they work and, for B, belong to another account. */
async function chooseAccount(p: Prompter, s: WizardSources, policy: AskPolicy, account: Account, other?: Identity): Promise<{ spec: AccountSpec; who: Identity }> {
  const key = account === 'A' ? 'accountA' : 'accountB';
  const givenProfile = policy.text(`${key}.profile`);
  const givenRole = account === 'B' ? policy.text('accountB.roleArn') : undefined;
  const asks = policy.asks(`${key}.profile`) && (account === 'A' || policy.asks('accountB.roleArn'));
  const title = account === 'A' ? 'Account A (owns the ACK cluster)' : 'Account B (owns the ACR registry)';
  for (;;) {
    let spec: AccountSpec;
    if (!asks) {
      spec = givenRole ? { kind: 'role', roleArn: givenRole } : givenProfile ? { kind: 'profile', profile: givenProfile } : { kind: 'default' };
    } else {
      const preset = givenRole ? ROLE : givenProfile ? `profile:${givenProfile}` : undefined;
      const answer = await p.select({ id: `${key}.credentials`, message: `${title}: credentials`, choices: credentialChoices(s, account), default: preset });
      spec = await specFor(p, answer, givenRole);
    }
    try {
      const who = await p.busy(`Confirming account ${account}`, s.identify(account, spec));
      if (other && who.accountId === other.accountId) {
        throw new UserError(
          `that is account A again (${who.accountId}): B must be the account that owns the registry, or there is nothing cross-account to set up.`,
        );
      }
      p.note(`  Account ${account}: ${describe(who)}`, 'good');
      return { spec, who };
    } catch (error) {
      if (!(error instanceof UserError) || !asks) throw error;
      p.note(`  ${error.message}`, 'warn');
    }
  }
}

export async function askAccounts(p: Prompter, s: WizardSources, policy: AskPolicy): Promise<AccountsAnswer> {
  if (s.sandbox) {
    const [A, B] = await p.busy('Confirming the sandbox accounts', Promise.all([s.identify('A', { kind: 'sandbox' }), s.identify('B', { kind: 'sandbox' })]));
    p.note(`  Account A: ${describe(A)} (sandbox)`, 'good');
    p.note(`  Account B: ${describe(B)} (sandbox)`, 'good');
    return { config: {}, identities: { A, B } };
  }
  if (s.profiles().length === 0 && !s.hasEnvironmentCredentials()) {
    p.note('  No aliyun CLI profiles found (~/.aliyun/config.json, ~/.alibabacloud/credentials): `aliyun configure --profile NAME` makes one.', 'warn');
  }
  const a = await chooseAccount(p, s, policy, 'A');
  const b = await chooseAccount(p, s, policy, 'B', a.who);
  return { config: { accountA: specConfig(a.spec), accountB: specConfig(b.spec) }, identities: { A: a.who, B: b.who } };
}
