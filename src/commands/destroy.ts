// `destroy`: remove what acr-xaccount made (what carries its marker), the steps in reverse order, after one
// confirmation. What others may rely on stays: other ConfigMap entries, user routes, the add-on unless --remove-addon.
import { summarize } from '../plan/plan.js';
import { confirmApply } from '../wizard/confirm.js';
import type { CommandContext } from './context.js';
import { openSession } from './session.js';
import { applyPlan, buildTeardownPlan, rerunCommand } from './workflow.js';

export async function run(ctx: CommandContext): Promise<number> {
  const dryRun = Boolean(ctx.options.dryRun);
  const session = await openSession(ctx, dryRun);
  const plan = await buildTeardownPlan(ctx, session, { removeAddon: Boolean(ctx.options.removeAddon) });
  const s = summarize(plan);
  const question = `Make these ${s.delete + s.update + s.wait} changes (${s.delete} removals)? This cannot be undone.`;
  return applyPlan(ctx, plan, { dryRun, rerun: rerunCommand(), confirm: confirmApply, question, verb: 'Destroy' }, session.accountLabels);
}
