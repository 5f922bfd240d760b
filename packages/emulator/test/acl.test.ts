/** ACL enforcement (§2.8): anonymous requests, other identities, object vs bucket ACLs. */
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { OTHER, code, xmlAll } from './helpers/ks3.js';

describe('ACL enforcement', () => {
  const f = useEmulator();
  const anon = { creds: null } as const;

  it('private by default: anonymous and other identities get 403 for everything', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'secret.txt', 's');
    for (const creds of [null, OTHER]) {
      const requests = [
        { method: 'GET', bucket: b, key: 'secret.txt' },
        { method: 'HEAD', bucket: b, key: 'secret.txt' },
        { method: 'GET', bucket: b, key: '' },
        { method: 'PUT', bucket: b, key: 'new.txt', body: 'x' },
        { method: 'DELETE', bucket: b, key: 'secret.txt' },
        { method: 'GET', bucket: b, key: '', query: 'acl' },
        { method: 'GET', bucket: b, key: 'secret.txt', query: 'acl' },
        { method: 'POST', bucket: b, key: 'mp', query: 'uploads' },
      ];
      for (const r of requests) {
        const res = await f.send({ ...r, creds });
        expect([r.method, r.key, r.query, res.status]).toEqual([r.method, r.key, r.query, 403]);
        if (r.method !== 'HEAD') expect(code(res)).toBe('AccessDenied');
      }
    }
    // A missing key in a private bucket is 403 too, so key names do not leak.
    expect((await f.send({ method: 'GET', bucket: b, key: 'missing', ...anon })).status).toBe(403);
    expect((await f.send({ method: 'GET', bucket: '', ...anon })).status).toBe(403);
  });

  it('public-read bucket: anonymous GET/HEAD of objects without their own ACL, and listing; no writes', async () => {
    const b = await createBucket(f, 'public-read');
    await putObject(f, b, 'open.txt', 'open');
    await putObject(f, b, 'closed.txt', 'closed', { 'x-kss-acl': 'private' });
    expect((await f.send({ method: 'GET', bucket: b, key: 'open.txt', ...anon })).text).toBe('open');
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'open.txt', ...anon })).status).toBe(200);
    expect(xmlAll((await f.send({ method: 'GET', bucket: b, key: '', ...anon })).text, 'Key')).toEqual([
      'closed.txt',
      'open.txt',
    ]);
    expect((await f.send({ method: 'HEAD', bucket: b, key: '', ...anon })).status).toBe(200);
    expect((await f.send({ method: 'GET', bucket: b, key: 'missing', ...anon })).status).toBe(404);
    // An explicit private object ACL overrides the bucket's.
    expect((await f.send({ method: 'GET', bucket: b, key: 'closed.txt', ...anon })).status).toBe(403);
    expect((await f.send({ method: 'PUT', bucket: b, key: 'w.txt', body: 'x', ...anon })).status).toBe(403);
    expect((await f.send({ method: 'GET', bucket: b, key: 'open.txt', creds: OTHER })).text).toBe('open');
    // The effective object ACL reports the inherited READ grant.
    const acl = await f.send({ method: 'GET', bucket: b, key: 'open.txt', query: 'acl' });
    expect(acl.text).toContain('<URI>http://acs.ksyun.com/groups/global/AllUsers</URI>');
  });

  it('public-read object in a private bucket: anonymous GET works, listing does not', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'pub.txt', 'pub', { 'x-kss-acl': 'public-read' });
    expect((await f.send({ method: 'GET', bucket: b, key: 'pub.txt', ...anon })).text).toBe('pub');
    expect((await f.send({ method: 'GET', bucket: b, key: '', ...anon })).status).toBe(403);
    // Object ACL changes take effect.
    expect(
      (await f.send({ method: 'PUT', bucket: b, key: 'pub.txt', query: 'acl', headers: { 'x-kss-acl': 'private' } }))
        .status,
    ).toBe(200);
    expect((await f.send({ method: 'GET', bucket: b, key: 'pub.txt', ...anon })).status).toBe(403);
    expect(
      (await f.send({ method: 'PUT', bucket: b, key: 'pub.txt', query: 'acl=', body: publicReadPolicy() })).status,
    ).toBe(200);
    expect((await f.send({ method: 'GET', bucket: b, key: 'pub.txt', ...anon })).status).toBe(200);
  });

  it('public-read-write bucket: other signed identities may write and delete; anonymous requests only read (§2.8)', async () => {
    const b = await createBucket(f, 'public-read-write');
    await putObject(f, b, 'owned.txt', 'owned');
    expect((await f.send({ method: 'GET', bucket: b, key: 'owned.txt', ...anon })).text).toBe('owned');
    expect((await f.send({ method: 'PUT', bucket: b, key: 'drop.txt', body: 'dropped', ...anon })).status).toBe(403);
    expect((await f.send({ method: 'POST', bucket: b, key: 'mp', query: 'uploads', ...anon })).status).toBe(403);
    expect((await f.send({ method: 'DELETE', bucket: b, key: 'owned.txt', ...anon })).status).toBe(403);
    expect(
      (await f.send({ method: 'PUT', bucket: b, key: '', query: 'acl', headers: { 'x-kss-acl': 'private' }, ...anon }))
        .status,
    ).toBe(403);
    // Another signed identity may write through the WRITE grant, but not change the ACL.
    expect((await f.send({ method: 'PUT', bucket: b, key: 'other.txt', body: 'o', creds: OTHER })).status).toBe(200);
    expect((await f.send({ method: 'DELETE', bucket: b, key: 'owned.txt', creds: OTHER })).status).toBe(204);
    expect(
      (
        await f.send({
          method: 'PUT',
          bucket: b,
          key: '',
          query: 'acl',
          headers: { 'x-kss-acl': 'private' },
          creds: OTHER,
        })
      ).status,
    ).toBe(403);
  });

  it('authenticated-read: any signed identity may read, anonymous may not', async () => {
    const b = await createBucket(f, 'authenticated-read');
    await putObject(f, b, 'a.txt', 'a');
    expect((await f.send({ method: 'GET', bucket: b, key: 'a.txt', creds: OTHER })).status).toBe(200);
    expect((await f.send({ method: 'GET', bucket: b, key: 'a.txt', ...anon })).status).toBe(403);
  });

  it('a canonical-user grant opens a bucket to that identity only', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'g.txt', 'granted');
    const otherId = xmlAll((await f.send({ method: 'GET', bucket: '', creds: OTHER })).text, 'ID')[0] ?? '';
    const policy =
      '<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">' +
      `<ID>${otherId}</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`;
    expect((await f.send({ method: 'PUT', bucket: b, key: '', query: 'acl', body: policy })).status).toBe(200);
    expect((await f.send({ method: 'GET', bucket: b, key: 'g.txt', creds: OTHER })).text).toBe('granted');
    expect((await f.send({ method: 'GET', bucket: b, key: 'g.txt', ...anon })).status).toBe(403);
  });
});

function publicReadPolicy(): string {
  return (
    '<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">' +
    '<URI>http://acs.ksyun.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>'
  );
}
