// Exponential backoff with full jitter, bounded in attempts and in elapsed time.
import { CloudError, isConnectionError, isThrottling } from './errors.js';

export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number;
  /** No new attempt starts after this much time since the first. */
  maxElapsedMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, maxElapsedMs: 60_000, baseDelayMs: 300, maxDelayMs: 8_000 };

export type RetryReason = 'throttling' | 'server' | 'connection' | 'transient';

/** Why an error is worth another try, or undefined when it is final. */
export function retryReason(error: CloudError, transientCodes: readonly string[]): RetryReason | undefined {
  if (isThrottling(error)) return 'throttling';
  if (transientCodes.includes(error.code)) return 'transient';
  if (error.statusCode !== undefined && error.statusCode >= 500) return 'server';
  if (error.statusCode === undefined && isConnectionError(error)) return 'connection';
  return undefined;
}

/** Delay before attempt `attempt + 1` (attempt counts from 1): random in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (error: CloudError, attempt: number, delayMs: number, reason: RetryReason) => void;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the bounds are reached.
 * `normalize` turns whatever was thrown into a CloudError.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  normalize: (error: unknown) => CloudError,
  policy: RetryPolicy,
  transientCodes: readonly string[],
  hooks: RetryHooks = {},
): Promise<{ value: T; attempts: number }> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = hooks.now ?? Date.now;
  const started = now();
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (raw) {
      const error = normalize(raw);
      (error as CloudError & { attempts?: number }).attempts = n;
      const reason = retryReason(error, transientCodes);
      if (!reason || n >= policy.maxAttempts) throw error;
      let delay = backoffDelay(policy, n, hooks.random);
      if (isThrottling(error)) {
        const retryAfter = (raw as { retryAfter?: number }).retryAfter;
        if (typeof retryAfter === 'number' && retryAfter > 0) delay = Math.max(delay, retryAfter);
      }
      if (now() - started + delay > policy.maxElapsedMs) throw error;
      hooks.onRetry?.(error, n, delay, reason);
      await sleep(delay);
    }
  }
}
