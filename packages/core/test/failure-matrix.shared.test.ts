/**
 * The test issue 9's acceptance names: every public operation of @ks3/core driven into every
 * kind of failure — network down, a 2xx whose body is not XML, 5xx (XML and not), a signer or
 * credentials provider that throws, and an abort before sending, while signing, while fetching
 * and while reading the body — rejects with a Ks3Error subclass or exactly the abort reason.
 * The operation table (internal/test-utils/operations.ts) must list every export, so an
 * operation added later is covered or this file fails. Runs in Node and in Chromium.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/core';
import {
  type CallArgs,
  missingOperations,
  OPERATIONS,
  type OperationCase,
} from '../../../internal/test-utils/operations.js';
import { recorder } from '../../../internal/test-utils/recorder.js';

const T: CallArgs = { bucket: 'bkt', key: 'dir/k.txt' };
const KEYS = { accessKeyId: 'AKLTmatrix', secretAccessKey: 'matrix-secret-0000' };
const base = { endpoint: 'http://ks3.test', retries: 1, retryDelay: 1, timeout: 5000 };

/** A promise with its resolve function, to wait for a stage to be reached. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A fetch answering every request with `make()`; it fails the test if it sees an unexpected method. */
const answering =
  (make: () => Response): typeof fetch =>
  async () =>
    make();

/** Rejects when `p` has not settled within `ms`: a hang is a failure, not a slow pass. */
function settleWithin<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

async function outcome(p: Promise<unknown>): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    await settleWithin(p, 10_000, 'the call');
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Asserts a rejection with a typed error of class `name` (any Ks3Error when omitted). */
function expectKs3(result: Awaited<ReturnType<typeof outcome>>, name?: string): KS3.Ks3Error {
  expect(result.ok, 'the call resolved').toBe(false);
  const error = (result as { error: unknown }).error;
  expect(KS3.isKs3Error(error), `not a Ks3Error: ${String(error)}`).toBe(true);
  if (name) expect((error as Error).name, String(error)).toBe(name);
  expect((error as Error).message).not.toContain(KEYS.secretAccessKey);
  return error as KS3.Ks3Error;
}

const requestOps = OPERATIONS.filter((o) => o.kind === 'request');
// Parsing operations on one object: their protocol errors name the key too.
const KEYED = new Set([
  'getObjectAcl',
  'copyObject',
  'listParts',
  'listAllParts',
  'initiateMultipartUpload',
  'uploadPartCopy',
  'completeMultipartUpload',
]);
const signingOps = OPERATIONS.filter((o) => o.kind !== 'local');

test('the table covers every operation @ks3/core exports', () => {
  expect(missingOperations(KS3)).toEqual([]);
  expect(requestOps.length).toBeGreaterThanOrEqual(30);
});

describe('network down', () => {
  let closed: string;
  beforeAll(async () => {
    const rec = await recorder();
    closed = rec.url;
    await rec.close();
  });
  test.each(requestOps)('$name → Ks3NetworkError naming the host and port', async (op) => {
    const client = KS3.createClient({ ...base, endpoint: closed, ...KEYS });
    const err = expectKs3(await outcome(op.call(KS3, client, T)), 'Ks3NetworkError');
    expect(err.message).toContain(new URL(closed).host);
    expect(err.attempts).toBeGreaterThanOrEqual(1);
  });
});

describe('a 2xx whose body is not XML', () => {
  const html = () =>
    new Response('<html><body>captive portal</body></html>', {
      status: 200,
      headers: { 'content-type': 'text/html', 'x-kss-request-id': 'rid-html' },
    });
  test.each(requestOps)('$name → resolves or a Ks3Error; a parsing operation a full Ks3ProtocolError', async (op) => {
    const client = KS3.createClient({ ...base, ...KEYS, fetch: answering(html) });
    const result = await outcome(op.call(KS3, client, T));
    if (!op.parses) {
      if (!result.ok) expectKs3(result);
      return;
    }
    const err = expectKs3(result, 'Ks3ProtocolError');
    expect(err.operation, String(err)).toBeTruthy();
    expect(err).toMatchObject({ status: 200, requestId: 'rid-html' });
    if (op.name !== 'listBuckets') expect(err.bucket).toBe(T.bucket);
    if (KEYED.has(op.name)) expect(err.key).toBe(T.key);
  });
});

describe('5xx answers', () => {
  const answers: [string, () => Response][] = [
    [
      'an XML 503',
      () =>
        new Response('<Error><Code>ServiceUnavailable</Code><Message>busy</Message><RequestId>r5</RequestId></Error>', {
          status: 503,
          headers: { 'content-type': 'application/xml', 'x-kss-request-id': 'r5' },
        }),
    ],
    ['an HTML 502 from a proxy', () => new Response('<html>Bad Gateway</html>', { status: 502 })],
  ];
  for (const [what, make] of answers) {
    test.each(requestOps)(`$name, ${what} → Ks3ServiceError after the retries`, async (op) => {
      let calls = 0;
      const client = KS3.createClient({
        ...base,
        ...KEYS,
        fetch: async () => {
          calls++;
          return make();
        },
      });
      const err = expectKs3(await outcome(op.call(KS3, client, T)), 'Ks3ServiceError');
      expect(err.status).toBeGreaterThanOrEqual(500);
      expect(err.attempts).toBe(2);
      expect(calls).toBeGreaterThanOrEqual(2);
    });
  }
});

describe('a signer or credentials provider that throws', () => {
  test.each(signingOps)('$name, signer throws → Ks3CredentialsError', async (op) => {
    const client = KS3.createClient({
      ...base,
      signer: () => {
        throw new TypeError('cannot sign');
      },
      fetch: answering(() => new Response('unexpected', { status: 599 })),
    });
    const credentials = async () => {
      throw new TypeError('cannot sign');
    };
    const err = expectKs3(await outcome(op.call(KS3, client, { ...T, credentials })), 'Ks3CredentialsError');
    // The call that failed is named (a policy URL takes credentials, not a signer).
    if (op.name !== 'presignPolicyUrlV4') expect(err.operation, String(err)).toBeTruthy();
  });
  test.each(requestOps)('$name, provider throws → Ks3CredentialsError', async (op) => {
    const client = KS3.createClient({
      ...base,
      credentials: async () => {
        throw new Error('the vault is sealed');
      },
      fetch: answering(() => new Response('unexpected', { status: 599 })),
    });
    expectKs3(await outcome(op.call(KS3, client, T)), 'Ks3CredentialsError');
  });
});

/** A client whose stages can be held: signing, fetching, or the response body after one chunk. */
function heldClient(stage: 'sign' | 'fetch' | 'body', reached: () => void): KS3.Client {
  const hang = (signal: AbortSignal | null | undefined) =>
    new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
  return KS3.createClient({
    ...base,
    timeout: 0,
    signer:
      stage === 'sign'
        ? () => {
            reached();
            return new Promise(() => {}); // a backend that never answers, and ignores the signal
          }
        : async (r) => ({ url: r.url, headers: { ...r.headers, authorization: 'KSS AKLTmatrix:sig' } }),
    fetch: async (_input, init) => {
      if (stage === 'fetch') {
        reached();
        return hang(init?.signal);
      }
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (!sent) {
            sent = true;
            c.enqueue(new TextEncoder().encode('<?xml version="1.0"?><'));
            return;
          }
          reached();
          return hang(init?.signal).catch((e) => c.error(e));
        },
      });
      return new Response(init?.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { etag: '"e"', 'content-length': '4096' },
      });
    },
  });
}

describe('abort', () => {
  test.each(signingOps)('$name, already aborted → the reason, nothing sent', async (op) => {
    let sent = 0;
    const client = KS3.createClient({
      ...base,
      ...KEYS,
      fetch: async () => {
        sent++;
        return new Response('');
      },
    });
    const reason = new Error('stop before');
    const result = await outcome(op.call(KS3, client, { ...T, signal: AbortSignal.abort(reason) }));
    expect(result).toEqual({ ok: false, error: reason });
    expect(sent).toBe(0);
  });

  const stages = [
    ['while the signer is pending', 'sign', signingOps],
    ['while fetch is pending', 'fetch', requestOps],
    ['while the body is being read', 'body', requestOps],
  ] as const;
  for (const [what, stage, ops] of stages) {
    test.each(ops as readonly OperationCase[])(`$name, ${what} → the reason, at once`, async (op) => {
      const at = deferred();
      const client = heldClient(stage, at.resolve);
      const ac = new AbortController();
      const reason = new DOMException(`stop ${stage}`, 'AbortError');
      const credentials = () => (at.resolve(), new Promise<never>(() => {}));
      const call = outcome(op.call(KS3, client, { ...T, signal: ac.signal, credentials }));
      const first = await Promise.race([
        at.promise.then(() => 'reached' as const),
        call.then(() => 'settled' as const),
      ]);
      if (first === 'settled') {
        // Only an operation without a response body may finish before its body is read.
        expect(stage === 'body' && op.bodiless, `${op.name} settled before reaching the ${stage} stage`).toBe(true);
        expect(await call).toEqual({ ok: true });
        return;
      }
      ac.abort(reason);
      expect(await settleWithin(call, 2000, `${op.name} after abort`)).toEqual({ ok: false, error: reason });
    });
  }
});
