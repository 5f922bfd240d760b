// @ts-check
/**
 * Append Object (`POST /{key}?append&position=N`, docs.ksyun.com/documents/43259). Position 0
 * on a missing key (or one whose current version is a delete marker) creates an Appendable
 * object from the request's headers; later appends must give the current length and only add
 * bytes (the first append's headers stay). A Normal or Multipart object is `409
 * ObjectNotAppendable`; a wrong position `409 PositionNotEqualToLength` with
 * `x-kss-next-append-position`. Each append is at most 5 GB (KS3); the object as a whole is
 * capped at 5 GB too (this emulator's choice: it rewrites the object on every append, which
 * keeps the commit crash-safe). Content-MD5 covers the appended bytes only; the ETag is the MD5
 * of the whole object. Archive classes cannot be appended to (KS3). In a versioned bucket
 * appends extend the current version in place; creating one adds a version.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { bodyFailure, bodySource, contentMd5, uploadLength } from '../body.js';
import { Ks3Error } from '../errors.js';
import { MAX_OBJECT_SIZE } from '../limits.js';
import { send } from '../respond.js';
import { unlinkQuiet, writeHashed } from '../store/fsx.js';
import { requireBucket } from './access.js';
import { attrsFromRequest, checkKey } from './object-attrs.js';
import { ARCHIVE_CLASSES } from './restore.js';
import { versionHeaders } from './versions.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../store/types.js').ObjectMeta} ObjectMeta */

/**
 * @param {Ctx} ctx
 * @throws {Ks3Error} InvalidArgument
 */
function position(ctx) {
  const raw = ctx.query.get('position');
  if (raw === undefined || !/^\d{1,15}$/.test(raw))
    throw new Ks3Error('InvalidArgument', 'Append Object needs position, a whole number of bytes.', {
      extra: { ArgumentName: 'position', ArgumentValue: raw ?? '' },
    });
  return Number(raw);
}

/**
 * May `current` be appended to at `pos`?
 * @param {ObjectMeta | undefined} current
 * @param {number} pos
 * @throws {Ks3Error} ObjectNotAppendable, PositionNotEqualToLength
 */
function checkAppend(current, pos) {
  if (current && current.objectType !== 'Appendable') throw new Ks3Error('ObjectNotAppendable');
  const length = current?.size ?? 0;
  if (pos !== length) throw positionError(pos, length);
}

/**
 * @param {number} pos
 * @param {number} length
 */
function positionError(pos, length) {
  return new Ks3Error('PositionNotEqualToLength', undefined, {
    headers: { 'x-kss-next-append-position': String(length) },
    extra: { Position: String(pos), Length: String(length) },
  });
}

/**
 * Another write replaced the object this append read: answer as if the request came after it.
 * @param {ObjectMeta | undefined} now
 * @param {number} pos
 * @returns {never}
 */
function changedMeanwhile(now, pos) {
  if (now && now.objectType !== 'Appendable') throw new Ks3Error('ObjectNotAppendable');
  throw positionError(pos, now?.size ?? 0);
}

/**
 * Streams the current bytes, then the request body, into `tmp`. The body is an upload like any
 * other (body.js): it takes an upload slot, a V4 payload hash is checked over it, and a failed
 * write on the server's side is a retryable 5xx, not IncompleteBody.
 * @param {Ctx} ctx
 * @param {import('node:fs/promises').FileHandle | undefined} file the current bytes
 * @param {string} tmp
 * @param {number} length the declared Content-Length
 * @throws {Ks3Error} SlowDown, IncompleteBody, XAmzContentSHA256Mismatch, ServiceUnavailable,
 *   InternalError
 */
async function writeAppended(ctx, file, tmp, length) {
  const release = ctx.env.uploads.acquire();
  const source = bodySource(ctx);
  const body = createHash('md5');
  let received = 0;
  const chunks = async function* () {
    if (file) yield* file.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false });
    for await (const chunk of source.chunks) {
      body.update(chunk);
      received += chunk.length;
      yield chunk;
    }
  };
  try {
    const whole = await writeHashed(chunks(), tmp, ctx.diskError);
    if (received !== length) throw new Ks3Error('IncompleteBody');
    source.checkSha256();
    return { ...whole, bodyMd5: body.digest() };
  } catch (err) {
    throw bodyFailure(ctx, source, err);
  } finally {
    release();
  }
}

/** @param {Ctx} ctx */
export async function appendObject(ctx) {
  const bucket = requireBucket(ctx, 'WRITE');
  const { key } = ctx.target;
  checkKey(key);
  const pos = position(ctx);
  const length = uploadLength(ctx);
  const expected = contentMd5(ctx);
  const current = bucket.objects.get(key);
  checkAppend(current, pos);
  if (pos + length > MAX_OBJECT_SIZE)
    throw new Ks3Error('EntityTooLarge', 'An appendable object can grow to 5 GB at most.', {
      extra: { ProposedSize: String(pos + length), MaxSizeAllowed: String(MAX_OBJECT_SIZE) },
    });
  /** @type {Omit<ObjectMeta, 'key' | 'dataId' | 'size' | 'etag' | 'lastModified'>} */
  let attrs;
  if (current) {
    const { key: _k, dataId: _d, size: _s, etag: _e, lastModified: _l, ...kept } = current;
    attrs = kept;
  } else {
    attrs = { ...attrsFromRequest(ctx, bucket), objectType: 'Appendable' };
    if (ARCHIVE_CLASSES.has(attrs.storageClass))
      throw new Ks3Error('InvalidStorageClass', 'Objects of an archive storage class cannot be appended to.');
  }
  const store = ctx.env.store;
  const tmp = store.tmpPath();
  let file;
  try {
    if (current && current.size > 0) file = await open(store.dataPath(bucket.info.name, current.dataId), 'r');
  } catch {
    changedMeanwhile(bucket.objects.get(key), pos); // replaced or deleted since the lookup
  }
  try {
    const { size, md5, bodyMd5 } = await writeAppended(ctx, file, tmp, length);
    if (expected && !bodyMd5.equals(expected))
      throw new Ks3Error('BadDigest', undefined, {
        extra: { ExpectedDigest: expected.toString('base64'), CalculatedDigest: bodyMd5.toString('base64') },
      });
    const stored = await store.commitObject(
      bucket.info.name,
      tmp,
      { ...attrs, key, size, etag: md5.toString('hex'), lastModified: ctx.env.now() },
      {
        inPlace: current !== undefined,
        expect: (now) => {
          if (now?.dataId !== current?.dataId) changedMeanwhile(now, pos);
        },
      },
    );
    send(ctx, 200, {
      etag: `"${stored.etag}"`,
      'x-kss-next-append-position': String(stored.size),
      ...versionHeaders(bucket, stored),
    });
  } finally {
    await file?.close().catch(() => {});
    await unlinkQuiet(tmp);
  }
}
