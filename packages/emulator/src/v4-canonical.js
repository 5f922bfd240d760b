// @ts-check
/**
 * The pure parts of V4 verification (ks3-v4.md §1.2, the rules the vectors README says a
 * verifier must match): RFC 3986 encoding, canonical URI / query / headers, the canonical
 * request, the string to sign and the HMAC-SHA256 chain. node:crypto only, nothing shared with
 * the SDK.
 */
import { createHash, createHmac } from 'node:crypto';
import { headerText } from './headers.js';

/** SHA-256 of an empty payload, hex. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/**
 * RFC 3986 encoding of the UTF-8 bytes of `text`: unreserved characters kept, everything else
 * `%XX` in upper case (space is `%20`), `/` kept when asked (paths).
 * @param {string} text
 * @param {boolean} [keepSlash]
 */
export function uriEncode(text, keepSlash = false) {
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(b);
    if (b < 0x80 && (UNRESERVED.test(c) || (keepSlash && c === '/'))) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The canonical URI of a decoded request path: re-encoded once, `/` kept, slashes never
 * collapsed; an empty path is `/`.
 * @param {string} decodedPath
 */
export function canonicalUri(decodedPath) {
  return uriEncode(decodedPath, true) || '/';
}

/**
 * The canonical query: every pair encoded, value-less ones as `name=`, sorted by encoded name
 * (then value, for repeated names), joined with `&`.
 * @param {{ name: string, value: string }[]} pairs decoded names and values
 */
export function canonicalQuery(pairs) {
  return pairs
    .map((p) => [uriEncode(p.name), uriEncode(p.value)])
    .sort(([an = '', av = ''], [bn = '', bv = '']) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
}

/**
 * A header's canonical value: every occurrence trimmed and joined with `,`; inner runs of
 * whitespace collapsed to one space only with `collapse` (AWS does, KS3's Go SDK does not:
 * which one KS3 servers use is unverified).
 * @param {string[]} rawHeaders Node's flat list
 * @param {string} lowerName
 * @param {boolean} collapse
 */
export function canonicalHeaderValue(rawHeaders, lowerName, collapse) {
  /** @type {string[]} */
  const values = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (/** @type {string} */ (rawHeaders[i]).toLowerCase() !== lowerName) continue;
    const v = headerText(/** @type {string} */ (rawHeaders[i + 1])).trim();
    values.push(collapse ? v.replace(/\s+/g, ' ') : v);
  }
  return values.join(',');
}

/**
 * The canonical request (`METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED\nPAYLOAD`), headers in the order
 * the client listed them.
 * @param {{ method: string, uri: string, query: string, rawHeaders: string[], signedHeaders: string,
 *   payloadHash: string, collapse: boolean }} parts
 */
export function canonicalRequest(parts) {
  const lines = parts.signedHeaders
    .split(';')
    .map(
      (name) => `${name.toLowerCase()}:${canonicalHeaderValue(parts.rawHeaders, name.toLowerCase(), parts.collapse)}\n`,
    )
    .join('');
  return `${parts.method}\n${parts.uri}\n${parts.query}\n${lines}\n${parts.signedHeaders}\n${parts.payloadHash}`;
}

/** @param {string} text */
export function sha256Hex(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * `ALGORITHM\nTIMESTAMP\nSCOPE\nhex(sha256(canonical request))`.
 * @param {string} algorithm
 * @param {string} timestamp `YYYYMMDDTHHMMSSZ`
 * @param {string} scope `date/region/service/terminator`
 * @param {string} canonical
 */
export function stringToSignV4(algorithm, timestamp, scope, canonical) {
  return `${algorithm}\n${timestamp}\n${scope}\n${sha256Hex(canonical)}`;
}

/**
 * The lower-case hex signature: HMAC chain PREFIX+secret → date → region → service →
 * terminator, then HMAC of the string to sign.
 * @param {{ secretPrefix: string, secret: string, date: string, region: string, service: string,
 *   terminator: string }} scope
 * @param {string} sts
 */
export function signV4(scope, sts) {
  const mac = (/** @type {Buffer} */ key, /** @type {string} */ data) =>
    createHmac('sha256', key).update(data, 'utf8').digest();
  let key = Buffer.from(scope.secretPrefix + scope.secret, 'utf8');
  for (const part of [scope.date, scope.region, scope.service, scope.terminator]) key = mac(key, part);
  return createHmac('sha256', key).update(sts, 'utf8').digest('hex');
}
