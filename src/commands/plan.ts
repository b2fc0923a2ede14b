// `plan`: what apply would change; never writes (the cloud layer refuses write calls here too).
import type { CommandContext } from './context.js';
import { openSession } from './session.js';
import { buildPlan, showPlan } from './workflow.js';
import { hasChanges, type Plan } from '../plan/plan.js';

/** Terraform's convention: with --detailed-exitcode, 2 means "there are changes". */
export function planExitCode(plan: Plan, detailed: boolean | undefined): number {
  return detailed && hasChanges(plan) ? 2 : 0;
}

export async function run(ctx: CommandContext): Promise<number> {
  const session = await openSession(ctx, true);
  const plan = await buildPlan(ctx, session);
  showPlan(ctx, plan, session.accountLabels);
  return planExitCode(plan, ctx.options.detailedExitcode);
}
