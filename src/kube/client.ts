// Kubernetes access for A's cluster: the only module (with its siblings in kube/) that knows @kubernetes/client-node.
import { registerKubeconfigSecrets } from '../cloud/cs.js';
import { UserError } from '../errors.js';

/** The subset of CoreV1Api the tool uses, so callers never see the client library's types. */
export interface KubeClient {
  /** The API server URL, for messages. */
  server: string;
  core: import('@kubernetes/client-node').CoreV1Api;
}

/** A Kubernetes API failure in one shape: HTTP status, the Status reason, and a message without secrets. */
export class KubeError extends UserError {
  constructor(
    readonly status: number | undefined,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

// client-node takes ~0.5 s to load: only commands that reach the cluster pay for it.
const importClient = () => import('@kubernetes/client-node');
const clients = new Map<string, Promise<KubeClient>>();

/** A client for the kubeconfig's current context (one per kubeconfig text; its credentials are registered for redaction). */
export function kubeClient(kubeconfig: string): Promise<KubeClient> {
  let pending = clients.get(kubeconfig);
  if (!pending) {
    registerKubeconfigSecrets(kubeconfig);
    pending = importClient().then((k) => {
      const kc = new k.KubeConfig();
      try {
        kc.loadFromString(kubeconfig);
      } catch (error) {
        throw new KubeError(undefined, 'InvalidKubeconfig', `the kubeconfig of the cluster is not valid: ${(error as Error).message}`);
      }
      const server = kc.getCurrentCluster()?.server ?? '(no cluster in the kubeconfig)';
      return { server, core: kc.makeApiClient(k.CoreV1Api) };
    });
    clients.set(kubeconfig, pending);
  }
  return pending;
}

/** Runs one API request, turning client-node's ApiException (or a socket error) into a KubeError. */
export async function kubeCall<T>(client: KubeClient, what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw toKubeError(error, client.server, what);
  }
}

function toKubeError(error: unknown, server: string, what: string): KubeError {
  const e = error as { code?: unknown; body?: unknown; message?: unknown };
  if (typeof e.code === 'number') {
    let status: { reason?: string; message?: string } = {};
    try {
      status = (typeof e.body === 'string' ? JSON.parse(e.body) : e.body ?? {}) as typeof status;
    } catch {
      // Not a Status object: keep the HTTP code only.
    }
    return new KubeError(e.code, status.reason ?? `HTTP${e.code}`, `${what}: ${status.message ?? `HTTP ${e.code}`} (${server})`);
  }
  return new KubeError(
    undefined,
    'ConnectionFailed',
    `${what}: cannot reach the cluster's API server ${server}: ${String(e.message ?? error)}. ` +
      'If it has no endpoint reachable from here, pass --kubeconfig with one that is (e.g. for its public API endpoint).',
  );
}

export const isKubeNotFound = (error: unknown): boolean => error instanceof KubeError && error.status === 404;
export const isKubeConflict = (error: unknown): boolean => error instanceof KubeError && error.status === 409;
