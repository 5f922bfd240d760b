// @ts-check
/**
 * Choosing the version a request means (`?versionId=`, or the current one) and the version
 * headers of answers, with S3's rules: a current delete marker is `404 NoSuchKey` carrying
 * `x-kss-delete-marker: true`; naming a delete marker is `405 MethodNotAllowed`; an unknown id is
 * `404 NoSuchVersion`; a malformed one `400 InvalidArgument`. Buckets whose versioning was never
 * configured answer no version headers, as before versioning existed.
 */
import { Ks3Error } from '../errors.js';
import { VERSION_ID, isDeleteMarker, versionOf } from '../store/versions.js';
import { accessDenied, mayOnBucket, mayOnObject } from './access.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../store/types.js').BucketState} BucketState */
/** @typedef {import('../store/types.js').ObjectMeta} ObjectMeta */
/** @typedef {import('../store/types.js').Version} Version */

/**
 * A version id from a request: `null` or one this emulator issued.
 * @param {string} value
 * @throws {Ks3Error} InvalidArgument
 */
export function checkVersionId(value) {
  if (value !== 'null' && !VERSION_ID.test(value))
    throw new Ks3Error('InvalidArgument', 'Invalid version id specified', {
      extra: { ArgumentName: 'versionId', ArgumentValue: value },
    });
  return value;
}

/**
 * The request's `versionId`, checked; undefined when absent.
 * @param {Ctx} ctx
 */
export function requestedVersion(ctx) {
  const value = ctx.query.get('versionId');
  return value === undefined ? undefined : checkVersionId(value);
}

/**
 * `x-kss-version-id` (and `x-kss-delete-marker`) for an answer about `v`; none in a bucket whose
 * versioning was never configured.
 * @param {BucketState} bucket
 * @param {Version} v
 * @returns {Record<string, string>}
 */
export function versionHeaders(bucket, v) {
  /** @type {Record<string, string>} */
  const h = {};
  if (bucket.info.versioning !== undefined || v.versionId !== undefined) h['x-kss-version-id'] = versionOf(v);
  if (isDeleteMarker(v)) h['x-kss-delete-marker'] = 'true';
  return h;
}

/**
 * The object version a request addresses, checked for existence and permission. A missing key
 * or version is 404 only for requesters who may list the bucket, 403 for others (access.js).
 * @param {Ctx} ctx
 * @param {BucketState} bucket
 * @param {string} key
 * @param {'READ' | 'READ_ACP' | 'WRITE_ACP'} permission
 * @param {string | undefined} [versionId] default: the request's `versionId`
 * @returns {ObjectMeta}
 * @throws {Ks3Error} NoSuchKey, NoSuchVersion, MethodNotAllowed, AccessDenied, InvalidArgument
 */
export function requireVersion(ctx, bucket, key, permission, versionId = requestedVersion(ctx)) {
  const stack = bucket.versions.get(key) ?? [];
  const v = versionId === undefined ? stack[0] : stack.find((e) => versionOf(e) === versionId);
  if (!v || isDeleteMarker(v)) {
    if (!mayOnBucket(ctx, bucket, 'READ')) throw accessDenied();
    if (v && versionId !== undefined)
      throw new Ks3Error('MethodNotAllowed', 'The specified method is not allowed against a delete marker.', {
        headers: { ...versionHeaders(bucket, v), 'last-modified': new Date(v.lastModified).toUTCString() },
      });
    if (versionId !== undefined)
      throw new Ks3Error('NoSuchVersion', undefined, { extra: { Key: key, VersionId: versionId } });
    throw new Ks3Error('NoSuchKey', undefined, { extra: { Key: key }, headers: v ? versionHeaders(bucket, v) : {} });
  }
  if (!mayOnObject(ctx, bucket, v, permission)) throw accessDenied();
  return v;
}
