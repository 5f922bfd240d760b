/**
 * Fetching a key pair for one signature: the signers call their provider on every request (the
 * client caches and refreshes; types.ts) and check what it returns before using it. Errors never
 * carry a key, a secret or a token.
 */
import { Ks3CredentialsError, Ks3Error, Ks3InputError } from '../errors.js';
import { checkCredentials, raceAbort } from './credentials.js';
import type { Credentials } from './types.js';

/** Where a signer gets credentials on every request (the client passes its cached provider). */
export type CredentialsFunction = (signal?: AbortSignal) => Promise<Credentials>;

const bad = (message: string, cause?: unknown): Ks3InputError =>
  new Ks3InputError('credentials', message, cause === undefined ? {} : { cause });

/** Checks a signer's `credentials` option when the signer is made. */
export function checkProvider(provider: unknown): CredentialsFunction {
  if (typeof provider !== 'function')
    throw bad('must be a function (signal?) => Promise<{ accessKeyId, secretAccessKey, securityToken? }>');
  return provider as CredentialsFunction;
}

/**
 * Calls the provider and validates its answer.
 * @throws the signal's reason when it aborts; {@link Ks3CredentialsError} when the provider
 * fails or returns something that is not a usable key pair.
 */
export async function fetchCredentials(provider: CredentialsFunction, signal?: AbortSignal): Promise<Credentials> {
  signal?.throwIfAborted();
  let c: Credentials;
  try {
    // Raced with the signal: a provider that ignores it must not hold an aborted call.
    c = await raceAbort(
      Promise.resolve().then(() => provider(signal)),
      signal,
    );
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    // The client's provider already failed with a typed error; an app's own function did not.
    if (e instanceof Ks3Error) throw e;
    throw new Ks3CredentialsError('the credentials provider failed (see cause)', {
      cause: e,
      retryable: (await import('./credentials-failure.js')).isTransient(e),
    });
  }
  signal?.throwIfAborted();
  return checkCredentials(c, true);
}
