// @ts-check
/**
 * PUT Fetch (`PUT /{key}?fetch`, docs.ksyun.com/documents/42323): the object's bytes come from
 * `x-kss-sourceurl` (URL-encoded, as KS3's SDKs send it). KS3 fetches asynchronously and answers
 * 200 at once; the emulator fetches before answering, so a failed fetch is the request's error.
 * It fetches ONLY from loopback (127.0.0.0/8, ::1, localhost) over http(s), follows no
 * redirects, gives up after `fetchTimeoutMs` and refuses sources over `fetchMaxBytes`, streaming
 * to disk. Headers as PUT Object (ACL, metadata, storage class, `x-kss-tagging`); the source's
 * Content-Type when the request has none. With Content-MD5 equal to the MD5 of the object already
 * at the key nothing is fetched (KS3's rule); otherwise the fetched bytes must match it.
 * Fetch callbacks (`x-kss-callbackurl`) are `501 NotImplemented`: KS3 does not document their
 * body.
 */
import { Readable } from 'node:stream';
import { contentMd5 } from '../body.js';
import { Ks3Error } from '../errors.js';
import { lastHeader } from '../headers.js';
import { decodeQueryComponent } from '../query.js';
import { send } from '../respond.js';
import { unlinkQuiet, writeHashed } from '../store/fsx.js';
import { requireBucket } from './access.js';
import { attrsFromRequest, checkKey } from './object-attrs.js';
import { versionHeaders } from './versions.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/** @param {string} hostname as `URL` normalises it (`127.1` → `127.0.0.1`, IPv6 in brackets) */
export function isLoopbackHost(hostname) {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * @param {Ctx} ctx
 * @throws {Ks3Error} InvalidArgument
 */
function sourceUrl(ctx) {
  const raw = ctx.kss.get('x-kss-sourceurl');
  if (!raw) throw new Ks3Error('InvalidArgument', 'PUT Fetch needs x-kss-sourceurl (the URL-encoded source URL).');
  const decoded = decodeQueryComponent(raw);
  const url = URL.canParse(decoded) ? new URL(decoded) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password)
    throw new Ks3Error('InvalidArgument', 'x-kss-sourceurl must be an http or https URL without credentials.');
  if (!isLoopbackHost(url.hostname))
    throw new Ks3Error(
      'InvalidArgument',
      `The KS3 emulator fetches only from loopback addresses (127.0.0.0/8, ::1, localhost), not ${url.hostname}.`,
    );
  return url;
}

/**
 * Downloads `url` into `tmp`.
 * @param {Ctx} ctx
 * @param {URL} url
 * @param {string} tmp
 * @throws {Ks3Error} InvalidArgument (unreachable, not 2xx, timeout), EntityTooLarge
 */
async function download(ctx, url, tmp) {
  const { timeoutMs, maxBytes } = ctx.env.fetch;
  const failed = (/** @type {string} */ why) =>
    new Ks3Error('InvalidArgument', `The source URL could not be fetched: ${why}.`);
  const tooLarge = () =>
    new Ks3Error('EntityTooLarge', `The source is larger than the emulator's fetch limit of ${maxBytes} bytes.`);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const onClose = () => abort.abort();
  ctx.env.signal.addEventListener('abort', onClose);
  try {
    const res = await fetch(url, { redirect: 'manual', signal: abort.signal }).catch((err) => {
      throw failed(abort.signal.aborted ? `no answer within ${timeoutMs} ms` : String(err.cause?.code ?? err.message));
    });
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel().catch(() => {});
      throw failed(`it answered ${res.status}`);
    }
    if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw tooLarge();
    }
    let size = 0;
    let over = false;
    const body = res.body ? Readable.fromWeb(/** @type {import('node:stream/web').ReadableStream} */ (res.body)) : [];
    const counted = async function* () {
      for await (const chunk of body) {
        size += chunk.length;
        if (size > maxBytes) {
          over = true;
          abort.abort();
          throw tooLarge();
        }
        yield chunk;
      }
    };
    const written = await writeHashed(counted(), tmp).catch((err) => {
      throw over ? tooLarge() : failed(abort.signal.aborted ? `no answer within ${timeoutMs} ms` : err.message);
    });
    return { ...written, contentType: res.headers.get('content-type') ?? '' };
  } finally {
    clearTimeout(timer);
    ctx.env.signal.removeEventListener('abort', onClose);
  }
}

/** @param {Ctx} ctx */
export async function fetchObject(ctx) {
  const bucket = requireBucket(ctx, 'WRITE');
  const { key } = ctx.target;
  checkKey(key);
  if (ctx.kss.has('x-kss-callbackurl'))
    throw new Ks3Error('NotImplemented', 'Fetch callbacks are not implemented by the KS3 emulator.');
  const url = sourceUrl(ctx);
  const attrs = attrsFromRequest(ctx, bucket);
  const expected = contentMd5(ctx);
  const current = bucket.objects.get(key);
  if (expected && current?.etag === expected.toString('hex')) {
    send(ctx, 200, { etag: `"${current.etag}"`, ...versionHeaders(bucket, current) });
    return;
  }
  const store = ctx.env.store;
  const tmp = store.tmpPath();
  try {
    const { size, md5, contentType } = await download(ctx, url, tmp);
    if (expected && !md5.equals(expected))
      throw new Ks3Error('BadDigest', undefined, {
        extra: { ExpectedDigest: expected.toString('base64'), CalculatedDigest: md5.toString('base64') },
      });
    const given = lastHeader(ctx.req.rawHeaders, 'content-type');
    const stored = await store.commitObject(bucket.info.name, tmp, {
      ...attrs,
      contentType: given || contentType || attrs.contentType,
      key,
      size,
      etag: md5.toString('hex'),
      lastModified: ctx.env.now(),
    });
    send(ctx, 200, { etag: `"${stored.etag}"`, ...versionHeaders(bucket, stored) });
  } finally {
    await unlinkQuiet(tmp);
  }
}
