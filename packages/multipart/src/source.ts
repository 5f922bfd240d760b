/**
 * Upload sources, cut into parts. Bytes, Blobs and sliceable sources (files) are random access:
 * a part is a lazy slice, read only when sent. Streams are read in order, one part-sized buffer
 * at a time, so a stream of any length needs one part of memory per part in flight; the buffers
 * of parts that are done are reused, so a long stream makes no part-sized garbage (in Node,
 * garbage ArrayBuffers are only collected after tens of MiB of them, issue 14.4).
 */
import { type Body, type BodySource, type Hasher, Ks3InputError, type Ks3ErrorContext } from '@ks3/core';
import { isBodySource, readAllBytes, toBase64, unsupportedBody } from '@ks3/core/internal';
import type { CheckpointSource } from './checkpoint.js';
import type { PartBody } from './hash.js';

/** One part of the source, in order. */
export interface SourcePart {
  partNumber: number;
  body: PartBody;
  size: number;
  last: boolean;
  /** A buffer read from a stream (counts toward the memory bound); else a view or a lazy slice. */
  owned: boolean;
  /** Gives an owned buffer back for the parts to come: call once nothing reads it any more. */
  recycle?: () => void;
}

/** Makes part buffers (e.g. on a SharedArrayBuffer that hashing workers read without a copy). */
export type Allocate = (size: number) => Uint8Array;

/** A body prepared for cutting into parts. */
export interface Source {
  /** Byte length, when known. */
  readonly size: number | undefined;
  /** Can the same bytes be read again in another process (anything but a one-shot stream)? */
  readonly rereadable: boolean;
  /** Identity a File (or a Node file source) carries, checked when resuming. */
  readonly name?: string;
  readonly lastModified?: number;
  /** The MIME type of a Blob, if it has one. */
  readonly type?: string;
  /** The bytes [start, end) as a body (random-access sources only). */
  readonly slice?: (start: number, end: number) => PartBody;
  /** The parts in order; always at least one (an empty body is one empty part). */
  parts(partSize: number, allocate?: Allocate): AsyncGenerator<SourcePart>;
  /** Stops reading a stream (on failure or abort). */
  close(): void;
}

/** Bytes of a sample taken from the start of a source to recognise it on resume. */
export const SAMPLE_SIZE = 64 * 1024;

interface Sliceable extends BodySource {
  slice(start: number, end: number): BodySource;
}
const isSliceable = (b: BodySource): b is Sliceable => typeof (b as Partial<Sliceable>).slice === 'function';
const isBlob = (b: unknown): b is Blob => typeof Blob !== 'undefined' && b instanceof Blob;

function randomAccess(size: number, slice: (s: number, e: number) => PartBody, extra: Partial<Source>): Source {
  return {
    size,
    rereadable: true,
    slice,
    ...extra,
    async *parts(partSize) {
      const count = Math.max(1, Math.ceil(size / partSize));
      for (let n = 1; n <= count; n++) {
        const start = (n - 1) * partSize;
        const end = Math.min(size, start + partSize);
        yield { partNumber: n, body: slice(start, end), size: end - start, last: n === count, owned: false };
      }
    },
    close() {},
  };
}

/**
 * A stream read one part at a time. With a known `size`, the stream must have exactly that many
 * bytes; without, the end is found by reading one chunk ahead, so the last part is known before
 * it is sent (encryption pads it).
 */
function sequential(
  open: () => ReadableStream<Uint8Array>,
  size: number | undefined,
  rereadable: boolean,
  ctx: Ks3ErrorContext,
): Source {
  const readers = new Set<ReadableStreamDefaultReader<Uint8Array>>();
  return {
    size,
    rereadable,
    async *parts(partSize, allocate = (n) => new Uint8Array(n)) {
      const free: Uint8Array[] = [];
      const reader = open().getReader();
      readers.add(reader);
      let carry: Uint8Array | undefined;
      let ended = false;
      const pull = async (): Promise<Uint8Array | undefined> => {
        if (carry) return ((c) => ((carry = undefined), c))(carry);
        while (!ended) {
          const r = await reader.read();
          if (r.done) ended = true;
          else if (!(r.value instanceof Uint8Array))
            throw new Ks3InputError('body', `a stream must yield Uint8Array chunks, got ${typeof r.value}`, ctx);
          else if (r.value.length) return r.value;
        }
        return undefined;
      };
      let offset = 0;
      for (let n = 1; ; n++) {
        const want = size === undefined ? partSize : Math.min(partSize, size - offset);
        // Every part but the last has `partSize` bytes, so a recycled buffer always fits.
        const buf = want === partSize ? (free.pop() ?? allocate(partSize)) : allocate(want);
        let len = 0;
        while (len < want) {
          const c = await pull();
          if (!c) break;
          const take = Math.min(c.length, want - len);
          buf.set(take === c.length ? c : c.subarray(0, take), len);
          len += take;
          if (take < c.length) carry = c.subarray(take);
        }
        offset += len;
        if (size !== undefined && offset < size && len < want)
          throw new Ks3InputError('size', `is ${size} but the stream ended after ${offset} bytes`, ctx);
        // Is there more after this part? Known from `size`, else by peeking one chunk ahead.
        const more = size !== undefined && offset < size ? true : len === want && (carry = await pull()) !== undefined;
        if (size !== undefined && more && offset >= size)
          throw new Ks3InputError('size', `is ${size} but the stream has more bytes`, ctx);
        let recycled = false;
        const recycle = (): void => {
          if (!recycled && buf.length === partSize && more) free.push(buf);
          recycled = true;
        };
        const body = len === want ? buf : buf.subarray(0, len);
        yield { partNumber: n, body, size: len, last: !more, owned: true, recycle };
        if (!more) return;
      }
    },
    close() {
      for (const r of readers) r.cancel().catch(() => {});
      readers.clear();
    },
  };
}

/**
 * Prepares an upload body.
 * @throws {Ks3InputError} for an unsupported body, or a `size` that contradicts it.
 */
export function toSource(body: Body, size: number | undefined, ctx: Ks3ErrorContext): Source {
  let bytes: Uint8Array | undefined;
  if (typeof body === 'string') bytes = new TextEncoder().encode(body);
  else if (body instanceof Uint8Array) bytes = body;
  else if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
  else if (ArrayBuffer.isView(body)) bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const known = bytes ? bytes.length : isBlob(body) || isBodySource(body) ? body.size : undefined;
  if (size !== undefined && known !== undefined && size !== known)
    throw new Ks3InputError('size', `is ${size} but the body has ${known} bytes`, ctx);
  if (bytes) {
    const b = bytes;
    return randomAccess(b.length, (s, e) => b.subarray(s, e), {});
  }
  if (isBlob(body)) {
    const file = body as Blob & { name?: unknown; lastModified?: unknown };
    return randomAccess(body.size, (s, e) => body.slice(s, e), { type: body.type || undefined, ...identity(file) });
  }
  if (body instanceof ReadableStream) return sequential(() => body, size, false, ctx);
  if (isBodySource(body)) {
    const extra = identity(body as BodySource & { name?: unknown; lastModified?: unknown });
    if (isSliceable(body)) return randomAccess(body.size, (s, e) => body.slice(s, e), extra);
    return { ...sequential(() => body.stream(), body.size, true, ctx), ...extra };
  }
  throw unsupportedBody(body, ctx);
}

const identity = (o: { name?: unknown; lastModified?: unknown }): { name?: string; lastModified?: number } => ({
  name: typeof o.name === 'string' && o.name ? o.name : undefined,
  lastModified: typeof o.lastModified === 'number' ? o.lastModified : undefined,
});

/** Reads a part body into memory (to encrypt it). Bytes are returned as they are. */
export async function bytesOf(body: PartBody, size: number): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (isBlob(body)) return new Uint8Array(await body.arrayBuffer());
  return readAllBytes(body.stream(), size);
}

/** The first bytes of a rereadable source, to recognise it on resume. */
export async function sampleOf(src: Source): Promise<Uint8Array> {
  const n = Math.min(SAMPLE_SIZE, src.size ?? 0);
  if (src.slice) return bytesOf(src.slice(0, n), n);
  const first = await src.parts(n || 1).next();
  src.close();
  return first.value ? bytesOf(first.value.body, first.value.size) : new Uint8Array(0);
}

/**
 * What identifies a source in a checkpoint: its size, File name and date, and a sample's MD5.
 * Absent fields are `undefined`, which JSON leaves out.
 */
export async function describeSource(src: Source, md5: () => Hasher): Promise<CheckpointSource> {
  const { size, name, lastModified } = src;
  return {
    size,
    name,
    lastModified,
    sample: src.rereadable
      ? toBase64(
          md5()
            .update(await sampleOf(src))
            .digest(),
        )
      : undefined,
  };
}
