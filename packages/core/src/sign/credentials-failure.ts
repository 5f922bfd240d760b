/**
 * What a credentials provider or signer threw, described as the SDK's error. Loaded on the first
 * such failure (credentials.ts), so it is not in an app's bundle up front; it imports only
 * errors.ts, which every bundle has in a chunk of its own already.
 */
import {
  Ks3CredentialsError,
  type Ks3ErrorContext,
  Ks3InputError,
  Ks3NetworkError,
  Ks3ServiceError,
} from '../errors.js';

/** Whether a provider's or signer's failure is worth another attempt. */
export function isTransient(e: unknown): boolean {
  if (e instanceof Ks3NetworkError) return true;
  if (e instanceof Ks3ServiceError) return e.status >= 500 || e.status === 429;
  if (e instanceof Ks3CredentialsError) return e.retryable;
  // fetch's own network failures: `TypeError: fetch failed` (Node), `Failed to fetch` (Chromium).
  return e instanceof TypeError && /fetch|network/i.test(e.message);
}

/**
 * Wraps whatever a provider or signer threw as a {@link Ks3CredentialsError} (typed errors pass
 * through); `ctx` names the call it failed (not for a provider's failure, which is shared).
 */
export function credentialsFailure(e: unknown, what: string, ctx: Ks3ErrorContext = {}): unknown {
  if (e instanceof Ks3CredentialsError || e instanceof Ks3InputError) return e;
  return new Ks3CredentialsError(`${what} failed: ${describeCause(e)}`, {
    ...ctx,
    cause: e,
    retryable: isTransient(e),
  });
}

/**
 * A short description of an app's error for our message: its message, unless it may quote a
 * header value (fetch's header errors do, and a header can hold a token).
 */
function describeCause(e: unknown): string {
  if (!(e instanceof Error)) return typeof e;
  if (/header|authorization|token|secret|signature/i.test(e.message)) return e.name;
  return e.message.length > 160 ? `${e.message.slice(0, 160)}…` : e.message;
}
