// @ts-check
/**
 * Enforcing bucket policies. Every request on a bucket with a policy is evaluated once, after
 * authentication, for its operation's `ks3:` action and its target resource:
 * - an explicit Deny refuses it (403 AccessDenied), the bucket owner included, except that the
 *   owner may always read, replace and delete the policy itself (as S3's root), so a wrong
 *   policy cannot lock the bucket;
 * - an Allow grants the request on its own bucket and key beyond the ACLs, anonymous requests
 *   included when the Principal is "*" (ops/access.js asks `policyGrants`);
 * - otherwise the ACLs decide, as before.
 *
 * Partial (said so in the README): the policy is evaluated for the request's own target only;
 * a copy's source object and a logging target bucket are still checked by ACLs alone.
 */
import { Ks3Error } from '../errors.js';
import { evaluate } from './evaluate.js';
import { KRN_KS3 } from './parse.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/** Emulator operation → KS3 permission keyword (docs.ksyun.com/documents/5178); others: `ks3:<op>`. */
export const OP_ACTIONS = {
  ListBuckets: 'ks3:ListBuckets',
  CreateBucket: 'ks3:PutBucket',
  DeleteBucket: 'ks3:DeleteBucket',
  HeadBucket: 'ks3:ListBucket',
  ListObjects: 'ks3:ListBucket',
  GetBucketAcl: 'ks3:GetBucketAcl',
  PutBucketAcl: 'ks3:PutBucketAcl',
  GetBucketLocation: 'ks3:GetBucketLocation',
  GetBucketLogging: 'ks3:GetBucketLogging',
  PutBucketLogging: 'ks3:PutBucketLogging',
  ListMultipartUploads: 'ks3:ListBucketMultipartUploads',
  PutObject: 'ks3:PutObject',
  PostObject: 'ks3:PutObject',
  CopyObject: 'ks3:PutObject',
  InitiateMultipartUpload: 'ks3:PutObject',
  UploadPart: 'ks3:PutObject',
  UploadPartCopy: 'ks3:PutObject',
  CompleteMultipartUpload: 'ks3:PutObject',
  GetObject: 'ks3:GetObject',
  HeadObject: 'ks3:GetObject',
  DeleteObject: 'ks3:DeleteObject',
  GetObjectAcl: 'ks3:GetObjectAcl',
  PutObjectAcl: 'ks3:PutObjectAcl',
  ListParts: 'ks3:ListMultipartUploadParts',
  AbortMultipartUpload: 'ks3:AbortMultipartUpload',
  // Operations of the object API (versions, batch delete, append, fetch, ListObjectsV2); the
  // rest of it (tagging, restore, versioning) takes the `ks3:<op>` default.
  ListObjectsV2: 'ks3:ListBucket',
  ListObjectVersions: 'ks3:ListBucketVersions',
  DeleteObjects: 'ks3:DeleteObject',
  AppendObject: 'ks3:PutObject',
  FetchObject: 'ks3:PutObject',
  GetBucketCors: 'ks3:GetBucketCORS',
  PutBucketCors: 'ks3:PutBucketCORS',
  // S3 guards DeleteBucketCors with PutBucketCORS; KS3 documents no separate keyword.
  DeleteBucketCors: 'ks3:PutBucketCORS',
};

const POLICY_OPS = new Set(['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy']);
/** Listings whose prefix, delimiter and max-keys are condition keys. */
const LISTINGS = new Set(['ListObjects', 'ListObjectsV2', 'ListObjectVersions']);

/** @param {string} op */
export function actionFor(op) {
  return /** @type {Record<string, string>} */ (OP_ACTIONS)[op] ?? `ks3:${op}`;
}

/**
 * @param {string} bucket
 * @param {string} [key]
 */
export function resourceFor(bucket, key) {
  return key ? `${KRN_KS3}${bucket}/${key}` : `${KRN_KS3}${bucket}`;
}

/**
 * The condition keys a request offers (lower-case names). Client IPs are the socket's.
 * @param {Ctx} ctx
 * @returns {Record<string, string | undefined>}
 */
export function requestContext(ctx) {
  const now = ctx.env.now();
  const header = (/** @type {string} */ name) => {
    const v = ctx.req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  const listing = LISTINGS.has(ctx.op);
  return {
    'ks3:prefix': listing ? ctx.query.get('prefix') : undefined,
    'ks3:delimiter': listing ? ctx.query.get('delimiter') : undefined,
    'ks3:max-keys': listing ? ctx.query.get('max-keys') : undefined,
    'ks3:x-kss-acl': ctx.kss.get('x-kss-acl'),
    'ks3:x-kss-storage-class': ctx.kss.get('x-kss-storage-class'),
    'ks3:x-kss-copy-source': ctx.kss.get('x-kss-copy-source'),
    'ksc:currenttime': new Date(now).toISOString(),
    'ksc:epochtime': String(Math.floor(now / 1000)),
    'ksc:securetransport': 'false',
    'ksc:sourceip': ctx.req.socket.remoteAddress?.replace(/^::ffff:/, ''),
    'ksc:useragent': header('user-agent'),
    'ksc:referer': header('referer'),
  };
}

/**
 * Evaluates the bucket's policy for this request and records the decision on `ctx`.
 * @param {Ctx} ctx
 * @throws {Ks3Error} AccessDenied on an explicit Deny
 */
export function enforceBucketPolicy(ctx) {
  ctx.policyDecision = 'default';
  const bucket = ctx.target.bucket ? ctx.env.store.buckets.get(ctx.target.bucket) : undefined;
  /** @type {{ policy: import('./parse.js').Policy } | undefined} */
  const stored = bucket?.info.config?.policy;
  if (!bucket || !stored) return;
  const who = ctx.credential;
  const decision = evaluate(stored.policy, {
    principal: who ? { account: who.ownerId, user: who.displayName } : null,
    action: actionFor(ctx.op),
    resource: resourceFor(bucket.info.name, ctx.target.key),
    context: requestContext(ctx),
  });
  if (decision === 'deny' && !(POLICY_OPS.has(ctx.op) && who?.ownerId === bucket.info.ownerId))
    throw new Ks3Error('AccessDenied', 'Access Denied (explicitly denied by the bucket policy).');
  ctx.policyDecision = decision;
}

/**
 * Did the bucket policy allow this request on this bucket (and key)? Grants apply to the
 * request's own target only.
 * @param {Ctx} ctx
 * @param {string} bucket
 * @param {string} [key]
 */
export function policyGrants(ctx, bucket, key) {
  return (
    ctx.policyDecision === 'allow' && bucket === ctx.target.bucket && (key === undefined || key === ctx.target.key)
  );
}
