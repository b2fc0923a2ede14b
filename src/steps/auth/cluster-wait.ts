// Waiting on ACK: a cluster task to finish, the cluster to be idle again, and a CS change retried while the
// cluster is busy with another operation (ACK refuses changes with ErrorClusterState meanwhile).
import * as cs from '../../cloud/cs.js';
import type { AccountClient } from '../../cloud/session.js';
import type { ApplyContext } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';

/** ACK tasks (RRSA, add-on installs) take minutes in the cloud. */
export const CLUSTER_TASK_TIMEOUT_MS = 20 * 60_000;

export interface WaitContext {
  acct: AccountClient;
  clusterId: string;
  intervalMs: number;
  ctx: Pick<ApplyContext, 'progress' | 'signal'>;
}

/** Polls a CS task until it leaves `running`; throws with the task's error when it did not succeed. */
export async function waitClusterTask(w: WaitContext, taskId: string, what: string): Promise<cs.TaskInfo> {
  const task = await waitFor(
    async (report) => {
      const t = await cs.describeTaskInfo(w.acct, taskId);
      report(`task ${taskId} ${t.state || 'pending'}${t.currentStage ? ` (${t.currentStage})` : ''}`);
      return t.state && t.state !== 'running' ? t : undefined;
    },
    { what, intervalMs: w.intervalMs, timeoutMs: CLUSTER_TASK_TIMEOUT_MS, progress: w.ctx.progress, signal: w.ctx.signal },
  );
  if (task.state !== 'success') {
    const why = task.error ? `${task.error.code}: ${task.error.message}` : `it ended ${task.state}`;
    throw new Error(`${what} failed (task ${taskId}): ${why}. See the cluster's events in the ACK console, then re-run.`);
  }
  return task;
}

/** Polls the cluster until it is `running` (not updating, scaling...). */
export async function waitClusterIdle(w: WaitContext): Promise<cs.ClusterDetail> {
  return waitFor(
    async (report) => {
      const detail = await cs.describeClusterDetail(w.acct, w.clusterId);
      if (!detail) throw new Error(`cluster ${w.clusterId} no longer exists`);
      report(`cluster ${detail.state}`);
      return detail.state === 'running' ? detail : undefined;
    },
    { what: `cluster ${w.clusterId} to be idle`, intervalMs: w.intervalMs, timeoutMs: CLUSTER_TASK_TIMEOUT_MS, progress: w.ctx.progress, signal: w.ctx.signal },
  );
}

/** Runs a CS change once the cluster is idle; when another operation got there first, waits and tries again. */
export async function whenClusterIdle<T>(w: WaitContext, change: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await waitClusterIdle(w);
    try {
      return await change();
    } catch (error) {
      if ((error as { code?: string }).code !== 'ErrorClusterState' || attempt >= attempts) throw error;
    }
  }
}
