/** Contract: client-side encryption through a real endpoint, for every body type, ranges and multipart. */
import { describe, expect, test } from 'vitest';
import type * as Core from '@ks3/core';
import { firstDifference, pseudoRandomBytes, type ContractContext } from './contract.js';
import { TEST_CREDENTIALS } from './credentials.js';

const KEY = 'ks3-demo-key-16b';

export function encryptionSuite(get: () => ContractContext): void {
  describe('client-side encryption', () => {
    const enc = (key: string | Uint8Array = KEY, extra: Partial<Core.ClientConfig> = {}): Core.Client =>
      get().api.createClient({
        ...get().config,
        ...TEST_CREDENTIALS,
        retries: 0,
        encryption: { key },
        ...extra,
      });

    test('every body type and size round-trips, stored in the Python SDK format', async () => {
      const { api, client, bucket } = get();
      const e = enc();
      for (const size of [0, 1, 15, 16, 17, 8192, 150_003]) {
        const data = pseudoRandomBytes(size, size + 1);
        const stream = (): ReadableStream<Uint8Array> =>
          new ReadableStream({ start: (c) => (size && c.enqueue(data.slice()), c.close()) });
        const bodies: [string, Core.Body, number?][] = [
          ['bytes', data],
          ['arraybuffer', data.slice().buffer],
          ['blob', new Blob([data])],
          ['stream', stream(), size],
          ['stream-unsized', stream()],
        ];
        for (const [name, body, contentLength] of bodies) {
          const key = `enc/${size}/${name}`;
          await api.putObject(e, {
            bucket,
            key,
            body,
            ...(contentLength !== undefined ? { size: contentLength } : {}),
          });
          const got = await api.getObject(e, { bucket, key });
          expect(got.contentLength, key).toBe(size);
          expect(firstDifference(await got.bytes(), data), key).toBe(-1);
          const raw = await api.getObject(client, { bucket, key });
          const stored = await raw.bytes();
          if (size === 0) {
            expect(stored.length, key).toBe(0);
            expect(raw.metadata.iv, key).toBeUndefined();
          } else {
            expect(stored.length, key).toBe(16 + 16 * (Math.floor(size / 16) + 1));
            expect(raw.metadata, key).toMatchObject({
              key: 'OTQwMjgwMzllNzZhOGYwOTdkNDc2NzUwMGJlNjQzMWY=',
              'unencrypted-content-length': String(size),
            });
          }
        }
      }
      await api.putObject(e, { bucket, key: 'enc/text', body: '加密 ✓ text' });
      expect(await (await api.getObject(e, { bucket, key: 'enc/text' })).text()).toBe('加密 ✓ text');
      await api.putObject(e, { bucket, key: 'enc/no-md5', body: 'x', contentMd5: false });
      expect(await (await api.getObject(e, { bucket, key: 'enc/no-md5' })).text()).toBe('x');
      await expect(api.putObject(e, { bucket, key: 'enc/bad', body: 'x', contentMd5: 'abc' })).rejects.toMatchObject({
        name: 'Ks3InputError',
        param: 'contentMd5',
      });
    });

    test('ranged reads of an encrypted object fetch the block before as IV', async () => {
      const { api, bucket } = get();
      const e = enc();
      const data = pseudoRandomBytes(5000, 99);
      await api.putObject(e, { bucket, key: 'enc/range', body: data });
      for (const [start, end] of [
        [0, 0],
        [0, 15],
        [1, 16],
        [16, 31],
        [100, 2000],
        [4990, 4999],
        [4999, undefined],
        [3000, undefined],
        [17, 17],
      ] as const) {
        const part = await api.getObject(e, {
          bucket,
          key: 'enc/range',
          range: end === undefined ? { start } : { start, end },
        });
        const want = data.subarray(start, end === undefined ? undefined : end + 1);
        expect(firstDifference(await part.bytes(), want), `${start}-${end}`).toBe(-1);
        expect(part.range, `${start}-${end}`).toEqual({ start, end: start + want.length - 1, total: 5000 });
      }
      const beyond = (await api
        .getObject(e, { bucket, key: 'enc/range', range: { start: 5003 } })
        .catch((x: unknown) => x)) as Core.Ks3ServiceError;
      expect(beyond).toMatchObject({ status: 416, code: 'InvalidRange' });
    });

    test('a wrong key, a tampered byte, a truncated body and a plain object each give a clear error', async () => {
      const { api, client, bucket } = get();
      const e = enc();
      const data = pseudoRandomBytes(70_000, 5);
      await api.putObject(e, { bucket, key: 'enc/victim', body: data });
      const wrong = (await api
        .getObject(enc('another-key-16by'), { bucket, key: 'enc/victim' })
        .catch((x: unknown) => x)) as Error;
      expect(wrong).toMatchObject({ name: 'Ks3IntegrityError' });
      expect(wrong.message).toContain('wrong key');
      const raw = await api.getObject(client, { bucket, key: 'enc/victim' });
      const stored = await raw.bytes();
      const metadata = raw.metadata;
      const tampered = stored.slice();
      tampered[1000] = tampered[1000]! ^ 1;
      await api.putObject(client, { bucket, key: 'enc/tampered', body: tampered, metadata });
      await expect((await api.getObject(e, { bucket, key: 'enc/tampered' })).bytes()).rejects.toMatchObject({
        name: 'Ks3IntegrityError',
      });
      await api.putObject(client, {
        bucket,
        key: 'enc/truncated',
        body: stored.subarray(0, stored.length - 16),
        metadata,
      });
      await expect((await api.getObject(e, { bucket, key: 'enc/truncated' })).bytes()).rejects.toMatchObject({
        name: 'Ks3IntegrityError',
      });
      await api.putObject(client, { bucket, key: 'enc/cut', body: stored.subarray(0, stored.length - 5), metadata });
      await expect((await api.getObject(e, { bucket, key: 'enc/cut' })).bytes()).rejects.toMatchObject({
        name: 'Ks3IntegrityError',
      });
      await api.putObject(client, { bucket, key: 'enc/plain', body: 'not encrypted' });
      await expect(api.getObject(e, { bucket, key: 'enc/plain' })).rejects.toMatchObject({ name: 'Ks3IntegrityError' });
    });

    test('multipart: parts read from a ReadableStream, chained through a saved state; one part retried alone', async () => {
      const { api, bucket } = get();
      const e = enc();
      const data = pseudoRandomBytes(350_011, 8);
      const source = new ReadableStream<Uint8Array>({
        start: (c) => {
          for (let i = 0; i < data.length; i += 40_000) c.enqueue(data.slice(i, i + 40_000));
          c.close();
        },
      });
      const mp = await api.initiateMultipartUpload(e, { bucket, key: 'enc/mp' });
      const reader = source.getReader();
      const PART = 112 * 1024; // a multiple of 16, over KS3's 100 KB minimum once encrypted
      let buffered: Uint8Array<ArrayBuffer> = new Uint8Array(0);
      let done = false;
      let state = mp.encryptionState!;
      const parts: Core.CompletedPart[] = [];
      while (!done || buffered.length) {
        while (!done && buffered.length < PART + 1) {
          const r = await reader.read();
          if (r.done) done = true;
          else buffered = concat(buffered, r.value);
        }
        const isLastPart = done && buffered.length <= PART;
        const body = isLastPart ? buffered : buffered.subarray(0, PART);
        buffered = isLastPart ? new Uint8Array(0) : buffered.slice(PART);
        const partNumber = parts.length + 1;
        const before = state;
        const up = await api.uploadPart(e, { ...mp, partNumber, body, encryptionState: state, isLastPart });
        if (partNumber === 2) {
          // The same part again from the same saved state: identical ciphertext (same ETag).
          const again = await api.uploadPart(e, {
            ...mp,
            partNumber,
            body,
            encryptionState: JSON.parse(JSON.stringify(before)),
            isLastPart,
          });
          expect(again.etag).toBe(up.etag);
        }
        parts.push({ partNumber, etag: up.etag });
        state = up.encryptionState!;
      }
      expect(parts).toHaveLength(4);
      await api.completeMultipartUpload(e, { ...mp, parts });
      const got = await api.getObject(e, { bucket, key: 'enc/mp' });
      expect(firstDifference(await got.bytes(), data)).toBe(-1);
      await expect(
        api.uploadPart(e, {
          ...mp,
          partNumber: 9,
          body: new Uint8Array(17),
          encryptionState: state,
          isLastPart: false,
        }),
      ).rejects.toMatchObject({ name: 'Ks3InputError' });
    });
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
