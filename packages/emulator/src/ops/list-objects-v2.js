// @ts-check
/**
 * List Objects V2 (`GET /?list-type=2`, docs.ksyun.com/documents/42287, S3's ListBucketResult):
 * `continuation-token` (opaque; a token this emulator did not issue → `400 InvalidArgument`),
 * `start-after` (ignored when a token is given, as the token already lies after it),
 * `fetch-owner` (Owner only when `true`), `max-keys`, `prefix`, `delimiter` and `encoding-type`
 * as List Objects; `KeyCount` counts keys and common prefixes.
 */
import { Ks3Error } from '../errors.js';
import { MAX_KEYS, MAX_KEYS_WITH_DELIMITER } from '../limits.js';
import { encodeUrlValue } from '../query.js';
import { sendXml } from '../respond.js';
import { listKeys } from '../store/listing.js';
import { S3NS, el, principal, text } from '../xml.js';
import { requireBucket } from './access.js';
import { nameEncoder, pageSize } from './list-objects.js';

/** @typedef {import('../context.js').Ctx} Ctx */

const TOKEN_PREFIX = 'ks3emu-v2:';

/** @param {string} marker the last name of a page */
export function encodeContinuationToken(marker) {
  return Buffer.from(TOKEN_PREFIX + marker, 'utf8').toString('base64url');
}

/**
 * @param {string} token
 * @throws {Ks3Error} InvalidArgument for a token this emulator did not issue
 */
export function decodeContinuationToken(token) {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX) || encodeContinuationToken(text.slice(TOKEN_PREFIX.length)) !== token)
    throw new Ks3Error('InvalidArgument', 'The continuation token provided is incorrect.', {
      extra: { ArgumentName: 'continuation-token' },
    });
  return text.slice(TOKEN_PREFIX.length);
}

/**
 * @param {Ctx} ctx
 * @param {string} name
 * @throws {Ks3Error} InvalidArgument
 */
function booleanParam(ctx, name) {
  const raw = ctx.query.get(name);
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Ks3Error('InvalidArgument', `${name} must be true or false.`);
}

/** @param {Ctx} ctx */
export function listObjectsV2(ctx) {
  const bucket = requireBucket(ctx, 'READ');
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const startAfter = ctx.query.get('start-after') ?? '';
  const token = ctx.query.get('continuation-token');
  const fetchOwner = booleanParam(ctx, 'fetch-owner');
  const marker = token === undefined ? startAfter : decodeContinuationToken(token);
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
      fetchOwner ? principal('Owner', { id: m.ownerId, displayName: ownerName(m.ownerId) }) : '',
      text('StorageClass', m.storageClass),
      m.objectType ? text('Type', m.objectType) : '',
    ]);
  });
  const xml = el(
    'ListBucketResult',
    [
      text('Name', bucket.info.name),
      text('Prefix', enc(prefix)),
      startAfter ? text('StartAfter', enc(startAfter)) : '',
      token === undefined ? '' : text('ContinuationToken', token),
      text('MaxKeys', max),
      delimiter ? text('Delimiter', enc(delimiter)) : '',
      enc === encodeUrlValue ? text('EncodingType', 'url') : '',
      text('KeyCount', page.entries.length),
      text('IsTruncated', page.truncated),
      page.truncated ? text('NextContinuationToken', encodeContinuationToken(page.nextMarker)) : '',
      ...entries,
    ],
    { xmlns: S3NS },
  );
  sendXml(ctx, 200, xml);
}
