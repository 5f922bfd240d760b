// @ts-check
/**
 * Request-target parsing: the raw query split exactly as §2.4 describes (on `&`, each item on its
 * first `=`), and the percent-decoders for query values and object keys.
 */
import { Ks3Error } from './errors.js';

/**
 * @typedef {object} QueryParam
 * @property {string} name decoded name
 * @property {string} value decoded value (`+` is a space, then `%XX`)
 * @property {string} rawValue value exactly as it appeared in the URL
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

/**
 * Decodes `+` → space, then `%XX` escapes, then UTF-8.
 * @param {string} s
 * @param {boolean} strict throw on a malformed escape or invalid UTF-8 instead of keeping it
 * @returns {string | undefined} undefined when strict and malformed
 */
function decode(s, strict) {
  const plus = s.replace(/\+/g, ' ');
  if (!plus.includes('%')) return plus;
  if (strict && /%(?![0-9a-fA-F]{2})/.test(plus)) return undefined;
  // split() with a capture group puts the escapes at the odd indices.
  const parts = plus.split(/(%[0-9a-fA-F]{2})/);
  const bytes = Buffer.concat(
    parts.map((p, i) => (i % 2 ? Buffer.of(Number.parseInt(p.slice(1), 16)) : Buffer.from(p, 'utf8'))),
  );
  try {
    return (strict ? utf8 : utf8Lenient).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Lenient form decoding for query names and values: a malformed escape stays literal, because
 * unknown parameters must never fail a request (§1.6).
 * @param {string} s
 */
export function decodeQueryComponent(s) {
  return /** @type {string} */ (decode(s, false));
}

/**
 * Decodes an object key from the raw path (§1.5: `+` → space, then `%XX`, then UTF-8).
 * @param {string} raw
 * @throws {Ks3Error} InvalidURI on a malformed escape or invalid UTF-8
 */
export function decodeKey(raw) {
  const key = decode(raw, true);
  if (key === undefined) throw new Ks3Error('InvalidURI');
  return key;
}

/**
 * Splits a raw query string (without `?`).
 * @param {string} rawQuery
 * @returns {QueryParam[]}
 */
export function parseQuery(rawQuery) {
  /** @type {QueryParam[]} */
  const params = [];
  for (const item of rawQuery.split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const rawName = eq < 0 ? item : item.slice(0, eq);
    const rawValue = eq < 0 ? '' : item.slice(eq + 1);
    params.push({ name: decodeQueryComponent(rawName), value: decodeQueryComponent(rawValue), rawValue });
  }
  return params;
}

/**
 * Percent-encodes for `encoding-type=url` listings: UTF-8 bytes, unreserved characters and `/`
 * kept, space as `%20` (which both `+`-aware and plain URI decoders read back correctly).
 * @param {string} value
 */
export function encodeUrlValue(value) {
  return encodeURIComponent(value)
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
