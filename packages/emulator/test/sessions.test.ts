/** Temporary credentials minted by the emulator: identity, expiry on the emulator's clock, token rules, admin route. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { CREDS, OTHER, code, rawRequest, send, xml1, xmlAll } from './helpers/ks3.js';
import { sendV4, signV4 } from './helpers/v4-client.js';

const T0 = Date.parse('2025-03-01T12:00:00Z');

describe('emu.sessions.issue', () => {
  let clock = T0;
  const f = useEmulator({ now: () => clock, admin: true });

  it('mints credentials that act as the parent identity until they expire (V2 and V4, header and query)', async () => {
    clock = T0;
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'parent data');
    const s = f.emu.sessions.issue({ durationSeconds: 5 });
    expect(s.expiration).toEqual(new Date(T0 + 5000));
    expect(s.accessKeyId).not.toBe(CREDS.accessKeyId);
    const creds = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, securityToken: s.securityToken };
    const v2 = await f.send({ method: 'GET', bucket: b, key: 'k', creds });
    expect([v2.status, v2.text]).toEqual([200, 'parent data']);
    expect(xmlAll((await f.send({ method: 'GET', bucket: '', creds })).text, 'Name')).toContain(b);
    const time = new Date(clock);
    for (const ns of ['KSS4', 'AWS4'] as const) {
      expect((await sendV4(f.url, { ns, method: 'GET', bucket: b, key: 'k', creds, time })).status).toBe(200);
    }
    const presigned = signV4({ method: 'GET', bucket: b, key: 'k', creds, time, presign: 60 }, new URL(f.url).host);

    clock = T0 + 5000;
    const expired = await f.send({ method: 'GET', bucket: b, key: 'k', creds });
    expect([expired.status, code(expired)]).toEqual([400, 'ExpiredToken']);
    expect(xml1(expired.text, 'Expiration')).toBe(new Date(T0 + 5000).toISOString());
    for (const ns of ['KSS4', 'AWS4'] as const) {
      const res = await sendV4(f.url, { ns, method: 'GET', bucket: b, key: 'k', creds, time: new Date(clock) });
      expect(code(res)).toBe('ExpiredToken');
    }
    expect(code(await rawRequest(f.url, { method: 'GET', path: presigned.path }))).toBe('ExpiredToken');
  });

  it('refuses a wrong or missing token, a session token on a permanent key, a token of an unknown key', async () => {
    clock = T0;
    const s = f.emu.sessions.issue({ durationSeconds: 60, parentAccessKeyId: OTHER.accessKeyId });
    const base = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey };
    for (const creds of [
      { ...base, securityToken: `${s.securityToken}x` },
      base,
      { ...CREDS, securityToken: s.securityToken },
      { accessKeyId: 'AKLTemuSessionUnknown', secretAccessKey: 'x', securityToken: s.securityToken },
    ]) {
      const res = await f.send({ method: 'GET', bucket: '', creds });
      expect([res.status, code(res)]).toEqual([403, 'InvalidToken']);
    }
    // The session is OTHER's identity: it sees OTHER's buckets, not CREDS's.
    const mine = await createBucket(f, undefined, OTHER);
    const list = await f.send({ method: 'GET', bucket: '', creds: { ...base, securityToken: s.securityToken } });
    expect(xmlAll(list.text, 'Name')).toEqual([mine]);
  });

  it('validates its options', () => {
    for (const durationSeconds of [0, -1, 1.5, 129_601, Number.NaN]) {
      expect(() => f.emu.sessions.issue({ durationSeconds })).toThrow(/durationSeconds/);
    }
    expect(() => f.emu.sessions.issue({ durationSeconds: 60, parentAccessKeyId: 'AKLTnobody' })).toThrow(
      /parentAccessKeyId/,
    );
    const session = f.emu.sessions.issue({ durationSeconds: 60 });
    expect(() => f.emu.sessions.issue({ durationSeconds: 60, parentAccessKeyId: session.accessKeyId })).toThrow(
      /parentAccessKeyId/,
    );
  });

  it('POST /__ks3emu/sessions mints the same as JSON', async () => {
    clock = T0;
    const post = (body: string) =>
      rawRequest(f.url, {
        method: 'POST',
        path: '/__ks3emu/sessions',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
    const res = await post('{"durationSeconds":1}');
    expect(res.status).toBe(200);
    const s = JSON.parse(res.text) as Record<string, string>;
    expect(Object.keys(s).sort()).toEqual(['accessKeyId', 'expiration', 'secretAccessKey', 'securityToken']);
    expect(s.expiration).toBe(new Date(T0 + 1000).toISOString());
    const creds = {
      accessKeyId: s.accessKeyId ?? '',
      secretAccessKey: s.secretAccessKey ?? '',
      securityToken: s.securityToken ?? '',
    };
    expect((await f.send({ method: 'GET', bucket: '', creds })).status).toBe(200);
    expect((await post('{"durationSeconds":0}')).status).toBe(400);
    expect((await post('{}')).status).toBe(400);
    // Session policies come only from the STS: a sessionPolicy field here is ignored.
    const junk = await post('{"durationSeconds":60,"sessionPolicy":{"statements":"junk"},"role":1}');
    const j = JSON.parse(junk.text) as Record<string, string>;
    const withJunk = {
      accessKeyId: j.accessKeyId ?? '',
      secretAccessKey: j.secretAccessKey ?? '',
      securityToken: j.securityToken ?? '',
    };
    expect((await f.send({ method: 'GET', bucket: '', creds: withJunk })).status).toBe(200);
  });
});

describe('sessions on the real clock', () => {
  const f = useEmulator();

  it('a one-second session works, then expires', async () => {
    const s = f.emu.sessions.issue({ durationSeconds: 1 });
    const creds = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, securityToken: s.securityToken };
    expect((await send(f.url, { method: 'GET', bucket: '', creds })).status).toBe(200);
    await sleep(Math.max(0, s.expiration.getTime() - Date.now()) + 50);
    expect(code(await send(f.url, { method: 'GET', bucket: '', creds }))).toBe('ExpiredToken');
  });
});
