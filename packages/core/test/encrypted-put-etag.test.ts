/**
 * The one-pass encrypted PUT (a Blob is encrypted while sent, its ciphertext MD5 checked against
 * the ETag) and an encrypted last part sent the same way, against a server that reads exactly
 * Content-Length bytes and lets the rest of the stream go, with an MD5 pool whose digests lag.
 * `pnpm bench` found an encrypted 1 GiB PUT failing with "the body was not sent to its end":
 * undici delivered the answer while the pool's digest of the body's end was still pending. That
 * race is not reproduced here (the SDK's body wrapper reads the stream's end ahead of fetch);
 * these tests pin the behaviour around it: the MD5 of what was sent is the ETag accepted.
 */
import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import * as KS3 from '@ks3/core';

const MiB = 1 << 20;

/** A fetch that reads exactly Content-Length bytes of a streamed body, then answers with their MD5. */
function eagerServer(seen: { bodies: number; md5s: string[] }): typeof fetch {
  return (async (_url: string | URL | Request, init?: RequestInit) => {
    const length = Number(new Headers(init?.headers).get('content-length'));
    const hash = createHash('md5');
    const body = init?.body;
    if (body instanceof ReadableStream) {
      const reader = (body as ReadableStream<Uint8Array>).getReader();
      for (let got = 0; got < length; ) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        got += value.length;
      }
      // As undici may: the length is known, so the rest of the stream is let go.
      await reader.cancel();
    } else if (body) hash.update(new Uint8Array(await new Response(body).arrayBuffer()));
    seen.bodies++;
    const md5 = hash.digest('hex');
    seen.md5s.push(md5);
    const xml =
      '<?xml version="1.0"?><InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>';
    return new Response(init?.method === 'POST' ? xml : null, { status: 200, headers: { etag: `"${md5}"` } });
  }) as typeof fetch;
}

/** An MD5 pool whose digests take a while, as worker threads' do on a loaded machine. */
const slowPool: KS3.Md5Pool = {
  session() {
    const h = createHash('md5');
    return {
      update: async (b) => void h.update(b),
      digest: () => new Promise((r) => setTimeout(() => r(new Uint8Array(h.digest())), 50)),
      cancel() {},
    };
  },
};

const client = (seen: { bodies: number; md5s: string[] }) =>
  KS3.createClient({
    endpoint: 'http://ks3.test',
    accessKeyId: 'AKLTeager',
    secretAccessKey: 'eager-secret-key',
    signatureVersion: 'v2',
    encryption: { key: 'ks3-demo-key-16b' },
    fetch: eagerServer(seen),
    streaming: true,
    md5Pool: slowPool,
    retries: 0,
  });

test('an encrypted PUT of a Blob whose answer comes before fetch reads the stream to its end', async () => {
  const seen = { bodies: 0, md5s: [] as string[] };
  const body = new Blob([new Uint8Array(3 * MiB + 5).fill(7)]);
  const r = await KS3.putObject(client(seen), { bucket: 'bkt', key: 'k', body });
  expect(seen.bodies).toBe(1);
  expect(r.etag).toBe(`"${seen.md5s[0]}"`);
});

test('an encrypted last part of a Blob, answered the same way', async () => {
  const seen = { bodies: 0, md5s: [] as string[] };
  const c = client(seen);
  const init = await KS3.initiateMultipartUpload(c, { bucket: 'bkt', key: 'k' });
  const body = new Blob([new Uint8Array(3 * MiB + 5).fill(9)]);
  const part = await KS3.uploadPart(c, { ...init, partNumber: 1, body, isLastPart: true });
  expect(part.etag).toBe(`"${seen.md5s.at(-1)}"`);
});
