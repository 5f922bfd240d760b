// @ts-check
/**
 * Writing XML responses. Documents are small and built as strings; every text value goes
 * through `escapeXml` (keys can hold `&`, `<`, quotes).
 */

/** §4: XML bodies start with this declaration. */
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
/** The S3 namespace KS3 answers with (`S3NS` in the protocol document). */
export const S3NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** The schema-instance namespace the `xsi:type` of ACL grantees lives in (§4.4). */
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

const ESCAPES = /** @type {Record<string, string>} */ ({
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
});

/**
 * Escapes an attribute value.
 * @param {string} value
 */
export function escapeXml(value) {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * Escapes character data. Quotes stay literal, so ETags read `"…"` even to naive parsers.
 * @param {string} value
 */
export function escapeText(value) {
  return value.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
}

/**
 * An element holding escaped text.
 * @param {string} name
 * @param {string | number | boolean} value
 */
export function text(name, value) {
  return `<${name}>${escapeText(String(value))}</${name}>`;
}

/**
 * An element wrapping already-built XML children.
 * @param {string} name
 * @param {string | string[]} children
 * @param {Record<string, string>} [attrs]
 */
export function el(name, children, attrs = {}) {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const body = Array.isArray(children) ? children.join('') : children;
  return `<${name}${a}>${body}</${name}>`;
}

/**
 * `<Owner>`-style element with ID and DisplayName, optionally with a prefix (`ns2:`, §4.18).
 * @param {string} name
 * @param {{ id: string, displayName: string }} who
 * @param {string} [prefix]
 */
export function principal(name, who, prefix = '') {
  return el(prefix + name, [text(`${prefix}ID`, who.id), text(`${prefix}DisplayName`, who.displayName)]);
}
