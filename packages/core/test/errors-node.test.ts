/**
 * Node-only error facts: the cause of a failed connection (ECONNREFUSED, a TLS failure with the
 * hint for https to an http port) is in the message (issue 9.10), and the guards recognise
 * errors from another realm (a node:vm context running its own copy of the SDK, 9.20).
 */
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/core';
import { recorder } from '../../../internal/test-utils/recorder.js';

const fail = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e as KS3.Ks3Error,
  );

describe('9.10: network failures name host, port and cause', () => {
  test('ECONNREFUSED', async () => {
    const rec = await recorder();
    await rec.close();
    const client = KS3.createClient({ endpoint: rec.url, anonymous: true, retries: 0 });
    const err = await fail(KS3.headObject(client, { bucket: 'bkt', key: 'k' }));
    expect(err.name).toBe('Ks3NetworkError');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).toContain(`127.0.0.1:${rec.port}`);
  });

  test('https to a plain-http port: a TLS failure with the hint', async () => {
    const rec = await recorder();
    try {
      const client = KS3.createClient({ endpoint: `https://127.0.0.1:${rec.port}`, anonymous: true, retries: 0 });
      const err = await fail(KS3.getObject(client, { bucket: 'bkt', key: 'k' }));
      expect(err.name).toBe('Ks3NetworkError');
      expect(err.message).toContain(`127.0.0.1:${rec.port}`);
      expect(err.message).toContain('TLS failed: is the endpoint plain http?');
    } finally {
      await rec.close();
    }
  });
});

describe('9.20: errors across realms and as JSON', () => {
  /** The SDK's errors bundled as a script and run in a fresh node:vm context (its own Error, its own classes). */
  async function foreignRealm(): Promise<typeof KS3> {
    const out = await build({
      stdin: {
        contents: "export * from './errors.ts';",
        resolveDir: new URL('../src', import.meta.url).pathname,
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      globalName: 'Foreign',
      write: false,
    });
    const context: Record<string, unknown> = {};
    runInNewContext(`${out.outputFiles[0]!.text}; globalThis.Foreign = Foreign;`, context);
    return context.Foreign as typeof KS3;
  }

  test('guards recognise an error from another realm, both ways; instanceof does not', async () => {
    const F = await foreignRealm();
    const foreign = new F.Ks3ServiceError({ status: 404, code: 'NoSuchKey', operation: 'GetObject', bucket: 'b' });
    expect(foreign instanceof KS3.Ks3Error).toBe(false); // a different realm indeed
    expect(foreign instanceof Error).toBe(false);
    expect(KS3.isKs3Error(foreign)).toBe(true);
    expect(KS3.isKs3ServiceError(foreign)).toBe(true);
    expect(KS3.isKs3NetworkError(foreign)).toBe(false);
    const local = new KS3.Ks3NetworkError('down', { operation: 'HeadObject' });
    expect(F.isKs3Error(local)).toBe(true);
    expect(F.isKs3NetworkError(local)).toBe(true);
    expect(F.isKs3ServiceError(local)).toBe(false);
  });
});
