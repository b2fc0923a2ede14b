// Running a shell script on ECS instances through Cloud Assistant and waiting for every instance's result;
// and reading what an earlier run of a named command printed (how re-runs know what was done, without writing).
import type { AccountClient } from '../../cloud/session.js';
import type { Invocation, InvocationResult } from '../../cloud/ecs.js';
import { waitFor } from '../../plan/wait.js';

/** Per-instance states after which an invocation will not change any more. */
const FINAL = new Set(['Success', 'Failed', 'Stopped', 'Invalid', 'Aborted', 'Error', 'Timeout', 'Cancelled', 'Terminated']);
/** RunCommand takes at most 100 instances per call. */
const MAX_INSTANCES = 100;

export interface RunOptions {
  name: string;
  what: string;
  pollIntervalMs: number;
  progress?: (text: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs `script` on the instances and waits until each has finished; returns every instance's result. */
export async function runScript(acct: AccountClient, instanceIds: readonly string[], script: string, options: RunOptions): Promise<InvocationResult[]> {
  const ecs = await import('../../cloud/ecs.js');
  const results: InvocationResult[] = [];
  for (let i = 0; i < instanceIds.length; i += MAX_INSTANCES) {
    const batch = instanceIds.slice(i, i + MAX_INSTANCES);
    const { invokeId } = await ecs.runCommand(acct, { instanceIds: [...batch], commandContent: script, name: options.name, timeoutSeconds: 60 });
    const done = await waitFor(
      async (report) => {
        const rows = await ecs.describeInvocationResults(acct, { invokeId });
        const finished = rows.filter((r) => FINAL.has(r.invocationStatus));
        report(`${finished.length}/${batch.length} finished`);
        return rows.length >= batch.length && finished.length === rows.length ? rows : undefined;
      },
      { what: `${options.what} (Cloud Assistant ${invokeId})`, intervalMs: options.pollIntervalMs, timeoutMs: options.timeoutMs ?? 300_000, progress: options.progress, signal: options.signal },
    );
    results.push(...done);
  }
  return results;
}

/** One line per failed instance: its status, exit code and the first line of its output. */
export function describeFailures(results: readonly InvocationResult[]): string {
  return results
    .filter((r) => r.invocationStatus !== 'Success')
    .map((r) => `${r.instanceId}: ${r.invocationStatus}${r.exitCode !== undefined ? ` (exit ${r.exitCode})` : ''}${r.errorInfo ? `, ${r.errorInfo}` : ''}${r.output.trim() ? `: ${r.output.trim().split('\n')[0]}` : ''}`)
    .join('; ');
}

export interface PastRun {
  invokeId: string;
  /** The script as it ran. */
  content: string;
  /** That instance's output. */
  output: string;
  finishedAt?: string;
}

/** The latest successful run of the named command on one instance, if Cloud Assistant still remembers one. */
export async function lastSuccessfulRun(acct: AccountClient, instanceId: string, name: string): Promise<PastRun | undefined> {
  const ecs = await import('../../cloud/ecs.js');
  const invocations: Invocation[] = await ecs.describeInvocations(acct, { instanceId });
  for (const invocation of invocations.filter((v) => v.commandName === name)) {
    const mine = invocation.instances.find((i) => i.instanceId === instanceId);
    if (mine?.invocationStatus === 'Success') return { invokeId: invocation.invokeId, content: invocation.commandContent, output: mine.output, finishedAt: mine.finishTime };
  }
  return undefined;
}
