// @ts-check
/**
 * Keys kept sorted by their UTF-8 bytes (§4.12), for listing by binary search. UTF-8 byte order
 * equals code-point order; JS compares UTF-16 units, which differs only when a surrogate meets a
 * unit at or above U+E000, so units are remapped before comparing.
 */

/** @param {number} u */
const rank = (u) => (u >= 0xd800 && u <= 0xdfff ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u);

/**
 * Compares two keys in UTF-8 byte order.
 * @param {string} a
 * @param {string} b
 */
export function compareKeys(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

export class SortedKeys {
  /** @param {string[]} [keys] unsorted, distinct */
  constructor(keys = []) {
    /** @type {string[]} */
    this.keys = keys.sort(compareKeys);
  }

  get length() {
    return this.keys.length;
  }

  /**
   * First index whose key is >= `key` (or > `key` when `strict`).
   * @param {string} key
   * @param {boolean} [strict]
   */
  bound(key, strict = false) {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareKeys(/** @type {string} */ (this.keys[mid]), key);
      if (c < 0 || (strict && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** @param {string} key */
  insert(key) {
    const i = this.bound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  /** @param {string} key */
  remove(key) {
    const i = this.bound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /**
   * First index at or after `from` whose key does not start with `prefix`, given that the key at
   * `from` does: keys sharing a prefix are contiguous in this order.
   * @param {string} prefix
   * @param {number} from
   */
  endOfPrefix(prefix, from) {
    let lo = from;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (/** @type {string} */ (this.keys[mid]).startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
