// The RAM policy engine: policy documents checked as RAM checks them, statements evaluated (explicit Deny wins,
// wildcards, conditions), a caller's identity policies, trust-policy principals, and the per-request authorizer.
import { ApiError, type Caller } from './api.js';
import { sessionOf } from './identity.js';
import type { Authorizer } from './server.js';
import { attachedDocuments, policyResourceArn } from './state/ram.js';
import type { World } from './world.js';

export type StringOrList = string | string[];

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  Principal?: { RAM?: StringOrList; Service?: StringOrList; Federated?: StringOrList };
  Condition?: Record<string, Record<string, StringOrList | boolean | number>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

export type Decision = 'Allow' | 'Deny' | 'ImplicitDeny';

/** What is being done: `service:Action`, the resource ARN, and the request's condition keys (e.g. `oidc:sub`). */
export interface AccessRequest {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
}

/** permission: identity policies; trust: AssumeRolePolicyDocument; session: the AssumeRole `Policy` parameter. */
export type DocumentKind = 'permission' | 'trust' | 'session';

const list = (value: StringOrList | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

// Operators RAM documents (String*, Numeric*, Date*, Bool, IpAddress); only the String ones and Bool are evaluated here.
const OPERATORS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'IpAddress', 'NotIpAddress',
]);
const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;

/**
 * Parses and checks a policy document as RAM does before storing it; throws the malformed-document error
 * (`MalformedPolicyDocument` for RAM, `InvalidParameter.PolicyGrammar` for an STS session policy) with the reason.
 */
export function parsePolicyDocument(raw: string, kind: DocumentKind): PolicyDocument {
  const fail = (why: string): never => {
    if (kind === 'session') throw new ApiError('InvalidParameter.PolicyGrammar', `The parameter Policy has not passed grammar check. ${why}`, 400);
    throw new ApiError('MalformedPolicyDocument', `The policy document is malformed: ${why}`, 400);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return fail('it is not valid JSON.');
  }
  if (!isObject(doc)) return fail('the document must be a JSON object.');
  if (doc.Version !== '1') return fail('"Version" must be "1".');
  if (!Array.isArray(doc.Statement) || doc.Statement.length === 0) return fail('"Statement" must be a non-empty array.');
  doc.Statement.forEach((s: unknown, i: number) => checkStatement(s, i, kind, fail));
  return doc as unknown as PolicyDocument;
}

function checkStatement(s: unknown, i: number, kind: DocumentKind, fail: (why: string) => never): void {
  const at = `Statement[${i}]`;
  if (!isObject(s)) fail(`${at} must be an object.`);
  const st = s as Record<string, unknown>;
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') fail(`${at}.Effect must be "Allow" or "Deny".`);
  const strings = (name: string): string[] | undefined => {
    const v = st[name];
    if (v === undefined) return undefined;
    const items = typeof v === 'string' ? [v] : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
    if (!items) fail(`${at}.${name} must be a string or a non-empty array of strings.`);
    return items;
  };
  const actions = strings('Action') ?? strings('NotAction');
  if (!actions || (st.Action !== undefined && st.NotAction !== undefined)) fail(`${at} needs exactly one of Action and NotAction.`);
  for (const a of actions!) if (!ACTION.test(a)) fail(`${at} has an invalid action "${a}".`);
  const resources = strings('Resource') ?? strings('NotResource');
  if (kind !== 'trust' && (!resources || (st.Resource !== undefined && st.NotResource !== undefined))) {
    fail(`${at} needs exactly one of Resource and NotResource.`);
  }
  if (kind === 'trust') {
    const p = st.Principal;
    if (!isObject(p)) fail(`${at}.Principal is required in a trust policy.`);
    const principal = p as Record<string, unknown>;
    const kinds = ['RAM', 'Service', 'Federated'].filter((k) => principal[k] !== undefined);
    if (kinds.length === 0 || Object.keys(principal).some((k) => !['RAM', 'Service', 'Federated'].includes(k))) {
      fail(`${at}.Principal must name RAM, Service or Federated principals.`);
    }
    for (const k of kinds) {
      const v = principal[k];
      if (!(typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')))) fail(`${at}.Principal.${k} must be a string or an array of strings.`);
    }
  }
  if (st.Condition !== undefined) {
    if (!isObject(st.Condition)) fail(`${at}.Condition must be an object.`);
    for (const [op, block] of Object.entries(st.Condition as Record<string, unknown>)) {
      if (!OPERATORS.has(op)) fail(`${at}.Condition has an unknown operator "${op}".`);
      if (!isObject(block) || Object.keys(block).length === 0) fail(`${at}.Condition.${op} must map condition keys to values.`);
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `*` any run of characters, `?` one character; everything else literal. */
export function globMatch(pattern: string, value: string, ignoreCase = true): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'si' : 's').test(value);
}

/** Action names are case-insensitive; `cr:*`, `cr:Get*`, `*` are the usual shapes. */
function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  const [ps, pn] = splitOnce(pattern);
  const [as, an] = splitOnce(action);
  return ps.toLowerCase() === as.toLowerCase() && globMatch(pn, an);
}

const splitOnce = (s: string): [string, string] => {
  const i = s.indexOf(':');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
};

// Assumed: resource ARNs compare case-insensitively (RAM role names are case-insensitive, and no resource here differs only by case).
const resourceMatches = (pattern: string, resource: string): boolean => pattern === '*' || globMatch(pattern, resource);

/** Every operator's keys must hold (AND); a key holds when any of its values matches (OR). */
function conditionsHold(condition: Statement['Condition'], context: Record<string, string | string[]>): boolean {
  if (!condition) return true;
  const lookup = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), list(v)]));
  for (const [op, block] of Object.entries(condition)) {
    for (const [key, raw] of Object.entries(block)) {
      const wanted = (Array.isArray(raw) ? raw : [raw]).map(String);
      const actual = lookup.get(key.toLowerCase());
      if (!operatorHolds(op, wanted, actual)) return false;
    }
  }
  return true;
}

function operatorHolds(op: string, wanted: string[], actual: string[] | undefined): boolean {
  const any = (test: (w: string, a: string) => boolean) => (actual ?? []).some((a) => wanted.some((w) => test(w, a)));
  switch (op) {
    case 'StringEquals': return any((w, a) => w === a);
    case 'StringEqualsIgnoreCase': return any((w, a) => w.toLowerCase() === a.toLowerCase());
    case 'StringLike': return any((w, a) => globMatch(w, a, false));
    // Negated operators hold when the key is absent, as in every IAM-style engine (assumed for RAM).
    case 'StringNotEquals': return !any((w, a) => w === a);
    case 'StringNotEqualsIgnoreCase': return !any((w, a) => w.toLowerCase() === a.toLowerCase());
    case 'StringNotLike': return !any((w, a) => globMatch(w, a, false));
    case 'Bool': return any((w, a) => w.toLowerCase() === a.toLowerCase());
    // Numeric, Date and IP conditions are not modelled: they never hold, so such a statement grants nothing here.
    default: return false;
  }
}

/** Evaluates statements for one request: an explicit Deny wins, else any Allow, else an implicit deny. */
export function evaluate(statements: readonly Statement[], request: AccessRequest): Decision {
  let allowed = false;
  for (const s of statements) {
    const actions = s.Action !== undefined ? list(s.Action).some((p) => actionMatches(p, request.action)) : !list(s.NotAction).some((p) => actionMatches(p, request.action));
    if (!actions) continue;
    const hasResource = s.Resource !== undefined || s.NotResource !== undefined;
    const resources = !hasResource || (s.Resource !== undefined ? list(s.Resource).some((p) => resourceMatches(p, request.resource)) : !list(s.NotResource).some((p) => resourceMatches(p, request.resource)));
    if (!resources || !conditionsHold(s.Condition, request.context ?? {})) continue;
    if (s.Effect === 'Deny') return 'Deny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/** The identity-policy statements of a caller: a RAM user's, or the assumed role's; none for root (always allowed). */
export function principalPolicies(world: World, caller: Caller): Statement[] {
  if (caller.type === 'user' && caller.userName) return attachedDocuments(world, caller.accountId, 'user', caller.userName).flatMap((d) => d.Statement);
  if (caller.type === 'assumed-role' && caller.roleName) return attachedDocuments(world, caller.accountId, 'role', caller.roleName).flatMap((d) => d.Statement);
  return [];
}

/** The account an ARN names (`acs:svc:region:account:rest`), or undefined for `*` and wildcards. */
function arnAccount(resource: string): string | undefined {
  const parts = resource.split(':');
  return parts.length >= 5 && parts[3] && !parts[3].includes('*') ? parts[3] : undefined;
}

// Identity policies never grant access to another account's resources; STS AssumeRole is the cross-account door.
const CROSS_ACCOUNT_ACTIONS = new Set(['sts:assumerole']);

/** The decision for one caller and request: root owns its account; users and roles by their policies (and session policy). */
export function decide(world: World, caller: Caller, action: string, resource: string, context: Record<string, string | string[]> = {}): Decision {
  const owner = arnAccount(resource);
  if (owner && owner !== caller.accountId && !CROSS_ACCOUNT_ACTIONS.has(action.toLowerCase())) return 'ImplicitDeny';
  if (caller.type === 'root') return 'Allow';
  const request = { action, resource, context };
  const identity = evaluate(principalPolicies(world, caller), request);
  if (identity !== 'Allow' || caller.type !== 'assumed-role') return identity;
  const policy = sessionOf(world, caller.accessKeyId)?.policy;
  return policy ? evaluate(parsePolicyDocument(policy, 'session').Statement, request) : identity;
}

export function isAllowed(world: World, caller: Caller, action: string, resource: string, context?: Record<string, string | string[]>): boolean {
  return decide(world, caller, action, resource, context) === 'Allow';
}

/** Who asks to assume a role: a signed-in caller, a cloud service (ECS for a worker role), or an OIDC identity. */
export type TrustPrincipal =
  | { kind: 'caller'; caller: Caller }
  | { kind: 'service'; service: string }
  | { kind: 'federated'; providerArn: string };

function principalMatches(principal: Statement['Principal'], who: TrustPrincipal): boolean {
  if (!principal) return false;
  if (who.kind === 'service') return list(principal.Service).some((s) => s.toLowerCase() === who.service.toLowerCase());
  if (who.kind === 'federated') return list(principal.Federated).includes(who.providerArn);
  const c = who.caller;
  return list(principal.RAM).some((entry) => {
    const m = /^acs:ram::(\d+):(root|user\/(.+)|role\/(.+))$/.exec(entry);
    if (!m || m[1] !== c.accountId) return false;
    if (m[2] === 'root') return true; // any identity of that account; its own policies must still allow sts:AssumeRole
    if (m[3] !== undefined) return c.type === 'user' && c.userName === m[3];
    return c.type === 'assumed-role' && c.roleName?.toLowerCase() === m[4]!.toLowerCase();
  });
}

/** Whether a role's trust policy lets `who` assume it (conditions see `context`, e.g. oidc:iss/aud/sub, sts:ExternalId). */
export function trustAllows(role: { arn: string; assumeRolePolicyDocument: string }, who: TrustPrincipal, context: Record<string, string | string[]> = {}): boolean {
  let doc: PolicyDocument;
  try {
    doc = parsePolicyDocument(role.assumeRolePolicyDocument, 'trust');
  } catch {
    return false;
  }
  const mine = doc.Statement.filter((s) => principalMatches(s.Principal, who));
  return evaluate(mine, { action: 'sts:AssumeRole', resource: role.arn, context }) === 'Allow';
}

// ---- the authorizer: every non-root call is checked against the caller's policies -------------------------------

/** The RAM service code each product's actions are authorised under. */
export const RAM_CODES: Record<string, string> = { ram: 'ram', ims: 'ram', sts: 'sts', vpc: 'vpc', vpcpeer: 'vpc', cbn: 'cen', pvtz: 'pvtz', cr: 'cr', cs: 'cs', ecs: 'ecs' };

/** ARN of an ACR EE instance, namespace repository (`repository/<instance>/<ns>/<repo>`), or the account-wide `*`. */
export function crResourceArn(region: string, accountId: string, target: { instanceId?: string; namespace?: string; repository?: string } = {}): string {
  const base = `acs:cr:${region}:${accountId}:`;
  if (!target.instanceId) return `${base}*`;
  if (target.namespace === undefined) return `${base}instance/${target.instanceId}`;
  return `${base}repository/${target.instanceId}/${target.namespace}${target.repository === undefined ? '' : `/${target.repository}`}`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The resources an API call touches, as the product authenticates them (all must be allowed). */
function requestResources(caller: Caller, product: string, action: string, params: Record<string, unknown>, endpointRegion?: string): string[] {
  const uid = caller.accountId;
  const region = str(params.RegionId) ?? str(params.region_id) ?? endpointRegion ?? '*';
  if (product === 'ram' || product === 'ims') {
    const out: string[] = [];
    if (str(params.RoleName)) out.push(policyResourceArn(uid, 'role', String(params.RoleName)));
    if (str(params.UserName)) out.push(policyResourceArn(uid, 'user', String(params.UserName)));
    if (str(params.PolicyName)) out.push(policyResourceArn(uid, 'policy', String(params.PolicyName)));
    if (str(params.OIDCProviderName)) out.push(policyResourceArn(uid, 'oidc-provider', String(params.OIDCProviderName)));
    return out.length > 0 ? out : [`acs:ram:*:${uid}:*`];
  }
  if (product === 'cr') {
    // GetAuthorizationToken has no resource-level permission: its resource is the account-wide one (ACR's RAM rules).
    if (action === 'GetAuthorizationToken') return [crResourceArn(region, uid)];
    // Namespace and repository reads are authenticated on `repository/<instance>/<ns>[/<repo>]`; the rest on the instance.
    const ns = action === 'GetNamespace' ? str(params.NamespaceName) : action === 'GetRepository' ? str(params.RepoNamespaceName) : undefined;
    return [crResourceArn(region, uid, { instanceId: str(params.InstanceId), namespace: ns, repository: ns ? str(params.RepoName) : undefined })];
  }
  // Resource-level ARNs of the network and compute products are not modelled: policies there are written with `*`.
  return [`acs:${RAM_CODES[product] ?? product}:${region}:${uid}:*`];
}

/** The error each product answers a RAM denial with. */
function denial(product: string, caller: Caller, ramAction: string, resource: string): ApiError {
  switch (product) {
    case 'cr':
      return new ApiError('NoPrivilege', 'Access denied for this user.', 403);
    case 'vpc':
      return new ApiError('Forbidden', 'User not authorized to operate on the specified resource.', 403);
    case 'cs':
      // ACK's ROA answer, as the RRSA guide quotes it ("STSToken policy Forbidden for action cs:..."); "RAM" for users is assumed.
      return new ApiError('StatusForbidden', `${caller.type === 'assumed-role' ? 'STSToken' : 'RAM'} policy Forbidden for action ${ramAction}`, 403);
    case 'ecs':
    case 'vpcpeer':
    case 'cbn':
    case 'pvtz':
      // ECS and the POP gateway's generic RAM denial; assumed for VpcPeer, CEN and PrivateZone.
      return new ApiError('Forbidden.RAM', "User not authorized to operate on the specified resource, or this API doesn't support RAM.", 403);
    default:
      return new ApiError('NoPermission', `You are not authorized to do this action. Resource: ${resource} Action: ${ramAction}`, 403);
  }
}

/**
 * The server's authorize hook: root passes; a RAM user or role session must be allowed `<ramcode>:<Action>` on every
 * resource the call touches. STS is left to its handlers (GetCallerIdentity needs nothing; AssumeRole checks itself).
 */
export const authorize: Authorizer = (world, caller, product, action, params, region) => {
  if (caller.type === 'root' || product === 'sts') return;
  const ramAction = `${RAM_CODES[product] ?? product}:${action}`;
  for (const resource of requestResources(caller, product, action, params, region)) {
    if (!isAllowed(world, caller, ramAction, resource)) throw denial(product, caller, ramAction, resource);
  }
};
