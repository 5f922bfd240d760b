/** Bucket operations (§4.1–4.6) and their limits (§8). */
import { describe, expect, it } from 'vitest';
import { bucketName, createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { OTHER, code, xml1, xmlAll } from './helpers/ks3.js';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

describe('buckets', () => {
  const f = useEmulator();

  it('create: 200, empty body; re-create → 409 BucketAlreadyOwnedByYou; another owner → 409 BucketAlreadyExists', async () => {
    const name = bucketName();
    const res = await f.send({ method: 'PUT', bucket: name, key: '' });
    expect([res.status, res.text]).toEqual([200, '']);
    const again = await f.send({ method: 'PUT', bucket: name, key: '' });
    expect([again.status, code(again)]).toEqual([409, 'BucketAlreadyOwnedByYou']);
    const other = await f.send({ method: 'PUT', bucket: name, key: '', creds: OTHER });
    expect([other.status, code(other)]).toEqual([409, 'BucketAlreadyExists']);
  });

  it('create: KS3 name rules → 400 InvalidBucketName', async () => {
    for (const name of ['ab', 'a'.repeat(64), 'Upper', 'has.dot', '-lead', 'trail-', 'under_score']) {
      const res = await f.send({ method: 'PUT', bucket: name, key: '' });
      expect([name, res.status, code(res)]).toEqual([name, 400, 'InvalidBucketName']);
    }
    for (const name of ['abc', '123', 'a'.repeat(63), 'a-b-c']) {
      const res = await f.send({ method: 'PUT', bucket: name, key: '' });
      expect([name, res.status]).toEqual([name, 200]);
    }
  });

  it('create: location from CreateBucketConfiguration (with or without namespace), default BEIJING', async () => {
    const a = bucketName();
    await f.send({
      method: 'PUT',
      bucket: a,
      key: '',
      body: '<CreateBucketConfiguration><LocationConstraint>SHANGHAI</LocationConstraint></CreateBucketConfiguration>',
    });
    const la = await f.send({ method: 'GET', bucket: a, key: '', query: 'location' });
    expect(la.status).toBe(200);
    expect(la.headers['content-type']).toBe('application/xml');
    expect(la.text.startsWith(XML_DECL)).toBe(true);
    expect(xml1(la.text, 'LocationConstraint')).toBe('SHANGHAI');
    const b = bucketName();
    await f.send({
      method: 'PUT',
      bucket: b,
      key: '',
      body: '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>GUANGZHOU</LocationConstraint></CreateBucketConfiguration>',
    });
    expect(
      xml1((await f.send({ method: 'GET', bucket: b, key: '', query: 'location' })).text, 'LocationConstraint'),
    ).toBe('GUANGZHOU');
    const c = await createBucket(f);
    expect(
      xml1((await f.send({ method: 'GET', bucket: c, key: '', query: 'location' })).text, 'LocationConstraint'),
    ).toBe('BEIJING');
  });

  it('create: malformed configuration → 400 MalformedXML, and no bucket', async () => {
    const name = bucketName();
    for (const body of [
      '<CreateBucketConfiguration><LocationConstraint>X</CreateBucketConfiguration>',
      '<Other/>',
      '<!DOCTYPE x><x/>',
    ]) {
      const res = await f.send({ method: 'PUT', bucket: name, key: '', body });
      expect([res.status, code(res)]).toEqual([400, 'MalformedXML']);
    }
    expect((await f.send({ method: 'HEAD', bucket: name, key: '' })).status).toBe(404);
  });

  it('list buckets: only the caller’s, with Owner and CreationDate', async () => {
    const mine = await createBucket(f);
    const theirs = await createBucket(f, undefined, OTHER);
    const res = await f.send({ method: 'GET', bucket: '' });
    expect(res.text).toContain('<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    const names = xmlAll(res.text, 'Name');
    expect(names).toContain(mine);
    expect(names).not.toContain(theirs);
    expect(names).toEqual([...names].sort());
    expect(xmlAll(res.text, 'CreationDate')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('head bucket: 200, 404 and 403, never a body', async () => {
    const b = await createBucket(f);
    const ok = await f.send({ method: 'HEAD', bucket: b, key: '' });
    const missing = await f.send({ method: 'HEAD', bucket: bucketName(), key: '' });
    const denied = await f.send({ method: 'HEAD', bucket: b, key: '', creds: OTHER });
    expect([ok.status, missing.status, denied.status]).toEqual([200, 404, 403]);
    expect([ok.body.length, missing.body.length, denied.body.length]).toEqual([0, 0, 0]);
  });

  it('delete bucket: 204; 409 BucketNotEmpty while objects remain; 404 afterwards; uploads go with it', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'v');
    const full = await f.send({ method: 'DELETE', bucket: b, key: '' });
    expect([full.status, code(full)]).toEqual([409, 'BucketNotEmpty']);
    await f.send({ method: 'DELETE', bucket: b, key: 'k' });
    const init = await f.send({ method: 'POST', bucket: b, key: 'mp', query: 'uploads' });
    expect(init.status).toBe(200);
    const del = await f.send({ method: 'DELETE', bucket: b, key: '' });
    expect([del.status, del.text]).toEqual([204, '']);
    const gone = await f.send({ method: 'DELETE', bucket: b, key: '' });
    expect([gone.status, code(gone)]).toEqual([404, 'NoSuchBucket']);
    expect((await f.send({ method: 'PUT', bucket: b, key: '' })).status).toBe(200);
    const uploads = await f.send({ method: 'GET', bucket: b, key: '', query: 'uploads' });
    expect(xmlAll(uploads.text, 'Upload')).toEqual([]);
  });

  it('bucket ACL: canned via x-kss-acl, XML via ?acl= (== ?acl), xsi:type grantees', async () => {
    const b = await createBucket(f);
    const initial = await f.send({ method: 'GET', bucket: b, key: '', query: 'acl' });
    expect(initial.text).toContain('<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(initial.text).toContain('xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"');
    expect(xmlAll(initial.text, 'Permission')).toEqual(['FULL_CONTROL']);
    const canned = await f.send({
      method: 'PUT',
      bucket: b,
      key: '',
      query: 'acl',
      headers: { 'x-kss-acl': 'public-read' },
    });
    expect(canned.status).toBe(200);
    const afterCanned = await f.send({ method: 'GET', bucket: b, key: '', query: 'acl' });
    expect(afterCanned.text).toContain('xsi:type="Group"><URI>http://acs.ksyun.com/groups/global/AllUsers</URI>');
    expect(xmlAll(afterCanned.text, 'Permission')).toEqual(['FULL_CONTROL', 'READ']);
    const ownerId = xml1(initial.text, 'ID') ?? '';
    const policy =
      '<AccessControlPolicy><Owner><ID>x</ID></Owner><AccessControlList>' +
      `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${ownerId}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>` +
      '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>WRITE</Permission></Grant>' +
      '</AccessControlList></AccessControlPolicy>';
    for (const query of ['acl=', 'acl']) {
      const put = await f.send({ method: 'PUT', bucket: b, key: '', query, body: policy });
      expect(put.status).toBe(200);
    }
    const got = await f.send({ method: 'GET', bucket: b, key: '', query: 'acl' });
    expect(xmlAll(got.text, 'Permission')).toEqual(['FULL_CONTROL', 'WRITE']);
    expect(got.text).toContain('<URI>http://acs.ksyun.com/groups/global/AllUsers</URI>');
  });

  it('bucket ACL errors: bad canned value, bad XML, no ACL at all', async () => {
    const b = await createBucket(f);
    const bad = await f.send({ method: 'PUT', bucket: b, key: '', query: 'acl', headers: { 'x-kss-acl': 'public' } });
    expect([bad.status, code(bad)]).toEqual([400, 'InvalidACLString']);
    const badXml = await f.send({
      method: 'PUT',
      bucket: b,
      key: '',
      query: 'acl',
      body: '<AccessControlPolicy><AccessControlList><Grant><Permission>MAYBE</Permission></Grant></AccessControlList></AccessControlPolicy>',
    });
    expect([badXml.status, code(badXml)]).toEqual([400, 'MalformedACLError']);
    const none = await f.send({ method: 'PUT', bucket: b, key: '', query: 'acl' });
    expect([none.status, code(none)]).toEqual([400, 'MalformedACLError']);
    const create = await f.send({ method: 'PUT', bucket: bucketName(), key: '', headers: { 'x-kss-acl': 'nope' } });
    expect(code(create)).toBe('InvalidACLString');
  });

  it('bucket logging: put enabled, get it back, disable; target must be an owned bucket', async () => {
    const b = await createBucket(f);
    const target = await createBucket(f);
    const empty = await f.send({ method: 'GET', bucket: b, key: '', query: 'logging' });
    expect(empty.text).toContain(
      '<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></BucketLoggingStatus>',
    );
    const enable =
      `<?xml version="1.0" encoding="UTF-8"?><BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LoggingEnabled><TargetBucket>${target}</TargetBucket>` +
      '<TargetPrefix>logs/&amp;x</TargetPrefix></LoggingEnabled></BucketLoggingStatus>';
    expect((await f.send({ method: 'PUT', bucket: b, key: '', query: 'logging', body: enable })).status).toBe(200);
    const got = await f.send({ method: 'GET', bucket: b, key: '', query: 'logging' });
    expect([xml1(got.text, 'TargetBucket'), xml1(got.text, 'TargetPrefix')]).toEqual([target, 'logs/&x']);
    const disable =
      '<?xml version="1.0" encoding="UTF-8"?><BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></BucketLoggingStatus>';
    expect((await f.send({ method: 'PUT', bucket: b, key: '', query: 'logging', body: disable })).status).toBe(200);
    expect(
      xml1((await f.send({ method: 'GET', bucket: b, key: '', query: 'logging' })).text, 'TargetBucket'),
    ).toBeUndefined();
    const wrong = await f.send({
      method: 'PUT',
      bucket: b,
      key: '',
      query: 'logging',
      body: enable.replace(target, bucketName()),
    });
    expect([wrong.status, code(wrong)]).toEqual([400, 'InvalidTargetBucketForLogging']);
    const denied = await f.send({ method: 'GET', bucket: b, key: '', query: 'logging', creds: OTHER });
    expect(denied.status).toBe(403);
  });
});

describe('bucket limits', () => {
  const creds = { accessKeyId: 'AKLTmanyBuckets', secretAccessKey: 'many' };
  const f = useEmulator({ credentials: [creds, OTHER] });

  it('100 buckets per identity, then 400 TooManyBuckets (other identities unaffected)', async () => {
    for (let i = 0; i < 100; i++)
      expect((await f.send({ method: 'PUT', bucket: `many-${i}`, key: '', creds })).status).toBe(200);
    const res = await f.send({ method: 'PUT', bucket: 'many-100', key: '', creds });
    expect([res.status, code(res)]).toEqual([400, 'TooManyBuckets']);
    expect((await f.send({ method: 'PUT', bucket: 'other-1', key: '', creds: OTHER })).status).toBe(200);
  });
});
