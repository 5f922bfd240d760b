/**
 * The SDK's version: exported as VERSION, equal to every package's version (they move in
 * lockstep), and sent on the wire as `User-Agent: ks3-js/<version> node/<v>` from Node.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createClient, headObject, putObject, VERSION } from '@ks3/core';
import * as node from '@ks3/node';

const root = resolve(import.meta.dirname, '../../..');
const received: IncomingHttpHeaders[] = [];
let server: Server;
let endpoint: string;

beforeAll(async () => {
  // Records what arrives; answers every request 200 with an ETag, as KS3 does a PUT or a HEAD.
  server = createServer((req, res) => {
    received.push(req.headers);
    req.resume().on('end', () => res.writeHead(200, { etag: '"d41d8cd98f00b204e9800998ecf8427e"' }).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

test('VERSION is the version of every package', () => {
  expect(VERSION).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
  for (const p of ['core', 'node', 'browser', 'multipart', 'emulator']) {
    const pkg = JSON.parse(readFileSync(resolve(root, 'packages', p, 'package.json'), 'utf8'));
    expect(pkg.version, p).toBe(VERSION);
  }
});

test('requests carry User-Agent ks3-js/<version> node/<version> (core and @ks3/node clients)', async () => {
  const expected = `ks3-js/${VERSION} node/${process.versions.node}`;
  received.length = 0;
  await headObject(createClient({ endpoint, anonymous: true, retries: 0 }), { bucket: 'ua-bucket', key: 'k' });
  const client = node.createClient({ endpoint, accessKeyId: 'AKLTua', secretAccessKey: 'secret', retries: 0 });
  await node.putObject(client, { bucket: 'ua-bucket', key: 'k', body: '' });
  expect(received.map((h) => h['user-agent'])).toEqual([expected, expected]);
});

test('the userAgent option replaces it, as sent', async () => {
  received.length = 0;
  const client = createClient({ endpoint, anonymous: true, retries: 0, userAgent: 'my-app/1.2 (ks3)' });
  await putObject(client, { bucket: 'ua-bucket', key: 'k', body: 'x' });
  expect(received[0]?.['user-agent']).toBe('my-app/1.2 (ks3)');
});
