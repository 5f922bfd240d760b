/**
 * A signer that asks your backend to sign, so the secret key never reaches the page. The
 * backend receives the whole request as JSON (method, URL, bucket, key, query, headers, payload
 * hash, time, expiry), can check that it is a request it allows, and answers the signed
 * request `{ "url": "...", "headers": { ... } }`.
 */
import { type Fetch, Ks3CredentialsError, Ks3ServiceError, type SignedRequest, type Signer } from '@ks3/core';

/** Options of {@link createRemoteSigner}. */
export interface RemoteSignerOptions {
  /** Extra request headers, e.g. your app's session token. */
  headers?: Record<string, string>;
  /** The fetch that calls your backend (default: the global fetch). */
  fetch?: Fetch | undefined;
}

/**
 * Creates a signer that POSTs each request to sign (as JSON) to `url`.
 * @example
 * const client = createClient({ endpoint, region: 'BEIJING', signer: createRemoteSigner('/api/ks3-sign') });
 */
export function createRemoteSigner(url: string, options: RemoteSignerOptions = {}): Signer {
  return async (request, signal): Promise<SignedRequest> => {
    const f = options.fetch ?? globalThis.fetch;
    const res = await f(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(request),
      ...(signal ? { signal } : {}),
    });
    if (!res.ok) {
      throw new Ks3ServiceError({ operation: 'Sign', status: res.status, code: `SignerAnswered${res.status}` });
    }
    const json = (await res.json()) as Partial<SignedRequest>;
    if (typeof json.url !== 'string' || typeof json.headers !== 'object' || json.headers === null) {
      throw new Ks3CredentialsError(`remote signer ${url} did not answer { url, headers }`, { operation: 'Sign' });
    }
    return { url: json.url, headers: json.headers as Record<string, string> };
  };
}
