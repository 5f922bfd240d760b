/**
 * One HTTP attempt: sign, fetch, and guard the response body with the idle timeout and the
 * caller's signal. Whatever fails becomes a typed error (or the caller's abort reason); secrets
 * of the request are scrubbed from any message fetch produced.
 */
import {
  CAN_STREAM_UPLOADS,
  canStream,
  progressTransport,
  READ_CACHE_MODE,
  STREAM_THRESHOLD,
  toFetchBody,
} from '#platform';
import { type Client, clientState } from '../client.js';
import { Ks3CredentialsError, type Ks3ErrorContext } from '../errors.js';
import { credentialsFailure, raceAbort } from '../sign/credentials.js';
import type { Credentials, SignedRequest } from '../sign/types.js';
import { isHeaderValue } from './headers.js';
import { callHook, redactUrl } from './hooks.js';
import type { RequestSpec } from './send.js';

/** What one attempt needs besides the spec. */
export interface AttemptInput {
  url: string;
  headers: Record<string, string>;
  payloadHash: string;
  /** The caller's explicit request time, if any. */
  time?: number | undefined;
  attempt: number;
  ctx: Ks3ErrorContext;
}

/** The response of an attempt; `body` is guarded by the idle timeout and the caller's signal. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
  /** The credentials the request was signed with (to forget them if KS3 refuses them). */
  credentials: Credentials | undefined;
}

/** An idle timer plus the caller's signal, feeding one AbortController. */
function guard(client: Client, user: AbortSignal | undefined) {
  const ac = new AbortController();
  const onUserAbort = (): void => ac.abort(user!.reason);
  user?.addEventListener('abort', onUserAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const g = {
    signal: ac.signal,
    timedOut: false,
    arm(): void {
      if (!client.timeout) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        g.timedOut = true;
        ac.abort();
      }, client.timeout);
      (timer as { unref?: () => void }).unref?.();
    },
    disarm: (): void => clearTimeout(timer),
    cleanup(): void {
      clearTimeout(timer);
      user?.removeEventListener('abort', onUserAbort);
    },
  };
  return g;
}

async function sign(client: Client, spec: RequestSpec, a: AttemptInput, signal: AbortSignal) {
  const credentials = client.credentials ? await client.credentials.get(signal) : undefined;
  const request = {
    method: spec.method,
    url: a.url,
    bucket: spec.bucket,
    key: spec.key,
    query: spec.query ?? [],
    headers: a.headers,
    payloadHash: a.payloadHash,
    time: a.time ?? client.now() + clientState(client).clockOffset,
    size: spec.body ? spec.body.size : 0,
    operation: spec.op,
  };
  let signed: SignedRequest;
  try {
    signed = await raceAbort(client.signer!(request, signal), signal);
  } catch (e) {
    throw await credentialsFailure(e, 'signing', signal, a.ctx);
  }
  if (typeof signed?.url !== 'string' || typeof signed.headers !== 'object' || signed.headers === null) {
    throw new Ks3CredentialsError('the signer did not return { url, headers }', a.ctx);
  }
  for (const [name, value] of Object.entries(signed.headers)) {
    // Checked here so that fetch never rejects (and quotes) a secret-bearing value.
    if (typeof value !== 'string' || !isHeaderValue(value) || /[^!#$%&'*+.^_`|~0-9a-z-]/.test(name)) {
      throw new Ks3CredentialsError(`the signer returned an invalid header ${JSON.stringify(name)}`, a.ctx);
    }
  }
  return { signed, credentials };
}

/**
 * Sends one attempt.
 * @throws {Ks3NetworkError} when no answer came, {@link Ks3CredentialsError} when signing failed,
 * or the caller's abort reason.
 */
export async function attemptOnce(client: Client, spec: RequestSpec, a: AttemptInput): Promise<RawResponse> {
  // Only bodies that would go as streams need to know whether fetch takes streams (small ones go
  // whole anyway), so a fetch injected for a test of small requests never sees the probe. The
  // probe has its own time limit: it is not part of this attempt's idle timeout.
  const big = CAN_STREAM_UPLOADS && spec.body && (spec.body.size === undefined || spec.body.size >= STREAM_THRESHOLD);
  const streaming = big ? await raceAbort(canStream(client), spec.signal) : false;
  const g = guard(client, spec.signal);
  const started = Date.now();
  let sent = 0;
  let sentHeaders: Record<string, string> = {};
  let url = a.url;
  const event = (): {
    operation: string;
    method: string;
    url: string;
    bucket?: string;
    key?: string;
    attempt: number;
  } => ({
    operation: spec.op,
    method: spec.method,
    url: redactUrl(url),
    bucket: spec.bucket,
    key: spec.key,
    attempt: a.attempt,
  });
  // Async: the code that describes network failures loads only when one happens.
  const failure = async (e: unknown, phase: string): Promise<unknown> => {
    g.cleanup();
    if (spec.signal?.aborted) return spec.signal.reason;
    const { timedOut } = g;
    return (await import('./failure.js')).attemptFailure(e, {
      op: spec.op,
      method: spec.method,
      phase,
      url,
      sentHeaders,
      timeout: client.timeout,
      timedOut,
      ctx: a.ctx,
    });
  };

  g.arm();
  let response: Response;
  let streamed = false;
  let credentials: Credentials | undefined;
  try {
    let headers = { ...a.headers };
    if (client.signer) {
      const s = await sign(client, spec, a, g.signal);
      ({ credentials } = s);
      ({ url, headers } = s.signed);
      sentHeaders = headers;
    }
    const fb = spec.body
      ? await toFetchBody(
          spec.body,
          (n) => {
            g.arm();
            sent += n;
            spec.onProgress?.(sent);
          },
          streaming,
        )
      : undefined;
    if (fb?.length !== undefined) headers['content-length'] = String(fb.length);
    streamed = fb?.stream === true;
    // Browsers: an upload whose caller wants progress goes through XMLHttpRequest (fetch has no
    // upload progress); its progress events also keep the idle timeout alive.
    const xhr = fb && !streamed && spec.onProgress ? await progressTransport(client) : undefined;
    // A body fetch sends whole (browsers; fetches that cannot stream) reports no progress, so a
    // large one could outlast the idle timeout while it is still uploading: the timeout then
    // starts with the response. The caller's signal still applies.
    if (spec.body && !streamed && !xhr && (spec.body.size ?? Number.POSITIVE_INFINITY) >= 1 << 20) g.disarm();
    // redirect 'error' for streamed bodies: with any other mode Node 20's fetch keeps a copy of
    // every chunk sent (to replay the body after a redirect), so a streamed upload would be held
    // in memory whole. A stream cannot follow a redirect anyway.
    const init: RequestInit & { duplex?: 'half' } = {
      method: spec.method,
      headers,
      signal: g.signal,
      redirect: streamed ? 'error' : 'manual',
    };
    // Reads only: a bodiless POST (Initiate) or PUT (Copy) with this mode would carry the cache
    // headers fetch adds, and KS3 stores them as the object's metadata.
    if (READ_CACHE_MODE && (spec.method === 'GET' || spec.method === 'HEAD')) init.cache = READ_CACHE_MODE;
    if (fb) init.body = fb.body as BodyInit;
    if (streamed) init.duplex = 'half';
    callHook(client.hooks?.request, event());
    const total = spec.body?.size ?? Number.POSITIVE_INFINITY;
    // Raced with the guard, so the timeout and the caller's signal hold even for a fetch that
    // ignores its signal; an answer that comes after all is let go.
    const pending = xhr
      ? xhr(url, init, (loaded) => {
          g.arm();
          // Never above the body's size, never backwards within an attempt.
          const n = Math.min(loaded, total);
          if (n > sent) spec.onProgress?.((sent = n));
        })
      : client.fetch(url, init);
    response = await raceAbort(pending, g.signal).catch((e: unknown) => {
      if (g.signal.aborted)
        pending.then(
          (r) => r.body?.cancel().catch(() => {}),
          () => {},
        );
      throw e;
    });
  } catch (e) {
    const err = await failure(e, 'request');
    callHook(client.hooks?.response, { ...event(), durationMs: Date.now() - started, bytesSent: sent, error: err });
    throw err;
  }
  if (spec.body && !streamed && sent < (spec.body.size ?? 0)) {
    sent = spec.body.size ?? 0;
    spec.onProgress?.(sent);
  }
  g.disarm();
  // Browsers hide redirects under redirect:'manual' (status 0); KS3 redirects only for a wrong region.
  const status = response.type === 'opaqueredirect' ? 301 : response.status;
  callHook(client.hooks?.response, {
    ...event(),
    status,
    durationMs: Date.now() - started,
    bytesSent: sent,
    requestId: response.headers.get('x-kss-request-id') ?? undefined,
  });
  return { status, headers: response.headers, body: guardBody(response, g, failure), credentials };
}

/** The response body, re-arming the idle timer only while waiting on the network. */
function guardBody(
  response: Response,
  g: ReturnType<typeof guard>,
  failure: (e: unknown, phase: string) => Promise<unknown>,
): ReadableStream<Uint8Array> | null {
  const src = response.body;
  if (!src) {
    g.cleanup();
    return null;
  }
  // Fetches without web streams (node-fetch 2 behind fetch-ponyfill) give a Node stream here.
  const reader =
    typeof src.getReader === 'function'
      ? src.getReader()
      : new ReadableStream<Uint8Array>({
          start: async (c) => {
            try {
              c.enqueue(new Uint8Array(await response.arrayBuffer()));
              c.close();
            } catch (e) {
              c.error(e);
            }
          },
        }).getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        g.arm();
        try {
          // Raced with the guard too: a body whose fetch ignores the signal still times out.
          const { done, value } = await raceAbort(reader.read(), g.signal);
          g.disarm();
          if (done) {
            g.cleanup();
            c.close();
          } else c.enqueue(value);
        } catch (e) {
          c.error(await failure(e, 'response body'));
          reader.cancel().catch(() => {});
        }
      },
      cancel(reason) {
        g.cleanup();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
