/**
 * A download that survives a cut: the stored bytes of an object as one stream, stitched from
 * ranged GETs. When the body of the current response fails mid-way (a reset, a timeout, a body
 * that ends short of its Content-Length), the rest is asked for with `Range` from where it
 * stopped and `If-Match` on the object's ETag, so the bytes that follow are the same object's.
 */
import {
  type Client,
  type GetObjectOptions,
  type GetObjectResult,
  getObject,
  isKs3NetworkError,
  isKs3ServiceError,
  Ks3IntegrityError,
  type Ks3ErrorContext,
} from '@ks3/core';
import { backoffDelay, isRetryableStatus, sleep } from '@ks3/core/internal';

/** Raised inside the stitcher when a body ends short; resumable like a network failure. */
class EndedShort extends Error {}

const resumable = (e: unknown): boolean =>
  e instanceof EndedShort || isKs3NetworkError(e) || (isKs3ServiceError(e) && isRetryableStatus(e.status, e.code));

export interface StitchOptions {
  /** The GET as first sent (stored bytes: `encryption: false`), without `onProgress`. */
  request: GetObjectOptions;
  /** Its response; must carry an ETag and an exact `contentLength`. */
  first: GetObjectResult;
  /** Resumes allowed (each a ranged GET). */
  resumes: number;
}

/**
 * The bytes of `first` and, after a cut, of ranged GETs continuing it.
 * @throws (as a stream error) {@link Ks3IntegrityError} for a body longer than announced or a
 * resumed answer for another ETag, the resumed GET's own failure (412 when the object changed),
 * or the last cut once the resumes are spent.
 */
export function stitchedBody(client: Client, o: StitchOptions, ctx: Ks3ErrorContext): ReadableStream<Uint8Array> {
  const { request, first } = o;
  const etag = first.etag!;
  const total = first.contentLength!;
  const start = first.range?.start ?? 0;
  let received = 0;
  let used = 0;
  let reader = first.body.getReader();
  const reopen = async (): Promise<void> => {
    const next = await getObject(client, {
      ...request,
      range: { start: start + received, end: start + total - 1 },
      headers: { ...request.headers, 'if-match': etag },
    });
    if (next.etag !== undefined && next.etag !== etag) {
      await next.body.cancel().catch(() => {});
      throw new Ks3IntegrityError(`download resumed on another object: ETag ${next.etag}, not ${etag}`, ctx);
    }
    reader = next.body.getReader();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        for (;;) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              if (received < total) throw new EndedShort();
              c.close();
              return;
            }
            received += value.length;
            if (received > total)
              throw new Ks3IntegrityError(`download longer than announced: more than ${total} bytes`, ctx);
            c.enqueue(value);
            return;
          } catch (e) {
            await reader.cancel().catch(() => {});
            let last = e;
            // The ranged GET is retried too while its failures are transient.
            for (;;) {
              if (!resumable(last) || request.signal?.aborted) throw last;
              if (used >= o.resumes) {
                throw last instanceof EndedShort
                  ? new Ks3IntegrityError(`download truncated: ${received} of ${total} bytes`, ctx)
                  : last;
              }
              used++;
              try {
                await reopen();
                break;
              } catch (again) {
                last = again;
                if (resumable(again)) await sleep(backoffDelay(client.retryDelay, used), request.signal);
              }
            }
          }
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
