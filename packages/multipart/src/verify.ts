/**
 * Was the object committed after all? A PUT or a Complete whose answer was lost may have
 * succeeded: before reporting a failure, the upload manager reads the object (HEAD) and compares
 * it with what it sent — the ETag (a part list's multipart ETag, or a single PUT's MD5), the size,
 * and for encrypted objects the recorded plaintext MD5 and length. Only an exact match counts.
 */
import { type Client, type Hasher, type HeadObjectResult, headObject } from '@ks3/core';
import { toBase64, toHex } from '@ks3/core/internal';
import { persist } from './orphans.js';

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

/** Base64 MD5 of bytes. */
export const md5Base64 = (bytes: Uint8Array, md5: () => Hasher): string => toBase64(md5().update(bytes).digest());

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
