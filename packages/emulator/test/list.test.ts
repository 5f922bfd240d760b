/** List Objects (§4.12): prefix, delimiter, marker, page caps, byte order, encoding, and 10,000 keys. */
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { code, xml1, xmlAll } from './helpers/ks3.js';

describe('list objects', () => {
  const f = useEmulator();
  const list = (bucket: string, query = '') => f.send({ method: 'GET', bucket, key: '', query });

  it('sorts by UTF-8 bytes and returns the KS3 document', async () => {
    const b = await createBucket(f);
    // UTF-16 code units would put U+1F600 (a surrogate pair) before U+FF5E; UTF-8 bytes put it after.
    const keys = ['b', 'a', 'A', '\u00e9', '\uff5e', '\u{1f600}', 'a/b', 'a b'];
    for (const k of keys) await putObject(f, b, k, k);
    const res = await list(b);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    const expected = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(xmlAll(res.text, 'Key')).toEqual(expected);
    expect([xml1(res.text, 'MaxKeys'), xml1(res.text, 'IsTruncated'), xml1(res.text, 'NextMarker')]).toEqual([
      '1000',
      'false',
      undefined,
    ]);
    expect(xml1(res.text, 'Size')).toBe('1');
    expect(xml1(res.text, 'StorageClass')).toBe('STANDARD');
    expect(xml1(res.text, 'ETag')).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('prefix, delimiter and common prefixes (counted as entries, interleaved in order)', async () => {
    const b = await createBucket(f);
    for (const k of [
      'photos/2024/a.jpg',
      'photos/2024/b.jpg',
      'photos/2025/c.jpg',
      'photos/top.jpg',
      'photos/zz/d.jpg',
      'readme',
    ])
      await putObject(f, b, k, 'x');
    const res = await list(b, 'prefix=photos/&delimiter=/');
    expect(xmlAll(res.text, 'Prefix')).toEqual(['photos/', 'photos/2024/', 'photos/2025/', 'photos/zz/']);
    expect(xmlAll(res.text, 'Key')).toEqual(['photos/top.jpg']);
    expect(res.text.indexOf('photos/2025/')).toBeLessThan(res.text.indexOf('photos/top.jpg'));
    expect(res.text.indexOf('photos/top.jpg')).toBeLessThan(res.text.indexOf('photos/zz/'));
    expect([xml1(res.text, 'MaxKeys'), xml1(res.text, 'Delimiter')]).toEqual(['100', '/']);
    const paged = await list(b, 'prefix=photos/&delimiter=/&max-keys=2');
    expect([xml1(paged.text, 'IsTruncated'), xml1(paged.text, 'NextMarker')]).toEqual(['true', 'photos/2025/']);
    const next = await list(b, 'prefix=photos/&delimiter=/&max-keys=2&marker=photos/2025/');
    expect([...xmlAll(next.text, 'Key'), ...xmlAll(next.text, 'Prefix').slice(1)]).toEqual([
      'photos/top.jpg',
      'photos/zz/',
    ]);
    expect(xml1(next.text, 'IsTruncated')).toBe('false');
  });

  it('marker and max-keys: strictly after the marker, NextMarker when truncated, caps at 1000 / 100', async () => {
    const b = await createBucket(f);
    for (let i = 0; i < 5; i++) await putObject(f, b, `k${i}`, 'x');
    const res = await list(b, 'marker=k1&max-keys=2');
    expect(xmlAll(res.text, 'Key')).toEqual(['k2', 'k3']);
    expect([xml1(res.text, 'Marker'), xml1(res.text, 'IsTruncated'), xml1(res.text, 'NextMarker')]).toEqual([
      'k1',
      'true',
      'k3',
    ]);
    expect(xml1((await list(b, 'max-keys=5000')).text, 'MaxKeys')).toBe('1000');
    expect(xml1((await list(b, 'max-keys=500&delimiter=/')).text, 'MaxKeys')).toBe('100');
    for (const bad of ['max-keys=abc', 'max-keys=-1', 'max-keys=0']) {
      const r = await list(b, bad);
      expect([bad, r.status, code(r)]).toEqual([bad, 400, 'InvalidArgument']);
    }
  });

  it('encoding-type=url percent-encodes names; other values are refused', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'dir x/a&b+c.txt', 'x');
    await putObject(f, b, 'ctrl\u0001key', 'x');
    const res = await list(b, 'encoding-type=url&prefix=dir%20x/');
    expect(xmlAll(res.text, 'Key')).toEqual(['dir%20x/a%26b%2Bc.txt']);
    expect([xml1(res.text, 'Prefix'), xml1(res.text, 'EncodingType')]).toEqual(['dir%20x/', 'url']);
    expect(xmlAll((await list(b, 'encoding-type=url&prefix=ctrl')).text, 'Key')).toEqual(['ctrl%01key']);
    expect(code(await list(b, 'encoding-type=base64'))).toBe('InvalidArgument');
  });
});

describe('10,000 keys', () => {
  const f = useEmulator();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  afterAll(() => agent.destroy());

  it('pages through 10,000 keys with a delimiter: no duplicates, no misses, quickly', async () => {
    const b = await createBucket(f);
    const expected: string[] = [];
    for (let d = 0; d < 100; d++)
      for (let i = 0; i < 99; i++) expected.push(`dir${String(d).padStart(3, '0')}/file${String(i).padStart(3, '0')}`);
    for (let i = 0; i < 100; i++) expected.push(`top-${String(i).padStart(3, '0')}`);
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < expected.length) {
        const key = expected[next++] as string;
        const res = await f.send({ method: 'PUT', bucket: b, key, body: '', agent });
        if (res.status !== 200) throw new Error(`PUT ${key}: ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const uploadMs = Date.now() - started;

    // With a delimiter: 100 common prefixes + 100 top-level keys, 100 entries per page.
    const listStart = Date.now();
    const seenPrefixes: string[] = [];
    const seenKeys: string[] = [];
    let marker = '';
    for (let page = 0; page < 10; page++) {
      const res = await f.send({
        method: 'GET',
        bucket: b,
        key: '',
        query: `delimiter=/${marker ? `&marker=${encodeURIComponent(marker)}` : ''}`,
        agent,
      });
      seenPrefixes.push(...xmlAll(res.text, 'Prefix').filter((p) => p !== ''));
      seenKeys.push(...xmlAll(res.text, 'Key'));
      if (xml1(res.text, 'IsTruncated') !== 'true') break;
      marker = xml1(res.text, 'NextMarker') ?? '';
    }
    expect(seenPrefixes).toEqual(Array.from({ length: 100 }, (_, d) => `dir${String(d).padStart(3, '0')}/`));
    expect(seenKeys).toEqual(expected.slice(-100));

    // Without a delimiter: every key exactly once, 1000 per page.
    const all: string[] = [];
    marker = '';
    for (let page = 0; page < 20; page++) {
      const res = await f.send({
        method: 'GET',
        bucket: b,
        key: '',
        query: marker ? `marker=${encodeURIComponent(marker)}` : '',
        agent,
      });
      const keys = xmlAll(res.text, 'Key');
      expect(keys.length).toBeLessThanOrEqual(1000);
      all.push(...keys);
      if (xml1(res.text, 'IsTruncated') !== 'true') break;
      marker = xml1(res.text, 'NextMarker') ?? '';
    }
    expect(all).toEqual([...expected].sort());
    expect(new Set(all).size).toBe(10_000);
    const listMs = Date.now() - listStart;
    expect(listMs).toBeLessThan(5000);
    expect(uploadMs).toBeLessThan(60_000);
  }, 120_000);
});
