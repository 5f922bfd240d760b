/**
 * The secret scan sees what it must (issue 11): every SDK error constructed during a test, what
 * it shows in every rendering (including causes and hidden properties), the signatures the SDK
 * really sent, and signature shapes. Each case plants a leak on purpose, checks that the scan
 * names it, then takes the planted error out of the pending set so the test itself passes.
 */
import { expect, inject, test } from 'vitest';
import { createClient, getObject, Ks3InputError, Ks3NetworkError, Ks3ServiceError } from '@ks3/core';
import { TEST_CREDENTIALS } from '../test-utils/credentials.js';
import { findSecrets, renderings, scanErrors } from '../test-utils/secret-scan.js';
import type { SecretScanState } from '../test-utils/secret-scan-setup.js';

const state = (): SecretScanState =>
  (globalThis as unknown as Record<symbol, SecretScanState>)[Symbol.for('ks3.secretScan')]!;

/** Scans one planted error and removes it from the pending set. */
function planted(e: object): string[] {
  expect(state().pending.has(e)).toBe(true);
  state().pending.delete(e);
  return scanErrors([e]).leaks;
}

test('every SDK error constructed is seen, thrown or not', () => {
  const a = new Ks3InputError('bucket', 'is bad');
  const b = new Ks3NetworkError('nothing came');
  expect(state().pending.has(a) && state().pending.has(b)).toBe(true);
  // The accessor does not change what an error is.
  expect([a.name, b.name, a.message]).toEqual(['Ks3InputError', 'Ks3NetworkError', '[ks3] invalid bucket: is bad']);
  expect(Object.keys(a)).toContain('name');
  expect(JSON.parse(JSON.stringify(a))).toMatchObject({ name: 'Ks3InputError', code: 'InvalidInput' });
});

test('a secret in the message, a cause, or a hidden property is found, by label only', () => {
  const inMessage = planted(new Ks3InputError('x', `oops ${TEST_CREDENTIALS.secretAccessKey}`));
  expect(inMessage).toEqual(['Ks3InputError (InvalidInput): secret #1']);
  const inCause = planted(new Ks3NetworkError('failed', { cause: { detail: { key: 'ks3-demo-key-16b' } } }));
  expect(inCause).toEqual(['Ks3NetworkError (NetworkError): encryption key #1']);
  const hidden = new Ks3InputError('y', 'fine');
  Object.defineProperty(hidden, 'extra', { value: Buffer.from('ks3-demo-key-16b').toString('base64') });
  expect(planted(hidden)[0]).toContain('encryption key #1');
  for (const leak of [...inMessage, ...inCause]) expect(leak).not.toMatch(/ks3-demo|testSecret/);
});

test('signature shapes are found whatever their value', () => {
  expect(findSecrets(['Authorization: KSS AKLTabc:0123456789abcdefghijklmnopq=']).length).toBe(1);
  expect(findSecrets([`Signature=${'ab'.repeat(32)}`])).toEqual(['V4 signature']);
  expect(findSecrets(['https://h/b/k?KSSAccessKeyId=A&Expires=1&Signature=abcdEFGH1234%2B%2Fxyz%3D'])).toEqual([
    'presigned signature',
  ]);
  // What errors legitimately say is not a leak.
  expect(findSecrets(['[ks3] GetObject GET /b/k → 403 SignatureDoesNotMatch (request-id 1)'])).toEqual([]);
});

test('a signature the SDK really sent is recognised in an error', async () => {
  const client = createClient({ endpoint: inject('ks3').endpoint, ...TEST_CREDENTIALS, retries: 0 });
  let authorization = '';
  // The global fetch is watched; this wrapper only reads what went out.
  const peek = createClient({
    endpoint: inject('ks3').endpoint,
    ...TEST_CREDENTIALS,
    retries: 0,
    fetch: (input, init) => {
      authorization = new Headers(init?.headers).get('authorization') ?? '';
      return fetch(input, init);
    },
  });
  await getObject(peek, { bucket: 'no-such-bucket-scan', key: 'k' }).catch((e: unknown) => {
    state().pending.delete(e as object);
  });
  await getObject(client, { bucket: 'no-such-bucket-scan', key: 'k' }).catch(() => {});
  const signature = /:([A-Za-z0-9+/]{27})=$/.exec(authorization)![1]!;
  const leak = new Ks3ServiceError({ status: 403, code: 'X', message: `you sent ${signature}=` });
  expect(planted(leak)).toEqual(expect.arrayContaining([expect.stringContaining('a signature the SDK sent')]));
});

test('renderings cover message, stack, String, inspect and JSON', () => {
  const e = new Ks3InputError('p', 'q');
  state().pending.delete(e);
  const r = renderings(e);
  expect(r).toHaveLength(5);
  expect(r[3]).toContain('Ks3InputError');
  expect(r[4]).toContain('"name":"Ks3InputError"');
});
