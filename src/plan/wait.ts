// Polling an asynchronous cloud operation until it is done, with a visible progress line and a deadline.
export interface WaitOptions {
  /** What is awaited, for the progress line and the timeout message (e.g. "RRSA on cluster c-1"). */
  what: string;
  intervalMs: number;
  timeoutMs: number;
  progress?: (text: string) => void;
  signal?: AbortSignal;
}

/** Calls `check` until it returns a value (not undefined); `check` may report a state for the progress line. */
export async function waitFor<T>(check: (report: (state: string) => void) => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const started = Date.now();
  let state = 'waiting';
  for (;;) {
    const value = await check((s) => {
      state = s;
      options.progress?.(`${options.what}: ${s}`);
    });
    if (value !== undefined) return value;
    if (Date.now() - started > options.timeoutMs) {
      throw new Error(`timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${options.what} (last state: ${state}); re-run the same command to keep waiting`);
    }
    if (options.signal?.aborted) throw new Error(`stopped while waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
