import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_CREDENTIALS, TEST_TEMPORARY_CREDENTIALS } from './credentials.js';

/**
 * Starts one emulator on 127.0.0.1:0 for the whole run and hands its address to every test
 * (Node and Chromium) through `inject('ks3')`. vitest calls a global setup once per project, so
 * the server is a refcounted singleton on globalThis (platform-notes.md §1).
 */
interface Shared {
  refs: number;
  url: string;
  callbackUrl: string;
  close: () => Promise<void>;
}

/**
 * An application's upload-callback endpoint, for callback tests: answers `{"result":true}` with
 * the JSON it received, or `{"result":false}` when that JSON has `"verdict":"reject"`.
 */
async function startCallbackServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      let received: unknown = body;
      try {
        received = JSON.parse(body);
      } catch {
        // keep the raw text
      }
      const reject = (received as { verdict?: string })?.verdict === 'reject';
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(reject ? { result: false } : { result: true, received }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
const KEY = Symbol.for('ks3.test.emulator');

async function acquire(): Promise<Shared> {
  const g = globalThis as unknown as Record<symbol, Promise<Shared> | undefined>;
  g[KEY] ??= (async () => {
    const { startEmulator } = await import('@ks3/emulator');
    const dataDir = mkdtempSync(join(tmpdir(), 'ks3-emu-'));
    const emu = await startEmulator({
      port: 0,
      dataDir,
      credentials: [TEST_CREDENTIALS, TEST_TEMPORARY_CREDENTIALS],
      quiet: true,
      // Faults, CORS tweaks and sessions for the tests (internal/test-utils/emulator-admin.ts).
      admin: true,
      // The SDK's browser tests rely on permissive CORS; bucket CORS rules have their own tests.
      cors: 'any',
    });
    const callback = await startCallbackServer();
    return {
      refs: 0,
      url: emu.url,
      callbackUrl: callback.url,
      close: async () => {
        await callback.close();
        await emu.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  })();
  const shared = await g[KEY]!;
  shared.refs++;
  return shared;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(new URL('../../packages/emulator/src/index.js', import.meta.url))) return async () => {};
  const shared = await acquire();
  project.provide('ks3', { endpoint: shared.url, callbackUrl: shared.callbackUrl, ...TEST_CREDENTIALS });
  return async () => {
    if (--shared.refs === 0) await shared.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    ks3: { endpoint: string; callbackUrl: string; accessKeyId: string; secretAccessKey: string };
  }
}
