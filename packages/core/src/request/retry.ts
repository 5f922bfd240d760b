/** Backoff between attempts: exponential with full jitter (Retry-After: service-error.ts). */
const CAP_MS = 10_000;

/**
 * Delay before retry number `attempt` (0-based) with base `retryDelay` ms: exponential backoff
 * with full jitter, capped at 10 s.
 */
export function backoffDelay(retryDelay: number, attempt: number): number {
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
