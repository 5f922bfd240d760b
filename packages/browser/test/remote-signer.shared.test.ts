/**
 * createRemoteSigner against scripted backends (Node and Chromium): refusals become typed
 * credentials errors carrying the backend's code (retryable only for 5xx/429), broken answers
 * are named, and batching sends a burst as one array and answers each caller from its entry.
 */
import { describe, expect, test } from 'vitest';
import type { SignRequest } from '@ks3/core';
import { createRemoteSigner } from '../src/remote-signer.js';

const request = (key: string): SignRequest => ({
  method: 'GET',
  url: `https://b.example.com/${key}`,
  bucket: 'b',
  key,
  query: [],
  headers: {},
  payloadHash: 'UNSIGNED-PAYLOAD',
  time: 0,
});

const answering =
  (status: number, body: unknown, seen: unknown[] = []): typeof fetch =>
  async (_url, init) => {
    seen.push(JSON.parse(String(init?.body)));
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };

describe('createRemoteSigner', () => {
  test('a signed answer is returned as it is', async () => {
    const signed = { url: 'https://b.example.com/k?sig', headers: { authorization: 'x' } };
    const sign = createRemoteSigner('/sign', { fetch: answering(200, signed) });
    expect(await sign(request('k'))).toEqual(signed);
  });

  test.each([
    [403, { error: { code: 'KeyNotAllowed', message: 'outside' } }, 'KeyNotAllowed', false],
    [500, { error: { code: 'SigningFailed' } }, 'SigningFailed', true],
    [429, 'slow down', 'SignerAnswered429', true],
    [502, '<html>bad gateway</html>', 'SignerAnswered502', true],
  ])('status %i is a Ks3CredentialsError with code and retryable', async (status, body, code, retryable) => {
    const sign = createRemoteSigner('/sign', { fetch: answering(status, body) });
    const err = await sign(request('k')).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3CredentialsError', code, status, retryable });
  });

  test('an answer that is not { url, headers } is named', async () => {
    for (const body of [{ url: 1 }, 'null', '{"headers":{}}']) {
      const sign = createRemoteSigner('/sign', { fetch: answering(200, body) });
      await expect(sign(request('k'))).rejects.toThrow(/did not answer \{ url, headers \}/);
    }
  });

  test('batching: a burst is one POST of an array; each caller gets its entry', async () => {
    const seen: unknown[] = [];
    const backend: typeof fetch = async (_url, init) => {
      const items = JSON.parse(String(init?.body)) as SignRequest[];
      seen.push(items);
      const answers = items.map((r) =>
        r.key === 'bad' ? { error: { code: 'KeyNotAllowed' } } : { url: `${r.url}?signed`, headers: {} },
      );
      return new Response(JSON.stringify(answers));
    };
    const sign = createRemoteSigner('/sign', { fetch: backend, batch: { maxSize: 4 } });
    const results = await Promise.allSettled(['a', 'b', 'bad', 'c', 'd', 'e'].map((k) => sign(request(k))));
    expect(seen.map((s) => (s as unknown[]).length)).toEqual([4, 2]);
    expect(
      results.map((r) => (r.status === 'fulfilled' ? r.value.url.slice(-8) : (r.reason as { code: string }).code)),
    ).toEqual(['a?signed', 'b?signed', 'KeyNotAllowed', 'c?signed', 'd?signed', 'e?signed']);
  });

  test('batching: one request goes alone; a batch answered with the wrong shape fails every caller', async () => {
    const seen: unknown[] = [];
    const single = createRemoteSigner('/sign', { fetch: answering(200, { url: 'u', headers: {} }, seen), batch: true });
    await single(request('k'));
    expect(Array.isArray(seen[0])).toBe(false);
    const wrong = createRemoteSigner('/sign', { fetch: answering(200, [{ url: 'u', headers: {} }]), batch: true });
    const results = await Promise.allSettled([wrong(request('a')), wrong(request('b'))]);
    for (const r of results) expect(r).toMatchObject({ status: 'rejected', reason: { name: 'Ks3CredentialsError' } });
  });

  test('batching: an aborted caller stops waiting with its reason', async () => {
    let release: () => void = () => {};
    const slow: typeof fetch = () =>
      new Promise((r) => (release = () => r(new Response(JSON.stringify({ url: 'u', headers: {} })))));
    const sign = createRemoteSigner('/sign', { fetch: slow, batch: true });
    const ac = new AbortController();
    const p = sign(request('k'), ac.signal);
    const reason = new Error('user left');
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    release();
  });
});
