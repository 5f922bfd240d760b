/**
 * Recovery, loaded only when something went wrong.
 *
 * No orphan uploads. Initiate is a POST whose answer can be
 * lost after KS3 started the upload (a reset, a timeout, a gateway's 502), and a retried
 * Initiate can start a second one: the upload id is then unknown and the parts would be billed
 * forever. This finds the uploads of the key that began while the call ran (KS3's `Initiated`,
 * read against KS3's own clock from the listing's `Date` header, so a skewed local clock does not
 * matter) so that initiate.ts can adopt one or abort them. It also aborts an upload for good,
 * through faults, when an upload fails.
 *
 * No false failures. A PUT or a Complete whose answer was lost may have succeeded: before
 * reporting a failure, the upload manager reads the object (HEAD) and compares it with what it
 * sent — the ETag (a part list's multipart ETag, or a single PUT's MD5), the size, and for
 * encrypted objects the recorded plaintext MD5 and length. Only an exact match counts.
 */
import {
  abortMultipartUpload,
  type Client,
  type Hasher,
  type HeadObjectResult,
  headObject,
  isKs3ServiceError,
  Ks3ProtocolError,
} from '@ks3/core';
import { backoffDelay, parseDocument, parseListUploads, send, sleep, toBase64, toHex } from '@ks3/core/internal';
import { md5Of, type PartBody } from './hash.js';
import type { Window } from './initiate.js';
import { isRetryable } from './pump.js';

/**
 * Slack around the window, in ms: `Date` has whole seconds, and KS3 may keep `Initiated` in whole
 * seconds too.
 */
const SLACK_MS = 2000;
/** Rounds of a cleanup request (each with the client's own retries) before giving up. */
const ROUNDS = 3;
/** Pages of a key's uploads listed at most (1,000 uploads each). */
const MAX_PAGES = 10;

interface Target {
  bucket: string;
  key: string;
}

/** Tries `fn` up to {@link ROUNDS} times while it fails with something worth retrying. */
export async function persist<T>(client: Client, fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i + 1 >= ROUNDS || !isRetryable(e)) throw e;
      await sleep(backoffDelay(client.retryDelay, i + 1));
    }
  }
}

/**
 * The uploads of exactly `key` initiated within the window, read on KS3's clock: the listing's
 * `Date` minus how long ago (locally) each end of the window was, with slack.
 */
export async function uploadsWithin(client: Client, t: Target, w: Window): Promise<string[]> {
  const ctx = { operation: 'ListMultipartUploads', bucket: t.bucket };
  const found: string[] = [];
  let keyMarker: string | undefined;
  let idMarker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const started = Date.now();
    const res = await send(client, {
      op: 'ListMultipartUploads',
      method: 'GET',
      bucket: t.bucket,
      query: [
        ['uploads'],
        ...(keyMarker === undefined ? [] : [['key-marker', keyMarker] as [string, string]]),
        ['prefix', t.key],
        ...(idMarker === undefined ? [] : [['upload-id-marker', idMarker] as [string, string]]),
      ],
      ok: (s) => s === 200,
      read: 'text',
    });
    const list = parseListUploads(await parseDocument(res, 'ListMultipartUploadsResult', ctx));
    // KS3's time when it answered; without a Date header, the local clock.
    const date = Date.parse(res.headers.get('date') ?? '');
    const now = Number.isFinite(date) ? date : Date.now();
    const from = now - (Date.now() - w.from) - SLACK_MS;
    const to = now - Math.max(0, started - w.to) + SLACK_MS;
    for (const u of list.uploads) {
      const at = u.initiated.getTime();
      if (u.key === t.key && at >= from && at <= to) found.push(u.uploadId);
    }
    // Keys come in order: past the key itself, nothing more can match.
    const last = list.uploads.at(-1);
    if (!list.isTruncated || (last && last.key > t.key)) return found;
    if (list.nextStartAfterKey === keyMarker && list.nextStartAfterUploadId === idMarker)
      throw new Ks3ProtocolError('ListMultipartUploads: the listing did not advance', ctx);
    keyMarker = list.nextStartAfterKey;
    idMarker = list.nextStartAfterUploadId;
  }
  return found;
}

/** How an abort ended: `aborted`, or `gone` (the upload no longer existed: completed, aborted or expired). */
export type AbortOutcome = 'aborted' | 'gone';

/**
 * Aborts an upload, retrying through faults. Never takes the caller's signal: cleanup runs after
 * an abort too.
 * @throws the last failure when every round failed.
 */
export async function abortUpload(client: Client, t: Target, uploadId: string): Promise<AbortOutcome> {
  return persist(client, async () => {
    try {
      await abortMultipartUpload(client, { ...t, uploadId });
      return 'aborted' as const;
    } catch (e) {
      // An earlier attempt of this call may have aborted it and lost the answer.
      if (isKs3ServiceError(e) && e.code === 'NoSuchUpload') return 'gone' as const;
      throw e;
    }
  });
}

/** Aborts the uploads of the key started within the window, except `keep`; returns those it aborted. */
export async function sweep(client: Client, t: Target, w: Window, keep?: string): Promise<string[]> {
  const ids = (await persist(client, () => uploadsWithin(client, t, w))).filter((id) => id !== keep);
  for (const id of ids) await abortUpload(client, t, id);
  return ids;
}

/** After a lost Initiate answer: the one upload to adopt, or none (the others aborted). */
export async function recover(client: Client, t: Target, w: Window, adopt: boolean): Promise<string | undefined> {
  try {
    const ids = await persist(client, () => uploadsWithin(client, t, w));
    if (adopt && ids.length === 1) return ids[0];
    for (const id of ids) await abortUpload(client, t, id);
  } catch {
    // The cleanup could not finish either: the Initiate failure is the one to report.
  }
  return undefined;
}

/** The ingredients of a multipart upload's expected object (computed only when needed). */
export interface MultipartWant {
  parts: readonly { etag: string }[];
  /** Plaintext bytes. */
  size: number;
  encrypted: boolean;
  md5: () => Hasher;
}

/** What the object must look like to be the one this upload made. */
export interface ExpectedObject {
  /** Quoted or not; compared without quotes, case-insensitively. */
  etag?: string | undefined;
  /** Stored bytes (ciphertext when encrypted). */
  size: number;
  /** Encrypted objects: Base64 MD5 and length of the plaintext, as recorded in the metadata. */
  plain?: { md5: string; size: number } | undefined;
}

const bare = (etag: string | undefined): string => (etag ?? '').replace(/"/g, '').toLowerCase();

/** Bytes KS3 stores for `size` bytes of plaintext: the IV, then the data padded to whole blocks. */
export const encryptedSize = (size: number): number => 32 + size - (size % 16);

/** `"<md5 of the binary part MD5s>-<count>"`, or undefined when a part's ETag is not a plain MD5. */
export function multipartEtag(parts: readonly { etag: string }[], md5: () => Hasher): string | undefined {
  const hex = parts.map((p) => bare(p.etag));
  if (!hex.length || !hex.every((h) => /^[0-9a-f]{32}$/.test(h))) return undefined;
  const h = md5();
  for (const part of hex) h.update(Uint8Array.from(part.match(/../g)!, (b) => Number.parseInt(b, 16)));
  return `"${toHex(h.digest())}-${parts.length}"`;
}

/** What a multipart upload of these parts makes: its multipart ETag and stored size. */
export function expectedMultipart(w: MultipartWant): ExpectedObject {
  return { etag: multipartEtag(w.parts, w.md5), size: w.encrypted ? encryptedSize(w.size) : w.size };
}

/** What a single PUT of `body` stores: its MD5 as ETag, or (encrypted) the recorded plaintext MD5. */
export async function expectedPut(
  body: PartBody,
  size: number,
  encrypted: boolean,
  md5: () => Hasher,
): Promise<ExpectedObject> {
  const digest = await md5Of(body, md5);
  // An empty body is stored as it is, unencrypted (ks3-protocol.md §6.8 item 2).
  if (!encrypted || size === 0) return { etag: toHex(digest), size };
  return { size: encryptedSize(size), plain: { md5: toBase64(digest), size } };
}

/**
 * The object's metadata when it is exactly the expected one; undefined when it is absent, is
 * another object, or cannot be read (after retries).
 */
export async function committedObject(
  client: Client,
  t: { bucket: string; key: string },
  want: ExpectedObject,
): Promise<HeadObjectResult | undefined> {
  let head: HeadObjectResult;
  try {
    head = await persist(client, () => headObject(client, t));
  } catch {
    // Absent (404), or unreadable even after retries: not known to be committed.
    return undefined;
  }
  if (head.size !== want.size) return undefined;
  if (want.etag !== undefined && bare(head.etag) !== bare(want.etag)) return undefined;
  if (want.plain) {
    const m = head.metadata;
    if (m['unencrypted-content-md5'] !== want.plain.md5) return undefined;
    if (m['unencrypted-content-length'] !== String(want.plain.size)) return undefined;
  }
  return head;
}
