// @ts-check
/**
 * Paging over every version of every key (GET ?versions): keys in UTF-8 byte order, each key's
 * versions newest first, a common prefix counting as one entry (as in listing.js). Paging resumes
 * after `keyMarker` — after its version `versionIdMarker` when one is given, else after all its
 * versions. A version marker that is not (any more) a version of the key resumes at the next key.
 */
import { compareKeys } from './sorted-keys.js';
import { versionOf } from './versions.js';

/** @typedef {import('./types.js').Version} Version */
/**
 * @typedef {{ key: string, version: Version, latest: boolean } | { prefix: string }} VersionEntry
 * @typedef {{ entries: VersionEntry[], truncated: boolean, nextKeyMarker: string, nextVersionIdMarker: string }}
 *   VersionPage
 */

/**
 * @param {import('./types.js').BucketState} bucket
 * @param {{ prefix: string, delimiter: string, keyMarker: string, versionIdMarker: string, max: number }} q
 * @returns {VersionPage}
 */
export function listVersions(bucket, q) {
  const keys = bucket.allKeys;
  /** @type {VersionEntry[]} */
  const entries = [];
  const full = () => {
    const last = /** @type {VersionEntry} */ (entries[entries.length - 1]);
    return 'prefix' in last
      ? { entries, truncated: true, nextKeyMarker: last.prefix, nextVersionIdMarker: '' }
      : { entries, truncated: true, nextKeyMarker: last.key, nextVersionIdMarker: versionOf(last.version) };
  };
  let i = Math.max(keys.bound(q.prefix), q.keyMarker ? keys.bound(q.keyMarker) : 0);
  while (i < keys.length) {
    const key = /** @type {string} */ (keys.keys[i]);
    if (!key.startsWith(q.prefix)) break;
    const cut = q.delimiter ? key.indexOf(q.delimiter, q.prefix.length) : -1;
    if (cut >= 0) {
      const prefix = key.slice(0, cut + q.delimiter.length);
      if (!q.keyMarker || compareKeys(prefix, q.keyMarker) > 0) {
        if (entries.length === q.max) return full();
        entries.push({ prefix });
      }
      i = keys.endOfPrefix(prefix, i);
      continue;
    }
    const stack = bucket.versions.get(key) ?? [];
    let from = 0;
    if (key === q.keyMarker) {
      const at = q.versionIdMarker ? stack.findIndex((v) => versionOf(v) === q.versionIdMarker) : -1;
      from = at < 0 ? stack.length : at + 1;
    }
    for (let j = from; j < stack.length; j++) {
      if (entries.length === q.max) return full();
      entries.push({ key, version: /** @type {Version} */ (stack[j]), latest: j === 0 });
    }
    i++;
  }
  return { entries, truncated: false, nextKeyMarker: '', nextVersionIdMarker: '' };
}
