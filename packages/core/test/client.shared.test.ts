import { describe, expect, test } from 'vitest';
import { createClient, type ClientConfig } from '@ks3/core';

describe('createClient', () => {
  test('endpoint forms: host, host:port, URL; secure and port follow', () => {
    expect(createClient({ endpoint: 'ks3-cn-beijing.ksyuncs.com' })).toMatchObject({
      scheme: 'https',
      host: 'ks3-cn-beijing.ksyuncs.com',
      port: undefined,
    });
    expect(createClient({ endpoint: 'ks3.test:8080', secure: false })).toMatchObject({
      scheme: 'http',
      host: 'ks3.test',
      port: 8080,
    });
    expect(createClient({ endpoint: 'http://127.0.0.1:9000' })).toMatchObject({
      scheme: 'http',
      host: '127.0.0.1',
      port: 9000,
    });
    expect(createClient({ endpoint: 'ks3.test', secure: true, port: 443 })).toMatchObject({
      scheme: 'https',
      port: 443,
    });
  });

  test('defaults', () => {
    const c = createClient({ endpoint: 'ks3.test' });
    expect(c).toMatchObject({ timeout: 60_000, retries: 3, addressing: 'path', domainMode: false, signer: undefined });
    // Browsers cannot send Date (a forbidden header): the browser build signs with x-kss-date.
    expect(c.dateHeader).toBe(typeof document === 'undefined' ? 'date' : 'x-kss-date');
    expect(Object.isFrozen(c)).toBe(true);
  });

  const bad: [string, ClientConfig][] = [
    ['endpoint', { endpoint: '' }],
    ['endpoint', { endpoint: 'ftp://x' }],
    ['endpoint', { endpoint: 'http://x/path' }],
    ['endpoint', { endpoint: 'http://user:pw@x' }],
    ['secure', { endpoint: 'http://x', secure: true }],
    ['port', { endpoint: 'x', port: 0 }],
    ['port', { endpoint: 'x:81', port: 82 }],
    ['accessKeyId', { endpoint: 'x', secretAccessKey: 's' }],
    ['secretAccessKey', { endpoint: 'x', accessKeyId: 'a' }],
    [
      'credentials',
      {
        endpoint: 'x',
        accessKeyId: 'a',
        secretAccessKey: 's',
        signer: async (r) => ({ url: r.url, headers: {} }),
      },
    ],
    ['signer', { endpoint: 'x', signer: 'remote' as never }],
    ['timeout', { endpoint: 'x', timeout: -1 }],
    ['retries', { endpoint: 'x', retries: Number.NaN }],
    ['addressing', { endpoint: 'x', addressing: 'dns' as 'path' }],
    ['dateHeader', { endpoint: 'x', dateHeader: 'Date' as 'date' }],
  ];
  for (const [param, config] of bad) {
    test(`rejects a bad ${param}: ${JSON.stringify(config).slice(0, 60)}`, () => {
      expect(() => createClient(config)).toThrow(expect.objectContaining({ name: 'Ks3InputError', param }));
    });
  }

  test('the secret is held by no property of the client', () => {
    const c = createClient({ endpoint: 'ks3.test', accessKeyId: 'AKLTx', secretAccessKey: 'my-very-secret-key' });
    expect(JSON.stringify(c)).not.toContain('my-very-secret-key');
    expect(Object.values(c).map(String).join()).not.toContain('my-very-secret-key');
  });
});
