/**
 * KS3 refuses path-style requests for some buckets (`403 SecondLevelDomainForbidden`, ks3-v4.md
 * §2.1). Against an emulator that refuses them for every bucket, a client made with nothing but a
 * KS3 endpoint name and keys works (virtual-hosted, V4, region inferred), and a path-style one is
 * refused. The endpoint name resolves to the emulator through a loopback resolver that resolves
 * no other name, so nothing here can reach the real KS3.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/node';
import { startEmulator } from '@ks3/emulator';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';
import { loopbackFetch } from '../../../internal/test-utils/loopback.js';

const NAME = 'ks3-cn-beijing.ksyuncs.com';

describe('an emulator that refuses path-style requests (virtualHostedOnly)', () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let dataDir: string;
  const loopback = loopbackFetch([NAME]);
  const make = (extra: Partial<KS3.ClientConfig> = {}): KS3.Client =>
    KS3.createClient({
      endpoint: `http://${NAME}:${emu.port}`,
      ...TEST_CREDENTIALS,
      fetch: loopback.fetch,
      retries: 0,
      ...extra,
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ks3-vh-'));
    emu = await startEmulator({
      port: 0,
      dataDir,
      credentials: [TEST_CREDENTIALS],
      quiet: true,
      endpointNames: [NAME],
      virtualHostedOnly: ['*'],
    });
  });
  afterAll(async () => {
    await loopback.close();
    await emu?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the default client for a KS3 endpoint name works: virtual-hosted, V4, BEIJING', async () => {
    const client = make();
    expect(client).toMatchObject({ region: 'BEIJING', signatureVersion: 'v4', addressing: 'virtual' });
    const bucket = `vh-${Math.random().toString(36).slice(2, 10)}`;
    await KS3.createBucket(client, { bucket });
    await KS3.putObject(client, { bucket, key: 'docs/a b.txt', body: 'third level' });
    expect(await (await KS3.getObject(client, { bucket, key: 'docs/a b.txt' })).text()).toBe('third level');
    const list = await KS3.listObjects(client, { bucket, prefix: 'docs/' });
    expect(list.contents.map((o) => o.key)).toEqual(['docs/a b.txt']);
    const { url } = await KS3.presignUrl(client, { bucket, key: 'docs/a b.txt', expiresIn: 60 });
    expect(new URL(url).host).toBe(`${bucket}.${NAME}:${emu.port}`);
    expect(await (await loopback.fetch(url)).text()).toBe('third level');
    const mp = await KS3.initiateMultipartUpload(client, { bucket, key: 'mp.bin' });
    const part = await KS3.uploadPart(client, { ...mp, partNumber: 1, body: new Uint8Array(1000) });
    await KS3.completeMultipartUpload(client, { ...mp, parts: [{ partNumber: 1, etag: part.etag }] });
    expect((await KS3.headObject(client, { bucket, key: 'mp.bin' })).size).toBe(1000);

    // The same bucket, path style: refused before authentication, whatever the signature.
    for (const extra of [{ addressing: 'path' }, { addressing: 'path', signatureVersion: 'v2' }] as const) {
      const err = (await KS3.getObject(make(extra), { bucket, key: 'docs/a b.txt' }).catch(
        (e: unknown) => e,
      )) as KS3.Ks3ServiceError;
      expect(err).toMatchObject({ name: 'Ks3ServiceError', status: 403, code: 'SecondLevelDomainForbidden' });
    }
    // A localhost endpoint defaults to path style (forced refusal); virtual-hosted on request works.
    const local = { endpoint: `http://localhost:${emu.port}`, region: 'BEIJING' };
    const refused = (await KS3.getObject(make(local), { bucket, key: 'docs/a b.txt' }).catch(
      (e: unknown) => e,
    )) as KS3.Ks3ServiceError;
    expect(refused).toMatchObject({ status: 403, code: 'SecondLevelDomainForbidden' });
    const virtualLocal = make({ ...local, addressing: 'virtual' });
    expect(await (await KS3.getObject(virtualLocal, { bucket, key: 'docs/a b.txt' })).text()).toBe('third level');
    await KS3.emptyAndDeleteBucket(client, { bucket });
  });
});
