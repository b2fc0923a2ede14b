// A Prompter that answers from a script: unit tests drive the flows with it and read back what was asked.
import type { Choice, ConfirmQuestion, InputQuestion, Prompter, SelectQuestion, Tone } from './prompter.js';
import { preselected } from './prompter.js';

/** A scripted answer: a value, or several tried in turn (an input answer the validator refuses moves to the next). */
export type ScriptedAnswer = string | boolean | number | readonly (string | boolean | number)[];

export interface AskedQuestion {
  id: string;
  kind: 'select' | 'input' | 'confirm';
  message: string;
  /** For selects: every option, and why the disabled ones are not offered. */
  choices?: { value: unknown; name: string; disabled?: string }[];
  default?: unknown;
  answer?: unknown;
  /** Messages the validator showed for refused answers, in order. */
  refused: string[];
}

export class ScriptedPrompter implements Prompter {
  readonly asked: AskedQuestion[] = [];
  readonly notes: string[] = [];
  private readonly queues = new Map<string, (string | boolean | number)[]>();

  /** `answers` by question id; a question without an answer takes its default, and without one fails the test. */
  constructor(answers: Record<string, ScriptedAnswer> = {}) {
    for (const [id, answer] of Object.entries(answers)) this.queues.set(id, Array.isArray(answer) ? [...answer] : [answer as string]);
  }

  private next(id: string): string | boolean | number | undefined {
    return this.queues.get(id)?.shift();
  }

  /** Question ids in the order they were asked. */
  get ids(): string[] {
    return this.asked.map((q) => q.id);
  }

  question(id: string): AskedQuestion | undefined {
    return this.asked.find((q) => q.id === id);
  }

  async select<T>(q: SelectQuestion<T>): Promise<T> {
    const record: AskedQuestion = {
      id: q.id, kind: 'select', message: q.message, default: q.default, refused: [],
      choices: q.choices.map((c: Choice<T>) => ({ value: c.value, name: c.name, disabled: c.disabled })),
    };
    this.asked.push(record);
    const scripted = this.next(q.id);
    const value = scripted === undefined ? preselected(q) : scripted;
    const choice = q.choices.find((c) => c.value === value);
    if (!choice) throw new Error(`${q.id}: "${String(value)}" is not among the choices ${q.choices.map((c) => String(c.value)).join(', ')}`);
    if (choice.disabled) throw new Error(`${q.id}: "${String(value)}" is not offered: ${choice.disabled}`);
    record.answer = value;
    return choice.value;
  }

  async input(q: InputQuestion): Promise<string> {
    const record: AskedQuestion = { id: q.id, kind: 'input', message: q.message, default: q.default, refused: [] };
    this.asked.push(record);
    for (;;) {
      const scripted = this.next(q.id);
      const value = scripted === undefined ? q.default : String(scripted);
      if (value === undefined) throw new Error(`${q.id}: no scripted answer and no default (${q.message})`);
      const verdict = q.validate ? await q.validate(value) : true;
      if (verdict === true) {
        record.answer = value;
        return value;
      }
      record.refused.push(verdict);
      if (scripted === undefined) throw new Error(`${q.id}: the default "${value}" was refused: ${verdict}`);
    }
  }

  async confirm(q: ConfirmQuestion): Promise<boolean> {
    const record: AskedQuestion = { id: q.id, kind: 'confirm', message: q.message, default: q.default, refused: [] };
    this.asked.push(record);
    const scripted = this.next(q.id);
    const value = scripted === undefined ? q.default ?? false : scripted === true || scripted === 'true' || scripted === 'y';
    record.answer = value;
    return value;
  }

  note(text: string, _tone?: Tone): void {
    this.notes.push(text);
  }

  async busy<T>(_text: string, work: Promise<T>): Promise<T> {
    return work;
  }
}
