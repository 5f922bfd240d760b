/**
 * Part buffers and part MD5s (issue 14.3, 14.4): a long stream reuses the buffers of parts that
 * are done instead of making one per part, part MD5s go to the `md5Pool` when one is given (and
 * its buffers are the ones the pool allocates), a pool that fails does not fail the upload, and
 * many parts in flight do not pile listeners on one signal. (Node: it listens for warnings.)
 */
import { describe, expect, test } from 'vitest';
import { getObject } from '@ks3/core';
import { createMd5 } from '@ks3/core/crypto';
import { toHex } from '@ks3/core/internal';
import { type Md5Pool, type Md5Session, upload } from '@ks3/multipart';
import { firstDifference, KiB, md5Hex, pseudoRandomBytes, streamOf, useBucket } from './helpers.js';

const env = useBucket('mp-buffers');
const P = 128 * KiB;

/** A pool hashing on this thread, counting what it is asked to do. */
function countingPool(fail = false) {
  const seen = { allocated: 0, sessions: 0, digests: [] as string[] };
  const pool: Md5Pool = {
    allocate(n) {
      seen.allocated++;
      return new Uint8Array(n);
    },
    session(): Md5Session {
      seen.sessions++;
      const h = createMd5();
      return {
        update: async (b) => {
          if (fail) throw new Error('worker died');
          h.update(b);
        },
        digest: async () => {
          const d = h.digest();
          seen.digests.push(toHex(d));
          return d;
        },
        cancel() {},
      };
    },
  };
  return { pool, seen };
}

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('%s', (name, encrypted) => {
  test('a 40-part stream allocates at most concurrency + 2 part buffers', async () => {
    const data = pseudoRandomBytes(40 * P - 5, 41);
    const { pool, seen } = countingPool();
    const client = encrypted ? env.encrypted : env.client;
    const key = `reuse/${name}`;
    await upload(client, {
      bucket: env.bucket,
      key,
      body: streamOf(data, 20_000),
      partSize: P,
      concurrency: 3,
      md5Pool: pool,
    });
    // One buffer per part in flight, one being read ahead, one being filled (the last part's, of
    // another size, is the only other one).
    expect(seen.allocated).toBeLessThanOrEqual(3 + 3);
    expect(seen.sessions).toBe(40);
    expect(firstDifference(await (await getObject(client, { bucket: env.bucket, key })).bytes(), data)).toBe(-1);
  });
});

test('part MD5s come from the pool, and are the Content-MD5 the server checked', async () => {
  const data = pseudoRandomBytes(5 * P, 42);
  const { pool, seen } = countingPool();
  await upload(env.client, { bucket: env.bucket, key: 'pool', body: data, partSize: P, md5Pool: pool });
  const expected = Array.from({ length: 5 }, (_, i) => md5Hex(data.subarray(i * P, (i + 1) * P)));
  expect(seen.digests.sort()).toEqual(expected.sort());
});

test('a pool that fails falls back to hashing on this thread', async () => {
  const data = pseudoRandomBytes(3 * P + 1, 43);
  const { pool, seen } = countingPool(true);
  const r = await upload(env.client, {
    bucket: env.bucket,
    key: 'failing',
    body: new Blob([data]),
    partSize: P,
    md5Pool: pool,
  });
  expect(r.parts).toBe(4);
  expect(seen.sessions).toBe(4);
  expect(
    firstDifference(await (await getObject(env.client, { bucket: env.bucket, key: 'failing' })).bytes(), data),
  ).toBe(-1);
});

test('one more part is hashed ahead for bytes (no memory cost), not for a stream', async () => {
  const data = pseudoRandomBytes(8 * P, 44);
  const most: number[] = [];
  for (const body of [data, streamOf(data, 30_000)]) {
    let open = 0;
    let peak = 0;
    const pool: Md5Pool = {
      session(): Md5Session {
        const h = createMd5();
        peak = Math.max(peak, ++open);
        return {
          update: async (b) => void h.update(b),
          // Slow hashing: parts wait for their MD5, so the ones prepared ahead overlap.
          digest: () => new Promise((r) => setTimeout(() => (open--, r(h.digest())), 30)),
          cancel() {},
        };
      },
    };
    await upload(env.client, { bucket: env.bucket, key: 'ahead', body, partSize: P, concurrency: 1, md5Pool: pool });
    most.push(peak);
  }
  // The part being sent waits for its MD5, the next one is prepared (both cases); bytes add one.
  expect(most).toEqual([3, 2]);
});

test('16 parts in flight add one abort listener to the upload signal, not 16 (Node warns past 10)', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    const data = pseudoRandomBytes(40 * P, 45);
    await upload(env.client, { bucket: env.bucket, key: 'wide', body: data, partSize: P, concurrency: 16 });
    await new Promise((r) => setTimeout(r, 10)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', onWarning);
  }
  expect(warnings).not.toContain('MaxListenersExceededWarning');
});
