/**
 * Reading a request to sign as a page sent it (the JSON `createRemoteSigner` posts): every field
 * is checked for type and shape before anything looks at it, and headers the signer owns are
 * refused rather than silently replaced.
 */
import type { QueryParam, SignRequest } from '@ks3/core';
import { checkBucket, checkKey } from '@ks3/core/internal';

/** A refusal, answered to the page as `{ error: { code, message } }` with `status`. */
export class SignRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SignRefusal';
  }
}

const invalid = (message: string): SignRefusal => new SignRefusal(400, 'InvalidSignRequest', message);

const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);
const NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const VALUE = /^[\t\x20-\x7e]*$/;
const PAYLOAD_HASH = /^([0-9a-f]{64}|UNSIGNED-PAYLOAD)$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Headers the signer writes itself (credentials, framing, the payload hash): a page may not set them. */
const OWNED = new Set([
  'authorization',
  'host',
  'content-length',
  'transfer-encoding',
  'x-kss-security-token',
  'x-amz-security-token',
  'x-kss-content-sha256',
  'x-amz-content-sha256',
]);

const text = (v: unknown, what: string, max: number): string => {
  if (typeof v !== 'string' || v.length > max || LONE_SURROGATE.test(v))
    throw invalid(`${what} must be a string of at most ${max} characters`);
  return v;
};

function query(v: unknown): QueryParam[] {
  if (!Array.isArray(v) || v.length > 64) throw invalid('query must be an array of at most 64 [name, value?] pairs');
  return v.map((p: unknown) => {
    if (!Array.isArray(p) || p.length < 1 || p.length > 2)
      throw invalid('each query entry must be [name] or [name, value]');
    const name = text(p[0], 'a query name', 256);
    if (!name) throw invalid('a query name is empty');
    return p.length === 1 || p[1] === undefined || p[1] === null ? [name] : [name, text(p[1], `query ${name}`, 4096)];
  });
}

function headers(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('headers must be an object');
  const entries = Object.entries(v);
  if (entries.length > 64) throw invalid('headers may hold at most 64 entries');
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!NAME.test(name)) throw invalid(`${JSON.stringify(name.slice(0, 64))} is not a lower-case header name`);
    if (OWNED.has(name)) throw invalid(`the ${name} header is written by the signer`);
    if (typeof value !== 'string' || value.length > 8192 || !VALUE.test(value))
      throw invalid(`header ${name} must be printable ASCII of at most 8192 characters`);
    out[name] = value.trim();
  }
  return out;
}

const integer = (v: unknown, what: string, min: number): number => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
    throw invalid(`${what} must be an integer ≥ ${min}`);
  return v;
};

/**
 * Checks one request to sign.
 * @throws {SignRefusal} 400 InvalidSignRequest naming the field at fault.
 */
export function parseSignRequest(v: unknown): SignRequest {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('a request to sign must be an object');
  const r = v as Record<string, unknown>;
  if (typeof r.method !== 'string' || !METHODS.has(r.method))
    throw invalid('method must be GET, PUT, POST, DELETE or HEAD');
  const url = text(r.url, 'url', 16384);
  let bucket: string | undefined;
  let key: string | undefined;
  try {
    if (r.bucket !== undefined && r.bucket !== null) bucket = checkBucket(r.bucket, {});
    if (r.key !== undefined && r.key !== null) key = checkKey(r.key, { bucket });
  } catch (e) {
    throw invalid((e as Error).message.replace(/^\[ks3\] /, ''));
  }
  if (key !== undefined && bucket === undefined) throw invalid('a key needs a bucket');
  if (typeof r.payloadHash !== 'string' || !PAYLOAD_HASH.test(r.payloadHash))
    throw invalid('payloadHash must be a lower-case hex SHA-256 or UNSIGNED-PAYLOAD');
  if (typeof r.time !== 'number' || !Number.isFinite(r.time))
    throw invalid('time must be milliseconds since the epoch');
  const out: SignRequest = {
    method: r.method,
    url,
    bucket,
    key,
    query: query(r.query),
    headers: headers(r.headers),
    payloadHash: r.payloadHash,
    time: r.time,
  };
  if (r.expires !== undefined && r.expires !== null) out.expires = integer(r.expires, 'expires', 1);
  if (r.size !== undefined && r.size !== null) out.size = integer(r.size, 'size', 0);
  if (typeof r.operation === 'string') out.operation = r.operation.slice(0, 64);
  return out;
}
