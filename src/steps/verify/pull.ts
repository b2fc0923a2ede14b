// The test pull: a one-pod Deployment with the image, its events watched until the pull succeeds or the deadline.
import type { Config } from '../../config/schema.js';
import { UserError } from '../../errors.js';
import { createDeployment, deleteDeployment, listPodEvents, listPodsByLabel, workloadClient, type PodEvent } from '../../kube/workloads.js';
import { waitFor } from '../../plan/wait.js';
import { diagnose } from './diagnose.js';

export const VERIFY_DEPLOYMENT = 'acr-xaccount-verify';
/** The test Deployment's labels: `destroy` removes a kept one only when it carries the managed-by label. */
export const VERIFY_LABELS = { app: VERIFY_DEPLOYMENT, 'app.kubernetes.io/managed-by': 'acr-xaccount' } as const;

/** What `verify` reports: the JSON document of `verify --json`. */
export interface VerifyResult {
  ok: boolean;
  image: string;
  /** How long the pull took (the kubelet's figure when it gives one). */
  seconds?: number;
  /** The broken link's ID, and the link in words. */
  link?: string;
  linkTitle?: string;
  /** The kubelet's failure text. */
  message?: string;
  fix?: string;
}

/** A failed test pull, carrying its result so `verify` can print it (and `apply` shows the message). */
export class VerifyFailedError extends UserError {
  constructor(readonly result: VerifyResult) {
    super(describeVerifyFailure(result));
    this.name = 'VerifyFailedError';
  }
}

export function describeVerifyFailure(r: VerifyResult): string {
  return [`Pulling ${r.image} failed: ${r.message ?? 'unknown error'}`, `  broken link: ${r.linkTitle ?? r.link}`, `  fix: ${r.fix}`].join('\n');
}

export interface TestPullInput {
  config: Config;
  image: string;
  kubeconfig: () => Promise<string>;
  pollIntervalMs: number;
  progress: (text: string) => void;
  signal?: AbortSignal;
}

type Outcome = { pulled: PodEvent } | { failed: PodEvent };

const PULL_FAILED = /^Failed to pull image "[^"]*": /;
/** How many polls in a row must show the same pull failure before it counts as the answer. */
const SAME_FAILURE_POLLS = 5;

/** Runs the test pull and removes the Deployment unless `verify.keep`; throws VerifyFailedError on a failed pull. */
export async function runTestPull(input: TestPullInput): Promise<VerifyResult> {
  const { config, image } = input;
  const { namespace, serviceAccount, timeoutSeconds, keep } = config.verify;
  const client = await workloadClient(await input.kubeconfig());
  const started = Date.now();
  await createDeployment(client, { namespace, name: VERIFY_DEPLOYMENT, image, serviceAccount, labels: { ...VERIFY_LABELS } });
  let lastFailure: PodEvent | undefined;
  let sameFailurePolls = 0;
  try {
    const outcome = await waitFor<Outcome>(
      async (report) => {
        const pods = await listPodsByLabel(client, namespace, `app=${VERIFY_DEPLOYMENT}`);
        const pod = pods[0];
        if (!pod) {
          report('waiting for the pod to be created');
          return undefined;
        }
        const events = await listPodEvents(client, namespace, pod.name);
        const pulled = events.find((e) => e.reason === 'Pulled');
        if (pulled) return { pulled };
        const failed = events.filter((e) => PULL_FAILED.test(e.message)).at(-1);
        // The kubelet retries with back-off, so one failure may pass (a route still propagating); the same failure
        // over several polls will not: report it rather than wait out the whole timeout.
        if (failed) {
          sameFailurePolls = lastFailure?.message === failed.message ? sameFailurePolls + 1 : 1;
          lastFailure = failed;
          if (sameFailurePolls >= SAME_FAILURE_POLLS) return { failed };
        }
        report(lastFailure ? `${pod.waitingReason ?? 'ErrImagePull'}, retrying until ${timeoutSeconds}s: ${lastFailure.message.replace(PULL_FAILED, '')}` : `pod ${pod.name} ${pod.waitingReason ?? pod.phase}`);
        return undefined;
      },
      { what: `pull of ${image}`, intervalMs: input.pollIntervalMs, timeoutMs: timeoutSeconds * 1000, progress: input.progress, signal: input.signal },
    ).catch((error: unknown) => {
      if (lastFailure) return { failed: lastFailure };
      throw new VerifyFailedError({
        ok: false,
        image,
        link: 'pod',
        linkTitle: 'the test pod',
        message: (error as Error).message,
        fix: `The pod never started pulling: check that namespace ${namespace} and service account ${serviceAccount} exist and that the cluster has a schedulable node (\`kubectl -n ${namespace} describe pod -l app=${VERIFY_DEPLOYMENT}\`).`,
      });
    });
    if ('failed' in outcome) {
      const message = outcome.failed.message.replace(PULL_FAILED, '');
      const d = diagnose(message, config);
      throw new VerifyFailedError({ ok: false, image, link: d.link, linkTitle: d.title, message, fix: d.fix });
    }
    const seconds = pullSeconds(outcome.pulled.message) ?? Math.round((Date.now() - started) / 100) / 10;
    input.progress(`Successfully pulled image ${image} in ${seconds}s`);
    return { ok: true, image, seconds };
  } finally {
    if (!keep) await deleteDeployment(client, namespace, VERIFY_DEPLOYMENT);
  }
}

/** The kubelet's pull time, from `Successfully pulled image "x" in 1.532s (...)`. */
function pullSeconds(message: string): number | undefined {
  const match = / in ([\d.]+)(ms|s)\b/.exec(message);
  if (!match) return undefined;
  return match[2] === 'ms' ? Number(match[1]) / 1000 : Number(match[1]);
}
