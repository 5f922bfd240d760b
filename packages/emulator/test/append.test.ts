/** Append Object: POST /{key}?append&position=N. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator, type Fixture } from './helpers/emulator.js';
import { CREDS, code, md5b64, md5hex, xml1 } from './helpers/ks3.js';
import { openSocket, signedHead, within } from './helpers/sockets.js';
import { sendV4, sha256 } from './helpers/v4-client.js';

function append(f: Fixture, bucket: string, key: string, position: number | string, body: string, headers = {}) {
  return f.send({ method: 'POST', bucket, key, query: `append&position=${position}`, body, headers });
}

describe('?append', () => {
  const f = useEmulator();

  it('creates an Appendable object at 0 and appends at its length; HEAD and listings show the type', async () => {
    const b = await createBucket(f);
    const first = await append(f, b, 'log', 0, 'hello', {
      'Content-Type': 'text/plain',
      'x-kss-meta-origin': 'app',
      'Content-MD5': md5b64('hello'),
    });
    expect([first.status, first.headers['x-kss-next-append-position'], first.headers.etag]).toEqual([
      200,
      '5',
      `"${md5hex('hello')}"`,
    ]);
    const second = await append(f, b, 'log', 5, ' world', {
      'Content-Type': 'image/png',
      'Content-MD5': md5b64(' world'),
    });
    expect([second.status, second.headers['x-kss-next-append-position'], second.headers.etag]).toEqual([
      200,
      '11',
      `"${md5hex('hello world')}"`,
    ]);
    const get = await f.send({ method: 'GET', bucket: b, key: 'log' });
    expect([get.text, get.headers['content-type'], get.headers['x-kss-meta-origin']]).toEqual([
      'hello world',
      'text/plain',
      'app',
    ]);
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'log' });
    expect([head.headers['x-kss-object-type'], head.headers['x-kss-next-append-position']]).toEqual([
      'Appendable',
      '11',
    ]);
    expect(xml1((await f.send({ method: 'GET', bucket: b, key: '' })).text, 'Type')).toBe('Appendable');
    expect(xml1((await f.send({ method: 'GET', bucket: b, key: '', query: 'list-type=2' })).text, 'Type')).toBe(
      'Appendable',
    );
    const empty = await append(f, b, 'log', 11, '');
    expect([empty.status, empty.headers['x-kss-next-append-position']]).toEqual([200, '11']);
  });

  it('a wrong position is 409 PositionNotEqualToLength with the next one; normal objects are refused', async () => {
    const b = await createBucket(f);
    const missing = await append(f, b, 'new', 3, 'x');
    expect([missing.status, code(missing), missing.headers['x-kss-next-append-position']]).toEqual([
      409,
      'PositionNotEqualToLength',
      '0',
    ]);
    await append(f, b, 'a', 0, 'abc');
    for (const pos of [0, 2, 4]) {
      const res = await append(f, b, 'a', pos, 'x');
      expect([pos, res.status, code(res), res.headers['x-kss-next-append-position']]).toEqual([
        pos,
        409,
        'PositionNotEqualToLength',
        '3',
      ]);
    }
    expect((await f.send({ method: 'GET', bucket: b, key: 'a' })).text).toBe('abc');
    await putObject(f, b, 'normal', 'x');
    const normal = await append(f, b, 'normal', 1, 'y');
    expect([normal.status, code(normal)]).toEqual([409, 'ObjectNotAppendable']);
    // A PUT over an appendable object makes it a normal one.
    await putObject(f, b, 'a', 'replaced');
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'a' })).headers['x-kss-object-type']).toBeUndefined();
    expect(code(await append(f, b, 'a', 8, 'z'))).toBe('ObjectNotAppendable');
  });

  it('refuses bad positions, wrong digests, archive classes and oversize appends, keeping the object', async () => {
    const b = await createBucket(f);
    await append(f, b, 'k', 0, 'base');
    for (const pos of ['', '-1', 'x', '1.5']) {
      const res = await append(f, b, 'k', pos, 'x');
      expect([pos, res.status, code(res)]).toEqual([pos, 400, 'InvalidArgument']);
    }
    const noPosition = await f.send({ method: 'POST', bucket: b, key: 'k', query: 'append', body: 'x' });
    expect([noPosition.status, code(noPosition)]).toEqual([400, 'InvalidArgument']);
    const digest = await append(f, b, 'k', 4, 'more', { 'Content-MD5': md5b64('other') });
    expect([digest.status, code(digest)]).toEqual([400, 'BadDigest']);
    const archive = await append(f, b, 'cold', 0, 'x', { 'x-kss-storage-class': 'ARCHIVE' });
    expect([archive.status, code(archive)]).toEqual([400, 'InvalidStorageClass']);
    const huge = await f.send({
      method: 'POST',
      bucket: b,
      key: 'k',
      query: 'append&position=4',
      headers: { 'Content-Length': String(5 * 1024 ** 3) },
    });
    expect([huge.status, code(huge)]).toEqual([400, 'EntityTooLarge']);
    const onBucket = await f.send({ method: 'POST', bucket: b, key: '', query: 'append&position=0', body: 'x' });
    expect([onBucket.status, code(onBucket)]).toEqual([405, 'MethodNotAllowed']);
    const get = await f.send({ method: 'GET', bucket: b, key: 'k' });
    expect([get.text, get.headers['x-kss-next-append-position']]).toEqual(['base', '4']);
  });

  it('parallel appends at one position: exactly one wins, the others get 409', async () => {
    const b = await createBucket(f);
    await append(f, b, 'race', 0, 'start;');
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => append(f, b, 'race', 6, `w${i};`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) {
      expect([r.status, code(r), r.headers['x-kss-next-append-position']]).toEqual([
        409,
        'PositionNotEqualToLength',
        '9',
      ]);
    }
    expect((await f.send({ method: 'GET', bucket: b, key: 'race' })).text).toMatch(/^start;w\d;$/);
  });

  it('versioned buckets: appends extend the current version in place', async () => {
    const b = await createBucket(f);
    const on = '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
    await f.send({ method: 'PUT', bucket: b, key: '', query: 'versioning', body: on });
    const created = await append(f, b, 'v', 0, 'one');
    const id = created.headers['x-kss-version-id'];
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const more = await append(f, b, 'v', 3, 'two');
    expect(more.headers['x-kss-version-id']).toBe(id);
    const versions = await f.send({ method: 'GET', bucket: b, key: '', query: 'versions' });
    expect(versions.text.match(/<Version>/g)).toHaveLength(1);
    expect((await f.send({ method: 'GET', bucket: b, key: 'v', query: `versionId=${id}` })).text).toBe('onetwo');
  });
});

describe('?append bodies are uploads like any other', () => {
  const f = useEmulator({ maxConcurrentUploads: 1, idleTimeoutMs: 800 });

  it('checks a V4 payload hash, maps write failures to retryable 5xx, and takes an upload slot', async () => {
    const b = await createBucket(f);
    await append(f, b, 'log', 0, 'base');
    const v4 = (body: string, payload?: string) =>
      sendV4(f.url, {
        method: 'POST',
        bucket: b,
        key: 'log',
        query: [
          ['append', ''],
          ['position', '4'],
        ],
        body,
        creds: CREDS,
        payload,
      });
    const wrong = await v4('more', sha256('other'));
    expect([wrong.status, code(wrong)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    expect((await f.send({ method: 'GET', bucket: b, key: 'log' })).text).toBe('base');
    f.emu.faults.add({ op: 'AppendObject', bucket: b, diskError: 'ENOSPC' });
    const full = await append(f, b, 'log', 4, 'more');
    expect([full.status, code(full)]).toEqual([503, 'ServiceUnavailable']);
    expect((await v4('more')).status).toBe(200);
    expect((await f.send({ method: 'GET', bucket: b, key: 'log' })).text).toBe('basemore');
    // One stalled PUT holds the only slot: an append is 503 SlowDown until it times out.
    const s = await openSocket(f.url);
    s.socket.write(signedHead('PUT', `/${b}/stalled`, { 'Content-Length': '100' }));
    s.socket.write('x');
    await sleep(100);
    const busy = await append(f, b, 'log', 8, '!');
    expect([busy.status, code(busy)]).toEqual([503, 'SlowDown']);
    await within(s.closed, 5000);
    let ok = await append(f, b, 'log', 8, '!');
    for (let i = 0; i < 50 && ok.status === 503; i++) {
      await sleep(20);
      ok = await append(f, b, 'log', 8, '!');
    }
    expect(ok.status).toBe(200);
  });
});
