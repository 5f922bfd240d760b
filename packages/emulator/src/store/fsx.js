// @ts-check
/** Small file-system helpers for the crash-safe store: fresh ids, atomic JSON writes. */
import { randomBytes, createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { constants } from 'node:os';
import { rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** A fresh random id for data files, temp files and upload ids. */
export function newId() {
  return randomBytes(12).toString('hex');
}

/**
 * File name for a key: keys can be 1024 characters with `/`, so they are hashed.
 * @param {string} key
 */
export function keyHash(key) {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Writes JSON to a temp file and renames it into place: the rename is the commit point, so a
 * crash leaves either the old file or the new one, never a torn one.
 * @param {string} tmpDir
 * @param {string} target
 * @param {unknown} value
 */
export async function writeJsonAtomic(tmpDir, target, value) {
  const tmp = join(tmpDir, `${newId()}.json`);
  await writeFile(tmp, JSON.stringify(value));
  try {
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

/**
 * Removes a directory tree so that it disappears at once: renamed into tmp/ first (startup
 * clears tmp/ if we crash while deleting).
 * @param {string} tmpDir
 * @param {string} dir
 */
export async function removeTree(tmpDir, dir) {
  const trash = join(tmpDir, `trash-${newId()}`);
  await rename(dir, trash);
  await rm(trash, { recursive: true, force: true });
}

/**
 * Deletes a file, ignoring one that is already gone.
 * @param {string} path
 */
export async function unlinkQuiet(path) {
  await unlink(path).catch((/** @type {NodeJS.ErrnoException} */ err) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/**
 * An error shaped like the one node:fs raises for `code` (a test seam: faults.js `diskError`).
 * @param {string} code e.g. ENOSPC
 * @param {string} syscall
 * @param {string} path
 */
export function errnoError(code, syscall, path) {
  const errno = /** @type {Record<string, number>} */ (constants.errno)[code] ?? 5;
  return Object.assign(new Error(`${code}: injected fault, ${syscall} '${path}'`), {
    code,
    errno: -errno,
    syscall,
    path,
  });
}

/**
 * Streams `source` into a new file at `path`, computing size and MD5 on the way (bodies are
 * never buffered whole). Deletes the file if anything fails, then rethrows.
 * @param {AsyncIterable<Buffer> | Iterable<Buffer>} source
 * @param {string} path a fresh path under tmp/
 * @param {string} [failWith] inject this write error: EMFILE/ENFILE when opening, any other code
 *   after the first chunk was written (so a partial file exists and must be removed)
 * @returns {Promise<{ size: number, md5: Buffer }>}
 */
export async function writeHashed(source, path, failWith) {
  const hash = createHash('md5');
  let size = 0;
  if (failWith === 'EMFILE' || failWith === 'ENFILE') throw errnoError(failWith, 'open', path);
  try {
    await pipeline(
      source,
      async function* (chunks) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
          if (failWith) throw errnoError(failWith, 'write', path);
        }
      },
      createWriteStream(path, { flags: 'wx', highWaterMark: 1024 * 1024 }),
    );
  } catch (err) {
    await unlinkQuiet(path);
    throw err;
  }
  return { size, md5: hash.digest() };
}
