/**
 * Issue 9.20: `Retry-After` is honoured exactly — delta-seconds and HTTP-date forms, above the
 * backoff cap and up to `maxRetryAfter`, refused beyond it, and an abort cuts the wait. Timers
 * are faked, so each test knows to the millisecond when the retry is sent: one that ignored
 * Retry-After (backoff alone) or capped it wrongly would send it at another time.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createClient, headObject, type Ks3ServiceError } from '@ks3/core';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const realTimeout = globalThis.setTimeout.bind(globalThis);

/** Lets real I/O and microtasks run (fake timers do not move). */
const tick = () => new Promise<void>((r) => realTimeout(r, 1));

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await tick();
  if (!cond()) throw new Error(`never happened: ${what}`);
}

function busyThenOk(retryAfter: string) {
  let calls = 0;
  const fetch = (async () => {
    calls++;
    if (calls === 1) {
      return new Response('<Error><Code>SlowDown</Code><Message>m</Message></Error>', {
        status: 503,
        headers: { 'retry-after': retryAfter, 'content-type': 'application/xml' },
      });
    }
    return new Response(null, { status: 200, headers: { 'content-length': '3' } });
  }) as typeof globalThis.fetch;
  return { fetch, calls: () => calls };
}

const make = (f: typeof fetch, extra = {}) =>
  createClient({
    endpoint: 'http://ks3.test',
    accessKeyId: 'AKLTunit',
    secretAccessKey: 'unit-secret',
    fetch: f,
    now: () => NOW,
    retryDelay: 1, // backoff alone would retry within a millisecond
    timeout: 0,
    ...extra,
  });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs a HEAD whose first answer asks to wait, and checks the retry goes out after exactly `ms`. */
async function expectRetryAfter(retryAfter: string, ms: number): Promise<void> {
  const s = busyThenOk(retryAfter);
  const call = headObject(make(s.fetch), { bucket: 'bkt', key: 'k' });
  await until('the wait starts', () => s.calls() === 1 && vi.getTimerCount() === 1);
  await vi.advanceTimersByTimeAsync(ms - 1);
  await tick();
  expect(s.calls(), `retried before ${ms} ms`).toBe(1);
  await vi.advanceTimersByTimeAsync(1);
  await until('the retry', () => s.calls() === 2);
  await expect(call).resolves.toMatchObject({ size: 3 });
}

test('delta-seconds: the retry goes out after exactly that long', async () => {
  await expectRetryAfter('3', 3000);
});

test('longer than the backoff cap (10 s) but within maxRetryAfter: honoured, not capped', async () => {
  await expectRetryAfter('20', 20_000);
});

test('the HTTP-date form, measured against the client clock', async () => {
  await expectRetryAfter(new Date(NOW + 7000).toUTCString(), 7000);
});

test('a wait beyond maxRetryAfter fails at once, saying what was asked', async () => {
  const s = busyThenOk('120');
  const err = (await headObject(make(s.fetch, { maxRetryAfter: 30_000 }), { bucket: 'bkt', key: 'k' }).catch(
    (e: unknown) => e,
  )) as Ks3ServiceError;
  expect(err).toMatchObject({ name: 'Ks3ServiceError', status: 503, retryAfterMs: 120_000, attempts: 1 });
  expect(s.calls()).toBe(1);
  expect(vi.getTimerCount()).toBe(0);
});

test('an abort during the wait settles at once with the reason', async () => {
  const s = busyThenOk('25');
  const ac = new AbortController();
  const call = headObject(make(s.fetch), { bucket: 'bkt', key: 'k', signal: ac.signal });
  const settled = call.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  await until('the wait starts', () => vi.getTimerCount() === 1);
  const reason = new Error('user left');
  ac.abort(reason);
  await until('the call settles', () => vi.getTimerCount() === 0);
  expect(await settled).toBe(reason);
  expect(s.calls()).toBe(1);
});
