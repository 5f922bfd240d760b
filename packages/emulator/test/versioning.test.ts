/** Bucket versioning: ?versioning, versions and delete markers, ?versions, by-version reads, restarts. */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, start, tempDir, useEmulator, type Fixture } from './helpers/emulator.js';
import { OTHER, code, send, xml1, xmlAll } from './helpers/ks3.js';

const ENABLED = '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
const SUSPENDED = '<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>';

async function setVersioning(f: Fixture, bucket: string, body: string) {
  const res = await f.send({ method: 'PUT', bucket, key: '', query: 'versioning', body });
  expect([res.status, res.text]).toEqual([200, '']);
}

async function versionedBucket(f: Fixture): Promise<string> {
  const b = await createBucket(f);
  await setVersioning(f, b, ENABLED);
  return b;
}

/** [key, versionId, kind, isLatest] of every entry of a ?versions page. */
function entries(xml: string): string[][] {
  return [...xml.matchAll(/<(Version|DeleteMarker)>([\s\S]*?)<\/\1>/g)].map((m) => [
    xml1(m[2] ?? '', 'Key') ?? '',
    xml1(m[2] ?? '', 'VersionId') ?? '',
    m[1] === 'Version' ? 'V' : 'DM',
    xml1(m[2] ?? '', 'IsLatest') ?? '',
  ]);
}

describe('versioning configuration', () => {
  const f = useEmulator();

  it('GET shows nothing before the first PUT, then the status; bad bodies and strangers are refused', async () => {
    const b = await createBucket(f);
    const empty = await f.send({ method: 'GET', bucket: b, key: '', query: 'versioning' });
    expect(empty.status).toBe(200);
    expect(empty.text).toContain(
      '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></VersioningConfiguration>',
    );
    await setVersioning(f, b, ENABLED);
    const on = await f.send({ method: 'GET', bucket: b, key: '', query: 'versioning' });
    expect(xml1(on.text, 'Status')).toBe('Enabled');
    await setVersioning(f, b, SUSPENDED);
    expect(xml1((await f.send({ method: 'GET', bucket: b, key: '', query: 'versioning' })).text, 'Status')).toBe(
      'Suspended',
    );
    for (const body of [
      '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>',
      '<VersioningConfiguration/>',
      '<Other><Status>Enabled</Status></Other>',
      '<VersioningConfiguration><Status>Enabled</Status>',
    ]) {
      const bad = await f.send({ method: 'PUT', bucket: b, key: '', query: 'versioning', body });
      expect([body, bad.status, code(bad)]).toEqual([body, 400, 'MalformedXML']);
    }
    const mfa = await f.send({
      method: 'PUT',
      bucket: b,
      key: '',
      query: 'versioning',
      body: '<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>',
    });
    expect([mfa.status, code(mfa)]).toEqual([501, 'NotImplemented']);
    const other = await f.send({ method: 'PUT', bucket: b, key: '', query: 'versioning', body: ENABLED, creds: OTHER });
    expect([other.status, code(other)]).toEqual([403, 'AccessDenied']);
    const onObject = await f.send({ method: 'GET', bucket: b, key: 'k', query: 'versioning' });
    expect([onObject.status, code(onObject)]).toEqual([405, 'MethodNotAllowed']);
  });

  it('a never-versioned bucket sends no version headers; versionId=null names its objects', async () => {
    const b = await createBucket(f);
    const put = await putObject(f, b, 'k', 'one');
    expect(put.headers['x-kss-version-id']).toBeUndefined();
    const get = await f.send({ method: 'GET', bucket: b, key: 'k', query: 'versionId=null' });
    expect([get.status, get.text, get.headers['x-kss-version-id']]).toEqual([200, 'one', undefined]);
    const bad = await f.send({ method: 'GET', bucket: b, key: 'k', query: 'versionId=nope' });
    expect([bad.status, code(bad)]).toEqual([400, 'InvalidArgument']);
    const del = await f.send({ method: 'DELETE', bucket: b, key: 'k' });
    expect([del.status, del.headers['x-kss-delete-marker'], del.headers['x-kss-version-id']]).toEqual([
      204,
      undefined,
      undefined,
    ]);
    expect((await f.send({ method: 'GET', bucket: b, key: '', query: 'versions' })).text).not.toContain('<Version>');
  });
});

describe('versions and delete markers', () => {
  const f = useEmulator();

  it('every write keeps the previous version; GET/HEAD by versionId; DELETE adds a marker', async () => {
    const b = await versionedBucket(f);
    const v1 = (await putObject(f, b, 'doc', 'first')).headers['x-kss-version-id'] as string;
    const v2 = (await putObject(f, b, 'doc', 'second')).headers['x-kss-version-id'] as string;
    expect(v1).toMatch(/^[0-9a-f]{32}$/);
    expect(v2).not.toBe(v1);
    const current = await f.send({ method: 'GET', bucket: b, key: 'doc' });
    expect([current.text, current.headers['x-kss-version-id']]).toEqual(['second', v2]);
    const old = await f.send({ method: 'GET', bucket: b, key: 'doc', query: `versionId=${v1}` });
    expect([old.status, old.text, old.headers['x-kss-version-id']]).toEqual([200, 'first', v1]);
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'doc', query: `versionId=${v1}` });
    expect([head.status, head.headers['content-length']]).toEqual([200, '5']);

    const del = await f.send({ method: 'DELETE', bucket: b, key: 'doc' });
    const marker = del.headers['x-kss-version-id'] as string;
    expect([del.status, del.headers['x-kss-delete-marker']]).toEqual([204, 'true']);
    expect(marker).toMatch(/^[0-9a-f]{32}$/);
    const gone = await f.send({ method: 'GET', bucket: b, key: 'doc' });
    expect([gone.status, code(gone), gone.headers['x-kss-delete-marker']]).toEqual([404, 'NoSuchKey', 'true']);
    const onMarker = await f.send({ method: 'GET', bucket: b, key: 'doc', query: `versionId=${marker}` });
    expect([onMarker.status, code(onMarker), onMarker.headers['x-kss-delete-marker']]).toEqual([
      405,
      'MethodNotAllowed',
      'true',
    ]);
    const unknown = await f.send({ method: 'GET', bucket: b, key: 'doc', query: `versionId=${'0'.repeat(32)}` });
    expect([unknown.status, code(unknown)]).toEqual([404, 'NoSuchVersion']);
    expect(xmlAll((await f.send({ method: 'GET', bucket: b, key: '' })).text, 'Key')).toEqual([]);
    expect(entries((await f.send({ method: 'GET', bucket: b, key: '', query: 'versions' })).text)).toEqual([
      ['doc', marker, 'DM', 'true'],
      ['doc', v2, 'V', 'false'],
      ['doc', v1, 'V', 'false'],
    ]);

    // Removing the marker by id brings the newest version back.
    const unmark = await f.send({ method: 'DELETE', bucket: b, key: 'doc', query: `versionId=${marker}` });
    expect([unmark.status, unmark.headers['x-kss-delete-marker'], unmark.headers['x-kss-version-id']]).toEqual([
      204,
      'true',
      marker,
    ]);
    expect((await f.send({ method: 'GET', bucket: b, key: 'doc' })).text).toBe('second');
    // Removing a version by id deletes it for good.
    const drop = await f.send({ method: 'DELETE', bucket: b, key: 'doc', query: `versionId=${v2}` });
    expect([drop.status, drop.headers['x-kss-delete-marker']]).toEqual([204, undefined]);
    expect((await f.send({ method: 'GET', bucket: b, key: 'doc' })).text).toBe('first');
    const bucketDelete = await f.send({ method: 'DELETE', bucket: b, key: '' });
    expect([bucketDelete.status, code(bucketDelete)]).toEqual([409, 'BucketNotEmpty']);
    await f.send({ method: 'DELETE', bucket: b, key: 'doc', query: `versionId=${v1}` });
    expect((await f.send({ method: 'DELETE', bucket: b, key: '' })).status).toBe(204);
  });

  it('suspended: writes and deletes replace the null version; earlier versions stay', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'before');
    await setVersioning(f, b, ENABLED);
    const v1 = (await putObject(f, b, 'k', 'enabled')).headers['x-kss-version-id'] as string;
    await setVersioning(f, b, SUSPENDED);
    const put = await putObject(f, b, 'k', 'suspended 1');
    expect(put.headers['x-kss-version-id']).toBe('null');
    await putObject(f, b, 'k', 'suspended 2');
    expect(entries((await f.send({ method: 'GET', bucket: b, key: '', query: 'versions' })).text)).toEqual([
      ['k', 'null', 'V', 'true'],
      ['k', v1, 'V', 'false'],
    ]);
    const del = await f.send({ method: 'DELETE', bucket: b, key: 'k' });
    expect([del.headers['x-kss-delete-marker'], del.headers['x-kss-version-id']]).toEqual(['true', 'null']);
    expect(entries((await f.send({ method: 'GET', bucket: b, key: '', query: 'versions' })).text)).toEqual([
      ['k', 'null', 'DM', 'true'],
      ['k', v1, 'V', 'false'],
    ]);
    expect((await f.send({ method: 'GET', bucket: b, key: 'k', query: `versionId=${v1}` })).text).toBe('enabled');
  });

  it('copy from a version, multipart and copy answers carry version ids; ACLs apply per version', async () => {
    const b = await versionedBucket(f);
    const v1 = (await putObject(f, b, 'src', 'old bytes')).headers['x-kss-version-id'] as string;
    await putObject(f, b, 'src', 'new bytes');
    const copy = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'dst',
      headers: { 'x-kss-copy-source': `/${b}/src?versionId=${v1}` },
    });
    expect(copy.status).toBe(200);
    expect(copy.headers['x-kss-copy-source-version-id']).toBe(v1);
    expect(copy.headers['x-kss-version-id']).toMatch(/^[0-9a-f]{32}$/);
    expect((await f.send({ method: 'GET', bucket: b, key: 'dst' })).text).toBe('old bytes');
    // Copying an old version onto its own key restores it as the newest version.
    const self = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'src',
      headers: { 'x-kss-copy-source': `/${b}/src?versionId=${v1}` },
    });
    expect(self.status).toBe(200);
    expect((await f.send({ method: 'GET', bucket: b, key: 'src' })).text).toBe('old bytes');
    const badVersion = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'dst',
      headers: { 'x-kss-copy-source': `/${b}/src?versionId=${'f'.repeat(32)}` },
    });
    expect([badVersion.status, code(badVersion)]).toEqual([404, 'NoSuchVersion']);

    const init = await f.send({ method: 'POST', bucket: b, key: 'mp', query: 'uploads' });
    const id = xml1(init.text, 'UploadId') ?? '';
    const etag = (
      await f.send({ method: 'PUT', bucket: b, key: 'mp', query: `partNumber=1&uploadId=${id}`, body: 'p' })
    ).headers.etag;
    const done = await f.send({
      method: 'POST',
      bucket: b,
      key: 'mp',
      query: `uploadId=${id}`,
      body:
        `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part>` +
        '</CompleteMultipartUpload>',
    });
    expect(done.headers['x-kss-version-id']).toMatch(/^[0-9a-f]{32}$/);

    const acl = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'src',
      query: `acl&versionId=${v1}`,
      headers: { 'x-kss-acl': 'public-read' },
    });
    expect(acl.status).toBe(200);
    expect((await f.send({ method: 'GET', bucket: b, key: 'src', query: `versionId=${v1}`, creds: null })).status).toBe(
      200,
    );
    expect((await f.send({ method: 'GET', bucket: b, key: 'src', creds: null })).status).toBe(403);
  });
});

describe('?versions listing', () => {
  const f = useEmulator();

  it('pages with key-marker / version-id-marker, prefix, delimiter and max-keys, without duplicates', async () => {
    const b = await versionedBucket(f);
    const written: string[][] = [];
    for (const key of ['a', 'b/1', 'b/2', 'c']) {
      for (let i = 0; i < 3; i++) {
        const id = (await putObject(f, b, key, `${key}-${i}`)).headers['x-kss-version-id'] as string;
        written.unshift([key, id]);
      }
    }
    const del = await f.send({ method: 'DELETE', bucket: b, key: 'c' });
    const expected = [
      ...['a', 'b/1', 'b/2'].flatMap((k) => written.filter((w) => w[0] === k)),
      ['c', del.headers['x-kss-version-id'] as string],
      ...written.filter((w) => w[0] === 'c'),
    ];
    const seen: string[][] = [];
    let keyMarker = '';
    let versionMarker = '';
    for (let page = 0; page < 20; page++) {
      let query = 'versions&max-keys=4';
      if (keyMarker) query += `&key-marker=${keyMarker}`;
      if (versionMarker) query += `&version-id-marker=${versionMarker}`;
      const res = await f.send({ method: 'GET', bucket: b, key: '', query });
      expect(res.status).toBe(200);
      seen.push(...entries(res.text).map((e) => [e[0] ?? '', e[1] ?? '']));
      if (xml1(res.text, 'IsTruncated') !== 'true') break;
      keyMarker = encodeURIComponent(xml1(res.text, 'NextKeyMarker') ?? '');
      versionMarker = xml1(res.text, 'NextVersionIdMarker') ?? '';
    }
    expect(seen).toEqual(expected);

    const grouped = await f.send({ method: 'GET', bucket: b, key: '', query: 'versions&delimiter=/' });
    expect(xmlAll(grouped.text, 'Prefix')).toEqual(['', 'b/']);
    expect(new Set(entries(grouped.text).map((e) => e[0]))).toEqual(new Set(['a', 'c']));
    const prefixed = await f.send({ method: 'GET', bucket: b, key: '', query: 'versions&prefix=b/2' });
    expect(entries(prefixed.text).map((e) => e[0])).toEqual(['b/2', 'b/2', 'b/2']);
    expect(entries(prefixed.text).map((e) => e[3])).toEqual(['true', 'false', 'false']);
    const orphanMarker = await f.send({
      method: 'GET',
      bucket: b,
      key: '',
      query: `versions&version-id-marker=${'a'.repeat(32)}`,
    });
    expect([orphanMarker.status, code(orphanMarker)]).toEqual([400, 'InvalidArgument']);
    const badMax = await f.send({ method: 'GET', bucket: b, key: '', query: 'versions&max-keys=x' });
    expect([badMax.status, code(badMax)]).toEqual([400, 'InvalidArgument']);
  });
});

describe('versions on disk', () => {
  it('survive a restart (versions, delete markers, the null version); removed versions lose their data', async () => {
    const data = tempDir();
    try {
      let emu = await start({}, data);
      const s = (r: Parameters<typeof send>[1]) => send(emu.url, r);
      await s({ method: 'PUT', bucket: 'vdisk', key: '' });
      await s({ method: 'PUT', bucket: 'vdisk', key: 'plain', body: 'null version' });
      await s({ method: 'PUT', bucket: 'vdisk', key: '', query: 'versioning', body: ENABLED });
      const v1 = (await s({ method: 'PUT', bucket: 'vdisk', key: 'k', body: 'one' })).headers['x-kss-version-id'];
      const v2 = (await s({ method: 'PUT', bucket: 'vdisk', key: 'k', body: 'two' })).headers['x-kss-version-id'];
      const dm = (await s({ method: 'DELETE', bucket: 'vdisk', key: 'k' })).headers['x-kss-version-id'];
      await s({ method: 'DELETE', bucket: 'vdisk', key: 'k', query: `versionId=${v2}` });
      await s({ method: 'PUT', bucket: 'vdisk', key: 'lost', body: 'one' });
      const lost = (await s({ method: 'PUT', bucket: 'vdisk', key: 'lost', body: 'two' })).headers['x-kss-version-id'];
      await emu.close();
      // Damage startup must repair: a stray data file, and a version whose bytes are gone.
      const dataDir = join(data, 'buckets', 'vdisk', 'data');
      writeFileSync(join(dataDir, 'orphan00000000000000000000'), 'orphan');
      const h = createHash('sha256').update('lost').digest('hex');
      const stack = JSON.parse(
        readFileSync(join(data, 'buckets', 'vdisk', 'objects', h.slice(0, 2), `${h}.json`), 'utf8'),
      );
      unlinkSync(join(dataDir, stack.stack[0].dataId));
      emu = await start({}, data);
      try {
        const list = (await s({ method: 'GET', bucket: 'vdisk', key: '', query: 'versions' })).text;
        expect(entries(list)).toEqual([
          ['k', dm as string, 'DM', 'true'],
          ['k', v1 as string, 'V', 'false'],
          ['lost', stack.stack[1].versionId, 'V', 'true'],
          ['plain', 'null', 'V', 'true'],
        ]);
        expect(list).not.toContain(lost as string);
        expect((await s({ method: 'GET', bucket: 'vdisk', key: 'lost' })).text).toBe('one');
        expect((await s({ method: 'GET', bucket: 'vdisk', key: 'k', query: `versionId=${v1}` })).text).toBe('one');
        expect((await s({ method: 'GET', bucket: 'vdisk', key: 'plain' })).text).toBe('null version');
        expect(xml1((await s({ method: 'GET', bucket: 'vdisk', key: '', query: 'versioning' })).text, 'Status')).toBe(
          'Enabled',
        );
        expect(xmlAll((await s({ method: 'GET', bucket: 'vdisk', key: '' })).text, 'Key')).toEqual(['lost', 'plain']);
        // k@v1, lost@one, plain: the orphan and the bytes of removed versions are gone.
        expect(readdirSync(dataDir)).toHaveLength(3);
      } finally {
        await emu.close();
      }
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
