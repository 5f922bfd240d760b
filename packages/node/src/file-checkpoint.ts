/**
 * A checkpoint file for resumable uploads: `upload(client, { …, checkpointPath })` resumes from
 * it when it exists, rewrites it after every part, and deletes it once the object is complete.
 * Each write goes to a temporary file renamed over the old one, so a process killed at any
 * moment leaves either the previous checkpoint or the new one, never a torn file.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { Ks3InputError } from '@ks3/core';
import type { CheckpointStore, UploadCheckpoint } from '@ks3/multipart';

/**
 * A {@link CheckpointStore} kept in the file at `path`.
 * @throws {Ks3InputError} from `load()` when the file exists but is not JSON.
 * @example
 * await upload(client, { bucket, key, body, checkpointStore: fileCheckpoint('big.iso.ks3-upload') });
 */
export function fileCheckpoint(path: string): CheckpointStore {
  return {
    async load() {
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
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
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
    },
  };
}
