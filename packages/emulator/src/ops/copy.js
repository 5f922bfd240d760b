// @ts-check
/** §4.10 Put Object Copy, and the copy-source handling Upload Part Copy (§4.17) shares. */
import { open } from 'node:fs/promises';
import { cannedAcl } from '../acl.js';
import { Ks3Error } from '../errors.js';
import { enforceSessionPolicy } from '../policy/session.js';
import { MAX_OBJECT_SIZE } from '../limits.js';
import { decodeKey, parseQuery } from '../query.js';
import { sendXml } from '../respond.js';
import { unlinkQuiet, writeHashed } from '../store/fsx.js';
import { versionOf } from '../store/versions.js';
import { el, text } from '../xml.js';
import { actingOwner, existingBucket, requireBucket } from './access.js';
import { attrsFromRequest, checkKey, storageClass } from './object-attrs.js';
import { requireReadable } from './restore.js';
import { copiedTags } from './tags.js';
import { checkVersionId, requireVersion, versionHeaders } from './versions.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/**
 * The source object named by `x-kss-copy-source: /bucket/key[?versionId=id]`, decoded with form
 * rules (`+` → space, then `%XX`, §4.10); without a version id its current version. An archived
 * source must be restored first.
 * @param {Ctx} ctx
 * @throws {Ks3Error} InvalidArgument, NoSuchBucket, NoSuchKey, NoSuchVersion, AccessDenied,
 *   InvalidObjectState
 */
export function copySource(ctx) {
  let raw = ctx.kss.get('x-kss-copy-source') ?? '';
  const q = raw.indexOf('?');
  const query = q < 0 ? [] : parseQuery(raw.slice(q + 1));
  if (q >= 0) raw = raw.slice(0, q);
  if (raw.startsWith('/')) raw = raw.slice(1);
  const slash = raw.indexOf('/');
  if (slash <= 0 || slash === raw.length - 1) {
    throw new Ks3Error('InvalidArgument', 'x-kss-copy-source must name the source as /bucket/key.');
  }
  const given = query.find((p) => p.name === 'versionId');
  const versionId = given === undefined ? undefined : checkVersionId(given.value);
  const bucket = existingBucket(ctx, decodeKey(raw.slice(0, slash)));
  const sourceKey = decodeKey(raw.slice(slash + 1));
  // Temporary credentials must also be allowed to read the source (policy/session.js).
  enforceSessionPolicy(ctx, 'ks3:GetObject', bucket.info.name, sourceKey);
  const meta = requireVersion(ctx, bucket, sourceKey, 'READ', versionId);
  requireReadable(ctx, meta);
  return { bucket, meta, versioned: versionId !== undefined };
}

/**
 * Answer headers naming the source version: `x-kss-copy-source-version-id` when the source
 * was addressed by version or lives in a versioned bucket.
 * @param {ReturnType<typeof copySource>} source
 * @returns {Record<string, string>}
 */
export function sourceVersionHeaders(source) {
  return source.versioned || source.bucket.info.versioning
    ? { 'x-kss-copy-source-version-id': versionOf(source.meta) }
    : {};
}

/**
 * Copies bytes `start..end` (inclusive) of a stored object into a temp file, hashing them.
 * @param {Ctx} ctx
 * @param {{ bucket: import('../store/types.js').BucketState, meta: import('../store/types.js').ObjectMeta }} source
 * @param {string} tmp
 * @param {number} start
 * @param {number} end
 */
export async function copyBytes(ctx, source, tmp, start, end) {
  let file;
  try {
    file = await open(ctx.env.store.dataPath(source.bucket.info.name, source.meta.dataId), 'r');
  } catch {
    throw new Ks3Error('NoSuchKey', undefined, { extra: { Key: source.meta.key } });
  }
  try {
    // An empty source gives an empty range, which no read stream can express: write nothing.
    const bytes =
      end < start ? [] : file.createReadStream({ start, end, highWaterMark: 1024 * 1024, autoClose: false });
    return (await writeHashed(bytes, tmp)).md5;
  } finally {
    await file.close().catch(() => {});
  }
}

/**
 * §4.10: 200 with a CopyObjectResult body. COPY (default) keeps the source's content type,
 * headers and metadata; REPLACE takes them from the request. The storage class is the
 * request's, else the source's; the ACL is the request's `x-kss-acl`, else none (inherit); tags
 * follow `x-kss-tagging-directive` (COPY by default).
 * @param {Ctx} ctx
 */
export async function copyObject(ctx) {
  const dest = requireBucket(ctx, 'WRITE');
  const { key } = ctx.target;
  checkKey(key);
  const source = copySource(ctx);
  const directive = ctx.kss.get('x-kss-metadata-directive') ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE')
    throw new Ks3Error('InvalidArgument', 'x-kss-metadata-directive must be COPY or REPLACE.');
  const sameClass = (ctx.kss.get('x-kss-storage-class') ?? source.meta.storageClass) === source.meta.storageClass;
  if (source.bucket === dest && source.meta.key === key && directive === 'COPY' && !source.versioned && sameClass) {
    throw new Ks3Error(
      'InvalidRequest',
      'This copy request is illegal because it is trying to copy an object to itself without changing its metadata.',
    );
  }
  if (source.meta.size > MAX_OBJECT_SIZE)
    throw new Ks3Error('EntityTooLarge', 'Objects larger than 5 GB are copied with Upload Part Copy.');
  const owner = actingOwner(ctx, dest);
  const canned = ctx.kss.get('x-kss-acl');
  const src = source.meta;
  const attrs =
    directive === 'REPLACE'
      ? attrsFromRequest(ctx, dest)
      : {
          contentType: src.contentType,
          headers: { ...src.headers },
          meta: { ...src.meta },
          storageClass: storageClass(ctx.kss, src.storageClass),
          acl: canned === undefined ? null : cannedAcl(canned, owner),
          ownerId: owner.id,
          sse: src.sse,
        };
  const tags = copiedTags(ctx, src);
  const store = ctx.env.store;
  const tmp = store.tmpPath();
  try {
    const md5 = await copyBytes(ctx, source, tmp, 0, src.size - 1);
    const meta = await store.commitObject(dest.info.name, tmp, {
      ...attrs,
      tags,
      key,
      size: src.size,
      etag: md5.toString('hex'),
      lastModified: ctx.env.now(),
    });
    sendXml(
      ctx,
      200,
      el('CopyObjectResult', [
        text('LastModified', new Date(meta.lastModified).toISOString()),
        text('ETag', `"${meta.etag}"`),
      ]),
      { ...versionHeaders(dest, meta), ...sourceVersionHeaders(source) },
    );
  } finally {
    await unlinkQuiet(tmp);
  }
}
