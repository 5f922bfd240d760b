/**
 * Initiate, and what to do when its answer is lost (the recovery itself, orphans.ts, is loaded
 * only then).
 */
import {
  type Client,
  type InitiateMultipartUploadOptions,
  type InitiateMultipartUploadResult,
  initiateMultipartUpload,
  isKs3ProtocolError,
} from '@ks3/core';
import { backoffDelay, sleep } from '@ks3/core/internal';
import { isRetryable } from './pump.js';

/** A stretch of local time (`Date.now()` values): when requests that may start uploads were out. */
export interface Window {
  from: number;
  to: number;
}

/**
 * Is this a failure after which KS3 may have acted: no answer, an answer that may not be KS3's
 * own (5xx, 429), a 2xx whose body was not what KS3 sends, or an abort mid-request?
 */
export const mayHaveActed = (e: unknown, aborted: boolean): boolean =>
  aborted || isRetryable(e) || isKs3ProtocolError(e);

/**
 * Initiate with recovery. A lost answer: the key's uploads started since the call began are
 * listed; one is adopted when it is the only one and the upload is plain (an encrypted upload's
 * IV went out in the lost request, so it cannot be adopted), else they are all aborted and
 * Initiate is tried again, up to `retries` times. A success after retried attempts: other
 * uploads started meanwhile are aborted. Either way `strays` is when an attempt KS3 was slow to
 * act on may still have started an upload: the caller sweeps that window again at the end.
 * @throws the last Initiate failure (after its cleanup).
 */
export async function initiateSafely(
  client: Client,
  o: InitiateMultipartUploadOptions,
  encrypted: boolean,
  stopped: AbortSignal,
  retries: number,
): Promise<InitiateMultipartUploadResult & { strays?: Window }> {
  const first = Date.now();
  // A request KS3 got late may start an upload up to a timeout after it was sent.
  const strays = (): Window => ({ from: first, to: Date.now() + (client.timeout || 60_000) });
  for (let i = 0; ; i++) {
    const began = Date.now();
    try {
      const init = await initiateMultipartUpload(client, { ...o, signal: stopped });
      if (init.attempts > 1)
        await (await import('./recovery.js'))
          .sweep(client, o, { from: began, to: Date.now() }, init.uploadId)
          .catch(() => {});
      return i > 0 || init.attempts > 1 ? { ...init, strays: strays() } : init;
    } catch (e) {
      if (!mayHaveActed(e, stopped.aborted)) throw e;
      const { recover } = await import('./recovery.js');
      const adopted = await recover(client, o, { from: began, to: Date.now() }, !encrypted && !stopped.aborted);
      if (adopted)
        return {
          uploadId: adopted,
          bucket: o.bucket,
          key: o.key,
          requestId: undefined,
          attempts: i + 1,
          strays: strays(),
        };
      if (stopped.aborted || i >= retries) {
        // KS3 may still act on a request it got late: look once more before giving up.
        await sleep(backoffDelay(client.retryDelay, i) + 250);
        await recover(client, o, { from: first, to: Date.now() }, false);
        throw e;
      }
      await sleep(backoffDelay(client.retryDelay, i), stopped);
    }
  }
}
