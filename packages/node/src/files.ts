/** Uploads from and downloads to file paths, streamed in both directions. */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  type Client,
  type GetObjectOptions,
  getObject,
  Ks3InputError,
  Ks3IntegrityError,
  type ObjectInfo,
  type PutObjectOptions,
  type PutObjectResult,
  putObject,
} from '@ks3/core';
import { guessContentType } from '@ks3/core/internal';
import { fileSource } from './file-source.js';
import { stitchedBody } from './resumable-body.js';

/** Options of {@link putObjectFromFile}: those of putObject with a file path instead of a body. */
export interface PutObjectFromFileOptions extends Omit<PutObjectOptions, 'body' | 'size'> {
  path: string;
}

/**
 * Uploads a file, streamed (never read whole into memory). The Content-Type is guessed from
 * the file name, as the reference SDK does, unless given.
 * @example await putObjectFromFile(client, { bucket: 'b', key: 'k.jpg', path: './cat.jpg' });
 */
export async function putObjectFromFile(client: Client, o: PutObjectFromFileOptions): Promise<PutObjectResult> {
  const { path, ...rest } = o;
  return putObject(client, {
    ...rest,
    body: await fileSource(path),
    contentType: o.contentType ?? guessContentType(basename(path)),
  });
}

/** Options of {@link getObjectToFile}. */
export interface GetObjectToFileOptions extends GetObjectOptions {
  path: string;
  /**
   * How many times a body cut mid-transfer (a reset, a timeout, a short body) is resumed with a
   * ranged GET (`If-Match` on the ETag) instead of failing; default: the client's `retries`.
   */
  resumes?: number;
}

/**
 * Downloads an object to a file, streamed. The data goes to a temporary file beside `path`
 * that is renamed into place only when complete, so a failure or an abort never leaves a
 * partial file at `path` (and removes the temporary one). A body cut mid-way is resumed from
 * where it stopped with a ranged GET on the same ETag (`resumes` times), also when decrypting:
 * the stored bytes are stitched before decryption, so the plaintext's length and MD5 are still
 * checked whole. Not resumed: an encrypted `range` (served by core in one piece) and bodies
 * fetch decodes (Content-Encoding), whose offsets are not the stored ones.
 * @throws {Ks3ServiceError} (412 when the object changed during a resume),
 * {@link Ks3IntegrityError} (truncated body, damaged or wrongly keyed ciphertext), or the abort reason.
 */
export async function getObjectToFile(client: Client, o: GetObjectToFileOptions): Promise<ObjectInfo> {
  const { path, resumes: asked, onProgress, ...rest } = o;
  const ctx = { operation: 'GetObject', bucket: o?.bucket, key: o?.key };
  if (asked !== undefined && !(Number.isSafeInteger(asked) && asked >= 0 && asked <= 1000))
    throw new Ks3InputError('resumes', `must be an integer from 0 to 1000, got ${String(asked)}`, ctx);
  if (onProgress !== undefined && typeof onProgress !== 'function')
    throw new Ks3InputError('onProgress', 'must be a function', ctx);
  const enc = rest.encryption === false ? undefined : client?.encryption;
  // Stored bytes first (decrypted below), unless core must serve the range itself.
  const stored = !(enc && rest.range);
  const first = await getObject(client, stored ? { ...rest, encryption: false } : { ...rest, onProgress });
  let body = first.body;
  let length = first.contentLength;
  let size = first.size;
  if (stored && first.etag !== undefined && first.contentLength !== undefined && !first.decoded) {
    const request = { ...rest, encryption: false as const };
    body = stitchedBody(client, { request, first, resumes: asked ?? client.retries }, ctx);
  }
  if (stored && enc) {
    const { decryptStoredBody } = await import('@ks3/core/internal');
    const headers = new Headers({ 'content-length': String(first.contentLength ?? first.size ?? 0) });
    for (const [name, value] of Object.entries(first.metadata)) headers.set(`x-kss-meta-${name}`, value);
    const d = await decryptStoredBody(enc, headers, body, ctx);
    ({ body, length } = d);
    size = d.length;
  }
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.ks3-partial`);
  let file: FileHandle | undefined;
  let written = 0;
  try {
    file = await open(tmp, 'wx', 0o644);
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let off = 0; off < value.length; ) off += (await file.write(value, off, value.length - off)).bytesWritten;
      written += value.length;
      if (stored) onProgress?.({ loaded: length === undefined ? written : Math.min(written, length), total: length });
    }
    // The length is checked where it is exact: not for bodies fetch decoded (Content-Encoding),
    // nor for decrypted objects that do not record their plaintext length.
    if (length !== undefined && written !== length) {
      const how = written < length ? 'truncated' : 'longer than announced';
      throw new Ks3IntegrityError(`download ${how}: ${written} of ${length} bytes`, ctx);
    }
    await file.sync();
    await file.close();
    await rename(tmp, path);
  } catch (e) {
    await file?.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    await body.cancel().catch(() => {});
    throw e;
  }
  const { body: _b, bytes: _y, text: _t, status: _s, range: _r, ...info } = first;
  if (!(enc && stored)) return info;
  return { ...info, size: size ?? written, contentLength: written, encrypted: true } as ObjectInfo;
}
