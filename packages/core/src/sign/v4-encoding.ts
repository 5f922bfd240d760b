/**
 * V4 URL encodings (ks3-v4.md §1.2): RFC 3986 percent-encoding of UTF-8, where only
 * `A-Z a-z 0-9 - . _ ~` stay literal (space is `%20`, never `+`). Unlike V2's encoding K, the
 * wire path and the canonical URI use the same rule, so a V4 URL carries exactly what is signed.
 */
import { escapeDoubleSlashes } from '../encoding.js';
import { Ks3InputError } from '../errors.js';
import type { QueryParam } from './subresources.js';

const hex = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

/**
 * RFC 3986 encoding of one string (a query name or value, a path segment).
 * @throws {TypeError} for a lone UTF-16 surrogate (no UTF-8 form).
 * @example uriEncodeV4("a b*~'") // 'a%20b%2A~%27'
 */
export function uriEncodeV4(s: string): string {
  let out: string;
  try {
    out = encodeURIComponent(s);
  } catch {
    throw new TypeError('string is not well-formed Unicode (lone surrogate)');
  }
  // encodeURIComponent leaves exactly these five outside RFC 3986's unreserved set.
  return /[!'()*]/.test(out) ? out.replace(/[!'()*]/g, hex) : out;
}

/** RFC 3986 encoding of a decoded path: every `/` stays, nothing is collapsed. */
export const uriEncodePathV4 = (path: string): string => uriEncodeV4(path).replace(/%2F/g, '/');

/**
 * The V4 request path of a bucket and key, as sent: `/key` (virtual-hosted or no bucket),
 * `/bucket/key` (path style) or `/bucket/`, each segment RFC 3986-encoded once. Runs of `/` are
 * written `/%2F` (as KS3's Go SDK sends them and as V2 does), so no proxy can merge them; the
 * signature does not change, because the canonical URI is taken from the decoded path.
 * @example encodePathV4('b', 'my file.txt', true) // '/my%20file.txt'
 * @example encodePathV4('b', 'a//c', false) // '/b/a/%2Fc'
 */
export function encodePathV4(bucket: string | undefined, key: string | undefined, virtual: boolean): string {
  const path = bucket && !virtual ? `/${bucket}/${key ?? ''}` : `/${key ?? ''}`;
  return escapeDoubleSlashes(uriEncodePathV4(path));
}

/**
 * A query string as sent with V4: `name=value`, both RFC 3986-encoded, in the given order; a
 * parameter without a value (`undefined` or `''`) is the bare name. It decodes to exactly the
 * values the canonical query signs (where a bare `name` signs as `name=`).
 * @example renderQueryV4([['uploads'], ['prefix', 'a b/']]) // 'uploads&prefix=a%20b%2F'
 */
export function renderQueryV4(query: readonly QueryParam[]): string {
  let out = '';
  for (const [n, v] of query) out += `${out ? '&' : ''}${uriEncodeV4(n)}${v ? `=${uriEncodeV4(v)}` : ''}`;
  return out;
}

/**
 * The canonical query: every parameter as `name=value` (a bare one as `name=`), both
 * RFC 3986-encoded, sorted by encoded name, then by encoded value for repeated names (AWS's
 * rule; KS3's Go SDK keeps only the first of a repeated name, a case no KS3 call produces).
 */
export function canonicalQueryV4(query: readonly QueryParam[]): string {
  if (query.length === 0) return '';
  const pairs = query.map(([n, v]): [string, string] => [uriEncodeV4(n), uriEncodeV4(v ?? '')]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = '';
  for (const [n, v] of pairs) out += `${out ? '&' : ''}${n}=${v}`;
  return out;
}

// A path made only of unreserved characters and `/` is already canonical (the common case).
const CANONICAL_PATH = /^[A-Za-z0-9\-._~/]*$/;

/**
 * The canonical URI of a request path as sent: percent-decoded once, then RFC 3986-encoded with
 * `/` kept (vectors README). So `/a/%2Fb`, `/a//b` and a raw `/my file` sign as `/a//b` and
 * `/my%20file`; `+` is a literal plus in a path.
 * @throws {Ks3InputError} for a malformed percent-escape or an escape that is not UTF-8.
 */
export function canonicalUriV4(rawPath: string): string {
  if (!rawPath) return '/';
  if (CANONICAL_PATH.test(rawPath)) return rawPath;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw new Ks3InputError('url', 'its path has a malformed or non-UTF-8 percent-escape');
  }
  return uriEncodePathV4(decoded);
}

/** The parts of an absolute URL the V4 signature needs. */
export interface UrlParts {
  /** `scheme://authority` exactly as written. */
  origin: string;
  /** The Host header value: lower case, with the port unless it is the scheme's default. */
  host: string;
  /** The path as written (may be empty). */
  path: string;
  /** The query as written, without `?` (may be empty). */
  query: string;
}

const ABSOLUTE_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/s;

/**
 * Splits an absolute URL without normalising it. `new URL` is not used: it rejects hosts such as
 * `bucket.10.0.0.1` (KS3's Go SDK signs one, vector h-kss4-38) and rewrites paths.
 * @throws {Ks3InputError} when the URL is not absolute, has no host or carries a fragment.
 */
export function splitUrl(url: string): UrlParts {
  const m = ABSOLUTE_URL.exec(url);
  if (!m?.[2] || m[5] !== undefined)
    throw new Ks3InputError('url', 'must be an absolute URL with a host and no fragment (scheme://host/path?query)');
  const scheme = m[1]!.toLowerCase();
  let host = m[2].slice(m[2].lastIndexOf('@') + 1).toLowerCase();
  const port = /:(\d*)$/.exec(host);
  if (port && (port[1] === '' || (scheme === 'http' && port[1] === '80') || (scheme === 'https' && port[1] === '443')))
    host = host.slice(0, port.index);
  return { origin: `${m[1]}://${m[2]}`, host, path: m[3]!, query: m[4] ?? '' };
}
