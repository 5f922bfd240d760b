/**
 * Issue 15.7 as issue 9 asks it tested: an injected fetch streams whenever it can. A wrapper of
 * the global fetch (the natural way to log requests) is detected as stream-capable and gets large
 * bodies as streams; fetch-ponyfill (node-fetch 2) is detected as not, gets them from memory,
 * and still uploads them intact. Small requests never trigger the detection.
 */
import fetchPonyfill from 'fetch-ponyfill';
import { describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/node';
import { firstDifference, pseudoRandomBytes } from '../../../internal/test-utils/contract.js';
import { emulatorBucket } from '../../../internal/test-utils/wire.js';

const emu = emulatorBucket('injected');
const big = pseudoRandomBytes(3 << 20, 77);

interface Seen {
  method: string;
  stream: boolean;
  duplex: unknown;
}

/** Wraps a fetch, recording what each call was handed. */
function spy(inner: typeof fetch): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    fetch: (input, init) => {
      seen.push({
        method: init?.method ?? 'GET',
        stream: init?.body instanceof ReadableStream,
        duplex: (init as { duplex?: unknown } | undefined)?.duplex,
      });
      return inner(input, init);
    },
  };
}

describe('a wrapper of the global fetch', () => {
  test('small requests only: no detection request, nothing decided', async () => {
    const s = spy((i, init) => fetch(i, init));
    const client = emu.make({ fetch: s.fetch });
    expect(client.streaming).toBeUndefined();
    await KS3.putObject(client, { bucket: emu.bucket, key: 'small', body: 'tiny' });
    await (await KS3.getObject(client, { bucket: emu.bucket, key: 'small' })).text();
    expect(s.seen.map((x) => x.method)).toEqual(['PUT', 'GET']);
    expect(client.streaming).toBeUndefined();
  });

  test('is detected once as taking streams, and large bodies go to it as streams', async () => {
    const s = spy((i, init) => fetch(i, init));
    const client = emu.make({ fetch: s.fetch });
    await KS3.putObject(client, { bucket: emu.bucket, key: 'big-1', body: big });
    await KS3.putObject(client, { bucket: emu.bucket, key: 'big-2', body: new Blob([big]) });
    expect(client.streaming).toBe(true);
    expect(s.seen.map((x) => x.method)).toEqual(['OPTIONS', 'PUT', 'PUT']);
    for (const put of s.seen.slice(1)) expect(put).toEqual({ method: 'PUT', stream: true, duplex: 'half' });
    const got = await (await KS3.getObject(client, { bucket: emu.bucket, key: 'big-2' })).bytes();
    expect(firstDifference(got, big)).toBe(-1);
  });
});

describe('fetch-ponyfill (node-fetch 2)', () => {
  test('is detected as not taking streams: large bodies go whole, and arrive intact', async () => {
    const s = spy(fetchPonyfill().fetch as unknown as typeof fetch);
    const client = emu.make({ fetch: s.fetch });
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(big), c.close()) });
    await KS3.putObject(client, { bucket: emu.bucket, key: 'pony-big', body: stream, size: big.length });
    expect(client.streaming).toBe(false);
    // Detected once: a second large upload sends no detection request.
    await KS3.putObject(client, { bucket: emu.bucket, key: 'pony-big-2', body: big });
    expect(s.seen.map((x) => [x.method, x.stream])).toEqual([
      ['OPTIONS', true],
      ['PUT', false],
      ['PUT', false],
    ]);
    const got = await (await KS3.getObject(emu.client, { bucket: emu.bucket, key: 'pony-big' })).bytes();
    expect(firstDifference(got, big)).toBe(-1);
  });
});
