/**
 * Credentials behind a provider: fixed, or fetched by the app's function and refreshed before
 * they expire. One refresh at a time serves every request in flight (single flight), and a
 * refusal by KS3 (`InvalidAccessKeyId`, `ExpiredToken`, …) forgets exactly the credentials that
 * were refused, so a burst of refusals causes one refresh, not one per request.
 */
import {
  Ks3CredentialsError,
  type Ks3ErrorContext,
  Ks3InputError,
  Ks3NetworkError,
  Ks3ServiceError,
} from '../errors.js';
import type { Credentials, CredentialsSource } from './types.js';

/** What the request pipeline and the built-in signers use. */
export interface CredentialsProvider {
  /** Current credentials, fetching or refreshing them when needed. */
  get(signal?: AbortSignal): Promise<Credentials>;
  /**
   * KS3 refused `used`: forget them so that the next `get` refreshes. Returns false when
   * nothing can change (fixed credentials), so the refusal should not be retried.
   */
  expire(used: Credentials): boolean;
}

// Fetched credentials are refreshed this long before they expire, or after three quarters of
// their lifetime when that is shorter (tokens that live only seconds must not refresh per call).
const MARGIN_MS = 60_000;

// Header-safe: fetch would otherwise reject the value and quote it (with the secret) in its error.
const SAFE = /^[\x21-\x7e]+$/;

// Credentials checkCredentials returned: a signer fed by the client's provider need not check again.
const CHECKED = new WeakSet<object>();

/**
 * Checks credentials handed in by the app or a provider; never quotes a value.
 * @throws {Ks3InputError} (or a {@link Ks3CredentialsError} for a provider's result).
 */
export function checkCredentials(c: unknown, fromProvider: boolean): Credentials {
  if (CHECKED.has(c as object)) return c as Credentials;
  const fail = (why: string): never => {
    const ctx = { operation: fromProvider ? 'Credentials' : 'createClient' };
    if (fromProvider) throw new Ks3CredentialsError(`the credentials provider returned ${why}`, ctx);
    throw new Ks3InputError('credentials', why, ctx);
  };
  if (typeof c !== 'object' || c === null) return fail('no credentials object');
  const { accessKeyId, secretAccessKey, securityToken, expiration } = c as Record<string, unknown>;
  if (typeof accessKeyId !== 'string' || !SAFE.test(accessKeyId)) {
    fail('accessKeyId that is not a non-empty string of printable ASCII without spaces');
  }
  // The secret never travels (only what it signs), so any non-empty string will do (§2.1: UTF-8).
  if (typeof secretAccessKey !== 'string' || !secretAccessKey) fail('secretAccessKey that is not a non-empty string');
  if (
    securityToken != null &&
    securityToken !== '' &&
    (typeof securityToken !== 'string' || !SAFE.test(securityToken))
  ) {
    fail('securityToken that is not printable ASCII without spaces');
  }
  let exp: Date | undefined;
  if (expiration !== undefined && expiration !== null) {
    exp = expiration instanceof Date ? expiration : new Date(expiration as string | number);
    if (Number.isNaN(exp.getTime())) fail('expiration that is not a Date, ISO string or epoch milliseconds');
  }
  const out: Credentials = { accessKeyId: accessKeyId as string, secretAccessKey: secretAccessKey as string };
  if (securityToken) out.securityToken = securityToken as string;
  if (exp) out.expiration = exp;
  CHECKED.add(Object.freeze(out));
  return out;
}

/** Whether a provider's or signer's failure is worth another attempt. */
export function isTransient(e: unknown): boolean {
  if (e instanceof Ks3NetworkError) return true;
  if (e instanceof Ks3ServiceError) return e.status >= 500 || e.status === 429;
  if (e instanceof Ks3CredentialsError) return e.retryable;
  // fetch's own network failures: `TypeError: fetch failed` (Node), `Failed to fetch` (Chromium).
  return e instanceof TypeError && /fetch|network/i.test(e.message);
}

/**
 * Wraps whatever a provider or signer threw as a {@link Ks3CredentialsError} (aborts pass
 * through); `ctx` names the call it failed (not for a provider's failure, which is shared).
 */
export function credentialsFailure(e: unknown, what: string, signal?: AbortSignal, ctx: Ks3ErrorContext = {}): unknown {
  if (signal?.aborted) return signal.reason;
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

/**
 * Makes a provider from a source. `now` is the client's clock (ms).
 * @throws {Ks3InputError} for fixed credentials that are malformed.
 */
export function credentialsProvider(source: CredentialsSource, now: () => number): CredentialsProvider {
  if (typeof source !== 'function') {
    const fixed = checkCredentials(source, false);
    return { get: async () => fixed, expire: () => false };
  }
  let current: { creds: Credentials; refreshAt: number } | undefined;
  let pending: Promise<Credentials> | undefined;
  const refresh = (signal?: AbortSignal): Promise<Credentials> => {
    pending ??= (async () => {
      const fetchedAt = now();
      let got: unknown;
      try {
        // The provider gets no signal: its result is shared by every caller, so one caller's
        // abort must not fail the others (each caller's wait is cut short below instead).
        got = await source();
      } catch (e) {
        throw credentialsFailure(e, 'the credentials provider');
      }
      const creds = checkCredentials(got, true);
      const exp = creds.expiration?.getTime();
      const lifetime = exp === undefined ? Infinity : exp - fetchedAt;
      current = { creds, refreshAt: exp === undefined ? Infinity : exp - Math.min(MARGIN_MS, lifetime / 4) };
      return creds;
    })().finally(() => {
      pending = undefined;
    });
    return raceAbort(pending, signal);
  };
  return {
    get(signal) {
      if (current && now() < current.refreshAt) return Promise.resolve(current.creds);
      return refresh(signal);
    },
    expire(used) {
      if (current?.creds === used) current = undefined;
      return true;
    },
  };
}

/** Settles with `p`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) {
    // `p` is let go: its own failure must not surface as an unhandled rejection.
    p.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}
