// Authorization (RRSA, worker role, AccessKey) and the add-on edition: only what the cluster supports is offered.
import type { AddonEdition, AuthMode } from '../../config/choices.js';
import { EXPIRE_DURATION_MAX, EXPIRE_DURATION_MIN } from '../../config/choices.js';
import { UserError } from '../../errors.js';
import { AUTH_COMPARISON, optionLabel, renderComparison } from '../comparisons.js';
import type { AskPolicy } from '../policy.js';
import type { Prompter } from '../prompter.js';
import { recommendAuth, recommendEdition } from '../recommend.js';
import type { ClusterInfo } from '../sources.js';
import { expireDuration, kubeNames, splitList } from '../validate.js';
import { askRecommended } from './recommended.js';

export interface AuthAnswer {
  config: { auth?: { mode?: AuthMode; expireDuration?: number } };
  mode: AuthMode;
}

export interface AddonAnswer {
  config: { addon?: { edition?: AddonEdition; watchNamespaces?: string[]; serviceAccounts?: string[] } };
  edition: AddonEdition;
}

const ACCESS_KEY_WARNING =
  'AccessKey mode stores a long-lived AccessKey secret of a RAM user of B in the cluster, readable by anyone who can read ' +
  'kube-system ConfigMaps (seed: "quick demos and non-production deployments").';

/** `fixedEdition`: the edition when it is not asked now (from a flag or the file), which narrows the methods. */
export async function askAuth(p: Prompter, policy: AskPolicy, cluster: ClusterInfo, fixedEdition?: AddonEdition): Promise<AuthAnswer> {
  const rec = recommendAuth(cluster, fixedEdition);
  const given = policy.text('auth.mode') as AuthMode | undefined;
  const config: AuthAnswer['config'] = {};
  let mode: AuthMode;
  if (policy.asks('auth.mode')) {
    for (const line of renderComparison(AUTH_COMPARISON)) p.note(line, 'dim');
    for (;;) {
      mode = await askRecommended(p, { id: 'auth.mode', message: 'Authorization', label: (m) => optionLabel(AUTH_COMPARISON, m), current: given }, rec);
      if (mode !== 'access-key') break;
      p.note(`  ${ACCESS_KEY_WARNING}`, 'warn');
      if (await p.confirm({ id: 'auth.accessKeyRisk', message: 'Use AccessKey mode anyway?', default: false })) break;
    }
    config.auth = { mode };
  } else {
    mode = given!;
    const refused = rec.options.find((o) => o.value === mode)?.disabled;
    if (refused) throw new UserError(`${policy.origin('auth.mode')} cannot work on this cluster: ${refused}. Recommended: ${rec.recommended ?? 'none'}.`);
  }
  const note = rec.options.find((o) => o.value === mode)?.note;
  if (note) p.note(`  ${note} (ModifyCluster; it takes a few minutes).`);
  // The helper asks STS for credentials of this lifetime; AccessKey mode has none.
  if (mode !== 'access-key' && policy.asks('auth.expireDuration')) {
    p.note("  The helper renews its STS credentials before they expire; role B's MaxSessionDuration is raised to match.");
    const seconds = await p.input({
      id: 'auth.expireDuration',
      message: `Lifetime of the temporary credentials, seconds ${EXPIRE_DURATION_MIN}..${EXPIRE_DURATION_MAX}`,
      default: policy.text('auth.expireDuration') ?? String(EXPIRE_DURATION_MIN),
      validate: expireDuration,
    });
    config.auth = { ...config.auth, expireDuration: Number(seconds) };
  }
  return { config, mode };
}

export async function askAddon(p: Prompter, policy: AskPolicy, cluster: ClusterInfo, auth: AuthMode): Promise<AddonAnswer> {
  const rec = recommendEdition(cluster, auth);
  const given = policy.text('addon.edition') as AddonEdition | undefined;
  const addon: NonNullable<AddonAnswer['config']['addon']> = {};
  let edition: AddonEdition;
  if (policy.asks('addon.edition')) {
    const labels: Record<AddonEdition, string> = {
      managed: 'managed       ACK installs and upgrades it',
      'self-managed': 'self-managed  you upgrade it; configured by the acr-configuration ConfigMap',
    };
    edition = await askRecommended(p, { id: 'addon.edition', message: 'aliyun-acr-credential-helper edition', label: (e) => labels[e], current: given }, rec);
    addon.edition = edition;
  } else {
    edition = given!;
    const refused = rec.options.find((o) => o.value === edition)?.disabled;
    if (refused) throw new UserError(`${policy.origin('addon.edition')} cannot work: the ${edition} edition ${refused}.`);
  }
  if (policy.asks('addon.watchNamespaces')) {
    const answer = await p.input({
      id: 'addon.watchNamespaces',
      message: 'Namespaces the helper watches, comma-separated or "all"',
      default: (policy.value<string[]>('addon.watchNamespaces') ?? ['all']).join(', '),
      validate: kubeNames(true),
    });
    addon.watchNamespaces = splitList(answer);
  }
  if (policy.asks('addon.serviceAccounts')) {
    p.note('  Pods running as these service accounts (in every watched namespace) pull from B; "default" is the one each namespace has.');
    const answer = await p.input({
      id: 'addon.serviceAccounts',
      message: 'Service accounts the helper gives registry credentials to, comma-separated',
      default: (policy.value<string[]>('addon.serviceAccounts') ?? ['default']).join(', '),
      validate: kubeNames(false),
    });
    addon.serviceAccounts = splitList(answer);
  }
  return { config: Object.keys(addon).length > 0 ? { addon } : {}, edition };
}
