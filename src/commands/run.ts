// Loads one command module, runs it, and turns errors into a message and an exit code.
import { describeError, UserError } from '../errors.js';
import { redact } from '../secrets.js';
import { createUi, type CommandContext, type CommandName, type GlobalOptions } from './context.js';

type CommandModule = { run(ctx: CommandContext): Promise<number> };

const COMMANDS: Record<CommandName, () => Promise<CommandModule>> = {
  init: () => import('./init.js'),
  plan: () => import('./plan.js'),
  apply: () => import('./apply.js'),
  verify: () => import('./verify.js'),
  doctor: () => import('./doctor.js'),
  destroy: () => import('./destroy.js'),
  'sandbox-serve': () => import('./sandbox.js').then((m) => ({ run: m.serve })),
  'sandbox-reset': () => import('./sandbox.js').then((m) => ({ run: m.reset })),
  'sandbox-scenarios': () => import('./sandbox.js').then((m) => ({ run: m.scenarios })),
};

export async function runCommand(name: CommandName, options: GlobalOptions, args: unknown[]): Promise<number> {
  const ui = createUi(options);
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const module = await COMMANDS[name]();
    return await module.run({ name, options, args, ui, cleanup });
  } catch (error) {
    if (error instanceof UserError) {
      ui.err(`${ui.c.red('error:')} ${redact(error.message)}`);
      // Scripts reading --json get a document on stdout either way.
      if (ui.json) ui.out(JSON.stringify({ error: { message: redact(error.message), exitCode: error.exitCode } }));
      return error.exitCode;
    }
    ui.err(`${ui.c.red('unexpected error:')} ${redact(describeError(error))}`);
    if (options.verbose && error instanceof Error && error.stack) ui.err(redact(error.stack));
    else ui.err('Run again with --verbose for details, and report it if it persists.');
    return 1;
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}
