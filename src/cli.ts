// The commander program: commands and flags. Command modules load lazily so --help and --version stay fast.
import { readFileSync } from 'node:fs';

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { STEPS } from './config/choices.js';
import { ACCOUNT_FLAGS, SETTING_FLAGS, type SettingFlag } from './config/flags.js';
import type { CommandName, GlobalOptions } from './commands/context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function settingOption(flag: SettingFlag): Option {
  // With choices, commander lists them after the description; the placeholder stays short.
  const placeholder = flag.choices ? flag.name.toUpperCase() : flag.value ?? 'VALUE';
  const spec = flag.kind === 'bool' ? `--${flag.name}` : `--${flag.name} <${placeholder}>`;
  const option = new Option(spec, flag.description);
  if (flag.choices) option.choices(flag.choices);
  if (flag.kind === 'list') option.argParser(collect);
  return option;
}

/** Runs a command module's `run` export, loaded only now. */
async function dispatch(name: CommandName, command: Command, args: unknown[] = []): Promise<void> {
  const { runCommand } = await import('./commands/run.js');
  process.exitCode = await runCommand(name, command.optsWithGlobals() as GlobalOptions, args);
}

export function buildProgram(): Command {
  const program = new Command('acr-xaccount')
    .description(
      'Let an ACK cluster in account A pull private images from an ACR Enterprise Edition instance in account B ' +
        'without image pull secrets: network, DNS, RAM roles, the credential helper, and a test pull.',
    )
    .version(packageVersion(), '-V, --version')
    .option('-c, --config <FILE>', 'config file', 'acr-xaccount.yaml')
    .option('--endpoint <PRODUCT=URL>', 'override a product endpoint (repeatable; products: ram vpc cs sts ims ecs cr cbn vpcpeer pvtz, or all)', collect)
    .option('--kubeconfig <FILE>', "kubeconfig for A's cluster (default: fetched with DescribeClusterUserKubeconfig)")
    .option('--sandbox', 'run against the embedded Alibaba Cloud simulator (no account needed)')
    .option('--sandbox-state <DIR>', 'where the simulator keeps its world (default ~/.acr-xaccount/sandbox)')
    .option('--sandbox-scenario <NAME>', 'world a fresh sandbox state starts from (see `sandbox scenarios`)')
    .option('--json', 'machine-readable output on stdout')
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--verbose', 'print every cloud call (secrets masked)')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true });
  for (const flag of ACCOUNT_FLAGS) program.addOption(settingOption(flag));

  const withSettings = (cmd: Command): Command => {
    for (const flag of SETTING_FLAGS) cmd.addOption(settingOption(flag));
    return cmd;
  };
  const stepOption = () =>
    new Option('--step <STEP>', `run only these steps (repeatable: ${STEPS.join(', ')})`).argParser((v: string, prev: string[] = []) => {
      if (!(STEPS as readonly string[]).includes(v)) throw new InvalidArgumentError(`accepted values: ${STEPS.join(', ')}.`);
      return [...prev, v];
    });

  withSettings(
    program
      .command('init')
      .description('interactive wizard: ask, save the config, show the plan, apply after one confirmation, verify')
      .option('--dry-run', 'show the plan and stop; no write call is made')
      .addOption(stepOption())
      .action(async (_opts, cmd: Command) => dispatch('init', cmd)),
  );
  withSettings(
    program
      .command('plan')
      .description('show what apply would change, without changing anything')
      .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are, 1 on error')
      .addOption(stepOption())
      .action(async (_opts, cmd: Command) => dispatch('plan', cmd)),
  );
  withSettings(
    program
      .command('apply')
      .description('apply the config: plan, confirm once, change, report')
      .option('--dry-run', 'show the plan and stop; no write call is made')
      .addOption(stepOption())
      .action(async (_opts, cmd: Command) => dispatch('apply', cmd)),
  );
  withSettings(
    program
      .command('verify')
      .description('pull a test image from B in the cluster and report the first broken link if it fails')
      .action(async (_opts, cmd: Command) => dispatch('verify', cmd)),
  );
  withSettings(
    program
      .command('doctor')
      .description('check an existing setup link by link (read-only)')
      .action(async (_opts, cmd: Command) => dispatch('doctor', cmd)),
  );
  withSettings(
    program
      .command('destroy')
      .description('remove exactly what acr-xaccount created, in reverse order')
      .option('--dry-run', 'show what would be removed and stop; no write call is made')
      .option('--remove-addon', 'also uninstall the credential helper add-on')
      .addOption(stepOption())
      .action(async (_opts, cmd: Command) => dispatch('destroy', cmd)),
  );
  const sandbox = program.command('sandbox').description('the embedded Alibaba Cloud and Kubernetes simulator');
  sandbox
    .command('serve')
    .description('run the simulator in the foreground and print its endpoints as one JSON line')
    .option('--port <N>', 'port to listen on (default: any free port)')
    .option('--state <FILE>', 'state file to load and save (default: state.json in --sandbox-state)')
    .option('--scenario <NAME>', 'world a fresh state starts from')
    .option('--latency <MS>', 'added latency per call')
    .option('--fault <SPEC>', 'inject a fault (repeatable)', collect)
    .action(async (_opts, cmd: Command) => dispatch('sandbox-serve', cmd));
  sandbox
    .command('reset')
    .description('forget the persisted sandbox state')
    .action(async (_opts, cmd: Command) => dispatch('sandbox-reset', cmd));
  sandbox
    .command('scenarios')
    .description('list the seeded scenarios (--json: their accounts, regions, IDs and repositories)')
    .action(async (_opts, cmd: Command) => dispatch('sandbox-scenarios', cmd));
  return program;
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with code 0; usage errors have already been printed by commander.
      return error.exitCode;
    }
    throw error;
  }
}
