/**
 * The V4 signer (KSS4 or AWS4 namespace, ks3-v4.md §1): header signing and presigned URLs behind
 * the request-level seam of types.ts. Per request: one SHA-256 of the canonical request and one
 * HMAC; the signing key is derived once per (secret, day, region, service, namespace).
 */
import { Ks3InputError } from '../errors.js';
import { checkProvider, type CredentialsFunction, fetchCredentials } from './signer-credentials.js';
import type { QueryParam } from './subresources.js';
import type { Credentials, SignatureNamespace, SignedRequest, Signer, SignRequest } from './types.js';
import {
  amzDate,
  canonicalHeadersV4,
  canonicalRequestV4,
  NAMESPACES,
  namespaceHeaders,
  scopeV4,
  stringToSignV4,
  type HeaderWhitespace,
  type V4Namespace,
} from './v4-canonical.js';
import { canonicalQueryV4, canonicalUriV4, renderQueryV4, splitUrl } from './v4-encoding.js';
import type { Hasher } from '../client.js';
import { createSigningKeyCache, type HmacFactory, hmacHex, sha256Hex, type SigningKeyCache } from './v4-key.js';

/** Options of {@link createV4Signer}. */
export interface V4SignerOptions {
  /** Called on every signature (the client caches and refreshes; see `CredentialsSource`). */
  credentials: (signal?: AbortSignal) => Promise<Credentials>;
  /** The bucket's region as KS3 names it, e.g. `BEIJING` (see `inferRegion`). */
  region: string;
  /** `kss` (default): `KSS4-HMAC-SHA256`, `x-kss-*`. `aws`: `AWS4-HMAC-SHA256`, `x-amz-*`. */
  namespace?: SignatureNamespace;
  /** The scope's service. Default `ks3` (kss) or `s3` (aws); KS3's vector buckets use `s3vectors`. */
  service?: string;
  /**
   * How inner whitespace of signed header values is canonicalised. Default `collapse` (AWS
   * SigV4); `trim` is KS3's Go SDK. UNVERIFIED which one KS3 servers use: see HeaderWhitespace.
   */
  headerWhitespace?: HeaderWhitespace;
  /**
   * The presigned-URL parameter that carries a security token. Default `X-Kss-Security-Token`
   * (kss, KS3's newest Go SDK) or `X-Amz-Security-Token` (aws). KS3's Java SDK sends
   * `security-token`; which one KS3 servers want for KSS4 is UNVERIFIED (ks3-v4.md §1.4).
   */
  presignTokenParam?: string;
  /**
   * Header names (lower case) signed too when a request has them, beyond KS3's whitelist (`host`,
   * `content-type`, `x-kss-*`). A backend signer passes `['content-length']` to bind a body's size
   * (AWS SigV4 verifies any header SignedHeaders lists; KS3's older Go SDK signed every header).
   */
  alsoSign?: readonly string[];
  /** HMAC from the platform (@ks3/node: node:crypto); default WebCrypto. Same signatures. */
  hmac?: HmacFactory | undefined;
  /** SHA-256 from the platform (@ks3/node: node:crypto); default WebCrypto. */
  sha256?: (() => Hasher) | undefined;
}

/** What {@link signV4} computed, for tests and debugging. */
export interface V4Signature {
  request: SignedRequest;
  canonicalRequest: string;
  stringToSign: string;
  /** Lower-case hex. */
  signature: string;
}

/** A V4 signer's fixed settings. */
export interface V4Config {
  namespace: SignatureNamespace;
  ns: V4Namespace;
  region: string;
  service: string;
  whitespace: HeaderWhitespace;
  tokenParam: string;
  alsoSign: ReadonlySet<string>;
  keys: SigningKeyCache;
  /** The platform's SHA-256, if any. */
  sha256: (() => Hasher) | undefined;
}

/** The longest presigned URL lifetime V4 allows: 7 days. */
export const MAX_PRESIGN_SECONDS = 604_800;
const UNSIGNED = 'UNSIGNED-PAYLOAD';
const PAYLOAD_HASH = /^[0-9a-f]{64}$/;
const SCOPE_PART = /^[A-Za-z0-9_.-]+$/;
const METHOD = /^[A-Z]+$/;

const bad = (param: string, message: string, r?: SignRequest): never => {
  throw new Ks3InputError(param, message, r?.operation === undefined ? {} : { operation: r.operation });
};

/**
 * Checks the options and fixes the namespace constants.
 * @throws {Ks3InputError} for a missing or malformed region, namespace, service or option.
 */
export function v4Config(o: V4SignerOptions): V4Config {
  if (typeof o !== 'object' || o === null) return bad('options', 'must be an object');
  const namespace = o.namespace ?? 'kss';
  if (namespace !== 'kss' && namespace !== 'aws') bad('namespace', `must be 'kss' or 'aws', got ${String(namespace)}`);
  const ns = NAMESPACES[namespace];
  if (typeof o.region !== 'string' || !SCOPE_PART.test(o.region))
    bad('region', 'V4 signing needs the bucket region, e.g. BEIJING (letters, digits, _ . -)');
  const service = o.service ?? ns.service;
  if (typeof service !== 'string' || !SCOPE_PART.test(service)) bad('service', 'must be letters, digits, _ . -');
  const whitespace = o.headerWhitespace ?? 'collapse';
  if (whitespace !== 'collapse' && whitespace !== 'trim') bad('headerWhitespace', "must be 'collapse' or 'trim'");
  const tokenParam = o.presignTokenParam ?? `${ns.query}Security-Token`;
  if (typeof tokenParam !== 'string' || !/^[\w.-]+$/.test(tokenParam))
    bad('presignTokenParam', 'must be a query parameter name (letters, digits, _ . -)');
  const also = o.alsoSign ?? [];
  if (!Array.isArray(also) || also.some((n) => typeof n !== 'string' || !/^[a-z0-9-]+$/.test(n)))
    bad('alsoSign', 'must be an array of lower-case header names');
  const alsoSign = new Set(also);
  for (const name of ['hmac', 'sha256'] as const)
    if (o[name] !== undefined && typeof o[name] !== 'function') bad(name, 'must be a function');
  const keys = createSigningKeyCache(4, o.hmac);
  return { namespace, ns, region: o.region, service, whitespace, tokenParam, alsoSign, keys, sha256: o.sha256 };
}

/** Seconds a presigned URL lives: `expires` minus the request time, 1 to 7 days. */
export function presignSeconds(r: SignRequest): number {
  const seconds = (r.expires as number) - Math.floor(r.time / 1000);
  if (!Number.isSafeInteger(r.expires) || !(seconds >= 1 && seconds <= MAX_PRESIGN_SECONDS))
    bad('expires', `must be 1 to ${MAX_PRESIGN_SECONDS} s (7 days) after the request time, got ${seconds} s`, r);
  return seconds;
}

/**
 * Signs one request with given credentials: header signing, or a presigned URL when
 * `request.expires` is set. A presigned URL signs `UNSIGNED-PAYLOAD` whatever `payloadHash` says,
 * carries the token as a signed query parameter, and its `headers` (host excepted, the request's
 * own, `content-type` and `x-kss-*` among them signed) are the ones the URL's user must send.
 * @throws {Ks3InputError} for a bad method, URL, time, payload hash or expiry.
 */
export async function signV4(c: V4Config, r: SignRequest, creds: Credentials): Promise<V4Signature> {
  if (typeof r.method !== 'string' || !METHOD.test(r.method)) bad('method', 'must be an upper-case HTTP method', r);
  const { ns } = c;
  const url = splitUrl(r.url);
  const date = amzDate(r.time);
  const scope = scopeV4(date, c.region, c.service, ns);
  const token = creds.securityToken || undefined;
  const headers = namespaceHeaders(r.headers, c.namespace);
  const uri = canonicalUriV4(url.path);
  const presign = r.expires !== undefined;
  if (!presign) {
    if (!PAYLOAD_HASH.test(r.payloadHash) && r.payloadHash !== UNSIGNED)
      bad('payloadHash', 'must be the lower-case hex SHA-256 of the body or UNSIGNED-PAYLOAD', r);
    headers[`${ns.header}date`] = date;
    headers[`${ns.header}content-sha256`] = r.payloadHash;
    if (token) headers[`${ns.header}security-token`] = token;
  }
  const ch = canonicalHeadersV4(url.host, headers, c.whitespace, c.alsoSign);
  let query = r.query;
  let auth: QueryParam[] = [];
  if (presign) {
    auth = [
      [`${ns.query}Algorithm`, ns.algorithm],
      [`${ns.query}Credential`, `${creds.accessKeyId}/${scope}`],
      [`${ns.query}Date`, date],
      [`${ns.query}Expires`, String(presignSeconds(r))],
      [`${ns.query}SignedHeaders`, ch.signed],
    ];
    if (token) auth.push([c.tokenParam, token]);
    query = [...r.query, ...auth];
  }
  const canonicalRequest = canonicalRequestV4({
    method: r.method,
    uri,
    query: canonicalQueryV4(query),
    headers: ch,
    payloadHash: presign ? UNSIGNED : r.payloadHash,
  });
  const stringToSign = stringToSignV4(ns, date, scope, await sha256Hex(canonicalRequest, c.sha256));
  const key = await c.keys.get(creds.secretAccessKey, date, c.region, c.service, ns);
  const signature = await hmacHex(key, stringToSign);
  if (!presign) {
    headers.authorization =
      `${ns.algorithm} Credential=${creds.accessKeyId}/${scope}, ` +
      `SignedHeaders=${ch.signed}, Signature=${signature}`;
    return { request: { url: r.url, headers }, canonicalRequest, stringToSign, signature };
  }
  // The signature parameters go first, sorted by name as KS3's SDK writes them; the request's own
  // query follows exactly as it was written.
  auth.push([`${ns.query}Signature`, signature]);
  auth.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const target = `${url.origin}${url.path}?${renderQueryV4(auth)}${url.query ? `&${url.query}` : ''}`;
  return { request: { url: target, headers }, canonicalRequest, stringToSign, signature };
}

/**
 * A V4 signer for the request pipeline. Credentials come from `options.credentials(signal)` on
 * every call; the signing key is cached (the last few scopes).
 * @throws {Ks3InputError} at once for bad options (e.g. no region), and from the signer for a
 * bad request or credentials; the signal's reason when it aborts.
 * @example
 * const sign = createV4Signer({ credentials: async () => ({ accessKeyId, secretAccessKey }), region: 'BEIJING' });
 * const { url, headers } = await sign({ method: 'GET', url, query: [], headers: {}, payloadHash, time: Date.now() });
 */
export function createV4Signer(options: V4SignerOptions): Signer {
  const config = v4Config(options);
  const provider: CredentialsFunction = checkProvider(options.credentials);
  return async (request, signal) => (await signV4(config, request, await fetchCredentials(provider, signal))).request;
}
