// Which fields the wizard asks: never one a flag set; one the config file set only when its step is re-asked
// (`init --step auth`); one that is still missing (with --step: only the required ones outside those steps).
import type { StepName } from '../config/choices.js';
import { flagForPath } from '../config/flags.js';
import { getPath, type RawConfig } from '../config/load.js';
import { REQUIRED_SETTINGS } from './settings.js';

/** The part of the setup a field belongs to: a step, or the accounts, cluster and registry everything rests on. */
export type FieldGroup = StepName | 'accounts' | 'cluster' | 'registry';

export function groupOf(path: string): FieldGroup {
  if (path === 'accountA.profile' || path === 'accountB.profile' || path === 'accountB.roleArn') return 'accounts';
  if (path.startsWith('accountA.')) return 'cluster';
  if (path.startsWith('accountB.')) return 'registry';
  if (path === 'network.dns') return 'dns';
  return path.split('.')[0] as StepName;
}

export class AskPolicy {
  constructor(
    /** The config file's values with the flags laid over them. */
    private readonly given: RawConfig,
    /** Paths a flag set: never asked. */
    private readonly fromFlags: ReadonlySet<string>,
    /** Steps named with --step: their fields are asked again, the file's values offered as defaults. */
    private readonly steps: readonly StepName[] = [],
  ) {}

  value<T = unknown>(path: string): T | undefined {
    return getPath(this.given, path) as T | undefined;
  }

  text(path: string): string | undefined {
    const v = this.value(path);
    return v === undefined || v === null ? undefined : String(v);
  }

  /** Whether to ask this field. With --step, other steps' optional settings keep their defaults. */
  asks(path: string): boolean {
    if (this.fromFlags.has(path)) return false;
    if (this.steps.includes(groupOf(path) as StepName)) return true;
    return this.value(path) === undefined && (this.steps.length === 0 || (REQUIRED_SETTINGS as readonly string[]).includes(path));
  }

  /** Where a given value came from, for messages: `--auth rrsa` or `auth.mode: rrsa in the config file`. */
  origin(path: string): string {
    const value = this.text(path) ?? '';
    const flag = flagForPath(path);
    return this.fromFlags.has(path) && flag ? `--${flag.name} ${value}` : `${path}: ${value} in the config file`;
  }
}
