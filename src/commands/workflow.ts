// plan -> show -> confirm -> apply, shared by plan, apply, init and destroy.
import { UserError } from '../errors.js';
import type { Action } from '../plan/action.js';
import { executePlan, type ExecutionResult } from '../plan/execute.js';
import { hasChanges, createPlan, inSequence, type Plan } from '../plan/plan.js';
import { describeFailure, PlainReporter, SpinnerReporter } from '../plan/progress.js';
import { planToJson, renderPlanText } from '../plan/render.js';
import { readFile } from 'node:fs/promises';

import { discoverBase, discoverTeardownBase } from '../steps/discover.js';
import { loadStep, selectSteps, type StepEntry } from '../steps/index.js';
import type { StepClients, StepModule, TeardownOptions } from '../steps/step.js';
import type { CommandContext } from './context.js';
import type { Session } from './session.js';

/** The selected steps' modules. */
async function loadModules(entries: readonly StepEntry[]): Promise<{ entry: StepEntry; module: StepModule }[]> {
  return Promise.all(entries.map(async (entry) => ({ entry, module: await loadStep(entry) })));
}

/**
 * Discovers facts (shared ones first, then each step's in parallel), refuses on any preflight problem before a
 * single write, and runs the selected steps' planners.
 */
export async function buildPlan(ctx: CommandContext, session: Session): Promise<Plan> {
  const modules = await loadModules(selectSteps(ctx.options.step));
  const clients = stepClients(ctx, session);
  const base = await discoverBase(session.config, session.identities, clients, modules.map(({ entry }) => entry.name));
  const facts = await Promise.all(modules.map(({ module }) => module.discover(session.config, base, clients)));
  const problems = modules.flatMap(({ entry, module }, i) => module.preflight(session.config, facts[i], base).map((p) => `${entry.name}: ${p}`));
  if (problems.length > 0) {
    throw new UserError(`Nothing was changed. Fix these first:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const actions: Action[] = modules.flatMap(({ module }, i) => module.plan(session.config, facts[i], base, clients));
  // The test pull means something only after every change is made.
  return createPlan(inSequence([actions.filter((a) => a.step !== 'verify'), actions.filter((a) => a.step === 'verify')]));
}

/**
 * `destroy`: every step's teardown, the steps in reverse order (the test pull first, the network last): a step's
 * removals start once the later steps' are done, so nothing is left pointing at what is already gone.
 */
export async function buildTeardownPlan(ctx: CommandContext, session: Session, options: TeardownOptions): Promise<Plan> {
  const modules = await loadModules(selectSteps(ctx.options.step).reverse());
  const clients = stepClients(ctx, session);
  const base = await discoverTeardownBase(session.config, session.identities, clients, modules.map(({ entry }) => entry.name));
  const facts = await Promise.all(modules.map(({ module }) => module.discoverTeardown(session.config, base, clients)));
  const perStep = modules.map(({ module }, i) => module.teardown(session.config, facts[i], base, clients, options));
  const notes = base.cluster
    ? []
    : [
        `cluster ${session.config.accountA.clusterId} no longer exists in account A: the add-on, its configuration, the test Deployment and ` +
          'the nodes went with it; what acr-xaccount made around it is removed below.',
      ];
  return createPlan(inSequence(perStep), notes, { teardown: true });
}

/** The clients steps act through, and A's kubeconfig on demand (the --kubeconfig file, else from CS). */
export function stepClients(ctx: CommandContext, session: Session): StepClients {
  let kubeconfig: Promise<string> | undefined;
  return {
    A: session.cloud.account('A'),
    B: session.cloud.account('B'),
    pollIntervalMs: ctx.options.sandbox ? 20 : 3000,
    kubeconfig: () =>
      (kubeconfig ??= ctx.options.kubeconfig
        ? readFile(ctx.options.kubeconfig, 'utf8')
        : import('../cloud/cs.js').then(async (cs) => (await cs.describeClusterUserKubeconfig(session.cloud.account('A'), session.config.accountA.clusterId)).config)),
  };
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
  /** The one question before the changes (default: `Apply these changes?`). */
  question?: string;
  /** Names what was done when it is done, e.g. `Apply` (default) or `Destroy`. */
  verb?: string;
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
      throw new UserError(`${ctx.name} needs a confirmation, and there is no terminal to ask on: review the plan above, then pass --yes.`);
    }
    if (!(await options.confirm(options.question ?? 'Apply these changes?'))) {
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
    ctx.ui.err(describeFailure(result, options.rerun, options.verb));
    return 1;
  }
  ctx.ui.err(ctx.ui.c.green(`${options.verb ?? 'Apply'} complete: ${result.done.length} actions done.`));
  return 0;
}

/** The command line as typed, for "re-run the same command" messages. */
export function rerunCommand(): string {
  return ['acr-xaccount', ...process.argv.slice(2)].join(' ');
}
