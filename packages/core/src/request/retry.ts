/** Backoff between attempts: exponential with full jitter, or what `Retry-After` asks for. */
const CAP_MS = 10_000;

/**
 * The delay a `Retry-After` value asks for, in ms: delta-seconds or an HTTP date (RFC 9110
 * §10.2.3), measured against `now`. Undefined when absent or unreadable.
 */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

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

// Codes that say "try again" whatever the status (a 200 whose body is an <Error>, a 400
// RequestTimeout): KS3's guidance, ks3-protocol.md §7, and S3's.
const RETRYABLE_CODES = new Set(['RequestTimeout', 'SlowDown', 'InternalError', 'ServiceUnavailable', 'Throttling']);

/** Whether a failed status or code is worth another attempt. */
export const isRetryableStatus = (status: number, code: string): boolean =>
  status >= 500 || status === 429 || RETRYABLE_CODES.has(code);
