/** PUT / GET / DELETE ?cors: KS3's XML, its validation and errors. */
import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { corsDoc, deleteConfig, getConfig, putConfig } from './helpers/config.js';
import { createBucket, type Fixture, start, tempDir, useEmulator } from './helpers/emulator.js';
import { OTHER, code, send, xml1, xmlAll } from './helpers/ks3.js';

describe('bucket CORS configuration', () => {
  const f = useEmulator();

  it('round-trips every element, including ID and NonCrossOriginResponseVary; DELETE removes it', async () => {
    const b = await createBucket(f);
    const missing = await getConfig(f, b, 'cors');
    expect([missing.status, code(missing)]).toEqual([404, 'NoSuchCORSConfiguration']);
    const doc = corsDoc(
      [
        '<ID>app</ID><AllowedOrigin>https://*.example.com</AllowedOrigin>' +
          '<AllowedOrigin>http://localhost:5173</AllowedOrigin>' +
          '<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>x-kss-*</AllowedHeader>' +
          '<AllowedHeader>Content-Type</AllowedHeader><ExposeHeader>ETag</ExposeHeader>' +
          '<ExposeHeader>x-kss-request-id</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds>',
        '<AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod>',
      ],
      '<NonCrossOriginResponseVary>true</NonCrossOriginResponseVary>',
    );
    expect((await putConfig(f, b, 'cors', doc)).status).toBe(200);
    const got = await getConfig(f, b, 'cors');
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/xml');
    expect(got.text).toContain('<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    const rules = xmlAll(got.text, 'CORSRule');
    expect(rules).toHaveLength(2);
    expect(xml1(rules[0] ?? '', 'ID')).toBe('app');
    expect(xmlAll(rules[0] ?? '', 'AllowedOrigin')).toEqual(['https://*.example.com', 'http://localhost:5173']);
    expect(xmlAll(rules[0] ?? '', 'AllowedMethod')).toEqual(['PUT', 'GET']);
    expect(xmlAll(rules[0] ?? '', 'AllowedHeader')).toEqual(['x-kss-*', 'Content-Type']);
    expect(xmlAll(rules[0] ?? '', 'ExposeHeader')).toEqual(['ETag', 'x-kss-request-id']);
    expect(xml1(rules[0] ?? '', 'MaxAgeSeconds')).toBe('600');
    expect(xml1(rules[1] ?? '', 'ID')).toBeUndefined();
    expect(xml1(got.text, 'NonCrossOriginResponseVary')).toBe('true');
    // A second PUT replaces the whole configuration.
    await putConfig(f, b, 'cors', corsDoc(['<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>']));
    const replaced = await getConfig(f, b, 'cors');
    expect(xmlAll(replaced.text, 'CORSRule')).toHaveLength(1);
    expect(xml1(replaced.text, 'NonCrossOriginResponseVary')).toBeUndefined();
    expect((await deleteConfig(f, b, 'cors')).status).toBe(204);
    expect(code(await getConfig(f, b, 'cors'))).toBe('NoSuchCORSConfiguration');
    expect((await deleteConfig(f, b, 'cors')).status).toBe(204);
  });

  it('refuses invalid documents with MalformedXML or InvalidArgument naming the fault', async () => {
    const b = await createBucket(f);
    const rule = (inner: string) => corsDoc([inner]);
    const ok = '<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>';
    const cases: [string, string, RegExp][] = [
      ['<CORSConfiguration/>', 'MalformedXML', /at least one CORSRule/],
      ['<NotCors/>', 'MalformedXML', /CORSConfiguration/],
      ['<CORSConfiguration><CORSRule>', 'MalformedXML', /not well-formed/],
      [rule('<AllowedMethod>GET</AllowedMethod>'), 'MalformedXML', /AllowedOrigin/],
      [rule('<AllowedOrigin>*</AllowedOrigin>'), 'MalformedXML', /AllowedMethod/],
      [rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>'), 'InvalidArgument', /PATCH/],
      [
        rule('<AllowedOrigin>http://*.*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>'),
        'InvalidArgument',
        /one "\*"/,
      ],
      [rule(`${ok}<AllowedHeader>x-*-*</AllowedHeader>`), 'InvalidArgument', /AllowedHeader/],
      [rule(`${ok}<MaxAgeSeconds>-1</MaxAgeSeconds>`), 'InvalidArgument', /MaxAgeSeconds/],
      [rule(`${ok}<MaxAgeSeconds>1</MaxAgeSeconds><MaxAgeSeconds>2</MaxAgeSeconds>`), 'MalformedXML', /only once/],
      [rule(`${ok}<ID>${'i'.repeat(256)}</ID>`), 'InvalidArgument', /255/],
      [rule(`${ok}<Bogus>1</Bogus>`), 'MalformedXML', /Bogus/],
      [
        corsDoc([ok], '<NonCrossOriginResponseVary>yes</NonCrossOriginResponseVary>'),
        'InvalidArgument',
        /true or false/,
      ],
      [corsDoc(Array(101).fill(ok)), 'InvalidArgument', /100/],
    ];
    for (const [doc, want, message] of cases) {
      const res = await putConfig(f, b, 'cors', doc);
      expect([doc.slice(0, 60), res.status, code(res)]).toEqual([doc.slice(0, 60), 400, want]);
      expect(xml1(res.text, 'Message')).toMatch(message);
    }
    // 100 rules is the limit, not over it.
    expect((await putConfig(f, b, 'cors', corsDoc(Array(100).fill(ok)))).status).toBe(200);
    // Nothing invalid was stored on the way.
    expect(xmlAll((await getConfig(f, b, 'cors')).text, 'CORSRule')).toHaveLength(100);
  });

  it('requires a matching Content-MD5 and a body of at most 64 KB', async () => {
    const b = await createBucket(f);
    const doc = corsDoc(['<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>']);
    const noMd5 = await putConfig(f, b, 'cors', doc, { md5: false });
    expect([noMd5.status, code(noMd5)]).toEqual([400, 'InvalidRequest']);
    expect(xml1(noMd5.text, 'Message')).toMatch(/Content-MD5/);
    const wrong = await putConfig(f, b, 'cors', doc, {
      md5: false,
      headers: { 'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==' },
    });
    expect([wrong.status, code(wrong)]).toEqual([400, 'BadDigest']);
    const big = corsDoc([
      `<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>${'<ExposeHeader>x</ExposeHeader>'.repeat(
        3000,
      )}`,
    ]);
    const tooBig = await putConfig(f, b, 'cors', big);
    expect([tooBig.status, code(tooBig)]).toEqual([400, 'InvalidArgument']);
    expect(code(await getConfig(f, b, 'cors'))).toBe('NoSuchCORSConfiguration');
  });

  it('only the owner may read or change it; other methods are 405; object keys cannot carry it', async () => {
    const b = await createBucket(f, 'public-read-write');
    const doc = corsDoc(['<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>']);
    for (const creds of [OTHER, null]) {
      expect(code(await putConfig(f, b, 'cors', doc, { creds }))).toBe('AccessDenied');
      expect(code(await getConfig(f, b, 'cors', creds))).toBe('AccessDenied');
      expect(code(await deleteConfig(f, b, 'cors', creds))).toBe('AccessDenied');
    }
    const post = await f.send({ method: 'POST', bucket: b, key: '', query: 'cors' });
    expect([post.status, code(post)]).toEqual([405, 'MethodNotAllowed']);
    const onKey = await f.send({ method: 'GET', bucket: b, key: 'k', query: 'cors' });
    expect([onKey.status, code(onKey)]).toEqual([405, 'MethodNotAllowed']);
    const none = await getConfig(f, 'no-such-bucket-cors', 'cors');
    expect([none.status, code(none)]).toEqual([404, 'NoSuchBucket']);
  });
});

describe('bucket configurations on disk', () => {
  it('survive a restart (they live in bucket.json)', async () => {
    const dir = tempDir();
    const doc = corsDoc(['<ID>kept</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>']);
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'ks3:GetObject', Resource: 'krn:ksc:ks3:::kept-bucket/*' },
      ],
    });
    try {
      let emu = await start({}, dir);
      const f: Fixture = { emu, url: emu.url, send: (r) => send(emu.url, r) };
      expect((await f.send({ method: 'PUT', bucket: 'kept-bucket', key: '' })).status).toBe(200);
      expect((await putConfig(f, 'kept-bucket', 'cors', doc)).status).toBe(200);
      expect((await putConfig(f, 'kept-bucket', 'policy', policy)).status).toBe(204);
      await emu.close();
      emu = await start({}, dir);
      const g: Fixture = { emu, url: emu.url, send: (r) => send(emu.url, r) };
      expect(xml1((await getConfig(g, 'kept-bucket', 'cors')).text, 'ID')).toBe('kept');
      expect((await getConfig(g, 'kept-bucket', 'policy')).text).toBe(policy);
      // The stored policy is enforced again: anonymous reads of a missing key are 404, not 403.
      expect((await g.send({ method: 'GET', bucket: 'kept-bucket', key: 'nope', creds: null })).status).toBe(404);
      await emu.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
