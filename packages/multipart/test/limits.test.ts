/** The part-size plan against KS3's limits (ks3-protocol.md §8), and stream length checks. */
import { describe, expect, test } from 'vitest';
import { choosePartSize, DEFAULT_PART_SIZE, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, upload } from '@ks3/multipart';
import { KiB, MiB, pseudoRandomBytes, streamOf, uploadsOf, useBucket } from './helpers.js';

const GiB = 1024 * MiB;

describe('choosePartSize', () => {
  test('defaults to 8 MiB, growing in whole MiB so that 10,000 parts hold the object', () => {
    expect(choosePartSize(undefined)).toBe(DEFAULT_PART_SIZE);
    expect(choosePartSize(0)).toBe(8 * MiB);
    expect(choosePartSize(80 * GiB)).toBe(9 * MiB);
    expect(choosePartSize(1000 * GiB)).toBe(103 * MiB);
    for (const size of [1, 78 * GiB, 78.2 * GiB, 1234567 * MiB, 48 * 1024 * GiB]) {
      const p = choosePartSize(size);
      expect(p % MiB, String(size)).toBe(0);
      expect(Math.ceil(size / p), String(size)).toBeLessThanOrEqual(MAX_PARTS);
      expect(p, String(size)).toBeLessThanOrEqual(MAX_PART_SIZE);
    }
    expect(() => choosePartSize(MAX_PARTS * MAX_PART_SIZE + 1)).toThrow(/largest object/);
  });

  test('checks a requested size', () => {
    expect(choosePartSize(10 * MiB, MIN_PART_SIZE)).toBe(MIN_PART_SIZE);
    expect(choosePartSize(undefined, MAX_PART_SIZE)).toBe(MAX_PART_SIZE);
    expect(() => choosePartSize(undefined, MIN_PART_SIZE - 1)).toThrow(/partSize/);
    expect(() => choosePartSize(undefined, MAX_PART_SIZE + 1)).toThrow(/partSize/);
    expect(() => choosePartSize(undefined, MAX_PART_SIZE, true)).toThrow(/partSize/);
    expect(() => choosePartSize(undefined, 1.5 * MiB + 8, true)).toThrow(/multiple of 16/);
    expect(choosePartSize(undefined, 1.5 * MiB + 8)).toBe(1.5 * MiB + 8);
    expect(() => choosePartSize(MIN_PART_SIZE * MAX_PARTS + 1, MIN_PART_SIZE)).toThrow(
      /more than 10,000 parts; use at least 102401/,
    );
  });
});

describe('stream lengths', () => {
  const env = useBucket('mp-lengths');
  test('a stream shorter or longer than its size fails, and leaves no upload', async () => {
    const data = pseudoRandomBytes(300 * KiB, 31);
    for (const [size, message] of [
      [data.length + 1, 'ended after'],
      [data.length - 1, 'more bytes'],
      [50 * KiB, 'more bytes'],
      [50 * KiB + 1, 'more bytes'],
    ] as const) {
      const key = `len/${size}`;
      const err = (await upload(env.client, {
        bucket: env.bucket,
        key,
        body: streamOf(data, 20_000),
        size,
        partSize: 100 * KiB,
      }).catch((e: unknown) => e)) as Error;
      expect(err, String(size)).toMatchObject({ name: 'Ks3InputError', param: 'size' });
      expect(err.message, String(size)).toContain(message);
      expect(await uploadsOf(env, key)).toEqual([]);
    }
  });

  test('a stream of unknown length longer than 10,000 parts is refused at part 10,001', async () => {
    // 10,001 parts of 100 KiB without sending them: a fetch that answers every part at once.
    const fake: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT') return new Response(null, { status: 200, headers: { etag: '"x"' } });
      return fetch(input, init);
    };
    let made = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (made++ > MAX_PARTS + 5) return c.close();
        c.enqueue(new Uint8Array(100 * KiB));
      },
    });
    const err = await upload(env.make({ fetch: fake }), {
      bucket: env.bucket,
      key: 'too-many',
      body,
      partSize: 100 * KiB,
      concurrency: 16,
      contentMd5: false,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3InputError', param: 'partSize' });
    expect(await uploadsOf(env, 'too-many')).toEqual([]);
  }, 60_000);
});
