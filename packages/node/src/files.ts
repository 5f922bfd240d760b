/** Uploads from and downloads to file paths, streamed in both directions. */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  type Client,
  type GetObjectOptions,
  getObject,
  Ks3IntegrityError,
  type ObjectInfo,
  type PutObjectOptions,
  type PutObjectResult,
  putObject,
} from '@ks3/core';
import { guessContentType } from '@ks3/core/internal';
import { fileSource } from './file-source.js';

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
}

/**
 * Downloads an object to a file, streamed. The data goes to a temporary file beside `path`
 * that is renamed into place only when complete, so a failure or an abort never leaves a
 * partial file at `path` (and removes the temporary one).
 * @throws {Ks3ServiceError}, {@link Ks3IntegrityError} (truncated body), or the abort reason.
 */
export async function getObjectToFile(client: Client, o: GetObjectToFileOptions): Promise<ObjectInfo> {
  const { path, ...rest } = o;
  const obj = await getObject(client, rest);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.ks3-partial`);
  const file = await open(tmp, 'wx', 0o644);
  let written = 0;
  try {
    const reader = obj.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let off = 0; off < value.length; ) off += (await file.write(value, off, value.length - off)).bytesWritten;
      written += value.length;
    }
    // The length is checked where it is exact: not for bodies fetch decoded (Content-Encoding),
    // nor for decrypted objects that do not record their plaintext length.
    if (obj.contentLength !== undefined && written !== obj.contentLength) {
      const how = written < obj.contentLength ? 'truncated' : 'longer than announced';
      throw new Ks3IntegrityError(`download ${how}: ${written} of ${obj.contentLength} bytes`, {
        operation: 'GetObject',
        bucket: o.bucket,
        key: o.key,
      });
    }
    await file.sync();
    await file.close();
    await rename(tmp, path);
  } catch (e) {
    await file.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    await obj.body.cancel().catch(() => {});
    throw e;
  }
  const { body: _b, bytes: _y, text: _t, status: _s, range: _r, ...info } = obj;
  return info;
}
