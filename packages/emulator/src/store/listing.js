// @ts-check
/**
 * Paging over sorted keys (§4.12, §4.21). A common prefix counts as one entry, entries come in
 * UTF-8 byte order, and everything at or before the marker is skipped — including a common
 * prefix equal to the marker, which is what a client passes back after a page ending in one.
 */
import { compareKeys } from './sorted-keys.js';

/**
 * @typedef {{ key: string } | { prefix: string }} Entry
 * @typedef {{ entries: Entry[], truncated: boolean, nextMarker: string }} Page
 */

/**
 * @param {import('./sorted-keys.js').SortedKeys} keys
 * @param {{ prefix: string, delimiter: string, marker: string, max: number }} q
 * @returns {Page}
 */
export function listKeys(keys, q) {
  /** @type {Entry[]} */
  const entries = [];
  let i = Math.max(keys.bound(q.prefix), q.marker ? keys.bound(q.marker, true) : 0);
  while (i < keys.length) {
    const key = /** @type {string} */ (keys.keys[i]);
    if (!key.startsWith(q.prefix)) break;
    const cut = q.delimiter ? key.indexOf(q.delimiter, q.prefix.length) : -1;
    if (cut >= 0) {
      const prefix = key.slice(0, cut + q.delimiter.length);
      if (!q.marker || compareKeys(prefix, q.marker) > 0) {
        if (entries.length === q.max) return { entries, truncated: true, nextMarker: lastName(entries) };
        entries.push({ prefix });
      }
      // Jump over every key under this common prefix at once.
      i = keys.endOfPrefix(prefix, i);
      continue;
    }
    if (entries.length === q.max) return { entries, truncated: true, nextMarker: lastName(entries) };
    entries.push({ key });
    i++;
  }
  return { entries, truncated: false, nextMarker: '' };
}

/** @param {Entry[]} entries */
function lastName(entries) {
  const last = entries[entries.length - 1];
  return last === undefined ? '' : 'key' in last ? last.key : last.prefix;
}

/**
 * @typedef {{ upload: import('./types.js').UploadState } | { prefix: string }} UploadEntry
 */

/**
 * Lists uploads ordered by key, then by upload id (= initiation order). `uploadIdMarker` only
 * counts together with `keyMarker`, as in S3.
 * @param {Iterable<import('./types.js').UploadState>} uploads
 * @param {{ prefix: string, delimiter: string, keyMarker: string, uploadIdMarker: string, max: number }} q
 */
export function listUploads(uploads, q) {
  const sorted = [...uploads]
    .filter((u) => u.info.key.startsWith(q.prefix) && !u.completing)
    .sort((a, b) => compareKeys(a.info.key, b.info.key) || (a.info.uploadId < b.info.uploadId ? -1 : 1));
  /** @type {UploadEntry[]} */
  const entries = [];
  /** @type {string | undefined} */
  let lastPrefix;
  for (const u of sorted) {
    const { key, uploadId } = u.info;
    if (q.keyMarker) {
      const c = compareKeys(key, q.keyMarker);
      if (c < 0 || (c === 0 && (!q.uploadIdMarker || uploadId <= q.uploadIdMarker))) continue;
    }
    const cut = q.delimiter ? key.indexOf(q.delimiter, q.prefix.length) : -1;
    /** @type {UploadEntry} */
    let entry = { upload: u };
    if (cut >= 0) {
      const prefix = key.slice(0, cut + q.delimiter.length);
      if (prefix === lastPrefix || (q.keyMarker && compareKeys(prefix, q.keyMarker) <= 0)) continue;
      lastPrefix = prefix;
      entry = { prefix };
    }
    if (entries.length === q.max) return { entries, truncated: true };
    entries.push(entry);
  }
  return { entries, truncated: false };
}
