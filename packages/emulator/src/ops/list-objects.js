// @ts-check
/** §4.12 List Objects, plus the page-size and encoding-type parsing the other listings share. */
import { Ks3Error } from '../errors.js';
import { MAX_KEYS, MAX_KEYS_WITH_DELIMITER } from '../limits.js';
import { encodeUrlValue } from '../query.js';
import { sendXml } from '../respond.js';
import { listKeys } from '../store/listing.js';
import { S3NS, el, principal, text } from '../xml.js';
import { requireBucket } from './access.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/**
 * A page-size parameter: absent → `fallback`; larger than `cap` → `cap` (§4.12); not a
 * positive integer → 400 InvalidArgument (KS3 documents 1..1000).
 * @param {Ctx} ctx
 * @param {string} name
 * @param {number} fallback
 * @param {number} cap
 */
export function pageSize(ctx, name, fallback, cap) {
  const raw = ctx.query.get(name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1)
    throw new Ks3Error('InvalidArgument', `${name} must be an integer from 1 to ${cap}.`);
  return Math.min(Number(raw), cap);
}

/**
 * `encoding-type=url` percent-encodes names in the answer; any other value is refused.
 * @param {Ctx} ctx
 * @returns {(value: string) => string}
 */
export function nameEncoder(ctx) {
  const type = ctx.query.get('encoding-type');
  if (type === undefined || type === '') return (v) => v;
  if (type !== 'url')
    throw new Ks3Error('InvalidArgument', 'Invalid Encoding Method specified in Request (use "url").');
  return encodeUrlValue;
}

/**
 * Keys and common prefixes come interleaved in UTF-8 byte order, so a client that pages with
 * "the last entry" lands where one using NextMarker does; NextMarker is given whenever the page
 * is truncated.
 * @param {Ctx} ctx
 */
export function listObjects(ctx) {
  const bucket = requireBucket(ctx, 'READ');
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const marker = ctx.query.get('marker') ?? '';
  const max = delimiter
    ? pageSize(ctx, 'max-keys', MAX_KEYS_WITH_DELIMITER, MAX_KEYS_WITH_DELIMITER)
    : pageSize(ctx, 'max-keys', MAX_KEYS, MAX_KEYS);
  const enc = nameEncoder(ctx);
  const page = listKeys(bucket.keys, { prefix, delimiter, marker, max });
  const ownerName = (/** @type {string} */ id) => (id === bucket.info.ownerId ? bucket.info.ownerName : id);
  const entries = page.entries.map((e) => {
    if ('prefix' in e) return el('CommonPrefixes', text('Prefix', enc(e.prefix)));
    const m = /** @type {import('../store/types.js').ObjectMeta} */ (bucket.objects.get(e.key));
    return el('Contents', [
      text('Key', enc(m.key)),
      text('LastModified', new Date(m.lastModified).toISOString()),
      text('ETag', `"${m.etag}"`),
      text('Size', m.size),
      principal('Owner', { id: m.ownerId, displayName: ownerName(m.ownerId) }),
      text('StorageClass', m.storageClass),
      m.objectType ? text('Type', m.objectType) : '',
    ]);
  });
  const xml = el(
    'ListBucketResult',
    [
      text('Name', bucket.info.name),
      text('Prefix', enc(prefix)),
      text('Marker', enc(marker)),
      text('MaxKeys', max),
      delimiter ? text('Delimiter', enc(delimiter)) : '',
      enc === encodeUrlValue ? text('EncodingType', 'url') : '',
      text('IsTruncated', page.truncated),
      page.truncated ? text('NextMarker', enc(page.nextMarker)) : '',
      ...entries,
    ],
    { xmlns: S3NS },
  );
  sendXml(ctx, 200, xml);
}
