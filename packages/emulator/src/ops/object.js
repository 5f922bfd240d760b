// @ts-check
/** Object reads and writes: §4.7 Head, §4.8 Get, §4.9 Put (with callback), §4.11 Delete. */
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { callbackRequest, invokeCallback } from '../callback.js';
import { contentMd5, receiveToFile, uploadLength } from '../body.js';
import { Ks3Error } from '../errors.js';
import { wireText } from '../headers.js';
import { finishHeaders, send } from '../respond.js';
import { unlinkQuiet } from '../store/fsx.js';
import { actingOwner, existingBucket, requireBucket } from './access.js';
import { attrsFromRequest, checkKey, objectHeaders } from './object-attrs.js';
import { checkConditions } from './conditions.js';
import { requireReadable, restoreNow } from './restore.js';
import { requestedVersion, requireVersion, versionHeaders } from './versions.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/** §4.8: `response-*` query parameters override these response headers. */
const OVERRIDES = [
  'content-type',
  'content-language',
  'expires',
  'cache-control',
  'content-disposition',
  'content-encoding',
];

/**
 * `Range: bytes=a-b | a- | -n`. Malformed or multi-range headers are ignored (whole object),
 * as HTTP allows; a range starting past the end is 416.
 * @param {string | undefined} header
 * @param {number} size
 * @returns {{ start: number, end: number } | undefined}
 * @throws {Ks3Error} InvalidRange
 */
export function parseRange(header, size) {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const unsatisfiable = () =>
    new Ks3Error('InvalidRange', undefined, {
      headers: { 'content-range': `bytes */${size}` },
      extra: { RangeRequested: String(header) },
    });
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end: m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1) };
}

/**
 * Opens the bytes of the version a request names (the current one by default). A concurrent
 * overwrite may delete the data file between the lookup and the open; then the lookup is done
 * once more. Archived objects are readable only while restored (HEAD always works).
 * @param {Ctx} ctx
 * @param {import('../store/types.js').BucketState} bucket
 */
async function openObject(ctx, bucket) {
  for (let attempt = 0; ; attempt++) {
    const meta = requireVersion(ctx, bucket, ctx.target.key, 'READ');
    if (ctx.method === 'HEAD') return { meta, file: undefined };
    requireReadable(ctx, meta);
    if (meta.size === 0) return { meta, file: undefined };
    try {
      return { meta, file: await open(ctx.env.store.dataPath(bucket.info.name, meta.dataId), 'r') };
    } catch (err) {
      if (attempt > 0 || /** @type {NodeJS.ErrnoException} */ (err).code !== 'ENOENT') throw err;
    }
  }
}

/**
 * GET and HEAD: same headers (HEAD without body); always a Content-Length, never chunked.
 * @param {Ctx} ctx
 */
export async function getObject(ctx) {
  const bucket = existingBucket(ctx);
  const { meta, file } = await openObject(ctx, bucket);
  try {
    const headers = { ...objectHeaders(meta, restoreNow(ctx.env)), ...versionHeaders(bucket, meta) };
    for (const name of OVERRIDES) {
      const v = ctx.query.get(`response-${name}`);
      if (v !== undefined) headers[name] = wireText(v);
    }
    if (checkConditions(ctx, meta) === 'not-modified') {
      send(ctx, 304, { etag: headers.etag ?? '', 'last-modified': headers['last-modified'] ?? '' });
      return;
    }
    const range = parseRange(ctx.req.headers.range, meta.size);
    const start = range?.start ?? 0;
    const end = range?.end ?? meta.size - 1;
    headers['content-length'] = String(end - start + 1);
    if (range) headers['content-range'] = `bytes ${start}-${end}/${meta.size}`;
    const status = range ? 206 : 200;
    if (!file) {
      send(ctx, status, headers);
      return;
    }
    ctx.res.writeHead(status, finishHeaders(ctx, headers));
    await pipeline(file.createReadStream({ start, end, highWaterMark: 1024 * 1024, autoClose: false }), ctx.res).catch(
      () => {
        // The client went away; its socket is already gone.
      },
    );
  } finally {
    await file?.close().catch(() => {});
  }
}

/**
 * §4.9: 200, empty body, `ETag: "<md5 hex>"`. With a callback the reply body is returned.
 * @param {Ctx} ctx
 */
export async function putObject(ctx) {
  const bucket = requireBucket(ctx, 'WRITE');
  const { key } = ctx.target;
  checkKey(key);
  const attrs = attrsFromRequest(ctx, bucket);
  const length = uploadLength(ctx);
  const expected = contentMd5(ctx);
  const callback = callbackRequest(ctx);
  const store = ctx.env.store;
  const tmp = store.tmpPath();
  try {
    const { size, md5 } = await receiveToFile(ctx, tmp, length, expected);
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
    const meta = await store.commitObject(bucket.info.name, tmp, {
      ...attrs,
      key,
      size,
      etag: md5.toString('hex'),
      lastModified,
    });
    /** @type {Record<string, string>} */
    const headers = { etag: `"${meta.etag}"`, ...versionHeaders(bucket, meta) };
    if (meta.sse) headers['x-kss-server-side-encryption'] = meta.sse;
    if (reply) send(ctx, 200, { ...headers, 'content-type': 'application/json' }, reply);
    else send(ctx, 200, headers);
  } finally {
    await unlinkQuiet(tmp);
  }
}

/**
 * §4.11: 204, also when the key or version does not exist. Versioned buckets get a delete
 * marker unless a `versionId` names the version to remove; the answer names what happened.
 * @param {Ctx} ctx
 */
export async function deleteObject(ctx) {
  const bucket = requireBucket(ctx, 'WRITE');
  const result = await ctx.env.store.deleteObject(bucket.info.name, ctx.target.key, {
    versionId: requestedVersion(ctx),
    now: ctx.env.now(),
    ownerId: actingOwner(ctx, bucket).id,
  });
  /** @type {Record<string, string>} */
  const headers = {};
  if (result.versionId !== undefined && (bucket.info.versioning || result.versionId !== 'null'))
    headers['x-kss-version-id'] = result.versionId;
  if (result.deleteMarker) headers['x-kss-delete-marker'] = 'true';
  send(ctx, 204, headers);
}
