/**
 * Credentials behind a provider: fixed, or fetched by the app's function and refreshed before
 * they expire. One refresh at a time serves every request in flight (single flight), and a
 * refusal by KS3 (`InvalidAccessKeyId`, `ExpiredToken`, …) forgets exactly the credentials that
 * were refused, so a burst of refusals causes one refresh, not one per request.
 */
import { Ks3CredentialsError, type Ks3ErrorContext, Ks3InputError } from '../errors.js';
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

/**
 * Makes a provider from a source. `now` is the client's clock (ms).
 * @throws {Ks3InputError} for fixed credentials that are malformed.
 */
export function credentialsProvider(source: CredentialsSource, now: () => number): CredentialsProvider {
  if (typeof source !== 'function') {
    const fixed = checkCredentials(source, false);
    return { get: async () => fixed, expire: () => false };
  }
  // The refreshing provider loads on the first `get`: an app with fixed keys never needs it.
  let loading: Promise<CredentialsProvider> | undefined;
  let provider: CredentialsProvider | undefined;
  return {
    async get(signal) {
      if (!provider) {
        loading ??= import('./refresh.js').then(
          (m) => (provider = m.refreshingProvider(source, now, checkCredentials, raceAbort)),
          (e: unknown) => {
            loading = undefined;
            throw e;
          },
        );
        // Not raced with the signal: as before, an aborted call still starts the shared
        // refresh, and the provider settles it with the signal's reason.
        await loading;
      }
      return provider!.get(signal);
    },
    // Nothing fetched yet, so nothing to forget; a refusal may be retried (a refresh would run).
    expire: (used) => provider?.expire(used) ?? true,
  };
}

/**
 * What the provider or signer threw, as the error to throw: the signal's reason when it is
 * aborted now, a typed error as it is, else a {@link Ks3CredentialsError} made by
 * credentials-failure.ts, which loads on the first such failure.
 */
export async function credentialsFailure(
  e: unknown,
  what: string,
  signal?: AbortSignal,
  ctx: Ks3ErrorContext = {},
): Promise<unknown> {
  if (signal?.aborted) return signal.reason;
  if (e instanceof Ks3CredentialsError || e instanceof Ks3InputError) return e;
  return (await import('./credentials-failure.js')).credentialsFailure(e, what, ctx);
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
