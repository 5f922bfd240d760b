// @ts-check
/**
 * Strict reading of configuration XML (CORS, lifecycle, website, encryption, replication):
 * unknown or repeated elements are MalformedXML, bad values InvalidArgument, and every message
 * names the element at fault, as S3 does.
 */
import { Ks3Error } from '../errors.js';

/** @typedef {import('../xml-parse.js').XmlElement} XmlElement */

/** @param {string} message */
export const malformed = (message) => new Ks3Error('MalformedXML', message);
/** @param {string} message */
export const invalid = (message) => new Ks3Error('InvalidArgument', message);

/**
 * @param {XmlElement} el
 * @param {string[]} allowed local names
 * @throws {Ks3Error} MalformedXML naming the first element not allowed
 */
export function checkChildren(el, allowed) {
  const bad = el.children.find((c) => !allowed.includes(c.local));
  if (bad) throw malformed(`The element ${bad.local} is not allowed in ${el.local}.`);
}

/**
 * Child elements with one local name.
 * @param {XmlElement} el
 * @param {string} name
 */
export function children(el, name) {
  return el.children.filter((c) => c.local === name);
}

/**
 * The one child with this name, or undefined.
 * @param {XmlElement} el
 * @param {string} name
 * @throws {Ks3Error} MalformedXML when it appears more than once
 */
export function optionalChild(el, name) {
  const found = children(el, name);
  if (found.length > 1) throw malformed(`${name} may appear only once in ${el.local}.`);
  return found[0];
}

/**
 * @param {XmlElement} el
 * @param {string} name
 * @throws {Ks3Error} MalformedXML when missing or repeated
 */
export function requiredChild(el, name) {
  const found = optionalChild(el, name);
  if (!found) throw malformed(`${el.local} must contain ${name}.`);
  return found;
}

/**
 * Text of an element that must hold text only.
 * @param {XmlElement} el
 * @param {boolean} [trim]
 */
export function textOf(el, trim = true) {
  if (el.children.length > 0) throw malformed(`${el.local} must hold text, not elements.`);
  return trim ? el.text.trim() : el.text;
}

/**
 * @param {XmlElement} el
 * @param {string} name
 * @param {boolean} [trim]
 * @returns {string | undefined}
 */
export function optionalText(el, name, trim = true) {
  const child = optionalChild(el, name);
  return child ? textOf(child, trim) : undefined;
}

/**
 * @param {XmlElement} el
 * @param {string} name
 * @param {boolean} [trim]
 */
export function requiredText(el, name, trim = true) {
  return textOf(requiredChild(el, name), trim);
}

/**
 * Texts of every child with this name, in order.
 * @param {XmlElement} el
 * @param {string} name
 */
export function texts(el, name) {
  return children(el, name).map((c) => textOf(c));
}

/**
 * A decimal integer within bounds.
 * @param {string} text
 * @param {string} what the element, for the message
 * @param {number} min
 * @param {number} [max]
 * @throws {Ks3Error} InvalidArgument
 */
export function integer(text, what, min, max = Number.MAX_SAFE_INTEGER) {
  const n = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw invalid(`${what} must be an integer from ${min} to ${max}, not "${text}".`);
  return n;
}

/**
 * `true` / `false`.
 * @param {string} text
 * @param {string} what
 * @throws {Ks3Error} InvalidArgument
 */
export function boolean(text, what) {
  if (text !== 'true' && text !== 'false') throw invalid(`${what} must be true or false, not "${text}".`);
  return text === 'true';
}

/**
 * @param {string} text
 * @param {readonly string[]} values
 * @param {string} what
 * @throws {Ks3Error} InvalidArgument
 */
export function oneOf(text, values, what) {
  if (!values.includes(text)) throw invalid(`${what} must be one of ${values.join(', ')}, not "${text}".`);
  return text;
}

/** ISO 8601 date-times as S3 and KS3 write them: `2026-01-01T00:00:00.000Z`, `…+08:00`. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 date-time with a zone; returns the text as given (round trips are faithful).
 * @param {string} text
 * @param {string} what
 * @throws {Ks3Error} InvalidArgument
 */
export function isoDate(text, what) {
  if (!ISO_DATE.test(text) || Number.isNaN(Date.parse(text)))
    throw invalid(`${what} must be an ISO 8601 date-time with a time zone, not "${text}".`);
  return text;
}
