/**
 * The request pipeline's newer features, end to end (Node and Chromium): the credentials
 * provider (single flight, refresh before expiry, one refresh after KS3 refuses credentials),
 * clock-skew correction, request/response hooks, and the attempt count on errors. Temporary
 * credentials are minted by the emulator (`POST /__ks3emu/sessions`).
 */
import { describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/core';
import { emulatorAdmin } from '../../../internal/test-utils/emulator-admin.js';
import { emulatorBucket, headerValues, requestsSince, useRecorder } from '../../../internal/test-utils/wire.js';

const emu = emulatorBucket('pipeline');
const wire = useRecorder();

interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  securityToken: string;
  expiration: string;
}
const session = async (durationSeconds = 900): Promise<KS3.Credentials> => {
  const s = (await emulatorAdmin(emu.endpoint, 'sessions', { durationSeconds })) as Session;
  return { ...s, expiration: new Date(s.expiration) };
};
const accessKeyOf = (auth: string): string | undefined => /(?:KSS |Credential=)([^:/]+)/.exec(auth)?.[1];

describe('credentials provider', () => {
  test('single flight: 20 concurrent requests share one provider call', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const client = emu.make({
      credentials: async () => {
        calls++;
        await gate; // every request is waiting for the same refresh
        return session();
      },
    });
    const { bucket } = emu;
    const all = Promise.all(
      Array.from({ length: 20 }, (_, i) => KS3.putObject(client, { bucket, key: `sf/${i}`, body: `n${i}` })),
    );
    await new Promise((r) => setTimeout(r, 20));
    release();
    const results = await all;
    expect(results).toHaveLength(20);
    expect(calls).toBe(1);
    expect(await (await KS3.getObject(client, { bucket, key: 'sf/19' })).text()).toBe('n19');
    expect(calls).toBe(1);
  });

  test('refreshed before expiry, on the client clock (recording server: the key that signs changes)', async () => {
    let now = Date.UTC(2026, 0, 1);
    const t0 = now;
    let calls = 0;
    const client = KS3.createClient({
      endpoint: wire.rec.url,
      now: () => now,
      credentials: async () => {
        calls++;
        return { accessKeyId: `AKLTgen${calls}`, secretAccessKey: 's', expiration: new Date(t0 + 10 * 60_000) };
      },
    });
    const from = (await wire.rec.requests()).length;
    const head = () => KS3.headObject(client, { bucket: 'bkt', key: 'k' });
    await head();
    now = t0 + 8 * 60_000; // two minutes before expiry: still good
    await head();
    now = t0 + 9 * 60_000 + 1; // within a minute of expiry: refreshed before use
    await head();
    const keys = (await requestsSince(wire.rec, from)).map((r) => accessKeyOf(headerValues(r, 'authorization')[0]!));
    expect(keys).toEqual(['AKLTgen1', 'AKLTgen1', 'AKLTgen2']);
    expect(calls).toBe(2);
  });

  test('InvalidAccessKeyId (emulator): one refresh for a burst of refused requests, then success', async () => {
    let calls = 0;
    const client = emu.make({
      credentials: async () => {
        calls++;
        return calls === 1 ? { accessKeyId: 'AKLTrevoked0000', secretAccessKey: 'gone' } : session();
      },
    });
    const { bucket } = emu;
    await KS3.putObject(emu.client, { bucket, key: 'refresh', body: 'fresh' });
    const texts = await Promise.all(
      Array.from({ length: 5 }, async () => (await KS3.getObject(client, { bucket, key: 'refresh' })).text()),
    );
    expect(texts).toEqual(Array(5).fill('fresh'));
    expect(calls).toBe(2);
  });

  test('ExpiredToken (recording server): refreshed once and retried with the new token', async () => {
    await wire.rec.setRoutes([
      {
        method: 'GET',
        times: 1,
        reply: { status: 400, body: '<Error><Code>ExpiredToken</Code><Message>expired</Message></Error>' },
      },
    ]);
    let calls = 0;
    const client = KS3.createClient({
      endpoint: wire.rec.url,
      retries: 0,
      credentials: async () => {
        calls++;
        return { accessKeyId: `AKLTtok${calls}`, secretAccessKey: 's', securityToken: `token-${calls}` };
      },
    });
    const from = (await wire.rec.requests()).length;
    const obj = await KS3.getObject(client, { bucket: 'bkt', key: 'k' });
    await obj.bytes();
    const sent = await requestsSince(wire.rec, from);
    expect(sent.map((r) => headerValues(r, 'x-kss-security-token')[0])).toEqual(['token-1', 'token-2']);
    expect(calls).toBe(2);
    await wire.rec.setRoutes([]);
  });

  test('fixed credentials that KS3 refuses are not retried', async () => {
    const client = emu.make({ accessKeyId: 'AKLTunknown00000', secretAccessKey: 'x' });
    const err = await KS3.getObject(client, { bucket: emu.bucket, key: 'refresh' }).catch((e: KS3.Ks3Error) => e);
    expect(err).toMatchObject({ code: 'InvalidAccessKeyId', attempts: 1 });
  });
});

describe('clock skew', () => {
  for (const signatureVersion of ['v4', 'v2'] as const) {
    test(`${signatureVersion}: a client 20 minutes slow succeeds after one corrected retry, then stays`, async () => {
      const statuses: (number | undefined)[] = [];
      const client = emu.make({
        signatureVersion,
        region: 'BEIJING',
        now: () => Date.now() - 20 * 60_000,
        hooks: { response: (e) => statuses.push(e.status) },
      });
      expect(client.clockOffset).toBe(0);
      const { bucket } = emu;
      await KS3.putObject(client, { bucket, key: `skew-${signatureVersion}`, body: 'on time' });
      expect(statuses).toEqual([403, 200]);
      expect(Math.abs(client.clockOffset - 20 * 60_000)).toBeLessThan(5000);
      expect(await (await KS3.getObject(client, { bucket, key: `skew-${signatureVersion}` })).text()).toBe('on time');
      expect(statuses).toEqual([403, 200, 200]);
    });
  }
});

describe('hooks', () => {
  test('request and response events per attempt, with no secret; a throwing hook changes nothing', async () => {
    const SECRET = 'hook-secret-key-0123456789';
    const events: { kind: string; e: KS3.RequestEvent | KS3.ResponseEvent }[] = [];
    await wire.rec.setRoutes([
      { method: 'PUT', times: 1, reply: { status: 503, body: '<Error><Code>SlowDown</Code></Error>' } },
    ]);
    const client = KS3.createClient({
      endpoint: wire.rec.url,
      accessKeyId: 'AKLThooks',
      secretAccessKey: SECRET,
      securityToken: 'hook-token-0123456789',
      retryDelay: 1,
      hooks: {
        request: (e) => {
          events.push({ kind: 'request', e });
          throw new Error('a broken logger');
        },
        response: (e) => {
          events.push({ kind: 'response', e });
          throw new Error('a broken metrics sink');
        },
      },
    });
    const put = await KS3.putObject(client, { bucket: 'bkt', key: 'dir/a b.txt', body: 'twelve bytes' });
    expect(put.etag).toBeTruthy();
    expect(events.map((x) => [x.kind, x.e.attempt])).toEqual([
      ['request', 1],
      ['response', 1],
      ['request', 2],
      ['response', 2],
    ]);
    expect(events[0]!.e).toMatchObject({ operation: 'PutObject', method: 'PUT', bucket: 'bkt', key: 'dir/a b.txt' });
    expect(events[1]!.e).toMatchObject({ status: 503, bytesSent: 12 });
    expect(events[3]!.e).toMatchObject({ status: 200, bytesSent: 12, requestId: expect.stringMatching(/^rec-/) });
    expect((events[3]!.e as KS3.ResponseEvent).durationMs).toBeGreaterThanOrEqual(0);
    const text = JSON.stringify(events);
    for (const secret of [SECRET, 'hook-token-0123456789', 'Signature', 'authorization']) {
      expect(text).not.toContain(secret);
    }
    await wire.rec.setRoutes([]);
  });

  test('URLs in events lose every credential-bearing parameter', async () => {
    const seen: string[] = [];
    // A signer that signs into the query, as presigned URLs do.
    const client = KS3.createClient({
      endpoint: wire.rec.url,
      signer: async (r) => ({
        url:
          `${r.url}${r.url.includes('?') ? '&' : '?'}KSSAccessKeyId=AKLTq&Signature=c2lnbmF0dXJl` +
          '&security-token=tok123&X-Kss-Credential=AK%2F20260101&X-Kss-Signature=abc&keep=1',
        headers: r.headers,
      }),
      hooks: { request: (e) => seen.push(e.url) },
    });
    await KS3.getObjectAcl(client, { bucket: 'bkt', key: 'k', versionId: 'v1' }).catch(() => undefined);
    expect(seen).toHaveLength(1);
    const u = new URL(seen[0]!);
    expect([...u.searchParams.keys()]).toEqual(['acl', 'versionId', 'keep']);
  });

  test('a failed attempt reports its error; the error counts the attempts', async () => {
    const errors: unknown[] = [];
    const client = KS3.createClient({
      endpoint: 'http://ks3.test',
      anonymous: true,
      retries: 2,
      retryDelay: 1,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
      hooks: { response: (e) => errors.push(e.error) },
    });
    const err = await KS3.headObject(client, { bucket: 'bkt', key: 'k' }).catch((e: KS3.Ks3Error) => e);
    expect(err).toMatchObject({ name: 'Ks3NetworkError', attempts: 3 });
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(KS3.isKs3NetworkError(e)).toBe(true);
  });
});
