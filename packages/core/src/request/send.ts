/**
 * One KS3 request, end to end: URL, headers, signature, fetch, timeouts, abort, retries, and a
 * typed error for any failure. Every operation builds a {@link RequestSpec} and parses what
 * this returns.
 */
import { type Client, clientState } from '../client.js';
import { Ks3CredentialsError, Ks3Error, Ks3NetworkError, Ks3ServiceError, type Ks3ErrorContext } from '../errors.js';
import type { QueryParam } from '../sign/subresources.js';
import { type RawResponse, attemptOnce } from './attempt.js';
import { readAllText, type PreparedBody } from './body.js';
import { checkHeaders, explicitTime } from './headers.js';
import { payloadHash } from './payload.js';
import { backoffDelay, isRetryableStatus, retryAfterMs, sleep } from './retry.js';
import { urlFor } from './url.js';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';

/** Everything an operation decides about its request. */
export interface RequestSpec {
  /** KS3 operation name, used in errors (`PutObject`). */
  op: string;
  method: Method;
  bucket?: string | undefined;
  key?: string | undefined;
  query?: readonly QueryParam[] | undefined;
  /** Header names in lower case; `undefined` values are skipped. */
  headers?: Readonly<Record<string, string | undefined>> | undefined;
  body?: PreparedBody | undefined;
  signal?: AbortSignal | undefined;
  /** Which statuses count as success (default 2xx). */
  ok?: ((status: number) => boolean) | undefined;
  /**
   * May an attempt that got no answer be repeated? Default: every method but POST. Error
   * answers (5xx, 429, SlowDown, …) are retried whatever the method: KS3 did not do the work.
   */
  idempotent?: boolean | undefined;
  /**
   * `text`: the body is read inside the attempt (so a body cut mid-read is retried like any
   * other failed attempt), and a 2xx whose body is an `<Error>` document is an error.
   */
  read?: 'text' | undefined;
  /** Bytes of the body handed to the network so far in this attempt. */
  onProgress?: ((sent: number) => void) | undefined;
}

/** A successful response. */
export interface Ks3Response {
  status: number;
  headers: Headers;
  /** The body stream (null for `read: 'text'`, whose text is already read, and for HEAD). */
  body: ReadableStream<Uint8Array> | null;
  /** The whole body as text (read already with `read: 'text'`). */
  text(): Promise<string>;
  /** `x-kss-request-id`, if KS3 sent one. */
  requestId: string | undefined;
  /** Attempts this call took. */
  attempts: number;
}

const is2xx = (s: number): boolean => s >= 200 && s < 300;
const CREDENTIAL_CODES = new Set(['InvalidAccessKeyId', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired']);

/** Reads the error of a failed (or `<Error>`-bodied) response. */
async function errorOf(res: RawResponse, text: string | undefined, spec: RequestSpec, ctx: Ks3ErrorContext) {
  const { serviceError, readCapped } = await import('./service-error.js');
  const body = text ?? (spec.method === 'HEAD' ? '' : await readCapped(res.body));
  return serviceError(res.status, res.headers, body, spec.method, ctx);
}

/**
 * Sends a request with retries. Network errors are retried when the request is idempotent and
 * its body can be replayed; error answers that say "try again" (5xx, 429, SlowDown,
 * RequestTimeout) always when the body can be replayed; other 4xx never. A skewed clock and
 * refused temporary credentials are corrected once and retried.
 * @throws {Ks3ServiceError} for an error status, {@link Ks3NetworkError} when no answer came,
 * {@link Ks3CredentialsError} when signing failed, and the signal's reason when the caller aborts.
 */
export async function send(client: Client, spec: RequestSpec): Promise<Ks3Response> {
  const ctx: Ks3ErrorContext = { operation: spec.op, bucket: spec.bucket, key: spec.key };
  const headers = checkHeaders(spec.headers, ctx);
  if (spec.body && !headers['content-type']) headers['content-type'] = 'application/octet-stream';
  if (client.userAgent) headers['user-agent'] = client.userAgent;
  const time = explicitTime(headers, ctx);
  const url = urlFor(client, spec.bucket, spec.key, spec.query);
  const hash = client.signer && client.signatureVersion === 'v4' ? await payloadHash(spec.body) : 'UNSIGNED-PAYLOAD';
  const replayable = spec.body?.replayable ?? true;
  const mayRepeatUnanswered = (spec.idempotent ?? spec.method !== 'POST') && replayable;
  let skewFixed = false;
  let refreshed = false;
  let retried = 0;
  for (let attempt = 1; ; attempt++) {
    spec.signal?.throwIfAborted();
    let failure: Ks3Error;
    let wait: number | undefined;
    try {
      const res = await attemptOnce(client, spec, {
        url,
        headers: { ...headers },
        payloadHash: hash,
        time,
        attempt,
        ctx,
      });
      const requestId = res.headers.get('x-kss-request-id') ?? undefined;
      const ok = (spec.ok ?? is2xx)(res.status);
      // An error answer's body is read only up to the cap (a hostile 64 MiB body stays out of memory).
      const text =
        spec.read === 'text' && spec.method !== 'HEAD'
          ? ok
            ? await readAllText(res.body)
            : await (await import('./service-error.js')).readCapped(res.body)
          : undefined;
      if (ok && !(text !== undefined && isErrorBody(text))) {
        return {
          status: res.status,
          headers: res.headers,
          body: text === undefined ? res.body : null,
          text: text === undefined ? () => readAllText(res.body) : async () => text,
          requestId,
          attempts: attempt,
        };
      }
      const err = await errorOf(res, text, spec, ctx);
      const retryAfter = res.headers.get('retry-after');
      const after = retryAfter ? retryAfterMs(retryAfter, client.now()) : undefined;
      if (after !== undefined) err.retryAfterMs = after;
      // A clock off by more than KS3 allows: take KS3's time and try again at once, once.
      if (err.code === 'RequestTimeTooSkewed' && !skewFixed && time === undefined && replayable) {
        const server = Date.parse(res.headers.get('date') ?? '');
        if (Number.isFinite(server)) {
          clientState(client).clockOffset = server - client.now();
          skewFixed = true;
          continue;
        }
      }
      // Refused credentials from a provider: refresh once and try again at once.
      if (CREDENTIAL_CODES.has(err.code) && !refreshed && res.credentials && replayable) {
        if (client.credentials?.expire(res.credentials)) {
          refreshed = true;
          continue;
        }
      }
      if (!isRetryableStatus(err.status, err.code) || !replayable) throw done(err, attempt);
      if (after !== undefined && after > client.maxRetryAfter) throw done(err, attempt);
      failure = err;
      wait = after;
    } catch (e) {
      if (!(e instanceof Ks3Error) || e instanceof Ks3ServiceError) throw e instanceof Ks3Error ? e : e;
      const transient =
        e instanceof Ks3NetworkError ? mayRepeatUnanswered : e instanceof Ks3CredentialsError && e.retryable;
      if (!transient) throw done(e, attempt);
      failure = e;
    }
    if (retried >= client.retries) throw done(failure, attempt);
    await sleep(wait ?? backoffDelay(client.retryDelay, retried), spec.signal);
    retried++;
  }
}

const isErrorBody = (text: string): boolean => /^\s*(<\?xml[^>]*\?>\s*)?<([\w-]+:)?Error[\s>]/.test(text);

function done<E extends Ks3Error>(e: E, attempts: number): E {
  e.attempts = attempts;
  return e;
}
