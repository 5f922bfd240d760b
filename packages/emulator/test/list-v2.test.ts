/** List Objects V2: GET /?list-type=2. */
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { OTHER, code, q, xml1, xmlAll } from './helpers/ks3.js';

describe('list objects v2', () => {
  const f = useEmulator();
  const list = (bucket: string, query = '', creds?: null) =>
    f.send({ method: 'GET', bucket, key: '', query: `list-type=2${query}`, creds });

  it('pages with opaque continuation tokens: KeyCount, no duplicates, no misses', async () => {
    const b = await createBucket(f);
    const keys = Array.from({ length: 23 }, (_, i) => `k/${String(i).padStart(2, '0')} é`);
    for (const k of keys) await putObject(f, b, k, 'x');
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await list(b, `&max-keys=5${token ? `&continuation-token=${q(token)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
      const got = xmlAll(res.text, 'Key');
      expect(xml1(res.text, 'KeyCount')).toBe(String(got.length));
      expect(xml1(res.text, 'ContinuationToken')).toBe(token);
      expect(xml1(res.text, 'Marker')).toBeUndefined();
      seen.push(...got);
      if (xml1(res.text, 'IsTruncated') !== 'true') {
        expect(xml1(res.text, 'NextContinuationToken')).toBeUndefined();
        break;
      }
      token = xml1(res.text, 'NextContinuationToken');
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(token).not.toContain('k/');
    }
    expect(seen).toEqual(keys);
  });

  it('start-after, prefix, delimiter (common prefixes count in KeyCount), fetch-owner, encoding-type=url', async () => {
    const b = await createBucket(f);
    for (const k of ['a.txt', 'dir/1', 'dir/2', 'dir2/x', 'z y.txt']) await putObject(f, b, k, 'x');
    const after = await list(b, '&start-after=dir/1');
    expect(xmlAll(after.text, 'Key')).toEqual(['dir/2', 'dir2/x', 'z y.txt']);
    expect(xml1(after.text, 'StartAfter')).toBe('dir/1');
    const grouped = await list(b, '&delimiter=/');
    expect(xmlAll(grouped.text, 'Key')).toEqual(['a.txt', 'z y.txt']);
    expect(xmlAll(grouped.text, 'Prefix').slice(1)).toEqual(['dir/', 'dir2/']);
    expect([xml1(grouped.text, 'KeyCount'), xml1(grouped.text, 'MaxKeys')]).toEqual(['4', '100']);
    expect(xmlAll((await list(b, '&prefix=dir2')).text, 'Key')).toEqual(['dir2/x']);
    expect(xml1((await list(b)).text, 'Owner')).toBeUndefined();
    const owned = await list(b, '&fetch-owner=true');
    expect(xmlAll(owned.text, 'Owner')).toHaveLength(5);
    const encoded = await list(b, '&encoding-type=url&prefix=z');
    expect([xml1(encoded.text, 'Key'), xml1(encoded.text, 'EncodingType')]).toEqual(['z%20y.txt', 'url']);
    // A token overrides start-after.
    const first = await list(b, '&max-keys=1');
    const next = await list(
      b,
      `&max-keys=1&start-after=z&continuation-token=${xml1(first.text, 'NextContinuationToken')}`,
    );
    expect(xmlAll(next.text, 'Key')).toEqual(['dir/1']);
  });

  it('refuses foreign tokens and bad parameters; anonymous listing follows the bucket ACL', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'x');
    for (const bad of ['&continuation-token=abc', '&continuation-token=', '&fetch-owner=yes', '&max-keys=0']) {
      const res = await list(b, bad);
      expect([bad, res.status, code(res)]).toEqual([bad, 400, 'InvalidArgument']);
    }
    expect((await list(b, '', null)).status).toBe(403);
    expect((await f.send({ method: 'GET', bucket: b, key: '', query: 'list-type=2', creds: OTHER })).status).toBe(403);
    const pub = await createBucket(f, 'public-read');
    await putObject(f, pub, 'open', 'x');
    expect(xmlAll((await list(pub, '', null)).text, 'Key')).toEqual(['open']);
    const location = await f.send({ method: 'GET', bucket: b, key: '', query: 'location&list-type=2' });
    expect(xml1(location.text, 'LocationConstraint')).toBe('BEIJING');
    // list-type other than 2 is List Objects (V1).
    const v1 = await f.send({ method: 'GET', bucket: b, key: '', query: 'list-type=1' });
    expect(xml1(v1.text, 'Marker')).toBe('');
  });
});
