// @ts-check
/**
 * What a write stores besides the bytes (content type, standard headers, user metadata, storage
 * class, ACL, SSE) and how it is given back on GET/HEAD (§4.7, §4.9).
 */
import { cannedAcl } from '../acl.js';
import { Ks3Error } from '../errors.js';
import { lastHeader, wireText } from '../headers.js';
import { MAX_KEY_LENGTH, MAX_METADATA_SIZE } from '../limits.js';
import { actingOwner } from './access.js';
import { restoreHeader } from './restore.js';
import { tagsFromHeader } from './tags.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../store/types.js').ObjectAttrs} ObjectAttrs */
/** @typedef {import('../store/types.js').ObjectMeta} ObjectMeta */

/** Plain headers stored with an object and returned on GET/HEAD. */
export const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];
/**
 * KS3's storage classes (ks3sdklib/ksyun-ks3-go-sdk `ks3/const.go`, ks3sdklib/aws-sdk-go
 * `service/s3/const.go`). The archive ones need a restore before their bytes can be read.
 */
export const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'DEEP_IA',
  'ARCHIVE',
  'COLD_ARCHIVE',
  'DEEP_COLD_ARCHIVE',
  'EXTREME_PL1',
  'EXTREME_PL2',
  'EXTREME_PL3',
];
/** Bucket types (`x-kss-bucket-type`) and the storage class their objects get by default. */
export const BUCKET_TYPES = /** @type {Record<string, string>} */ ({
  NORMAL: 'STANDARD',
  IA: 'STANDARD_IA',
  DEEP_IA: 'DEEP_IA',
  ARCHIVE: 'ARCHIVE',
  COLD_ARCHIVE: 'COLD_ARCHIVE',
  DEEP_COLD_ARCHIVE: 'DEEP_COLD_ARCHIVE',
  EXTREME_PL1: 'EXTREME_PL1',
  EXTREME_PL2: 'EXTREME_PL2',
  EXTREME_PL3: 'EXTREME_PL3',
});
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * §4.9 / §8: 1..1024 characters, no `@base@` / `@style@`.
 * @param {string} key
 * @throws {Ks3Error} KeyTooLong, InvalidKey
 */
export function checkKey(key) {
  let length = 0;
  for (const _ of key) length++;
  if (length > MAX_KEY_LENGTH)
    throw new Ks3Error('KeyTooLong', undefined, { extra: { Size: String(length), MaxSizeAllowed: '1024' } });
  if (key.includes('@base@') || key.includes('@style@'))
    throw new Ks3Error('InvalidKey', 'Object keys must not contain "@base@" or "@style@".');
}

/**
 * User metadata: `x-kss-meta-*` names lower-cased (duplicates differing in case: last wins,
 * already resolved in ctx.kss), values as given.
 * @param {Map<string, string>} kss
 * @throws {Ks3Error} MetadataTooLarge
 */
export function userMetadata(kss) {
  /** @type {Record<string, string>} */
  const meta = {};
  let size = 0;
  for (const [name, value] of kss) {
    if (!name.startsWith('x-kss-meta-')) continue;
    const short = name.slice('x-kss-meta-'.length);
    meta[short] = value;
    size += Buffer.byteLength(short) + Buffer.byteLength(value);
  }
  if (size > MAX_METADATA_SIZE)
    throw new Ks3Error('MetadataTooLarge', undefined, {
      extra: { Size: String(size), MaxSizeAllowed: String(MAX_METADATA_SIZE) },
    });
  return meta;
}

/**
 * @param {Map<string, string>} kss
 * @param {string} [fallback]
 * @throws {Ks3Error} InvalidStorageClass
 */
export function storageClass(kss, fallback = 'STANDARD') {
  const value = kss.get('x-kss-storage-class');
  if (value === undefined) return fallback;
  if (!STORAGE_CLASSES.includes(value))
    throw new Ks3Error(
      'InvalidStorageClass',
      `Storage class "${value}" is not valid; use one of ${STORAGE_CLASSES.join(', ')}.`,
    );
  return value;
}

/**
 * @param {Map<string, string>} kss
 * @throws {Ks3Error} InvalidArgument
 */
function sse(kss) {
  const value = kss.get('x-kss-server-side-encryption');
  if (value === undefined) return null;
  if (value !== 'AES256') throw new Ks3Error('InvalidArgument', 'x-kss-server-side-encryption must be AES256.');
  return value;
}

/**
 * Attributes for a new object (PUT, Initiate, Copy with REPLACE) from the request.
 * @param {Ctx} ctx
 * @param {import('../store/types.js').BucketState} bucket
 * @returns {ObjectAttrs}
 */
export function attrsFromRequest(ctx, bucket) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (const name of STORED_HEADERS) {
    const v = lastHeader(ctx.req.rawHeaders, name);
    if (v) headers[name] = v;
  }
  const owner = actingOwner(ctx, bucket);
  const canned = ctx.kss.get('x-kss-acl');
  return {
    contentType: lastHeader(ctx.req.rawHeaders, 'content-type') || DEFAULT_CONTENT_TYPE,
    headers,
    meta: userMetadata(ctx.kss),
    storageClass: storageClass(ctx.kss, BUCKET_TYPES[bucket.info.type ?? 'NORMAL']),
    acl: canned === undefined ? null : cannedAcl(canned, owner),
    ownerId: owner.id,
    sse: sse(ctx.kss),
    tags: tagsFromHeader(ctx),
  };
}

/**
 * Response headers describing an object (GET/HEAD). Metadata names are lower-case, as the
 * reference matches them case-sensitively (§4.7); x-kss-storage-class only when not STANDARD;
 * tag count, restore state and the appendable type only when there is something to say.
 * @param {ObjectMeta} meta
 * @param {number} now for the restore state
 * @returns {Record<string, string>}
 */
export function objectHeaders(meta, now) {
  /** @type {Record<string, string>} */
  const h = {
    'content-type': wireText(meta.contentType),
    etag: `"${meta.etag}"`,
    'last-modified': new Date(meta.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(meta.headers)) h[name] = wireText(value);
  for (const [name, value] of Object.entries(meta.meta)) h[`x-kss-meta-${name}`] = wireText(value);
  if (meta.storageClass !== 'STANDARD') h['x-kss-storage-class'] = meta.storageClass;
  if (meta.sse) h['x-kss-server-side-encryption'] = meta.sse;
  if (meta.tags?.length) h['x-kss-tagging-count'] = String(meta.tags.length);
  const restore = restoreHeader(meta, now);
  if (restore) h['x-kss-restore'] = restore;
  if (meta.objectType) {
    h['x-kss-object-type'] = meta.objectType;
    h['x-kss-next-append-position'] = String(meta.size);
  }
  return h;
}
