// The few questions the wizard's flows ask, as an interface: Inquirer answers them in a terminal, a script in tests.

/** One option of a choice list. A `disabled` option is shown with its reason and cannot be picked. */
export interface Choice<T> {
  value: T;
  /** The line shown in the list. */
  name: string;
  /** Shown under the list while this option is highlighted. */
  description?: string;
  /** Why this option is not offered. */
  disabled?: string;
  /** What the answered prompt shows once picked (default: `name`). */
  short?: string;
}

/** How a note is styled in a terminal: plain, dimmed (tables), a recommendation, or a warning. */
export type Tone = 'plain' | 'dim' | 'good' | 'warn';

/** Every question has a stable `id` (e.g. `network.mode`): scripted answers and tests refer to it. */
interface Question {
  id: string;
  message: string;
}

export interface SelectQuestion<T> extends Question {
  choices: readonly Choice<T>[];
  default?: T;
}

/** `true` when the answer is acceptable, else the message shown under the prompt. */
export type Validator = (value: string) => true | string | Promise<true | string>;

export interface InputQuestion extends Question {
  default?: string;
  validate?: Validator;
}

export interface ConfirmQuestion extends Question {
  default?: boolean;
}

export interface Prompter {
  select<T>(question: SelectQuestion<T>): Promise<T>;
  input(question: InputQuestion): Promise<string>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
  /** A line of explanation between questions (comparisons, recommendations, what was found). */
  note(text: string, tone?: Tone): void;
  /** Runs a lookup while showing `text` (a spinner in a terminal); Ctrl-C during it cancels the wizard. */
  busy<T>(text: string, work: Promise<T>): Promise<T>;
}

/** The user pressed Ctrl-C: the wizard stops, and nothing has been written. */
export class WizardCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'WizardCancelled';
  }
}

/** The option preselected: the question's default when it can be picked, else the first option that can. */
export function preselected<T>(q: SelectQuestion<T>): T | undefined {
  const usable = q.choices.filter((c) => !c.disabled);
  return usable.some((c) => c.value === q.default) ? q.default : usable[0]?.value;
}
