/**
 * The provider of credentials fetched by the app's function, loaded on its first `get`
 * (credentials.ts): refreshed before they expire, one refresh at a time for every request in
 * flight, and refused credentials forgotten. The checks it shares with credentials.ts are passed
 * in, not imported: esbuild would otherwise move credentials.ts out of the entry's chunk into a
 * chunk of its own.
 */
import type { CredentialsProvider } from './credentials.js';
import { credentialsFailure } from './credentials-failure.js';
import type { Credentials } from './types.js';

// Fetched credentials are refreshed this long before they expire, or after three quarters of
// their lifetime when that is shorter (tokens that live only seconds must not refresh per call).
const MARGIN_MS = 60_000;

/** The provider of an app's credentials function; `now` is the client's clock (ms). */
export function refreshingProvider(
  source: (signal?: AbortSignal) => Promise<Credentials>,
  now: () => number,
  checkCredentials: (c: unknown, fromProvider: true) => Credentials,
  raceAbort: <T>(p: Promise<T>, signal?: AbortSignal) => Promise<T>,
): CredentialsProvider {
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
