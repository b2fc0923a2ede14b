// `doctor`: the link-by-link check of a setup. It runs the steps' own discovery (reads only), turns their facts,
// preflight problems and planned actions into lines, and adds the checks no planner states on its own.
import type { Config } from '../config/schema.js';
import type { StepName } from '../config/choices.js';
import type { Identities } from '../cloud/identity.js';
import * as ims from '../cloud/ims.js';
import * as ram from '../cloud/ram.js';
import type { PolicyDocument } from '../cloud/ram.js';
import type { AddonFacts } from '../steps/addon/facts.js';
import type { AuthFacts } from '../steps/auth/facts.js';
import { discoverBase } from '../steps/discover.js';
import { loadStep, type StepEntry } from '../steps/index.js';
import type { NetworkFacts } from '../steps/network/facts.js';
import type { BaseFacts, StepClients } from '../steps/step.js';
import { addonInstalledCheck } from './addon-checks.js';
import {
  accessKeyCheck,
  assumePolicyCheck,
  identityCheck,
  pullPolicyCheck,
  roleATrustCheck,
  roleBTrustCheck,
  rrsaChecks,
  sessionDurationCheck,
  supportCheck,
} from './auth-checks.js';
import type { Check } from './check.js';
import { addressConflictCheck } from './network-checks.js';
import { actionChecks, discoverFailure, preflightChecks } from './step-checks.js';

export type { Check } from './check.js';
export { exitCode } from './check.js';

/** The steps doctor checks (verify pulls an image, which is not a read). */
export const DOCTOR_STEPS: readonly StepName[] = ['network', 'dns', 'auth', 'addon'];

interface StepResult {
  name: StepName;
  facts?: unknown;
  checks: Check[];
}

export async function runDoctor(config: Config, identities: Identities, clients: StepClients, entries: readonly StepEntry[]): Promise<Check[]> {
  const ready = await Promise.all(entries.filter((e) => DOCTOR_STEPS.includes(e.name)).map(async (e) => ({ name: e.name, module: await loadStep(e) })));
  // The steps checked are the ones planned together (the auth and add-on steps read which of them run).
  const base = await discoverBase(config, identities, clients, ready.map(({ name }) => name));
  const settled = await Promise.all(ready.map(({ module }) => module.discover(config, base, clients).then((facts) => ({ facts }), (error: unknown) => ({ error }))));
  const auth = settledFacts<AuthFacts>(ready, settled, 'auth');
  const assumeDocuments = auth ? await holderDocuments(config, auth, clients) : [];
  const provider = config.auth.mode === 'rrsa' && base.cluster.rrsa.enabled && base.cluster.rrsa.oidcName ? await ims.getOIDCProvider(clients.A, base.cluster.rrsa.oidcName) : undefined;
  const results: StepResult[] = ready.map(({ name, module }, i) => {
    const s = settled[i]!;
    if ('error' in s) return { name, checks: [discoverFailure(name, s.error)] };
    const problems = module.preflight(config, s.facts, base);
    // Auth's links have explicit lines below; its planned noops would only repeat them.
    const planned = problems.length > 0 ? [] : actionChecks(name, module.plan(config, s.facts, base, clients), { okLines: name !== 'auth' });
    return { name, facts: s.facts, checks: [...preflightChecks(name, problems), ...planned] };
  });
  const factsOf = <T>(name: StepName) => results.find((r) => r.name === name)?.facts as T | undefined;
  const checks: Check[] = [identityCheck(base), supportCheck(config, base)];
  if (auth) checks.push(...authChecks(config, auth, base, provider, assumeDocuments));
  const addon = factsOf<AddonFacts>('addon');
  if (addon) checks.push(addonInstalledCheck(config, addon));
  const network = factsOf<NetworkFacts>('network');
  const conflict = network && addressConflictCheck(network);
  if (conflict) checks.push(conflict);
  for (const r of results) checks.push(...r.checks.filter((c) => !repeats(c, checks)));
  return checks;
}

/** The auth planner's actions and the explicit line that already reports the same link. */
const COVERED_BY: Record<string, string> = {
  'auth.rrsa': 'auth.rrsa',
  'auth.role-a': 'auth.role-a-trust',
  'auth.policy-a': 'auth.assume-policy',
  'auth.role-a-policy': 'auth.assume-policy',
  'auth.role-b': 'auth.role-b-trust',
  'auth.policy-b': 'auth.pull-policy',
  'auth.role-b-policy': 'auth.pull-policy',
  'auth.user-policy': 'auth.pull-policy',
  'auth.access-key': 'auth.access-key',
};

/** A planned change whose link an explicit line already reports as not ok (one link, one line). */
function repeats(check: Check, explicit: readonly Check[]): boolean {
  const id = COVERED_BY[check.id];
  return id !== undefined && explicit.some((c) => c.id === id && c.status !== 'ok');
}

function settledFacts<T>(ready: readonly { name: StepName }[], settled: readonly ({ facts: unknown } | { error: unknown })[], name: StepName): T | undefined {
  const s = settled[ready.findIndex((r) => r.name === name)];
  return s && 'facts' in s ? (s.facts as T) : undefined;
}

/** The default documents of the custom policies on role A (or the worker role), in `attached` order: a hand-made
 * setup may name its assume policy anything. */
async function holderDocuments(config: Config, f: AuthFacts, clients: StepClients): Promise<(PolicyDocument | undefined)[]> {
  const holder = config.auth.mode === 'rrsa' ? f.roleA : config.auth.mode === 'worker-role' ? f.workerRole : undefined;
  return Promise.all(
    (holder?.attached ?? []).map(async (p) =>
      p.policyType === 'Custom' ? (await ram.listPolicyVersions(clients.A, p.policyName)).find((v) => v.isDefaultVersion)?.document : undefined,
    ),
  );
}

function authChecks(config: Config, f: AuthFacts, base: BaseFacts, provider: ims.OidcProvider | undefined, assumeDocuments: readonly (PolicyDocument | undefined)[]): Check[] {
  const rrsa = config.auth.mode === 'rrsa';
  return [
    ...(rrsa ? rrsaChecks(base, provider) : []),
    ...(rrsa ? [roleATrustCheck(config, f, base)] : []),
    assumePolicyCheck(config, f, base, assumeDocuments),
    roleBTrustCheck(config, f, base),
    pullPolicyCheck(config, f),
    sessionDurationCheck(config, f),
    accessKeyCheck(config, f),
  ].filter((c): c is Check => c !== undefined);
}
