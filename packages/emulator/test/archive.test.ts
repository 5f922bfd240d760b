/** Storage classes, archived objects and Restore Object (?restore); bucket types and HEAD bucket. */
import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { createBucket, putObject, start, tempDir, useEmulator, type Fixture } from './helpers/emulator.js';
import { OTHER, code } from './helpers/ks3.js';

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;

/** The emulator's clock, moved by the tests (requests keep real Date headers: skew is relaxed). */
let clock = Date.parse('2026-03-01T10:00:00Z');

function restore(f: Fixture, bucket: string, key: string, body?: string) {
  return f.send({ method: 'POST', bucket, key, query: 'restore', body });
}

describe('archive storage classes and ?restore', () => {
  const f = useEmulator({ now: () => clock, maxSkewMs: 10 * YEAR, restoreDelayMs: 60_000 });

  it("accepts KS3's storage classes; archived bytes are unreadable until restored, HEAD still works", async () => {
    const b = await createBucket(f);
    for (const sc of ['DEEP_IA', 'COLD_ARCHIVE', 'DEEP_COLD_ARCHIVE', 'EXTREME_PL1', 'STANDARD_IA']) {
      await putObject(f, b, `o-${sc}`, sc, { 'x-kss-storage-class': sc });
      expect((await f.send({ method: 'HEAD', bucket: b, key: `o-${sc}` })).headers['x-kss-storage-class']).toBe(sc);
    }
    expect((await f.send({ method: 'GET', bucket: b, key: 'o-DEEP_IA' })).text).toBe('DEEP_IA');
    await putObject(f, b, 'cold', 'frozen bytes', { 'x-kss-storage-class': 'ARCHIVE' });
    const get = await f.send({ method: 'GET', bucket: b, key: 'cold' });
    expect([get.status, code(get)]).toEqual([403, 'InvalidObjectState']);
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'cold' });
    expect([head.status, head.headers['x-kss-storage-class'], head.headers['x-kss-restore']]).toEqual([
      200,
      'ARCHIVE',
      undefined,
    ]);
    const copy = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'thawed',
      headers: { 'x-kss-copy-source': `/${b}/cold` },
    });
    expect([copy.status, code(copy)]).toEqual([403, 'InvalidObjectState']);
  });

  it('202, then 409 while in progress, readable after the delay, 200 restarts the days, expiry freezes', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'cold', 'frozen bytes', { 'x-kss-storage-class': 'ARCHIVE' });
    const first = await restore(f, b, 'cold', '<RestoreRequest><Days>2</Days></RestoreRequest>');
    expect(first.status).toBe(202);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'cold' })).headers['x-kss-restore']).toBe(
      'ongoing-request="true"',
    );
    const again = await restore(f, b, 'cold');
    expect([again.status, code(again)]).toEqual([409, 'RestoreAlreadyInProgress']);
    expect((await f.send({ method: 'GET', bucket: b, key: 'cold' })).status).toBe(403);

    clock += 60_000;
    const ready = clock;
    const get = await f.send({ method: 'GET', bucket: b, key: 'cold' });
    expect([get.status, get.text]).toEqual([200, 'frozen bytes']);
    expect(get.headers['x-kss-restore']).toBe(
      `ongoing-request="false", expiry-date="${new Date(ready + 2 * DAY).toUTCString()}"`,
    );
    const copy = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'thawed',
      headers: { 'x-kss-copy-source': `/${b}/cold` },
    });
    expect(copy.status).toBe(200);

    clock += DAY;
    const extend = await restore(f, b, 'cold', '<RestoreRequest><Days>3</Days></RestoreRequest>');
    expect(extend.status).toBe(200);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'cold' })).headers['x-kss-restore']).toBe(
      `ongoing-request="false", expiry-date="${new Date(clock + 3 * DAY).toUTCString()}"`,
    );
    clock += 3 * DAY;
    const frozen = await f.send({ method: 'GET', bucket: b, key: 'cold' });
    expect([frozen.status, code(frozen)]).toEqual([403, 'InvalidObjectState']);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'cold' })).headers['x-kss-restore']).toBeUndefined();
    expect((await restore(f, b, 'cold')).status).toBe(202);
  });

  it('refuses restores of other classes, bad Days and Tier, missing keys and strangers', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'hot', 'x', { 'x-kss-storage-class': 'STANDARD_IA' });
    const hot = await restore(f, b, 'hot');
    expect([hot.status, code(hot)]).toEqual([403, 'InvalidObjectState']);
    await putObject(f, b, 'cold', 'x', { 'x-kss-storage-class': 'ARCHIVE' });
    await putObject(f, b, 'colder', 'x', { 'x-kss-storage-class': 'COLD_ARCHIVE' });
    for (const [body, status, expected] of [
      ['<RestoreRequest><Days>8</Days></RestoreRequest>', 400, 'InvalidArgument'],
      ['<RestoreRequest><Days>0</Days></RestoreRequest>', 400, 'InvalidArgument'],
      ['<RestoreRequest><Days>two</Days></RestoreRequest>', 400, 'MalformedXML'],
      ['<Restore><Days>1</Days></Restore>', 400, 'MalformedXML'],
      [
        '<RestoreRequest><Days>1</Days><JobParameters><Tier>Fast</Tier></JobParameters></RestoreRequest>',
        400,
        'MalformedXML',
      ],
    ] as const) {
      const res = await restore(f, b, 'cold', body);
      expect([body, res.status, code(res)]).toEqual([body, status, expected]);
    }
    const longCold = await restore(
      f,
      b,
      'colder',
      '<RestoreRequest><Days>365</Days><JobParameters><Tier>Bulk</Tier></JobParameters></RestoreRequest>',
    );
    expect(longCold.status).toBe(202);
    const missing = await restore(f, b, 'nope');
    expect([missing.status, code(missing)]).toEqual([404, 'NoSuchKey']);
    const stranger = await f.send({ method: 'POST', bucket: b, key: 'cold', query: 'restore', creds: OTHER });
    expect([stranger.status, code(stranger)]).toEqual([403, 'AccessDenied']);
    const onBucket = await f.send({ method: 'POST', bucket: b, key: '', query: 'restore' });
    expect([onBucket.status, code(onBucket)]).toEqual([405, 'MethodNotAllowed']);
  });
});

describe('bucket types and HEAD bucket', () => {
  const f = useEmulator();

  it('HEAD bucket: 200 with type and region, 404 and 403 without a body', async () => {
    const b = await createBucket(f);
    const head = await f.send({ method: 'HEAD', bucket: b, key: '' });
    expect([head.status, head.headers['x-kss-bucket-type'], head.headers['x-kss-bucket-region']]).toEqual([
      200,
      'NORMAL',
      'BEIJING',
    ]);
    const missing = await f.send({ method: 'HEAD', bucket: 'no-such-bucket-head', key: '' });
    expect([missing.status, missing.body.length]).toEqual([404, 0]);
    const hidden = await f.send({ method: 'HEAD', bucket: b, key: '', creds: OTHER });
    expect([hidden.status, hidden.body.length, hidden.headers['x-kss-bucket-region']]).toEqual([403, 0, undefined]);
    const located = `loc-${b}`;
    await f.send({
      method: 'PUT',
      bucket: located,
      key: '',
      body: '<CreateBucketConfiguration><LocationConstraint>SHANGHAI</LocationConstraint></CreateBucketConfiguration>',
    });
    expect((await f.send({ method: 'HEAD', bucket: located, key: '' })).headers['x-kss-bucket-region']).toBe(
      'SHANGHAI',
    );
  });

  it('x-kss-bucket-type sets the default storage class of new objects; unknown types are refused', async () => {
    const archive = `arch-${Date.now().toString(36)}`;
    expect(
      (await f.send({ method: 'PUT', bucket: archive, key: '', headers: { 'x-kss-bucket-type': 'ARCHIVE' } })).status,
    ).toBe(200);
    expect((await f.send({ method: 'HEAD', bucket: archive, key: '' })).headers['x-kss-bucket-type']).toBe('ARCHIVE');
    await putObject(f, archive, 'k', 'x');
    expect((await f.send({ method: 'HEAD', bucket: archive, key: 'k' })).headers['x-kss-storage-class']).toBe(
      'ARCHIVE',
    );
    expect((await f.send({ method: 'GET', bucket: archive, key: 'k' })).status).toBe(403);
    const ia = `ia-${Date.now().toString(36)}`;
    await f.send({ method: 'PUT', bucket: ia, key: '', headers: { 'x-kss-bucket-type': 'IA' } });
    await putObject(f, ia, 'k', 'x');
    expect((await f.send({ method: 'HEAD', bucket: ia, key: 'k' })).headers['x-kss-storage-class']).toBe('STANDARD_IA');
    const bad = await f.send({
      method: 'PUT',
      bucket: `bad-${ia}`,
      key: '',
      headers: { 'x-kss-bucket-type': 'GLACIER' },
    });
    expect([bad.status, code(bad)]).toEqual([400, 'InvalidArgument']);
  });
});

describe('options', () => {
  it('restoreDelayMs, fetchTimeoutMs and fetchMaxBytes must be non-negative numbers', async () => {
    for (const bad of [
      { restoreDelayMs: -1 },
      { fetchTimeoutMs: Number.NaN },
      { fetchMaxBytes: '10' as unknown as number },
    ]) {
      const dir = tempDir();
      await expect(start(bad, dir)).rejects.toThrow(/must be a non-negative number/);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('restores follow the emulator clock (clock.js)', () => {
  const f = useEmulator({ restoreDelayMs: 10 * 60_000 });

  it('clock.advance makes a pending restore readable, and later archives it again', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'cold', 'frozen bytes', { 'x-kss-storage-class': 'ARCHIVE' });
    expect((await restore(f, b, 'cold', '<RestoreRequest><Days>1</Days></RestoreRequest>')).status).toBe(202);
    expect((await f.send({ method: 'GET', bucket: b, key: 'cold' })).status).toBe(403);
    await f.emu.clock.advance(10 * 60_000);
    const get = await f.send({ method: 'GET', bucket: b, key: 'cold' });
    expect([get.status, get.text]).toEqual([200, 'frozen bytes']);
    await f.emu.clock.advance(DAY);
    const frozen = await f.send({ method: 'GET', bucket: b, key: 'cold' });
    expect([frozen.status, code(frozen)]).toEqual([403, 'InvalidObjectState']);
  });
});
