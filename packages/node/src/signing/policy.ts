/**
 * What a backend signer allows: buckets, key prefixes, operations, presigned-URL lifetime, body
 * size, ACLs and upload callbacks. `judge` decides one request (already parsed, its URL already
 * re-derived) and names the rule a refused request broke.
 */
import { CANNED_ACLS, Ks3InputError, type SignatureVersion, type SignRequest } from '@ks3/core';
import { checkBucket } from '@ks3/core/internal';
import { LISTING_OPERATIONS, SIGN_OPERATIONS, type SignOperation } from './operation.js';
import { SignRefusal } from './sign-request.js';

/** What the signing handler may sign. */
export interface SigningPolicy {
  /** Buckets requests may address (exact names). */
  buckets: readonly string[];
  /**
   * Keys must start with one of these (default `['']`: any key). Listings must then ask for a
   * `prefix` inside one of them; V2 signatures do not cover `prefix`, so under V2 a restricted
   * policy refuses listings. Batch deletes (keys in the body) are refused when restricted.
   */
  keyPrefixes?: readonly string[] | undefined;
  /** Operations allowed (default {@link DEFAULT_SIGN_OPERATIONS}). */
  operations?: readonly SignOperation[] | undefined;
  /** Longest presigned-URL lifetime in seconds (default 3600; 0 refuses presigned URLs). */
  maxPresignSeconds?: number | undefined;
  /**
   * Largest request body in bytes (one PUT, one part). Requests that may carry a body (PUT,
   * POST) must state their `size`, which is signed as `content-length`, so KS3 refuses a body of
   * another length. Needs V4 (V2 signatures cannot cover the length).
   */
  maxSize?: number | undefined;
  /** Canned ACLs a request may set with `x-kss-acl` (default `['private']`); grant headers never. */
  acls?: readonly string[] | undefined;
  /** May requests carry upload-callback headers (`x-kss-callbackurl`, …)? Default false. */
  callbacks?: boolean | undefined;
  /** A last word: return a reason to refuse a request the rules above allow. */
  check?:
    | ((request: SignRequest, operation: SignOperation) => string | undefined | Promise<string | undefined>)
    | undefined;
}

/** Reading and writing objects under the allowed prefixes, multipart uploads and listings. */
export const DEFAULT_SIGN_OPERATIONS: readonly SignOperation[] = [
  'GetObject',
  'HeadObject',
  'PutObject',
  'DeleteObject',
  'InitiateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
  'ListObjects',
  'ListObjectsV2',
  'ListMultipartUploads',
];

/** A policy with its defaults filled in, checked. */
export interface ResolvedPolicy {
  buckets: ReadonlySet<string>;
  prefixes: readonly string[];
  operations: ReadonlySet<SignOperation>;
  maxPresignSeconds: number;
  maxSize: number | undefined;
  acls: ReadonlySet<string>;
  callbacks: boolean;
  check: SigningPolicy['check'];
}

const MAX_PRESIGN = 604_800;

/**
 * Fills in defaults and checks a policy.
 * @throws {Ks3InputError} naming the field at fault.
 */
export function resolvePolicy(p: SigningPolicy, version: SignatureVersion): ResolvedPolicy {
  const ctx = { operation: 'createSigningHandler' };
  const bad = (param: string, why: string): never => {
    throw new Ks3InputError(`policy.${param}`, why, ctx);
  };
  if (typeof p !== 'object' || p === null) return bad('', 'must be an object');
  if (!Array.isArray(p.buckets) || p.buckets.length === 0) bad('buckets', 'must be a non-empty array of bucket names');
  for (const b of p.buckets) checkBucket(b, ctx);
  const prefixes = p.keyPrefixes ?? [''];
  if (!Array.isArray(prefixes) || prefixes.length === 0 || prefixes.some((x) => typeof x !== 'string'))
    bad('keyPrefixes', 'must be a non-empty array of strings');
  const operations = p.operations ?? DEFAULT_SIGN_OPERATIONS;
  if (!Array.isArray(operations)) bad('operations', 'must be an array of operation names');
  for (const o of operations)
    if (!(SIGN_OPERATIONS as readonly string[]).includes(o))
      bad('operations', `${JSON.stringify(o)} is not one of ${SIGN_OPERATIONS.join(', ')}`);
  const maxPresignSeconds = p.maxPresignSeconds ?? 3600;
  if (!Number.isSafeInteger(maxPresignSeconds) || maxPresignSeconds < 0 || maxPresignSeconds > MAX_PRESIGN)
    bad('maxPresignSeconds', `must be an integer in 0..${MAX_PRESIGN}`);
  if (p.maxSize !== undefined && (!Number.isSafeInteger(p.maxSize) || p.maxSize < 0))
    bad('maxSize', 'must be a whole number of bytes');
  if (p.maxSize !== undefined && version === 'v2')
    bad('maxSize', 'needs V4 signatures: V2 does not sign the body length, so a page could send more');
  const acls = p.acls ?? ['private'];
  if (!Array.isArray(acls) || acls.some((a) => !(CANNED_ACLS as readonly string[]).includes(a)))
    bad('acls', `must list canned ACLs (${CANNED_ACLS.join(', ')})`);
  if (p.callbacks !== undefined && typeof p.callbacks !== 'boolean') bad('callbacks', 'must be a boolean');
  if (p.check !== undefined && typeof p.check !== 'function') bad('check', 'must be a function');
  return {
    buckets: new Set(p.buckets),
    prefixes,
    operations: new Set(operations),
    maxPresignSeconds,
    maxSize: p.maxSize,
    acls: new Set(acls),
    callbacks: p.callbacks === true,
    check: p.check,
  };
}

const deny = (code: string, message: string): SignRefusal => new SignRefusal(403, code, message);

const header = (r: SignRequest, name: string): string | undefined =>
  r.headers[`x-kss-${name}`] ?? r.headers[`x-amz-${name}`];

/** The bucket and key named by an `x-kss-copy-source` value (`/bucket/key`, the key URL-encoded). */
function copySource(value: string): { bucket: string; key: string } | undefined {
  const m = /^\/?([^/?]+)\/([^?]+)(\?versionId=.*)?$/.exec(value);
  if (!m) return undefined;
  try {
    return { bucket: m[1]!, key: decodeURIComponent(m[2]!) };
  } catch {
    return undefined;
  }
}

/**
 * Decides one request. Returns the headers to sign with (`content-length` added when the policy
 * limits sizes).
 * @throws {SignRefusal} 403 with the rule's code: OperationNotAllowed, BucketNotAllowed,
 * KeyNotAllowed, HeaderNotAllowed, PresignNotAllowed, SizeRequired, EntityTooLarge.
 */
export async function judge(
  p: ResolvedPolicy,
  r: SignRequest,
  op: SignOperation,
  version: SignatureVersion,
): Promise<Record<string, string>> {
  if (op === 'Unknown')
    throw deny('OperationNotAllowed', `${r.method} with this query is not a request the signer recognises`);
  if (!p.operations.has(op)) throw deny('OperationNotAllowed', `${op} is not allowed`);
  const inPrefix = (key: string): boolean => p.prefixes.some((x) => key.startsWith(x));
  const restricted = !p.prefixes.includes('');
  if (r.bucket !== undefined && !p.buckets.has(r.bucket))
    throw deny('BucketNotAllowed', `bucket ${r.bucket} is not allowed`);
  if (r.key !== undefined && !inPrefix(r.key))
    throw deny('KeyNotAllowed', `key ${JSON.stringify(r.key)} is outside the allowed prefixes`);
  if (restricted && LISTING_OPERATIONS.has(op)) {
    if (version === 'v2') throw deny('KeyNotAllowed', 'V2 signatures do not cover a listing prefix: listings need V4');
    const prefix = r.query.find(([n]) => n === 'prefix')?.[1] ?? '';
    if (!inPrefix(prefix))
      throw deny('KeyNotAllowed', `prefix ${JSON.stringify(prefix)} is outside the allowed prefixes`);
  }
  if (restricted && op === 'DeleteObjects')
    throw deny('OperationNotAllowed', 'a batch delete names its keys in the body, which the signer does not see');
  if (op === 'CopyObject' || op === 'UploadPartCopy') {
    const src = copySource(header(r, 'copy-source') ?? '');
    if (!src || !p.buckets.has(src.bucket) || !inPrefix(src.key))
      throw deny('KeyNotAllowed', 'the copy source is outside the allowed buckets and prefixes');
  }
  const acl = header(r, 'acl');
  if (acl !== undefined && !p.acls.has(acl)) throw deny('HeaderNotAllowed', `ACL ${acl} is not allowed`);
  for (const name of Object.keys(r.headers)) {
    if (/^x-(kss|amz)-grant-/.test(name)) throw deny('HeaderNotAllowed', `${name} is not allowed`);
    if (/^x-kss-callback/.test(name) && !p.callbacks)
      throw deny('HeaderNotAllowed', 'upload callbacks are not allowed');
  }
  if (r.expires !== undefined) {
    const seconds = r.expires - Math.floor(r.time / 1000);
    if (seconds > p.maxPresignSeconds)
      throw deny(
        'PresignNotAllowed',
        p.maxPresignSeconds === 0
          ? 'presigned URLs are not allowed'
          : `a presigned URL may live at most ${p.maxPresignSeconds} s, not ${seconds} s`,
      );
  }
  const headers = { ...r.headers };
  if (p.maxSize !== undefined && (r.method === 'PUT' || r.method === 'POST')) {
    if (r.size === undefined) throw deny('SizeRequired', 'an upload must state its size (a stream of unknown length)');
    const size = r.size;
    if (size > p.maxSize) throw deny('EntityTooLarge', `${size} bytes is over the limit of ${p.maxSize}`);
    headers['content-length'] = String(size);
  }
  const reason = p.check ? await p.check(r, op) : undefined;
  if (reason !== undefined) throw deny('RequestNotAllowed', String(reason));
  return headers;
}
