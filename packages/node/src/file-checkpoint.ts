/**
 * A checkpoint file for resumable uploads: `upload(client, { …, checkpointPath })` resumes from
 * it when it exists, rewrites it after every part, and deletes it once the object is complete.
 * Each write goes to a temporary file renamed over the old one, so a process killed at any
 * moment leaves either the previous checkpoint or the new one, never a torn file; the temporary
 * file such a kill can leave behind is removed by the next load() (a resume) or clear().
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Ks3InputError } from '@ks3/core';
import type { CheckpointStore, UploadCheckpoint } from '@ks3/multipart';

/** The temporary file of one save: `<path>.<12 hex>.tmp`. */
const tmpName = (path: string): string => `${path}.${randomBytes(6).toString('hex')}.tmp`;

/**
 * Removes the temporary files a process killed between writing and renaming left beside `path`
 * (only names save() makes: `<name>.<12 hex>.tmp`).
 */
async function removeStale(path: string): Promise<void> {
  const name = basename(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return; // no directory: nothing was left there
  }
  const stale = names.filter(
    (n) =>
      n.length === name.length + 17 && n.startsWith(`${name}.`) && /^\.[0-9a-f]{12}\.tmp$/.test(n.slice(name.length)),
  );
  await Promise.all(stale.map((n) => rm(join(dirname(path), n), { force: true }).catch(() => {})));
}

/**
 * A {@link CheckpointStore} kept in the file at `path`.
 * @throws {Ks3InputError} from `load()` when the file exists but is not JSON.
 * @example
 * await upload(client, { bucket, key, body, checkpointStore: fileCheckpoint('big.iso.ks3-upload') });
 */
export function fileCheckpoint(path: string): CheckpointStore {
  return {
    async load() {
      // A resume starts here: what a killed process left half-written is of no use.
      await removeStale(path);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      try {
        return JSON.parse(text) as UploadCheckpoint;
      } catch (e) {
        throw new Ks3InputError('checkpointPath', `${path} is not a checkpoint (invalid JSON)`, {
          operation: 'Upload',
          cause: e,
        });
      }
    },
    async save(cp) {
      const tmp = tmpName(path);
      try {
        await writeFile(tmp, JSON.stringify(cp), { mode: 0o600 });
        await rename(tmp, path);
      } catch (e) {
        await rm(tmp, { force: true }).catch(() => {});
        throw e;
      }
    },
    async clear() {
      await rm(path, { force: true });
      await removeStale(path);
    },
  };
}
