// `apply`: plan, confirm once, change, report. `--dry-run` stops after the plan.
import { confirmApply } from '../wizard/confirm.js';
import type { CommandContext } from './context.js';
import { openSession } from './session.js';
import { applyPlan, buildPlan, rerunCommand } from './workflow.js';

export async function run(ctx: CommandContext): Promise<number> {
  const dryRun = Boolean(ctx.options.dryRun);
  const session = await openSession(ctx, dryRun);
  const plan = await buildPlan(ctx, session);
  return applyPlan(ctx, plan, { dryRun, rerun: rerunCommand(), confirm: confirmApply }, session.accountLabels);
}
