// Faults injected on demand (`--fault SPEC` or the test API): throttling, 5xx, latency, eventual consistency.
import { ApiError } from './api.js';

export type FaultKind = 'throttle' | 'error5xx' | 'latency' | 'not-yet-consistent' | 'stuck-task' | 'failed-task';

export interface Fault {
  kind: FaultKind;
  /** Product key (`ram`) or `*`. */
  product: string;
  /** Action name or `*`. */
  action: string;
  /** How many matching calls it affects; Infinity for all. */
  count: number;
  /** latency: milliseconds to add; not-yet-consistent: the not-found code to answer (e.g. EntityNotExist.Role). */
  value?: string | number;
}

/**
 * Parses `KIND:PRODUCT:ACTION[:COUNT[:VALUE]]`, e.g. `throttle:ram:CreateRole:2`, `error5xx:*:*:1`,
 * `latency:cs:*:inf:300`, `not-yet-consistent:ram:AttachPolicyToRole:2:EntityNotExist.Role`, and for ACK's
 * asynchronous tasks (RRSA, add-ons) `stuck-task:cs:*` or `failed-task:cs:CLUSTER_ID`.
 */
export function parseFault(spec: string): Fault {
  const [kind, product = '*', action = '*', count = '1', value] = spec.split(':');
  const kinds: FaultKind[] = ['throttle', 'error5xx', 'latency', 'not-yet-consistent', 'stuck-task', 'failed-task'];
  if (!kinds.includes(kind as FaultKind)) {
    throw new Error(`--fault "${spec}": kind must be one of ${kinds.join(', ')} (KIND:PRODUCT:ACTION[:COUNT[:VALUE]])`);
  }
  const n = count === 'inf' ? Infinity : Number(count);
  if (!Number.isFinite(n) && n !== Infinity) throw new Error(`--fault "${spec}": COUNT must be a number or inf`);
  return { kind: kind as FaultKind, product, action, count: n, value: value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : value };
}

export class FaultSet {
  private readonly faults: Fault[] = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** The task faults, for the clusters they name (`action` holds a cluster ID or `*`). */
  taskFaults(): { clusterId: string; fault: 'stuck' | 'fail' }[] {
    return this.faults
      .filter((f) => f.kind === 'stuck-task' || f.kind === 'failed-task')
      .map((f) => ({ clusterId: f.action, fault: f.kind === 'stuck-task' ? 'stuck' : 'fail' }));
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** Applies the first matching fault to this call: waits, or throws the error a real endpoint would. */
  async apply(product: string, action: string): Promise<void> {
    for (const fault of this.faults) {
      if (fault.count <= 0) continue;
      if (fault.product !== '*' && fault.product !== product) continue;
      if (fault.action !== '*' && fault.action !== action) continue;
      fault.count -= 1;
      switch (fault.kind) {
        case 'stuck-task':
        case 'failed-task':
          continue; // World state, not a per-call fault: startSandbox applies them to the clusters.
        case 'latency':
          await new Promise((r) => setTimeout(r, Number(fault.value ?? 100)));
          continue;
        case 'throttle':
          throw new ApiError('Throttling.User', 'Request was denied due to user flow control.', 400);
        case 'error5xx':
          throw new ApiError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503);
        case 'not-yet-consistent':
          throw new ApiError(String(fault.value ?? 'EntityNotExist'), 'The specified entity does not exist (not yet consistent).', 404);
      }
    }
  }
}
