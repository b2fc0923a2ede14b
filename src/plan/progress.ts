// Progress while applying: an ora spinner listing every running action on a terminal, plain lines otherwise.
import { Chalk, type ChalkInstance } from 'chalk';
import ora, { type Ora } from 'ora';

import { describeError } from '../errors.js';
import type { Action } from './action.js';
import type { ExecutionResult, ProgressReporter } from './execute.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** One line per event, for logs and CI. */
export class PlainReporter implements ProgressReporter {
  /** The last progress text per action: a poll that reports the same state again prints nothing. */
  private readonly last = new Map<string, string>();
  constructor(
    private readonly write: (line: string) => void,
    private readonly c: ChalkInstance = new Chalk({ level: 0 }),
  ) {}
  start(action: Action): void {
    this.write(`${action.id}: ${action.title} ...`);
  }
  update(action: Action, text: string): void {
    if (this.last.get(action.id) === text) return;
    this.last.set(action.id, text);
    this.write(`${action.id}: ${text}`);
  }
  succeed(action: Action, ms: number): void {
    this.write(`${this.c.green('✔')} ${action.id}: done (${seconds(ms)})`);
  }
  fail(action: Action, error: unknown, ms: number): void {
    this.write(`${this.c.red('✖')} ${action.id}: failed after ${seconds(ms)}: ${describeError(error)}`);
  }
  close(): void {}
}

/** One ora spinner whose text holds a line per running action; finished actions are printed above it. */
export class SpinnerReporter implements ProgressReporter {
  private readonly spinner: Ora;
  private readonly running = new Map<string, { action: Action; started: number; text?: string }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    stream: NodeJS.WriteStream,
    private readonly c: ChalkInstance,
    /** Keep a finished check's last progress text (its result) under its line; off when the caller prints the result. */
    private readonly options: { checkResults?: boolean } = {},
  ) {
    this.spinner = ora({ stream, discardStdin: false });
    // Refresh elapsed times once a second between events.
    this.timer = setInterval(() => this.refresh(), 1000);
    this.timer.unref();
  }

  private refresh(): void {
    if (this.running.size === 0) {
      if (this.spinner.isSpinning) this.spinner.stop();
      return;
    }
    const now = performance.now();
    this.spinner.text = [...this.running.values()]
      .map(({ action, started, text }) => `${action.title}${text ? ` — ${text}` : ''} ${this.c.dim(seconds(now - started))}`)
      .join('\n  ');
    if (!this.spinner.isSpinning) this.spinner.start();
  }

  private persist(symbol: string, text: string): void {
    this.spinner.stopAndPersist({ symbol, text });
    this.refresh();
  }

  start(action: Action): void {
    this.running.set(action.id, { action, started: performance.now() });
    this.refresh();
  }
  update(action: Action, text: string): void {
    const entry = this.running.get(action.id);
    if (entry) entry.text = text;
    this.refresh();
  }
  succeed(action: Action, ms: number): void {
    const last = this.running.get(action.id)?.text;
    this.running.delete(action.id);
    // A check's last word is its result (the test pull's `Successfully pulled image ...`): keep it on screen.
    const result = action.change === 'check' && last && this.options.checkResults !== false ? `\n  ${last}` : '';
    this.persist(this.c.green('✔'), `${action.title} ${this.c.dim(seconds(ms))}${result}`);
  }
  fail(action: Action, error: unknown, ms: number): void {
    this.running.delete(action.id);
    this.persist(this.c.red('✖'), `${action.title} ${this.c.dim(seconds(ms))}\n  ${describeError(error)}`);
  }
  close(): void {
    clearInterval(this.timer);
    if (this.spinner.isSpinning) this.spinner.stop();
  }
}

/** What happened, what failed and how to go on: printed after a failed apply. */
export function describeFailure(result: ExecutionResult, rerun: string, verb = 'Apply'): string {
  const lines: string[] = [];
  const total = result.done.length + result.failed.length + result.notStarted.length;
  lines.push(`${verb} stopped: ${result.done.length} of ${total} actions done, ${result.failed.length} failed, ${result.notStarted.length} not started.`);
  if (result.done.length > 0) lines.push(`Done: ${result.done.map((a) => a.id).join(', ')}.`);
  for (const { action, error } of result.failed) {
    lines.push(`Failed: ${action.id} (${action.title}, account ${action.account}): ${describeError(error)}`);
  }
  if (result.notStarted.length > 0) lines.push(`Not started: ${result.notStarted.map((a) => a.id).join(', ')}.`);
  lines.push(`Fix the cause and run \`${rerun}\` again: it finds what is already done and resumes from there.`);
  return lines.join('\n');
}
