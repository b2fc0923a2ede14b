// `verify`: the test pull alone, without a confirmation (it creates and removes only its own Deployment).
// Exit 0 when the image was pulled, 1 when the pull failed (with the broken link and the fix).
import { describeError } from '../errors.js';
import type { Action } from '../plan/action.js';
import { PlainReporter, SpinnerReporter } from '../plan/progress.js';
import { describeVerifyFailure, VerifyFailedError, type VerifyResult } from '../steps/verify/pull.js';
import type { CommandContext } from './context.js';
import { openSession } from './session.js';
import { buildPlan } from './workflow.js';

export async function run(ctx: CommandContext): Promise<number> {
  // Cloud calls stay read-only (dry-run refuses any write); the only writes are the test Deployment's, through kube/.
  const session = await openSession(ctx, true);
  const plan = await buildPlan({ ...ctx, options: { ...ctx.options, step: ['verify'] } }, session);
  const action = plan.actions.find((a) => a.id === 'verify.pull');
  if (!action?.apply) throw new Error('the verify step planned no test pull');
  const result = await runAction(ctx, action);
  if (ctx.ui.json) {
    const { linkTitle: _omitted, ...document } = result;
    ctx.ui.out(JSON.stringify(document, null, 2));
  } else if (result.ok) {
    ctx.ui.out(ctx.ui.c.green(`Successfully pulled image ${result.image} in ${result.seconds}s`));
  } else {
    ctx.ui.out(ctx.ui.c.red(describeVerifyFailure(result)));
  }
  return result.ok ? 0 : 1;
}

/** Runs the test pull with the usual progress display (its result is printed by `run`) and turns a failed pull into a result. */
async function runAction(ctx: CommandContext, action: Action): Promise<VerifyResult> {
  const reporter =
    ctx.ui.interactive && !ctx.ui.json ? new SpinnerReporter(ctx.ui.stderr, ctx.ui.c, { checkResults: false }) : new PlainReporter((line) => ctx.ui.err(line), ctx.ui.c);
  const started = performance.now();
  reporter.start(action);
  try {
    const outputs = (await action.apply!({
      output: () => {
        throw new Error('verify.pull reads no other action');
      },
      progress: (text) => reporter.update(action, text),
      signal: new AbortController().signal,
    })) as unknown as VerifyResult;
    reporter.succeed(action, performance.now() - started);
    return outputs;
  } catch (error) {
    if (!(error instanceof VerifyFailedError)) {
      reporter.fail(action, error, performance.now() - started);
      throw error;
    }
    reporter.update(action, `failed: ${describeError(error).split('\n')[0]}`);
    return error.result;
  } finally {
    reporter.close();
  }
}
