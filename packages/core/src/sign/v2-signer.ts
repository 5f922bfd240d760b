/**
 * {@link createV2Signer}: its options are checked when it is made, and the signing code (v2.ts:
 * string to sign, sub-resources, HMAC-SHA1) loads on the first signature, so a bundle whose
 * clients sign with V4 (KS3's default) carries only this wrapper. It is a module of its own
 * because esbuild puts every module a barrel reaches statically into the entry's chunks, even
 * when only a lazy chunk uses it.
 */
import { Ks3InputError } from '../errors.js';
import { utf8 } from '../bytes.js';
import { checkProvider, type CredentialsFunction, fetchCredentials } from './signer-credentials.js';
import type { Credentials, Signer } from './types.js';
import { boundHmac, type HmacFactory, type MacKey } from './v4-key.js';

export { V2_PRESIGN_TOKEN_PARAM } from './v2-token.js';

/** Options of {@link createV2Signer}. */
export interface V2SignerOptions {
  /** Called on every signature (the client caches and refreshes; see `CredentialsSource`). */
  credentials: (signal?: AbortSignal) => Promise<Credentials>;
  /**
   * The header that carries the request time when the request has none: `date` (default) or
   * `x-kss-date` (for browsers, which cannot set Date; its value is then also the Date line, §2.5).
   */
  dateHeader?: 'date' | 'x-kss-date';
  /** HMAC from the platform (@ks3/node: node:crypto); default WebCrypto. Same signatures. */
  hmac?: HmacFactory | undefined;
}

/**
 * A V2 signer for the request pipeline. Credentials come from `options.credentials(signal)` on
 * every call; the HMAC key of the last secret is kept (importing costs as much as signing). The
 * signing code loads on the first call (one dynamic import; a failed load is tried again).
 * @throws {Ks3InputError} at once for bad options, and from the signer for a bad request or
 * credentials; the signal's reason when it aborts.
 * @example
 * const sign = createV2Signer({ credentials: async () => ({ accessKeyId, secretAccessKey }) });
 */
export function createV2Signer(options: V2SignerOptions): Signer {
  if (typeof options !== 'object' || options === null) throw new Ks3InputError('options', 'must be an object');
  const provider: CredentialsFunction = checkProvider(options.credentials);
  const dateHeader = options.dateHeader ?? 'date';
  if (dateHeader !== 'date' && dateHeader !== 'x-kss-date')
    throw new Ks3InputError('dateHeader', `must be 'date' or 'x-kss-date', got ${String(dateHeader)}`);
  const platform = options.hmac;
  if (platform !== undefined && typeof platform !== 'function') throw new Ks3InputError('hmac', 'must be a function');
  let loading: Promise<typeof import('./v2.js')> | undefined;
  let lastSecret: string | undefined;
  let lastKey: Promise<MacKey> | undefined;
  return async (request, signal) => {
    const creds = await fetchCredentials(provider, signal);
    // The signing code asks for nothing of its own (credentials are fetched above), so that a
    // bundle that never signs with V2 is not made to carry its dependencies up front.
    loading ??= import('./v2.js').catch((e: unknown) => {
      loading = undefined;
      throw e;
    });
    const v2 = await loading;
    if (creds.secretAccessKey !== lastSecret || !lastKey) {
      lastSecret = creds.secretAccessKey;
      lastKey = platform
        ? Promise.resolve(boundHmac(platform, 'sha1', utf8(creds.secretAccessKey)))
        : v2.importHmacKey(creds.secretAccessKey);
    }
    return (await v2.signV2(request, creds, await lastKey, dateHeader)).request;
  };
}
