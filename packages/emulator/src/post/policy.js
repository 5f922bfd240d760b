// @ts-check
/**
 * POST Object policies (KS3 V2, docs.ksyun.com/documents/42322, ks3-v4.md §4.1): the `Policy`
 * field is Base64 of UTF-8 JSON `{"expiration": ISO 8601, "conditions": [...]}`, and
 * `Signature` = Base64(HMAC-SHA1(secret key, the Base64 policy text)), checked here with
 * node:crypto. Conditions: `{"field": "value"}` and `["eq", "$field", "value"]` (exact),
 * `["starts-with", "$field", "prefix"]` (`""` = anything), `["content-length-range", min, max]`.
 * Every form field except KSSAccessKeyId / AWSAccessKeyId, Signature, Policy, file and
 * `x-ignore-*` must be named by a condition, and so must `bucket`. Errors follow S3's wording:
 * 403 AccessDenied "Invalid according to Policy: …", 400 InvalidPolicyDocument "Invalid Policy: …".
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { configError } from '../config/errors.js';
import { Ks3Error } from '../errors.js';

/**
 * @typedef {{ op: 'eq' | 'starts-with', field: string, value: string }
 *   | { op: 'content-length-range', min: number, max: number }} PostCondition
 * @typedef {{ expiration: number, conditions: PostCondition[] }} PostPolicy
 */

/** Form fields no condition has to name (lower-case). */
const EXEMPT = new Set(['kssaccesskeyid', 'awsaccesskeyid', 'signature', 'policy', 'file']);

/** @param {string} message */
const invalidPolicy = (message) => configError('InvalidPolicyDocument', `Invalid Policy: ${message}`);
/** @param {string} message */
export const notAccordingToPolicy = (message) =>
  new Ks3Error('AccessDenied', `Invalid according to Policy: ${message}`);

/**
 * Base64(HMAC-SHA1(secret, policy)).
 * @param {string} secret
 * @param {string} policyBase64
 */
export function signPostPolicy(secret, policyBase64) {
  return createHmac('sha1', Buffer.from(secret, 'utf8')).update(policyBase64, 'utf8').digest('base64');
}

/**
 * @param {string} secret
 * @param {string} policyBase64
 * @param {string} signature as sent
 */
export function postSignatureMatches(secret, policyBase64, signature) {
  const expected = Buffer.from(signPostPolicy(secret, policyBase64));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** @param {unknown} v */
function bound(v) {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/**
 * @param {unknown} c
 * @returns {PostCondition}
 */
function condition(c) {
  const wrong = () => invalidPolicy(`Invalid Condition: ${JSON.stringify(c)}.`);
  if (c && typeof c === 'object' && !Array.isArray(c)) {
    const entries = Object.entries(c);
    const [field, value] = entries[0] ?? [];
    if (entries.length !== 1 || typeof value !== 'string') throw wrong();
    return { op: 'eq', field: String(field).toLowerCase(), value };
  }
  if (!Array.isArray(c) || c.length !== 3 || typeof c[0] !== 'string') throw wrong();
  const op = c[0].toLowerCase();
  if (op === 'content-length-range') {
    const [min, max] = [bound(c[1]), bound(c[2])];
    if (min === undefined || max === undefined || min > max) throw wrong();
    return { op, min, max };
  }
  if ((op !== 'eq' && op !== 'starts-with') || typeof c[1] !== 'string' || typeof c[2] !== 'string') throw wrong();
  if (!c[1].startsWith('$') || c[1].length < 2) throw wrong();
  return { op, field: c[1].slice(1).toLowerCase(), value: c[2] };
}

/**
 * Decodes and validates the `Policy` field.
 * @param {string} policyBase64
 * @returns {PostPolicy}
 * @throws {Ks3Error} InvalidPolicyDocument
 */
export function decodePostPolicy(policyBase64) {
  let doc;
  try {
    doc = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidPolicy('Invalid JSON.');
  if (doc.expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  const expiration = typeof doc.expiration === 'string' ? Date.parse(doc.expiration) : Number.NaN;
  if (Number.isNaN(expiration)) throw invalidPolicy(`Invalid 'expiration' value: ${JSON.stringify(doc.expiration)}.`);
  if (!Array.isArray(doc.conditions)) throw invalidPolicy('Policy missing conditions.');
  return { expiration, conditions: doc.conditions.map(condition) };
}

/** @param {PostCondition} c */
function describe(c) {
  const parts = c.op === 'content-length-range' ? [c.op, c.min, c.max] : [c.op, `$${c.field}`, c.value];
  return `[${parts.map((p) => JSON.stringify(p)).join(', ')}]`;
}

/**
 * Checks the form against a decoded policy.
 * @param {PostPolicy} policy
 * @param {Map<string, string>} fields lower-case names → values, the fields before the file
 * @param {string} bucket the target bucket (the value of `$bucket`)
 * @param {number} now ms
 * @returns {{ min: number, max: number }} the allowed file sizes (content-length-range)
 * @throws {Ks3Error} AccessDenied "Invalid according to Policy: …"
 */
export function checkPostPolicy(policy, fields, bucket, now) {
  if (policy.expiration <= now) throw notAccordingToPolicy('Policy expired.');
  const named = new Set(policy.conditions.flatMap((c) => (c.op === 'content-length-range' ? [] : [c.field])));
  const extra = ['bucket', ...fields.keys()].filter(
    (f) => !EXEMPT.has(f) && !f.startsWith('x-ignore-') && !named.has(f),
  );
  if (extra.length > 0) throw notAccordingToPolicy(`Extra input fields: ${extra.join(', ')}`);
  let min = 0;
  let max = Number.MAX_SAFE_INTEGER;
  for (const c of policy.conditions) {
    if (c.op === 'content-length-range') {
      min = Math.max(min, c.min);
      max = Math.min(max, c.max);
      continue;
    }
    const value = c.field === 'bucket' ? bucket : (fields.get(c.field) ?? '');
    // S3: a Content-Type may list several types; each must start with the prefix.
    const values =
      c.field === 'content-type' && c.op === 'starts-with' ? value.split(',').map((v) => v.trim()) : [value];
    const ok = c.op === 'eq' ? value === c.value : values.every((v) => v.startsWith(c.value));
    if (!ok) throw notAccordingToPolicy(`Policy Condition failed: ${describe(c)}`);
  }
  return { min, max };
}
