// @ts-check
/**
 * STS session policies (the `Policy` of AssumeRole, ks3-v4.md §3): a request made with such
 * temporary credentials must be allowed by that policy — an explicit Allow for its action and
 * resource, no Deny — and then by everything that applies to the parent identity (ACLs, bucket
 * policies). The result is the intersection: a session never does more than its parent, however
 * broad its policy. Same language and evaluator as bucket policies, without Principal.
 *
 * Checked for the request's own target in handler.js; for each key of a batch delete
 * (ops/delete-objects.js), for the source of a copy (ops/copy.js) and for POST Object forms
 * signed with session keys (ops/post-object.js).
 */
import { Ks3Error } from '../errors.js';
import { actionFor, requestContext, resourceFor } from './enforce.js';
import { evaluate } from './evaluate.js';
import { KRN_KS3 } from './parse.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/**
 * Does the session policy of the request's credentials (if any) allow `action` on the bucket
 * and key?
 * @param {Ctx} ctx
 * @param {string} action `ks3:GetObject`, ...
 * @param {string} bucket '' for the service (List Buckets)
 * @param {string} [key]
 */
export function sessionAllows(ctx, action, bucket, key) {
  const policy = ctx.credential?.sessionPolicy;
  if (!policy) return true;
  const resource = bucket ? resourceFor(bucket, key) : `${KRN_KS3}*`;
  return evaluate(policy, { action, resource, context: requestContext(ctx) }) === 'allow';
}

/**
 * Refuses a request its session policy does not allow.
 * @param {Ctx} ctx
 * @param {string} [action] default: the operation's
 * @param {string} [bucket] default: the request's
 * @param {string} [key] default: the request's
 * @throws {Ks3Error} AccessDenied
 */
export function enforceSessionPolicy(ctx, action, bucket = ctx.target.bucket, key = ctx.target.key) {
  if (!sessionAllows(ctx, action ?? actionFor(ctx.op), bucket, key || undefined)) throw sessionDenied();
}

/** The error for a request (or a key of a batch delete) the session policy does not allow. */
export function sessionDenied() {
  return new Ks3Error('AccessDenied', 'Access Denied (not allowed by the session policy of these credentials).');
}
