// @ts-check
/**
 * Reading KS3 access policies (bucket policies here; STS session policies later use the same
 * language, ks3-v4.md §3): `Version` "2015-11-01", `Statement` of `Effect` Allow/Deny,
 * `Principal` `"*"` or `{"KSC": [...krn:ksc:iam::<account>:root | :user/<name> | "*"]}`,
 * `Action` (`ks3:GetObject`, `ks3:*`, wildcards), `Resource` (`krn:ksc:ks3:::bucket`,
 * `krn:ksc:ks3:::bucket/prefix*`, `*` and `?` wildcards) and `Condition` (IAM-style operators).
 * Sources: endocs.ksyun.com/documents/37379 (bucket policy), 37380 (user policy), 28027
 * (Explicit Deny > Allow > Default Deny). What nothing documents follows S3: NotPrincipal,
 * NotAction and NotResource are refused as unsupported, and Resources must name the bucket.
 */
import { configError } from '../config/errors.js';

export const POLICY_VERSIONS = ['2015-11-01', '2012-10-17'];
export const KRN_KS3 = 'krn:ksc:ks3:::';
const KRN_IAM = /^krn:ksc:iam::[^:/]+:(root|user\/[^/]+)$/;

/** The condition operators understood (each also with an `IfExists` suffix, except Null). */
export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'IpAddress',
  'NotIpAddress',
  'Null',
];

/**
 * @typedef {object} Condition
 * @property {string} operator one of CONDITION_OPERATORS
 * @property {boolean} ifExists
 * @property {string} key lower-cased (`ks3:prefix`, `ksc:currenttime`, ...)
 * @property {string[]} values
 */

/**
 * @typedef {object} Statement
 * @property {string} [sid]
 * @property {'Allow' | 'Deny'} effect
 * @property {string[]} [principals] undefined when the statement has no Principal (user and
 *   session policies): it then applies to whoever the policy is attached to
 * @property {string[]} actions
 * @property {string[]} resources
 * @property {Condition[]} conditions
 */

/** @typedef {{ version?: string, statements: Statement[] }} Policy */

/** @param {string} message */
const bad = (message) => configError('MalformedPolicy', message);

/**
 * A string or a non-empty array of strings.
 * @param {unknown} value
 * @param {string} what
 * @returns {string[]}
 */
function stringList(value, what) {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string' && v !== ''))
    throw bad(`${what} must be a string or a non-empty array of strings.`);
  return /** @type {string[]} */ (list);
}

/** @param {unknown} value */
function principals(value) {
  if (value === '*') return ['*'];
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad('Invalid principal in policy.');
  const entries = Object.entries(value);
  if (entries.length !== 1 || entries[0]?.[0] !== 'KSC') throw bad('Invalid principal in policy: use {"KSC": [...]}.');
  const list = stringList(entries[0][1], 'Principal KSC');
  const wrong = list.find((p) => p !== '*' && !KRN_IAM.test(p));
  if (wrong) throw bad(`Invalid principal in policy: "${wrong}".`);
  return list;
}

/**
 * @param {unknown} value
 * @returns {Condition[]}
 */
function conditions(value) {
  if (value === undefined) return [];
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad('Condition must be an object.');
  /** @type {Condition[]} */
  const out = [];
  for (const [name, block] of Object.entries(value)) {
    const ifExists = name.endsWith('IfExists') && name !== 'IfExists';
    const operator = ifExists ? name.slice(0, -'IfExists'.length) : name;
    if (!CONDITION_OPERATORS.includes(operator) || (ifExists && operator === 'Null'))
      throw bad(`Invalid Condition type: ${name}.`);
    if (!block || typeof block !== 'object' || Array.isArray(block) || Object.keys(block).length === 0)
      throw bad(`Condition ${name} must map condition keys to values.`);
    for (const [key, raw] of Object.entries(block)) {
      if (!/^[A-Za-z0-9-]+:[A-Za-z0-9-_]+$/.test(key)) throw bad(`Policy has an invalid condition key: ${key}.`);
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.length === 0 || !list.every((v) => ['string', 'number', 'boolean'].includes(typeof v)))
        throw bad(`Condition ${name} ${key} must be a string, number, boolean or a non-empty array of them.`);
      out.push({ operator, ifExists, key: key.toLowerCase(), values: list.map(String) });
    }
  }
  return out;
}

/**
 * @param {unknown} raw
 * @param {number} index
 * @param {{ requirePrincipal: boolean, bucket?: string }} options
 * @returns {Statement}
 */
function statement(raw, index, options) {
  const where = `Statement ${index + 1}`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad(`${where} must be an object.`);
  const s = /** @type {Record<string, unknown>} */ (raw);
  const allowed = ['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition'];
  const unknown = Object.keys(s).find((k) => !allowed.includes(k));
  if (unknown) throw bad(`${where}: the element ${unknown} is not supported.`);
  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw bad(`${where}: Sid must be a string.`);
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw bad(`${where}: Effect must be Allow or Deny.`);
  if (s.Principal === undefined && options.requirePrincipal) throw bad(`${where} has no Principal.`);
  if (s.Action === undefined) throw bad(`${where} has no Action.`);
  if (s.Resource === undefined) throw bad(`${where} has no Resource.`);
  const actions = stringList(s.Action, `${where} Action`);
  const wrongAction = actions.find((a) => a !== '*' && !/^ks3:[A-Za-z*?]+$/i.test(a));
  if (wrongAction) throw bad(`Policy has invalid action: ${wrongAction}.`);
  const resources = stringList(s.Resource, `${where} Resource`);
  for (const r of resources) {
    if (!r.startsWith(KRN_KS3)) throw bad(`Policy has invalid resource: ${r}.`);
    const bucketPart = r.slice(KRN_KS3.length).split('/')[0] ?? '';
    if (options.bucket !== undefined && !globMatch(bucketPart, options.bucket, false))
      throw bad(`Policy has invalid resource: ${r} is not in the bucket ${options.bucket}.`);
  }
  return {
    ...(s.Sid === undefined ? {} : { sid: /** @type {string} */ (s.Sid) }),
    effect: s.Effect,
    ...(s.Principal === undefined ? {} : { principals: principals(s.Principal) }),
    actions,
    resources,
    conditions: conditions(s.Condition),
  };
}

/**
 * Validates a policy document.
 * @param {string} text the JSON as sent
 * @param {{ requirePrincipal: boolean, bucket?: string }} options bucket policies require a
 *   Principal in every statement and Resources inside `bucket`
 * @returns {Policy}
 * @throws {import('../errors.js').Ks3Error} MalformedPolicy naming the fault
 */
export function parsePolicy(text, options) {
  if (!text.trimStart().startsWith('{')) throw bad('Policies must be valid JSON and the first byte must be "{".');
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('Policies must be valid JSON.');
  }
  const unknown = Object.keys(doc).find((k) => !['Version', 'Id', 'Statement'].includes(k));
  if (unknown) throw bad(`The policy element ${unknown} is not supported.`);
  if (doc.Version !== undefined && !POLICY_VERSIONS.includes(doc.Version))
    throw bad(`Invalid policy Version: ${JSON.stringify(doc.Version)} (use "2015-11-01").`);
  const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  if (list.length === 0) throw bad('A policy needs at least one Statement.');
  return {
    ...(doc.Version === undefined ? {} : { version: doc.Version }),
    statements: list.map((/** @type {unknown} */ s, /** @type {number} */ i) => statement(s, i, options)),
  };
}

/**
 * `*` matches any run of characters and `?` any one character; nothing else is special.
 * @param {string} pattern
 * @param {string} value
 * @param {boolean} ignoreCase
 */
export function globMatch(pattern, value, ignoreCase) {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // Iterative matcher with backtracking on the last `*` (linear for these short patterns).
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else return false;
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}
