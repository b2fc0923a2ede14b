// `init`: settings from the file, flags and (with issue #6) the wizard -> saved config -> plan -> apply.
import { resolve } from 'node:path';

import { loadConfig, saveConfig, validateConfig } from '../config/load.js';
import { ConfigError, UserError } from '../errors.js';
import { confirmApply } from '../wizard/confirm.js';
import type { CommandContext } from './context.js';
import { buildCloud, sandboxDefaults } from './session.js';
import { confirmIdentities, maskAccountId } from '../cloud/identity.js';
import { applyPlan, buildPlan, rerunCommand } from './workflow.js';

export async function run(ctx: CommandContext): Promise<number> {
  const file = resolve(ctx.options.config);
  const loaded = await loadConfig(file, ctx.options, await sandboxDefaults(ctx));
  let config;
  try {
    config = validateConfig(loaded);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new UserError(
      `init needs these settings before it can plan:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'The interactive wizard that asks for them arrives with issue #6; until then pass the flags or write the config file.',
      2,
    );
  }
  const dryRun = Boolean(ctx.options.dryRun);
  const cloud = await buildCloud(ctx, config, dryRun);
  const identities = await confirmIdentities(cloud);
  if (!dryRun) {
    await saveConfig(file, loaded.raw);
    ctx.ui.err(`Saved ${file} (no secrets).`);
  }
  const accountLabels = {
    A: `account A ${maskAccountId(identities.A.accountId)}`,
    B: `account B ${maskAccountId(identities.B.accountId)}`,
  };
  const plan = await buildPlan(ctx, { config, loaded, cloud, identities, accountLabels });
  return applyPlan(ctx, plan, { dryRun, rerun: rerunCommand(), confirm: confirmApply }, accountLabels);
}
