/**
 * Server-side write failures (injected through the `diskError` fault) and a crash between
 * committing Complete Multipart Upload and removing the upload (the `afterCompleteCommit` seam).
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBucket, start, tempDir, useEmulator, type Fixture } from './helpers/emulator.js';
import { code, send, xml1, xmlAll } from './helpers/ks3.js';

const PART = 128 * 1024;
const body = (n: number, fill: number) => Buffer.alloc(n, fill);

async function initiate(f: Pick<Fixture, 'send'>, b: string, key: string): Promise<string> {
  const init = await f.send({ method: 'POST', bucket: b, key, query: 'uploads' });
  return xml1(init.text, 'UploadId') ?? '';
}

function completeXml(etags: string[]): string {
  const parts = etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('');
  return `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`;
}

describe('write errors on the server side', () => {
  const f = useEmulator();
  const tmp = () => readdirSync(join(f.emu.dataDir, 'tmp'));

  for (const [diskError, status, errorCode] of [
    ['EMFILE', 503, 'SlowDown'],
    ['ENOSPC', 503, 'ServiceUnavailable'],
    ['EIO', 500, 'InternalError'],
  ] as const) {
    it(`${diskError}: PUT and Upload Part answer ${status} ${errorCode}, store nothing; a retry works`, async () => {
      const b = await createBucket(f);
      await send(f.url, { method: 'PUT', bucket: b, key: 'obj', body: 'previous' });
      f.emu.faults.add({ op: 'PutObject', bucket: b, diskError });
      const put = await f.send({ method: 'PUT', bucket: b, key: 'obj', body: body(3 * PART, 1) });
      expect([put.status, code(put)]).toEqual([status, errorCode]);
      expect((await f.send({ method: 'GET', bucket: b, key: 'obj' })).text).toBe('previous');
      expect(tmp()).toEqual([]);
      expect((await f.send({ method: 'PUT', bucket: b, key: 'obj', body: body(3 * PART, 2) })).status).toBe(200);

      const id = await initiate(f, b, 'mp');
      f.emu.faults.add({ op: 'UploadPart', bucket: b, diskError });
      const part = await f.send({
        method: 'PUT',
        bucket: b,
        key: 'mp',
        query: `partNumber=1&uploadId=${id}`,
        body: body(PART, 3),
      });
      expect([part.status, code(part)]).toEqual([status, errorCode]);
      expect((await f.send({ method: 'GET', bucket: b, key: 'mp', query: `uploadId=${id}` })).text).not.toContain(
        '<ns2:Part>',
      );
      expect(tmp()).toEqual([]);
      const retry = await f.send({
        method: 'PUT',
        bucket: b,
        key: 'mp',
        query: `partNumber=1&uploadId=${id}`,
        body: body(PART, 3),
      });
      expect(retry.status).toBe(200);
    });
  }

  it('a failed Complete (disk full while assembling) keeps the upload, so Complete can be retried', async () => {
    const b = await createBucket(f);
    const id = await initiate(f, b, 'big');
    const etags = [];
    for (const n of [1, 2]) {
      const res = await f.send({
        method: 'PUT',
        bucket: b,
        key: 'big',
        query: `partNumber=${n}&uploadId=${id}`,
        body: body(PART, n),
      });
      etags.push(String(res.headers.etag));
    }
    f.emu.faults.add({ op: 'CompleteMultipartUpload', bucket: b, diskError: 'ENOSPC' });
    const failed = await f.send({
      method: 'POST',
      bucket: b,
      key: 'big',
      query: `uploadId=${id}`,
      body: completeXml(etags),
    });
    expect([failed.status, code(failed)]).toEqual([503, 'ServiceUnavailable']);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'big' })).status).toBe(404);
    expect(tmp()).toEqual([]);
    const done = await f.send({
      method: 'POST',
      bucket: b,
      key: 'big',
      query: `uploadId=${id}`,
      body: completeXml(etags),
    });
    expect(done.status).toBe(200);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'big' })).headers['content-length']).toBe(String(2 * PART));
  });

  it('refuses an unknown diskError', () => {
    expect(() => f.emu.faults.add({ op: 'PutObject', diskError: 'EPERM' as 'EIO' })).toThrow(/diskError/);
  });
});

describe('a crash between committing Complete and removing the upload', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('leaves the object and no upload in progress after a restart', async () => {
    const dir = tempDir();
    dirs.push(dir);
    let crash = true;
    const emu = await start(
      {
        testHooks: {
          afterCompleteCommit: () => {
            if (crash) throw new Error('simulated crash after the commit point');
          },
        },
      },
      dir,
    );
    const f = { send: (r: Parameters<typeof send>[1]) => send(emu.url, r) };
    const b = 'crash-bucket';
    await f.send({ method: 'PUT', bucket: b, key: '' });
    const id = await initiate(f, b, 'done');
    const part = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'done',
      query: `partNumber=1&uploadId=${id}`,
      body: 'whole',
    });
    const other = await initiate(f, b, 'pending');
    const error = console.error;
    console.error = () => {};
    try {
      const res = await f.send({
        method: 'POST',
        bucket: b,
        key: 'done',
        query: `uploadId=${id}`,
        body: completeXml([String(part.headers.etag)]),
      });
      expect(res.status).toBe(500);
    } finally {
      console.error = error;
    }
    // The crashed process would still list the upload: that is the state on disk.
    expect(xmlAll((await f.send({ method: 'GET', bucket: b, key: '', query: 'uploads' })).text, 'UploadId')).toContain(
      id,
    );
    await emu.close();

    crash = false;
    const again = await start({}, dir);
    try {
      const g = { send: (r: Parameters<typeof send>[1]) => send(again.url, r) };
      expect((await g.send({ method: 'GET', bucket: b, key: 'done' })).text).toBe('whole');
      const uploads = xmlAll((await g.send({ method: 'GET', bucket: b, key: '', query: 'uploads' })).text, 'UploadId');
      expect(uploads).toEqual([other]);
      expect(readdirSync(join(dir, 'buckets', b, 'uploads'))).toEqual([other]);
    } finally {
      await again.close();
    }
  });
});
