/**
 * The pure parts of a V4 signature (ks3-v4.md §1.1–1.2): namespace constants, the headers a
 * request carries in each namespace, canonical headers, canonical request, string to sign.
 */
import { Ks3InputError } from '../errors.js';
import type { SignatureNamespace } from './types.js';

/** The constants that differ between KS3's own V4 and the AWS-compatible one (ks3-v4.md §1.1). */
export interface V4Namespace {
  /** `KSS4-HMAC-SHA256` or `AWS4-HMAC-SHA256`. */
  algorithm: string;
  /** Prepended to the secret for the first HMAC: `KSS4` or `AWS4`. */
  secretPrefix: string;
  /** The default service of the scope: `ks3` or `s3`. */
  service: string;
  /** The scope's last element: `kss4_request` or `aws4_request`. */
  terminator: string;
  /** Request header prefix: `x-kss-` or `x-amz-`. */
  header: string;
  /** Presign parameter prefix: `X-Kss-` or `X-Amz-`. */
  query: string;
}

export const NAMESPACES: Readonly<Record<SignatureNamespace, V4Namespace>> = {
  kss: {
    algorithm: 'KSS4-HMAC-SHA256',
    secretPrefix: 'KSS4',
    service: 'ks3',
    terminator: 'kss4_request',
    header: 'x-kss-',
    query: 'X-Kss-',
  },
  aws: {
    algorithm: 'AWS4-HMAC-SHA256',
    secretPrefix: 'AWS4',
    service: 's3',
    terminator: 'aws4_request',
    header: 'x-amz-',
    query: 'X-Amz-',
  },
};

/** KS3-only headers (after `x-kss-`) that keep their name in the AWS namespace (ks3-v4.md §2.2). */
export const KS3_ONLY_HEADERS: ReadonlySet<string> = /* @__PURE__ */ new Set(
  'retention-id retention-overwrite callbackurl callbackbody callbackauth sourceurl force fetchsourceheader'.split(' '),
);

// The AllUsers grantee in a grant header, KS3's and AWS's spelling (vector h-aws-04).
const KS3_ALL_USERS = 'uri="http://acs.ksyun.com/groups/global/AllUsers"';
const AWS_ALL_USERS = 'uri="http://acs.amazonaws.com/groups/global/AllUsers"';

/**
 * The headers a request sends in a namespace, names in lower case. In the AWS namespace every
 * `x-kss-*` header but the KS3-only ones becomes `x-amz-*`, and a grant of KS3's AllUsers URI
 * becomes AWS's (what KS3's Go SDK sends, vectors h-aws-04/05). Only that direction is rewritten.
 * @throws {Ks3InputError} when a renamed header would replace one the request already has.
 */
export function namespaceHeaders(
  headers: Readonly<Record<string, string>>,
  namespace: SignatureNamespace,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, v] of Object.entries(headers)) {
    const name = n.toLowerCase();
    if (namespace === 'aws' && name.startsWith('x-kss-') && !KS3_ONLY_HEADERS.has(name.slice(6))) {
      const renamed = `x-amz-${name.slice(6)}`;
      if (renamed in headers) throw new Ks3InputError(`header ${name}`, `is sent as ${renamed}, which is also given`);
      out[renamed] = v === KS3_ALL_USERS ? AWS_ALL_USERS : v;
    } else out[name] = v;
  }
  return out;
}

/** Is this header signed? `host`, `content-type` and every `x-kss-*` / `x-amz-*` (vectors README). */
export const isSignedHeaderV4 = (name: string): boolean =>
  name === 'host' || name === 'content-type' || name.startsWith('x-kss-') || name.startsWith('x-amz-');

/**
 * How a signed header value is canonicalised. `collapse` (default): trimmed, and runs of spaces
 * and tabs made one space, as AWS SigV4 and the AWS SDKs do. `trim`: ends trimmed only, as KS3's
 * Go SDK does. Which one KS3 servers apply is UNVERIFIED (vectors h-kss4-21, h-aws-03); the two
 * agree on every value without inner runs of whitespace.
 */
export type HeaderWhitespace = 'collapse' | 'trim';

/** Canonical headers and the SignedHeaders list of a request (host included). */
export interface CanonicalHeaders {
  /** `name:value\n` lines, sorted by name (each line ends in `\n`). */
  canonical: string;
  /** `name;name;…`, sorted. */
  signed: string;
}

/**
 * Builds the canonical header block from the host and the (already namespaced) headers: the
 * whitelist of {@link isSignedHeaderV4}, plus the names in `alsoSign` when present.
 */
export function canonicalHeadersV4(
  host: string,
  headers: Readonly<Record<string, string>>,
  whitespace: HeaderWhitespace = 'collapse',
  alsoSign?: ReadonlySet<string>,
): CanonicalHeaders {
  const names = ['host'];
  for (const name of Object.keys(headers))
    if (name !== 'host' && (isSignedHeaderV4(name) || alsoSign?.has(name))) names.push(name);
  names.sort();
  let canonical = '';
  for (const name of names) {
    let v = (name === 'host' ? host : headers[name]!).trim();
    if (whitespace === 'collapse') v = v.replace(/[ \t]+/g, ' ');
    canonical += `${name}:${v}\n`;
  }
  return { canonical, signed: names.join(';') };
}

/**
 * `YYYYMMDDTHHMMSSZ` of a time in milliseconds.
 * @throws {Ks3InputError} for a time that is not a date between years 0 and 9999.
 */
export function amzDate(time: number): string {
  const d = new Date(time);
  const iso = Number.isNaN(d.getTime()) ? '' : d.toISOString();
  if (iso.length !== 24) throw new Ks3InputError('time', 'must be milliseconds since the epoch within years 0–9999');
  return iso.replace(/[-:]|\.\d+/g, '');
}

/** The credential scope `YYYYMMDD/REGION/service/terminator`. */
export const scopeV4 = (date: string, region: string, service: string, ns: V4Namespace): string =>
  `${date.slice(0, 8)}/${region}/${service}/${ns.terminator}`;

/** The canonical request (the same layout as AWS SigV4). */
export interface CanonicalRequestParts {
  method: string;
  /** From {@link canonicalUriV4}. */
  uri: string;
  /** From {@link canonicalQueryV4}. */
  query: string;
  headers: CanonicalHeaders;
  payloadHash: string;
}

export const canonicalRequestV4 = (p: CanonicalRequestParts): string =>
  `${p.method}\n${p.uri}\n${p.query}\n${p.headers.canonical}\n${p.headers.signed}\n${p.payloadHash}`;

/** The string to sign: algorithm, date, scope and the hex SHA-256 of the canonical request. */
export const stringToSignV4 = (ns: V4Namespace, date: string, scope: string, canonicalHash: string): string =>
  `${ns.algorithm}\n${date}\n${scope}\n${canonicalHash}`;
