/**
 * The benchmark page, bundled by esbuild from the SDK's sources for browsers. Every function
 * performs one run and returns MB/s (MiB/s), timed inside the page; the Node side
 * (sections/browser.mjs) calls them through Playwright, interleaving ours and the baselines.
 */
import { createClient, presignUrl, putObject } from '@ks3/core';
import { createCbcDecryptor, createCbcEncryptor, createMd5, importAesKey } from '@ks3/core/crypto';
import { createMD5 } from 'hash-wasm';
import jsMd5 from 'js-md5';
import { rawAesKey, rawCbcDecrypt, rawCbcEncrypt } from '../lib/raw-cbc.mjs';

const MiB = 1 << 20;
const RAW_KEY = new Uint8Array(16).map((_, i) => i + 1);
const IV = new Uint8Array(16).map((_, i) => 0xa0 + i);
const state = {};

function filled(size) {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 2654435761) >>> 24;
  return out;
}

const slices = (bytes, size) =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

async function timed(bytes, fn) {
  const t0 = performance.now();
  await fn();
  return bytes / MiB / ((performance.now() - t0) / 1000);
}

async function setup(total) {
  if (state.total === total) return;
  state.total = total;
  state.key = await importAesKey(RAW_KEY);
  state.rawKey = await rawAesKey(RAW_KEY);
  state.plain = filled(total);
  const e = createCbcEncryptor(state.key, IV);
  const body = await e.update(state.plain);
  const last = await e.final();
  state.cipher = new Uint8Array(total + 16);
  state.cipher.set(body);
  state.cipher.set(last, total);
}

export async function aes(impl, dir, chunk, total) {
  await setup(total);
  if (impl === 'raw') {
    return timed(total, () =>
      dir === 'enc'
        ? rawCbcEncrypt(state.rawKey, IV, slices(state.plain, chunk))
        : rawCbcDecrypt(state.rawKey, IV, slices(state.cipher.subarray(0, total), chunk)),
    );
  }
  return timed(total, async () => {
    if (dir === 'enc') {
      const e = createCbcEncryptor(state.key, IV);
      for (const s of slices(state.plain, chunk)) await e.update(s);
      await e.final();
    } else {
      const d = createCbcDecryptor(state.key, IV);
      for (const s of slices(state.cipher, chunk)) await d.update(s);
      await d.final();
    }
  });
}

export async function md5(impl, total) {
  await setup(total);
  const chunks = slices(state.plain, MiB);
  return timed(total, async () => {
    if (impl === 'ours') {
      const h = createMd5();
      for (const c of chunks) h.update(c);
      h.digest();
    } else if (impl === 'hash-wasm') {
      const h = await createMD5();
      for (const c of chunks) h.update(c);
      h.digest('binary');
    } else {
      const h = jsMd5.create();
      for (const c of chunks) h.update(c);
      h.digest();
    }
  });
}

/** Uploads a Blob of `size` bytes to the emulator: through putObject, or a raw fetch PUT of a presigned URL. */
export async function upload(impl, size, { endpoint, accessKeyId, secretAccessKey, bucket }) {
  if (state.blobSize !== size) {
    const block = filled(MiB);
    state.blob = new Blob(Array.from({ length: size / MiB }, () => block));
    state.blobSize = size;
  }
  const client = createClient({ endpoint, accessKeyId, secretAccessKey, retries: 0 });
  const key = `upload-${impl}`;
  if (impl === 'ours') return timed(size, () => putObject(client, { bucket, key, body: state.blob }));
  const url = await presignUrl(client, { method: 'PUT', bucket, key, expiresIn: 600 });
  return timed(size, async () => {
    const res = await fetch(url, { method: 'PUT', body: state.blob });
    if (!res.ok) throw new Error(`raw PUT ${res.status}: ${await res.text()}`);
  });
}
