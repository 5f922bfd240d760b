/**
 * The V4 signing key is derived once per (secret, day, region, service, namespace) and kept in a
 * small cache: counted through WebCrypto's importKey, which only a derivation calls (five times:
 * the secret and four HMAC steps). A signature itself is one digest and one HMAC.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createV4Signer } from '@ks3/core';
import type { SignRequest } from '../../src/sign/types.js';
import { createSigningKeyCache } from '../../src/sign/v4-key.js';
import { NAMESPACES } from '../../src/sign/v4-canonical.js';

const DAY = 86_400_000;
const t0 = Date.UTC(2025, 0, 1, 12);
const request = (time = t0): SignRequest => ({
  method: 'GET',
  url: 'https://b.ks3-cn-beijing.ksyuncs.com/k',
  query: [],
  headers: {},
  payloadHash: 'UNSIGNED-PAYLOAD',
  time,
});

afterEach(() => vi.restoreAllMocks());

describe('signing key cache', () => {
  test('a day of requests derives the key once; a new day, secret or region derives again', async () => {
    let secret = 'secret-1';
    const sign = createV4Signer({
      credentials: async () => ({ accessKeyId: 'AK', secretAccessKey: secret }),
      region: 'BEIJING',
    });
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const hmac = vi.spyOn(crypto.subtle, 'sign');
    const derivations = () => importKey.mock.calls.length / 5;

    const first = await sign(request());
    expect(derivations()).toBe(1);
    expect(hmac).toHaveBeenCalledTimes(4 + 1); // four derivation steps, one signature
    for (let i = 1; i <= 20; i++) await sign(request(t0 + i * 60_000));
    expect(derivations()).toBe(1);
    expect(digest).toHaveBeenCalledTimes(21); // one SHA-256 per request
    expect(hmac).toHaveBeenCalledTimes(4 + 21); // one HMAC per request
    expect(await sign(request())).toEqual(first); // the cached key signs as a fresh one did

    await sign(request(t0 + DAY));
    expect(derivations()).toBe(2);
    secret = 'secret-2';
    await sign(request(t0 + DAY));
    expect(derivations()).toBe(3);
    const other = createV4Signer({
      credentials: async () => ({ accessKeyId: 'AK', secretAccessKey: 'x' }),
      region: 'SHANGHAI',
    });
    await other(request());
    await other(request());
    expect(derivations()).toBe(4);
  });

  test('holds at most its size, evicting the least recently used key', async () => {
    const cache = createSigningKeyCache(3);
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const derivations = () => importKey.mock.calls.length / 5;
    const get = (day: number) => cache.get('s', `2025010${day}T000000Z`, 'BEIJING', 'ks3', NAMESPACES.kss);
    for (const day of [1, 2, 3]) await get(day);
    expect(cache.size).toBe(3);
    await get(1); // now the most recent
    expect(derivations()).toBe(3);
    await get(4); // evicts day 2, the least recently used
    expect(cache.size).toBe(3);
    await get(1);
    await get(3);
    expect(derivations()).toBe(4);
    await get(2);
    expect(derivations()).toBe(5);
    for (let day = 1; day <= 9; day++) await get(day);
    expect(cache.size).toBe(3);
  });

  test('a failed derivation is not cached', async () => {
    const cache = createSigningKeyCache(2);
    const importKey = vi.spyOn(crypto.subtle, 'importKey').mockRejectedValueOnce(new Error('boom'));
    await expect(cache.get('s', '20250101T000000Z', 'R', 'ks3', NAMESPACES.kss)).rejects.toThrow('boom');
    await Promise.resolve();
    expect(cache.size).toBe(0);
    await expect(cache.get('s', '20250101T000000Z', 'R', 'ks3', NAMESPACES.kss)).resolves.toBeDefined();
    expect(importKey).toHaveBeenCalledTimes(1 + 5);
  });

  test('keys differ by namespace and service', async () => {
    const cache = createSigningKeyCache(8);
    const a = await cache.get('s', '20250101T000000Z', 'R', 'ks3', NAMESPACES.kss);
    const b = await cache.get('s', '20250101T000000Z', 'R', 'ks3', NAMESPACES.aws);
    const c = await cache.get('s', '20250101T000000Z', 'R', 's3', NAMESPACES.kss);
    expect(new Set([a, b, c]).size).toBe(3);
    expect((a as CryptoKey).extractable).toBe(false);
    expect((a as CryptoKey).usages).toEqual(['sign']);
  });
});
