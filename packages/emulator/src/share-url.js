// @ts-check
/**
 * KS3 "share URLs" (ks3-v4.md §1.2; the Go SDK's `Bucket.SignPolicyURL`): a bucket URL whose V4
 * signature covers only its `X-*-Algorithm/Credential/Date/Expires/Policy/Security-Token`
 * parameters, the policy being Base64 JSON `{"expiration": ISO, "conditions": [...]}`. What KS3
 * grants through such a URL is not documented (UNVERIFIED). The emulator's choice: reading only
 * (GET/HEAD object, list the bucket) as the signer, until both X-*-Expires and the policy's
 * expiration, within the policy's conditions on `$bucket` and `$key`. For a listing, `$key`
 * constrains the `prefix` parameter, and a listing asked for less than a `starts-with` prefix
 * (no prefix at all, say) is narrowed to it: the link browses the shared folder.
 */
import { Ks3Error } from './errors.js';

/** @typedef {import('./context.js').Ctx} Ctx */

/**
 * @typedef {object} Condition
 * @property {'eq' | 'starts-with'} match
 * @property {'bucket' | 'key'} field
 * @property {string} value
 */

/** @typedef {{ expiration: number, conditions: Condition[] }} SharePolicy */

/** @param {string} why */
const invalid = (why) => new Ks3Error('InvalidPolicyDocument', `Invalid share-URL policy: ${why}.`);

/**
 * @param {unknown} c one condition: `["eq" | "starts-with", "$bucket" | "$key", value]` or `{"bucket": value}`
 * @returns {Condition}
 */
function condition(c) {
  if (Array.isArray(c)) {
    const [op, name, value] = c;
    const field = name === '$bucket' ? 'bucket' : name === '$key' ? 'key' : undefined;
    if (c.length === 3 && (op === 'eq' || op === 'starts-with') && field && typeof value === 'string') {
      return { match: op, field, value };
    }
  } else if (c && typeof c === 'object') {
    const entries = Object.entries(c);
    const [name, value] = entries[0] ?? [];
    if (entries.length === 1 && (name === 'bucket' || name === 'key') && typeof value === 'string') {
      return { match: 'eq', field: name, value };
    }
  }
  throw invalid(`unsupported condition ${JSON.stringify(c)} (the emulator knows eq / starts-with on $bucket and $key)`);
}

/**
 * Decodes and checks a share-URL policy.
 * @param {string} base64
 * @param {number} now
 * @returns {SharePolicy}
 * @throws {Ks3Error} InvalidPolicyDocument, AccessDenied (expired)
 */
export function parseSharePolicy(base64, now) {
  let doc;
  try {
    doc = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalid('not Base64 JSON');
  }
  const expiration = typeof doc?.expiration === 'string' ? Date.parse(doc.expiration) : Number.NaN;
  if (Number.isNaN(expiration)) throw invalid('"expiration" must be an ISO 8601 date');
  if (doc.conditions !== undefined && !Array.isArray(doc.conditions)) throw invalid('"conditions" must be an array');
  const conditions = (doc.conditions ?? []).map(condition);
  if (expiration <= now) throw new Ks3Error('AccessDenied', 'Invalid according to Policy: Policy expired.');
  return { expiration, conditions };
}

const SHARE_OPS = new Set(['GetObject', 'HeadObject', 'ListObjects']);

/**
 * What a share URL may do (called once the operation is known).
 * @param {Ctx} ctx
 * @param {SharePolicy} policy
 * @throws {Ks3Error} AccessDenied
 */
export function checkShare(ctx, policy) {
  if (!SHARE_OPS.has(ctx.op)) {
    throw new Ks3Error('AccessDenied', 'A share URL only grants reading objects and listing its bucket.');
  }
  for (const c of policy.conditions) {
    const listing = c.field === 'key' && ctx.op === 'ListObjects';
    const actual =
      c.field === 'bucket' ? ctx.target.bucket : listing ? (ctx.query.get('prefix') ?? '') : ctx.target.key;
    if (listing && c.match === 'starts-with' && c.value.startsWith(actual)) {
      ctx.query.set('prefix', c.value);
      continue;
    }
    const ok = c.match === 'eq' ? actual === c.value : actual.startsWith(c.value);
    if (!ok) {
      throw new Ks3Error(
        'AccessDenied',
        'Invalid according to Policy: Policy Condition failed: ' +
          `["${c.match}", "$${c.field}", ${JSON.stringify(c.value)}]`,
      );
    }
  }
}
