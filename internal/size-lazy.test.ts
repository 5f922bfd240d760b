/**
 * The size presets count what an app loads up front and leave out the lazy chunks (V2 signing,
 * error answers, Content-MD5, encryption, …). That is only honest if the plain path never loads
 * them. This test bundles a preset as scripts/size.mjs does, deletes every chunk that is not
 * counted, and runs the preset's operations from what is left against the emulator: a lazy chunk
 * that the plain path needs fails the import here.
 */
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as Core from '@ks3/core';
import { ROOT, writeBundle } from '../scripts/size.mjs';
import { TEST_CREDENTIALS } from './test-utils/credentials.js';
import { EMULATOR_REGION } from './test-utils/contract-config.js';
import { emulatorBucket } from './test-utils/wire.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The preset bundled like scripts/size.mjs, written out with only its counted chunks. */
async function upFrontOnly(preset: string): Promise<{ mod: typeof Core; dropped: (string | undefined)[] }> {
  const out = await mkdtemp(join(tmpdir(), 'ks3-size-'));
  dirs.push(out);
  const { entry, lazy } = await writeBundle(join(ROOT, 'bench/presets', preset), out);
  for (const c of lazy) await unlink(c.file);
  return { mod: await import(pathToFileURL(entry).href), dropped: lazy.map((c) => c.entryPoint) };
}

describe('what the size presets leave out is not needed on the plain path', () => {
  const env = emulatorBucket('size-lazy');

  it('put+get with V4 and static keys: putObject and getObject of a string body', async () => {
    const { mod, dropped } = await upFrontOnly('put-get.ts');
    // The chunks the preset does not count are really gone: V2 signing, error answers, MD5, …
    expect(dropped).toEqual(expect.arrayContaining(['packages/core/src/sign/v2.ts']));
    const client = mod.createClient({
      endpoint: inject('ks3').endpoint,
      region: EMULATOR_REGION,
      ...TEST_CREDENTIALS,
      retries: 0,
    });
    expect(client.signatureVersion).toBe('v4');
    const put = await mod.putObject(client, { bucket: env.bucket, key: 'a/b.txt', body: 'hello, lazy' });
    expect(put.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const got = await mod.getObject(client, { bucket: env.bucket, key: 'a/b.txt' });
    expect(await got.text()).toBe('hello, lazy');
    // A failure is what loads the lazy code: here it cannot, and says so (not a wrong answer).
    await expect(mod.getObject(client, { bucket: env.bucket, key: 'missing' })).rejects.toThrow(/Cannot find module/);
  });

  it('crud: put, head, list, get and delete', async () => {
    const { mod } = await upFrontOnly('crud.ts');
    const client = mod.createClient({ endpoint: inject('ks3').endpoint, region: EMULATOR_REGION, ...TEST_CREDENTIALS });
    const o = { bucket: env.bucket, key: 'crud.bin' };
    await mod.putObject(client, { ...o, body: new Uint8Array([1, 2, 3]) });
    expect((await mod.headObject(client, o)).size).toBe(3);
    const list = await mod.listObjects(client, { bucket: env.bucket, prefix: 'crud' });
    expect(list.contents.map((x) => x.key)).toEqual(['crud.bin']);
    expect([...(await (await mod.getObject(client, o)).bytes())]).toEqual([1, 2, 3]);
    await mod.deleteObject(client, o);
  });

  it('presign only: a V4 presigned GET that plain fetch can use', async () => {
    const { mod } = await upFrontOnly('presign.ts');
    const client = mod.createClient({ endpoint: inject('ks3').endpoint, region: EMULATOR_REGION, ...TEST_CREDENTIALS });
    // Each bundle has its own createClient: the object is put with the test's client.
    await Core.putObject(env.client, { bucket: env.bucket, key: 'p.txt', body: 'signed' });
    const { url } = await mod.presignUrl(client, { bucket: env.bucket, key: 'p.txt', expiresIn: 60 });
    expect(url).toContain('X-Kss-Signature=');
    const res = await fetch(url);
    expect(await res.text()).toBe('signed');
  });
});
