/** Contract: buckets — list, ACLs, location, logging, empty-and-delete, name rules. */
import { describe, expect, test } from 'vitest';
import type * as Core from '@ks3/core';
import type { ContractContext } from './contract.js';

const unique = (): string => Math.random().toString(36).slice(2, 9);

export function bucketSuite(get: () => ContractContext): void {
  describe('buckets', () => {
    test('list buckets shows ours, with creation dates', async () => {
      const { api, client, bucket } = get();
      const { buckets, owner } = await api.listBuckets(client);
      const mine = buckets.find((b) => b.name === bucket);
      expect(mine?.creationDate).toBeInstanceOf(Date);
      expect(Number.isNaN(mine!.creationDate.getTime())).toBe(false);
      expect(owner.id).toBeTruthy();
    });

    test('create with ACL and location; get location; delete', async () => {
      const { api, client, env } = get();
      const name = `loc-${env}-${unique()}`;
      await api.createBucket(client, { bucket: name, acl: 'public-read', location: 'SHANGHAI' });
      expect((await api.getBucketLocation(client, { bucket: name })).location).toBe('SHANGHAI');
      const acl = await api.getBucketAcl(client, { bucket: name });
      expect(acl.grants).toContainEqual({ grantee: { type: 'Group', uri: api.ALL_USERS }, permission: 'READ' });
      await api.deleteBucket(client, { bucket: name });
      const gone = (await api
        .getBucketLocation(client, { bucket: name })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(gone).toMatchObject({ status: 404, code: 'NoSuchBucket' });
    });

    test('bucket ACL: canned values and a full grant list', async () => {
      const { api, client, bucket } = get();
      for (const acl of ['public-read-write', 'public-read', 'private'] as const) {
        await api.putBucketAcl(client, { bucket, acl });
        const { grants } = await api.getBucketAcl(client, { bucket });
        const everyone = grants
          .filter((g) => g.grantee.type === 'Group')
          .map((g) => g.permission)
          .sort();
        expect(everyone, acl).toEqual(acl === 'private' ? [] : acl === 'public-read' ? ['READ'] : ['READ', 'WRITE']);
      }
      const { owner, grants } = await api.getBucketAcl(client, { bucket });
      grants.push({ grantee: { type: 'Group', uri: api.ALL_USERS }, permission: 'READ' });
      await api.putBucketAcl(client, { bucket, acl: { owner, grants } });
      expect((await api.getBucketAcl(client, { bucket })).grants).toContainEqual({
        grantee: { type: 'Group', uri: api.ALL_USERS },
        permission: 'READ',
      });
      await api.putBucketAcl(client, { bucket, acl: 'private' });
    });

    test('logging: enable, read, disable', async () => {
      const { api, client, bucket } = get();
      expect((await api.getBucketLogging(client, { bucket })).logging).toBeNull();
      const on = await api.putBucketLogging(client, {
        bucket,
        logging: { targetBucket: bucket, targetPrefix: 'logs/<&>' },
      });
      expect(on.requestId).toMatch(/\w/);
      expect((await api.getBucketLogging(client, { bucket })).logging).toEqual({
        targetBucket: bucket,
        targetPrefix: 'logs/<&>',
      });
      await api.putBucketLogging(client, { bucket, logging: null });
      expect((await api.getBucketLogging(client, { bucket })).logging).toBeNull();
    });

    test('emptyAndDeleteBucket removes objects and uploads in progress, then the bucket', async () => {
      const { api, client, env } = get();
      const name = `empty-${env}-${unique()}`;
      await api.createBucket(client, { bucket: name });
      for (let i = 0; i < 25; i++) await api.putObject(client, { bucket: name, key: `k/${i}`, body: String(i) });
      await api.initiateMultipartUpload(client, { bucket: name, key: 'pending.bin' });
      const err = (await api.deleteBucket(client, { bucket: name }).catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(err.code).toBe('BucketNotEmpty');
      expect(await api.emptyAndDeleteBucket(client, { bucket: name })).toMatchObject({ objects: 25, uploads: 1 });
      expect((await api.listBuckets(client)).buckets.map((b) => b.name)).not.toContain(name);
    });

    test('a second create of the same name is a typed 409', async () => {
      const { api, client, bucket } = get();
      const err = (await api.createBucket(client, { bucket }).catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(api.isKs3ServiceError(err)).toBe(true);
      expect(err.status).toBe(409);
      expect(['BucketAlreadyExists', 'BucketAlreadyOwnedByYou']).toContain(err.code);
    });
  });
}
