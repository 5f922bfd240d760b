/** Multipart upload primitives (ks3-protocol.md §4.15–4.20). The upload manager in @ks3/multipart builds on these. */
import type { Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { prepareBody, type Body } from '../request/body.js';
import { bodyMd5 } from '../request/body-md5.js';
import { send } from '../request/send.js';
import { serviceError } from '../request/service-error.js';
import { checkBucket, checkCount, checkKey } from '../validate.js';
import { childText, parseXml } from '../xml.js';
import { discard, requestIdOf, target, type ObjectOptions } from './common.js';
import { copySource, parseCopyResult, type CopyResult } from './copy-object.js';
import { rangeHeader, type ByteRange } from './get-object.js';
import { uploadHeaders, type PutObjectOptions } from './put-object.js';
import type { EncryptedPart, PartEncryptionState } from '../encryption/multipart.js';

/** Options of {@link initiateMultipartUpload}: what the final object will carry. */
export type InitiateMultipartOptions = ObjectOptions &
  Pick<
    PutObjectOptions,
    | 'acl'
    | 'storageClass'
    | 'metadata'
    | 'contentType'
    | 'cacheControl'
    | 'contentDisposition'
    | 'contentEncoding'
    | 'expires'
    | 'headers'
    | 'encryption'
  >;

/** What {@link initiateMultipartUpload} returns. */
export interface InitiateResult {
  uploadId: string;
  bucket: string;
  key: string;
  /** With client-side encryption: the chain state before part 1 (keep it to resume). */
  encryptionState?: PartEncryptionState;
}

/** An upload in progress. */
export interface UploadTarget extends ObjectOptions {
  uploadId: string;
}

const checkUpload = (o: UploadTarget, op: string) => {
  const ctx = target(op, o, true);
  if (typeof o.uploadId !== 'string' || !o.uploadId)
    throw new Ks3InputError('uploadId', 'must be a non-empty string', ctx);
  return ctx;
};
const partNumberOf = (n: unknown, ctx: object): number => checkCount('partNumber', n, ctx, 1, 10000);

/**
 * Starts a multipart upload; the returned `uploadId` names it in the other calls.
 * @example const { uploadId } = await initiateMultipartUpload(client, { bucket, key, storageClass: 'STANDARD_IA' });
 */
export async function initiateMultipartUpload(client: Client, o: InitiateMultipartOptions): Promise<InitiateResult> {
  const ctx = target('InitiateMultipartUpload', o, true);
  const headers = uploadHeaders(o, ctx);
  const enc = o.encryption === false ? undefined : client.encryption;
  const begun = enc && (await (await import('../encryption/multipart.js')).beginEncryptedUpload(enc));
  if (begun) Object.assign(headers, begun.headers);
  const res = await send(client, {
    op: 'InitiateMultipartUpload',
    method: 'POST',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['uploads']],
    headers,
    signal: o.signal,
    ok: (s) => s === 200,
  });
  const root = parseXml(await res.text());
  const uploadId = childText(root, 'UploadId');
  if (!uploadId) throw new TypeError('InitiateMultipartUploadResult without UploadId');
  return { uploadId, bucket: ctx.bucket, key: ctx.key!, ...(begun ? { encryptionState: begun.state } : {}) };
}

/** Options of {@link encryptPart}. */
export interface EncryptPartOptions {
  /** The state from initiateMultipartUpload (part 1) or from the previous part. */
  encryptionState: PartEncryptionState;
  body: Body;
  contentLength?: number;
  isLastPart: boolean;
  /** Content-MD5 over the encrypted part (default: the client's encryption setting). */
  contentMd5?: boolean;
}

/**
 * Encrypts one part without sending it, for uploaders that encrypt in order and upload in
 * parallel: send the result with `uploadPart({ body, headers, encryption: false })`.
 * @throws {Ks3InputError} when the client does not encrypt, or for a misaligned part.
 */
export async function encryptPart(client: Client, o: EncryptPartOptions): Promise<EncryptedPart> {
  const ctx = { operation: 'EncryptPart' };
  if (!client.encryption) throw new Ks3InputError('client', 'has no encryption option', ctx);
  const m = await import('../encryption/multipart.js');
  return m.encryptPartBody(
    client.encryption,
    o.encryptionState,
    prepareBody(o.body, ctx, o.contentLength),
    o.isLastPart,
    o.contentMd5 ?? client.encryption.contentMd5,
    ctx,
  );
}

/** Options of {@link uploadPart}. */
export interface UploadPartOptions extends UploadTarget {
  partNumber: number;
  body: Body;
  contentLength?: number;
  /** Base64 MD5 of the part, or `true` to compute it (`false`: none, also for encrypted parts). */
  contentMd5?: string | boolean;
  /** Extra headers (e.g. the unencrypted length/MD5 of an encrypted part). */
  headers?: Record<string, string>;
  onProgress?: (loaded: number) => void;
  /**
   * With client-side encryption: the chain state before this part (from initiate for part 1,
   * else from the previous part's result), and whether this is the last part.
   */
  encryptionState?: PartEncryptionState;
  isLastPart?: boolean;
  /** `false` sends the body as it is (e.g. a part encrypted already with `encryptPart`). */
  encryption?: false;
}

/** Uploads one part (1..10000); re-uploading a number replaces that part. */
export async function uploadPart(
  client: Client,
  o: UploadPartOptions,
): Promise<{ etag: string; partNumber: number; requestId?: string; encryptionState?: PartEncryptionState }> {
  const ctx = checkUpload(o, 'UploadPart');
  const partNumber = partNumberOf(o.partNumber, ctx);
  let body = prepareBody(o.body, ctx, o.contentLength);
  const headers: Record<string, string | undefined> = { ...o.headers, 'content-type': 'application/octet-stream' };
  let next: PartEncryptionState | undefined;
  if (client.encryption && o.encryption !== false) {
    if (!o.encryptionState || typeof o.isLastPart !== 'boolean') {
      throw new Ks3InputError(
        'encryptionState',
        'this client encrypts: pass encryptionState and isLastPart (or encryption: false for a part encrypted already)',
        ctx,
      );
    }
    if (typeof o.contentMd5 === 'string')
      throw new Ks3InputError(
        'contentMd5',
        'is computed over the ciphertext for encrypted parts (pass true or false)',
        ctx,
      );
    const m = await import('../encryption/multipart.js');
    const e = await m.encryptPartBody(
      client.encryption,
      o.encryptionState,
      body,
      o.isLastPart,
      o.contentMd5 ?? client.encryption.contentMd5,
      ctx,
    );
    ({ body, next } = e);
    Object.assign(headers, e.headers);
  } else if (o.contentMd5 === true) ({ md5: headers['content-md5'], body } = await bodyMd5(body, client.md5));
  else if (typeof o.contentMd5 === 'string') headers['content-md5'] = o.contentMd5;
  const res = await send(client, {
    op: 'UploadPart',
    method: 'PUT',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [
      ['partNumber', String(partNumber)],
      ['uploadId', o.uploadId],
    ],
    headers,
    body,
    signal: o.signal,
    onProgress: o.onProgress,
  });
  await discard(res);
  const id = requestIdOf(res);
  return {
    etag: res.headers.get('etag') ?? '',
    partNumber,
    ...(id ? { requestId: id } : {}),
    ...(next ? { encryptionState: next } : {}),
  };
}

/** Options of {@link uploadPartCopy}. */
export interface UploadPartCopyOptions extends UploadTarget {
  partNumber: number;
  sourceBucket: string;
  sourceKey: string;
  /** Bytes of the source to copy, both ends inclusive; the whole source when omitted. */
  range?: ByteRange & { end: number };
}

/** Copies (a range of) an existing object into a part. */
export async function uploadPartCopy(
  client: Client,
  o: UploadPartCopyOptions,
): Promise<CopyResult & { partNumber: number }> {
  const ctx = checkUpload(o, 'UploadPartCopy');
  const partNumber = partNumberOf(o.partNumber, ctx);
  const headers = {
    'x-kss-copy-source': copySource(checkBucket(o.sourceBucket, ctx), checkKey(o.sourceKey, ctx)),
    'x-kss-copy-source-range': o.range === undefined ? undefined : rangeHeader(o.range, ctx),
  };
  if (o.range !== undefined && o.range.end === undefined)
    throw new Ks3InputError('range', 'a part copy range needs an end', ctx);
  const res = await send(client, {
    op: 'UploadPartCopy',
    method: 'PUT',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [
      ['uploadId', o.uploadId],
      ['partNumber', String(partNumber)],
    ],
    headers,
    signal: o.signal,
    ok: (s) => s === 200,
  });
  return { ...(await parseCopyResult(res, ctx)), partNumber };
}

/** A finished part, as Complete needs it. */
export interface CompletedPart {
  partNumber: number;
  /** As KS3 returned it, quotes included. */
  etag: string;
}

/** Options of {@link completeMultipartUpload}. */
export interface CompleteMultipartOptions extends UploadTarget {
  /** Every part, in ascending part-number order. */
  parts: CompletedPart[];
  /** Extra headers, e.g. `x-kss-callbackurl` for an upload callback. */
  headers?: Record<string, string>;
}

/** The exact body the reference sends (§4.19): two-space indentation, `\n` line ends. */
export function buildCompleteXml(parts: readonly CompletedPart[]): string {
  const items = parts
    .map((p) => `  <Part>\n    <PartNumber>${p.partNumber}</PartNumber>\n    <ETag>${p.etag}</ETag>\n  </Part>\n`)
    .join('');
  return `<CompleteMultipartUpload>\n${items}</CompleteMultipartUpload>`;
}

/**
 * Assembles the uploaded parts into the object.
 * @throws {Ks3ServiceError} `InvalidPart`, `InvalidPartOrder`, `EntityTooSmall`, `NoSuchUpload`.
 */
export async function completeMultipartUpload(
  client: Client,
  o: CompleteMultipartOptions,
): Promise<{ etag: string; location: string; body: string; requestId?: string }> {
  const ctx = checkUpload(o, 'CompleteMultipartUpload');
  if (!Array.isArray(o.parts) || o.parts.length === 0)
    throw new Ks3InputError('parts', 'must list at least one part', ctx);
  let last = 0;
  for (const p of o.parts) {
    if (partNumberOf(p?.partNumber, ctx) <= last)
      throw new Ks3InputError('parts', 'part numbers must be strictly ascending', ctx);
    if (typeof p.etag !== 'string' || !/^"?[\w-]+"?$/.test(p.etag))
      throw new Ks3InputError('parts', `part ${p.partNumber} has no valid etag`, ctx);
    last = p.partNumber;
  }
  const res = await send(client, {
    op: 'CompleteMultipartUpload',
    method: 'POST',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['uploadId', o.uploadId]],
    headers: { ...o.headers, 'content-type': 'text/xml' },
    body: prepareBody(buildCompleteXml(o.parts), ctx),
    signal: o.signal,
    // Completing twice is harmless, so it may be retried although it is a POST.
    idempotent: true,
    ok: (s) => s === 200,
  });
  const body = await res.text();
  const root = parseXml(body);
  if (!root || root.tagName.endsWith('Error')) throw serviceError(root ? 500 : 502, res.headers, body, 'POST', ctx);
  const id = requestIdOf(res);
  return {
    etag: childText(root, 'ETag') ?? '',
    location: childText(root, 'Location') ?? '',
    body,
    ...(id ? { requestId: id } : {}),
  };
}

/** Abandons an upload and frees its parts. */
export async function abortMultipartUpload(client: Client, o: UploadTarget): Promise<void> {
  const ctx = checkUpload(o, 'AbortMultipartUpload');
  const res = await send(client, {
    op: 'AbortMultipartUpload',
    method: 'DELETE',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['uploadId', o.uploadId]],
    signal: o.signal,
  });
  await discard(res);
}
