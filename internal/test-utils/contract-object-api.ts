/**
 * Contract: the object API beyond the Python guide (issue 13) — batch delete, HEAD bucket,
 * tagging, versioning, archive restore, append, fetch, List Objects V2.
 */
import { describe, expect, test } from 'vitest';
import type * as Core from '@ks3/core';
import type { upload as Upload } from '@ks3/multipart';
import type { ContractContext } from './contract.js';
import { TEST_CREDENTIALS, TEST_TEMPORARY_CREDENTIALS } from './credentials.js';

const unique = (): string => Math.random().toString(36).slice(2, 9);
const caught = async (p: Promise<unknown>): Promise<Core.Ks3ServiceError> =>
  (await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  )) as Core.Ks3ServiceError;

export function objectApiSuite(get: () => ContractContext): void {
  describe('object API breadth', () => {
    test('deleteObjects: deleted and per-key errors, quiet mode, keys that need escaping', async () => {
      const { api, client, bucket } = get();
      const keys = ['batch/a & b <c>.txt', 'batch/二.txt', 'batch/\'quoted"', 'batch/line\r\nbreak'];
      for (const key of keys) await api.putObject(client, { bucket, key, body: key });
      const res = await api.deleteObjects(client, {
        bucket,
        objects: [...keys.slice(0, 3), 'batch/never-existed', { key: 'batch/x', versionId: 'not a version id' }],
      });
      expect(res.requestId).toBeTruthy();
      expect(res.deleted.map((d) => d.key).sort()).toEqual([...keys.slice(0, 3), 'batch/never-existed'].sort());
      expect(res.errors).toEqual([
        expect.objectContaining({ key: 'batch/x', versionId: 'not a version id', code: 'InvalidArgument' }),
      ]);
      const quiet = await api.deleteObjects(client, { bucket, objects: [keys[3]!], quiet: true });
      expect(quiet).toMatchObject({ deleted: [], errors: [] });
      expect((await api.listObjects(client, { bucket, prefix: 'batch/' })).contents).toEqual([]);
    });

    test('deleteObjects refuses 1,001 keys before any request', async () => {
      const { api, bucket, config, fetch } = get();
      let calls = 0;
      const counting = api.createClient({
        ...config,
        ...TEST_CREDENTIALS,
        fetch: (i, init) => (calls++, fetch(i, init)),
      });
      const objects = Array.from({ length: 1001 }, (_, i) => `k${i}`);
      const err = await caught(api.deleteObjects(counting, { bucket, objects }));
      expect(err).toMatchObject({ name: 'Ks3InputError', param: 'objects' });
      expect(calls).toBe(0);
    });

    test('headBucket: exists with region and type; missing is exists: false; forbidden throws', async () => {
      const { api, client, bucket, config } = get();
      expect(await api.headBucket(client, { bucket })).toMatchObject({
        exists: true,
        region: 'BEIJING',
        bucketType: 'NORMAL',
      });
      expect(await api.headBucket(client, { bucket: `missing-${unique()}` })).toMatchObject({ exists: false });
      const stranger = api.createClient({ ...config, ...TEST_TEMPORARY_CREDENTIALS, retries: 0 });
      expect(await caught(api.headBucket(stranger, { bucket }))).toMatchObject({
        name: 'Ks3ServiceError',
        status: 403,
        code: 'Forbidden',
        operation: 'HeadBucket',
      });
    });

    test('object tags: on put, read, replaced, counted by head, removed; copy keeps or replaces them', async () => {
      const { api, client, bucket } = get();
      const key = 'tags/a.txt';
      await api.putObject(client, {
        bucket,
        key,
        body: 'x',
        tags: { project: 'apollo', 'cost center': 'a+b/c=d@e:f' },
      });
      expect((await api.getObjectTagging(client, { bucket, key })).tags).toEqual({
        project: 'apollo',
        'cost center': 'a+b/c=d@e:f',
      });
      expect((await api.headObject(client, { bucket, key })).tagCount).toBe(2);
      await api.copyObject(client, { bucket, key: 'tags/copied.txt', sourceBucket: bucket, sourceKey: key });
      expect((await api.getObjectTagging(client, { bucket, key: 'tags/copied.txt' })).tags).toMatchObject({
        project: 'apollo',
      });
      await api.copyObject(client, {
        bucket,
        key: 'tags/new.txt',
        sourceBucket: bucket,
        sourceKey: key,
        tags: { n: '1' },
      });
      expect((await api.getObjectTagging(client, { bucket, key: 'tags/new.txt' })).tags).toEqual({ n: '1' });
      await api.putObjectTagging(client, { bucket, key, tags: { only: 'one' } });
      expect((await api.getObjectTagging(client, { bucket, key })).tags).toEqual({ only: 'one' });
      await api.deleteObjectTagging(client, { bucket, key });
      expect((await api.getObjectTagging(client, { bucket, key })).tags).toEqual({});
      expect((await api.headObject(client, { bucket, key })).tagCount).toBeUndefined();
    });

    test('tags on multipart uploads: initiate, and upload() over several parts', async () => {
      const { api, client, bucket } = get();
      const mp = await api.initiateMultipartUpload(client, { bucket, key: 'tags/mp.bin', tags: { via: 'initiate' } });
      const part = await api.uploadPart(client, { ...mp, partNumber: 1, body: 'tail' });
      await api.completeMultipartUpload(client, { ...mp, parts: [{ partNumber: 1, etag: part.etag }] });
      expect((await api.getObjectTagging(client, { bucket, key: 'tags/mp.bin' })).tags).toEqual({ via: 'initiate' });
      // The upload manager is not part of every API under test (the edge run loads core alone).
      const upload = (api as unknown as { upload?: typeof Upload }).upload;
      if (!upload) return;
      const body = new Uint8Array(250 * 1024);
      await upload(client, { bucket, key: 'tags/up.bin', body, partSize: 100 * 1024, tags: { via: 'upload' } });
      expect((await api.headObject(client, { bucket, key: 'tags/up.bin' })).etag).toMatch(/-3"$/);
      expect((await api.getObjectTagging(client, { bucket, key: 'tags/up.bin' })).tags).toEqual({ via: 'upload' });
    });

    test('bucket tags: put, get, delete; none is NoSuchTagSet; KS3 judges bucket tag text', async () => {
      const { api, client, bucket } = get();
      await api.putBucketTagging(client, { bucket, tags: { team: 'media', env: 'test' } });
      expect((await api.getBucketTagging(client, { bucket })).tags).toEqual({ team: 'media', env: 'test' });
      await api.deleteBucketTagging(client, { bucket });
      expect(await caught(api.getBucketTagging(client, { bucket }))).toMatchObject({
        status: 404,
        code: 'NoSuchTagSet',
      });
      expect(await caught(api.putBucketTagging(client, { bucket, tags: { 'bad#key': 'v' } }))).toMatchObject({
        status: 400,
        code: 'InvalidTag',
      });
    });

    test('versioning: versions, delete markers, reads and copies by versionId, paged version listing', async () => {
      const { api, client, env } = get();
      const bucket = `ver-${env}-${unique()}`;
      await api.createBucket(client, { bucket });
      expect((await api.getBucketVersioning(client, { bucket })).status).toBeUndefined();
      await api.putBucketVersioning(client, { bucket, status: 'Enabled' });
      expect((await api.getBucketVersioning(client, { bucket })).status).toBe('Enabled');
      const v1 = await api.putObject(client, { bucket, key: 'doc.txt', body: 'one' });
      const v2 = await api.putObject(client, { bucket, key: 'doc.txt', body: 'two' });
      expect(v1.versionId).toBeTruthy();
      expect(v2.versionId).not.toBe(v1.versionId);
      const del = await api.deleteObject(client, { bucket, key: 'doc.txt' });
      expect(del.deleteMarker).toBe(true);
      expect((await caught(api.getObject(client, { bucket, key: 'doc.txt' }))).status).toBe(404);
      expect(await (await api.getObject(client, { bucket, key: 'doc.txt', versionId: v1.versionId })).text()).toBe(
        'one',
      );
      expect((await api.headObject(client, { bucket, key: 'doc.txt', versionId: v2.versionId })).size).toBe(3);
      const copy = await api.copyObject(client, {
        bucket,
        key: 'restored.txt',
        sourceBucket: bucket,
        sourceKey: 'doc.txt',
        sourceVersionId: v1.versionId,
      });
      expect(copy.versionId).toBeTruthy();
      await api.putObjectTagging(client, { bucket, key: 'doc.txt', versionId: v1.versionId, tags: { old: 'yes' } });
      const t = await api.getObjectTagging(client, { bucket, key: 'doc.txt', versionId: v1.versionId });
      expect(t).toMatchObject({ tags: { old: 'yes' }, versionId: v1.versionId });
      const page = await api.listObjectVersions(client, { bucket, prefix: 'doc' });
      expect(page.versions.map((v) => [v.type, v.versionId, v.isLatest])).toEqual([
        ['deleteMarker', del.versionId, true],
        ['version', v2.versionId, false],
        ['version', v1.versionId, false],
      ]);
      const all: string[] = [];
      for await (const v of api.listAllObjectVersions(client, { bucket, maxKeys: 1 }))
        if (v.type !== 'prefix') all.push(`${v.key}@${v.versionId}`);
      expect(all).toEqual([
        `doc.txt@${del.versionId}`,
        `doc.txt@${v2.versionId}`,
        `doc.txt@${v1.versionId}`,
        `restored.txt@${copy.versionId}`,
      ]);
      const removed = await api.deleteObjects(client, {
        bucket,
        objects: [{ key: 'doc.txt', versionId: del.versionId! }],
      });
      expect(removed.deleted).toEqual([expect.objectContaining({ key: 'doc.txt', versionId: del.versionId })]);
      expect(await (await api.getObject(client, { bucket, key: 'doc.txt' })).text()).toBe('two');
      await api.putBucketVersioning(client, { bucket, status: 'Suspended' });
      expect((await api.getBucketVersioning(client, { bucket })).status).toBe('Suspended');
      // Versions and markers are removed for good, else deleteBucket would refuse.
      expect((await api.emptyAndDeleteBucket(client, { bucket })).objects).toBe(3);
      expect((await api.headBucket(client, { bucket })).exists).toBe(false);
    });

    test('archive restore: unreadable until restored, state in headObject, non-archive refused', async () => {
      const { api, client, bucket } = get();
      await api.putObject(client, { bucket, key: 'cold/a.txt', body: 'frozen', storageClass: 'ARCHIVE' });
      expect(await caught(api.getObject(client, { bucket, key: 'cold/a.txt' }))).toMatchObject({
        status: 403,
        code: 'InvalidObjectState',
      });
      expect((await api.headObject(client, { bucket, key: 'cold/a.txt' })).restore).toBeUndefined();
      expect(await api.restoreObject(client, { bucket, key: 'cold/a.txt', days: 2 })).toMatchObject({ status: 202 });
      const head = await api.headObject(client, { bucket, key: 'cold/a.txt' });
      expect(head.restore?.ongoing).toBe(false);
      expect(head.restore?.expiryDate?.getTime()).toBeGreaterThan(Date.now() + 86_400_000);
      expect(await (await api.getObject(client, { bucket, key: 'cold/a.txt' })).text()).toBe('frozen');
      expect(await api.restoreObject(client, { bucket, key: 'cold/a.txt' })).toMatchObject({ status: 200 });
      await api.putObject(client, { bucket, key: 'cold/warm.txt', body: 'warm' });
      expect(await caught(api.restoreObject(client, { bucket, key: 'cold/warm.txt' }))).toMatchObject({
        status: 403,
        code: 'InvalidObjectState',
      });
    });

    test('append: create at 0, grow, a wrong position carries nextPosition, a normal object refuses', async () => {
      const { api, client, bucket } = get();
      const key = 'append/log.txt';
      const first = await api.appendObject(client, {
        bucket,
        key,
        position: 0,
        body: 'one\n',
        contentType: 'text/plain',
      });
      expect(first.nextPosition).toBe(4);
      const second = await api.appendObject(client, {
        bucket,
        key,
        position: first.nextPosition,
        body: new Blob(['two\n']),
        contentMd5: true,
      });
      expect(second.nextPosition).toBe(8);
      const err = (await caught(
        api.appendObject(client, { bucket, key, position: 4, body: 'x' }),
      )) as Core.AppendPositionError;
      expect(err).toMatchObject({
        name: 'Ks3ServiceError',
        status: 409,
        code: 'PositionNotEqualToLength',
        nextPosition: 8,
      });
      const head = await api.headObject(client, { bucket, key });
      expect(head).toMatchObject({
        objectType: 'Appendable',
        nextAppendPosition: 8,
        size: 8,
        contentType: 'text/plain',
      });
      expect(await (await api.getObject(client, { bucket, key })).text()).toBe('one\ntwo\n');
      await api.putObject(client, { bucket, key: 'append/normal.txt', body: 'n' });
      expect(
        await caught(api.appendObject(client, { bucket, key: 'append/normal.txt', position: 1, body: 'x' })),
      ).toMatchObject({ status: 409, code: 'ObjectNotAppendable' });
    });

    test('fetch: KS3 stores the bytes of a URL, with attributes; an unreachable source is KS3s error', async () => {
      const { api, client, bucket, endpoint } = get();
      await api.putObject(client, { bucket, key: 'fetch/src.txt', body: 'from afar', acl: 'public-read' });
      const sourceUrl = `${endpoint}/${bucket}/fetch/src.txt`;
      const res = await api.fetchObject(client, {
        bucket,
        key: 'fetch/copy.txt',
        sourceUrl,
        storageClass: 'STANDARD_IA',
        tags: { origin: 'fetch' },
        metadata: { from: 'url' },
      });
      expect(res.etag).toMatch(/^"[0-9a-f]{32}"$/);
      const head = await api.headObject(client, { bucket, key: 'fetch/copy.txt' });
      expect(head).toMatchObject({ storageClass: 'STANDARD_IA', metadata: { from: 'url' }, size: 9 });
      expect(await (await api.getObject(client, { bucket, key: 'fetch/copy.txt' })).text()).toBe('from afar');
      expect((await api.getObjectTagging(client, { bucket, key: 'fetch/copy.txt' })).tags).toEqual({ origin: 'fetch' });
      const missing = `${endpoint}/${bucket}/fetch/no-such-source.txt`;
      expect(await caught(api.fetchObject(client, { bucket, key: 'fetch/x', sourceUrl: missing }))).toMatchObject({
        status: 400,
        code: 'InvalidArgument',
      });
    });

    test('listObjectsV2: tokens, start-after, owner, key count; listAllObjects agrees with V1', async () => {
      const { api, client, bucket } = get();
      const keys = ['v2/a', 'v2/b', 'v2/c/1', 'v2/c/2', 'v2/d'];
      for (const key of keys) await api.putObject(client, { bucket, key, body: key });
      const first = await api.listObjectsV2(client, { bucket, prefix: 'v2/', maxKeys: 2 });
      expect(first).toMatchObject({ keyCount: 2, isTruncated: true, maxKeys: 2 });
      expect(first.contents[0]?.owner).toBeUndefined();
      const second = await api.listObjectsV2(client, {
        bucket,
        prefix: 'v2/',
        continuationToken: first.nextContinuationToken,
        fetchOwner: true,
      });
      expect(second.continuationToken).toBe(first.nextContinuationToken);
      expect(second.contents.map((o) => o.key)).toEqual(['v2/c/1', 'v2/c/2', 'v2/d']);
      expect(second.contents[0]?.owner?.id).toBeTruthy();
      const after = await api.listObjectsV2(client, { bucket, prefix: 'v2/', startAfter: 'v2/c/2', delimiter: '/' });
      expect(after).toMatchObject({ startAfter: 'v2/c/2', keyCount: 1, isTruncated: false });
      const grouped = await api.listObjectsV2(client, { bucket, prefix: 'v2/', delimiter: '/' });
      expect(grouped.commonPrefixes).toEqual([{ type: 'prefix', prefix: 'v2/c/' }]);
      expect(grouped.keyCount).toBe(4);
      for (const delimiter of [undefined, '/']) {
        const v1: string[] = [];
        const v2: string[] = [];
        for await (const i of api.listAllObjects(client, { bucket, prefix: 'v2/', delimiter, maxKeys: 2 }))
          v1.push(i.type === 'object' ? i.key : i.prefix);
        for await (const i of api.listAllObjects(client, { bucket, prefix: 'v2/', delimiter, maxKeys: 2, listType: 2 }))
          v2.push(i.type === 'object' ? i.key : i.prefix);
        expect(v2).toEqual(v1);
      }
      expect(await caught(api.listObjectsV2(client, { bucket, continuationToken: 'forged' }))).toMatchObject({
        status: 400,
        code: 'InvalidArgument',
      });
    });

    test('emptyBucket by a writer who is not the owner (no access to the versioning state)', async () => {
      const { api, client, env, config } = get();
      const bucket = `writer-${env}-${unique()}`;
      await api.createBucket(client, { bucket });
      const writer = api.createClient({ ...config, ...TEST_TEMPORARY_CREDENTIALS, retries: 0 });
      const id = (await api.listBuckets(writer)).owner.id;
      const { owner, grants } = await api.getBucketAcl(client, { bucket });
      for (const permission of ['READ', 'WRITE'] as const)
        grants.push({ grantee: { type: 'CanonicalUser', id }, permission });
      await api.putBucketAcl(client, { bucket, acl: { owner, grants } });
      for (const key of ['w/1', 'w/2', 'w/3']) await api.putObject(client, { bucket, key, body: key });
      expect((await caught(api.getBucketVersioning(writer, { bucket }))).status).toBe(403);
      expect(await api.emptyBucket(writer, { bucket })).toMatchObject({ objects: 3, uploads: 0 });
      await api.deleteBucket(client, { bucket });
    });

    test('emptyAndDeleteBucket: one batch delete for 40 keys, 3 aborts, never a DELETE per object', async () => {
      const { api, env, config, fetch } = get();
      const bucket = `batch-${env}-${unique()}`;
      const requests: string[] = [];
      const counting = api.createClient({
        ...config,
        ...TEST_CREDENTIALS,
        fetch: (input, init) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          requests.push(`${init?.method ?? 'GET'} ${url.search}`);
          return fetch(input, init);
        },
      });
      await api.createBucket(counting, { bucket });
      const queue = Array.from({ length: 40 }, (_, i) => `many/${String(i).padStart(4, '0')}`);
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          for (let key = queue.pop(); key !== undefined; key = queue.pop())
            await api.putObject(counting, { bucket, key, body: '' });
        }),
      );
      for (let i = 0; i < 3; i++) await api.initiateMultipartUpload(counting, { bucket, key: `pending/${i}` });
      requests.length = 0;
      expect(await api.emptyAndDeleteBucket(counting, { bucket })).toMatchObject({ objects: 40, uploads: 3 });
      // Paging over 1,000 keys: packages/node/test/listing-10k.test.ts (10,000 keys).
      expect(requests.filter((r) => r.startsWith('POST ?delete'))).toHaveLength(1);
      expect(requests.filter((r) => r.startsWith('DELETE ?uploadId='))).toHaveLength(3);
      // The only DELETE without a query is the bucket's own: no object was deleted alone.
      expect(requests.filter((r) => r === 'DELETE ')).toHaveLength(1);
      expect((await api.headBucket(counting, { bucket })).exists).toBe(false);
    });
  });
}
