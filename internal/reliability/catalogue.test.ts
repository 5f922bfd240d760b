/**
 * The hostile-input and hostile-response catalogues, run with V2 and V4 clients that carry a
 * secret key, a security token and an encryption key: every input is refused before any
 * request, every response ends as the catalogue says, and no error shows a secret (scanned
 * here, and by the suite-wide scan). KS3_CATALOGUE_OUT=<file> writes the tallies as JSON.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/node';
import { TEST_TEMPORARY_CREDENTIALS } from '../test-utils/credentials.js';
import { scanErrors } from '../test-utils/secret-scan.js';
import { INPUTS } from './catalogue-inputs.js';
import { responseCases, type SeenRequest } from './catalogue-responses.js';

const SIGNING = {
  v2: { signatureVersion: 'v2' as const },
  v4: { signatureVersion: 'v4' as const, region: 'BEIJING' },
};
const secrets = { ...TEST_TEMPORARY_CREDENTIALS, encryption: { key: 'leak-test-key-16' } };
const tally = { inputs: { tried: 0, refused: 0 }, responses: { tried: 0, handled: 0 }, errors: [] as unknown[] };
const names: Record<string, number> = {};

afterAll(() => {
  const scan = scanErrors(tally.errors);
  const out = process.env.KS3_CATALOGUE_OUT;
  if (out)
    writeFileSync(
      out,
      JSON.stringify(
        {
          inputs: tally.inputs,
          responses: tally.responses,
          inputCases: INPUTS.map((c) => c.name),
          responseCases: responseCases(() => {}).map((c) => c.name),
          errors: {
            scanned: scan.scanned,
            renderings: scan.renderings,
            secretsFound: scan.leaks.length,
            byName: names,
          },
        },
        null,
        2,
      ),
    );
  expect(scan.leaks).toEqual([]);
});

const keep = (e: unknown): void => {
  if (e === undefined) return;
  tally.errors.push(e);
  const n = (e as Error)?.name ?? typeof e;
  names[n] = (names[n] ?? 0) + 1;
};

describe.each(Object.entries(SIGNING))('%s', (_, signing) => {
  describe('hostile inputs are refused before any request', () => {
    test.each(INPUTS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      let requests = 0;
      const fetch: typeof globalThis.fetch = async () => {
        requests++;
        return new Response(null, { status: 200 });
      };
      const base = { endpoint: 'http://ks3.test', retries: 0, fetch, ...signing };
      const make = (extra: Partial<KS3.ClientConfig>) =>
        KS3.createClient({
          ...base,
          ...('credentials' in extra || 'signer' in extra ? {} : secrets),
          ...extra,
        } as KS3.ClientConfig);
      tally.inputs.tried++;
      let error: unknown;
      try {
        await c.run({ client: make({}), make });
      } catch (e) {
        error = e;
      }
      keep(error);
      const want = c.error ?? 'Ks3InputError';
      expect((error as Error)?.name, String(error)).toBe(want);
      if (c.param) expect((error as KS3.Ks3InputError).param).toBe(c.param);
      expect(requests).toBe(0);
      tally.inputs.refused++;
    });
  });

  describe('hostile responses end in a typed error or the documented recovery', () => {
    let pulled = 0;
    const cases = responseCases((n) => (pulled += n));
    test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      pulled = 0;
      let n = 0;
      const fetch: typeof globalThis.fetch = async (input, init) => {
        const r: SeenRequest = {
          n: ++n,
          method: init?.method ?? 'GET',
          url: String(input),
          headers: new Headers(init?.headers),
        };
        return c.respond(r);
      };
      const client = KS3.createClient({
        endpoint: 'http://ks3.test',
        ...secrets,
        ...signing,
        retries: 1,
        retryDelay: 1,
        timeout: 300,
        maxRetryAfter: 2000,
        fetch,
      });
      tally.responses.tried++;
      let error: unknown;
      let value: unknown;
      try {
        value = await c.run(client);
      } catch (e) {
        error = e;
      }
      keep(error);
      c.check({ error, value, calls: n, pulled });
      if (error !== undefined) expect(KS3.isKs3Error(error), String(error)).toBe(true);
      tally.responses.handled++;
    });
  });
});
