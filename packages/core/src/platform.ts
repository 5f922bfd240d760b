/**
 * Platform strategy for Node and other server runtimes (the `node`/default export condition).
 * Its twin `platform.browser.ts` is picked by bundlers through the `browser` condition; both
 * export the same names.
 */
import type { PreparedBody } from './request/body.js';
import { readAllBytes } from './request/body.js';

/** Node's fetch may send `Date`, as the reference SDK does. */
export const DEFAULT_DATE_HEADER: 'date' | 'x-kss-date' = 'date';

/** Node's fetch sends a caller's `User-Agent`. */
export const CAN_SET_USER_AGENT = true;

/** Whether this client's fetch takes stream bodies (probed once for an injected fetch). */
export { canStream } from './request/streaming.js';

/** A transport that reports upload progress (`onUpload`: body bytes sent so far). */
export type ProgressTransport = (
  url: string,
  init: RequestInit,
  onUpload: (loaded: number) => void,
) => Promise<Response>;

/** Node's fetch streams uploads and counts them as they go: no other transport is needed for progress. */
export const progressTransport = async (_client: object): Promise<ProgressTransport | undefined> => undefined;

/** Whether request bodies can be streamed to fetch at all. */
export const CAN_STREAM_UPLOADS = true;

/**
 * Whether in-memory part bodies are best handed to fetch as Blobs: in Chromium a Blob body is
 * sent much faster than a typed array when devtools instrumentation is on, and its copy lives
 * outside the JS heap. Node streams bytes in 1 MiB chunks instead (see toFetchBody).
 */
export const PREFER_BLOB_BODIES = false;

/**
 * The ceiling of the upload manager's adaptive concurrency: Node opens as many connections as
 * asked, and a long fast link may need many to keep its bandwidth-delay product in flight.
 */
export const DEFAULT_MAX_CONCURRENCY = 16;

/**
 * Content-Encodings fetch decodes on its own (it cannot be turned off): a body with these is
 * delivered decoded, so its length is not Content-Length.
 */
export const DECODED_ENCODINGS: ReadonlySet<string> = /* @__PURE__ */ new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/** The runtime part of the default User-Agent: `node/20.20.2` (or the runtime's own name). */
export const PLATFORM_AGENT: string = (() => {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node ? `node/${p.versions.node}` : 'js';
})();

/**
 * The fetch `cache` mode for reads. Node's fetch has no HTTP cache, and any mode but the
 * default makes it add `Cache-Control`/`Pragma` request headers: send none.
 */
export const READ_CACHE_MODE: RequestCache | undefined = undefined;

/** What one attempt hands to fetch. */
export interface FetchBody {
  body: Uint8Array | Blob | ReadableStream<Uint8Array>;
  /** Set as Content-Length when fetch cannot know it (stream bodies). */
  length?: number;
  /** Streams need `duplex: 'half'` in fetch. */
  stream: boolean;
}

// Node 20's fetch sends a fixed Uint8Array or Blob about ten times slower than the same bytes as
// a stream of ~1 MiB chunks (platform-notes.md §5), so large bodies go as streams.
const CHUNK = 1 << 20;

/** Bodies from this size on go to fetch as streams (when it can take them). */
export const STREAM_THRESHOLD = CHUNK;

function byteStream(bytes: Uint8Array, onChunk: (n: number) => void): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (offset >= bytes.length) return c.close();
        const chunk = bytes.subarray(offset, offset + CHUNK);
        offset += chunk.length;
        onChunk(chunk.length);
        c.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

function blobStream(blob: Blob, onChunk: (n: number) => void): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        if (offset >= blob.size) return c.close();
        const end = Math.min(offset + CHUNK, blob.size);
        const chunk = new Uint8Array(await blob.slice(offset, end).arrayBuffer());
        offset = end;
        onChunk(chunk.length);
        c.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

function countingStream(src: ReadableStream<Uint8Array>, onChunk: (n: number) => void): ReadableStream<Uint8Array> {
  const reader = src.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        const { done, value } = await reader.read();
        if (done) return c.close();
        onChunk(value.length);
        c.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * Bytes fetch takes whole: it refuses views of a SharedArrayBuffer (such as part buffers that
 * MD5 worker threads read in place), so those are copied; streamed chunks may be shared.
 */
const fixed = (bytes: Uint8Array): Uint8Array =>
  typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer ? new Uint8Array(bytes) : bytes;

/** Reads any body into memory, for fetches that cannot take streams (see `streaming`). */
async function inMemory(b: PreparedBody): Promise<Uint8Array> {
  const { data } = b;
  if (data instanceof Uint8Array) return fixed(data);
  if (data instanceof Blob) return new Uint8Array(await data.arrayBuffer());
  return readAllBytes(data instanceof ReadableStream ? data : data.stream(), b.size);
}

/**
 * Turns a prepared body into what one fetch attempt sends. `onChunk` sees every chunk as fetch
 * pulls it (upload progress, idle-timeout resets); small fixed bodies go whole. Without
 * `streaming`, every body is sent from memory.
 */
export async function toFetchBody(b: PreparedBody, onChunk: (n: number) => void, streaming = true): Promise<FetchBody> {
  if (!streaming) return { body: await inMemory(b), stream: false };
  const { data } = b;
  if (data instanceof Uint8Array) {
    return data.length < CHUNK
      ? { body: fixed(data), stream: false }
      : { body: byteStream(data, onChunk), length: data.length, stream: true };
  }
  if (data instanceof ReadableStream) {
    if (b.size === undefined) {
      // KS3 needs Content-Length; a stream of unknown length is buffered (use the upload
      // manager of @ks3/multipart for large streams of unknown length).
      const bytes = await readAllBytes(data);
      return toFetchBody({ data: bytes, size: bytes.length, replayable: true }, onChunk);
    }
    return { body: countingStream(data, onChunk), length: b.size, stream: true };
  }
  if (data instanceof Blob) {
    return data.size < CHUNK
      ? { body: data, stream: false }
      : { body: blobStream(data, onChunk), length: data.size, stream: true };
  }
  return { body: countingStream(data.stream(), onChunk), length: data.size, stream: true };
}
