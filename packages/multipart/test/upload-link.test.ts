/**
 * Uploads over a simulated wide-area link (internal/test-utils/link-proxy.mjs, issue 14.5): the
 * proxy delivers every byte intact through latency, jitter and stalls, and its round trip is
 * there; on a link whose connections are window-limited, the default upload() opens more than 4
 * parts at once, while a fixed `concurrency` is kept. (Node only: the proxy is a TCP server.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient, getObject, putObject } from '@ks3/core';
import { upload } from '@ks3/multipart';
import { startLinkProxy } from '../../../internal/test-utils/link-proxy.mjs';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';
import { countingFetch, firstDifference, isPartPut, KiB, pseudoRandomBytes, useBucket } from './helpers.js';

const env = useBucket('mp-link');
type Proxy = Awaited<ReturnType<typeof startLinkProxy>>;
const proxies: Proxy[] = [];

async function linkClient(o: Parameters<typeof startLinkProxy>[1], fetch?: typeof globalThis.fetch) {
  const target = new URL(env.endpoint);
  const proxy = await startLinkProxy({ host: target.hostname, port: Number(target.port) }, o);
  proxies.push(proxy);
  const client = createClient({
    endpoint: proxy.url,
    ...TEST_CREDENTIALS,
    retries: 1,
    streaming: true,
    ...(fetch ? { fetch } : {}),
  });
  return { proxy, client };
}

afterAll(async () => {
  for (const p of proxies) await p.close();
});

describe('the link proxy', () => {
  let data: Uint8Array;
  beforeAll(() => {
    data = pseudoRandomBytes(1024 * KiB + 7, 5);
  });

  test('delivers intact through latency, jitter, a window and stalls; a round trip costs at least its RTT', async () => {
    const { proxy, client } = await linkClient({
      rttMs: 80,
      mbps: 200,
      windowBytes: 64 * KiB,
      jitterMs: 10,
      stall: { everyMs: 200, forMs: 50 },
      seed: 3,
    });
    const t0 = performance.now();
    await getObject(client, { bucket: env.bucket, key: 'missing' }).catch(() => undefined);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(80);
    await putObject(client, { bucket: env.bucket, key: 'through-link', body: data });
    const back = await (await getObject(client, { bucket: env.bucket, key: 'through-link' })).bytes();
    expect(firstDifference(back, data)).toBe(-1);
    expect(proxy.stats().up).toBeGreaterThan(data.length);
    expect(proxy.stats().down).toBeGreaterThan(data.length);
  });
});

describe('adaptive concurrency through the link', () => {
  const link = { rttMs: 60, mbps: 400, windowBytes: 64 * KiB };
  const P = 128 * KiB;
  const data = pseudoRandomBytes(48 * P, 6);

  test('the default opens more than 4 parts at once on window-limited connections', async () => {
    const counter = countingFetch(isPartPut);
    const { client } = await linkClient(link, counter.fetch);
    await upload(client, { bucket: env.bucket, key: 'adaptive', body: data, partSize: P });
    expect(counter.total()).toBe(48);
    expect(counter.max()).toBeGreaterThan(4);
    const back = await (await getObject(client, { bucket: env.bucket, key: 'adaptive' })).bytes();
    expect(firstDifference(back, data)).toBe(-1);
  });

  test('a given concurrency, and maxConcurrency, are never exceeded', async () => {
    for (const o of [{ concurrency: 4 }, { maxConcurrency: 3 }]) {
      const counter = countingFetch(isPartPut);
      const { client } = await linkClient(link, counter.fetch);
      await upload(client, { bucket: env.bucket, key: 'fixed', body: data.subarray(0, 16 * P), partSize: P, ...o });
      expect(counter.max()).toBe(o.concurrency ?? o.maxConcurrency);
    }
  });
});
