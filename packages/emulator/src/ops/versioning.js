// @ts-check
/**
 * Bucket versioning (`?versioning`, S3's VersioningConfiguration) and the version listing
 * (`GET ?versions`, S3's ListVersionsResult).
 */
import { Ks3Error } from '../errors.js';
import { MAX_KEYS, MAX_KEYS_WITH_DELIMITER } from '../limits.js';
import { encodeUrlValue } from '../query.js';
import { send, sendXml } from '../respond.js';
import { listVersions } from '../store/version-listing.js';
import { isDeleteMarker, versionOf } from '../store/versions.js';
import { S3NS, el, principal, text } from '../xml.js';
import { childText } from '../xml-parse.js';
import { requireBucket } from './access.js';
import { nameEncoder, pageSize } from './list-objects.js';
import { checkVersionId } from './versions.js';
import { expectRoot, readCheckedXml } from './xml-body.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/** An empty configuration until the first PUT, then its Status. @param {Ctx} ctx */
export function getBucketVersioning(ctx) {
  const { versioning } = requireBucket(ctx, 'OWNER').info;
  sendXml(ctx, 200, el('VersioningConfiguration', versioning ? text('Status', versioning) : '', { xmlns: S3NS }));
}

/**
 * `Status` Enabled or Suspended; a bucket never returns to "never versioned". MFA delete is not
 * offered (`MfaDelete` Enabled → 501).
 * @param {Ctx} ctx
 */
export async function putBucketVersioning(ctx) {
  const bucket = requireBucket(ctx, 'OWNER');
  const root = expectRoot(await readCheckedXml(ctx), 'VersioningConfiguration');
  const status = childText(root, 'Status')?.trim();
  if (status !== 'Enabled' && status !== 'Suspended')
    throw new Ks3Error('MalformedXML', 'Status must be Enabled or Suspended.');
  const mfa = childText(root, 'MfaDelete')?.trim();
  if (mfa !== undefined && mfa !== 'Disabled') {
    if (mfa === 'Enabled') throw new Ks3Error('NotImplemented', 'MFA delete is not supported by the KS3 emulator.');
    throw new Ks3Error('MalformedXML', 'MfaDelete must be Enabled or Disabled.');
  }
  await ctx.env.store.updateBucket(bucket.info.name, (info) => ({ ...info, versioning: status }));
  send(ctx, 200);
}

/**
 * Every version and delete marker, keys in UTF-8 byte order and each key's versions newest
 * first; page sizes as List Objects.
 * @param {Ctx} ctx
 */
export function listObjectVersions(ctx) {
  const bucket = requireBucket(ctx, 'READ');
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const versionIdMarker = ctx.query.get('version-id-marker') ?? '';
  if (versionIdMarker) {
    if (!keyMarker)
      throw new Ks3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.');
    checkVersionId(versionIdMarker);
  }
  const max = delimiter
    ? pageSize(ctx, 'max-keys', MAX_KEYS_WITH_DELIMITER, MAX_KEYS_WITH_DELIMITER)
    : pageSize(ctx, 'max-keys', MAX_KEYS, MAX_KEYS);
  const enc = nameEncoder(ctx);
  const page = listVersions(bucket, { prefix, delimiter, keyMarker, versionIdMarker, max });
  const owner = (/** @type {string} */ id) => ({
    id,
    displayName: id === bucket.info.ownerId ? bucket.info.ownerName : id,
  });
  const entries = page.entries.map((e) => {
    if ('prefix' in e) return el('CommonPrefixes', text('Prefix', enc(e.prefix)));
    const v = e.version;
    const common = [
      text('Key', enc(e.key)),
      text('VersionId', versionOf(v)),
      text('IsLatest', e.latest),
      text('LastModified', new Date(v.lastModified).toISOString()),
    ];
    if (isDeleteMarker(v)) return el('DeleteMarker', [...common, principal('Owner', owner(v.ownerId))]);
    return el('Version', [
      ...common,
      text('ETag', `"${v.etag}"`),
      text('Size', v.size),
      principal('Owner', owner(v.ownerId)),
      text('StorageClass', v.storageClass),
    ]);
  });
  const xml = el(
    'ListVersionsResult',
    [
      text('Name', bucket.info.name),
      text('Prefix', enc(prefix)),
      text('KeyMarker', enc(keyMarker)),
      text('VersionIdMarker', versionIdMarker),
      text('MaxKeys', max),
      delimiter ? text('Delimiter', enc(delimiter)) : '',
      enc === encodeUrlValue ? text('EncodingType', 'url') : '',
      text('IsTruncated', page.truncated),
      page.truncated ? text('NextKeyMarker', enc(page.nextKeyMarker)) : '',
      page.nextVersionIdMarker ? text('NextVersionIdMarker', page.nextVersionIdMarker) : '',
      ...entries,
    ],
    { xmlns: S3NS },
  );
  sendXml(ctx, 200, xml);
}
