/** Object and bucket tagging: ?tagging, x-kss-tagging on writes, x-kss-tagging-count, copies. */
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { OTHER, code, md5b64, xml1, xmlAll } from './helpers/ks3.js';

function taggingXml(tags: [string, string][]): string {
  const items = tags.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('');
  return `<Tagging><TagSet>${items}</TagSet></Tagging>`;
}

/** [key, value] pairs of a Tagging document. */
function tagsOf(xml: string): string[][] {
  return xmlAll(xml, 'Tag').map((t) => [xml1(t, 'Key') ?? '', xml1(t, 'Value') ?? '']);
}

describe('object tagging', () => {
  const f = useEmulator();

  it('PUT/GET/DELETE ?tagging; Last-Modified unchanged; x-kss-tagging-count on GET and HEAD', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'body');
    const before = (await f.send({ method: 'HEAD', bucket: b, key: 'k' })).headers['last-modified'];
    const none = await f.send({ method: 'GET', bucket: b, key: 'k', query: 'tagging' });
    expect([none.status, tagsOf(none.text)]).toEqual([200, []]);
    expect(none.text).toContain('<TagSet></TagSet>');
    const tags: [string, string][] = [
      ['project', 'Blue Sky'],
      ['a+b-c=d._:/@', 'x/y:z@1'],
    ];
    const body = taggingXml(tags);
    const put = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'k',
      query: 'tagging',
      body,
      headers: { 'Content-MD5': md5b64(body) },
    });
    expect([put.status, put.text]).toEqual([200, '']);
    expect(tagsOf((await f.send({ method: 'GET', bucket: b, key: 'k', query: 'tagging' })).text)).toEqual(tags);
    for (const method of ['GET', 'HEAD']) {
      const res = await f.send({ method, bucket: b, key: 'k' });
      expect([res.headers['x-kss-tagging-count'], res.headers['last-modified']]).toEqual(['2', before]);
    }
    const del = await f.send({ method: 'DELETE', bucket: b, key: 'k', query: 'tagging' });
    expect(del.status).toBe(204);
    expect(tagsOf((await f.send({ method: 'GET', bucket: b, key: 'k', query: 'tagging' })).text)).toEqual([]);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'k' })).headers['x-kss-tagging-count']).toBeUndefined();
    const missing = await f.send({ method: 'GET', bucket: b, key: 'nope', query: 'tagging' });
    expect([missing.status, code(missing)]).toEqual([404, 'NoSuchKey']);
    const wrongMd5 = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'k',
      query: 'tagging',
      body,
      headers: { 'Content-MD5': md5b64('other') },
    });
    expect([wrongMd5.status, code(wrongMd5)]).toEqual([400, 'BadDigest']);
    const stranger = await f.send({ method: 'PUT', bucket: b, key: 'k', query: 'tagging', body, creds: OTHER });
    expect([stranger.status, code(stranger)]).toEqual([403, 'AccessDenied']);
  });

  it("enforces KS3's limits: 10 tags, unique keys, 128/256 bytes, allowed characters, reserved prefixes", async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'x');
    const cases: [string, string, string][] = [
      ['11 tags', taggingXml(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])), 'BadRequest'],
      [
        'duplicate key',
        taggingXml([
          ['k', '1'],
          ['k', '2'],
        ]),
        'InvalidTag',
      ],
      ['key of 129 bytes', taggingXml([['k'.repeat(129), 'v']]), 'InvalidTag'],
      ['value of 257 bytes', taggingXml([['k', 'v'.repeat(257)]]), 'InvalidTag'],
      ['empty key', taggingXml([['', 'v']]), 'InvalidTag'],
      ['empty value', taggingXml([['k', '']]), 'InvalidTag'],
      ['leading space', taggingXml([[' k', 'v']]), 'InvalidTag'],
      ['trailing space', taggingXml([['k', 'v ']]), 'InvalidTag'],
      ['disallowed character', taggingXml([['k#', 'v']]), 'InvalidTag'],
      ['non-ASCII letter', taggingXml([['键', 'v']]), 'InvalidTag'],
      ['reserved kss:', taggingXml([['kss:x', 'v']]), 'InvalidTag'],
      ['reserved ksc:', taggingXml([['KSC:x', 'v']]), 'InvalidTag'],
      ['no TagSet', '<Tagging></Tagging>', 'MalformedXML'],
      ['no Value', '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>', 'MalformedXML'],
      ['wrong root', '<Tags><TagSet/></Tags>', 'MalformedXML'],
      ['not XML', '<Tagging><TagSet>', 'MalformedXML'],
    ];
    for (const [what, body, expected] of cases) {
      const res = await f.send({ method: 'PUT', bucket: b, key: 'k', query: 'tagging', body });
      expect([what, res.status, code(res)]).toEqual([what, 400, expected]);
    }
    const ten = taggingXml(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v'.repeat(256)]));
    expect((await f.send({ method: 'PUT', bucket: b, key: 'k', query: 'tagging', body: ten })).status).toBe(200);
    const longKey = taggingXml([['k'.repeat(128), 'v']]);
    expect((await f.send({ method: 'PUT', bucket: b, key: 'k', query: 'tagging', body: longKey })).status).toBe(200);
  });

  it('x-kss-tagging on PUT and Initiate (URL-encoded k=v&k2=v2), refused when invalid', async () => {
    const b = await createBucket(f);
    const put = await putObject(f, b, 'p', 'x', { 'x-kss-tagging': 'team=data%20eng&env=prod' });
    expect(put.status).toBe(200);
    expect(tagsOf((await f.send({ method: 'GET', bucket: b, key: 'p', query: 'tagging' })).text)).toEqual([
      ['team', 'data eng'],
      ['env', 'prod'],
    ]);
    for (const bad of [
      'k=v&k=w',
      'novalue',
      'k=%E9%94%AE',
      Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&'),
    ]) {
      const res = await f.send({ method: 'PUT', bucket: b, key: 'bad', body: 'x', headers: { 'x-kss-tagging': bad } });
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(['InvalidTag', 'BadRequest']).toContain(code(res));
    }
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'bad' })).status).toBe(404);

    const init = await f.send({
      method: 'POST',
      bucket: b,
      key: 'mp',
      query: 'uploads',
      headers: { 'x-kss-tagging': 'a=1' },
    });
    const id = xml1(init.text, 'UploadId') ?? '';
    const etag = (
      await f.send({ method: 'PUT', bucket: b, key: 'mp', query: `partNumber=1&uploadId=${id}`, body: 'p' })
    ).headers.etag;
    await f.send({
      method: 'POST',
      bucket: b,
      key: 'mp',
      query: `uploadId=${id}`,
      body:
        `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part>` +
        '</CompleteMultipartUpload>',
    });
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'mp' })).headers['x-kss-tagging-count']).toBe('1');
  });

  it('copies keep the source tags (COPY) or take x-kss-tagging (REPLACE)', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'src', 'x', { 'x-kss-tagging': 'a=1&b=2' });
    const source = { 'x-kss-copy-source': `/${b}/src` };
    await f.send({ method: 'PUT', bucket: b, key: 'copied', headers: source });
    expect(tagsOf((await f.send({ method: 'GET', bucket: b, key: 'copied', query: 'tagging' })).text)).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    await f.send({
      method: 'PUT',
      bucket: b,
      key: 'replaced',
      headers: { ...source, 'x-kss-tagging-directive': 'REPLACE', 'x-kss-tagging': 'c=3' },
    });
    expect(tagsOf((await f.send({ method: 'GET', bucket: b, key: 'replaced', query: 'tagging' })).text)).toEqual([
      ['c', '3'],
    ]);
    await f.send({
      method: 'PUT',
      bucket: b,
      key: 'untagged',
      headers: { ...source, 'x-kss-tagging-directive': 'REPLACE' },
    });
    expect(tagsOf((await f.send({ method: 'GET', bucket: b, key: 'untagged', query: 'tagging' })).text)).toEqual([]);
    const bad = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'x',
      headers: { ...source, 'x-kss-tagging-directive': 'MOVE' },
    });
    expect([bad.status, code(bad)]).toEqual([400, 'InvalidArgument']);
  });

  it('tags belong to a version (?tagging&versionId)', async () => {
    const b = await createBucket(f);
    const on = '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
    await f.send({ method: 'PUT', bucket: b, key: '', query: 'versioning', body: on });
    const v1 = (await putObject(f, b, 'k', 'one', { 'x-kss-tagging': 'v=1' })).headers['x-kss-version-id'] as string;
    await putObject(f, b, 'k', 'two', { 'x-kss-tagging': 'v=2' });
    const body = taggingXml([['v', 'one-changed']]);
    const put = await f.send({ method: 'PUT', bucket: b, key: 'k', query: `tagging&versionId=${v1}`, body });
    expect([put.status, put.headers['x-kss-version-id']]).toEqual([200, v1]);
    const old = await f.send({ method: 'GET', bucket: b, key: 'k', query: `tagging&versionId=${v1}` });
    expect([tagsOf(old.text), old.headers['x-kss-version-id']]).toEqual([[['v', 'one-changed']], v1]);
    expect(tagsOf((await f.send({ method: 'GET', bucket: b, key: 'k', query: 'tagging' })).text)).toEqual([['v', '2']]);
  });
});

describe('bucket tagging', () => {
  const f = useEmulator();

  it('NoSuchTagSet until set; PUT replaces, DELETE removes; owner only; 50 tags at most', async () => {
    const b = await createBucket(f);
    const none = await f.send({ method: 'GET', bucket: b, key: '', query: 'tagging' });
    expect([none.status, code(none)]).toEqual([404, 'NoSuchTagSet']);
    const body = taggingXml([['cost-center', '42']]);
    const put = await f.send({
      method: 'PUT',
      bucket: b,
      key: '',
      query: 'tagging',
      body,
      headers: { 'Content-MD5': md5b64(body) },
    });
    expect(put.status).toBe(200);
    expect(tagsOf((await f.send({ method: 'GET', bucket: b, key: '', query: 'tagging' })).text)).toEqual([
      ['cost-center', '42'],
    ]);
    const stranger = await f.send({ method: 'GET', bucket: b, key: '', query: 'tagging', creds: OTHER });
    expect([stranger.status, code(stranger)]).toEqual([403, 'AccessDenied']);
    const fifty = taggingXml(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect((await f.send({ method: 'PUT', bucket: b, key: '', query: 'tagging', body: fifty })).status).toBe(200);
    expect(tagsOf((await f.send({ method: 'GET', bucket: b, key: '', query: 'tagging' })).text)).toHaveLength(50);
    const fiftyOne = taggingXml(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await f.send({ method: 'PUT', bucket: b, key: '', query: 'tagging', body: fiftyOne });
    expect([tooMany.status, code(tooMany)]).toEqual([400, 'BadRequest']);
    const invalid = await f.send({
      method: 'PUT',
      bucket: b,
      key: '',
      query: 'tagging',
      body: taggingXml([['kss:x', 'v']]),
    });
    expect([invalid.status, code(invalid)]).toEqual([400, 'InvalidTag']);
    expect((await f.send({ method: 'DELETE', bucket: b, key: '', query: 'tagging' })).status).toBe(204);
    expect(code(await f.send({ method: 'GET', bucket: b, key: '', query: 'tagging' }))).toBe('NoSuchTagSet');
  });
});
