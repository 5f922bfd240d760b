/** The public shapes of the upload manager: options, progress, result, handle. */
import type { Body, Hasher, PutObjectOptions, TransferProgress } from '@ks3/core';
import type { UploadCheckpoint } from './checkpoint.js';
import type { Md5Pool } from './hash.js';

/**
 * One progress event: `loaded` is the bytes of the source sent so far (plaintext bytes when
 * encrypting), never above `total`, the size of the source (for a stream without `size`, known
 * once its end was read).
 */
export interface UploadProgress extends TransferProgress {
  /** The part this event is about (absent for a single PUT and for the first event of a resume). */
  part?: number;
  /** A part is being sent again after a failure or a pause: `loaded` may be lower than before. */
  retried?: true;
}

/**
 * Where checkpoints are kept between runs: `load` is called once before the upload starts (its
 * checkpoint, if any, resumes the upload), `save` after every part, `clear` once the checkpoint
 * is useless (the object is complete, or the upload was aborted on the server).
 */
export interface CheckpointStore {
  /** The saved checkpoint, if any. */
  load(): Promise<UploadCheckpoint | undefined> | UploadCheckpoint | undefined;
  /** Keeps `checkpoint`, replacing the one kept before. */
  save(checkpoint: UploadCheckpoint): Promise<void> | void;
  /** Forgets the checkpoint. */
  clear(): Promise<void> | void;
}

/** Options of `upload()` and `createUpload()`. */
export interface UploadOptions extends Omit<PutObjectOptions, 'body' | 'size' | 'contentMd5' | 'onProgress'> {
  /** String, bytes, Blob/File (sliced lazily), a replayable BodySource, or a ReadableStream. */
  body: Body;
  /** Byte length of a ReadableStream body, when known: enables the part-size plan and checks the length. */
  size?: number;
  /** Bytes per part (default: 8 MiB, or more so that the object fits in 10,000 parts; a multiple of 16 when encrypting). */
  partSize?: number;
  /**
   * Parts sent at once. Default: adapted to the link, from 4 up to `maxConcurrency` while more
   * connections bring more throughput (a long, fast link needs more to keep its bandwidth-delay
   * product in flight). Memory is about part size × (concurrency + 1) for streams.
   */
  concurrency?: number;
  /** The ceiling of the adaptive concurrency (default 16 in Node, 6 in browsers, which stall beyond that on HTTP/1.1). */
  maxConcurrency?: number;
  /** Bodies of at most this many bytes go in one PUT (default: the part size). */
  threshold?: number;
  /** Called as bytes of the source are sent (see {@link UploadProgress}). */
  onProgress?: (progress: UploadProgress) => void;
  /**
   * Receives a plain-JSON checkpoint after the upload starts and after every part. It is awaited
   * (it may save the checkpoint somewhere) before the part counts as done.
   */
  onCheckpoint?: (checkpoint: UploadCheckpoint) => void | Promise<void>;
  /** Continues an upload from a checkpoint (same source, same client key when encrypting). */
  resume?: UploadCheckpoint;
  /** Loads, saves and clears checkpoints (e.g. `fileCheckpoint(path)` in @ks3/node). */
  checkpointStore?: CheckpointStore;
  /**
   * What to do when a checkpoint cannot be resumed because the source changed (size, name,
   * modification time or first bytes), its parts do not fit, or its upload is gone:
   * - `fail` (default): abort that upload on the server, clear the checkpoint store, and reject
   *   with a `Ks3InputError` (param `resume`) saying so;
   * - `restart`: the same cleanup, then upload the source afresh;
   * - `keep`: reject and touch nothing (the upload and the checkpoint stay).
   * A checkpoint for another object, a one-shot stream or another encryption key is refused
   * whatever this says, and nothing is cleaned up.
   */
  onResumeMismatch?: 'fail' | 'restart' | 'keep';
  /**
   * Keep the multipart upload on the server when the upload fails or is aborted, so it can be
   * resumed (default: false, or true with a `checkpointStore`). Otherwise it is aborted: no
   * orphan parts are left behind.
   */
  keepOnFailure?: boolean;
  /** Send Content-MD5 with every part and check each part's ETag against it (default true). */
  contentMd5?: boolean;
  /** Attempts per part beyond the first, on top of the client's own per-request retries (default: `client.retries`). */
  partRetries?: number;
  /** An MD5 to use instead of the built-in one (e.g. `node:crypto`, several times faster). */
  md5?: () => Hasher;
  /**
   * Computes part MD5s off the sending thread, ahead of the parts' turns (@ks3/node's `upload()`
   * uses worker threads unless `md5` is given; pass `undefined` to hash on this thread).
   */
  md5Pool?: Md5Pool | undefined;
}

/** What an upload resolves to. */
export interface UploadResult {
  /** The object's ETag, quotes included (`"<md5>-<parts>"` for a multipart object). */
  etag: string;
  /** From Complete Multipart Upload. */
  location?: string;
  /** Parts of the multipart upload; 0 when the body went in a single PUT. */
  parts: number;
  /** Bytes uploaded (plaintext bytes when encrypting). */
  size: number;
  /** The request id of the last request (the PUT, or Complete). */
  requestId: string | undefined;
  /** The upload callback's reply, when `callback` was given. */
  body?: string;
}

/** A running upload. */
export interface UploadHandle {
  /** Settles once: the result, or the failure (the abort reason when aborted). */
  readonly done: Promise<UploadResult>;
  /**
   * Stops sending: requests in flight are cancelled (their parts are sent again on resume) and
   * no part starts. Resolves once nothing is in flight.
   */
  pause(): Promise<void>;
  /** Continues after {@link UploadHandle.pause}. */
  resume(): void;
  /** Stops everything; `done` rejects with `reason` (default: an `AbortError` DOMException). */
  abort(reason?: unknown): void;
  /** The latest checkpoint (undefined before the multipart upload exists, and for a single PUT). */
  checkpoint(): UploadCheckpoint | undefined;
}
