// `plan`: what apply would change; never writes (the cloud layer refuses write calls here too).
import type { CommandContext } from './context.js';
import { openSession } from './session.js';
import { buildPlan, showPlan } from './workflow.js';
import { hasChanges } from '../plan/plan.js';

export async function run(ctx: CommandContext): Promise<number> {
  const session = await openSession(ctx, true);
  const plan = await buildPlan(ctx, session);
  showPlan(ctx, plan, session.accountLabels);
  return ctx.options.detailedExitcode && hasChanges(plan) ? 2 : 0;
}
