/**
 * The Node upload manager: file paths at the sizes where part arithmetic goes wrong, Node
 * streams, checkpoint files, and a file that changed since its checkpoint.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  fileCheckpoint,
  getObject,
  headObject,
  upload,
  uploadFile,
  type Client,
  type UploadCheckpoint,
} from '@ks3/node';
import { addFault, firstDifference, pseudoRandomBytes, uploadsOf, useBucket } from '../../multipart/test/helpers.js';

const env = useBucket('node-upload');
const P = 128 * 1024;
let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'ks3-upload-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('%s', (name, encrypted) => {
  const client = (): Client => (encrypted ? env.encrypted : env.client);
  test.each([0, 1, P, P + 1])('a %i-byte file, a Node stream with and without size', async (size) => {
    const data = pseudoRandomBytes(size, size + 3);
    const path = join(dir, `${name}-${size}.bin`);
    await writeFile(path, data);
    const sources = [
      ['file', () => uploadFile(client(), { bucket: env.bucket, key: `f/${name}/${size}/file`, path, partSize: P })],
      [
        'stream',
        () =>
          upload(client(), {
            bucket: env.bucket,
            key: `f/${name}/${size}/stream`,
            body: createReadStream(path, { highWaterMark: 10_000 }),
            size,
            partSize: P,
          }),
      ],
      [
        'unsized',
        () =>
          upload(client(), {
            bucket: env.bucket,
            key: `f/${name}/${size}/unsized`,
            body: Readable.from([Buffer.from(data.subarray(0, 7)), Buffer.from(data.subarray(7))]),
            partSize: P,
          }),
      ],
    ] as const;
    for (const [kind, run] of sources) {
      const r = await run();
      expect(r, kind).toMatchObject({ size, parts: size <= P ? 0 : 2 });
      const got = await getObject(client(), { bucket: env.bucket, key: `f/${name}/${size}/${kind}` });
      expect(firstDifference(await got.bytes(), data), kind).toBe(-1);
    }
  });

  test('checkpointPath: a failed upload keeps its file and upload; the next run resumes and cleans up', async () => {
    const data = pseudoRandomBytes(5 * P + 11, 51);
    const path = join(dir, `cp-${name}.bin`);
    const cpPath = join(dir, `cp-${name}.json`);
    await writeFile(path, data);
    const key = `cp/${name}`;
    await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, partNumber: 4, status: 500, times: 2 });
    const failing = env.make({ retries: 0, ...(encrypted ? { encryption: { key: 'ks3-demo-key-16b' } } : {}) });
    await expect(
      uploadFile(failing, {
        bucket: env.bucket,
        key,
        path,
        checkpointPath: cpPath,
        partSize: P,
        concurrency: 1,
        partRetries: 1,
      }),
    ).rejects.toMatchObject({ status: 500 });
    const saved = JSON.parse(await readFile(cpPath, 'utf8')) as UploadCheckpoint;
    expect(saved.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(saved.source).toMatchObject({ size: data.length, name: `cp-${name}.bin` });
    expect(await uploadsOf(env, key)).toEqual([saved.uploadId]);
    const r = await uploadFile(client(), { bucket: env.bucket, key, path, checkpointPath: cpPath });
    expect(r.parts).toBe(6);
    expect(existsSync(cpPath)).toBe(false);
    expect(firstDifference(await (await getObject(client(), { bucket: env.bucket, key })).bytes(), data)).toBe(-1);
  });
});

test('a file modified since its checkpoint: its upload aborted, the checkpoint removed, or a restart', async () => {
  const data = pseudoRandomBytes(4 * P, 52);
  const path = join(dir, 'changed.bin');
  const cpPath = join(dir, 'changed.json');
  await writeFile(path, data);
  const key = 'changed';
  await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, partNumber: 3, status: 500, times: 1 });
  await expect(
    uploadFile(env.make({ retries: 0 }), {
      bucket: env.bucket,
      key,
      path,
      checkpointPath: cpPath,
      partSize: P,
      concurrency: 1,
      partRetries: 0,
    }),
  ).rejects.toMatchObject({ status: 500 });
  await utimes(path, new Date(), new Date(Date.now() + 5000));
  const err = await uploadFile(env.client, { bucket: env.bucket, key, path, checkpointPath: cpPath }).catch(
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ name: 'Ks3InputError', param: 'resume' });
  expect((err as Error).message).toMatch(
    new RegExp(
      'the source was last modified at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, but the checkpoint records \\d{4}-.*Z; ' +
        'aborted upload \\w+ on the server, removed the checkpoint$',
    ),
  );
  expect(await uploadsOf(env, key)).toEqual([]);
  await expect(stat(cpPath)).rejects.toMatchObject({ code: 'ENOENT' });
  // Interrupted again, then asked to start over: the file as it is now becomes the object.
  await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, partNumber: 2, status: 500, times: 1 });
  const failing = {
    bucket: env.bucket,
    key,
    path,
    checkpointPath: cpPath,
    partSize: P,
    concurrency: 1,
    partRetries: 0,
  };
  await expect(uploadFile(env.make({ retries: 0 }), failing)).rejects.toMatchObject({ status: 500 });
  const changed = data.slice().reverse();
  await writeFile(path, changed);
  await uploadFile(env.client, { ...failing, onResumeMismatch: 'restart' });
  expect(firstDifference(await (await getObject(env.client, { bucket: env.bucket, key })).bytes(), changed)).toBe(-1);
  expect(await uploadsOf(env, key)).toEqual([]);
  await expect(stat(cpPath)).rejects.toMatchObject({ code: 'ENOENT' });
  // A checkpoint file that is not JSON is reported as such.
  await writeFile(cpPath, '{not json');
  await expect(fileCheckpoint(cpPath).load()).rejects.toMatchObject({ name: 'Ks3InputError', param: 'checkpointPath' });
});

test('the Content-Type is guessed from the file name', async () => {
  const path = join(dir, 'page.html');
  await writeFile(path, '<p>hi</p>');
  await uploadFile(env.client, { bucket: env.bucket, key: 'no-extension', path });
  expect((await headObject(env.client, { bucket: env.bucket, key: 'no-extension' })).contentType).toBe('text/html');
});
