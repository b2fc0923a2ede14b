// plan -> show -> confirm -> apply, shared by plan, apply, init and destroy.
import { NotYetImplementedError, UserError } from '../errors.js';
import type { Action } from '../plan/action.js';
import { executePlan, type ExecutionResult } from '../plan/execute.js';
import { hasChanges, createPlan, type Plan } from '../plan/plan.js';
import { describeFailure, PlainReporter, SpinnerReporter } from '../plan/progress.js';
import { planToJson, renderPlanText } from '../plan/render.js';
import { selectSteps } from '../steps/index.js';
import type { CommandContext } from './context.js';
import type { Session } from './session.js';

/** Discovers facts and runs the selected steps' planners. */
export async function buildPlan(ctx: CommandContext, session: Session): Promise<Plan> {
  const steps = selectSteps(ctx.options.step);
  const missing = steps.filter((s) => !s.planner);
  if (missing.length > 0) {
    const what = missing.map((s) => `${s.name} (issue #${s.pendingIssue})`).join(', ');
    throw new NotYetImplementedError(
      `Accounts confirmed (${session.accountLabels.A}, ${session.accountLabels.B}). Planning the step(s) ${what}`,
    );
  }
  const actions: Action[] = steps.flatMap((s) => s.planner!(session.config, {}));
  return createPlan(actions);
}

export function showPlan(ctx: CommandContext, plan: Plan, labels?: Record<'A' | 'B', string>): void {
  if (ctx.ui.json) ctx.ui.out(JSON.stringify(planToJson(plan), null, 2));
  else ctx.ui.out(renderPlanText(plan, { color: ctx.ui.color, accounts: labels }));
}

export interface ApplyOptions {
  dryRun: boolean;
  /** The command line that resumes, for the failure message. */
  rerun: string;
  confirm: (message: string) => Promise<boolean>;
  concurrency?: number;
}

/** Shows the plan, asks once, applies. Returns the exit code. */
export async function applyPlan(ctx: CommandContext, plan: Plan, options: ApplyOptions, labels?: Record<'A' | 'B', string>): Promise<number> {
  showPlan(ctx, plan, labels);
  if (!hasChanges(plan)) return 0;
  if (options.dryRun) {
    if (!ctx.ui.json) ctx.ui.err('Dry run: nothing was changed.');
    return 0;
  }
  if (!ctx.options.yes) {
    if (!ctx.ui.interactive) {
      throw new UserError('apply needs a confirmation, and there is no terminal to ask on: review the plan above, then pass --yes.');
    }
    if (!(await options.confirm('Apply these changes?'))) {
      ctx.ui.err('Nothing was changed.');
      return 1;
    }
  }
  const reporter =
    ctx.ui.interactive && !ctx.ui.json
      ? new SpinnerReporter(ctx.ui.stderr, ctx.ui.c)
      : new PlainReporter((line) => ctx.ui.err(line), ctx.ui.c);
  const result: ExecutionResult = await executePlan(plan, { reporter, concurrency: options.concurrency });
  if (!result.ok) {
    ctx.ui.err(describeFailure(result, options.rerun));
    return 1;
  }
  ctx.ui.err(ctx.ui.c.green(`Apply complete: ${result.done.length} actions done.`));
  return 0;
}

/** The command line as typed, for "re-run the same command" messages. */
export function rerunCommand(): string {
  return ['acr-xaccount', ...process.argv.slice(2)].join(' ');
}
