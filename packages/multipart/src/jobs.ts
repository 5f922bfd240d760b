/**
 * Turning source parts into jobs. Plain parts stay lazy (a Blob or file slice is read when sent,
 * and once before that for its MD5). Encrypted parts are encrypted here, in part order, because
 * each part's CBC chain starts from the previous part's last block; the ciphertext is kept in
 * memory so that retries resend identical bytes without encrypting again. A part's MD5 starts
 * as soon as its job is made (one ahead of the parts in flight), in the MD5 pool when there is
 * one, so it is ready, or nearly, when a slot frees.
 */
import {
  type Client,
  encryptPart,
  type Hasher,
  Ks3InputError,
  type PartEncryptionState,
  type PutObjectOptions,
  putObject,
  uploadPart,
} from '@ks3/core';
import { PREFER_BLOB_BODIES, toBase64, toHex } from '@ks3/core/internal';
import type { CheckpointPart } from './checkpoint.js';
import { checkEtag, type Md5Pool, md5Of, type PartBody } from './hash.js';
import { MAX_PARTS } from './limits.js';
import type { Job, Sent } from './pump.js';
import { bytesOf, type SourcePart } from './source.js';

/** A part job, with the chain state after it when encrypting. */
export interface PartJob extends Job {
  readonly state?: PartEncryptionState;
}

export interface JobContext {
  client: Client;
  bucket: string;
  key: string;
  /** Content-MD5 on every request, and the ETag check of parts. */
  contentMd5: boolean;
  md5: () => Hasher;
  /** Where part MD5s are computed, when not on this thread. */
  md5Pool?: Md5Pool | undefined;
  /** Counts part buffers held in memory (+1 when one is made, -1 when it is let go). */
  buffers: (delta: number) => void;
}

/**
 * Bytes in memory as a request body. Blob-backed in browsers (core's platform seam says so):
 * Chromium sends a Blob body much faster than a typed array when devtools instrumentation is on
 * (docs/ARCHITECTURE.md, platform notes), and the copy then lives outside the JS heap. In Node
 * core streams the bytes in 1 MiB chunks either way.
 */
const sendable = (b: PartBody): PartBody =>
  b instanceof Uint8Array && PREFER_BLOB_BODIES ? new Blob([b as Uint8Array<ArrayBuffer>]) : b;

/**
 * The MD5 of a part, started now and computed once (again only if it failed). Nobody may be
 * waiting yet when it fails: that is not an unhandled rejection, the send sees it.
 */
function eagerMd5(x: JobContext, body: () => PartBody | undefined): (signal: AbortSignal) => Promise<Uint8Array> {
  let p: Promise<Uint8Array> | undefined;
  const start = (signal?: AbortSignal): Promise<Uint8Array> => {
    const b = body();
    if (!b) return Promise.reject(new Error('part released'));
    p = md5Of(b, x.md5, signal, x.md5Pool);
    p.catch(() => (p = undefined));
    return p;
  };
  if (x.contentMd5) start();
  return (signal) => p ?? start(signal);
}

function holder(x: JobContext, owned: boolean): () => void {
  if (!owned) return () => {};
  x.buffers(1);
  let held = true;
  return () => {
    if (held) x.buffers(-1);
    held = false;
  };
}

/**
 * The jobs of a multipart upload, in part order, skipping the parts in `done`.
 * @param onEnd receives the source size once the last part has been read.
 */
export async function* partJobs(
  parts: AsyncIterable<SourcePart>,
  uploadId: string,
  done: ReadonlyMap<number, CheckpointPart>,
  initial: PartEncryptionState | undefined,
  x: JobContext,
  onEnd: (size: number) => void,
): AsyncGenerator<PartJob> {
  let state = initial;
  let offset = 0;
  const ctx = { operation: 'Upload', bucket: x.bucket, key: x.key };
  const target = { bucket: x.bucket, key: x.key, uploadId, encryption: false as const };
  for await (const p of parts) {
    if (p.partNumber > MAX_PARTS)
      throw new Ks3InputError(
        'partSize',
        `the stream needs more than 10,000 parts of ${p.size} bytes: pass its size, or a larger partSize`,
        ctx,
      );
    offset += p.size;
    if (p.last) onEnd(offset);
    let release = holder(x, p.owned);
    const rec = done.get(p.partNumber);
    if (rec) {
      state = rec.encryptionState;
      release();
      p.recycle?.();
      continue;
    }
    const { partNumber, size } = p;
    if (state) {
      const read = holder(x, !(p.body instanceof Uint8Array));
      let e: Awaited<ReturnType<typeof encryptPart>>;
      try {
        // The sequential encryption stage does as little as it can: the Content-MD5 of the
        // ciphertext is computed like a plain part's (in the MD5 pool, ahead of its turn), and
        // the plaintext's MD5 is not computed at all: KS3 ignores metadata on parts
        // (ks3-protocol.md §6.6) and a multipart object never carries it.
        e = await encryptPart(x.client, {
          encryptionState: state,
          body: await bytesOf(p.body, size),
          isLastPart: p.last,
          contentMd5: false,
          unencryptedMd5: false,
        });
      } catch (err) {
        read();
        release();
        p.recycle?.();
        throw err;
      }
      // The ciphertext exists before the plaintext is let go: count both at that moment.
      const after = holder(x, true);
      read();
      release();
      p.recycle?.();
      release = after;
      state = e.next;
      let body: PartBody | undefined = e.body.data as Uint8Array;
      const wire = body.length;
      const md5 = eagerMd5(x, () => body);
      let digest: Uint8Array | undefined;
      yield {
        partNumber,
        size,
        wire,
        owned: true,
        state: e.next,
        async send(signal, onSent) {
          if (x.contentMd5) digest ??= await md5(signal);
          body = sendable(body!);
          const headers = digest ? { ...e.headers, 'content-md5': toBase64(digest) } : e.headers;
          const r = await uploadPart(x.client, {
            ...target,
            partNumber,
            body,
            size: wire,
            headers,
            signal,
            onProgress: (p) => onSent(p.loaded),
          });
          checkEtag(r.etag, digest && toHex(digest), partNumber, x);
          return { etag: r.etag };
        },
        release() {
          body = undefined;
          release();
        },
      };
    } else {
      let body: PartBody | undefined = p.body;
      const md5 = eagerMd5(x, () => body);
      let digest: Uint8Array | undefined;
      yield {
        partNumber,
        size,
        wire: size,
        owned: p.owned,
        async send(signal, onSent) {
          if (x.contentMd5) digest ??= await md5(signal);
          body = sendable(body!);
          const r = await uploadPart(x.client, {
            ...target,
            partNumber,
            body,
            size,
            contentMd5: digest && toBase64(digest),
            signal,
            onProgress: (p) => onSent(p.loaded),
          });
          checkEtag(r.etag, digest && toHex(digest), partNumber, x);
          return { etag: r.etag };
        },
        release() {
          body = undefined;
          release();
          p.recycle?.();
        },
      };
    }
  }
}

/** The job of a single PUT of the whole body (encrypted by core when the client encrypts). */
export function singleJob(
  x: JobContext,
  put: Omit<PutObjectOptions, 'body' | 'bucket' | 'key'>,
  body: PartBody,
  size: number,
  encrypted: boolean,
  owned: boolean,
): Job {
  let held: PartBody | undefined = body;
  const release = holder(x, owned);
  let digest: string | undefined;
  return {
    partNumber: 0,
    size,
    // IV, then the plaintext padded to the next whole block (ks3-protocol.md §6.3).
    wire: encrypted && size ? 32 + size - (size % 16) : size,
    async send(signal, onSent): Promise<Sent> {
      if (x.contentMd5 && !encrypted) digest ??= toBase64(await md5Of(held!, x.md5, signal, x.md5Pool));
      held = sendable(held!);
      const r = await putObject(x.client, {
        ...put,
        bucket: x.bucket,
        key: x.key,
        body: held!,
        size,
        contentMd5: encrypted ? x.contentMd5 : digest,
        signal,
        onProgress: (p) => onSent(p.loaded),
      });
      return { etag: r.etag, requestId: r.requestId, ...(r.body ? { body: r.body } : {}) };
    },
    release() {
      held = undefined;
      release();
    },
  };
}
