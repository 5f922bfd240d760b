/**
 * Temporary credentials over a long upload, for real: the credentials provider hands out emulator
 * session tokens that expire after 3 s (POST /__ks3emu/sessions; from Chromium through the
 * `ks3EmulatorAdmin` command), and the emulator delays every part so the upload outlives several
 * of them. It completes with no refused request, one provider call per token lifetime (not per
 * part), and every part carries a token that was valid when the part was sent — each part is
 * signed when it goes out, not when it was queued. Node and Chromium (a smaller object).
 */
import { describe, expect, test } from 'vitest';
import { type Credentials, createClient } from '@ks3/core';
import { upload } from '@ks3/multipart';
import { emulatorAdmin } from '../../../internal/test-utils/emulator-admin.js';
import { addFault, downloadMd5, KiB, md5Hex, pseudoRandomBytes, useBucket } from './helpers.js';

const env = useBucket('mp-sessions');
const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';
const LIFETIME_S = 3;
const PART = 100 * KiB;
const PARTS = inBrowser ? 40 : 60;
const CONCURRENCY = 2;
// Per part, after authentication: the upload lasts at least PARTS / CONCURRENCY × DELAY_MS
// (8 s in Chromium, 12 s in Node), several token lifetimes.
const DELAY_MS = 400;

interface Sent {
  url: string;
  token: string | null;
  sentAt: number;
  status?: number;
}

describe('a multipart upload longer than its session token lifetimes', () => {
  test('completes with one provider call per expiry, each part signed when sent', { timeout: 120_000 }, async () => {
    const tokens = new Map<string, { issuedAt: number; expiration: number }>();
    let calls = 0;
    const provider = async (): Promise<Credentials> => {
      calls++;
      const issuedAt = Date.now();
      const s = (await emulatorAdmin(env.endpoint, 'sessions', { durationSeconds: LIFETIME_S })) as Credentials & {
        securityToken: string;
        expiration: string;
      };
      tokens.set(s.securityToken, { issuedAt, expiration: Date.parse(s.expiration) });
      return s;
    };
    const sent: Sent[] = [];
    const recording: typeof fetch = async (input, init) => {
      const entry: Sent = {
        url: String(input),
        token: new Headers(init?.headers).get('x-kss-security-token'),
        sentAt: Date.now(),
      };
      sent.push(entry);
      const res = await fetch(input, init);
      entry.status = res.status;
      return res;
    };
    const client = createClient({
      endpoint: env.endpoint,
      region: 'BEIJING',
      credentials: provider,
      fetch: recording,
      retries: 2,
      retryDelay: 5,
    });
    expect(client.signatureVersion).toBe('v4');
    const data = pseudoRandomBytes(PARTS * PART - 1234, 42);
    const key = 'long/upload.bin';
    await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, delayMs: DELAY_MS, times: PARTS });

    const started = Date.now();
    const result = await upload(client, {
      bucket: env.bucket,
      key,
      body: new Blob([data]),
      partSize: PART,
      concurrency: CONCURRENCY,
    });
    const elapsed = Date.now() - started;
    expect(result.parts).toBe(PARTS);
    expect(await downloadMd5(env.client, env.bucket, key)).toEqual({ md5: md5Hex(data), size: data.length });

    // Long enough to need several tokens (the delays alone guarantee it).
    expect(elapsed).toBeGreaterThanOrEqual((PARTS / CONCURRENCY) * DELAY_MS);
    const signed = sent.filter((s) => s.token !== null);
    const parts = signed.filter((s) => /[?&]partNumber=/.test(s.url));
    expect(parts).toHaveLength(PARTS); // nothing was refused and sent again
    for (const s of signed) expect(s.status, s.url).toBeLessThan(300);
    // Every token was valid when a request carrying it was sent: signed at send time.
    for (const s of signed) {
      const t = tokens.get(s.token!);
      expect(t, 'a token the provider handed out').toBeDefined();
      expect(s.sentAt).toBeGreaterThanOrEqual(t!.issuedAt);
      expect(s.sentAt).toBeLessThan(t!.expiration);
    }
    // One call per lifetime, not per part: the provider refreshes a token after 3/4 of its
    // lifetime, so at most one call per 2.25 s (plus the first); and as the upload outlived
    // several lifetimes, each of them was needed and used.
    const minLifetimeMs = LIFETIME_S * 1000 * 0.75;
    expect(calls).toBeGreaterThanOrEqual(Math.floor(elapsed / (LIFETIME_S * 1000)));
    expect(calls).toBeLessThanOrEqual(1 + Math.floor(elapsed / minLifetimeMs));
    expect(calls).toBeLessThan(PARTS / 4);
    expect(new Set(signed.map((s) => s.token)).size).toBe(calls);
  });
});
