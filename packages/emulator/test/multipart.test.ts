/** Multipart uploads (§4.15–4.21). */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator, type Fixture } from './helpers/emulator.js';
import { code, md5b64, md5hex, xml1, xmlAll } from './helpers/ks3.js';

const MIN = 100 * 1024;

async function initiate(
  f: Fixture,
  bucket: string,
  key: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await f.send({ method: 'POST', bucket, key, query: 'uploads', headers });
  expect(res.status).toBe(200);
  return xml1(res.text, 'UploadId') ?? '';
}

async function part(f: Fixture, bucket: string, key: string, uploadId: string, n: number, body: Buffer | string) {
  return f.send({ method: 'PUT', bucket, key, query: `partNumber=${n}&uploadId=${uploadId}`, body });
}

function completeXml(parts: [number, string][]): string {
  // Exactly the reference's body (§4.19): two-space indentation, quoted ETags.
  return `<CompleteMultipartUpload>\n${parts.map(([n, e]) => `  <Part>\n    <PartNumber>${n}</PartNumber>\n    <ETag>${e}</ETag>\n  </Part>\n`).join('')}</CompleteMultipartUpload>`;
}

describe('multipart uploads', () => {
  const f = useEmulator();

  it('initiate → parts → list parts (ns2:) → complete: S3-style ETag, initiate-time attributes', async () => {
    const b = await createBucket(f);
    const key = 'big/video.mp4';
    const init = await f.send({
      method: 'POST',
      bucket: b,
      key,
      query: 'uploads',
      headers: {
        'Content-Type': 'video/mp4',
        'X-Kss-Meta-Author': 'Alice',
        'X-KSS-STORAGE-CLASS': 'STANDARD_IA',
        'x-kss-acl': 'public-read',
      },
    });
    expect(init.text).toContain('<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect([xml1(init.text, 'Bucket'), xml1(init.text, 'Key')]).toEqual([b, key]);
    const id = xml1(init.text, 'UploadId') ?? '';
    const p1 = Buffer.alloc(MIN, 1);
    const p2 = Buffer.from('tail');
    const r1 = await f.send({
      method: 'PUT',
      bucket: b,
      key,
      query: `partNumber=1&uploadId=${id}`,
      body: p1,
      headers: { 'Content-MD5': md5b64(p1) },
    });
    expect([r1.status, r1.text, r1.headers.etag]).toEqual([200, '', `"${md5hex(p1)}"`]);
    // The other order of the query (upload part copy style) works too.
    const r2 = await f.send({ method: 'PUT', bucket: b, key, query: `uploadId=${id}&partNumber=2`, body: p2 });
    expect(r2.headers.etag).toBe(`"${md5hex(p2)}"`);

    const list = await f.send({ method: 'GET', bucket: b, key, query: `uploadId=${id}` });
    expect(list.status).toBe(200);
    expect(list.text.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')).toBe(true);
    expect(list.text).toContain('<ns2:ListPartsResult xmlns:ns2="http://s3.amazonaws.com/doc/2006-03-01/">');
    for (const tag of [
      'ns2:Bucket',
      'ns2:Key',
      'ns2:UploadId',
      'ns2:Initiator',
      'ns2:Owner',
      'ns2:StorageClass',
      'ns2:PartNumberMarker',
      'ns2:NextPartNumberMarker',
      'ns2:MaxParts',
      'ns2:IsTruncated',
    ]) {
      expect([tag, xmlAll(list.text, tag).length]).toEqual([tag, 1]);
    }
    expect(list.text).not.toMatch(/<(Part|Bucket|Key)>/);
    expect(xmlAll(list.text, 'ns2:PartNumber')).toEqual(['1', '2']);
    expect(xmlAll(list.text, 'ns2:Size')).toEqual([String(MIN), '4']);
    expect(xml1(list.text, 'ns2:StorageClass')).toBe('STANDARD_IA');
    const etags = xmlAll(list.text, 'ns2:ETag');
    expect(etags).toEqual([`"${md5hex(p1)}"`, `"${md5hex(p2)}"`]);

    // Complete with the ETags echoed back verbatim from List Parts (§10 item 13).
    const done = await f.send({
      method: 'POST',
      bucket: b,
      key,
      query: `uploadId=${id}`,
      headers: { 'Content-Type': 'text/xml' },
      body: completeXml([
        [1, etags[0] ?? ''],
        [2, etags[1] ?? ''],
      ]),
    });
    expect(done.status).toBe(200);
    expect(done.text).toContain('<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    const expectedEtag = `"${createHash('md5')
      .update(Buffer.concat([Buffer.from(md5hex(p1), 'hex'), Buffer.from(md5hex(p2), 'hex')]))
      .digest('hex')}-2"`;
    expect(xml1(done.text, 'ETag')).toBe(expectedEtag);
    expect(xml1(done.text, 'Location')).toContain(`/${b}/big/video.mp4`);

    const get = await f.send({ method: 'GET', bucket: b, key });
    expect(get.body.equals(Buffer.concat([p1, p2]))).toBe(true);
    expect([
      get.headers.etag,
      get.headers['content-type'],
      get.headers['x-kss-meta-author'],
      get.headers['x-kss-storage-class'],
    ]).toEqual([expectedEtag, 'video/mp4', 'Alice', 'STANDARD_IA']);
    expect((await f.send({ method: 'GET', bucket: b, key, creds: null })).status).toBe(200); // public-read from initiate
    expect(code(await f.send({ method: 'GET', bucket: b, key, query: `uploadId=${id}` }))).toBe('NoSuchUpload');
  });

  it('part numbers outside 1..10000 → 400 InvalidPartNum; unknown upload → 404 NoSuchUpload; re-upload replaces', async () => {
    const b = await createBucket(f);
    const id = await initiate(f, b, 'k');
    for (const n of ['0', '10001', 'x', '-1']) {
      const res = await f.send({
        method: 'PUT',
        bucket: b,
        key: 'k',
        query: `partNumber=${n}&uploadId=${id}`,
        body: 'x',
      });
      expect([n, res.status, code(res)]).toEqual([n, 400, 'InvalidPartNum']);
    }
    expect((await part(f, b, 'k', id, 10000, 'x')).status).toBe(200);
    const unknown = await part(f, b, 'k', 'nope', 1, 'x');
    expect([unknown.status, code(unknown)]).toEqual([404, 'NoSuchUpload']);
    const otherKey = await part(f, b, 'other', id, 1, 'x');
    expect(code(otherKey)).toBe('NoSuchUpload');
    await part(f, b, 'k', id, 3, 'first');
    await part(f, b, 'k', id, 3, 'second!');
    const list = await f.send({ method: 'GET', bucket: b, key: 'k', query: `uploadId=${id}` });
    expect(xmlAll(list.text, 'ns2:ETag')).toContain(`"${md5hex('second!')}"`);
    expect(xmlAll(list.text, 'ns2:ETag')).not.toContain(`"${md5hex('first')}"`);
    const bad = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'k',
      query: `partNumber=4&uploadId=${id}`,
      body: 'abc',
      headers: { 'Content-MD5': md5b64('abd') },
    });
    expect(code(bad)).toBe('BadDigest');
  });

  it('complete errors: MalformedXML, InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload', async () => {
    const b = await createBucket(f);
    const id = await initiate(f, b, 'k');
    const small = Buffer.alloc(MIN - 1, 2);
    const e1 = (await part(f, b, 'k', id, 1, small)).headers.etag as string;
    const e2 = (await part(f, b, 'k', id, 2, Buffer.alloc(MIN, 3))).headers.etag as string;
    const complete = (body: string, upload = id) =>
      f.send({ method: 'POST', bucket: b, key: 'k', query: `uploadId=${upload}`, body });
    for (const body of [
      '',
      '<CompleteMultipartUpload>',
      '<CompleteMultipartUpload></CompleteMultipartUpload>',
      '<Other/>',
      completeXml([[1, e1]]).replace('<PartNumber>1', '<PartNumber>one'),
    ]) {
      const res = await complete(body);
      expect([body.slice(0, 30), res.status, code(res)]).toEqual([body.slice(0, 30), 400, 'MalformedXML']);
    }
    expect(code(await complete(completeXml([[1, '"00000000000000000000000000000000"']])))).toBe('InvalidPart');
    expect(code(await complete(completeXml([[3, e1]])))).toBe('InvalidPart');
    expect(
      code(
        await complete(
          completeXml([
            [2, e2],
            [1, e1],
          ]),
        ),
      ),
    ).toBe('InvalidPartOrder');
    expect(
      code(
        await complete(
          completeXml([
            [1, e1],
            [1, e1],
          ]),
        ),
      ),
    ).toBe('InvalidPartOrder');
    const tooSmall = await complete(
      completeXml([
        [1, e1],
        [2, e2],
      ]),
    );
    expect([tooSmall.status, code(tooSmall), xml1(tooSmall.text, 'PartNumber')]).toEqual([400, 'EntityTooSmall', '1']);
    // A small LAST part is fine; ETags without quotes are accepted.
    const ok = await complete(completeXml([[2, e2.replace(/"/g, '')]]));
    expect(ok.status).toBe(200);
    expect(xml1(ok.text, 'ETag')).toMatch(/-1"$/);
    const gone = await complete(completeXml([[2, e2]]));
    expect([gone.status, code(gone)]).toEqual([404, 'NoSuchUpload']);
  });

  it('abort: 204, then the upload is gone', async () => {
    const b = await createBucket(f);
    const id = await initiate(f, b, 'k');
    await part(f, b, 'k', id, 1, 'x');
    const res = await f.send({ method: 'DELETE', bucket: b, key: 'k', query: `uploadId=${id}` });
    expect([res.status, res.text]).toEqual([204, '']);
    expect(code(await f.send({ method: 'DELETE', bucket: b, key: 'k', query: `uploadId=${id}` }))).toBe('NoSuchUpload');
    expect(code(await part(f, b, 'k', id, 2, 'x'))).toBe('NoSuchUpload');
  });

  it('list parts paging with max-parts and part-number-marker', async () => {
    const b = await createBucket(f);
    const id = await initiate(f, b, 'k');
    for (const n of [1, 2, 3, 5, 8]) await part(f, b, 'k', id, n, `p${n}`);
    const page1 = await f.send({ method: 'GET', bucket: b, key: 'k', query: `uploadId=${id}&max-parts=2` });
    expect(xmlAll(page1.text, 'ns2:PartNumber')).toEqual(['1', '2']);
    expect([
      xml1(page1.text, 'ns2:IsTruncated'),
      xml1(page1.text, 'ns2:NextPartNumberMarker'),
      xml1(page1.text, 'ns2:MaxParts'),
    ]).toEqual(['true', '2', '2']);
    const page2 = await f.send({
      method: 'GET',
      bucket: b,
      key: 'k',
      query: `uploadId=${id}&max-parts=2&part-number-marker=2`,
    });
    expect(xmlAll(page2.text, 'ns2:PartNumber')).toEqual(['3', '5']);
    const page3 = await f.send({
      method: 'GET',
      bucket: b,
      key: 'k',
      query: `uploadId=${id}&max-parts=2&part-number-marker=5`,
    });
    expect([xmlAll(page3.text, 'ns2:PartNumber'), xml1(page3.text, 'ns2:IsTruncated')]).toEqual([['8'], 'false']);
  });

  it('upload part copy: whole source or x-kss-copy-source-range, 200 + CopyPartResult', async () => {
    const b = await createBucket(f);
    const src = Buffer.from('0123456789abcdefghij');
    await putObject(f, b, 'src dir/src.bin', src);
    const id = await initiate(f, b, 'dst');
    const whole = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'dst',
      query: `uploadId=${id}&partNumber=1`,
      headers: { 'x-kss-copy-source': `/${b}/src+dir%2Fsrc.bin` },
    });
    expect(whole.status).toBe(200);
    expect(whole.text).toContain('<CopyPartResult>');
    expect(xml1(whole.text, 'ETag')).toBe(`"${md5hex(src)}"`);
    const ranged = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'dst',
      query: `uploadId=${id}&partNumber=2`,
      headers: { 'x-kss-copy-source': `/${b}/src+dir%2Fsrc.bin`, 'x-kss-copy-source-range': 'bytes=10-14' },
    });
    expect(xml1(ranged.text, 'ETag')).toBe(`"${md5hex('abcde')}"`);
    const bad = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'dst',
      query: `uploadId=${id}&partNumber=3`,
      headers: { 'x-kss-copy-source': `/${b}/src+dir%2Fsrc.bin`, 'x-kss-copy-source-range': 'bytes=5-100' },
    });
    expect([bad.status, code(bad)]).toEqual([416, 'InvalidRange']);
    const syntax = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'dst',
      query: `uploadId=${id}&partNumber=3`,
      headers: { 'x-kss-copy-source': `/${b}/src+dir%2Fsrc.bin`, 'x-kss-copy-source-range': '5-6' },
    });
    expect(code(syntax)).toBe('InvalidArgument');
    const list = await f.send({ method: 'GET', bucket: b, key: 'dst', query: `uploadId=${id}` });
    expect(xmlAll(list.text, 'ns2:Size')).toEqual(['20', '5']);
  });

  it('list multipart uploads: unprefixed XML, prefix, delimiter, paging with key-marker and upload-id-marker', async () => {
    const b = await createBucket(f);
    const ids: Record<string, string[]> = {};
    for (const key of ['a/1', 'a/1', 'a/2', 'b', 'c/x/y']) (ids[key] ??= []).push(await initiate(f, b, key));
    const all = await f.send({ method: 'GET', bucket: b, key: '', query: 'uploads' });
    expect(all.status).toBe(200);
    expect(all.text).toContain('<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(all.text).not.toContain('ns2:');
    expect(xmlAll(all.text, 'Key')).toEqual(['a/1', 'a/1', 'a/2', 'b', 'c/x/y']);
    expect(xmlAll(all.text, 'UploadId')).toEqual([
      ...(ids['a/1'] ?? []),
      ...(ids['a/2'] ?? []),
      ...(ids.b ?? []),
      ...(ids['c/x/y'] ?? []),
    ]);
    expect([xml1(all.text, 'IsTruncated'), xml1(all.text, 'MaxUploads')]).toEqual(['false', '1000']);
    expect(xml1(all.text, 'Initiated')).toMatch(/Z$/);

    const seen: string[] = [];
    let markers = '';
    for (let page = 0; page < 10; page++) {
      const res = await f.send({ method: 'GET', bucket: b, key: '', query: `uploads&max-uploads=2${markers}` });
      seen.push(...xmlAll(res.text, 'UploadId'));
      if (xml1(res.text, 'IsTruncated') !== 'true') break;
      markers = `&key-marker=${encodeURIComponent(xml1(res.text, 'NextKeyMarker') ?? '')}&upload-id-marker=${xml1(res.text, 'NextUploadIdMarker')}`;
    }
    expect(seen).toEqual(xmlAll(all.text, 'UploadId'));

    const grouped = await f.send({ method: 'GET', bucket: b, key: '', query: 'uploads&delimiter=/' });
    expect(xmlAll(grouped.text, 'Key')).toEqual(['b']);
    expect(xmlAll(grouped.text, 'Prefix').filter(Boolean)).toEqual(['a/', 'c/']);
    const prefixed = await f.send({ method: 'GET', bucket: b, key: '', query: 'uploads&prefix=c/' });
    expect(xmlAll(prefixed.text, 'Key')).toEqual(['c/x/y']);
  });
});
