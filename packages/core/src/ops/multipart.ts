/** Multipart upload primitives (ks3-protocol.md §4.15–4.20). The upload manager in @ks3/multipart builds on these. */
import type { Client } from '../client.js';
import type { SentMd5 } from '../encryption/encrypt-body.js';
import type { EncryptedPart, PartEncryptionState } from '../encryption/multipart.js';
import { Ks3InputError, Ks3IntegrityError, type Ks3ErrorContext, Ks3ProtocolError } from '../errors.js';
import { type Body, prepareBody } from '../request/body.js';
import { bodyMd5 } from '../request/body-md5.js';
import { mergeHeaders } from '../request/headers.js';
import { send } from '../request/send.js';
import { checkCount } from '../validate.js';
import { childText } from '../xml.js';
import { checkText, type Ks3Result, type ObjectOptions, target, type TransferProgress } from './common.js';
import { parseDocument } from './document.js';
import { parseCopyResult, sourceHeaders } from './copy-object.js';
import { type ByteRange, rangeHeader } from './get-object.js';
import { etagOf, type ObjectAttributes, uploadHeaders } from './put-object.js';

export { buildCompleteXml, completeMultipartUpload } from './complete.js';
export type { CompletedPart, CompleteMultipartUploadOptions, CompleteMultipartUploadResult } from './complete.js';
export { checkUpload, type UploadTarget } from './upload-target.js';
import { checkUpload, type UploadTarget } from './upload-target.js';

/** Options of {@link initiateMultipartUpload}: what the final object will carry. */
export interface InitiateMultipartUploadOptions extends ObjectOptions, ObjectAttributes {
  /** `false` starts a plain upload although the client encrypts. */
  encryption?: false | undefined;
}

/** What {@link initiateMultipartUpload} returns. */
export interface InitiateMultipartUploadResult extends Ks3Result {
  uploadId: string;
  bucket: string;
  key: string;
  /** With client-side encryption: the chain state before part 1 (keep it to resume). */
  encryptionState?: PartEncryptionState | undefined;
  /**
   * Requests this call sent. Initiate is retried after error answers (5xx, 429); a gateway may
   * send such an answer although KS3 did start an upload, so above 1 an earlier attempt may have
   * left an upload of this key behind (the upload manager looks for it and aborts it).
   */
  attempts: number;
}

const partNumberOf = (n: unknown, ctx: Ks3ErrorContext): number => checkCount('partNumber', n, ctx, 1, 10000);

/**
 * Starts a multipart upload; the returned `uploadId` names it in the other calls.
 * @example const { uploadId } = await initiateMultipartUpload(client, { bucket, key, storageClass: 'STANDARD_IA' });
 */
export async function initiateMultipartUpload(
  client: Client,
  o: InitiateMultipartUploadOptions,
): Promise<InitiateMultipartUploadResult> {
  const ctx = target('InitiateMultipartUpload', client, o, true);
  const headers = uploadHeaders(o, ctx);
  const enc = o.encryption === false ? undefined : client.encryption;
  const begun = enc && (await (await import('../encryption/multipart.js')).beginEncryptedUpload(enc));
  const all = begun ? mergeHeaders(begun.headers, headers, ctx) : headers;
  const res = await send(client, {
    op: 'InitiateMultipartUpload',
    method: 'POST',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['uploads']],
    headers: all,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  const doc = await parseDocument(res, 'InitiateMultipartUploadResult', ctx);
  const uploadId = childText(doc, 'UploadId');
  if (!uploadId) {
    throw new Ks3ProtocolError('InitiateMultipartUpload: the answer has no UploadId', {
      ...ctx,
      requestId: res.requestId,
    });
  }
  return {
    uploadId,
    bucket: ctx.bucket,
    key: ctx.key,
    requestId: res.requestId,
    attempts: res.attempts,
    ...(begun ? { encryptionState: begun.state } : {}),
  };
}

/** Options of {@link encryptPart}. */
export interface EncryptPartOptions {
  /** The state from initiateMultipartUpload (part 1) or from the previous part. */
  encryptionState: PartEncryptionState;
  body: Body;
  size?: number | undefined;
  isLastPart: boolean;
  /** Content-MD5 over the encrypted part (default: the client's encryption setting). */
  contentMd5?: boolean | undefined;
  /**
   * Send the plaintext's MD5 as `x-kss-meta-unencrypted-content-md5`, as the reference does
   * (default true). KS3 ignores metadata on parts (ks3-protocol.md §6.6) and a multipart object
   * never carries it, so an uploader may skip that hash.
   */
  unencryptedMd5?: boolean | undefined;
}

/**
 * Encrypts one part without sending it (no request, so no request id), for uploaders that
 * encrypt in order and upload in parallel: send the result with
 * `uploadPart({ body, headers, encryption: false })`.
 * @throws {Ks3InputError} when the client does not encrypt, or for a misaligned part.
 */
export async function encryptPart(client: Client, o: EncryptPartOptions): Promise<EncryptedPart> {
  const ctx = { operation: 'EncryptPart' };
  if (!client.encryption) throw new Ks3InputError('client', 'has no encryption option', ctx);
  const m = await import('../encryption/multipart.js');
  return m.encryptPartBody(
    client.encryption,
    o.encryptionState,
    prepareBody(o.body, ctx, o.size),
    o.isLastPart,
    o.contentMd5 ?? client.encryption.contentMd5,
    ctx,
    false,
    o.unencryptedMd5 !== false,
  );
}

/** Options of {@link uploadPart}. */
export interface UploadPartOptions extends UploadTarget {
  partNumber: number;
  body: Body;
  /** Byte length of a ReadableStream body. */
  size?: number | undefined;
  /** Default `application/octet-stream`. */
  contentType?: string | undefined;
  /** Base64 MD5 of the part, or `true` to compute it (`false`: none, also for encrypted parts). */
  contentMd5?: string | boolean | undefined;
  /** Called as the part's bytes are sent. */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  /**
   * With client-side encryption: the chain state before this part (from initiate for part 1,
   * else from the previous part's result), and whether this is the last part.
   */
  encryptionState?: PartEncryptionState | undefined;
  isLastPart?: boolean | undefined;
  /** `false` sends the body as it is (e.g. a part encrypted already with `encryptPart`). */
  encryption?: false | undefined;
}

/** What {@link uploadPart} returns. */
export interface UploadPartResult extends Ks3Result {
  etag: string;
  partNumber: number;
  /** With encryption: the state before the next part. */
  encryptionState?: PartEncryptionState | undefined;
}

/** Uploads one part (1..10000); re-uploading a number replaces that part. */
export async function uploadPart(client: Client, o: UploadPartOptions): Promise<UploadPartResult> {
  const ctx = checkUpload(client, o, 'UploadPart');
  const partNumber = partNumberOf(o.partNumber, ctx);
  let body = prepareBody(o.body, ctx, o.size);
  if (o.contentType !== undefined) checkText('contentType', o.contentType, ctx, false);
  let headers = mergeHeaders({ 'content-type': o.contentType ?? 'application/octet-stream' }, o.headers, ctx, {
    'content-type': 'contentType',
  });
  let next: PartEncryptionState | undefined;
  let sentMd5: SentMd5 | undefined;
  if (client.encryption && o.encryption !== false) {
    if (!o.encryptionState || typeof o.isLastPart !== 'boolean') {
      throw new Ks3InputError(
        'encryptionState',
        'this client encrypts: pass encryptionState and isLastPart (or encryption: false for a part encrypted already)',
        ctx,
      );
    }
    if (typeof o.contentMd5 === 'string') {
      throw new Ks3InputError(
        'contentMd5',
        'is computed over the ciphertext for encrypted parts (pass true or false)',
        ctx,
      );
    }
    const m = await import('../encryption/multipart.js');
    const md5 = o.contentMd5 ?? client.encryption.contentMd5;
    const e = await m.encryptPartBody(client.encryption, o.encryptionState, body, o.isLastPart, md5, ctx, true);
    ({ body, next, sentMd5 } = e);
    headers = mergeHeaders(e.headers, headers, ctx);
  } else if (o.contentMd5 === true) {
    let md5: string;
    ({ md5, body } = await bodyMd5(body, client.md5));
    headers = mergeHeaders({ 'content-md5': md5 }, headers, ctx);
  } else if (typeof o.contentMd5 === 'string') {
    headers = mergeHeaders({ 'content-md5': o.contentMd5 }, headers, ctx, { 'content-md5': 'contentMd5' });
  }
  const total = body.size;
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
    read: 'text',
    onProgress: o.onProgress && ((loaded) => o.onProgress!({ loaded, total })),
  });
  const etag = etagOf(res, ctx);
  if (sentMd5) await checkPartMd5(etag, sentMd5, ctx);
  return {
    etag,
    partNumber,
    requestId: res.requestId,
    ...(next ? { encryptionState: next } : {}),
  };
}

/**
 * A large encrypted last part goes without Content-MD5 (encrypted once, while sent): its ETag,
 * the MD5 KS3 computed, must be the MD5 of what was sent. Uploading the part again replaces it.
 * @throws {Ks3IntegrityError} when it is not.
 */
async function checkPartMd5(etag: string, sent: SentMd5, ctx: Ks3ErrorContext): Promise<void> {
  const got = etag.replace(/"/g, '').toLowerCase();
  const want = await sent.hex();
  if (want === undefined || (/^[0-9a-f]{32}$/.test(got) && got !== want))
    throw new Ks3IntegrityError(
      `part ETag ${etag} is not the MD5 of the encrypted part sent (${want ?? 'incomplete'})`,
      ctx,
    );
}

/** Options of {@link uploadPartCopy}. */
export interface UploadPartCopyOptions extends UploadTarget {
  partNumber: number;
  sourceBucket: string;
  sourceKey: string;
  sourceVersionId?: string | undefined;
  /** Bytes of the source to copy, both ends inclusive; the whole source when omitted. */
  range?: (ByteRange & { end: number }) | undefined;
}

/** What {@link uploadPartCopy} returns. */
export interface UploadPartCopyResult extends Ks3Result {
  etag: string;
  lastModified: Date;
  partNumber: number;
}

/** Copies (a range of) an existing object into a part. */
export async function uploadPartCopy(client: Client, o: UploadPartCopyOptions): Promise<UploadPartCopyResult> {
  const ctx = checkUpload(client, o, 'UploadPartCopy');
  const partNumber = partNumberOf(o.partNumber, ctx);
  if (o.range !== undefined && o.range?.end === undefined) {
    throw new Ks3InputError('range', 'a part copy range needs an end', ctx);
  }
  const derived = { ...sourceHeaders(o, ctx), 'x-kss-copy-source-range': rangeHeader(o.range, ctx) };
  const res = await send(client, {
    op: 'UploadPartCopy',
    method: 'PUT',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [
      ['uploadId', o.uploadId],
      ['partNumber', String(partNumber)],
    ],
    headers: mergeHeaders(derived, o.headers, ctx),
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  const { etag, lastModified, requestId } = await parseCopyResult(res, 'CopyPartResult', ctx);
  return { etag, lastModified, requestId, partNumber };
}

/** Options of {@link abortMultipartUpload}. */
export type AbortMultipartUploadOptions = UploadTarget;
/** What {@link abortMultipartUpload} returns. */
export type AbortMultipartUploadResult = Ks3Result;

/** Abandons an upload and frees its parts. */
export async function abortMultipartUpload(
  client: Client,
  o: AbortMultipartUploadOptions,
): Promise<AbortMultipartUploadResult> {
  const ctx = checkUpload(client, o, 'AbortMultipartUpload');
  const res = await send(client, {
    op: 'AbortMultipartUpload',
    method: 'DELETE',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['uploadId', o.uploadId]],
    headers: o.headers,
    signal: o.signal,
    read: 'text',
  });
  return { requestId: res.requestId };
}
