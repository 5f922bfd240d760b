// @ts-check
/** Multipart uploads: §4.15 Initiate, §4.16 Upload Part, §4.17 Part Copy, §4.19 Complete, §4.20 Abort. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { callbackRequest, invokeCallback } from '../callback.js';
import { contentMd5, readXmlBody, receiveToFile, uploadLength, writeFailure } from '../body.js';
import { Ks3Error } from '../errors.js';
import { MAX_OBJECT_SIZE, MAX_PART_NUMBER, MIN_PART_SIZE } from '../limits.js';
import { encodeUrlValue } from '../query.js';
import { send, sendXml } from '../respond.js';
import { unlinkQuiet, writeHashed } from '../store/fsx.js';
import { commitPart, createUpload, getUpload, removeUpload, uploadDir } from '../store/uploads.js';
import { S3NS, el, text } from '../xml.js';
import { childText, childrenNamed } from '../xml-parse.js';
import { actingOwner, requireBucket, requireUploadControl } from './access.js';
import { copyBytes, copySource, sourceVersionHeaders } from './copy.js';
import { attrsFromRequest, checkKey } from './object-attrs.js';
import { versionHeaders } from './versions.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/**
 * `partNumber` must be an integer in 1..10000 (§4.16).
 * @param {Ctx} ctx
 * @throws {Ks3Error} InvalidPartNum
 */
export function partNumber(ctx) {
  const raw = ctx.query.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : 0;
  if (n < 1 || n > MAX_PART_NUMBER) throw new Ks3Error('InvalidPartNum', undefined, { extra: { PartNumber: raw } });
  return n;
}

/** @param {Ctx} ctx */
function theUpload(ctx) {
  return getUpload(ctx.env.store, ctx.target.bucket, ctx.target.key, ctx.query.get('uploadId') ?? '');
}

/** §4.15: remembers ACL, storage class, metadata and content type for the final object. @param {Ctx} ctx */
export async function initiateMultipartUpload(ctx) {
  const bucket = requireBucket(ctx, 'WRITE');
  const { key } = ctx.target;
  checkKey(key);
  const attrs = attrsFromRequest(ctx, bucket);
  const who = actingOwner(ctx, bucket);
  const upload = await createUpload(ctx.env.store, bucket.info.name, {
    key,
    initiated: ctx.env.now(),
    initiatorId: who.id,
    initiatorName: who.displayName,
    attrs,
  });
  const xml = el(
    'InitiateMultipartUploadResult',
    [text('Bucket', bucket.info.name), text('Key', key), text('UploadId', upload.info.uploadId)],
    {
      xmlns: S3NS,
    },
  );
  sendXml(ctx, 200, xml);
}

/** §4.16: 200, `ETag: "<md5 hex of the part>"`; a re-upload replaces the part. @param {Ctx} ctx */
export async function uploadPart(ctx) {
  requireBucket(ctx, 'WRITE');
  const n = partNumber(ctx);
  const upload = theUpload(ctx);
  const length = uploadLength(ctx);
  const expected = contentMd5(ctx);
  const tmp = ctx.env.store.tmpPath();
  try {
    const { size, md5 } = await receiveToFile(ctx, tmp, length, expected);
    const part = { partNumber: n, etag: md5.toString('hex'), size, lastModified: ctx.env.now() };
    await commitPart(ctx.env.store, ctx.target.bucket, upload.info.key, upload.info.uploadId, tmp, part);
    send(ctx, 200, { etag: `"${part.etag}"` });
  } finally {
    await unlinkQuiet(tmp);
  }
}

/** §4.17: 200 with a CopyPartResult body; optional `x-kss-copy-source-range: bytes=a-b`. @param {Ctx} ctx */
export async function uploadPartCopy(ctx) {
  requireBucket(ctx, 'WRITE');
  const n = partNumber(ctx);
  const upload = theUpload(ctx);
  const source = copySource(ctx);
  const size = source.meta.size;
  let start = 0;
  let end = size - 1;
  const range = ctx.kss.get('x-kss-copy-source-range');
  if (range !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(range);
    if (!m || Number(m[2]) < Number(m[1]))
      throw new Ks3Error('InvalidArgument', 'x-kss-copy-source-range must be bytes=first-last.');
    start = Number(m[1]);
    end = Number(m[2]);
    if (end >= size)
      throw new Ks3Error('InvalidRange', undefined, {
        extra: { RangeRequested: range, ActualObjectSize: String(size) },
      });
  }
  if (end - start + 1 > MAX_OBJECT_SIZE) throw new Ks3Error('EntityTooLarge');
  const tmp = ctx.env.store.tmpPath();
  try {
    const md5 = await copyBytes(ctx, source, tmp, start, end);
    const part = { partNumber: n, etag: md5.toString('hex'), size: end - start + 1, lastModified: ctx.env.now() };
    await commitPart(ctx.env.store, ctx.target.bucket, upload.info.key, upload.info.uploadId, tmp, part);
    sendXml(
      ctx,
      200,
      el('CopyPartResult', [
        text('LastModified', new Date(part.lastModified).toISOString()),
        text('ETag', `"${part.etag}"`),
      ]),
      sourceVersionHeaders(source),
    );
  } finally {
    await unlinkQuiet(tmp);
  }
}

/**
 * The part list of a Complete body, checked against the stored parts (§4.19).
 * @param {import('../xml-parse.js').XmlElement | undefined} root
 * @param {import('../store/types.js').UploadState} upload
 * @throws {Ks3Error} MalformedXML, InvalidPartOrder, InvalidPart, EntityTooSmall
 */
function chosenParts(root, upload) {
  if (root?.local !== 'CompleteMultipartUpload')
    throw new Ks3Error('MalformedXML', 'Expected a CompleteMultipartUpload document.');
  const listed = childrenNamed(root, 'Part').map((p) => {
    const number = childText(p, 'PartNumber')?.trim() ?? '';
    const etag = childText(p, 'ETag')?.trim().replace(/^"|"$/g, '');
    if (!/^\d{1,5}$/.test(number) || etag === undefined)
      throw new Ks3Error('MalformedXML', 'Each Part needs a PartNumber and an ETag.');
    return { number: Number(number), etag };
  });
  if (listed.length === 0) throw new Ks3Error('MalformedXML', 'The part list is empty.');
  const parts = listed.map((p, i) => {
    const prev = listed[i - 1];
    if (prev && p.number <= prev.number)
      throw new Ks3Error('InvalidPartOrder', undefined, { extra: { PartNumber: String(p.number) } });
    const stored = upload.parts.get(p.number);
    if (!stored || stored.etag !== p.etag.toLowerCase())
      throw new Ks3Error('InvalidPart', undefined, { extra: { PartNumber: String(p.number), ETag: p.etag } });
    return stored;
  });
  parts.slice(0, -1).forEach((p) => {
    if (p.size < MIN_PART_SIZE) {
      throw new Ks3Error('EntityTooSmall', undefined, {
        extra: {
          PartNumber: String(p.partNumber),
          ProposedSize: String(p.size),
          MinSizeAllowed: String(MIN_PART_SIZE),
        },
      });
    }
  });
  return parts;
}

/**
 * Concatenates parts into one temp file; returns the MD5 of the whole content. A write error
 * (disk full, too many files) is a retryable 5xx and leaves the upload in progress.
 * @param {string} dir
 * @param {import('../store/types.js').PartInfo[]} parts
 * @param {string} tmp
 * @param {string} [failWith] an injected write error (faults.js `diskError`)
 */
async function concatenate(dir, parts, tmp, failWith) {
  const chunks = async function* () {
    for (const p of parts) yield* createReadStream(join(dir, p.dataId), { highWaterMark: 1024 * 1024 });
  };
  try {
    return (await writeHashed(chunks(), tmp, failWith)).md5;
  } catch (err) {
    if (!failWith) console.error('[ks3-emulator] assembling a multipart upload failed:', err);
    throw writeFailure(err);
  }
}

/**
 * §4.19: the object gets the initiate-time attributes and the ETag
 * `"<md5 of the concatenated binary part MD5s>-<count>"`. A failed callback leaves the upload
 * in progress, so Complete can be retried.
 * @param {Ctx} ctx
 */
export async function completeMultipartUpload(ctx) {
  const bucket = requireBucket(ctx, 'WRITE');
  const upload = theUpload(ctx);
  const callback = callbackRequest(ctx);
  const parts = chosenParts(await readXmlBody(ctx, 'MalformedXML'), upload);
  if (upload.completing) throw new Ks3Error('NoSuchUpload');
  upload.completing = true;
  const store = ctx.env.store;
  const { key, uploadId, attrs } = upload.info;
  const tmp = store.tmpPath();
  try {
    const md5 = await concatenate(uploadDir(store, bucket.info.name, uploadId), parts, tmp, ctx.diskError);
    const size = parts.reduce((sum, p) => sum + p.size, 0);
    const etag = `${createHash('md5')
      .update(Buffer.concat(parts.map((p) => Buffer.from(p.etag, 'hex'))))
      .digest('hex')}-${parts.length}`;
    const lastModified = ctx.env.now();
    const reply = callback
      ? await invokeCallback(ctx, callback, {
          bucket: bucket.info.name,
          key,
          md5,
          size,
          mimeType: attrs.contentType,
          createTime: lastModified,
        })
      : undefined;
    // The commit point names the upload: a crash before removeUpload is finished at startup.
    const stored = await store.commitObject(bucket.info.name, tmp, {
      ...attrs,
      key,
      size,
      etag,
      lastModified,
      uploadId,
    });
    await ctx.env.hooks.afterCompleteCommit?.();
    await removeUpload(store, bucket.info.name, uploadId);
    const version = versionHeaders(bucket, stored);
    if (reply) {
      send(ctx, 200, { etag: `"${etag}"`, 'content-type': 'application/json', ...version }, reply);
      return;
    }
    const location = `http://${ctx.req.headers.host ?? '127.0.0.1'}/${bucket.info.name}/${encodeUrlValue(key)}`;
    const xml = el(
      'CompleteMultipartUploadResult',
      [text('Location', location), text('Bucket', bucket.info.name), text('Key', key), text('ETag', `"${etag}"`)],
      { xmlns: S3NS },
    );
    sendXml(ctx, 200, xml, version);
  } finally {
    upload.completing = false;
    await unlinkQuiet(tmp);
  }
}

/** §4.20: 204. @param {Ctx} ctx */
export async function abortMultipartUpload(ctx) {
  const bucket = requireBucket(ctx, 'WRITE');
  const upload = theUpload(ctx);
  requireUploadControl(ctx, bucket, upload);
  await removeUpload(ctx.env.store, ctx.target.bucket, upload.info.uploadId);
  send(ctx, 204);
}
