/**
 * How one run of the contract suite signs and addresses: V4 in KS3's namespace (KSS4, the
 * default), V4 in the AWS namespace (AWS4) or V2; path-style against the emulator's 127.0.0.1
 * address, or virtual-hosted through `http://localhost:PORT` (buckets at `<bucket>.localhost`).
 * Every client a suite makes starts from {@link ContractContext.config}, so the whole run uses
 * the mode, and the `signing` suite checks on the wire that it does.
 */
import { describe, expect, test } from 'vitest';
import type * as Core from '@ks3/core';
import type { ContractContext } from './contract.js';
import { TEST_CREDENTIALS } from './credentials.js';

/** The emulator's region (its default; startEmulator `region`). The endpoint 127.0.0.1 cannot imply it. */
export const EMULATOR_REGION = 'BEIJING';

export type ContractSigning = 'kss4' | 'aws4' | 'v2';

/** Options of a contract run. */
export interface ContractOptions {
  /** Default `kss4`: V4 is what a client with a region signs unless told otherwise. */
  signing?: ContractSigning;
  /** Default `path`. `virtual` needs a fetch that resolves `*.localhost` (Chromium's does). */
  addressing?: 'path' | 'virtual';
  /** The fetch for the SDK's clients and for the test's own requests (presigned URLs). */
  fetch?: typeof fetch;
  /**
   * Run every suite (default). `false` leaves out the two suites whose requests are ordinary
   * ones under every mode — client-side encryption (AES around plain puts and gets) and
   * resilience (retries, timeouts, aborts against injected faults) — for the extra runs.
   */
  full?: boolean;
  /** More suites to run in this context. */
  more?: (ctx: () => ContractContext) => void;
}

/** The options every client of a run starts from (credentials and per-test options added). */
export type ClientBase = Pick<
  Core.ClientConfig,
  'endpoint' | 'region' | 'signatureVersion' | 'signatureNamespace' | 'addressing' | 'fetch'
>;

/**
 * The client options for a mode, against the emulator at `emulatorUrl` (`http://127.0.0.1:PORT`).
 * The signature version is left to the client's default except for V2, so the default is tested.
 */
export function clientBase(emulatorUrl: string, o: ContractOptions): ClientBase {
  const base: ClientBase = { endpoint: emulatorUrl, region: EMULATOR_REGION };
  if (o.signing === 'v2') base.signatureVersion = 'v2';
  if (o.signing === 'aws4') base.signatureNamespace = 'aws';
  if (o.addressing === 'virtual') {
    base.endpoint = `http://localhost:${new URL(emulatorUrl).port}`;
    base.addressing = 'virtual';
  }
  if (o.fetch) base.fetch = o.fetch;
  return base;
}

/** The Authorization scheme (header signing) each mode must put on the wire. */
const v4Scheme = (algorithm: string, service: string, terminator: string): RegExp =>
  new RegExp(
    `^${algorithm} Credential=\\w+/\\d{8}/BEIJING/${service}/${terminator}, ` +
      'SignedHeaders=\\S+, Signature=[0-9a-f]{64}$',
  );
const SCHEME: Record<ContractSigning, RegExp> = {
  kss4: v4Scheme('KSS4-HMAC-SHA256', 'ks3', 'kss4_request'),
  aws4: v4Scheme('AWS4-HMAC-SHA256', 's3', 'aws4_request'),
  v2: /^KSS \w+:[A-Za-z0-9+/]{27}=$/,
};

/** The presigned-URL parameters each mode must write. */
const PRESIGN: Record<ContractSigning, RegExp> = {
  kss4: /[?&]X-Kss-Algorithm=KSS4-HMAC-SHA256&X-Kss-Credential=\w+%2F\d{8}%2FBEIJING%2Fks3%2Fkss4_request&/,
  aws4: /[?&]X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=\w+%2F\d{8}%2FBEIJING%2Fs3%2Faws4_request&/,
  v2: /[?&]Signature=[^&]+&Expires=\d+&KSSAccessKeyId=\w+/,
};

/** Checks on the wire that a run signs and addresses the way its mode says. */
export function signingSuite(get: () => ContractContext): void {
  describe('signing and addressing', () => {
    test('requests carry the mode’s signature and address the bucket as configured', async () => {
      const { api, config, bucket, mode, fetch: plainFetch } = get();
      const seen: { url: string; authorization: string | null }[] = [];
      const recording: typeof fetch = (input, init) => {
        seen.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
        return plainFetch(input, init);
      };
      const client = api.createClient({ ...config, ...TEST_CREDENTIALS, fetch: recording, retries: 0 });
      expect(client.signatureVersion).toBe(mode.signing === 'v2' ? 'v2' : 'v4');
      expect(client.region).toBe(EMULATOR_REGION);
      await api.putObject(client, { bucket, key: 'signing/mode.txt', body: 'signed' });
      expect(await (await api.getObject(client, { bucket, key: 'signing/mode.txt' })).text()).toBe('signed');
      const requests = seen.filter((r) => r.authorization !== null);
      expect(requests.length).toBeGreaterThanOrEqual(2);
      for (const r of requests) {
        expect(r.authorization).toMatch(SCHEME[mode.signing]);
        const { host, pathname } = new URL(r.url);
        if (mode.addressing === 'virtual') {
          expect(host).toBe(`${bucket}.${new URL(config.endpoint).host}`);
          expect(pathname).toBe('/signing/mode.txt');
        } else {
          expect(pathname).toBe(`/${bucket}/signing/mode.txt`);
        }
      }
      const { url } = await api.presignUrl(client, { bucket, key: 'signing/mode.txt', expiresIn: 60 });
      expect(url).toMatch(PRESIGN[mode.signing]);
      expect(new URL(url).host).toBe(
        mode.addressing === 'virtual' ? `${bucket}.${new URL(config.endpoint).host}` : new URL(config.endpoint).host,
      );
      expect(await (await plainFetch(url)).text()).toBe('signed');
    });

    test('a request whose signature is one character off is refused', async () => {
      const { api, config, bucket, fetch: plainFetch } = get();
      // Flip the last character of the signature (hex or Base64) on its way out.
      const tampering: typeof fetch = (input, init) => {
        const headers = new Headers(init?.headers);
        const auth = headers.get('authorization');
        if (auth) headers.set('authorization', auth.slice(0, -2) + (auth.at(-2) === '0' ? '1' : '0') + auth.at(-1));
        return plainFetch(input, { ...init, headers });
      };
      const client = api.createClient({ ...config, ...TEST_CREDENTIALS, fetch: tampering, retries: 0 });
      const err = (await api
        .getObject(client, { bucket, key: 'signing/mode.txt' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(err).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    });
  });
}
