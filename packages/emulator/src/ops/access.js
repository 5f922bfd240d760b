// @ts-check
/**
 * Who may do what (§2.8). A bucket's owner may do everything in it. Other signed identities and
 * anonymous requests need a grant; anonymous requests are further limited to the operations in
 * ANONYMOUS_OPS. An object without an explicit ACL inherits its bucket's READ grants (so a
 * public-read bucket serves its objects publicly); one with an explicit ACL uses only that.
 * A bucket policy's Allow grants the request on its own target beyond all of this
 * (policy/enforce.js); its Deny was already applied before the operation ran.
 */
import { grants } from '../acl.js';
import { Ks3Error } from '../errors.js';
import { policyGrants } from '../policy/enforce.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../store/types.js').BucketState} BucketState */
/** @typedef {import('../store/types.js').ObjectMeta} ObjectMeta */

/** What anonymous requests may ever attempt (§2.8); the grants still decide. */
export const ANONYMOUS_OPS = new Set([
  'GetObject',
  'HeadObject',
  'ListObjects',
  'HeadBucket',
  'PutObject',
  'InitiateMultipartUpload',
  'UploadPart',
  'ListParts',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  // Authenticated by its form fields, not by the request (ops/post-object.js).
  'PostObject',
]);

/**
 * @param {Ctx} ctx
 * @param {string} [bucket] defaults to the request's bucket
 */
export function noSuchBucket(ctx, bucket = ctx.target.bucket) {
  return new Ks3Error('NoSuchBucket', undefined, { extra: { BucketName: bucket } });
}

/** @param {string} [message] */
export function accessDenied(message) {
  return new Ks3Error('AccessDenied', message);
}

/**
 * @param {Ctx} ctx
 * @param {BucketState} bucket
 * @param {'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP' | 'OWNER'} permission
 */
export function mayOnBucket(ctx, bucket, permission) {
  if (ctx.credential?.ownerId === bucket.info.ownerId || policyGrants(ctx, bucket.info.name)) return true;
  return permission !== 'OWNER' && grants(bucket.info.acl, permission, ctx.credential);
}

/**
 * The bucket of the request, checked for existence and permission.
 * @param {Ctx} ctx
 * @param {'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP' | 'OWNER'} permission
 * @param {string} [name] another bucket (copy sources, logging targets)
 * @throws {Ks3Error} NoSuchBucket, AccessDenied
 */
export function requireBucket(ctx, permission, name = ctx.target.bucket) {
  const bucket = existingBucket(ctx, name);
  if (!mayOnBucket(ctx, bucket, permission)) throw accessDenied();
  return bucket;
}

/**
 * A bucket that must exist; permission is checked by the caller (object-level operations).
 * @param {Ctx} ctx
 * @param {string} [name]
 * @throws {Ks3Error} NoSuchBucket
 */
export function existingBucket(ctx, name = ctx.target.bucket) {
  const bucket = ctx.env.store.buckets.get(name);
  if (!bucket) throw noSuchBucket(ctx, name);
  return bucket;
}

/**
 * @param {Ctx} ctx
 * @param {BucketState} bucket
 * @param {ObjectMeta} meta
 * @param {'READ' | 'READ_ACP' | 'WRITE_ACP'} permission
 */
export function mayOnObject(ctx, bucket, meta, permission) {
  const who = ctx.credential;
  if (who && (who.ownerId === bucket.info.ownerId || who.ownerId === meta.ownerId)) return true;
  if (policyGrants(ctx, bucket.info.name, meta.key)) return true;
  if (meta.acl) return grants(meta.acl, permission, who);
  return permission === 'READ' && grants(bucket.info.acl, 'READ', who);
}

/**
 * An existing object the requester may access. A missing key is 404 only for requesters who
 * may list the bucket; others get 403, so private key names do not leak.
 * @param {Ctx} ctx
 * @param {BucketState} bucket
 * @param {string} key
 * @param {'READ' | 'READ_ACP' | 'WRITE_ACP'} permission
 * @throws {Ks3Error} NoSuchKey, AccessDenied
 */
export function requireObject(ctx, bucket, key, permission) {
  const meta = bucket.objects.get(key);
  if (!meta) {
    if (!mayOnBucket(ctx, bucket, 'READ')) throw accessDenied();
    throw new Ks3Error('NoSuchKey', undefined, { extra: { Key: key } });
  }
  if (!mayOnObject(ctx, bucket, meta, permission)) throw accessDenied();
  return meta;
}

/**
 * The identity that will own what the request creates: the signer, or the bucket owner for
 * anonymous writes into a public-read-write bucket.
 * @param {Ctx} ctx
 * @param {BucketState} bucket
 */
export function actingOwner(ctx, bucket) {
  const c = ctx.credential;
  return c
    ? { id: c.ownerId, displayName: c.displayName }
    : { id: bucket.info.ownerId, displayName: bucket.info.ownerName };
}
