/** Writing listings to files, one key per line, streamed (the guide's `listObjects(filename, …)`). */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Client, type ListObjectsInTimeRangeOptions, listObjectsInTimeRange } from '@ks3/core';

/**
 * Writes `lines` to `path`, one per line (UTF-8, `\n`), as they arrive. The file appears only
 * when complete: a failure or abort removes the partial temporary file. Returns the line count.
 */
export async function writeLinesToFile(path: string, lines: AsyncIterable<string>): Promise<number> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.ks3-partial`);
  const file = await open(tmp, 'wx', 0o644);
  let count = 0;
  try {
    let buffered = '';
    for await (const line of lines) {
      buffered += `${line}\n`;
      count++;
      if (buffered.length > 1 << 16) {
        await file.write(buffered);
        buffered = '';
      }
    }
    await file.write(buffered);
    await file.close();
    await rename(tmp, path);
    return count;
  } catch (e) {
    await file.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** Options of {@link listObjectsToFile}. */
export interface ListObjectsToFileOptions extends ListObjectsInTimeRangeOptions {
  path: string;
}

/**
 * Lists the keys under a prefix modified within [startTime, endTime] (either may be omitted)
 * into a file, one key per line. Returns how many keys were written.
 * @example await listObjectsToFile(client, { bucket, prefix: 'local/load', endTime: 1625460400, path: 'keys.txt' });
 */
export async function listObjectsToFile(client: Client, o: ListObjectsToFileOptions): Promise<number> {
  const { path, ...list } = o;
  async function* keys(): AsyncGenerator<string> {
    for await (const obj of listObjectsInTimeRange(client, list)) yield obj.key;
  }
  return writeLinesToFile(path, keys());
}
