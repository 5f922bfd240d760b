/** Backoff between attempts: exponential with full jitter, honouring Retry-After. */
const CAP_MS = 10_000;

/**
 * Delay before retry number `attempt` (0-based) with base `retryDelay` ms; `retryAfter` is the
 * Retry-After header value, if any.
 */
export function backoffDelay(retryDelay: number, attempt: number, retryAfter?: string | null): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, CAP_MS);
  return Math.random() * Math.min(CAP_MS, retryDelay * 2 ** attempt);
}

/** Waits `ms`, rejecting with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = (): void => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const t = setTimeout(done, ms);
    const abort = (): void => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** Whether a failed status or code is worth another attempt (KS3's guidance, ks3-protocol.md §7). */
export const isRetryableStatus = (status: number, code: string): boolean =>
  status >= 500 || status === 429 || code === 'RequestTimeout' || code === 'SlowDown';
