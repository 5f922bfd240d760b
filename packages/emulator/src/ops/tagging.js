// @ts-check
/**
 * Object tagging (`/{key}?tagging`, optionally with `versionId`) and bucket tagging
 * (`/?tagging`). Changing tags does not change an object's Last-Modified (KS3). An object without
 * tags answers an empty TagSet (S3); a bucket without tags answers `404 NoSuchTagSet`.
 */
import { Ks3Error } from '../errors.js';
import { send, sendXml } from '../respond.js';
import { versionOf } from '../store/versions.js';
import { existingBucket, requireBucket } from './access.js';
import { MAX_BUCKET_TAGS, MAX_OBJECT_TAGS, taggingXml, tagsFromXml } from './tags.js';
import { requireVersion, versionHeaders } from './versions.js';
import { expectRoot, readCheckedXml } from './xml-body.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/** Readers of the object may read its tags. @param {Ctx} ctx */
export function getObjectTagging(ctx) {
  const bucket = existingBucket(ctx);
  const meta = requireVersion(ctx, bucket, ctx.target.key, 'READ');
  sendXml(ctx, 200, taggingXml(meta.tags ?? []), versionHeaders(bucket, meta));
}

/**
 * Writers of the bucket may set and remove an object's tags.
 * @param {Ctx} ctx
 * @param {import('../store/types.js').Tag[] | undefined} tags undefined removes them
 */
async function setObjectTags(ctx, tags) {
  const bucket = requireBucket(ctx, 'WRITE');
  const meta = requireVersion(ctx, bucket, ctx.target.key, 'READ');
  const stored = await ctx.env.store.updateObject(
    bucket.info.name,
    meta.key,
    (m) => {
      const { tags: _old, ...rest } = m;
      return tags ? { ...rest, tags } : rest;
    },
    versionOf(meta),
  );
  return { bucket, stored };
}

/** @param {Ctx} ctx */
export async function putObjectTagging(ctx) {
  const root = expectRoot(await readCheckedXml(ctx), 'Tagging');
  const { bucket, stored } = await setObjectTags(ctx, tagsFromXml(root, MAX_OBJECT_TAGS));
  send(ctx, 200, versionHeaders(bucket, stored));
}

/** @param {Ctx} ctx */
export async function deleteObjectTagging(ctx) {
  const { bucket, stored } = await setObjectTags(ctx, undefined);
  send(ctx, 204, versionHeaders(bucket, stored));
}

/** @param {Ctx} ctx */
export function getBucketTagging(ctx) {
  const { tags } = requireBucket(ctx, 'OWNER').info;
  if (!tags?.length) throw new Ks3Error('NoSuchTagSet', undefined, { extra: { BucketName: ctx.target.bucket } });
  sendXml(ctx, 200, taggingXml(tags));
}

/** @param {Ctx} ctx */
export async function putBucketTagging(ctx) {
  requireBucket(ctx, 'OWNER');
  const tags = tagsFromXml(expectRoot(await readCheckedXml(ctx), 'Tagging'), MAX_BUCKET_TAGS);
  await ctx.env.store.updateBucket(ctx.target.bucket, (info) => ({ ...info, tags }));
  send(ctx, 200);
}

/** @param {Ctx} ctx */
export async function deleteBucketTagging(ctx) {
  requireBucket(ctx, 'OWNER');
  await ctx.env.store.updateBucket(ctx.target.bucket, (info) => {
    const { tags: _old, ...rest } = info;
    return rest;
  });
  send(ctx, 204);
}
