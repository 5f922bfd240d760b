/**
 * 1 GiB round trips from Chromium with the upload manager: from a File (a Blob sliced per part,
 * never read whole) and from a ReadableStream (one part in memory at a time), plain and
 * encrypted. The data is 1,024 distinct 1 MiB blocks made on the fly; objects are checked by
 * streaming them back through MD5.
 *
 * The File lives in the origin-private file system, so it is disk-backed like a file the user
 * picks: the test browser's ephemeral profile keeps Blobs in memory only and cannot read back a
 * Blob of more than about 240 MiB (NotReadableError).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { deleteObject, type Client } from '@ks3/core';
import { createMd5 } from '@ks3/core/crypto';
import { upload, type UploadProgress } from '@ks3/multipart';
import { downloadMd5, pseudoRandomBytes, uploadsOf, useBucket } from '../../multipart/test/helpers.js';

const env = useBucket('br-1gib');
const MiB = 1 << 20;
const BLOCKS = 1024;
const SIZE = BLOCKS * MiB;
const base = pseudoRandomBytes(MiB, 91);

/** Block `i` of the data: the base block stamped with its index. */
function block(i: number): Uint8Array<ArrayBuffer> {
  const b = base.slice();
  new DataView(b.buffer).setUint32(i % 1000, i);
  return b;
}

const hex = (d: Uint8Array): string => Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
const NAME = `ks3-upload-1gib-${Math.random().toString(36).slice(2)}.bin`;
let file: Promise<File> | undefined;
let sourceMd5 = '';
/** The 1 GiB file, written once, and its MD5. */
function bigFile(): Promise<File> {
  file ??= (async () => {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle(NAME, { create: true });
    const w = await handle.createWritable();
    const h = createMd5();
    for (let i = 0; i < BLOCKS; i++) {
      const b = block(i);
      h.update(b);
      await w.write(b);
    }
    await w.close();
    sourceMd5 = hex(h.digest());
    return handle.getFile();
  })();
  return file;
}
afterAll(async () => {
  if (file) await (await navigator.storage.getDirectory()).removeEntry(NAME).catch(() => {});
});

function bigStream(): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({ pull: (c) => (i < BLOCKS ? c.enqueue(block(i++)) : c.close()) });
}

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('1 GiB, %s', (name, encrypted) => {
  const client = (): Client => (encrypted ? env.encrypted : env.client);
  test.each(['file', 'stream'] as const)(
    'from a %s',
    async (kind) => {
      const f = await bigFile();
      const body = kind === 'file' ? f : bigStream();
      const key = `1gib/${name}/${kind}`;
      const events: UploadProgress[] = [];
      const r = await upload(client(), {
        bucket: env.bucket,
        key,
        body,
        ...(kind === 'stream' && encrypted ? { size: SIZE } : {}),
        onProgress: (p) => events.push(p),
      });
      expect(r).toMatchObject({ size: SIZE, parts: 128 });
      expect(events.filter((e) => e.part).length).toBeGreaterThanOrEqual(128);
      expect(events.at(-1)).toMatchObject({ loaded: SIZE, total: SIZE });
      expect(await downloadMd5(client(), env.bucket, key)).toEqual({ md5: sourceMd5, size: SIZE });
      expect(await uploadsOf(env, key)).toEqual([]);
      await deleteObject(env.client, { bucket: env.bucket, key });
    },
    300_000,
  );
});
