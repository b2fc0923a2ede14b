// The unit the user sees and approves: what will change, where, and how to do it.
import type { StepName } from '../config/choices.js';

export type Account = 'A' | 'B';
/** `check` runs like the others but changes nothing the user owns (the test pull): it never makes a plan "changed". */
export type ChangeKind = 'create' | 'update' | 'delete' | 'noop' | 'wait' | 'check';
export type ActionStep = StepName | 'preflight';

/** A value only the cloud can tell, once the action has run (an ID, an address). */
export class KnownAfterApply {
  readonly knownAfterApply = true;
}
export const knownAfterApply = (): KnownAfterApply => new KnownAfterApply();

/** A value that must never be shown: the plan says a secret will be sent, never which. */
export class Sensitive {
  readonly sensitive = true;
  // Kept off enumerable properties so JSON.stringify, util.inspect and spread never see it.
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): { sensitive: true } {
    return { sensitive: true };
  }
  toString(): string {
    return '(sensitive value)';
  }
}
export const sensitive = (value: string): Sensitive => new Sensitive(value);

/** An update of one field: shown as `before -> after`. */
export class FieldChange {
  constructor(
    readonly before: DetailValue,
    readonly after: DetailValue,
  ) {}
}
export const fieldChange = (before: DetailValue, after: DetailValue): FieldChange => new FieldChange(before, after);

export type DetailValue =
  | string
  | number
  | boolean
  | null
  | KnownAfterApply
  | Sensitive
  | FieldChange
  | DetailValue[]
  | { [key: string]: DetailValue };

export type Detail = Record<string, DetailValue>;

/** What a running action can tell the engine and read from the actions before it. */
export interface ApplyContext {
  /** Outputs of actions this one depends on, by action ID. */
  output<T = Record<string, unknown>>(actionId: string): T;
  /** Updates the action's progress line (e.g. "task running, 40%"). */
  progress(text: string): void;
  signal: AbortSignal;
}

export interface Action {
  /** Stable across runs, e.g. `auth.role-b`. */
  id: string;
  step: ActionStep;
  account: Account;
  /** One line, e.g. `Create RAM role acr-xaccount-puller`. */
  title: string;
  change: ChangeKind;
  /** What will be sent; secrets as Sensitive, unknowns as KnownAfterApply. */
  detail?: Detail;
  /** IDs of actions that must finish first. */
  dependsOn?: string[];
  /** Performs the change; may return outputs for dependent actions. Not called for `noop`. */
  apply?(ctx: ApplyContext): Promise<Record<string, unknown> | void>;
}
