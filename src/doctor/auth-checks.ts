// Checks of identities, cluster support and the RAM side (RRSA/OIDC, trust of roles A and B, the pull policy, the
// session length, the AccessKey). Pure: they read facts the steps' discovery gathered, plus the OIDC provider.
import type { Config } from '../config/schema.js';
import type { OidcProvider } from '../cloud/ims.js';
import type { PolicyDocument, PolicyStatement } from '../cloud/ram.js';
import type { AuthFacts } from '../steps/auth/facts.js';
import { roleArn } from '../steps/auth/names.js';
import type { PolicyState } from '../steps/auth/ram-actions.js';
import { authSupportProblem, describeCluster, editionSupportProblem } from '../steps/auth/support.js';
import type { BaseFacts } from '../steps/step.js';
import { fail, ok, warn, type Check } from './check.js';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const allows = (s: PolicyStatement) => s.Effect === 'Allow';
const APPLY_AUTH = 'run `acr-xaccount apply --step auth` (it merges the statement, keeping the others)';

export function identityCheck(base: BaseFacts): Check {
  const { A, B } = base.identities;
  if (A.accountId === B.accountId) return fail('identities', 'identities A and B', `both are account ${A.accountId}`, 'use a profile of the registry owner for B (--profile-b or --role-b)');
  return ok('identities', 'identities A and B', `A ${A.accountId} (${A.arn}), B ${B.accountId} (${B.arn})`);
}

export function supportCheck(config: Config, base: BaseFacts): Check {
  const problem = authSupportProblem(config, base.cluster) ?? editionSupportProblem(config, base.cluster);
  const title = 'cluster support';
  return problem ? fail('cluster.support', title, problem, 'choose a supported --auth/--edition as named above') : ok('cluster.support', title, `${describeCluster(base.cluster)}: auth ${config.auth.mode}, ${config.addon.edition} add-on`);
}

export function rrsaChecks(base: BaseFacts, provider: OidcProvider | undefined): Check[] {
  const rrsa = base.cluster.rrsa;
  const fix = 'enable RRSA: `acr-xaccount apply --step auth` (or ACK console: Cluster Information > Security and Auditing > RRSA OIDC)';
  if (!rrsa.enabled) return [fail('auth.rrsa', 'RRSA/OIDC', `RRSA is disabled on cluster ${base.cluster.clusterId}`, fix)];
  if (!provider) return [fail('auth.rrsa', 'RRSA/OIDC', `RRSA is on, but the OIDC provider ${rrsa.oidcName || '(unnamed)'} does not exist in A`, fix)];
  return [ok('auth.rrsa', 'RRSA/OIDC', `enabled; provider ${provider.arn} (issuer ${provider.issuerUrl})`)];
}

/** Role A's trust must name the cluster's OIDC provider as Federated principal, with oidc conditions. */
export function roleATrustCheck(config: Config, facts: AuthFacts, base: BaseFacts): Check {
  const title = 'role A trust';
  const role = facts.roleA?.role;
  if (!role) return fail('auth.role-a-trust', title, `role ${config.auth.roleAName} does not exist in A`, APPLY_AUTH);
  const oidcArn = base.cluster.rrsa.oidcArn;
  const match = role.assumeRolePolicy?.Statement.find((s) => allows(s) && oidcArn !== '' && list(s.Principal?.Federated).includes(oidcArn));
  if (!match) return fail('auth.role-a-trust', title, `${role.roleName} does not trust the cluster's OIDC provider ${oidcArn || '(RRSA off)'}`, APPLY_AUTH);
  const keys = Object.values(match.Condition ?? {}).flatMap((c) => Object.keys(c));
  const missing = ['oidc:iss', 'oidc:aud', 'oidc:sub'].filter((k) => !keys.includes(k));
  if (missing.length > 0) return warn('auth.role-a-trust', title, `${role.roleName} trusts ${oidcArn} without the condition(s) ${missing.join(', ')}: any service account could assume it`, APPLY_AUTH);
  return ok('auth.role-a-trust', title, `${role.roleName} trusts ${oidcArn} (oidc:iss, oidc:aud, oidc:sub)`);
}

/** Role A (or the worker role) must be allowed to call sts:AssumeRole on role B, by whatever policy (hand-made too). */
export function assumePolicyCheck(config: Config, facts: AuthFacts, base: BaseFacts, attachedDocuments: readonly (PolicyDocument | undefined)[]): Check | undefined {
  const holder = config.auth.mode === 'rrsa' ? facts.roleA : config.auth.mode === 'worker-role' ? facts.workerRole : undefined;
  if (!holder?.role) return undefined;
  const title = `assume policy on ${config.auth.mode === 'rrsa' ? 'role A' : 'the worker role'}`;
  const names = holder.attached.map((p) => p.policyName);
  const roleB = roleArn(base.identities.B.accountId, config.auth.roleBName);
  if (names.includes('AliyunSTSAssumeRoleAccess')) return ok('auth.assume-policy', title, 'AliyunSTSAssumeRoleAccess attached');
  const allowing = holder.attached.filter((_, i) => documentAllows(attachedDocuments[i], ['sts:AssumeRole'], roleB)).map((p) => p.policyName);
  if (allowing.length > 0) return ok('auth.assume-policy', title, `${allowing.join(', ')} allows sts:AssumeRole on ${roleB}`);
  return fail('auth.assume-policy', title, `no attached policy allows sts:AssumeRole on ${roleB} (attached: ${names.join(', ') || 'none'})`, APPLY_AUTH);
}

/** Role B's trust must name role A (rrsa) or the worker role (worker-role); access-key uses no role. */
export function roleBTrustCheck(config: Config, facts: AuthFacts, base: BaseFacts): Check {
  const title = 'role B trust';
  if (config.auth.mode === 'access-key') return ok('auth.role-b-trust', title, 'n/a: access-key uses a RAM user, no role');
  const role = facts.roleB?.role;
  if (!role) return fail('auth.role-b-trust', title, `role ${config.auth.roleBName} does not exist in B`, APPLY_AUTH);
  const a = base.identities.A.accountId;
  const trusted = config.auth.mode === 'rrsa' ? roleArn(a, config.auth.roleAName) : roleArn(a, facts.workerRole?.name ?? base.cluster.workerRamRoleName);
  const principals = (role.assumeRolePolicy?.Statement ?? []).filter(allows).flatMap((s) => list(s.Principal?.RAM));
  if (principals.includes(trusted)) return ok('auth.role-b-trust', title, `${role.roleName} trusts ${trusted}`);
  if (principals.includes(`acs:ram::${a}:root`)) return warn('auth.role-b-trust', title, `${role.roleName} trusts all of account A (root), not only ${trusted}`, APPLY_AUTH);
  return fail('auth.role-b-trust', title, `${role.roleName} does not trust ${trusted} (trusts: ${principals.join(', ') || 'nobody in RAM'})`, APPLY_AUTH);
}

function defaultDocument(state: PolicyState | undefined): PolicyDocument | undefined {
  return state?.versions.find((v) => v.isDefaultVersion)?.document;
}

function documentAllows(doc: PolicyDocument | undefined, actions: string[], resource?: string): boolean {
  const stmts = (doc?.Statement ?? []).filter(allows);
  const covers = (pattern: string, value: string) => pattern === '*' || pattern === value || (pattern.endsWith('*') && value.startsWith(pattern.slice(0, -1)));
  return actions.every((action) =>
    stmts.some((s) => list(s.Action).some((p) => covers(p, action)) && (!resource || list(s.Resource).some((r) => covers(r, resource)))),
  );
}

/** The pull policy allows cr:GetAuthorizationToken and cr:PullRepository, and is attached to role B or the user. */
export function pullPolicyCheck(config: Config, facts: AuthFacts): Check {
  const title = config.auth.mode === 'access-key' ? 'user B pull policy' : 'role B pull policy';
  const name = config.auth.policyName;
  const attached = (config.auth.mode === 'access-key' ? facts.user?.attached : facts.roleB?.attached) ?? [];
  const granted = attached.some((p) => p.policyName === name) || attached.some((p) => p.policyName === 'AliyunContainerRegistryReadOnlyAccess');
  if (!granted) return fail('auth.pull-policy', title, `${name} is not attached (attached: ${attached.map((p) => p.policyName).join(', ') || 'none'})`, APPLY_AUTH);
  if (attached.some((p) => p.policyName === name) && !documentAllows(defaultDocument(facts.pullPolicy), ['cr:GetAuthorizationToken', 'cr:PullRepository'])) {
    return fail('auth.pull-policy', title, `${name} does not allow cr:GetAuthorizationToken and cr:PullRepository`, APPLY_AUTH);
  }
  return ok('auth.pull-policy', title, `${name} attached: cr:GetAuthorizationToken, cr:PullRepository`);
}

export function sessionDurationCheck(config: Config, facts: AuthFacts): Check | undefined {
  const role = facts.roleB?.role;
  if (config.auth.mode === 'access-key' || !role) return undefined;
  const title = 'MaxSessionDuration';
  const want = config.auth.expireDuration;
  if (role.maxSessionDuration < want) {
    return fail('auth.session-duration', title, `${role.roleName} allows ${role.maxSessionDuration}s, expireDuration is ${want}s: AssumeRole fails`, `lower --expire-duration to ${role.maxSessionDuration}, or raise the role's MaxSessionDuration (\`acr-xaccount apply --step auth\`)`);
  }
  return ok('auth.session-duration', title, `${role.roleName} allows ${role.maxSessionDuration}s >= expireDuration ${want}s`);
}

export function accessKeyCheck(config: Config, facts: AuthFacts): Check | undefined {
  if (config.auth.mode !== 'access-key') return undefined;
  const title = 'AccessKey of user B';
  const user = facts.user;
  const fix = 'run `acr-xaccount apply --step auth --step addon` (creates a key and configures the helper with it)';
  if (!user?.user) return fail('auth.access-key', title, `RAM user ${config.auth.userName} does not exist in B`, fix);
  const active = user.keys.filter((k) => k.status === 'Active');
  if (user.configuredKeyId) {
    const key = user.keys.find((k) => k.accessKeyId === user.configuredKeyId);
    if (!key) return fail('auth.access-key', title, `the helper is configured with AccessKey ${user.configuredKeyId}, which user ${config.auth.userName} no longer has`, fix);
    if (key.status !== 'Active') return fail('auth.access-key', title, `AccessKey ${key.accessKeyId} the helper uses is ${key.status}`, fix);
    return ok('auth.access-key', title, `helper uses ${key.accessKeyId} (Active) of ${config.auth.userName}`);
  }
  if (active.length === 0) return fail('auth.access-key', title, `user ${config.auth.userName} has no active AccessKey`, fix);
  return warn('auth.access-key', title, `user ${config.auth.userName} has ${active.length} active key(s), but no helper configuration names one`, fix);
}
