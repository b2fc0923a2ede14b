// Every cloud call, as it happened: `--verbose` prints it, tests assert on it. Secrets never enter it.
import { maskParams } from '../secrets.js';

export interface CallRecord {
  seq: number;
  account: string;
  product: string;
  action: string;
  kind: 'read' | 'write';
  region?: string;
  params: Record<string, unknown>;
  durationMs: number;
  attempts: number;
  /** `ok`, the error code, or `blocked` (a write refused in a dry run). */
  outcome: string;
  requestId?: string;
}

export class CallLog {
  readonly records: CallRecord[] = [];
  private readonly listeners: ((record: CallRecord) => void)[] = [];

  add(record: Omit<CallRecord, 'seq' | 'params'> & { params?: Record<string, unknown> }): CallRecord {
    const full: CallRecord = { ...record, params: maskParams(record.params), seq: this.records.length + 1 };
    this.records.push(full);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  onRecord(listener: (record: CallRecord) => void): void {
    this.listeners.push(listener);
  }

  writes(): CallRecord[] {
    return this.records.filter((r) => r.kind === 'write' && r.outcome !== 'blocked');
  }
}

/** One line per call, for `--verbose`. */
export function formatCallRecord(r: CallRecord): string {
  const params = Object.keys(r.params).length > 0 ? ` ${JSON.stringify(r.params)}` : '';
  const retries = r.attempts > 1 ? ` after ${r.attempts} attempts` : '';
  return `[call ${r.seq}] ${r.account} ${r.product}:${r.action} ${r.kind} ${r.outcome} ${r.durationMs}ms${retries}${params}`;
}
