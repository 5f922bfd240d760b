/**
 * A signer that asks your backend to sign, so the secret key never reaches the page. The
 * backend receives the string to sign, checks that it is a request it allows, and answers
 * `{ "accessKeyId": "...", "signature": "<base64 HMAC-SHA1>" }`.
 */
import { Ks3Error, type Signer, type SignResult } from '@ks3/core';

/** Options of {@link createRemoteSigner}. */
export interface RemoteSignerOptions {
  /** Extra request headers, e.g. your app's session token. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/**
 * Creates a signer that POSTs each string to sign (as `text/plain`) to `url`.
 * @example
 * const client = createClient({ endpoint, signer: createRemoteSigner('/api/ks3-sign') });
 */
export function createRemoteSigner(url: string, options: RemoteSignerOptions = {}): Signer {
  return async (stringToSign: string): Promise<SignResult> => {
    const f = options.fetch ?? globalThis.fetch;
    const res = await f(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...options.headers },
      body: stringToSign,
    });
    if (!res.ok) throw new Ks3Error(`[ks3] remote signer ${url} answered ${res.status}`, { operation: 'Sign' });
    const json = (await res.json()) as Partial<SignResult>;
    if (typeof json.accessKeyId !== 'string' || typeof json.signature !== 'string') {
      throw new Ks3Error(`[ks3] remote signer ${url} did not answer { accessKeyId, signature }`, { operation: 'Sign' });
    }
    return { accessKeyId: json.accessKeyId, signature: json.signature };
  };
}
