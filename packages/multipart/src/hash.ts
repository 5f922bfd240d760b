/** MD5 of part bodies (for Content-MD5 and the ETag check) and the encodings around it. */
import { type BodySource, type Hasher, Ks3IntegrityError, type Md5Pool, type Md5Session } from '@ks3/core';

export type { Md5Pool, Md5Session };

/** A part body: bytes, a lazy Blob slice, or a replayable source such as a file range. */
export type PartBody = Uint8Array | Blob | BodySource;

/** A synchronous hasher seen as a session (the default: this thread). */
const local = (h: Hasher): Md5Session => ({
  update: async (b) => void h.update(b),
  digest: async () => h.digest(),
  cancel() {},
});

/**
 * MD5 of a body, in `pool` when there is one. Blobs and sources are streamed through the hash,
 * never held whole; the read stops when `signal` aborts.
 */
export async function md5Of(
  body: PartBody,
  create: () => Hasher,
  signal?: AbortSignal,
  pool?: Md5Pool,
): Promise<Uint8Array> {
  if (!pool) return hash(body, local(create()), signal);
  try {
    return await hash(body, pool.session(), signal);
  } catch (e) {
    // A pool that fails (a worker died) must not fail the upload: hash here instead.
    if (signal?.aborted) throw e;
    return hash(body, local(create()), signal);
  }
}

async function hash(body: PartBody, h: Md5Session, signal?: AbortSignal): Promise<Uint8Array> {
  if (body instanceof Uint8Array) {
    try {
      await h.update(body);
      return await h.digest();
    } catch (e) {
      h.cancel();
      throw e;
    }
  }
  const reader = body.stream().getReader();
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      signal?.throwIfAborted();
      await h.update(r.value);
    }
    return await h.digest();
  } catch (e) {
    h.cancel();
    await reader.cancel().catch(() => {});
    throw e;
  }
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
