// @ts-check
/**
 * Header values at the HTTP boundary. Node reads header bytes as latin1; clients sign and mean
 * UTF-8, so non-ASCII values are reinterpreted on the way in and encoded back on the way out.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A received header value as text: UTF-8 when its bytes are valid UTF-8, else as received.
 * @param {string} raw
 */
export function headerText(raw) {
  if (!/[^\x00-\x7f]/.test(raw)) return raw;
  try {
    return utf8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    return raw;
  }
}

/**
 * Text to send as a header value: UTF-8 bytes carried in a latin1 string.
 * @param {string} text
 */
export function wireText(text) {
  return /[^\x00-\x7f]/.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/**
 * The last non-empty value of a header in Node's `rawHeaders` list, or '' (§2.2: with several
 * spellings the last non-empty one counts).
 * @param {string[]} rawHeaders
 * @param {string} lowerName
 */
export function lastHeader(rawHeaders, lowerName) {
  for (let i = rawHeaders.length - 2; i >= 0; i -= 2) {
    const value = /** @type {string} */ (rawHeaders[i + 1]);
    if (value !== '' && /** @type {string} */ (rawHeaders[i]).toLowerCase() === lowerName) return headerText(value);
  }
  return '';
}
