// What every CS (ACK) handler shares: the caller's cluster or CS's not-found error, the busy-cluster refusal,
// and the integer query parameters CS parses itself.
import { ApiError, type CallContext } from '../api.js';
import { csState, settleTasks, type ClusterRecord } from '../state/cs.js';

/** CS answers an unknown cluster, or one of another account, with ErrorClusterNotFound (HTTP 404). */
export function ownCluster(ctx: CallContext, clusterId: string): ClusterRecord {
  settleTasks(ctx.world, ctx.caller.accountId);
  const cluster = csState(ctx.world, ctx.caller.accountId).clusters[clusterId];
  if (!cluster) throw new ApiError('ErrorClusterNotFound', `ErrorClusterNotFound: cluster ${clusterId} not found.`, 404);
  return cluster;
}

const BUSY = new Set(['initial', 'updating', 'scaling', 'deleting']);

/** A cluster mid-operation refuses changes with ErrorClusterState (400). Assumed: add-on changes are refused too. */
export function assertClusterIdle(cluster: ClusterRecord): void {
  if (BUSY.has(cluster.state)) {
    throw new ApiError('ErrorClusterState', `ErrorClusterState: cluster ${cluster.clusterId} is ${cluster.state}; wait until it is running.`, 400);
  }
}

/** CS's generic validation failure (400). */
export function invalidParameter(message: string): ApiError {
  return new ApiError('InvalidParameter', message, 400);
}

/** An integer query parameter within bounds, or its default; CS refuses anything else (assumed: InvalidParameter). */
export function intQuery(raw: unknown, name: string, bounds: { min: number; max: number; fallback: number }): number {
  if (raw === undefined || raw === '') return bounds.fallback;
  const text = String(raw).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < bounds.min || n > bounds.max) throw invalidParameter(`${name} must be an integer from ${bounds.min} to ${bounds.max}.`);
  return n;
}

/** One page of a list, 1-based. */
export function page<T>(items: T[], pageNumber: number, pageSize: number): T[] {
  return items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
}

/** `true`/`false` query flags as the SDK sends them. */
export function boolQuery(raw: unknown): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  return String(raw).toLowerCase() === 'true';
}
