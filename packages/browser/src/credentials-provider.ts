/**
 * Temporary credentials from the app's backend, for a page: the backend holds the long-term key,
 * calls KS3's STS (`assumeRole` of @ks3/node, with a session policy narrowed to the page's
 * prefix) and answers the four fields. The client's credentials option does the rest: one fetch
 * serves every request in flight, and the next comes before `expiration` (or after KS3 refused
 * the token).
 */
import { type Credentials, type Fetch, Ks3CredentialsError } from '@ks3/core';

/** Options of {@link createCredentialsProvider} with a URL. */
export interface CredentialsProviderOptions {
  /** Extra request headers (e.g. a CSRF token). */
  headers?: Record<string, string>;
  /** `GET` (default) or `POST`. */
  method?: 'GET' | 'POST';
  /** Cookies: `same-origin` (default), `include` or `omit`. */
  credentials?: 'same-origin' | 'include' | 'omit';
  /** The fetch to use (default: the global one). */
  fetch?: Fetch;
}

const fail = (message: string, extra: { status?: number; code?: string; retryable?: boolean } = {}) =>
  new Ks3CredentialsError(message, { operation: 'Credentials', ...extra });

/** The first of `names` that `o` has. */
const pick = (o: Record<string, unknown>, ...names: string[]): unknown => {
  for (const n of names) if (o[n] !== undefined) return o[n];
  return undefined;
};

/**
 * Reads credentials from a backend's answer: the SDK's shape `{ accessKeyId, secretAccessKey,
 * securityToken, expiration }`, or KS3 STS's `{ AccessKeyId, SecretAccessKey, SecurityToken,
 * Expiration }`, bare or under `Credentials` / `AssumeRoleResult.Credentials`.
 * @throws {Ks3CredentialsError} naming what is missing (never quoting a value).
 */
export function parseCredentials(answer: unknown): Credentials {
  let o = answer as Record<string, unknown> | null;
  const inner = (x: unknown): Record<string, unknown> | undefined =>
    typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : undefined;
  o = inner(inner(inner(o)?.AssumeRoleResult)?.Credentials) ?? inner(inner(o)?.Credentials) ?? inner(o) ?? null;
  if (!o) throw fail('the credentials endpoint did not answer an object');
  const accessKeyId = pick(o, 'accessKeyId', 'AccessKeyId');
  const secretAccessKey = pick(o, 'secretAccessKey', 'SecretAccessKey');
  const securityToken = pick(o, 'securityToken', 'SecurityToken', 'sessionToken');
  const expiration = pick(o, 'expiration', 'Expiration');
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string')
    throw fail('the credentials endpoint answered no accessKeyId and secretAccessKey');
  if (securityToken !== undefined && typeof securityToken !== 'string')
    throw fail('the credentials endpoint answered a securityToken that is not a string');
  let exp: Date | undefined;
  if (expiration !== undefined && expiration !== null) {
    exp = new Date(expiration as string | number);
    if (typeof expiration === 'boolean' || Number.isNaN(exp.getTime()))
      throw fail('the credentials endpoint answered an expiration that is not a date');
  }
  return { accessKeyId, secretAccessKey, securityToken, expiration: exp };
}

/**
 * A credentials provider for `createClient({ credentials })` that fetches temporary credentials
 * from `url` (or calls `fetcher`, which returns the parsed answer).
 * @throws (from the provider) {@link Ks3CredentialsError}: the endpoint's status as `status` and
 * `CredentialsEndpointAnswered<status>` as code (retryable for 5xx and 429), or what is wrong
 * with its answer.
 * @example
 * const client = createClient({ endpoint, region: 'BEIJING', credentials: createCredentialsProvider('/api/ks3-credentials') });
 */
export function createCredentialsProvider(
  source: string | (() => Promise<unknown>),
  options: CredentialsProviderOptions = {},
): () => Promise<Credentials> {
  if (typeof source === 'function') return async () => parseCredentials(await source());
  if (typeof source !== 'string' || !source)
    throw fail('createCredentialsProvider needs the URL of the credentials endpoint or a function');
  return async () => {
    const res = await (options.fetch ?? globalThis.fetch)(source, {
      method: options.method ?? 'GET',
      headers: { accept: 'application/json', ...options.headers },
      credentials: options.credentials ?? 'same-origin',
      cache: 'no-store',
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw fail(`the credentials endpoint ${source} answered ${res.status}`, {
        status: res.status,
        code: `CredentialsEndpointAnswered${res.status}`,
        retryable: res.status >= 500 || res.status === 429,
      });
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw fail(`the credentials endpoint ${source} did not answer JSON`);
    }
    return parseCredentials(json);
  };
}
