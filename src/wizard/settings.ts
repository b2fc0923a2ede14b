// The settings around the wizard: which required ones are missing (named by their flags, for runs without a
// terminal), what is saved (no one-shot flags), and the same answers as a command line.
import { ACCOUNT_FLAGS, SETTING_FLAGS, flagForPath, type SettingFlag } from '../config/flags.js';
import { getPath, type RawConfig } from '../config/load.js';

/** Settings without a default: init cannot plan until each has a value. */
export const REQUIRED_SETTINGS = [
  'accountA.region',
  'accountA.clusterId',
  'accountB.region',
  'accountB.instanceId',
  'network.mode',
  'auth.mode',
  'addon.edition',
] as const;

/** Flags that ask for an action this run (not a lasting setting): never saved to the config file. */
const ONE_SHOT = ['auth.rotateKey', 'addon.replaceEdition'];

const usage = (flag: SettingFlag) => `--${flag.name} ${flag.choices ? flag.choices.join('|') : (flag.value ?? '')}`.trimEnd() + ` (${flag.description})`;

/** One line per missing section or field, each naming the flags that fill it. */
export function missingSettings(raw: RawConfig): string[] {
  const missing = REQUIRED_SETTINGS.filter((path) => getPath(raw, path) === undefined);
  const bySection = new Map<string, string[]>();
  for (const path of missing) {
    const section = path.split('.')[0]!;
    bySection.set(section, [...(bySection.get(section) ?? []), path]);
  }
  return [...bySection].map(([section, paths]) => {
    const flags = paths.map((path) => usage(flagForPath(path)!)).join(' and ');
    const what = getPath(raw, section) === undefined ? section : paths.join(', ');
    return `${what} is missing: pass ${flags}`;
  });
}

/** What init saves: the settings without one-shot flags (a saved --rotate-key would rotate on every apply). */
export function settingsToSave(raw: RawConfig, fromFlags: ReadonlySet<string>): RawConfig {
  const out = structuredClone(raw);
  for (const path of ONE_SHOT) {
    if (!fromFlags.has(path)) continue;
    const [section, key] = path.split('.') as [string, string];
    const parent = out[section];
    if (parent && typeof parent === 'object') delete (parent as RawConfig)[key];
  }
  return out;
}

const quote = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`);

/** The answers as flags, e.g. `--cluster-id c123 --network peering`: the same run without questions. */
export function settingsAsFlags(answers: RawConfig): string {
  const parts: string[] = [];
  for (const flag of [...ACCOUNT_FLAGS, ...SETTING_FLAGS]) {
    const value = getPath(answers, flag.path);
    if (value === undefined) continue;
    if (flag.kind === 'bool') {
      if (value === true) parts.push(`--${flag.name}`);
    } else if (Array.isArray(value)) {
      for (const item of value) parts.push(`--${flag.name} ${quote(String(item))}`);
    } else {
      parts.push(`--${flag.name} ${quote(String(value))}`);
    }
  }
  return parts.join(' ');
}
