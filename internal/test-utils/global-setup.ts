import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { TEST_CREDENTIALS } from './credentials.js';

/**
 * Starts one emulator on 127.0.0.1:0 for the whole run and hands its address to every test
 * (Node and Chromium) through `inject('ks3')`. vitest calls a global setup once per project, so
 * the server is a refcounted singleton on globalThis (toolchain.md §1).
 */
interface Shared {
  refs: number;
  url: string;
  close: () => Promise<void>;
}
const KEY = Symbol.for('ks3.test.emulator');

async function acquire(): Promise<Shared> {
  const g = globalThis as unknown as Record<symbol, Promise<Shared> | undefined>;
  g[KEY] ??= (async () => {
    const { startEmulator } = await import('@ks3/emulator');
    const dataDir = mkdtempSync(join(tmpdir(), 'ks3-emu-'));
    const emu = await startEmulator({ port: 0, dataDir, credentials: [TEST_CREDENTIALS], quiet: true });
    return {
      refs: 0,
      url: emu.url,
      close: async () => {
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
  project.provide('ks3', { endpoint: shared.url, ...TEST_CREDENTIALS });
  return async () => {
    if (--shared.refs === 0) await shared.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    ks3: { endpoint: string; accessKeyId: string; secretAccessKey: string };
  }
}
