// @ts-check
/**
 * Bucket CORS configuration (`?cors`), KS3's XML (docs.ksyun.com/documents/42312): flattened
 * CORSRule elements with AllowedOrigin, AllowedMethod, AllowedHeader, ExposeHeader,
 * MaxAgeSeconds and ID, plus KS3's NonCrossOriginResponseVary. At most 100 rules; origins and
 * allowed headers hold at most one `*`; methods are GET, PUT, POST, DELETE and HEAD.
 */
import { S3NS, el, text } from '../xml.js';
import {
  boolean,
  checkChildren,
  children,
  integer,
  invalid,
  malformed,
  oneOf,
  optionalText,
  texts,
} from './xml-fields.js';

export const CORS_MAX_RULES = 100;
/** KS3: "文件大小限制在64KB" (DOC 42312). */
export const CORS_MAX_BODY = 64 * 1024;
export const CORS_METHODS = /** @type {const} */ (['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);

/**
 * @typedef {object} CorsRule
 * @property {string} [id]
 * @property {string[]} allowedOrigins
 * @property {string[]} allowedMethods
 * @property {string[]} allowedHeaders
 * @property {string[]} exposeHeaders
 * @property {number} [maxAgeSeconds]
 */

/**
 * @typedef {object} CorsConfig
 * @property {CorsRule[]} rules
 * @property {boolean} [nonCrossOriginResponseVary] KS3: send `Vary: Origin` on non-CORS requests
 */

/**
 * @param {string} value
 * @param {string} what
 */
function atMostOneStar(value, what) {
  if (value === '') throw invalid(`${what} must not be empty.`);
  if (value.split('*').length > 2) throw invalid(`${what} "${value}" may contain at most one "*" wildcard.`);
  return value;
}

/**
 * @param {import('../xml-parse.js').XmlElement} rule
 * @returns {CorsRule}
 */
function parseRule(rule) {
  checkChildren(rule, ['ID', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader', 'MaxAgeSeconds']);
  const allowedOrigins = texts(rule, 'AllowedOrigin').map((o) => atMostOneStar(o, 'AllowedOrigin'));
  const allowedMethods = texts(rule, 'AllowedMethod').map((m) => oneOf(m, CORS_METHODS, 'AllowedMethod'));
  if (allowedOrigins.length === 0) throw malformed('Each CORSRule must name at least one AllowedOrigin.');
  if (allowedMethods.length === 0) throw malformed('Each CORSRule must name at least one AllowedMethod.');
  const id = optionalText(rule, 'ID');
  if (id !== undefined && id.length > 255) throw invalid('A CORSRule ID must be at most 255 characters.');
  const maxAge = optionalText(rule, 'MaxAgeSeconds');
  const exposeHeaders = texts(rule, 'ExposeHeader');
  if (exposeHeaders.some((h) => !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h)))
    throw invalid('ExposeHeader values must be header names.');
  return {
    ...(id === undefined ? {} : { id }),
    allowedOrigins,
    allowedMethods,
    allowedHeaders: texts(rule, 'AllowedHeader').map((h) => atMostOneStar(h, 'AllowedHeader')),
    exposeHeaders,
    ...(maxAge === undefined ? {} : { maxAgeSeconds: integer(maxAge, 'MaxAgeSeconds', 0, 2 ** 31 - 1) }),
  };
}

/**
 * Validates a CORSConfiguration document.
 * @param {import('../xml-parse.js').XmlElement} root
 * @returns {CorsConfig}
 * @throws {import('../errors.js').Ks3Error} MalformedXML, InvalidArgument
 */
export function parseCorsXml(root) {
  if (root.local !== 'CORSConfiguration') throw malformed('Expected a CORSConfiguration document.');
  checkChildren(root, ['CORSRule', 'NonCrossOriginResponseVary']);
  const rules = children(root, 'CORSRule');
  if (rules.length === 0) throw malformed('A CORSConfiguration needs at least one CORSRule.');
  if (rules.length > CORS_MAX_RULES) throw invalid(`A CORSConfiguration may hold at most ${CORS_MAX_RULES} rules.`);
  const vary = optionalText(root, 'NonCrossOriginResponseVary');
  return {
    rules: rules.map(parseRule),
    ...(vary === undefined ? {} : { nonCrossOriginResponseVary: boolean(vary, 'NonCrossOriginResponseVary') }),
  };
}

/**
 * The document GET ?cors answers.
 * @param {CorsConfig} config
 */
export function corsXml(config) {
  const rules = config.rules.map((r) =>
    el('CORSRule', [
      r.id === undefined ? '' : text('ID', r.id),
      ...r.allowedOrigins.map((v) => text('AllowedOrigin', v)),
      ...r.allowedMethods.map((v) => text('AllowedMethod', v)),
      ...r.allowedHeaders.map((v) => text('AllowedHeader', v)),
      ...r.exposeHeaders.map((v) => text('ExposeHeader', v)),
      r.maxAgeSeconds === undefined ? '' : text('MaxAgeSeconds', r.maxAgeSeconds),
    ]),
  );
  const vary =
    config.nonCrossOriginResponseVary === undefined
      ? ''
      : text('NonCrossOriginResponseVary', config.nonCrossOriginResponseVary);
  return el('CORSConfiguration', [...rules, vary], { xmlns: S3NS });
}
