/**
 * Issue 9.2: objects stored with a Content-Encoding (real gzip and deflate bytes) download on
 * every path, in Node and in Chromium. fetch decodes them and cannot be told not to, so whole
 * reads return the decoded data with `decoded: true` and `contentLength: undefined` (their
 * length cannot be checked); ranges address the stored bytes and return exactly those, length
 * checked. Against the emulator and a recording server.
 */
import { describe, expect, test } from 'vitest';
import { createClient, getObject, type GetObjectResult, isKs3IntegrityError, putObject } from '@ks3/core';
import { firstDifference } from '../../../../internal/test-utils/contract.js';
import { base64Of } from '../../../../internal/test-utils/recorder.js';
import { emulatorBucket, gzip, requestsSince, useRecorder } from '../../../../internal/test-utils/wire.js';

const emu = emulatorBucket('wire-encoded');
const wire = useRecorder();

const PLAIN = new TextEncoder().encode('a line of text that compresses well\n'.repeat(400));
const decodeText = (b: Uint8Array): string => new TextDecoder().decode(b);

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

async function streamed(obj: GetObjectResult): Promise<Uint8Array> {
  return new Uint8Array(await new Response(obj.body).arrayBuffer());
}

function expectDecoded(obj: GetObjectResult, stored: Uint8Array, encoding: string): void {
  expect(obj).toMatchObject({ status: 200, decoded: true, contentLength: undefined, size: stored.length });
  expect(obj.contentEncoding).toBe(encoding);
}

describe('emulator: an object stored gzip-encoded', () => {
  let gz: Uint8Array;
  const key = 'page.html.gz';
  test('is stored as the gzip bytes given', async () => {
    gz = await gzip(PLAIN);
    const { client, bucket } = emu;
    await putObject(client, { bucket, key, body: gz, contentEncoding: 'gzip', contentType: 'text/html' });
    // encryption: false is not needed: a range read returns the stored bytes exactly.
    const raw = await getObject(client, { bucket, key, range: { start: 0 } });
    expect(raw.decoded).toBeUndefined();
    expect(firstDifference(await raw.bytes(), gz)).toBe(-1);
  });

  test('bytes(), text() and body give the decoded data, marked decoded, length unknown', async () => {
    const { client, bucket } = emu;
    const a = await getObject(client, { bucket, key });
    expectDecoded(a, gz, 'gzip');
    expect(firstDifference(await a.bytes(), PLAIN)).toBe(-1);
    const b = await getObject(client, { bucket, key });
    expectDecoded(b, gz, 'gzip');
    expect(await b.text()).toBe(decodeText(PLAIN));
    const c = await getObject(client, { bucket, key });
    expectDecoded(c, gz, 'gzip');
    expect(firstDifference(await streamed(c), PLAIN)).toBe(-1);
  });

  test('download progress counts the decoded bytes and never claims a total', async () => {
    const { client, bucket } = emu;
    const seen: { loaded: number; total: number | undefined }[] = [];
    const obj = await getObject(client, { bucket, key, onProgress: (p) => seen.push(p) });
    await obj.bytes();
    expect(seen.at(-1)).toEqual({ loaded: PLAIN.length, total: undefined });
  });

  test('a range returns exactly the stored bytes it names, length checked', async () => {
    const { client, bucket } = emu;
    for (const [start, end] of [
      [0, 9],
      [10, 40],
      [gz.length - 5, undefined],
    ] as const) {
      const obj = await getObject(client, { bucket, key, range: { start, end } });
      const want = gz.subarray(start, end === undefined ? undefined : end + 1);
      expect(obj).toMatchObject({ status: 206, contentLength: want.length, range: { start, total: gz.length } });
      expect(obj.decoded).toBeUndefined();
      expect(firstDifference(await obj.bytes(), want)).toBe(-1);
    }
  });
});

describe('recording server: encoded answers as fetch delivers them', () => {
  test('gzip and deflate bodies decode on every whole-object path', async () => {
    const gz = await gzip(PLAIN);
    const df = await deflate(PLAIN);
    for (const [encoding, stored] of [
      ['gzip', gz],
      ['deflate', df],
    ] as const) {
      const reply = {
        headers: { 'content-encoding': encoding, 'content-type': 'text/plain', etag: '"e"' },
        bodyBase64: base64Of(stored),
      };
      await wire.rec.setRoutes([{ method: 'GET', reply }]);
      const client = wire.client();
      const t = { bucket: 'bkt', key: 'enc' };
      const a = await getObject(client, t);
      expectDecoded(a, stored, encoding);
      expect(firstDifference(await a.bytes(), PLAIN)).toBe(-1);
      const b = await getObject(client, t);
      expect(await b.text()).toBe(decodeText(PLAIN));
      expect(firstDifference(await streamed(await getObject(client, t)), PLAIN)).toBe(-1);
    }
  });

  test('a signed range asks for the stored bytes (response-content-encoding=identity), unless overridden', async () => {
    await wire.rec.setRoutes([]);
    const from = (await wire.rec.requests()).length;
    const t = { bucket: 'bkt', key: 'enc' };
    await getObject(wire.client(), { ...t, range: { start: 0, end: 0 } }).catch(() => undefined);
    await getObject(wire.client(), { ...t, range: { start: 0, end: 0 }, response: { contentEncoding: 'br' } }).catch(
      () => undefined,
    );
    await getObject(wire.client(), t).catch(() => undefined);
    const anonymous = createClient({ endpoint: wire.rec.url, anonymous: true });
    await getObject(anonymous, { ...t, range: { start: 0, end: 0 } }).catch(() => undefined);
    const sent = (await requestsSince(wire.rec, from)).map((r) => new URL(r.target, 'http://x').search);
    expect(sent).toEqual(['?response-content-encoding=identity', '?response-content-encoding=br', '', '']);
  });

  test('where the length is exact it is still checked: a short identity body is a Ks3IntegrityError', async () => {
    // fetch itself refuses such a body from a real socket; a fetch that does not (an injected one) must not
    // slip a truncated download past the SDK.
    const short = async () =>
      new Response(new Uint8Array(50), { status: 200, headers: { 'content-length': '100', etag: '"e"' } });
    const client = createClient({ endpoint: 'http://ks3.test', anonymous: true, fetch: short });
    const obj = await getObject(client, { bucket: 'bkt', key: 'k' });
    expect(obj.contentLength).toBe(100);
    const err = await obj.bytes().catch((e: unknown) => e);
    expect(isKs3IntegrityError(err), String(err)).toBe(true);
    expect((err as Error).message).toContain('truncated: 50 of 100 bytes');
  });
});
