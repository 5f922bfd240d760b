// @ts-check
/**
 * Who may do what (§2.8, and S3's ACL semantics where it is silent; the whole matrix is in the
 * README and test/access-matrix.test.ts). A bucket's owner may do everything in it. Other signed
 * identities need a grant: bucket READ lists (objects and uploads), bucket WRITE writes and
 * deletes objects and uploads parts, READ_ACP / WRITE_ACP read / change ACLs; an upload in
 * progress can be listed or aborted only by its initiator or the bucket owner. Anonymous
 * requests may only read (§2.8: GET/HEAD objects, list and HEAD the bucket) — a
 * public-read-write bucket lets other signed users write, not anonymous ones. An object without
 * an explicit ACL inherits its bucket's READ grants (so a public-read bucket serves its objects
 * publicly); one with an explicit ACL uses only that.
 * A bucket policy's Allow grants the request on its own target beyond all of this, anonymous
 * requests included when its Principal is "*" (policy/enforce.js); its Deny was already applied
 * before the operation ran. POST Object is authenticated by its form (ops/post-object.js), not
 * here: an anonymous form is held to the same rule (reads only, unless the policy allows).
 */
import { grants } from '../acl.js';
import { Ks3Error } from '../errors.js';
import { policyGrants } from '../policy/enforce.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../store/types.js').BucketState} BucketState */
/** @typedef {import('../store/types.js').ObjectMeta} ObjectMeta */

/**
 * What anonymous requests may ever attempt (§2.8: reads only); the grants still decide. A
 * bucket policy allowing the request lifts this (handler.js).
 */
export const ANONYMOUS_OPS = new Set(['GetObject', 'HeadObject', 'ListObjects', 'ListObjectsV2', 'HeadBucket']);

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
 * Listing the parts of, or aborting, an upload in progress: its initiator or the bucket owner
 * (S3's default; a WRITE grant alone is not enough). Callers check WRITE on the bucket first, so
 * identities without it never learn whether an upload id exists.
 * @param {Ctx} ctx
 * @param {BucketState} bucket
 * @param {import('../store/types.js').UploadState} upload
 * @throws {Ks3Error} AccessDenied
 */
export function requireUploadControl(ctx, bucket, upload) {
  const who = ctx.credential?.ownerId;
  if (who === undefined || (who !== bucket.info.ownerId && who !== upload.info.initiatorId)) throw accessDenied();
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
