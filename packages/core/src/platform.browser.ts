/**
 * Platform strategy for browsers (the `browser` export condition). Its twin is `platform.ts`;
 * both export the same names.
 */
import type { PreparedBody } from './request/body.js';
import type { FetchBody, ProgressTransport } from './platform.js';
import { clientState } from './client-state.js';

export type { FetchBody, ProgressTransport } from './platform.js';

/** `Date` is a forbidden request header in browsers: sign with `x-kss-date` instead (§2.5). */
export const DEFAULT_DATE_HEADER: 'date' | 'x-kss-date' = 'x-kss-date';

/** Browsers keep their own `User-Agent`. */
export const CAN_SET_USER_AGENT = false;

/** Whether request bodies can be streamed to fetch at all: not over HTTP/1.1 in Chromium. */
export const CAN_STREAM_UPLOADS = false;

/**
 * Whether in-memory part bodies are best handed to fetch as Blobs: in Chromium a Blob body is
 * sent much faster than a typed array when devtools instrumentation is on, and its copy lives
 * outside the JS heap. Node streams bytes in 1 MiB chunks instead (see toFetchBody).
 */
export const PREFER_BLOB_BODIES = true;

/**
 * Content-Encodings fetch decodes on its own (it cannot be turned off): a body with these is
 * delivered decoded, so its length is not Content-Length.
 */
export const DECODED_ENCODINGS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'gzip',
  'x-gzip',
  'deflate',
  'br',
  'zstd',
]);

/**
 * fetch cannot report upload progress: for an upload whose caller asked for progress, the
 * platform's XMLHttpRequest is used instead (loaded on first use; an injected fetch is kept).
 */
export async function progressTransport(client: object): Promise<ProgressTransport | undefined> {
  if (clientState(client).fetchInjected || typeof XMLHttpRequest === 'undefined') return undefined;
  return (await import('./request/xhr.js')).xhrFetch;
}

/** Browsers never stream request bodies: nothing to probe. */
export const canStream = async (_client: unknown): Promise<boolean> => false;

/**
 * The ceiling of the upload manager's adaptive concurrency: Chromium stalls beyond 6 requests
 * to one HTTP/1.1 origin (its connection limit; toolchain.md §5).
 */
export const DEFAULT_MAX_CONCURRENCY = 6;

/** Browsers never stream request bodies. */
export const STREAM_THRESHOLD = Number.POSITIVE_INFINITY;

/** Unused in browsers (they send their own User-Agent). */
export const PLATFORM_AGENT = 'browser';

/**
 * Reads bypass the HTTP cache: it is keyed by URL alone, so after an overwrite a cached GET of a
 * signed URL would return stale bytes (or revalidate with a 304 whose CORS headers hide
 * x-kss-meta-*). Only reads: with `no-store`, fetch adds `Cache-Control: no-cache` and
 * `Pragma: no-cache` to the request, which an upload would store as the object's metadata.
 */
export const READ_CACHE_MODE: RequestCache | undefined = 'no-store';

/**
 * Browsers send fixed bodies only: Chromium cannot stream a request body over HTTP/1.1
 * (platform-notes.md §3), so a ReadableStream is collected into a Blob first (the upload manager of
 * @ks3/multipart keeps large streams to one part in memory instead). Fetch reports no upload
 * progress; the caller counts the body as sent when the response arrives.
 */
export async function toFetchBody(
  b: PreparedBody,
  _onChunk: (n: number) => void,
  _streaming = false,
): Promise<FetchBody> {
  const { data } = b;
  if (data instanceof Uint8Array || data instanceof Blob) return { body: data, stream: false };
  return { body: await new Response(data instanceof ReadableStream ? data : data.stream()).blob(), stream: false };
}
