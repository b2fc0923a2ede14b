// What every command receives: parsed options and a small output surface (stdout for results, stderr for the rest).
import { Chalk, type ChalkInstance } from 'chalk';

export type CommandName =
  | 'init'
  | 'plan'
  | 'apply'
  | 'verify'
  | 'doctor'
  | 'destroy'
  | 'sandbox-serve'
  | 'sandbox-reset'
  | 'sandbox-scenarios';

/** commander's parsed options, global and per command (setting flags by their camelCase names). */
export interface GlobalOptions extends Record<string, unknown> {
  config: string;
  endpoint?: string[];
  kubeconfig?: string;
  sandbox?: boolean;
  sandboxState?: string;
  sandboxScenario?: string;
  json?: boolean;
  color?: boolean;
  yes?: boolean;
  verbose?: boolean;
  dryRun?: boolean;
  step?: string[];
  detailedExitcode?: boolean;
  removeAddon?: boolean;
}

export interface Ui {
  /** Results: the plan, the report, JSON. */
  out(text: string): void;
  /** Progress, notes, errors. */
  err(text: string): void;
  c: ChalkInstance;
  color: boolean;
  json: boolean;
  /** A person can answer prompts: stdin and stderr are terminals. */
  interactive: boolean;
  stderr: NodeJS.WriteStream;
}

export interface CommandContext {
  name: CommandName;
  options: GlobalOptions;
  args: unknown[];
  ui: Ui;
  /** Run when the command ends, whatever happened (e.g. stop the in-process sandbox and save its world). */
  cleanup: (() => Promise<void>)[];
}

export function createUi(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Ui {
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const color = options.color !== false && !noColorEnv && !options.json && Boolean(process.stdout.isTTY) && env.TERM !== 'dumb';
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    c: new Chalk({ level: color ? 1 : 0 }),
    color,
    json: Boolean(options.json),
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    stderr: process.stderr,
  };
}
