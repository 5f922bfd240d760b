/**
 * The hostile-response catalogue (issue 11 points 3–9 and around them): answers a real KS3 would
 * not give, or gives only in bad moments, each served by a fake fetch. Each must end in a typed
 * error (or the documented recovery), read no more than it should, and never loop or hang.
 */
import * as KS3 from '@ks3/node';

/** One request as the fake server sees it, numbered from 1 within a case. */
export interface SeenRequest {
  n: number;
  method: string;
  url: string;
  headers: Headers;
}

export interface ResponseCase {
  name: string;
  respond(r: SeenRequest): Response | Promise<Response>;
  run(client: KS3.Client): Promise<unknown>;
  /** Throws (expect) when the outcome is wrong. `pulled` is the bytes the SDK read from bodies. */
  check(o: { error: unknown; value: unknown; calls: number; pulled: number }): void;
}

const b = 'catalogue';
const k = 'key';
const xml = (body: string, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(body, { status, headers: { 'content-type': 'application/xml', ...headers } });
const errorXml = (code: string, status = 200, extra = ''): Response =>
  xml(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message>${extra}</Error>`, status);

/** A body of `size` bytes made on demand; `count` receives what was pulled from it. */
export function lazyBody(size: number, count: (n: number) => void, fill = 65): ReadableStream<Uint8Array> {
  let sent = 0;
  const chunk = new Uint8Array(16 * 1024).fill(fill);
  return new ReadableStream({
    pull(c) {
      if (sent >= size) return c.close();
      const n = Math.min(chunk.length, size - sent);
      sent += n;
      count(n);
      c.enqueue(chunk.subarray(0, n));
    },
  });
}

export function is(name: string, extra: Record<string, unknown> = {}) {
  return (o: { error: unknown }): void => {
    const e = o.error as Record<string, unknown>;
    if (!e || e.name !== name)
      throw new Error(`expected a ${name}, got ${String(e?.name ?? 'success')}: ${String(e?.message ?? '')}`);
    for (const [f, v] of Object.entries(extra))
      if (e[f] !== v) throw new Error(`expected ${f} ${String(v)}, got ${String(e[f])}`);
  };
}

const both =
  (...checks: ((o: { error: unknown; value: unknown; calls: number; pulled: number }) => void)[]) =>
  (o: { error: unknown; value: unknown; calls: number; pulled: number }) => {
    for (const c of checks) c(o);
  };
const succeeds = (o: { error: unknown }): void => {
  if (o.error) throw o.error;
};
const calls = (n: number) => (o: { calls: number }) => {
  if (o.calls !== n) throw new Error(`expected ${n} requests, saw ${o.calls}`);
};
const atMost = (bytes: number) => (o: { pulled: number }) => {
  if (o.pulled > bytes) throw new Error(`read ${o.pulled} bytes of a hostile body (at most ${bytes})`);
};

const listing = (next: string) =>
  xml(
    `<ListBucketResult><Name>${b}</Name><IsTruncated>true</IsTruncated><NextMarker>${next}</NextMarker>` +
      `<Contents><Key>${next}</Key><Size>1</Size><ETag>"e"</ETag>` +
      '<LastModified>2026-01-01T00:00:00.000Z</LastModified></Contents></ListBucketResult>',
  );

export function responseCases(pulled: (n: number) => void): ResponseCase[] {
  const big = (status: number) => () =>
    new Response(lazyBody(64 << 20, pulled), { status, headers: { 'content-type': 'application/xml' } });
  return [
    {
      name: 'a 64 MiB 500 body on a GET',
      respond: big(500),
      run: (c) => KS3.getObject(c, { bucket: b, key: k }),
      check: both(is('Ks3ServiceError', { status: 500 }), atMost(2 * 128 * 1024)),
    },
    {
      name: 'a 64 MiB 500 body on a PUT (read inside the attempt)',
      respond: big(500),
      run: (c) => KS3.putObject(c, { bucket: b, key: k, body: 'x' }),
      check: both(is('Ks3ServiceError', { status: 500 }), atMost(2 * 128 * 1024)),
    },
    ...(['PutObject', 'UploadPart', 'CopyObject', 'CompleteMultipartUpload'] as const).map(
      (op): ResponseCase => ({
        name: `a 200 whose body is an <Error> (${op})`,
        respond: () => errorXml('AccessDenied'),
        run: (c) =>
          op === 'PutObject'
            ? KS3.putObject(c, { bucket: b, key: k, body: 'x' })
            : op === 'UploadPart'
              ? KS3.uploadPart(c, { bucket: b, key: k, uploadId: 'u', partNumber: 1, body: 'x', encryption: false })
              : op === 'CopyObject'
                ? KS3.copyObject(c, { bucket: b, key: k, sourceBucket: b, sourceKey: 's' })
                : KS3.completeMultipartUpload(c, {
                    bucket: b,
                    key: k,
                    uploadId: 'u',
                    parts: [{ partNumber: 1, etag: '"a"' }],
                  }),
        check: is('Ks3ServiceError', { code: 'AccessDenied', status: 200 }),
      }),
    ),
    {
      name: 'a 200 <Error> InternalError on Complete, then the document: retried',
      respond: (r) =>
        r.n === 1
          ? errorXml('InternalError')
          : xml(
              '<CompleteMultipartUploadResult><Location>l</Location><ETag>"x-1"</ETag></CompleteMultipartUploadResult>',
            ),
      run: (c) =>
        KS3.completeMultipartUpload(c, { bucket: b, key: k, uploadId: 'u', parts: [{ partNumber: 1, etag: '"a"' }] }),
      check: both(succeeds, calls(2)),
    },
    {
      name: 'a 206 for another range',
      respond: () =>
        new Response('abcd', { status: 206, headers: { 'content-range': 'bytes 0-3/10', 'content-length': '4' } }),
      run: (c) => KS3.getObject(c, { bucket: b, key: k, range: { start: 4, end: 7 }, encryption: false }),
      check: is('Ks3ProtocolError'),
    },
    {
      name: 'a 200 with the whole object for a range in the middle',
      respond: () => new Response('0123456789', { status: 200, headers: { 'content-length': '10' } }),
      run: (c) => KS3.getObject(c, { bucket: b, key: k, range: { start: 4, end: 7 }, encryption: false }),
      check: is('Ks3ProtocolError'),
    },
    {
      name: 'Retry-After: 3600 (beyond maxRetryAfter): refused at once',
      respond: () => new Response(null, { status: 503, headers: { 'retry-after': '3600' } }),
      run: (c) => KS3.headObject(c, { bucket: b, key: k }),
      check: both(is('Ks3ServiceError', { status: 503, retryAfterMs: 3_600_000 }), calls(1)),
    },
    {
      name: 'Retry-After as an HTTP date a day ahead: refused at once',
      respond: () =>
        new Response(null, {
          status: 503,
          headers: { 'retry-after': new Date(Date.now() + 86_400_000).toUTCString() },
        }),
      run: (c) => KS3.headObject(c, { bucket: b, key: k }),
      check: both(is('Ks3ServiceError', { status: 503 }), calls(1)),
    },
    {
      name: 'Retry-After as an HTTP date in the past: retried',
      respond: (r) =>
        r.n === 1
          ? new Response(null, { status: 503, headers: { 'retry-after': new Date(0).toUTCString() } })
          : new Response(null, { status: 200, headers: { 'content-length': '0' } }),
      run: (c) => KS3.headObject(c, { bucket: b, key: k }),
      check: both(succeeds, calls(2)),
    },
    {
      name: 'listing markers that cycle a → b → a',
      respond: (r) => listing(r.n % 2 ? 'a' : 'b'),
      run: async (c) => {
        for await (const _ of KS3.listAllObjects(c, { bucket: b })) {
          // drain
        }
      },
      check: both(is('Ks3ProtocolError'), (o) => {
        if (o.calls > 3) throw new Error(`${o.calls} pages for a cycle of 2`);
      }),
    },
    {
      name: 'multipart upload markers that cycle',
      respond: (r) =>
        xml(
          '<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>' +
            `<NextKeyMarker>${r.n % 2 ? 'a' : 'b'}</NextKeyMarker><NextUploadIdMarker>u</NextUploadIdMarker>` +
            '</ListMultipartUploadsResult>',
        ),
      run: async (c) => {
        for await (const _ of KS3.listAllMultipartUploads(c, { bucket: b })) {
          // drain
        }
      },
      check: both(is('Ks3ProtocolError'), (o) => {
        if (o.calls > 3) throw new Error(`${o.calls} pages for a cycle of 2`);
      }),
    },
    {
      name: 'a truncated listing without a next marker',
      respond: () => xml(`<ListBucketResult><Name>${b}</Name><IsTruncated>true</IsTruncated></ListBucketResult>`),
      run: async (c) => {
        for await (const _ of KS3.listAllObjects(c, { bucket: b })) {
          // drain
        }
      },
      check: is('Ks3ProtocolError'),
    },
    {
      name: 'a listing that is HTML',
      respond: () => new Response('<html><body>gateway</body></html>', { status: 200 }),
      run: (c) => KS3.listObjects(c, { bucket: b }),
      check: is('Ks3ProtocolError'),
    },
    {
      name: 'an Initiate answer without an UploadId',
      respond: () => xml('<InitiateMultipartUploadResult><Bucket>b</Bucket></InitiateMultipartUploadResult>'),
      run: (c) => KS3.initiateMultipartUpload(c, { bucket: b, key: k, encryption: false }),
      check: is('Ks3ProtocolError'),
    },
    {
      name: 'a body shorter than its Content-Length',
      respond: () => new Response('0123456789', { status: 200, headers: { 'content-length': '20' } }),
      run: async (c) => (await KS3.getObject(c, { bucket: b, key: k, encryption: false })).bytes(),
      check: is('Ks3IntegrityError'),
    },
    {
      name: 'a body longer than its Content-Length',
      respond: () => new Response('0123456789', { status: 200, headers: { 'content-length': '5' } }),
      run: async (c) => (await KS3.getObject(c, { bucket: b, key: k, encryption: false })).bytes(),
      check: is('Ks3IntegrityError'),
    },
    {
      name: 'a body that stalls (idle timeout)',
      respond: () => new Response(new ReadableStream({ pull: () => new Promise(() => {}) }), { status: 200 }),
      run: async (c) => (await KS3.getObject(c, { bucket: b, key: k, encryption: false })).bytes(),
      check: is('Ks3NetworkError', { timeout: true }),
    },
    {
      name: 'an entity bomb in an error body',
      respond: () =>
        xml(
          `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "${'x'.repeat(100)}">` +
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Error><Code>&b;</Code></Error>',
          403,
        ),
      run: (c) => KS3.getObject(c, { bucket: b, key: k }),
      check: is('Ks3ServiceError', { status: 403 }),
    },
    {
      name: 'a redirect to another host (not followed)',
      respond: () => new Response(null, { status: 301, headers: { location: 'http://evil.test/' } }),
      run: (c) => KS3.headObject(c, { bucket: b, key: k }),
      check: both(is('Ks3ServiceError', { status: 301 }), calls(1)),
    },
    {
      name: 'SignatureDoesNotMatch echoing SignatureProvided and StringToSign',
      respond: (r) =>
        errorXml(
          'SignatureDoesNotMatch',
          403,
          `<SignatureProvided>${r.headers.get('authorization') ?? ''}</SignatureProvided>` +
            '<StringToSign>GET\n\n</StringToSign>',
        ),
      run: (c) => KS3.getObject(c, { bucket: b, key: k }),
      check: is('Ks3ServiceError', { code: 'SignatureDoesNotMatch' }),
    },
    {
      name: 'an encrypted object whose IV is not Base64',
      respond: () =>
        new Response(new Uint8Array(32), {
          status: 200,
          headers: { 'content-length': '32', 'x-kss-meta-iv': '%%%not base64%%%' },
        }),
      run: async (c) => (await KS3.getObject(c, { bucket: b, key: k })).bytes(),
      check: is('Ks3IntegrityError'),
    },
    {
      name: 'an encrypted object under another key',
      respond: () =>
        new Response(new Uint8Array(32), {
          status: 200,
          headers: {
            'content-length': '32',
            'x-kss-meta-iv': 'AAAAAAAAAAAAAAAAAAAAAA==',
            'x-kss-meta-key': 'bm90IG91cnM=',
          },
        }),
      run: async (c) => (await KS3.getObject(c, { bucket: b, key: k })).bytes(),
      check: is('Ks3IntegrityError'),
    },
    {
      name: 'fetch rejects quoting the signed headers',
      respond: (r) => {
        throw new TypeError(`Headers.append: "${r.headers.get('authorization')}" is an invalid header value.`);
      },
      run: (c) => KS3.headObject(c, { bucket: b, key: k }),
      check: is('Ks3NetworkError'),
    },
    {
      name: 'a HEAD with a Content-Length that is not a number',
      respond: () => new Response(null, { status: 200, headers: { 'content-length': '12abc' } }),
      run: (c) => KS3.headObject(c, { bucket: b, key: k }),
      check: (o) => {
        if (o.error) throw o.error;
        if ((o.value as { size?: unknown }).size !== undefined) throw new Error('size should be unknown');
      },
    },
    {
      name: 'a body read twice',
      respond: () => new Response('abc', { status: 200, headers: { 'content-length': '3' } }),
      run: async (c) => {
        const r = await KS3.getObject(c, { bucket: b, key: k, encryption: false });
        await r.bytes();
        return r.text();
      },
      check: is('Ks3Error', { code: 'BodyUsed' }),
    },
  ];
}
