/**
 * Encrypted single PUT in one pass (issue 14.2): a large Blob or file is read once to hash its
 * plaintext and encrypted once, while it is sent, with no Content-MD5; the MD5 of what was sent
 * is checked against the ETag, and on a mismatch the stored object is deleted and the call
 * fails. Small bodies keep Content-MD5. The Python-compatible metadata is unchanged. Run with the
 * node:crypto cipher (@ks3/node) and the WebCrypto one (@ks3/core).
 */
import { createHash } from 'node:crypto';
import { describe, expect, test, vi } from 'vitest';
import * as Core from '@ks3/core';
import { type AesCbcCipher, type ClientConfig, isKs3IntegrityError, nodeAesCbc } from '@ks3/node';
import * as Node from '@ks3/node';
import { TEST_CREDENTIALS as TEST } from '../../../internal/test-utils/credentials.js';
import { firstDifference, pseudoRandomBytes, useBucket } from '../../multipart/test/helpers.js';

const env = useBucket('node-enc-put');
const MiB = 1 << 20;
const KEY = 'ks3-demo-key-16b';
const b64md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('base64');

/** A file-like body that counts how often it is read. */
function source(data: Uint8Array<ArrayBuffer>) {
  let reads = 0;
  return {
    body: {
      size: data.length,
      stream: () => {
        reads++;
        return new Blob([data]).stream();
      },
    },
    reads: () => reads,
  };
}

/** nodeAesCbc that counts the bytes it encrypts. */
function countingCipher(): { aesCbc: (k: Uint8Array) => AesCbcCipher; encrypted: () => number } {
  let n = 0;
  return {
    aesCbc: (k) => {
      const c = nodeAesCbc(k);
      return {
        encryptor: (iv) => {
          const e = c.encryptor(iv);
          return (b) => ((n += b.length), e(b));
        },
        decryptor: (iv) => c.decryptor(iv),
      };
    },
    encrypted: () => n,
  };
}

/** Records the PUT requests' headers, and can rewrite the ETag KS3 answers. */
function recordingFetch(etag?: (real: string) => string) {
  const puts: Headers[] = [];
  const deletes: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const res = await globalThis.fetch(input, init);
    if (init?.method === 'DELETE') deletes.push(String(input));
    if (init?.method !== 'PUT' || !etag) {
      if (init?.method === 'PUT') puts.push(new Headers(init.headers));
      return res;
    }
    puts.push(new Headers(init.headers));
    const headers = new Headers(res.headers);
    headers.set('etag', etag(res.headers.get('etag') ?? ''));
    return new Response(res.body, { status: res.status, headers });
  };
  return { fetch, puts, deletes };
}

describe.each([
  ['node:crypto', Node.createClient],
  ['WebCrypto', Core.createClient],
] as const)('%s', (name, make) => {
  const client = (extra: Partial<ClientConfig> = {}) =>
    make({ endpoint: env.endpoint, ...TEST, encryption: { key: KEY }, streaming: true, ...extra });

  test('a 9 MiB file is read twice, encrypted once, sent without Content-MD5, and reads back', async () => {
    const data = pseudoRandomBytes(9 * MiB + 5, 1);
    const src = source(data);
    const counter = countingCipher();
    const rec = recordingFetch();
    const key = `one-pass/${name}`;
    const c = client({ fetch: rec.fetch, ...(name === 'node:crypto' ? { aesCbc: counter.aesCbc } : {}) });
    await Core.putObject(c, { bucket: env.bucket, key, body: src.body });
    expect(src.reads()).toBe(2); // the plaintext MD5, then the upload
    if (name === 'node:crypto') expect(counter.encrypted()).toBe(data.length - (data.length % 16) + 16);
    const h = rec.puts[0]!;
    expect(h.get('content-md5')).toBeNull();
    expect(h.get('x-kss-meta-unencrypted-content-md5')).toBe(b64md5(data));
    expect(h.get('x-kss-meta-unencrypted-content-length')).toBe(String(data.length));
    expect(h.get('x-kss-meta-iv')).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    const back = await (await Core.getObject(c, { bucket: env.bucket, key })).bytes();
    expect(firstDifference(back, data)).toBe(-1);
  });

  test('an ETag that is not the MD5 of what was sent: the object is deleted and the call fails', async () => {
    const data = pseudoRandomBytes(9 * MiB, 2);
    const rec = recordingFetch(() => '"0123456789abcdef0123456789abcdef"');
    const key = `mismatch/${name}`;
    const err = await Core.putObject(client({ fetch: rec.fetch }), {
      bucket: env.bucket,
      key,
      body: new Blob([data]),
    }).catch((e: unknown) => e);
    expect(isKs3IntegrityError(err)).toBe(true);
    expect(String((err as Error).message)).toMatch(/it was deleted/);
    expect(rec.deletes).toHaveLength(1);
    const head = await Core.headObject(client(), { bucket: env.bucket, key }).catch((e: unknown) => e);
    expect(head).toMatchObject({ status: 404 });
  });

  test('an ETag that is not an MD5 (not KS3 speaking) is not compared', async () => {
    const rec = recordingFetch(() => '"not-an-md5-3"');
    const r = await Core.putObject(client({ fetch: rec.fetch }), {
      bucket: env.bucket,
      key: `other-etag/${name}`,
      body: new Blob([pseudoRandomBytes(9 * MiB, 3)]),
    });
    expect(r.etag).toBe('"not-an-md5-3"');
    expect(rec.deletes).toHaveLength(0);
  });

  test('small bodies, and bytes of any size, keep Content-MD5 (checked by KS3 before it stores)', async () => {
    const rec = recordingFetch();
    const c = client({ fetch: rec.fetch });
    const small = pseudoRandomBytes(3 * MiB, 4);
    await Core.putObject(c, { bucket: env.bucket, key: `small/${name}`, body: new Blob([small]) });
    await Core.putObject(c, { bucket: env.bucket, key: `bytes/${name}`, body: pseudoRandomBytes(9 * MiB, 5) });
    expect(rec.puts.map((h) => h.get('content-md5'))).toEqual([expect.any(String), expect.any(String)]);
  });

  test('uploadPart of a large encrypted last part: no Content-MD5, its ETag is checked', async () => {
    const c = client();
    const key = `part/${name}`;
    const init = await Core.initiateMultipartUpload(c, { bucket: env.bucket, key });
    const data = pseudoRandomBytes(9 * MiB + 1, 6);
    const ok = await Core.uploadPart(c, {
      bucket: env.bucket,
      key,
      uploadId: init.uploadId,
      partNumber: 1,
      body: new Blob([data]),
      encryptionState: init.encryptionState!,
      isLastPart: true,
    });
    const bad = recordingFetch(() => '"0123456789abcdef0123456789abcdef"');
    const err = await Core.uploadPart(client({ fetch: bad.fetch }), {
      bucket: env.bucket,
      key,
      uploadId: init.uploadId,
      partNumber: 1,
      body: new Blob([data]),
      encryptionState: init.encryptionState!,
      isLastPart: true,
    }).catch((e: unknown) => e);
    expect(isKs3IntegrityError(err)).toBe(true);
    expect(bad.puts[0]!.get('content-md5')).toBeNull();
    await Core.completeMultipartUpload(c, { bucket: env.bucket, key, uploadId: init.uploadId, parts: [ok] });
    const back = await (await Core.getObject(c, { bucket: env.bucket, key })).bytes();
    expect(firstDifference(back, data)).toBe(-1);
  });
});

test('with @ks3/node, the large MD5s of an encrypted PUT go to the worker pool', async () => {
  const pool = Node.defaultMd5Pool();
  const sessions = vi.spyOn(pool, 'session');
  const c = Node.createClient({ endpoint: env.endpoint, ...TEST, encryption: { key: KEY } });
  const data = pseudoRandomBytes(9 * MiB, 9);
  await Core.putObject(c, { bucket: env.bucket, key: 'pooled', body: new Blob([data]) });
  expect(sessions).toHaveBeenCalledTimes(2); // the plaintext's, then the ciphertext's as it is sent
  sessions.mockRestore();
  const back = await (await Core.getObject(c, { bucket: env.bucket, key: 'pooled' })).bytes();
  expect(firstDifference(back, data)).toBe(-1);
});

test('an MD5 pool that fails does not fail an encrypted PUT: the plaintext and the retried attempt hash here', async () => {
  let sessions = 0;
  const broken = {
    session: () => {
      sessions++;
      return {
        update: async () => Promise.reject(new Error('worker died')),
        digest: async () => Promise.reject(new Error('worker died')),
        cancel() {},
      };
    },
  };
  const c = Node.createClient({
    endpoint: env.endpoint,
    ...TEST,
    encryption: { key: KEY },
    md5Pool: broken,
    retryDelay: 1,
  });
  const data = pseudoRandomBytes(9 * MiB, 10);
  await Core.putObject(c, { bucket: env.bucket, key: 'broken-pool', body: new Blob([data]) });
  expect(sessions).toBe(2); // the plaintext's (then hashed here), the first attempt's (then retried)
  const back = await (await Core.getObject(c, { bucket: env.bucket, key: 'broken-pool' })).bytes();
  expect(firstDifference(back, data)).toBe(-1);
});

describe('encrypted parts', () => {
  const make = (fetch?: typeof globalThis.fetch) =>
    Node.createClient({
      endpoint: env.endpoint,
      ...TEST,
      encryption: { key: KEY },
      streaming: true,
      ...(fetch ? { fetch } : {}),
    });

  test('upload() sends each part with its plaintext length but no plaintext MD5 (KS3 ignores part metadata)', async () => {
    const rec = recordingFetch();
    const data = pseudoRandomBytes(3 * MiB + 77, 7);
    const r = await Node.upload(make(rec.fetch), { bucket: env.bucket, key: 'parts', body: data, partSize: MiB });
    expect(r.parts).toBe(4);
    expect(rec.puts.map((h) => h.get('x-kss-meta-unencrypted-content-md5'))).toEqual([null, null, null, null]);
    expect(rec.puts.map((h) => h.get('x-kss-meta-unencrypted-content-length')).sort()).toEqual(
      ['1048576', '1048576', '1048576', '77'].sort(),
    );
    expect(rec.puts.every((h) => h.get('content-md5'))).toBe(true);
    const back = await (await Core.getObject(make(), { bucket: env.bucket, key: 'parts' })).bytes();
    expect(firstDifference(back, data)).toBe(-1);
  });

  test('encryptPart keeps the reference headers unless told, with either cipher, byte-identical', async () => {
    const web = Core.createClient({ endpoint: env.endpoint, ...TEST, encryption: { key: KEY } });
    const node = make();
    const init = await Core.initiateMultipartUpload(node, { bucket: env.bucket, key: 'ep' });
    const state = init.encryptionState!;
    const body = pseudoRandomBytes(2 * MiB, 8);
    const viaNode = await Core.encryptPart(node, { encryptionState: state, body, isLastPart: false });
    const viaWeb = await Core.encryptPart(web, { encryptionState: state, body, isLastPart: false });
    expect(viaNode.headers['x-kss-meta-unencrypted-content-md5']).toBe(b64md5(body));
    expect(viaNode.headers).toEqual(viaWeb.headers);
    expect(viaNode.next).toEqual(viaWeb.next);
    const bytes = (p: typeof viaNode) => p.body.data as Uint8Array;
    expect(firstDifference(bytes(viaNode), bytes(viaWeb))).toBe(-1);
    const last = await Core.encryptPart(node, {
      encryptionState: viaNode.next,
      body: body.subarray(0, 5),
      isLastPart: true,
      unencryptedMd5: false,
    });
    expect(last.headers['x-kss-meta-unencrypted-content-md5']).toBeUndefined();
    await Core.abortMultipartUpload(node, { bucket: env.bucket, key: 'ep', uploadId: init.uploadId });
  });
});
