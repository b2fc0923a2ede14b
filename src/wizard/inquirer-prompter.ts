// The Prompter for a person at a terminal: Inquirer prompts and an ora spinner on stderr (stdout stays clean).
import type { ChalkInstance } from 'chalk';

import type { Choice, ConfirmQuestion, InputQuestion, Prompter, SelectQuestion, Tone } from './prompter.js';
import { preselected, WizardCancelled } from './prompter.js';

const prompts = () => import('@inquirer/prompts');

/** Inquirer rejects with these when the user presses Ctrl-C or the signal aborts the prompt. */
function isCancellation(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError';
}

export class InquirerPrompter implements Prompter {
  private readonly abort = new AbortController();
  private readonly onSigint = () => this.abort.abort();

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly c: ChalkInstance,
  ) {
    // Between prompts the terminal is in cooked mode, so Ctrl-C arrives as SIGINT: cancel instead of dying mid-lookup.
    process.on('SIGINT', this.onSigint);
  }

  /** Stops listening for Ctrl-C; later phases (apply) handle it their own way. */
  dispose(): void {
    process.off('SIGINT', this.onSigint);
  }

  private async ask<T>(run: (context: { output: NodeJS.WriteStream; signal: AbortSignal }) => Promise<T>): Promise<T> {
    if (this.abort.signal.aborted) throw new WizardCancelled();
    try {
      return await run({ output: this.stream, signal: this.abort.signal });
    } catch (error) {
      if (isCancellation(error)) throw new WizardCancelled();
      throw error;
    }
  }

  async select<T>(q: SelectQuestion<T>): Promise<T> {
    const { select } = await prompts();
    const choices = q.choices.map((choice: Choice<T>) => ({
      value: choice.value,
      name: choice.name,
      short: choice.short,
      description: choice.description,
      disabled: choice.disabled ? `— ${choice.disabled}` : false,
    }));
    return this.ask((context) => select<T>({ message: q.message, choices, default: preselected(q), pageSize: 12, loop: false }, context));
  }

  async input(q: InputQuestion): Promise<string> {
    const { input } = await prompts();
    return this.ask((context) => input({ message: q.message, default: q.default, validate: q.validate }, context));
  }

  async confirm(q: ConfirmQuestion): Promise<boolean> {
    const { confirm } = await prompts();
    return this.ask((context) => confirm({ message: q.message, default: q.default ?? false }, context));
  }

  note(text: string, tone: Tone = 'plain'): void {
    const style = { plain: (t: string) => t, dim: this.c.dim, good: this.c.green, warn: this.c.yellow }[tone];
    this.stream.write(`${style(text)}\n`);
  }

  async busy<T>(text: string, work: Promise<T>): Promise<T> {
    if (this.abort.signal.aborted) throw new WizardCancelled();
    const { default: ora } = await import('ora');
    const spinner = ora({ text: this.c.dim(text), stream: this.stream, discardStdin: false }).start();
    let onAbort = () => {};
    const cancelled = new Promise<never>((_, reject) => {
      onAbort = () => reject(new WizardCancelled());
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work, cancelled]);
    } finally {
      this.abort.signal.removeEventListener('abort', onAbort);
      spinner.stop();
    }
  }
}
