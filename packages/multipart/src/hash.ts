/** MD5 of part bodies (for Content-MD5 and the ETag check) and the encodings around it. */
import { type BodySource, type Hasher, Ks3IntegrityError } from '@ks3/core';

/** A part body: bytes, a lazy Blob slice, or a replayable source such as a file range. */
export type PartBody = Uint8Array | Blob | BodySource;

/**
 * MD5 of a body. Blobs and sources are streamed through the hash, never held whole; the read
 * stops when `signal` aborts.
 */
export async function md5Of(body: PartBody, create: () => Hasher, signal?: AbortSignal): Promise<Uint8Array> {
  const h = create();
  if (body instanceof Uint8Array) return h.update(body).digest();
  const reader = body.stream().getReader();
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      signal?.throwIfAborted();
      h.update(r.value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    throw e;
  }
  return h.digest();
}

/**
 * Checks a part's ETag against the hex MD5 of what was sent. KS3 answers a part with the MD5 of
 * its bytes; an ETag of another form (a proxy, another server) is not compared. (A missing
 * ETag, e.g. hidden by a browser's CORS rule, already failed in core's uploadPart.)
 * @throws {Ks3IntegrityError} when the ETag is an MD5 other than `md5Hex`.
 */
export function checkEtag(
  etag: string,
  md5Hex: string | undefined,
  partNumber: number,
  ctx: { bucket: string; key: string },
): void {
  const got = etag.replace(/"/g, '').toLowerCase();
  if (md5Hex && /^[0-9a-f]{32}$/.test(got) && got !== md5Hex) {
    throw new Ks3IntegrityError(`part ${partNumber}: ETag ${etag} is not the MD5 of the bytes sent (${md5Hex})`, {
      operation: 'UploadPart',
      ...ctx,
    });
  }
}
