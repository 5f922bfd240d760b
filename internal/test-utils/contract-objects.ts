/** Contract: objects — metadata, storage class, MD5, overrides, copy, ACLs, presigning, callbacks. */
import { describe, expect, inject, test } from 'vitest';
import type * as Core from '@ks3/core';
import type { ContractContext } from './contract.js';
import { TEST_TEMPORARY_CREDENTIALS } from './credentials.js';

export function objectSuite(get: () => ContractContext): void {
  describe('objects', () => {
    test('head: size, date, ETag, type, storage class, metadata, headers', async () => {
      const { api, client, bucket } = get();
      await api.putObject(client, {
        bucket,
        key: 'meta/photo.jpg',
        body: new Uint8Array(2048),
        storageClass: 'STANDARD_IA',
        acl: 'private',
        metadata: { Camera: 'X100', 'shot-at': '2026-01-01' },
        cacheControl: 'max-age=60',
        contentDisposition: 'inline',
      });
      const h = await api.headObject(client, { bucket, key: 'meta/photo.jpg' });
      expect(h).toMatchObject({
        size: 2048,
        contentType: 'image/jpeg',
        storageClass: 'STANDARD_IA',
        cacheControl: 'max-age=60',
        contentDisposition: 'inline',
      });
      expect(h.metadata).toEqual({ camera: 'X100', 'shot-at': '2026-01-01' });
      expect(h.etag).toMatch(/^"[0-9a-f]{32}"$/);
    });

    test('Content-MD5: computed on request, and a wrong one is refused (BadDigest)', async () => {
      const { api, client, bucket } = get();
      await api.putObject(client, { bucket, key: 'md5/ok.txt', body: 'checked', contentMd5: true });
      await api.putObject(client, { bucket, key: 'md5/blob.txt', body: new Blob(['checked']), contentMd5: true });
      const bad = (await api
        .putObject(client, { bucket, key: 'md5/bad.txt', body: 'checked', contentMd5: '1B2M2Y8AsgTpgAmY7PhCfg==' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(bad).toMatchObject({ status: 400, code: 'BadDigest' });
    });

    test('get: response overrides and ranges', async () => {
      const { api, client, bucket } = get();
      await api.putObject(client, { bucket, key: 'ovr/doc.txt', body: '0123456789' });
      const o = await api.getObject(client, {
        bucket,
        key: 'ovr/doc.txt',
        response: {
          contentType: 'text/csv; charset=utf-8',
          contentDisposition: 'attachment; filename="a b.txt"',
          cacheControl: 'no-cache',
        },
      });
      expect(o).toMatchObject({
        contentType: 'text/csv; charset=utf-8',
        contentDisposition: 'attachment; filename="a b.txt"',
        cacheControl: 'no-cache',
      });
      expect(await o.text()).toBe('0123456789');
      expect(await (await api.getObject(client, { bucket, key: 'ovr/doc.txt', range: { start: 7 } })).text()).toBe(
        '789',
      );
      const bad = (await api
        .getObject(client, { bucket, key: 'ovr/doc.txt', range: { start: 50 } })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(bad).toMatchObject({ status: 416, code: 'InvalidRange' });
    });

    test('copy: same bucket, cross bucket, metadata copied or replaced, missing source', async () => {
      const { api, client, bucket, env } = get();
      const other = `copy-${env}-${Math.random().toString(36).slice(2, 9)}`;
      await api.createBucket(client, { bucket: other });
      await api.putObject(client, {
        bucket,
        key: 'src/a b+c.txt',
        body: 'copy me',
        metadata: { tag: 'one' },
        contentType: 'text/x-custom',
      });
      const c1 = await api.copyObject(client, {
        bucket: other,
        key: 'dst/1.txt',
        sourceBucket: bucket,
        sourceKey: 'src/a b+c.txt',
      });
      expect(c1.etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(await api.headObject(client, { bucket: other, key: 'dst/1.txt' })).toMatchObject({
        contentType: 'text/x-custom',
        metadata: { tag: 'one' },
      });
      await api.copyObject(client, {
        bucket,
        key: 'src/2.txt',
        sourceBucket: bucket,
        sourceKey: 'src/a b+c.txt',
        metadata: { tag: 'two' },
        contentType: 'text/plain',
      });
      expect(await api.headObject(client, { bucket, key: 'src/2.txt' })).toMatchObject({
        contentType: 'text/plain',
        metadata: { tag: 'two' },
      });
      expect(await (await api.getObject(client, { bucket, key: 'src/2.txt' })).text()).toBe('copy me');
      const missing = (await api
        .copyObject(client, { bucket, key: 'x', sourceBucket: bucket, sourceKey: 'nope' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(missing).toMatchObject({ status: 404, code: 'NoSuchKey' });
      await api.emptyAndDeleteBucket(client, { bucket: other });
    });

    test('object ACLs are enforced for anonymous readers', async () => {
      const { api, client, bucket, config } = get();
      const anonymous = api.createClient({ ...config, retries: 0 });
      await api.putObject(client, { bucket, key: 'acl/public.txt', body: 'hi all', acl: 'public-read' });
      await api.putObject(client, { bucket, key: 'acl/private.txt', body: 'secret' });
      expect(await (await api.getObject(anonymous, { bucket, key: 'acl/public.txt' })).text()).toBe('hi all');
      expect((await api.headObject(anonymous, { bucket, key: 'acl/public.txt' })).size).toBe(6);
      const denied = (await api
        .getObject(anonymous, { bucket, key: 'acl/private.txt' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(denied).toMatchObject({ status: 403, code: 'AccessDenied' });
      await api.putObjectAcl(client, { bucket, key: 'acl/private.txt', acl: 'public-read' });
      expect((await api.getObjectAcl(client, { bucket, key: 'acl/private.txt' })).grants).toContainEqual({
        grantee: { type: 'Group', uri: api.ALL_USERS },
        permission: 'READ',
      });
      expect(await (await api.getObject(anonymous, { bucket, key: 'acl/private.txt' })).text()).toBe('secret');
      const write = (await api
        .putObject(anonymous, { bucket, key: 'acl/anon.txt', body: 'x' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(write).toMatchObject({ status: 403, code: 'AccessDenied' });
      // ks3-protocol.md §2.8: anonymous requests only read, even in a public-read-write bucket.
      await api.putBucketAcl(client, { bucket, acl: 'public-read-write' });
      const stillDenied = (await api
        .putObject(anonymous, { bucket, key: 'acl/anon.txt', body: 'x' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(stillDenied).toMatchObject({ status: 403, code: 'AccessDenied' });
      await api.putBucketAcl(client, { bucket, acl: 'private' });
    });

    test('presigned PUT, HEAD and DELETE, with absolute expiry and response overrides', async () => {
      const { api, client, bucket, fetch, mode } = get();
      const { url: put, headers } = await api.presignUrl(client, {
        method: 'PUT',
        bucket,
        key: 'pre/up load.txt',
        expires: new Date(Date.now() + 600_000),
        headers: { 'content-type': 'text/plain', 'x-kss-meta-by': 'url' },
      });
      // V2 carries x-kss-* headers in the URL; V4 signs them as headers its user must send
      // (named x-amz-* in the AWS namespace).
      const meta = { v2: {}, kss4: { 'x-kss-meta-by': 'url' }, aws4: { 'x-amz-meta-by': 'url' } }[mode.signing];
      expect(headers).toEqual({ 'content-type': 'text/plain', ...meta });
      const withoutMeta = await fetch(put, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'x' });
      expect(withoutMeta.status).toBe(mode.signing === 'v2' ? 200 : 403);
      expect((await fetch(put, { method: 'PUT', headers, body: 'via url' })).status).toBe(200);
      expect(await api.headObject(client, { bucket, key: 'pre/up load.txt' })).toMatchObject({
        contentType: 'text/plain',
        metadata: { by: 'url' },
      });
      const { url: head } = await api.presignUrl(client, {
        method: 'HEAD',
        bucket,
        key: 'pre/up load.txt',
        expiresIn: 60,
      });
      expect((await fetch(head, { method: 'HEAD' })).headers.get('content-length')).toBe('7');
      const { url: download } = await api.presignUrl(client, {
        bucket,
        key: 'pre/up load.txt',
        expiresIn: 60,
        response: { contentType: 'application/x-test' },
      });
      expect((await fetch(download)).headers.get('content-type')).toBe('application/x-test');
      const { url: del } = await api.presignUrl(client, {
        method: 'DELETE',
        bucket,
        key: 'pre/up load.txt',
        expires: Math.floor(Date.now() / 1000) + 60,
      });
      expect((await fetch(del, { method: 'DELETE' })).status).toBe(204);
      const gone = (await api
        .headObject(client, { bucket, key: 'pre/up load.txt' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(gone.status).toBe(404);
    });

    test('an expired presigned URL is refused', async () => {
      const { api, client, bucket, config, fetch } = get();
      await api.putObject(client, { bucket, key: 'pre/old.txt', body: 'x' });
      const past = api.createClient({
        ...config,
        accessKeyId: 'AKLTtestAccessKeyId000',
        secretAccessKey: 'testSecretKey/with+base64=chars0000',
        now: () => Date.now() - 3_600_000,
      });
      const { url } = await api.presignUrl(past, { bucket, key: 'pre/old.txt', expiresIn: 60 });
      const res = await fetch(url);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    });

    test('temporary credentials: the security token is sent and signed, in headers and presigned URLs', async () => {
      const { api, config, env, fetch } = get();
      const sts = api.createClient({ ...config, ...TEST_TEMPORARY_CREDENTIALS, retries: 0 });
      const bucket = `sts-${env}-${Math.random().toString(36).slice(2, 9)}`;
      await api.createBucket(sts, { bucket });
      await api.putObject(sts, { bucket, key: 'sts/a.txt', body: 'sts', acl: 'private' });
      expect(await (await api.getObject(sts, { bucket, key: 'sts/a.txt' })).text()).toBe('sts');
      const { url } = await api.presignUrl(sts, { bucket, key: 'sts/a.txt', expiresIn: 60 });
      // V2: KS3's SDKs' `security-token` parameter; V4: X-Kss-Security-Token (both signed).
      expect(url).toMatch(/[?&](security-token|X-Kss-Security-Token|X-Amz-Security-Token)=/);
      expect((await fetch(url)).status).toBe(200);
      const { securityToken: _t, ...withoutToken } = TEST_TEMPORARY_CREDENTIALS;
      const bare = api.createClient({ ...config, ...withoutToken, retries: 0 });
      expect(
        ((await api.getObject(bare, { bucket, key: 'sts/a.txt' }).catch((e: unknown) => e)) as Core.Ks3ServiceError)
          .status,
      ).toBe(403);
      await api.emptyAndDeleteBucket(sts, { bucket });
    });

    test('upload callback: the reply is returned; a refusal fails the upload and stores nothing', async () => {
      const { api, client, bucket } = get();
      const { callbackUrl } = inject('ks3');
      const ok = await api.putObject(client, {
        bucket,
        key: 'cb/ok.txt',
        body: 'called back',
        callback: { url: callbackUrl, body: 'key=${key}&size=${objectSize}&uid=7' },
      });
      expect(JSON.parse(ok.body!)).toMatchObject({
        result: true,
        received: { key: 'cb/ok.txt', size: '11', uid: '7' },
      });
      const refused = (await api
        .putObject(client, {
          bucket,
          key: 'cb/no.txt',
          body: 'x',
          callback: { url: callbackUrl, body: 'verdict=reject' },
        })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(refused).toMatchObject({ status: 400, code: 'CallbackFail' });
      expect(
        ((await api.headObject(client, { bucket, key: 'cb/no.txt' }).catch((e: unknown) => e)) as Core.Ks3ServiceError)
          .status,
      ).toBe(404);
    });

    test('V2 signed with the x-kss-date header (browsers cannot send Date)', async () => {
      // Virtual-hosted addressing has runs of its own (contract-config.ts).
      const { api, bucket, config } = get();
      const creds = { accessKeyId: 'AKLTtestAccessKeyId000', secretAccessKey: 'testSecretKey/with+base64=chars0000' };
      const kssDate = api.createClient({ ...config, ...creds, signatureVersion: 'v2', dateHeader: 'x-kss-date' });
      await api.putObject(kssDate, { bucket, key: 'vh/a.txt', body: 'dated' });
      expect(await (await api.getObject(kssDate, { bucket, key: 'vh/a.txt' })).text()).toBe('dated');
    });
  });
}
