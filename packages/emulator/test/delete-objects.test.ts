/** Delete Multiple Objects: POST /?delete. */
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator, type Fixture } from './helpers/emulator.js';
import { OTHER, code, md5b64, xml1, xmlAll, type Creds } from './helpers/ks3.js';

function deleteXml(objects: { key: string; versionId?: string }[], quiet?: boolean): string {
  const items = objects
    .map((o) => `<Object><Key>${o.key}</Key>${o.versionId ? `<VersionId>${o.versionId}</VersionId>` : ''}</Object>`)
    .join('');
  return `<Delete>${quiet === undefined ? '' : `<Quiet>${quiet}</Quiet>`}${items}</Delete>`;
}

function deleteMany(f: Fixture, bucket: string, body: string, creds?: Creds | null, md5 = md5b64(body)) {
  return f.send({ method: 'POST', bucket, key: '', query: 'delete', body, headers: { 'Content-MD5': md5 }, creds });
}

describe('POST ?delete', () => {
  const f = useEmulator();

  it('deletes the listed keys (missing ones too) and reports each as Deleted; quiet mode reports none', async () => {
    const b = await createBucket(f);
    for (const k of ['a', 'b', 'dir/c & d']) await putObject(f, b, k, k);
    const res = await deleteMany(f, b, deleteXml([{ key: 'a' }, { key: 'dir/c &amp; d' }, { key: 'never-was' }]));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(xmlAll(res.text, 'Key')).toEqual(['a', 'dir/c & d', 'never-was']);
    expect(res.text).not.toContain('<Error>');
    expect(xmlAll((await f.send({ method: 'GET', bucket: b, key: '' })).text, 'Key')).toEqual(['b']);
    const quiet = await deleteMany(f, b, deleteXml([{ key: 'b' }], true));
    expect([quiet.status, xmlAll(quiet.text, 'Deleted')]).toEqual([200, []]);
    expect(xmlAll((await f.send({ method: 'GET', bucket: b, key: '' })).text, 'Key')).toEqual([]);
  });

  it('requires a correct Content-MD5 and a Delete document of 1 to 1,000 objects', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'keep', 'x');
    const body = deleteXml([{ key: 'keep' }]);
    const missing = await f.send({ method: 'POST', bucket: b, key: '', query: 'delete', body });
    expect([missing.status, code(missing)]).toEqual([400, 'MissingContentMD5']);
    expect([(await deleteMany(f, b, body, undefined, 'bogus!')).status]).toEqual([400]);
    expect(code(await deleteMany(f, b, body, undefined, 'bogus!'))).toBe('InvalidDigest');
    const wrong = await deleteMany(f, b, body, undefined, md5b64('something else'));
    expect([wrong.status, code(wrong)]).toEqual([400, 'BadDigest']);
    const many = Array.from({ length: 1001 }, (_, i) => ({ key: `k${i}` }));
    const tooMany = await deleteMany(f, b, deleteXml(many));
    expect([tooMany.status, code(tooMany)]).toEqual([400, 'MalformedXML']);
    for (const bad of ['<Delete></Delete>', '<Delete><Object><Key></Key></Object></Delete>', '<Remove/>', '<Delete>']) {
      const res = await deleteMany(f, b, bad);
      expect([bad, res.status, code(res)]).toEqual([bad, 400, 'MalformedXML']);
    }
    // A body of many tiny elements is refused before it is parsed.
    const flood = await deleteMany(f, b, `<Delete>${'<x/>'.repeat(7000)}<Object><Key>keep</Key></Object></Delete>`);
    expect([flood.status, code(flood)]).toEqual([400, 'MalformedXML']);
    expect(flood.text).toContain('more than');
    const versioned = Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}`, versionId: 'null' }));
    expect((await deleteMany(f, b, deleteXml(versioned, true))).status).toBe(200);
    const badQuiet = await deleteMany(f, b, '<Delete><Quiet>yes</Quiet><Object><Key>keep</Key></Object></Delete>');
    expect(code(badQuiet)).toBe('MalformedXML');
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'keep' })).status).toBe(200);
    const exactly1000 = await deleteMany(f, b, deleteXml(many.slice(0, 1000)), undefined);
    expect([exactly1000.status, xmlAll(exactly1000.text, 'Deleted').length]).toEqual([200, 1000]);
    const noBucket = await deleteMany(f, 'no-such-bucket-del', body);
    expect([noBucket.status, code(noBucket)]).toEqual([404, 'NoSuchBucket']);
    const onKey = await f.send({ method: 'POST', bucket: b, key: 'keep', query: 'delete', body });
    expect([onKey.status, code(onKey)]).toEqual([405, 'MethodNotAllowed']);
  });

  it('per-key errors: AccessDenied without WRITE, KeyTooLong, bad version ids; anonymous is refused', async () => {
    const b = await createBucket(f, 'public-read');
    await putObject(f, b, 'k', 'x');
    const denied = await deleteMany(f, b, deleteXml([{ key: 'k' }, { key: 'other' }], true), OTHER);
    expect(denied.status).toBe(200);
    expect(xmlAll(denied.text, 'Code')).toEqual(['AccessDenied', 'AccessDenied']);
    expect(xmlAll(denied.text, 'Key')).toEqual(['k', 'other']);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'k' })).status).toBe(200);
    const mixed = await deleteMany(
      f,
      b,
      deleteXml([{ key: 'x'.repeat(1025) }, { key: 'k', versionId: 'bad' }, { key: 'k' }]),
    );
    expect(xmlAll(mixed.text, 'Code')).toEqual(['KeyTooLong', 'InvalidArgument']);
    expect(xml1(mixed.text, 'Deleted')).toContain('<Key>k</Key>');
    const anonymous = await deleteMany(f, b, deleteXml([{ key: 'k' }]), null);
    expect([anonymous.status, code(anonymous)]).toEqual([403, 'AccessDenied']);
  });

  it('faults can target the new operations by name', async () => {
    const b = await createBucket(f);
    f.emu.faults.add({ op: 'DeleteObjects', status: 503 });
    f.emu.faults.add({ op: 'ListObjectsV2', status: 500 });
    expect((await deleteMany(f, b, deleteXml([{ key: 'k' }]))).status).toBe(503);
    expect((await deleteMany(f, b, deleteXml([{ key: 'k' }]))).status).toBe(200);
    expect((await f.send({ method: 'GET', bucket: b, key: '', query: 'list-type=2' })).status).toBe(500);
    expect(() => f.emu.faults.add({ op: 'DeleteEverything', status: 500 })).toThrow(TypeError);
  });

  it('versioned buckets: keys get delete markers, version ids delete versions', async () => {
    const b = await createBucket(f);
    const versioning = '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
    await f.send({ method: 'PUT', bucket: b, key: '', query: 'versioning', body: versioning });
    const v1 = (await putObject(f, b, 'v', 'one')).headers['x-kss-version-id'] as string;
    await putObject(f, b, 'v', 'two');
    const res = await deleteMany(f, b, deleteXml([{ key: 'v' }, { key: 'v', versionId: v1 }]));
    const [marker, version] = xmlAll(res.text, 'Deleted');
    expect(xml1(marker ?? '', 'DeleteMarker')).toBe('true');
    expect(xml1(marker ?? '', 'DeleteMarkerVersionId')).toMatch(/^[0-9a-f]{32}$/);
    expect([xml1(version ?? '', 'VersionId'), xml1(version ?? '', 'DeleteMarker')]).toEqual([v1, undefined]);
    const versions = await f.send({ method: 'GET', bucket: b, key: '', query: 'versions' });
    expect(xmlAll(versions.text, 'VersionId')).toHaveLength(2);
    expect(versions.text).not.toContain(v1);
    // Deleting the marker by its id answers it as a delete marker.
    const markerId = xml1(marker ?? '', 'DeleteMarkerVersionId') ?? '';
    const unmark = await deleteMany(f, b, deleteXml([{ key: 'v', versionId: markerId }]));
    const gone = xml1(unmark.text, 'Deleted') ?? '';
    expect([xml1(gone, 'VersionId'), xml1(gone, 'DeleteMarker'), xml1(gone, 'DeleteMarkerVersionId')]).toEqual([
      markerId,
      'true',
      markerId,
    ]);
    expect((await f.send({ method: 'GET', bucket: b, key: 'v' })).text).toBe('two');
  });
});
