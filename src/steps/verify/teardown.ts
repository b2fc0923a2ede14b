// `destroy` for the verify step: the test Deployment that `verify --keep` leaves behind, deleted when it carries our
// labels. Nothing else of the test pull outlives a run (without --keep the pull removes its own Deployment).
import type { Config } from '../../config/schema.js';
import { deleteDeployment, readDeployment, workloadClient, type DeploymentInfo } from '../../kube/workloads.js';
import type { Action, ApplyContext } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import type { StepClients, TeardownBase } from '../step.js';
import type { VerifyFacts } from './index.js';
import { VERIFY_DEPLOYMENT, VERIFY_LABELS } from './pull.js';

/** How long a deleted Deployment may take to disappear (no finalizers of ours: normally at once). */
const DELETE_TIMEOUT_MS = 120_000;

/** Proven ours: the test pull's name and both of its labels (`app.kubernetes.io/managed-by=acr-xaccount`). */
export function isVerifyDeployment(d: DeploymentInfo | undefined): boolean {
  return Boolean(d) && Object.entries(VERIFY_LABELS).every(([k, v]) => d!.labels[k] === v);
}

/** Reads only what `destroy` needs: the test Deployment in the configured namespace, if there is one. */
export async function discoverVerifyTeardown(config: Config, base: TeardownBase, clients: StepClients): Promise<VerifyFacts> {
  // A cluster deleted before destroy took the Deployment with it.
  if (!base.cluster) return { domain: '' };
  const client = await workloadClient(await clients.kubeconfig());
  const deployment = await readDeployment(client, config.verify.namespace, VERIFY_DEPLOYMENT);
  return { domain: '', deployment };
}

export function verifyTeardown(config: Config, facts: VerifyFacts, _base: TeardownBase, clients: StepClients): Action[] {
  const d = facts.deployment;
  if (!d) return [];
  const where = `${d.namespace}/${d.name}`;
  if (!isVerifyDeployment(d)) {
    return [
      {
        id: 'verify.destroy.deployment',
        step: 'verify',
        account: 'A',
        title: `Keep Deployment ${where} (it lacks the label app.kubernetes.io/managed-by=acr-xaccount: not made by acr-xaccount verify)`,
        change: 'noop',
        detail: { namespace: d.namespace, name: d.name, labels: d.labels },
      },
    ];
  }
  return [
    {
      id: 'verify.destroy.deployment',
      step: 'verify',
      account: 'A',
      title: `Delete Deployment ${where} (the test pull kept by verify --keep)`,
      change: 'delete',
      detail: { namespace: d.namespace, name: d.name, labels: d.labels, propagation: 'Background (its ReplicaSet and pod go with it)' },
      apply: (ctx: ApplyContext) => deleteTestDeployment(config, clients, ctx),
    },
  ];
}

/** Re-reads right before the delete (a stopped destroy re-runs; another Deployment of the name is not touched), then waits until it is gone. */
async function deleteTestDeployment(config: Config, clients: StepClients, ctx: ApplyContext): Promise<Record<string, unknown>> {
  const client = await workloadClient(await clients.kubeconfig());
  const namespace = config.verify.namespace;
  const current = await readDeployment(client, namespace, VERIFY_DEPLOYMENT);
  if (!current) return { deleted: false, reason: 'already gone' };
  if (!isVerifyDeployment(current)) return { deleted: false, reason: 'no longer labelled managed-by=acr-xaccount: kept' };
  const deleted = await deleteDeployment(client, namespace, VERIFY_DEPLOYMENT);
  await waitFor(
    async (report) => {
      const left = await readDeployment(client, namespace, VERIFY_DEPLOYMENT);
      report(left ? 'deleting' : 'deleted');
      return left ? undefined : true;
    },
    { what: `Deployment ${namespace}/${VERIFY_DEPLOYMENT} to be deleted`, intervalMs: clients.pollIntervalMs, timeoutMs: DELETE_TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal },
  );
  return { deleted };
}
