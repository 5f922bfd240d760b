/**
 * A 1 GiB upload from Chromium with temporary credentials that expire every 3 seconds, as a page
 * gets them from its backend: createCredentialsProvider over a fetcher that mints emulator
 * sessions (POST /__ks3emu/sessions, reached through Node by the ks3EmulatorAdmin command). The
 * File is disk-backed (origin-private file system), the upload manager sends 128 parts of 8 MiB
 * with byte-level progress (XMLHttpRequest), each part signed when it goes out. It completes with
 * no refused request, and the object's MD5 is the file's.
 */
import { afterAll, expect, test } from 'vitest';
import { type Credentials, createClient, deleteObject, type ResponseEvent } from '@ks3/core';
import { createMd5 } from '@ks3/core/crypto';
import { upload, type UploadProgress } from '@ks3/multipart';
import { createCredentialsProvider } from '../src/credentials-provider.js';
import { emulatorAdmin } from '../../../internal/test-utils/emulator-admin.js';
import { downloadMd5, pseudoRandomBytes, useBucket } from '../../multipart/test/helpers.js';

const env = useBucket('br-1gib-sts');
const MiB = 1 << 20;
const BLOCKS = 1024;
const LIFETIME_S = 3;
const NAME = `ks3-1gib-sts-${Math.random().toString(36).slice(2)}.bin`;
const hex = (d: Uint8Array): string => Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');

/** 1 GiB in the origin-private file system: 1,024 distinct 1 MiB blocks; resolves with the File and its MD5. */
async function diskFile(): Promise<{ file: File; md5: string }> {
  const base = pseudoRandomBytes(MiB, 17);
  const root = await navigator.storage.getDirectory();
  const handle = await root.getFileHandle(NAME, { create: true });
  const w = await handle.createWritable();
  const h = createMd5();
  for (let i = 0; i < BLOCKS; i++) {
    const b = base.slice();
    new DataView(b.buffer).setUint32((i * 7919) % (MiB - 4), i);
    h.update(b);
    await w.write(b);
  }
  await w.close();
  return { file: await handle.getFile(), md5: hex(h.digest()) };
}
afterAll(async () => {
  await (await navigator.storage.getDirectory()).removeEntry(NAME).catch(() => {});
});

test('1 GiB with credentials expiring every 3 s completes, tokens fetched as needed, never per part', {
  timeout: 600_000,
}, async () => {
  const { file, md5 } = await diskFile();
  let calls = 0;
  const credentials = createCredentialsProvider(async () => {
    calls++;
    return (await emulatorAdmin(env.endpoint, 'sessions', { durationSeconds: LIFETIME_S })) as Credentials;
  });
  const refused: ResponseEvent[] = [];
  const client = createClient({
    endpoint: env.endpoint,
    region: 'BEIJING',
    credentials,
    hooks: { response: (e) => void ((e.status ?? 0) >= 400 && refused.push(e)) },
  });
  const events: UploadProgress[] = [];
  const key = '1gib/sts.bin';
  const started = Date.now();
  const r = await upload(client, { bucket: env.bucket, key, body: file, onProgress: (p) => events.push(p) });
  const elapsed = Date.now() - started;
  expect(r).toMatchObject({ size: BLOCKS * MiB, parts: 128 });
  expect(refused).toEqual([]);
  // The upload outlived many tokens; every request carried a valid one (nothing was refused:
  // an expired token is 400 ExpiredToken). Tokens are fetched when a request needs one after 3/4
  // of the last one's life (lazily: a token may lapse unused while parts are in flight), never
  // per part.
  expect(elapsed).toBeGreaterThan(4 * LIFETIME_S * 1000);
  expect(calls).toBeGreaterThanOrEqual(4);
  expect(calls).toBeLessThanOrEqual(1 + Math.ceil(elapsed / (LIFETIME_S * 750)));
  expect(calls).toBeLessThan(r.parts / 2);
  expect(events.at(-1)).toMatchObject({ loaded: BLOCKS * MiB, total: BLOCKS * MiB });
  expect(events.length).toBeGreaterThan(128);
  expect(await downloadMd5(env.client, env.bucket, key)).toEqual({ md5, size: BLOCKS * MiB });
  await deleteObject(env.client, { bucket: env.bucket, key });
  console.info(`1 GiB in ${(elapsed / 1000).toFixed(1)} s with ${calls} credential fetches`);
});
