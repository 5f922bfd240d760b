/**
 * Complete Multipart Upload (ks3-protocol.md §4.19). Completing is retried although it is a
 * POST (completing twice is harmless), and the answer is read inside the retried attempt. When
 * an attempt's answer was lost and the retry finds the upload gone (`NoSuchUpload`), the object
 * is checked: if it is the one these parts make (its multipart ETag), the upload succeeded.
 */
import { toHex } from '../bytes.js';
import type { Client, Hasher } from '../client.js';
import { Ks3InputError, Ks3ServiceError } from '../errors.js';
import { prepareBody } from '../request/body.js';
import { mergeHeaders } from '../request/headers.js';
import { send } from '../request/send.js';
import { childText } from '../xml.js';
import type { Ks3Result, Target } from './common.js';
import { parseDocument } from './document.js';
import { headObject } from './get-object.js';
import { checkUpload, type UploadTarget } from './upload-target.js';

/** A finished part, as Complete needs it. */
export interface CompletedPart {
  partNumber: number;
  /** As KS3 returned it, quotes included. */
  etag: string;
}

/** Options of {@link completeMultipartUpload}. */
export interface CompleteMultipartUploadOptions extends UploadTarget {
  /** Every part, in ascending part-number order. */
  parts: readonly CompletedPart[];
}

/** What {@link completeMultipartUpload} returns. */
export interface CompleteMultipartUploadResult extends Ks3Result {
  etag: string;
  location: string;
  /** The response body (an upload callback's reply, when there was a callback). */
  body: string;
  versionId?: string | undefined;
}

/** The exact body the reference sends (§4.19): two-space indentation, `\n` line ends. */
export function buildCompleteXml(parts: readonly CompletedPart[]): string {
  const items = parts
    .map((p) => `  <Part>\n    <PartNumber>${p.partNumber}</PartNumber>\n    <ETag>${p.etag}</ETag>\n  </Part>\n`)
    .join('');
  return `<CompleteMultipartUpload>\n${items}</CompleteMultipartUpload>`;
}

function checkParts(parts: unknown, ctx: Target): readonly CompletedPart[] {
  if (!Array.isArray(parts) || parts.length === 0) throw new Ks3InputError('parts', 'must list at least one part', ctx);
  let last = 0;
  for (const p of parts as CompletedPart[]) {
    const n = p?.partNumber;
    if (!Number.isInteger(n) || n < 1 || n > 10000)
      throw new Ks3InputError('parts', `part number ${String(n)} is not in 1..10000`, ctx);
    if (n <= last) throw new Ks3InputError('parts', 'part numbers must be strictly ascending', ctx);
    if (typeof p.etag !== 'string' || !/^"?[\w-]+"?$/.test(p.etag)) {
      throw new Ks3InputError('parts', `part ${n} has no valid etag`, ctx);
    }
    last = n;
  }
  return parts as readonly CompletedPart[];
}

/**
 * The multipart ETag these parts make, `"<md5 of the binary part MD5s>-<count>"`, when every
 * part's ETag is a plain MD5.
 */
async function expectedEtag(parts: readonly CompletedPart[], md5?: () => Hasher): Promise<string | undefined> {
  const hex = parts.map((p) => p.etag.replace(/"/g, ''));
  if (!hex.every((h) => /^[0-9a-f]{32}$/i.test(h))) return undefined;
  const create = md5 ?? (await import('../crypto/md5.js')).createMd5;
  const h = create();
  for (const part of hex) h.update(Uint8Array.from(part.match(/../g)!, (b) => Number.parseInt(b, 16)));
  return `"${toHex(h.digest())}-${parts.length}"`;
}

/**
 * Assembles the uploaded parts into the object.
 * @throws {Ks3ServiceError} `InvalidPart`, `InvalidPartOrder`, `EntityTooSmall`, `NoSuchUpload`.
 */
export async function completeMultipartUpload(
  client: Client,
  o: CompleteMultipartUploadOptions,
): Promise<CompleteMultipartUploadResult> {
  const ctx = checkUpload(client, o, 'CompleteMultipartUpload');
  const parts = checkParts(o.parts, ctx);
  let res: Awaited<ReturnType<typeof send>>;
  try {
    res = await send(client, {
      op: 'CompleteMultipartUpload',
      method: 'POST',
      bucket: ctx.bucket,
      key: ctx.key,
      query: [['uploadId', o.uploadId]],
      headers: mergeHeaders({ 'content-type': 'text/xml' }, o.headers, ctx),
      body: prepareBody(buildCompleteXml(parts), ctx),
      signal: o.signal,
      idempotent: true,
      ok: (s) => s === 200,
      read: 'text',
    });
  } catch (e) {
    // An earlier attempt may have completed the upload and lost its answer.
    if (!(e instanceof Ks3ServiceError) || e.code !== 'NoSuchUpload' || (e.attempts ?? 1) < 2) throw e;
    const want = await expectedEtag(parts, client.md5);
    const head =
      want && (await headObject(client, { bucket: ctx.bucket, key: ctx.key, signal: o.signal }).catch(() => undefined));
    if (!head || head.etag !== want) throw e;
    return { etag: head.etag, location: '', body: '', requestId: head.requestId, versionId: head.versionId };
  }
  const body = await res.text();
  // With an upload callback, KS3 answers with the callback's JSON reply instead of the document.
  const json = /json/i.test(res.headers.get('content-type') ?? '');
  const doc = json ? undefined : await parseDocument(res, 'CompleteMultipartUploadResult', ctx);
  const result: CompleteMultipartUploadResult = {
    etag: (doc ? childText(doc, 'ETag') : res.headers.get('etag')) ?? '',
    location: (doc && childText(doc, 'Location')) ?? '',
    body,
    requestId: res.requestId,
  };
  const version = res.headers.get('x-kss-version-id');
  if (version) result.versionId = version;
  return result;
}
