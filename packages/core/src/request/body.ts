/**
 * Request and response bodies. A request body is prepared once per call (type checked, size
 * known where possible) and turned into a fetch body once per attempt by the platform module.
 */
import { Ks3InputError, Ks3IntegrityError, type Ks3ErrorContext } from '../errors.js';
import { concatBytes, fromUtf8, utf8 } from '../bytes.js';
import type { BlobBody, StreamBody } from '../web-types.js';

/**
 * A replayable body of known size that opens a fresh stream for each attempt, such as a file
 * (`fileSource()` in @ks3/node). A Blob is one too.
 */
export interface BodySource {
  readonly size: number;
  /** A new stream of all the bytes, from the start: called once per attempt. */
  stream(): ReadableStream<Uint8Array>;
}

/**
 * What an upload accepts: a string (sent as UTF-8), bytes (any `ArrayBufferView`, such as a
 * Uint8Array or a Node Buffer, or an `ArrayBuffer`), a Blob or File, a `ReadableStream` of
 * Uint8Array chunks, or a {@link BodySource}. A Node `Readable` is none of these: `upload()` of
 * @ks3/node takes one (putObject refuses it with a message saying so).
 */
export type Body = string | ArrayBuffer | ArrayBufferView | BlobBody | StreamBody | BodySource;

/** A body checked and measured; `data` is never a string. */
export interface PreparedBody {
  readonly data: Uint8Array | Blob | ReadableStream<Uint8Array> | BodySource;
  /** Byte length, when known up front. */
  readonly size: number | undefined;
  /** Whether another attempt can send it again (false for one-shot streams). */
  readonly replayable: boolean;
}

const isBlob = (b: unknown): b is Blob => typeof Blob !== 'undefined' && b instanceof Blob;
const isStream = (b: unknown): b is ReadableStream<Uint8Array> =>
  typeof ReadableStream !== 'undefined' && b instanceof ReadableStream;
/** Duck-typed so sources from any realm or package copy work. */
export const isBodySource = (b: unknown): b is BodySource =>
  typeof b === 'object' &&
  b !== null &&
  typeof (b as BodySource).stream === 'function' &&
  Number.isSafeInteger((b as BodySource).size);

/** A Node.js `Readable`, recognised by shape (core imports nothing from node:*). */
const isNodeReadable = (b: unknown): boolean =>
  typeof b === 'object' &&
  b !== null &&
  ['pipe', 'read', 'on'].every((m) => typeof (b as Record<string, unknown>)[m] === 'function');

/** The error for a body the SDK cannot send, saying what to use instead. */
export function unsupportedBody(body: unknown, ctx: Ks3ErrorContext): Ks3InputError {
  if (isNodeReadable(body)) {
    return new Ks3InputError(
      'body',
      'is a Node.js Readable stream, which this call does not take: use upload() from @ks3/node (any size, ' +
        'one part in memory at a time), or pass Readable.toWeb(stream) with its size',
      ctx,
    );
  }
  return new Ks3InputError(
    'body',
    `unsupported type ${body === null ? 'null' : typeof body}; ` +
      'use a string, bytes (ArrayBuffer or a typed array), Blob, ReadableStream or a BodySource',
    ctx,
  );
}

/**
 * Checks a body and measures it. `size` is the caller's declared length, required to stream a
 * ReadableStream without buffering it (KS3 needs Content-Length).
 * @throws {Ks3InputError} for an unsupported body type or a size that contradicts the body.
 */
export function prepareBody(body: Body, ctx: Ks3ErrorContext, size?: number): PreparedBody {
  let data: PreparedBody['data'];
  if (typeof body === 'string') data = utf8(body);
  else if (body instanceof Uint8Array) data = body;
  else if (body instanceof ArrayBuffer) data = new Uint8Array(body);
  else if (ArrayBuffer.isView(body))
    data = new Uint8Array(
      (body as ArrayBufferView).buffer,
      (body as ArrayBufferView).byteOffset,
      (body as ArrayBufferView).byteLength,
    );
  else if (isBlob(body) || isStream(body) || isBodySource(body)) data = body;
  else throw unsupportedBody(body, ctx);
  const known = isStream(data) ? undefined : data instanceof Uint8Array ? data.length : data.size;
  if (size !== undefined) {
    if (!Number.isSafeInteger(size) || size < 0)
      throw new Ks3InputError('size', `must be a non-negative integer, got ${String(size)}`, ctx);
    if (known !== undefined && known !== size)
      throw new Ks3InputError('size', `is ${size} but the body has ${known} bytes`, ctx);
  }
  return { data, size: known ?? size, replayable: !isStream(data) };
}

/** Reads a whole stream into one buffer; `expected` pre-sizes it (and is checked) when known. */
export async function readAllBytes(
  stream: ReadableStream<Uint8Array>,
  expected?: number,
  ctx: Ks3ErrorContext = {},
): Promise<Uint8Array> {
  const reader = stream.getReader();
  // A reader loop into one pre-sized buffer: far faster than Response.arrayBuffer() in Node 20
  // for large bodies (platform-notes.md §5) and never holds two copies.
  if (expected !== undefined) {
    const out = new Uint8Array(expected);
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (n + value.length > expected) {
        await reader.cancel();
        throw new Ks3IntegrityError(`body is longer than its Content-Length ${expected}`, ctx);
      }
      out.set(value, n);
      n += value.length;
    }
    if (n !== expected) throw new Ks3IntegrityError(`body truncated: ${n} of ${expected} bytes`, ctx);
    return out;
  }
  const parts: Uint8Array[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
  return parts.length === 1 ? parts[0]! : concatBytes(parts);
}

/** Reads a whole stream as UTF-8 text. */
export async function readAllText(stream: ReadableStream<Uint8Array> | null): Promise<string> {
  return stream ? fromUtf8(await readAllBytes(stream)) : '';
}
