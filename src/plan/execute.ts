// Runs a plan: dependencies first, independent branches concurrently, stop starting work after a failure.
import type { Action } from './action.js';
import type { Plan } from './plan.js';

export interface ProgressReporter {
  start(action: Action): void;
  update(action: Action, text: string): void;
  succeed(action: Action, ms: number): void;
  fail(action: Action, error: unknown, ms: number): void;
  /** Called once when no action runs any more. */
  close(): void;
}

export interface ActionFailure {
  action: Action;
  error: unknown;
}

export interface ExecutionResult {
  ok: boolean;
  done: Action[];
  failed: ActionFailure[];
  /** Not started because a dependency or another branch failed. */
  notStarted: Action[];
}

export interface ExecuteOptions {
  reporter: ProgressReporter;
  /** At most this many actions run at once. */
  concurrency?: number;
  signal?: AbortSignal;
}

export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<ExecutionResult> {
  const { reporter, concurrency = 4 } = options;
  const signal = options.signal ?? new AbortController().signal;
  const todo = plan.actions.filter((a) => a.change !== 'noop');
  const finished = new Set(plan.actions.filter((a) => a.change === 'noop').map((a) => a.id));
  const outputs = new Map<string, Record<string, unknown>>();
  const done: Action[] = [];
  const failed: ActionFailure[] = [];
  const running = new Map<string, Promise<void>>();
  let stopping = false;

  const runOne = async (action: Action): Promise<void> => {
    const started = performance.now();
    reporter.start(action);
    try {
      const result = await action.apply?.({
        output: <T>(id: string) => {
          if (!(action.dependsOn ?? []).includes(id)) {
            throw new Error(`action ${action.id} reads the output of ${id} without depending on it`);
          }
          return (outputs.get(id) ?? {}) as T;
        },
        progress: (text) => reporter.update(action, text),
        signal,
      });
      outputs.set(action.id, result ?? {});
      finished.add(action.id);
      done.push(action);
      reporter.succeed(action, performance.now() - started);
    } catch (error) {
      failed.push({ action, error });
      stopping = true;
      reporter.fail(action, error, performance.now() - started);
    }
  };

  const pending = [...todo];
  try {
    while (pending.length > 0 || running.size > 0) {
      if (signal.aborted) stopping = true;
      if (!stopping) {
        for (let i = 0; i < pending.length && running.size < concurrency; ) {
          const action = pending[i]!;
          if ((action.dependsOn ?? []).every((d) => finished.has(d))) {
            pending.splice(i, 1);
            running.set(action.id, runOne(action).finally(() => running.delete(action.id)));
          } else {
            i++;
          }
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  } finally {
    reporter.close();
  }
  return { ok: failed.length === 0 && pending.length === 0, done, failed, notStarted: pending };
}
