// @ts-check
/** Service and bucket operations: §4.1 List Buckets, §4.2 Create, §4.3 Delete, Head, §4.5, §4.6. */
import { cannedAcl, grantsXml, parseGrants } from '../acl.js';
import { readXmlBody } from '../body.js';
import { Ks3Error } from '../errors.js';
import { MAX_BUCKETS_PER_OWNER } from '../limits.js';
import { send, sendXml } from '../respond.js';
import { S3NS, el, principal, text } from '../xml.js';
import { XmlSyntaxError, childText, childrenNamed } from '../xml-parse.js';
import { accessDenied, requireBucket } from './access.js';
import { BUCKET_TYPES } from './object-attrs.js';

/** @typedef {import('../context.js').Ctx} Ctx */

const DEFAULT_LOCATION = 'BEIJING';

/**
 * KS3 bucket names (§1.4): 3–63 of `a-z 0-9 -`, not starting or ending with `-`, no dots.
 * @param {string} name
 * @throws {Ks3Error} InvalidBucketName
 */
export function checkBucketName(name) {
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) {
    throw new Ks3Error(
      'InvalidBucketName',
      'Bucket names are 3-63 characters of a-z, 0-9 and "-", and do not start or end with "-".',
      {
        extra: { BucketName: name },
      },
    );
  }
}

/** @param {Ctx} ctx */
function requester(ctx) {
  const c = ctx.credential;
  if (!c) throw accessDenied();
  return { id: c.ownerId, displayName: c.displayName };
}

/** §4.1: the requester's buckets, by name. @param {Ctx} ctx */
export function listBuckets(ctx) {
  const owner = requester(ctx);
  const buckets = [...ctx.env.store.buckets.values()]
    .filter((b) => b.info.ownerId === owner.id)
    .sort((a, b) => (a.info.name < b.info.name ? -1 : 1))
    .map((b) =>
      el('Bucket', [text('Name', b.info.name), text('CreationDate', new Date(b.info.created).toISOString())]),
    );
  sendXml(ctx, 200, el('ListAllMyBucketsResult', [principal('Owner', owner), el('Buckets', buckets)], { xmlns: S3NS }));
}

/**
 * §4.2. Re-creating one's own bucket answers 409 BucketAlreadyOwnedByYou (S3's code; the
 * reference treats every 409 as a name conflict), someone else's 409 BucketAlreadyExists.
 * @param {Ctx} ctx
 */
export async function createBucket(ctx) {
  const owner = requester(ctx);
  const name = ctx.target.bucket;
  checkBucketName(name);
  const acl = cannedAcl(ctx.kss.get('x-kss-acl') ?? 'private', owner);
  const type = ctx.kss.get('x-kss-bucket-type');
  if (type !== undefined && !(type in BUCKET_TYPES))
    throw new Ks3Error('InvalidArgument', `x-kss-bucket-type must be one of ${Object.keys(BUCKET_TYPES).join(', ')}.`);
  const root = await readXmlBody(ctx, 'MalformedXML');
  let location = DEFAULT_LOCATION;
  if (root) {
    if (root.local !== 'CreateBucketConfiguration')
      throw new Ks3Error('MalformedXML', 'Expected a CreateBucketConfiguration document.');
    const given = childText(root, 'LocationConstraint')?.trim() ?? '';
    if (given !== '' && !/^[A-Za-z0-9_-]{1,64}$/.test(given)) throw new Ks3Error('InvalidLocationConstraint');
    location = given || DEFAULT_LOCATION;
  }
  const info = {
    name,
    ownerId: owner.id,
    ownerName: owner.displayName,
    created: ctx.env.now(),
    location,
    acl,
    logging: null,
    ...(type === undefined ? {} : { type }),
  };
  await ctx.env.store.createBucket(info, (existing, owned) => {
    if (existing)
      throw new Ks3Error(
        existing.info.ownerId === owner.id ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExists',
        undefined,
        { extra: { BucketName: name } },
      );
    if (owned >= MAX_BUCKETS_PER_OWNER) throw new Ks3Error('TooManyBuckets');
  });
  send(ctx, 200, { location: `/${name}` });
}

/** §4.3: 204; 409 BucketNotEmpty while objects remain. @param {Ctx} ctx */
export async function deleteBucket(ctx) {
  requireBucket(ctx, 'OWNER');
  await ctx.env.store.deleteBucket(ctx.target.bucket);
  send(ctx, 204);
}

/**
 * Head Bucket: 200, 404 or 403, never a body. KS3 documents `x-kss-bucket-type`
 * (docs.ksyun.com/documents/27890); `x-kss-bucket-region` (the location, as S3's
 * `x-amz-bucket-region`) is this emulator's choice, not documented by KS3.
 * @param {Ctx} ctx
 */
export function headBucket(ctx) {
  const { info } = requireBucket(ctx, 'READ');
  send(ctx, 200, { 'x-kss-bucket-type': info.type ?? 'NORMAL', 'x-kss-bucket-region': info.location });
}

/** §4.5: the location given at creation. @param {Ctx} ctx */
export function getBucketLocation(ctx) {
  const bucket = requireBucket(ctx, 'OWNER');
  sendXml(ctx, 200, el('CreateBucketConfiguration', text('LocationConstraint', bucket.info.location), { xmlns: S3NS }));
}

/** §4.6 @param {Ctx} ctx */
export function getBucketLogging(ctx) {
  const { logging } = requireBucket(ctx, 'OWNER').info;
  const enabled = logging
    ? el('LoggingEnabled', [
        text('TargetBucket', logging.targetBucket),
        text('TargetPrefix', logging.targetPrefix),
        logging.targetGrants.length ? el('TargetGrants', grantsXml(logging.targetGrants)) : '',
      ])
    : '';
  sendXml(ctx, 200, el('BucketLoggingStatus', enabled, { xmlns: S3NS }));
}

/**
 * §4.6: an empty BucketLoggingStatus disables logging; the target must be a bucket of the same
 * owner (S3's rule). Nothing is ever delivered: the setting is only stored and returned.
 * @param {Ctx} ctx
 */
export async function putBucketLogging(ctx) {
  const bucket = requireBucket(ctx, 'OWNER');
  const root = await readXmlBody(ctx, 'MalformedXML');
  if (root?.local !== 'BucketLoggingStatus')
    throw new Ks3Error('MalformedXML', 'Expected a BucketLoggingStatus document.');
  const enabled = root.children.find((c) => c.local === 'LoggingEnabled');
  let logging = null;
  if (enabled) {
    const targetBucket = childText(enabled, 'TargetBucket')?.trim() ?? '';
    const target = ctx.env.store.buckets.get(targetBucket);
    if (!target || target.info.ownerId !== bucket.info.ownerId) {
      throw new Ks3Error('InvalidTargetBucketForLogging', undefined, { extra: { TargetBucket: targetBucket } });
    }
    const grantsEl = enabled.children.find((c) => c.local === 'TargetGrants');
    let targetGrants;
    try {
      targetGrants = grantsEl ? parseGrants(childrenNamed(grantsEl, 'Grant')) : [];
    } catch (err) {
      if (err instanceof XmlSyntaxError) throw new Ks3Error('MalformedXML', err.message);
      throw err;
    }
    logging = { targetBucket, targetPrefix: childText(enabled, 'TargetPrefix') ?? '', targetGrants };
  }
  await ctx.env.store.updateBucket(ctx.target.bucket, (info) => ({ ...info, logging }));
  send(ctx, 200);
}
