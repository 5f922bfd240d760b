/**
 * Issue 9.9: files as upload bodies fail with typed errors, never a plain Error or TypeError: a
 * path that cannot be read or is not a file is a Ks3InputError naming `path` (before any
 * request); a file that shrinks or disappears while it is being sent fails the upload with the
 * body's own typed error, at once (retrying would read the same file again).
 */
import { mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/node';
import { emulatorBucket } from '../../../internal/test-utils/wire.js';

const emu = emulatorBucket('file-errors');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ks3-file-errors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fail = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e as KS3.Ks3Error,
  );

describe('before any request', () => {
  test('missing file, directory: Ks3InputError naming path (fileSource, putObjectFromFile, uploadFile)', async () => {
    const client = emu.make({ fetch: () => expect.fail('no request may be sent') });
    const missing = join(dir, 'missing.bin');
    for (const call of [
      () => KS3.fileSource(missing),
      () => KS3.putObjectFromFile(client, { bucket: emu.bucket, key: 'k', path: missing }),
      () => KS3.uploadFile(client, { bucket: emu.bucket, key: 'k', path: missing }),
    ]) {
      const err = await fail(call());
      expect(KS3.isKs3InputError(err), String(err)).toBe(true);
      expect(err).toMatchObject({ param: 'path' });
      expect(err.message).toContain('ENOENT');
    }
    const notFile = await fail(KS3.fileSource(dir));
    expect(notFile).toMatchObject({ name: 'Ks3InputError', param: 'path' });
    expect(notFile.message).toContain('is not a regular file');
  });
});

describe('while sending', () => {
  test('a file that shrank: Ks3IntegrityError naming the call, not retried', async () => {
    const path = join(dir, 'shrinks.bin');
    writeFileSync(path, new Uint8Array(3 << 20));
    const body = await KS3.fileSource(path);
    truncateSync(path, 1 << 20);
    const err = await fail(
      KS3.putObject(emu.make({ retries: 3, retryDelay: 1 }), { bucket: emu.bucket, key: 's', body }),
    );
    expect(err).toMatchObject({ name: 'Ks3IntegrityError', operation: 'PutObject', bucket: emu.bucket, attempts: 1 });
    expect(err.message).toContain('shrank while being read');
  });

  test('a file deleted after it was chosen: Ks3InputError naming path', async () => {
    const path = join(dir, 'vanishes.bin');
    writeFileSync(path, new Uint8Array(2 << 20));
    const body = await KS3.fileSource(path);
    unlinkSync(path);
    const err = await fail(
      KS3.putObject(emu.make({ retries: 3, retryDelay: 1 }), { bucket: emu.bucket, key: 'v', body }),
    );
    expect(err).toMatchObject({ name: 'Ks3InputError', param: 'path', operation: 'PutObject', attempts: 1 });
    expect(err.message).toContain('ENOENT');
  });
});
