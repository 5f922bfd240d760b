/**
 * The upload manager of @ks3/multipart with Node's inputs and defaults: file paths (read by
 * ranges), Node `Readable` streams, `node:crypto` MD5 (several times faster than the portable
 * one) on worker threads, and checkpoint files.
 */
import { nodeMd5 } from './client.js';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { Body, Client } from '@ks3/core';
import { guessContentType } from '@ks3/core/internal';
import * as manager from '@ks3/multipart';
import type { UploadHandle, UploadOptions, UploadResult } from '@ks3/multipart';
import { fileCheckpoint } from './file-checkpoint.js';
import { fileSource } from './file-source.js';
import { defaultMd5Pool } from './md5-pool.js';

/** Options of the Node `upload()`: a Node `Readable` is a body too, and checkpoints can live in a file. */
export interface NodeUploadOptions extends Omit<UploadOptions, 'body'> {
  body: Body | Readable;
  /**
   * Keep the checkpoint in this file: resume from it if it exists, save it after every part,
   * delete it when the object is complete. The server upload is then kept on failure
   * (`keepOnFailure` defaults to true) so that a later run can resume.
   */
  checkpointPath?: string;
}

/** Options of {@link uploadFile}: a path instead of a body. */
export interface UploadFileOptions extends Omit<NodeUploadOptions, 'body' | 'size'> {
  path: string;
}

function adapt(o: NodeUploadOptions): UploadOptions {
  const { body, checkpointPath, ...rest } = o;
  return {
    md5: nodeMd5, // also the default of clients made by this package's createClient
    // Part MD5s on worker threads, unless the caller brings its own MD5 (or pool).
    ...(o.md5 === undefined ? { md5Pool: defaultMd5Pool() } : {}),
    ...rest,
    // A Node stream becomes a web stream read one part at a time, like any other.
    body: body instanceof Readable ? (Readable.toWeb(body) as ReadableStream<Uint8Array>) : body,
    ...(checkpointPath !== undefined && !o.checkpointStore ? { checkpointStore: fileCheckpoint(checkpointPath) } : {}),
  };
}

/**
 * Starts an upload (see @ks3/multipart `createUpload`) with Node bodies and defaults.
 * @throws nothing itself: failures reject `done`.
 * @example
 * const up = createUpload(client, { bucket, key, body: fs.createReadStream('dump.sql') });
 * process.on('SIGINT', () => up.abort());
 * await up.done;
 */
export function createUpload(client: Client, options: NodeUploadOptions): UploadHandle {
  return manager.createUpload(client, adapt(options));
}

/**
 * Uploads any body, including a Node `Readable` (see @ks3/multipart `upload`).
 * @throws as @ks3/multipart `upload`.
 * @example await upload(client, { bucket, key: 'logs.tar', body: process.stdin });
 */
export function upload(client: Client, options: NodeUploadOptions): Promise<UploadResult> {
  return createUpload(client, options).done;
}

/**
 * Uploads a file, read by ranges (1 MiB positioned reads), never whole. Its name and
 * modification time go into checkpoints, so a resume refuses a file that changed. The
 * Content-Type is guessed from the file name unless given.
 * @throws as @ks3/multipart `upload`, and when the file cannot be read (ENOENT, EISDIR, …).
 * @example
 * await uploadFile(client, { bucket, key: 'backup.iso', path: './backup.iso', checkpointPath: './backup.iso.ks3' });
 */
export async function uploadFile(client: Client, options: UploadFileOptions): Promise<UploadResult> {
  const { path, ...rest } = options;
  const [src, info] = await Promise.all([fileSource(path), stat(path)]);
  const body = { ...src, name: basename(path), lastModified: Math.floor(info.mtimeMs) };
  return upload(client, { ...rest, body, contentType: options.contentType ?? guessContentType(basename(path)) });
}
