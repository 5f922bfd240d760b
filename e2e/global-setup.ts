/**
 * Starts the emulator (127.0.0.1:0) and a static server for pages (localhost:0) and passes
 * their addresses to the tests through the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@ks3/emulator';
import { TEST_CREDENTIALS } from '../internal/test-utils/credentials.js';
import { startStaticServer } from './static-server.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ks3-e2e-'));
  // Permissive CORS: these pages test the SDK cross-origin, not bucket CORS rules.
  const emu = await startEmulator({ port: 0, dataDir, credentials: [TEST_CREDENTIALS], quiet: true, cors: 'any' });
  const pages = await startStaticServer(['examples/browser/', 'packages/browser/dist/', 'e2e/pages/']);
  process.env.E2E_KS3_ENDPOINT = emu.url;
  process.env.E2E_PAGES = pages.url;
  return async () => {
    await pages.close();
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
