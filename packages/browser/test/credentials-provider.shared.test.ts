/**
 * createCredentialsProvider against scripted backends (Node and Chromium): the SDK's and KS3
 * STS's answer shapes, typed errors for refusals and broken answers (never quoting a value), and
 * the client's single flight around it.
 */
import { describe, expect, test } from 'vitest';
import { createClient, putObject } from '@ks3/core';
import { createCredentialsProvider, parseCredentials } from '../src/credentials-provider.js';

const SECRET = 'temporary/secret+value=';
const expiration = '2030-01-01T00:00:00Z';
const answer =
  (status: number, body: unknown, calls = { n: 0, delayMs: 0 }): typeof fetch =>
  async () => {
    calls.n++;
    if (calls.delayMs) await new Promise((r) => setTimeout(r, calls.delayMs));
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };

describe('createCredentialsProvider', () => {
  test.each([
    ['the SDK shape', { accessKeyId: 'AK', secretAccessKey: SECRET, securityToken: 'T', expiration }],
    ['KS3 STS credentials', { AccessKeyId: 'AK', SecretAccessKey: SECRET, SecurityToken: 'T', Expiration: expiration }],
    [
      'a whole AssumeRole answer',
      {
        RequestId: 'r',
        AssumeRoleResult: {
          Credentials: { AccessKeyId: 'AK', SecretAccessKey: SECRET, SecurityToken: 'T', Expiration: expiration },
        },
      },
    ],
  ])('reads %s', async (_, body) => {
    const c = await createCredentialsProvider('/creds', { fetch: answer(200, body) })();
    expect(c).toEqual({
      accessKeyId: 'AK',
      secretAccessKey: SECRET,
      securityToken: 'T',
      expiration: new Date(expiration),
    });
  });

  test('a fetcher function works the same', async () => {
    const c = await createCredentialsProvider(async () => ({ accessKeyId: 'AK', secretAccessKey: SECRET }))();
    expect(c.accessKeyId).toBe('AK');
  });

  test.each([
    [500, 'oops', 'CredentialsEndpointAnswered500', true],
    [401, '{"error":"login"}', 'CredentialsEndpointAnswered401', false],
  ])('status %i is a typed error', async (status, body, code, retryable) => {
    const err = await createCredentialsProvider('/creds', { fetch: answer(status, body) })().catch((e) => e);
    expect(err).toMatchObject({ name: 'Ks3CredentialsError', status, code, retryable });
  });

  test.each([
    ['not JSON', '<html>', /did not answer JSON/],
    ['no secret', { accessKeyId: 'AK' }, /no accessKeyId and secretAccessKey/],
    ['a bad expiration', { accessKeyId: 'AK', secretAccessKey: SECRET, expiration: 'soon' }, /expiration/],
    ['a bad token', { accessKeyId: 'AK', secretAccessKey: SECRET, securityToken: 5 }, /securityToken/],
    ['null', 'null', /not answer an object/],
  ])('an answer with %s is named, without quoting values', async (_, body, why) => {
    const err = await createCredentialsProvider('/creds', { fetch: answer(200, body) })().catch((e) => e);
    expect(err).toMatchObject({ name: 'Ks3CredentialsError' });
    expect(String(err)).toMatch(why);
    expect(String(err)).not.toContain(SECRET);
  });

  test('no URL is refused at once; parseCredentials is exported for custom fetchers', () => {
    expect(() => createCredentialsProvider('')).toThrow(/URL of the credentials endpoint/);
    expect(parseCredentials({ Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S' } }).accessKeyId).toBe('A');
  });

  test('a client calls the endpoint once for a burst and fails every request with its error', async () => {
    // A slow endpoint, so the three requests overlap the one refresh.
    const calls = { n: 0, delayMs: 100 };
    const client = createClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'BEIJING',
      retries: 0,
      credentials: createCredentialsProvider('/creds', { fetch: answer(403, 'no', calls) }),
    });
    const results = await Promise.allSettled(
      [1, 2, 3].map((i) => putObject(client, { bucket: 'bkt', key: `k${i}`, body: 'x' })),
    );
    expect(calls.n).toBe(1);
    for (const r of results)
      expect(r).toMatchObject({ status: 'rejected', reason: { code: 'CredentialsEndpointAnswered403' } });
  });
});
