/**
 * Contract: bucket configurations — lifecycle, policy, CORS, website, default encryption,
 * replication (`?crr`) and mirror — each put, read back, refused when KS3 would refuse it, and
 * deleted, in every signing and addressing mode of the run.
 */
import { describe, expect, test } from 'vitest';
import type * as Core from '@ks3/core';
import type { ContractContext } from './contract.js';

const unique = (): string => Math.random().toString(36).slice(2, 9);
const caught = async (p: Promise<unknown>): Promise<Core.Ks3ServiceError> =>
  (await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  )) as Core.Ks3ServiceError;

export function bucketConfigSuite(get: () => ContractContext): void {
  describe('bucket configuration', () => {
    /** A fresh bucket per test, so configurations never leak into the other suites. */
    const fresh = async (name: string): Promise<string> => {
      const { api, client, env } = get();
      const bucket = `${name}-${env}-${unique()}`;
      await api.createBucket(client, { bucket });
      return bucket;
    };

    test('lifecycle: rules round-trip; a past date expires objects and aborts uploads; delete', async () => {
      const { api, client } = get();
      const bucket = await fresh('lc');
      expect(await caught(api.getBucketLifecycle(client, { bucket }))).toMatchObject({
        status: 404,
        code: 'NoSuchLifecycleConfiguration',
      });
      const rules: Core.LifecycleRule[] = [
        { id: 'logs', status: 'Enabled', filter: { prefix: 'logs/' }, expiration: { days: 30 } },
        {
          id: 'tagged',
          status: 'Disabled',
          filter: { prefix: 'tmp/', tags: { team: 'a b', env: 'x' } },
          expiration: { days: 2 },
        },
        {
          id: 'cold',
          status: 'Enabled',
          filter: { prefix: 'raw/', objectSizeGreaterThan: 10, objectSizeLessThan: 1_000_000 },
          transitions: [
            { days: 30, storageClass: 'STANDARD_IA' },
            { days: 90, storageClass: 'ARCHIVE' },
          ],
        },
        { id: 'past', status: 'Enabled', filter: { prefix: 'exp/' }, expiration: { date: '2020-01-01T00:00:00.000Z' } },
        {
          id: 'uploads',
          status: 'Enabled',
          filter: { prefix: 'up/' },
          abortIncompleteMultipartUpload: { date: new Date('2020-01-01T00:00:00Z') },
        },
      ];
      await api.putObject(client, { bucket, key: 'exp/old.txt', body: 'x' });
      await api.putObject(client, { bucket, key: 'keep/new.txt', body: 'x' });
      await api.initiateMultipartUpload(client, { bucket, key: 'up/stale.bin' });
      const put = await api.putBucketLifecycle(client, { bucket, rules });
      expect(put.requestId).toBeTruthy();
      const { rules: got } = await api.getBucketLifecycle(client, { bucket });
      expect(got).toEqual(
        rules.map((r) =>
          r.id === 'uploads' ? { ...r, abortIncompleteMultipartUpload: { date: '2020-01-01T00:00:00.000Z' } } : r,
        ),
      );
      // The emulator applies expiration and abort rules before a listing.
      expect((await api.listObjects(client, { bucket })).contents.map((o) => o.key)).toEqual(['keep/new.txt']);
      expect((await api.listMultipartUploads(client, { bucket })).uploads).toEqual([]);
      // Overlapping prefixes with the same action: KS3's refusal, unless allowed.
      const overlap: Core.LifecycleRule[] = [
        { id: 'a', status: 'Enabled', filter: { prefix: 'x/' }, expiration: { days: 1 } },
        { id: 'b', status: 'Enabled', filter: { prefix: 'x/y/' }, expiration: { days: 2 } },
      ];
      expect(await caught(api.putBucketLifecycle(client, { bucket, rules: overlap }))).toMatchObject({
        status: 400,
        code: 'InvalidArgument',
      });
      await api.putBucketLifecycle(client, { bucket, rules: overlap, allowSameActionOverlap: true });
      expect((await api.getBucketLifecycle(client, { bucket })).rules.map((r) => r.id)).toEqual(['a', 'b']);
      await api.deleteBucketLifecycle(client, { bucket });
      expect((await caught(api.getBucketLifecycle(client, { bucket }))).status).toBe(404);
      await api.emptyAndDeleteBucket(client, { bucket });
    });

    test('policy: an object or JSON text round-trips; KS3 refuses a malformed policy; delete', async () => {
      const { api, client } = get();
      const bucket = await fresh('pol');
      const policy = {
        Version: '2015-11-01',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { KSC: ['*'] },
            Action: ['ks3:GetObject'],
            Resource: [`krn:ksc:ks3:::${bucket}/public/*`],
          },
        ],
      };
      await api.putBucketPolicy(client, { bucket, policy });
      const got = await api.getBucketPolicy(client, { bucket });
      expect(got.policy).toEqual(policy);
      // The policy is in force: anonymous reads under public/ work, elsewhere not.
      await api.putObject(client, { bucket, key: 'public/a.txt', body: 'open' });
      await api.putObject(client, { bucket, key: 'private/a.txt', body: 'closed' });
      const { endpoint, fetch } = get();
      expect((await fetch(`${endpoint}/${bucket}/public/a.txt`)).status).toBe(200);
      expect((await fetch(`${endpoint}/${bucket}/private/a.txt`)).status).toBe(403);
      const text = JSON.stringify({ ...policy, Statement: [{ ...policy.Statement[0], Effect: 'Deny' }] }, null, 2);
      await api.putBucketPolicy(client, { bucket, policy: text });
      expect((await api.getBucketPolicy(client, { bucket })).text).toBe(text);
      const bad = { Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'ks3:GetObject', Resource: 'x' }] };
      expect(await caught(api.putBucketPolicy(client, { bucket, policy: bad }))).toMatchObject({
        status: 400,
        code: 'MalformedPolicy',
      });
      await api.deleteBucketPolicy(client, { bucket });
      expect(await caught(api.getBucketPolicy(client, { bucket }))).toMatchObject({
        status: 404,
        code: 'NoSuchBucketPolicy',
      });
      await api.emptyAndDeleteBucket(client, { bucket });
    });

    test('CORS: rules round-trip, with KS3 NonCrossOriginResponseVary; delete', async () => {
      const { api, client } = get();
      const bucket = await fresh('cors');
      const rules: Core.CorsRule[] = [
        {
          id: 'app',
          allowedOrigins: ['https://app.example.com', 'https://*.example.org'],
          allowedMethods: ['GET', 'PUT', 'POST'],
          allowedHeaders: ['*'],
          exposeHeaders: ['ETag', 'x-kss-request-id'],
          maxAgeSeconds: 600,
        },
        { allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'], allowedHeaders: [], exposeHeaders: [] },
      ];
      await api.putBucketCors(client, { bucket, rules, nonCrossOriginResponseVary: true });
      const got = await api.getBucketCors(client, { bucket });
      expect(got).toMatchObject({ rules, nonCrossOriginResponseVary: true });
      await api.putBucketCors(client, { bucket, rules: [rules[1]!] });
      expect((await api.getBucketCors(client, { bucket })).nonCrossOriginResponseVary).toBeUndefined();
      await api.deleteBucketCors(client, { bucket });
      expect(await caught(api.getBucketCors(client, { bucket }))).toMatchObject({
        status: 404,
        code: 'NoSuchCORSConfiguration',
      });
      await api.deleteBucket(client, { bucket });
    });

    test('website: index, error document and routing rules; redirect-all; delete', async () => {
      const { api, client } = get();
      const bucket = await fresh('web');
      const website: Core.BucketWebsite = {
        indexDocument: 'index.html',
        errorDocument: 'errors/404.html',
        routingRules: [
          {
            condition: { keyPrefixEquals: 'docs/' },
            redirect: { replaceKeyPrefixWith: 'documents/', httpRedirectCode: '301' },
          },
          {
            condition: { httpErrorCodeReturnedEquals: '404' },
            redirect: { hostName: 'example.com', protocol: 'https' },
          },
        ],
      };
      await api.putBucketWebsite(client, { bucket, website });
      expect((await api.getBucketWebsite(client, { bucket })).website).toEqual(website);
      const all = { redirectAllRequestsTo: { hostName: 'www.example.com', protocol: 'https' as const } };
      await api.putBucketWebsite(client, { bucket, website: all });
      expect((await api.getBucketWebsite(client, { bucket })).website).toEqual(all);
      await api.deleteBucketWebsite(client, { bucket });
      expect((await caught(api.getBucketWebsite(client, { bucket }))).status).toBe(404);
      await api.deleteBucket(client, { bucket });
    });

    test('default encryption, replication and mirror round-trip', async () => {
      const { api, client } = get();
      const bucket = await fresh('cfg');
      await api.putBucketEncryption(client, { bucket, sseAlgorithm: 'AES256' });
      expect((await api.getBucketEncryption(client, { bucket })).sseAlgorithm).toBe('AES256');
      await api.deleteBucketEncryption(client, { bucket });
      expect((await caught(api.getBucketEncryption(client, { bucket }))).status).toBe(404);
      const replication: Core.BucketReplication = {
        targetBucket: `replica-${unique()}`,
        region: 'SHANGHAI',
        prefixes: ['photos/', 'docs/'],
        deleteMarkerStatus: 'Enabled',
        historicalObjectReplication: 'Disabled',
      };
      await api.putBucketReplication(client, { bucket, replication });
      expect((await api.getBucketReplication(client, { bucket })).replication).toEqual(replication);
      await api.deleteBucketReplication(client, { bucket });
      expect((await caught(api.getBucketReplication(client, { bucket }))).status).toBe(404);
      const mirror: Core.BucketMirror = {
        version: 'V3',
        use_default_robots: false,
        async_mirror_rule: { mirror_urls: ['https://origin.example.com'], saving_setting: { acl: 'private' } },
        sync_mirror_rules: [
          {
            match_condition: { http_codes: ['404'], key_prefixes: ['img/'] },
            mirror_url: 'https://img.example.com/',
            mirror_request_setting: { pass_query_string: true, follow3xx: false },
            saving_setting: { acl: 'public-read' },
          },
        ],
      };
      await api.putBucketMirror(client, { bucket, mirror });
      expect((await api.getBucketMirror(client, { bucket })).mirror).toEqual(mirror);
      await api.deleteBucketMirror(client, { bucket });
      expect((await caught(api.getBucketMirror(client, { bucket }))).status).toBe(404);
      await api.deleteBucket(client, { bucket });
    });
  });
}
