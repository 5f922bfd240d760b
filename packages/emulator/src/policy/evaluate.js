// @ts-check
/**
 * Evaluating a parsed policy (parse.js) for one request. The API is deliberately small so that
 * STS session policies (same language) can reuse it:
 *
 *   evaluate(policy, { principal, action, resource, context }) → 'allow' | 'deny' | 'default'
 *
 * - `principal`: `{ account, user? }` for a signed request, `null` for an anonymous one, or
 *   `undefined` to skip Principal matching (user and session policies have none).
 * - `action`: `ks3:GetObject`, ...; `resource`: `krn:ksc:ks3:::bucket[/key]`.
 * - `context`: condition keys (lower-case) → value; an absent key is undefined.
 *
 * KS3's rule (endocs.ksyun.com/documents/28027): an explicit Deny wins over Allow, Allow over
 * the default; statement order does not matter. Conditions follow IAM: every operator and key
 * of a statement must hold; a key holds when the context value matches any listed value (for
 * the negated operators: none of them); a missing key fails except for negated operators,
 * `...IfExists` and `Null`.
 * @module
 */
import { globMatch } from './parse.js';

/** @typedef {import('./parse.js').Policy} Policy */
/** @typedef {import('./parse.js').Statement} Statement */
/** @typedef {import('./parse.js').Condition} Condition */

/**
 * @typedef {object} PolicyRequest
 * @property {{ account: string, user?: string } | null} [principal]
 * @property {string} action
 * @property {string} resource
 * @property {Record<string, string | undefined>} [context]
 */

/**
 * @param {Policy} policy
 * @param {PolicyRequest} request
 * @returns {'allow' | 'deny' | 'default'}
 */
export function evaluate(policy, request) {
  let allowed = false;
  for (const s of policy.statements) {
    if (!principalMatches(s, request.principal)) continue;
    if (!s.actions.some((a) => a === '*' || globMatch(a, request.action, true))) continue;
    if (!s.resources.some((r) => globMatch(r, request.resource, false))) continue;
    if (!s.conditions.every((c) => conditionHolds(c, request.context?.[c.key]))) continue;
    if (s.effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'default';
}

/**
 * `*` is everyone, anonymous included; `krn:ksc:iam::<account>:root` every identity of that
 * account; `krn:ksc:iam::<account>:user/<name>` the identity with that display name.
 * @param {Statement} s
 * @param {PolicyRequest['principal']} who
 */
function principalMatches(s, who) {
  if (!s.principals || who === undefined) return true;
  return s.principals.some(
    (p) =>
      p === '*' ||
      (who !== null &&
        (p === `krn:ksc:iam::${who.account}:root` ||
          (who.user !== undefined && p === `krn:ksc:iam::${who.account}:user/${who.user}`))),
  );
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NotIpAddress']);

/**
 * @param {Condition} c
 * @param {string | undefined} value
 */
export function conditionHolds(c, value) {
  if (c.operator === 'Null') return c.values.some((v) => (v === 'true') === (value === undefined));
  const negated = NEGATED.has(c.operator) || c.operator.endsWith('NotEquals');
  if (value === undefined) return negated || c.ifExists;
  const match = (/** @type {string} */ v) => compare(c.operator, value, v);
  return negated ? !c.values.some(match) : c.values.some(match);
}

/**
 * A date as ISO 8601 or epoch seconds.
 * @param {string} s
 */
function dateOf(s) {
  return /^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s);
}

/**
 * Does the context value match one policy value under the operator (negation applied by the
 * caller)?
 * @param {string} operator
 * @param {string} actual
 * @param {string} wanted
 */
function compare(operator, actual, wanted) {
  const base = operator.replace(/Not(?=Equals|Like|IpAddress)/, '');
  switch (base) {
    case 'StringEquals':
      return actual === wanted;
    case 'StringEqualsIgnoreCase':
      return actual.toLowerCase() === wanted.toLowerCase();
    case 'StringLike':
      return globMatch(wanted, actual, false);
    case 'Bool':
      return actual.toLowerCase() === wanted.toLowerCase();
    case 'IpAddress':
      return ipInCidr(actual, wanted);
  }
  const numeric = base.startsWith('Numeric');
  const [a, w] = numeric ? [Number(actual), Number(wanted)] : [dateOf(actual), dateOf(wanted)];
  if (Number.isNaN(a) || Number.isNaN(w)) return false;
  const op = base.replace(/^(Numeric|Date)/, '');
  return op === 'Equals'
    ? a === w
    : op === 'LessThan'
      ? a < w
      : op === 'LessThanEquals'
        ? a <= w
        : op === 'GreaterThan'
          ? a > w
          : a >= w;
}

/** @param {string} ip */
function ipv4(ip) {
  const m = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

/**
 * IPv4 addresses and CIDR blocks only; IPv6 never matches (the emulator listens on loopback).
 * @param {string} ip
 * @param {string} cidr
 */
function ipInCidr(ip, cidr) {
  const [net, bitsText] = cidr.split('/');
  const a = ipv4(ip);
  const b = ipv4(net ?? '');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}
