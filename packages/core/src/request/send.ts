/**
 * One KS3 request, end to end: URL, headers, signature, fetch, timeouts, abort, retries, and a
 * typed error for any failure. Every operation builds a {@link RequestSpec} and parses what
 * this returns.
 */
import { type Client, clientState } from '../client.js';
import { Ks3CredentialsError, Ks3Error, type Ks3ErrorContext, Ks3NetworkError } from '../errors.js';
import type { QueryParam } from '../sign/subresources.js';
import { attemptOnce, type RawResponse } from './attempt.js';
import { readAllText, type PreparedBody } from './body.js';
import { checkHeaders, explicitTime } from './headers.js';
import { payloadHash } from './payload.js';
import { backoffDelay, sleep } from './retry.js';
import { urlFor } from './url.js';

/** The HTTP methods KS3's API uses. */
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

/** What became of one attempt: a response to return, or an error and what to do about it. */
export type Outcome =
  | { response: Ks3Response }
  | { error: Ks3Error; again?: boolean; retry?: boolean; wait?: number | undefined };

/** Per-call state of the corrections made at most once (clock, credentials), and what allows them. */
export interface Corrections {
  skewFixed: boolean;
  refreshed: boolean;
  replayable: boolean;
  /** The caller gave the request time, so a skewed clock is not corrected. */
  explicitTime: boolean;
  ctx: Ks3ErrorContext;
}

/**
 * Judges an answered attempt: success, or an error answer, judged by service-error.ts (loaded on
 * the first one): a one-time correction to try `again` at once, or an error that may be retried.
 */
async function judge(
  client: Client,
  spec: RequestSpec,
  res: RawResponse,
  attempt: number,
  c: Corrections,
): Promise<Outcome> {
  const requestId = res.headers.get('x-kss-request-id') ?? undefined;
  const ok = (spec.ok ?? is2xx)(res.status);
  const text = ok && spec.read === 'text' && spec.method !== 'HEAD' ? await readAllText(res.body) : undefined;
  if (ok && !(text !== undefined && isErrorBody(text))) {
    const body = text === undefined ? res.body : null;
    const read = text === undefined ? () => readAllText(res.body) : async () => text;
    return { response: { status: res.status, headers: res.headers, body, text: read, requestId, attempts: attempt } };
  }
  return (await import('./service-error.js')).judgeErrorAnswer(client, clientState(client), spec, res, text, c);
}

/**
 * Sends a request with retries. Network errors are retried when the request is idempotent and
 * its body can be replayed; error answers that say "try again" (5xx, 429, SlowDown,
 * RequestTimeout) always when the body can be replayed; other 4xx never. A skewed clock and
 * refused temporary credentials are corrected once and retried at once.
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
  const c = { skewFixed: false, refreshed: false, replayable, explicitTime: time !== undefined, ctx };
  let retried = 0;
  for (let attempt = 1; ; attempt++) {
    spec.signal?.throwIfAborted();
    let outcome: Outcome;
    try {
      const input = { url, headers: { ...headers }, payloadHash: hash, time, attempt, ctx };
      outcome = await judge(client, spec, await attemptOnce(client, spec, input), attempt, c);
    } catch (e) {
      // No answer (or its body broke off). The caller's abort reason passes through as it is;
      // other typed errors (a request body's own failure) end the call with their attempt count.
      if (!(e instanceof Ks3Error)) throw e;
      if (!(e instanceof Ks3NetworkError || e instanceof Ks3CredentialsError)) throw done(e, attempt);
      const retry = e instanceof Ks3NetworkError ? mayRepeatUnanswered : e.retryable;
      outcome = { error: e, retry };
    }
    if ('response' in outcome) return outcome.response;
    if (outcome.again) continue;
    if (!outcome.retry || retried >= client.retries) throw done(outcome.error, attempt);
    await sleep(outcome.wait ?? backoffDelay(client.retryDelay, retried), spec.signal);
    retried++;
  }
}

const isErrorBody = (text: string): boolean => /^\s*(<\?xml[^>]*\?>\s*)?<([\w-]+:)?Error[\s>]/.test(text);

function done<E extends Ks3Error>(e: E, attempts: number): E {
  e.attempts = attempts;
  return e;
}
