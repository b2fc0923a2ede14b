// `init`: the settings from the file and flags, the wizard for what is missing (or for the steps named with
// --step), the config saved, then plan -> confirm -> apply. Without a terminal it never guesses: it names the flags.
import { resolve } from 'node:path';

import { DEFAULT_CONFIG_FILE, loadConfig, saveConfig, validateConfig, type LoadedConfig, type RawConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { StepName } from '../config/choices.js';
import { ConfigError, UserError } from '../errors.js';
import { formatCallRecord } from '../cloud/call-log.js';
import { confirmIdentities, maskAccountId } from '../cloud/identity.js';
import { parseEndpointOverrides } from '../cloud/products.js';
import { Cloud } from '../cloud/session.js';
import { confirmApply } from '../wizard/confirm.js';
import { CloudSources } from '../wizard/discover.js';
import { InquirerPrompter } from '../wizard/inquirer-prompter.js';
import { WizardCancelled } from '../wizard/prompter.js';
import { missingSettings, settingsAsFlags, settingsToSave } from '../wizard/settings.js';
import { renderTopology, topologyOf } from '../wizard/topology.js';
import { mergeInto, runWizard, type WizardFacts } from '../wizard/wizard.js';
import type { CommandContext } from './context.js';
import { buildCloud, sandboxDefaults, type Session } from './session.js';
import { applyPlan, buildPlan, rerunCommand } from './workflow.js';

/** Exit code of a run the user cancelled with Ctrl-C (128 + SIGINT), as shells report it. */
export const CANCELLED_EXIT_CODE = 130;

const textOf = (raw: RawConfig, section: string, key: string): string | undefined => {
  const value = (raw[section] as RawConfig | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
};

function tryValidate(loaded: LoadedConfig): Config | ConfigError {
  try {
    return validateConfig(loaded);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

function missingSettingsError(loaded: LoadedConfig, error: ConfigError): UserError {
  const missing = missingSettings(loaded.raw);
  // Problems with values that are there (a bad region, ...) follow; "X is missing" ones are covered above.
  const others = error.problems.filter((p) => !/ is missing: /.test(p));
  const lines = [...missing, ...others].map((p) => `  - ${p}`).join('\n');
  return new UserError(
    `init needs these settings, and there is no terminal to ask for them:\n${lines}\n` +
      `Pass them as flags or set them in ${loaded.file}; or run \`acr-xaccount init\` in a terminal to be asked.`,
    2,
  );
}

export async function run(ctx: CommandContext): Promise<number> {
  const file = resolve(ctx.options.config);
  const defaults = await sandboxDefaults(ctx);
  const withDefaults = await loadConfig(file, ctx.options, defaults);
  const checked = tryValidate(withDefaults);
  const reask = (ctx.options.step?.length ?? 0) > 0;
  if (!ctx.ui.interactive || (!(checked instanceof ConfigError) && !reask)) {
    if (checked instanceof ConfigError) throw missingSettingsError(withDefaults, checked);
    return proceed(ctx, { config: checked, loaded: withDefaults });
  }
  // The wizard asks what neither the file nor a flag says; sandbox IDs are suggestions, not answers.
  const given = await loadConfig(file, ctx.options);
  return interactive(ctx, given, defaults);
}

async function interactive(ctx: CommandContext, given: LoadedConfig, defaults: RawConfig): Promise<number> {
  const dryRun = Boolean(ctx.options.dryRun);
  const sandbox = Boolean(ctx.options.sandbox);
  const regionA = textOf(given.raw, 'accountA', 'region') ?? textOf(defaults, 'accountA', 'region') ?? 'cn-hangzhou';
  const regionB = textOf(given.raw, 'accountB', 'region') ?? textOf(defaults, 'accountB', 'region') ?? regionA;
  const prompter = new InquirerPrompter(ctx.ui.stderr, ctx.ui.c);
  let cloud: Cloud | undefined;
  let result;
  try {
    prompter.note(ctx.ui.c.bold('acr-xaccount init') + ctx.ui.c.dim(`: a few questions, then the plan; nothing changes before you confirm it. Ctrl-C cancels.`));
    // The simulator runs once per process, so its cloud serves the wizard and then the apply.
    cloud = sandbox ? await buildCloud(ctx, { accountA: { region: regionA }, accountB: { region: regionB } } as Config, dryRun) : wizardCloud(ctx);
    const sources = new CloudSources({ cloud, sandbox, defaultRegion: regionA });
    result = await runWizard(prompter, sources, {
      given: given.raw,
      fromFlags: new Set(given.sources.keys()),
      steps: ctx.options.step as StepName[] | undefined,
      hints: sandbox ? { clusterId: textOf(defaults, 'accountA', 'clusterId'), regionB: textOf(defaults, 'accountB', 'region'), instanceId: textOf(defaults, 'accountB', 'instanceId') } : undefined,
    });
  } catch (error) {
    if (!(error instanceof WizardCancelled)) throw error;
    ctx.ui.err(ctx.ui.c.yellow('Cancelled: nothing was written and nothing was changed.'));
    // Lookups started ahead of their questions may still be in flight (and retrying): end now, not after them.
    setTimeout(() => process.exit(CANCELLED_EXIT_CODE), 1000).unref();
    return CANCELLED_EXIT_CODE;
  } finally {
    prompter.dispose();
  }
  const loaded: LoadedConfig = { ...given, raw: mergeInto(structuredClone(given.raw), result.answers) };
  const config = validateConfig(loaded);
  if (sandbox && cloud) {
    // Same simulator, now in the regions the answers chose.
    cloud.addAccount('A', config.accountA.region, cloud.account('A').credential);
    cloud.addAccount('B', config.accountB.region, cloud.account('B').credential);
  }
  return proceed(ctx, { config, loaded, cloud: sandbox ? cloud : undefined, facts: result.facts, answers: result.answers });
}

/** A cloud for the wizard's lookups outside the sandbox: dry-run, so it cannot write even by mistake. */
function wizardCloud(ctx: CommandContext): Cloud {
  const cloud = new Cloud({ endpoints: parseEndpointOverrides(ctx.options.endpoint ?? []), dryRun: true });
  if (ctx.options.verbose) cloud.log.onRecord((r) => ctx.ui.err(ctx.ui.c.dim(formatCallRecord(r))));
  return cloud;
}

interface Settled {
  config: Config;
  loaded: LoadedConfig;
  /** The cloud to apply with, when the wizard already has it (sandbox). */
  cloud?: Cloud;
  facts?: WizardFacts;
  /** What the wizard asked, for the equivalent command line. */
  answers?: RawConfig;
}

/** Confirms both accounts, saves the config, shows the topology and the plan, asks once, applies. */
async function proceed(ctx: CommandContext, s: Settled): Promise<number> {
  const dryRun = Boolean(ctx.options.dryRun);
  const cloud = s.cloud ?? (await buildCloud(ctx, s.config, dryRun));
  const identities = await confirmIdentities(cloud);
  const fromFlags = new Set(s.loaded.sources.keys());
  if (!dryRun) {
    await saveConfig(s.loaded.file, settingsToSave(s.loaded.raw, fromFlags));
    ctx.ui.err(`Saved ${s.loaded.file} (no secrets).`);
  } else if (s.answers) {
    ctx.ui.err(`Dry run: the answers were not saved. The same run without questions:\n  acr-xaccount init ${settingsAsFlags(s.loaded.raw)}`);
  }
  const accountLabels = {
    A: `account A ${maskAccountId(identities.A.accountId)}`,
    B: `account B ${maskAccountId(identities.B.accountId)}`,
  };
  if (!ctx.ui.json) ctx.ui.err(['', ctx.ui.c.bold('Topology'), ...renderTopology(topologyOf(s.config, identities, s.facts)), ''].join('\n'));
  const session: Session = { config: s.config, loaded: s.loaded, cloud, identities, accountLabels };
  const plan = await buildPlan(ctx, session);
  const code = await applyPlan(ctx, plan, { dryRun, rerun: rerunCommand(), confirm: confirmApply }, accountLabels);
  if (code === 0 && !dryRun && !ctx.ui.json) ctx.ui.err(nextSteps(ctx));
  return code;
}

/** What a user does after init: the commands read the saved file, so they need no settings flags. */
function nextSteps(ctx: CommandContext): string {
  const o = ctx.options;
  const global = [o.config !== DEFAULT_CONFIG_FILE ? ` -c ${o.config}` : '', o.sandboxState ? ` --sandbox-state ${o.sandboxState}` : ''].join('');
  const sandbox = o.sandbox ? ' --sandbox' : '';
  const line = (command: string, what: string) => `  acr-xaccount${global} ${command}${sandbox}`.padEnd(40) + `  ${what}`;
  return ['', 'Next:', line('doctor', 'check the setup link by link (read-only)'), line('verify', 'pull the test image again'), line('destroy', 'remove what acr-xaccount made')].join('\n');
}
