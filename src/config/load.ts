// Reads the config file, lays flags over it, validates, and saves it back without losing the user's comments.
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { isMap, parseDocument, stringify } from 'yaml';
import type { z } from 'zod';

import { ConfigError, UserError } from '../errors.js';
import { ACCOUNT_FLAGS, SETTING_FLAGS, flagAttribute, flagForPath, type SettingFlag } from './flags.js';
import { API_VERSION, configSchema, type Config } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'acr-xaccount.yaml';

export type RawConfig = Record<string, unknown>;

/** Where each field's value came from, so errors can point at the flag or the file. */
export type Sources = Map<string, string>;

export interface LoadedConfig {
  raw: RawConfig;
  sources: Sources;
  file: string;
  fileExists: boolean;
}

/** Key names that would hold a secret; a config file never carries one. */
const SECRET_KEY = /secret|password|token|privatekey|accesskeyid/i;

export async function readConfigFile(file: string): Promise<{ raw: RawConfig; exists: boolean }> {
  if (!existsSync(file)) return { raw: {}, exists: false };
  const text = await readFile(file, 'utf8');
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new UserError(`config ${file} is not valid YAML: ${doc.errors[0]!.message}\nFix the file or remove it and run \`acr-xaccount init\`.`);
  }
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`config ${file} must be a YAML mapping (apiVersion: ${API_VERSION}, accountA: ..., accountB: ...).`);
  }
  return { raw: value as RawConfig, exists: true };
}

export function getPath(obj: RawConfig, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as RawConfig)[k] : undefined), obj);
}

export function setPath(obj: RawConfig, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = obj;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as RawConfig;
  }
  node[keys.at(-1)!] = value;
}

function parseFlagValue(flag: SettingFlag, value: unknown): unknown {
  switch (flag.kind) {
    case 'int': {
      const text = String(value);
      if (!/^-?\d+$/.test(text)) {
        throw new UserError(`--${flag.name}: expected a whole number, got "${text}".`);
      }
      return Number(text);
    }
    case 'list': {
      const items = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
      return items.map((s) => s.trim()).filter(Boolean);
    }
    case 'bool':
      return Boolean(value);
    default:
      return String(value);
  }
}

/** Lays commander's parsed options over the file's values; flags win. */
export function applyFlags(raw: RawConfig, options: Record<string, unknown>, sources: Sources): RawConfig {
  const merged = structuredClone(raw);
  for (const flag of [...ACCOUNT_FLAGS, ...SETTING_FLAGS]) {
    const value = options[flagAttribute(flag.name)];
    if (value === undefined) continue;
    setPath(merged, flag.path, parseFlagValue(flag, value));
    sources.set(flag.path, `--${flag.name}`);
  }
  return merged;
}

/** Fills what `base` lacks from `defaults`, recursively; arrays and values in `base` win. */
function withDefaults(base: RawConfig, defaults: RawConfig): RawConfig {
  const out: RawConfig = { ...defaults, ...base };
  for (const [key, value] of Object.entries(defaults)) {
    const mine = base[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && mine && typeof mine === 'object' && !Array.isArray(mine)) {
      out[key] = withDefaults(mine as RawConfig, value as RawConfig);
    }
  }
  return out;
}

/**
 * The file's values, flags over them, and `defaults` (e.g. IDs from the sandbox scenario) beneath both.
 */
export async function loadConfig(file: string, options: Record<string, unknown>, defaults: RawConfig = {}): Promise<LoadedConfig> {
  const { raw, exists } = await readConfigFile(file);
  const sources: Sources = new Map();
  const merged = applyFlags(withDefaults(raw, defaults), options, sources);
  merged.apiVersion ??= API_VERSION;
  return { raw: merged, sources, file, fileExists: exists };
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value);
}

function formatIssue(issue: z.core.$ZodIssue, loaded: LoadedConfig): string {
  const path = issue.path.map(String).join('.');
  const value = getPath(loaded.raw, path);
  const from = loaded.sources.get(path) ?? (loaded.fileExists ? loaded.file : undefined);
  const flag = flagForPath(path);
  const where = from ? ` (from ${from})` : '';
  if (issue.code === 'invalid_type' && value === undefined) {
    const fix = flag ? `pass --${flag.name} or set ${path} in ${loaded.file}` : `set ${path} in ${loaded.file}`;
    return `${path} is missing: ${fix}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys;
    const secret = keys.some((k) => SECRET_KEY.test(k));
    const at = path ? `${path}.` : '';
    return (
      `unknown field ${keys.map((k) => at + k).join(', ')}${where}` +
      (secret
        ? ': secrets never go in the config file; use an aliyun CLI profile (--profile-a/--profile-b) or environment variables'
        : ': remove it, or check its spelling against schema/acr-xaccount.schema.json')
    );
  }
  if (issue.code === 'invalid_value') {
    return `${path}${where}: got ${describeValue(value)}; accepted values: ${issue.values.map(String).join(', ')}`;
  }
  return `${path || '(top level)'}${where}: got ${describeValue(value)}; ${issue.message}`;
}

/** Validates a loaded config; every problem names the field, the bad value and what is accepted. */
export function validateConfig(loaded: LoadedConfig): Config {
  const result = configSchema.safeParse(loaded.raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => formatIssue(issue, loaded));
  throw new ConfigError(problems, loaded.fileExists ? loaded.file : undefined);
}

/** A copy without the fields of one-run flags (--rotate-key, ...): saving them would repeat them on every run. */
export function withoutOneShotFlags(config: RawConfig): RawConfig {
  const copy = structuredClone(config);
  for (const flag of SETTING_FLAGS.filter((f) => f.oneShot)) {
    const keys = flag.path.split('.');
    const parent = getPath(copy, keys.slice(0, -1).join('.'));
    if (parent && typeof parent === 'object') delete (parent as RawConfig)[keys.at(-1)!];
  }
  return copy;
}

/** Throws if any key anywhere looks like it would hold a secret. */
export function assertNoSecrets(value: unknown, path = ''): void {
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (SECRET_KEY.test(key)) throw new UserError(`refusing to save ${here}: secrets never go in the config file.`);
    assertNoSecrets(child, here);
  }
}

/**
 * Saves the config, merging into an existing file so the user's comments and key order survive.
 * Written to a temporary file and renamed, so a crash never leaves half a file.
 */
export async function saveConfig(file: string, input: RawConfig): Promise<void> {
  const config = withoutOneShotFlags(input);
  assertNoSecrets(config);
  let text: string;
  if (existsSync(file)) {
    const doc = parseDocument(await readFile(file, 'utf8'));
    const setLeaves = (value: unknown, path: string[]): void => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) setLeaves(v, [...path, k]);
        return;
      }
      if (value === undefined) return;
      const parent = path.length > 1 ? doc.getIn(path.slice(0, -1)) : doc.contents;
      if (path.length > 1 && parent !== undefined && !isMap(parent)) doc.deleteIn(path.slice(0, -1));
      doc.setIn(path, value);
    };
    setLeaves(config, []);
    text = doc.toString();
  } else {
    text = `# acr-xaccount configuration; see schema/acr-xaccount.schema.json. Holds no secrets.\n${stringify(config)}`;
  }
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, file);
}
