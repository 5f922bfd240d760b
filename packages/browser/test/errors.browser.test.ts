/**
 * Browser-only points of issue 9: a bucket whose CORS rule hides ETag makes putObject and a
 * small upload() fail clearly, naming the fix, instead of resolving with `etag: ""` (9.12) —
 * against the emulator (`cors.configure exposeHeadersOmit`) and a recording server; and the
 * error guards recognise errors from another realm, an iframe running the CDN bundle (9.20).
 * The iframe needs the build (`pnpm -s build`), like the CDN contract test.
 */
import { afterEach, describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/core';
import { upload } from '@ks3/multipart';
import { emulatorAdmin } from '../../../internal/test-utils/emulator-admin.js';
import { emulatorBucket, useRecorder } from '../../../internal/test-utils/wire.js';

const emu = emulatorBucket('br-errors');
const wire = useRecorder();

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e as KS3.Ks3Error,
  );

function expectEtagFix(err: KS3.Ks3Error, operation: string): void {
  expect(err).toMatchObject({ name: 'Ks3ProtocolError', operation, status: 200 });
  expect(err.message).toContain('<ExposeHeader>ETag</ExposeHeader>');
}

describe('9.12: a CORS rule that hides ETag', () => {
  afterEach(async () => {
    if (emu.bucket) await emulatorAdmin(emu.endpoint, 'cors', { exposeHeadersOmit: [], bucket: emu.bucket });
  });

  test('emulator: putObject and a small upload() fail naming the fix; with ETag exposed they work', async () => {
    const { client, bucket } = emu;
    await emulatorAdmin(emu.endpoint, 'cors', { exposeHeadersOmit: ['etag'], bucket });
    expectEtagFix(await rejection(KS3.putObject(client, { bucket, key: 'a', body: 'x' })), 'PutObject');
    expectEtagFix(await rejection(upload(client, { bucket, key: 'b', body: new Blob(['small']) })), 'PutObject');
    await emulatorAdmin(emu.endpoint, 'cors', { exposeHeadersOmit: [], bucket });
    expect((await KS3.putObject(client, { bucket, key: 'a', body: 'x' })).etag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  test('recording server: the answer carries an ETag the page cannot see', async () => {
    await wire.rec.setRoutes([{ method: 'PUT', reply: { headers: { etag: '"abc"' }, hideFromCors: ['etag'] } }]);
    const err = await rejection(KS3.putObject(wire.client(), { bucket: 'bkt', key: 'k', body: 'x' }));
    expectEtagFix(err, 'PutObject');
    expect(err.requestId).toMatch(/^rec-/);
  });
});

describe('9.20: errors across realms (an iframe running the CDN bundle)', () => {
  test('guards recognise the iframe realm’s errors, and it recognises ours', async () => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    try {
      const win = frame.contentWindow as Window & { KS3?: typeof KS3 };
      await new Promise<void>((resolve, reject) => {
        const s = win.document.createElement('script');
        s.src = new URL('/packages/browser/dist/ks3.min.js', location.href).href;
        s.onload = () => resolve();
        s.onerror = () => reject(new Error('could not load packages/browser/dist/ks3.min.js: run the build first'));
        win.document.head.append(s);
      });
      const F = win.KS3!;
      const foreign = new F.Ks3ServiceError({ status: 403, code: 'AccessDenied', operation: 'GetObject' });
      expect(foreign instanceof KS3.Ks3Error).toBe(false);
      expect(foreign instanceof Error).toBe(false);
      expect(KS3.isKs3Error(foreign)).toBe(true);
      expect(KS3.isKs3ServiceError(foreign)).toBe(true);
      expect(KS3.isKs3InputError(foreign)).toBe(false);
      const local = new KS3.Ks3IntegrityError('bad', { operation: 'GetObject' });
      expect(F.isKs3Error(local)).toBe(true);
      expect(F.isKs3IntegrityError(local)).toBe(true);
      expect(JSON.parse(JSON.stringify(foreign))).toMatchObject({ name: 'Ks3ServiceError', status: 403 });
    } finally {
      frame.remove();
    }
  });
});
