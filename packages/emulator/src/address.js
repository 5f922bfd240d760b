// @ts-check
/**
 * Addressing (§1): which bucket and key a request targets, and the path its signature covers.
 * Path style always works; virtual-host style for `<bucket>.<endpoint>`; custom domains bound to
 * one bucket take the whole path as the key (§1.3).
 */
import { decodeKey } from './query.js';

/**
 * @typedef {object} Target
 * @property {'path' | 'virtual' | 'domain'} style
 * @property {string} bucket '' for the service (List Buckets)
 * @property {string} key '' for bucket-level requests
 * @property {string} resourcePath what CanonicalizedResource starts with (§2.6): the raw path,
 *   prefixed with `/bucket` for virtual-host and custom-domain requests
 */

/**
 * Splits the request-target into the raw path and raw query. Node hands the target over as a
 * latin1 string; bytes above 0x7F are reinterpreted as UTF-8, which is what clients signed.
 * @param {string} url `req.url`
 */
export function splitTarget(url) {
  let target = url;
  // absolute-form (a client talking to us as a proxy): keep only the path and query
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i.exec(target);
  if (abs) target = target.slice(abs[0].length) || '/';
  if (/[^\x00-\x7f]/.test(target)) target = Buffer.from(target, 'latin1').toString('utf8');
  const q = target.indexOf('?');
  return q < 0 ? { rawPath: target, rawQuery: '' } : { rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

/**
 * Host name without port, lower-cased (`[::1]:80` → `[::1]`).
 * @param {string | undefined} host
 */
export function hostName(host) {
  const h = (host ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d*$/, '');
}

/**
 * @param {string | undefined} hostHeader
 * @param {string} rawPath
 * @param {{ domains: Map<string, string>, endpointNames: string[] }} config
 * @returns {Target}
 * @throws {import('./errors.js').Ks3Error} InvalidURI for a key that does not decode
 */
export function resolveTarget(hostHeader, rawPath, config) {
  const host = hostName(hostHeader);
  const bound = config.domains.get(host);
  if (bound !== undefined) {
    return { style: 'domain', bucket: bound, key: decodeKey(rawPath.slice(1)), resourcePath: `/${bound}${rawPath}` };
  }
  for (const base of config.endpointNames) {
    if (host.length > base.length + 1 && host.endsWith(`.${base}`)) {
      const bucket = host.slice(0, -base.length - 1);
      // Bucket names never contain dots (§1.4), so only a single label can be a bucket.
      if (!bucket.includes('.')) {
        return { style: 'virtual', bucket, key: decodeKey(rawPath.slice(1)), resourcePath: `/${bucket}${rawPath}` };
      }
    }
  }
  // Path style: /bucket, /bucket/, /bucket/key; `//` inside the key is kept (§1.5).
  const slash = rawPath.indexOf('/', 1);
  const rawBucket = slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash);
  const key = slash < 0 ? '' : decodeKey(rawPath.slice(slash + 1));
  return { style: 'path', bucket: decodeKey(rawBucket), key, resourcePath: rawPath };
}
