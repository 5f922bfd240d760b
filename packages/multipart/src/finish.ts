/**
 * Completing without false failures. A Complete can fail without a clear answer (a reset, a
 * timeout, a gateway's 5xx) while KS3 is still assembling the object — and while it does, KS3
 * may answer a retried Complete with NoSuchUpload (the emulator does, as S3 may). So before a
 * failed Complete counts as failed, the object is checked (HEAD) and Complete is tried again,
 * with pauses, for a bounded time: the object that appears, or a Complete that goes through, is
 * the success it is.
 */
import {
  type Client,
  type CompleteMultipartUploadResult,
  type CompletedPart,
  completeMultipartUpload,
  isKs3InputError,
  isKs3ProtocolError,
  isKs3ServiceError,
} from '@ks3/core';
import { sleep } from '@ks3/core/internal';
import { mayHaveActed } from './initiate.js';
import { isRetryable } from './pump.js';
import type { MultipartWant } from './recovery.js';

/**
 * Pauses between checks (ms): about 28 s in all before the Complete counts as failed (a loaded
 * server took more than 8 s to assemble a 4 MiB object in the long soak). After the caller's
 * abort, only the first two.
 */
const SETTLE_MS = [250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000];
const AFTER_ABORT_MS = SETTLE_MS.slice(0, 2);

const gone = (e: unknown): boolean => isKs3ServiceError(e) && e.code === 'NoSuchUpload';

export interface CompleteRequest {
  bucket: string;
  key: string;
  uploadId: string;
  parts: CompletedPart[];
  headers?: Record<string, string> | undefined;
}

/** What the object is once settled: Complete's own answer, or what HEAD says of the object. */
export type Completed = Pick<CompleteMultipartUploadResult, 'etag' | 'requestId'> &
  Partial<Pick<CompleteMultipartUploadResult, 'location' | 'body'>>;

/**
 * Completes the upload, settling an unclear failure as described above. After the caller's
 * abort the object is only checked, never completed again.
 * @throws the Complete failure when the object is not there after the checks, or at once for a
 * clear refusal (InvalidPart, EntityTooSmall, …).
 */
export async function completeSafely(
  client: Client,
  c: CompleteRequest,
  stopped: AbortSignal,
  want: MultipartWant,
): Promise<Completed> {
  try {
    return await completeMultipartUpload(client, { ...c, signal: stopped });
  } catch (e) {
    const err = stopped.aborted ? stopped.reason : e;
    if (isKs3InputError(err) || !(mayHaveActed(err, stopped.aborted) || gone(err))) throw err;
    const target = { bucket: c.bucket, key: c.key };
    const { committedObject, expectedMultipart } = await import('./recovery.js');
    const expected = expectedMultipart(want);
    for (const pause of stopped.aborted ? AFTER_ABORT_MS : SETTLE_MS) {
      const head = await committedObject(client, target, expected);
      if (head) return { etag: head.etag!, requestId: head.requestId };
      if (!stopped.aborted) {
        try {
          return await completeMultipartUpload(client, c);
        } catch (again) {
          // Gone (maybe being assembled) or unclear: look again later; anything else is final.
          if (!(gone(again) || isRetryable(again) || isKs3ProtocolError(again))) throw err;
        }
      }
      await sleep(pause);
    }
    const head = await committedObject(client, target, expected);
    if (head) return { etag: head.etag!, requestId: head.requestId };
    throw err;
  }
}
