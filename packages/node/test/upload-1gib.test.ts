/**
 * 1 GiB round trips through the emulator with the Node upload manager: from a file path and
 * from a Node stream, plain and encrypted. The file is generated once (deterministic, distinct
 * 1 MiB blocks, so misplaced parts would show) and objects are checked by streaming them back
 * through MD5, never holding 1 GiB in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deleteObject, getObject, upload, uploadFile, type Client, type UploadProgress } from '@ks3/node';
import { pseudoRandomBytes, uploadsOf, useBucket } from '../../multipart/test/helpers.js';

const env = useBucket('node-1gib');
const MiB = 1 << 20;
const SIZE = 1024 * MiB;
let dir: string;
let path: string;
let sourceMd5: string;

/** Writes `blocks` MiB of deterministic data: one random MiB, each copy stamped with its index. */
async function generate(file: string, blocks: number): Promise<string> {
  const base = pseudoRandomBytes(MiB, 77);
  const hash = createHash('md5');
  const fh = await open(file, 'w');
  try {
    for (let i = 0; i < blocks; i++) {
      const block = base.slice();
      new DataView(block.buffer).setUint32(i % 1000, i);
      hash.update(block);
      await fh.write(block);
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

async function downloadMd5(client: Client, key: string): Promise<{ md5: string; size: number }> {
  const got = await getObject(client, { bucket: env.bucket, key });
  const hash = createHash('md5');
  let size = 0;
  const reader = got.body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    hash.update(r.value);
    size += r.value.length;
  }
  return { md5: hash.digest('hex'), size };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ks3-1gib-'));
  path = join(dir, 'big.bin');
  sourceMd5 = await generate(path, SIZE / MiB);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('1 GiB, %s', (name, encrypted) => {
  const client = (): Client => (encrypted ? env.encrypted : env.client);

  test('from a file path', async () => {
    const key = `1gib/${name}/file`;
    let last: UploadProgress | undefined;
    let events = 0;
    const r = await uploadFile(client(), { bucket: env.bucket, key, path, onProgress: (p) => ((last = p), events++) });
    expect(r).toMatchObject({ size: SIZE, parts: 128 });
    expect(last).toMatchObject({ loaded: SIZE, total: SIZE });
    expect(events).toBeGreaterThan(1000); // byte-level: about one event per MiB sent
    expect(await downloadMd5(client(), key)).toEqual({ md5: sourceMd5, size: SIZE });
    await deleteObject(env.client, { bucket: env.bucket, key });
  }, 180_000);

  test('from a Node stream', async () => {
    const key = `1gib/${name}/stream`;
    // Plain: length unknown (read until the end); encrypted: length given.
    const r = await upload(client(), {
      bucket: env.bucket,
      key,
      body: createReadStream(path, { highWaterMark: MiB }),
      ...(encrypted ? { size: SIZE } : {}),
    });
    expect(r).toMatchObject({ size: SIZE, parts: 128 });
    expect(await downloadMd5(client(), key)).toEqual({ md5: sourceMd5, size: SIZE });
    expect(await uploadsOf(env, key)).toEqual([]);
    await deleteObject(env.client, { bucket: env.bucket, key });
  }, 180_000);
});
