/**
 * The MD5 worker pool (issue 14.3): digests equal node:crypto's for shared buffers (hashed in
 * place), plain bytes of several pieces (copied), empty input and many sessions at once; a
 * cancelled session frees its pieces; bad options are input errors; and `upload()` of this
 * package hashes its parts there by default.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createMd5Pool, defaultMd5Pool, getObject, isKs3InputError, upload } from '@ks3/node';
import { firstDifference, pseudoRandomBytes, streamOf, useBucket } from '../../multipart/test/helpers.js';

const MiB = 1 << 20;
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

afterEach(() => vi.restoreAllMocks());

describe('createMd5Pool', () => {
  const pool = createMd5Pool({ threads: 2 });

  test('shared, plain (several pieces, odd sizes) and empty inputs, 8 sessions at once', async () => {
    const inputs = [
      pool.allocate!(3 * MiB + 5),
      pseudoRandomBytes(5 * MiB + 123, 1),
      new Uint8Array(0),
      pseudoRandomBytes(1, 2),
      pseudoRandomBytes(MiB, 3),
      pseudoRandomBytes(2 * MiB - 1, 4),
      pseudoRandomBytes(17, 5),
      pseudoRandomBytes(4 * MiB, 6),
    ];
    inputs[0]!.set(pseudoRandomBytes(3 * MiB + 5, 7));
    const digests = await Promise.all(
      inputs.map(async (bytes) => {
        const s = pool.session();
        // In two updates, to check that a session keeps its state across them.
        const cut = bytes.length >> 1;
        await s.update(bytes.subarray(0, cut));
        await s.update(bytes.subarray(cut));
        return hex(await s.digest());
      }),
    );
    expect(digests).toEqual(inputs.map(md5));
  });

  test('the caller may reuse plain bytes once update settles (they were copied)', async () => {
    const bytes = pseudoRandomBytes(3 * MiB, 8);
    const expected = md5(bytes);
    const s = pool.session();
    await s.update(bytes);
    bytes.fill(0);
    expect(hex(await s.digest())).toBe(expected);
  });

  test('a cancelled session leaves the pool working', async () => {
    for (let i = 0; i < 5; i++) {
      const s = pool.session();
      void s.update(pseudoRandomBytes(6 * MiB, 9));
      s.cancel();
    }
    const bytes = pseudoRandomBytes(2 * MiB, 10);
    const s = pool.session();
    await s.update(bytes);
    expect(hex(await s.digest())).toBe(md5(bytes));
  });

  test('a process exits once its hashing is done: idle threads, and threads never used, hold nothing', async () => {
    // Threads are started together (the second one gets no work here); a session dropped without
    // a digest holds nothing either. A pool that kept the process alive would hang the child.
    const script = `
      import { createMd5Pool } from ${JSON.stringify(resolve(import.meta.dirname, '../dist/index.mjs'))};
      const pool = createMd5Pool({ threads: 2 });
      const s = pool.session();
      await s.update(new Uint8Array(10));
      await s.digest();
      await pool.session().update(new Uint8Array(3));
      console.log('hashed');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const how = await new Promise<number | string>((done) => {
      const stuck = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', (code, signal) => {
        clearTimeout(stuck);
        done(code ?? signal ?? 'unknown');
      });
    });
    expect({ how, out: out.trim() }).toEqual({ how: 0, out: 'hashed' });
  }, 90_000);

  test('threads must be 1..64', () => {
    for (const threads of [0, 1.5, 65]) {
      let err: unknown;
      try {
        createMd5Pool({ threads });
      } catch (e) {
        err = e;
      }
      expect(isKs3InputError(err) && err.param).toBe('threads');
    }
  });
});

describe('upload() of @ks3/node', () => {
  const env = useBucket('node-md5-pool');

  test('hashes its parts in the default pool, in part buffers the pool allocated', async () => {
    const pool = defaultMd5Pool();
    const sessions = vi.spyOn(pool, 'session');
    const allocate = vi.spyOn(pool, 'allocate');
    const data = pseudoRandomBytes(6 * MiB + 3, 11);
    const r = await upload(env.client, { bucket: env.bucket, key: 'k', body: streamOf(data, 100_000), partSize: MiB });
    expect(r.parts).toBe(7);
    expect(sessions).toHaveBeenCalledTimes(7);
    expect(allocate).toHaveBeenCalled();
    const back = await (await getObject(env.client, { bucket: env.bucket, key: 'k' })).bytes();
    expect(firstDifference(back, data)).toBe(-1);
  });
});
