/**
 * One KS3 request, end to end: URL, headers, signature, fetch, timeouts, abort, retries, and a
 * typed error for any failure. Every operation builds a {@link RequestSpec} and parses what
 * this returns.
 */
import type { Client } from '../client.js';
import { Ks3InputError, Ks3NetworkError, type Ks3Error, type Ks3ErrorContext } from '../errors.js';
import { CAN_SET_USER_AGENT, toFetchBody } from '#platform';
import { canonicalResource, stringToSignForHeaders } from '../sign/canonical.js';
import { formatHttpDate } from '../sign/date.js';
import { authorization } from '../sign/hmac.js';
import type { QueryParam } from '../sign/subresources.js';
import { readAllText, type PreparedBody } from './body.js';
import { backoffDelay, isRetryableStatus, sleep } from './retry.js';
import { urlFor } from './url.js';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';

/** Everything an operation decides about its request. */
export interface RequestSpec {
  /** KS3 operation name, used in errors (`PutObject`). */
  op: string;
  method: Method;
  bucket?: string | undefined;
  key?: string | undefined;
  query?: QueryParam[];
  /** Header names in lower case; `undefined` values are skipped. */
  headers?: Record<string, string | undefined>;
  body?: PreparedBody | undefined;
  signal?: AbortSignal | undefined;
  /** Which statuses count as success (default 2xx). */
  ok?: (status: number) => boolean;
  /** May a failed attempt be repeated? Default: every method but POST. */
  idempotent?: boolean;
  /** Bytes of the body handed to the network so far in this attempt. */
  onProgress?: ((sent: number) => void) | undefined;
}

/** A successful response; `body` is guarded by the client's idle timeout and the caller's signal. */
export interface Ks3Response {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
  /** Reads the whole body as text. */
  text(): Promise<string>;
}

// Fetch takes ByteString header values; we allow printable ASCII so what is signed is what is sent.
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
const is2xx = (s: number): boolean => s >= 200 && s < 300;
const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function buildHeaders(spec: RequestSpec, ctx: Ks3ErrorContext): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    if (value === undefined) continue;
    // Values are trimmed before signing: HTTP parsers strip edge whitespace, so an untrimmed
    // signed value could never verify (§2.3 QUIRK).
    const v = String(value).trim();
    if (!HEADER_VALUE.test(v))
      throw new Ks3InputError(
        `header ${name}`,
        'must be printable ASCII (encode other text, e.g. with encodeURIComponent)',
        ctx,
      );
    headers[name.toLowerCase()] = v;
  }
  return headers;
}

async function attemptOnce(
  client: Client,
  spec: RequestSpec,
  url: string,
  resource: string,
  ctx: Ks3ErrorContext,
): Promise<Ks3Response> {
  const headers = buildHeaders(spec, ctx);
  if (spec.body && !headers['content-type']) headers['content-type'] = 'application/octet-stream';
  if (CAN_SET_USER_AGENT && client.userAgent) headers['user-agent'] = client.userAgent;
  if (client.signer) {
    const date = formatHttpDate(client.now());
    headers[client.dateHeader] = date; // with x-kss-date the same time goes on the Date line (§2.5)
    if (client.securityToken) headers['x-kss-security-token'] = client.securityToken();
    const signed = await client.signer(stringToSignForHeaders(spec.method, Object.entries(headers), resource, date));
    headers.authorization = authorization(signed.accessKeyId, signed.signature);
  }

  const ac = new AbortController();
  const user = spec.signal;
  const onUserAbort = (): void => ac.abort(user!.reason);
  user?.addEventListener('abort', onUserAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const disarm = (): void => clearTimeout(timer);
  const arm = (): void => {
    if (!client.timeout) return;
    disarm();
    timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, client.timeout);
    (timer as { unref?: () => void }).unref?.();
  };
  const cleanup = (): void => {
    disarm();
    user?.removeEventListener('abort', onUserAbort);
  };
  const failure = (e: unknown, phase: string): unknown => {
    cleanup();
    if (user?.aborted) return user.reason;
    if (timedOut)
      return new Ks3NetworkError(`${spec.op} ${phase} timed out after ${client.timeout} ms without progress`, {
        ...ctx,
        timeout: true,
        cause: e,
      });
    return new Ks3NetworkError(`${spec.op} ${spec.method} ${phase} failed: ${describe(e)}`, { ...ctx, cause: e });
  };

  arm();
  let sent = 0;
  let response: Response;
  let streamed = false;
  try {
    const fb = spec.body
      ? await toFetchBody(
          spec.body,
          (n) => {
            arm();
            sent += n;
            spec.onProgress?.(sent);
          },
          client.streaming,
        )
      : undefined;
    if (fb?.length !== undefined) headers['content-length'] = String(fb.length);
    streamed = fb?.stream === true;
    // A body fetch sends whole (browsers; injected fetches) reports no progress, so a large one
    // could outlast the idle timeout while it is still uploading: the timeout then starts with
    // the response. The caller's signal still applies.
    if (spec.body && !streamed && (spec.body.size ?? Infinity) >= 1 << 20) disarm();
    // no-store: a browser cache could otherwise answer a signed GET with stale bytes after an
    // overwrite, or revalidate with a 304 whose CORS headers hide x-kss-meta-*.
    // redirect 'error' for streamed bodies: with any other mode Node 20's fetch keeps a copy of
    // every chunk sent (to replay the body after a redirect), so a streamed upload would be
    // held in memory whole. A stream cannot follow a redirect anyway.
    const init: RequestInit & { duplex?: 'half' } = {
      method: spec.method,
      headers,
      signal: ac.signal,
      redirect: streamed ? 'error' : 'manual',
      cache: 'no-store',
    };
    if (fb) init.body = fb.body as BodyInit;
    if (streamed) init.duplex = 'half';
    response = await client.fetch(url, init);
  } catch (e) {
    throw failure(e, 'request');
  }
  if (spec.body && !streamed && spec.onProgress) spec.onProgress(spec.body.size ?? 0);
  disarm();

  let src = response.body;
  // Fetches without web streams (node-fetch 2 behind fetch-ponyfill) give a Node stream here.
  if (src && typeof src.getReader !== 'function') {
    const bytes = new Uint8Array(await response.arrayBuffer());
    src = new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) });
  }
  let body: ReadableStream<Uint8Array> | null = null;
  if (src) {
    const reader = src.getReader();
    // Re-arm the idle timer only while waiting on the network, not while the consumer is busy.
    body = new ReadableStream<Uint8Array>(
      {
        async pull(c) {
          arm();
          try {
            const { done, value } = await reader.read();
            disarm();
            if (done) {
              cleanup();
              c.close();
            } else c.enqueue(value);
          } catch (e) {
            c.error(failure(e, 'response body'));
          }
        },
        cancel(reason) {
          cleanup();
          return reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  } else cleanup();
  // Browsers hide redirects under redirect:'manual' (status 0); KS3 redirects only for a wrong region.
  const status = response.type === 'opaqueredirect' ? 301 : response.status;
  return { status, headers: response.headers, body, text: () => readAllText(body) };
}

/**
 * Sends a request with retries. Network errors, 5xx, 429 and RequestTimeout are retried with
 * backoff when the request is idempotent and its body can be replayed; 4xx never are.
 * @throws {Ks3ServiceError} for an error status, {@link Ks3NetworkError} when no answer came,
 * and the signal's reason when the caller aborts.
 */
export async function send(client: Client, spec: RequestSpec): Promise<Ks3Response> {
  const ctx: Ks3ErrorContext = { operation: spec.op, bucket: spec.bucket, key: spec.key };
  const url = urlFor(client, spec.bucket, spec.key, spec.query);
  const resource = canonicalResource(spec);
  const canRetry = (spec.idempotent ?? spec.method !== 'POST') && (spec.body?.replayable ?? true);
  for (let attempt = 0; ; attempt++) {
    spec.signal?.throwIfAborted();
    let failure: Ks3Error;
    let retryAfter: string | null = null;
    try {
      const res = await attemptOnce(client, spec, url, resource, ctx);
      if ((spec.ok ?? is2xx)(res.status)) return res;
      const text = spec.method === 'HEAD' ? '' : await res.text();
      const err = (await import('./service-error.js')).serviceError(res.status, res.headers, text, spec.method, ctx);
      if (!isRetryableStatus(err.status, err.code)) throw err;
      failure = err;
      retryAfter = res.headers.get('retry-after');
    } catch (e) {
      if (!(e instanceof Ks3NetworkError)) throw e;
      failure = e;
    }
    if (!canRetry || attempt >= client.retries) throw failure;
    await sleep(backoffDelay(client.retryDelay, attempt, retryAfter), spec.signal);
  }
}
