// @ts-check
/**
 * Routing for the object-level API breadth (batch delete, tagging, versioning, restore, append,
 * fetch, List Objects V2), kept apart from router.js so each stays small. `resolveObjectApiOp`
 * answers the operation for requests that name one of these sub-resources, or undefined to let
 * router.js decide.
 */
import { Ks3Error } from './errors.js';

/** Sub-resources routed here (they are signed: auth.js and KS3's own SDKs). */
export const OBJECT_API_SUB_RESOURCES = ['delete', 'tagging', 'versioning', 'versions', 'restore', 'append', 'fetch'];

/** @typedef {import('./context.js').Ctx} Ctx */

const notAllowed = () => new Ks3Error('MethodNotAllowed');

/**
 * @param {Ctx} ctx
 * @returns {string | undefined}
 * @throws {Ks3Error} MethodNotAllowed for a sub-resource used with the wrong method or target
 */
export function resolveObjectApiOp(ctx) {
  const has = (/** @type {string} */ name) => ctx.query.has(name);
  const m = ctx.method;
  if (!ctx.target.key) {
    if (has('restore') || has('append') || has('fetch')) throw notAllowed();
    if (has('tagging'))
      return pick(m, { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' });
    if (has('versioning')) return pick(m, { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' });
    if (has('versions')) return pick(m, { GET: 'ListObjectVersions' });
    if (has('delete')) return pick(m, { POST: 'DeleteObjects' });
    // Only a plain listing: `?acl&list-type=2` is still Get Bucket ACL, and so on.
    const other = ['acl', 'location', 'logging', 'uploads'].some(has);
    if (m === 'GET' && ctx.query.get('list-type') === '2' && !other) return 'ListObjectsV2';
    return undefined;
  }
  if (has('versioning') || has('versions') || has('delete')) throw notAllowed();
  if (has('tagging'))
    return pick(m, { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' });
  if (has('restore')) return pick(m, { POST: 'RestoreObject' });
  if (has('append')) return pick(m, { POST: 'AppendObject' });
  if (has('fetch')) return pick(m, { PUT: 'FetchObject' });
  return undefined;
}

/**
 * @param {string} method
 * @param {Record<string, string>} byMethod
 */
function pick(method, byMethod) {
  const op = byMethod[method];
  if (!op) throw notAllowed();
  return op;
}
