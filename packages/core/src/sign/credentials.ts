/**
 * Fetching a key pair for one signature: the signers call their provider on every request (the
 * client caches and refreshes; types.ts) and check what it returns before using it. Errors never
 * carry a key, a secret or a token.
 */
import { Ks3InputError } from '../errors.js';
import type { Credentials } from './types.js';

/** A provider of credentials, as the signers take it. */
export type CredentialsProvider = (signal?: AbortSignal) => Promise<Credentials>;

// An access key and a token travel in a header or a URL: printable ASCII without spaces.
const TOKEN = /^[\x21-\x7e]+$/;

const bad = (message: string, cause?: unknown): Ks3InputError =>
  new Ks3InputError('credentials', message, cause === undefined ? {} : { cause });

/** Checks a signer's `credentials` option when the signer is made. */
export function checkProvider(provider: unknown): CredentialsProvider {
  if (typeof provider !== 'function')
    throw bad('must be a function (signal?) => Promise<{ accessKeyId, secretAccessKey, securityToken? }>');
  return provider as CredentialsProvider;
}

/**
 * Calls the provider and validates its answer.
 * @throws the signal's reason when it aborts; {@link Ks3InputError} (`credentials`) when the
 * provider fails or returns something that is not a usable key pair.
 */
export async function fetchCredentials(provider: CredentialsProvider, signal?: AbortSignal): Promise<Credentials> {
  signal?.throwIfAborted();
  let c: Credentials;
  try {
    c = await provider(signal);
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw bad('the credentials provider failed (see cause)', e);
  }
  signal?.throwIfAborted();
  if (typeof c !== 'object' || c === null) throw bad('the provider returned no object');
  if (typeof c.accessKeyId !== 'string' || !TOKEN.test(c.accessKeyId))
    throw bad('accessKeyId must be a non-empty string of printable ASCII without spaces');
  if (typeof c.secretAccessKey !== 'string' || !c.secretAccessKey)
    throw bad('secretAccessKey must be a non-empty string');
  const token: unknown = c.securityToken;
  // A missing, null or empty token means long-term credentials.
  if (token !== undefined && token !== null && token !== '' && !(typeof token === 'string' && TOKEN.test(token)))
    throw bad('securityToken must be a string of printable ASCII without spaces');
  return c;
}
