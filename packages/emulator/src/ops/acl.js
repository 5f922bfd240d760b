// @ts-check
/** ACL operations on buckets (§4.4) and objects (§4.14). */
import { ALL_USERS, AUTHENTICATED_USERS, aclXml, cannedAcl, parseAclXml } from '../acl.js';
import { readXmlBody } from '../body.js';
import { Ks3Error } from '../errors.js';
import { send, sendXml } from '../respond.js';
import { existingBucket, requireBucket } from './access.js';
import { versionOf } from '../store/versions.js';
import { requireVersion } from './versions.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../acl.js').Acl} Acl */

/**
 * The ACL a Put ACL request carries: canned via `x-kss-acl`, else the XML body (`?acl` and
 * `?acl=` are the same request, §1.6).
 * @param {Ctx} ctx
 * @param {import('../acl.js').Owner} owner
 * @returns {Promise<Acl>}
 */
async function aclFromRequest(ctx, owner) {
  const canned = ctx.kss.get('x-kss-acl');
  if (canned !== undefined) return cannedAcl(canned, owner);
  const root = await readXmlBody(ctx, 'MalformedACLError');
  if (!root) throw new Ks3Error('MalformedACLError', 'Give either an x-kss-acl header or an AccessControlPolicy body.');
  return parseAclXml(root);
}

/** @param {import('../store/types.js').BucketState} bucket */
const bucketOwner = (bucket) => ({ id: bucket.info.ownerId, displayName: bucket.info.ownerName });

/** @param {Ctx} ctx */
export function getBucketAcl(ctx) {
  const bucket = requireBucket(ctx, 'READ_ACP');
  sendXml(ctx, 200, aclXml(bucketOwner(bucket), bucket.info.acl));
}

/** @param {Ctx} ctx */
export async function putBucketAcl(ctx) {
  const bucket = requireBucket(ctx, 'WRITE_ACP');
  const acl = await aclFromRequest(ctx, bucketOwner(bucket));
  await ctx.env.store.updateBucket(bucket.info.name, (info) => ({ ...info, acl }));
  send(ctx, 200);
}

/**
 * An object without an explicit ACL reports its effective one: the owner's FULL_CONTROL plus
 * the group READ grants it inherits from its bucket.
 * @param {Ctx} ctx
 */
export function getObjectAcl(ctx) {
  const bucket = existingBucket(ctx);
  const meta = requireVersion(ctx, bucket, ctx.target.key, 'READ_ACP');
  const owner =
    meta.ownerId === bucket.info.ownerId ? bucketOwner(bucket) : { id: meta.ownerId, displayName: meta.ownerId };
  const inherited = bucket.info.acl.grants.filter(
    (g) =>
      g.permission === 'READ' && g.grantee.type === 'Group' && [ALL_USERS, AUTHENTICATED_USERS].includes(g.grantee.uri),
  );
  const acl = meta.acl ?? { grants: [...cannedAcl('private', owner).grants, ...inherited] };
  sendXml(ctx, 200, aclXml(owner, acl));
}

/** @param {Ctx} ctx */
export async function putObjectAcl(ctx) {
  const bucket = existingBucket(ctx);
  const meta = requireVersion(ctx, bucket, ctx.target.key, 'WRITE_ACP');
  const owner =
    meta.ownerId === bucket.info.ownerId ? bucketOwner(bucket) : { id: meta.ownerId, displayName: meta.ownerId };
  const acl = await aclFromRequest(ctx, owner);
  await ctx.env.store.updateObject(bucket.info.name, meta.key, (m) => ({ ...m, acl }), versionOf(meta));
  send(ctx, 200);
}
