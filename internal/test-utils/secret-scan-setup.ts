/**
 * vitest setup file (node project): every SDK error constructed while a test runs, and every
 * error a test fails with, is scanned for secrets after the test (secret-scan.ts); a leak fails
 * that test, naming what leaked (never the value). Construction is observed through an accessor
 * on `Ks3Error.prototype.name`: each constructor assigns `this.name`, which runs the setter once
 * per error before an own property takes over, so no SDK error is missed, thrown or not.
 * With KS3_SECRET_SCAN_OUT set, each test file appends its totals (JSON lines) to that file.
 */
import { appendFileSync } from 'node:fs';
import { Ks3Error } from '@ks3/core';
import { afterAll, afterEach } from 'vitest';
import { scanErrors, watchGlobalFetch } from './secret-scan.js';

/** What the scan keeps between tests; on globalThis so that a self-test can look at it. */
export interface SecretScanState {
  /** SDK errors constructed since the last scan. */
  pending: Set<object>;
  /** The test file, once a test ran. */
  file?: string | undefined;
  /** Errors and renderings scanned in this file, and leaks found. */
  scanned: number;
  renderings: number;
  leaks: number;
}

const KEY = Symbol.for('ks3.secretScan');
const g = globalThis as typeof globalThis & { [KEY]?: SecretScanState };
// Per test file (this module runs again for each): a worker may run several files.
const state: SecretScanState = (g[KEY] = { pending: new Set(), scanned: 0, renderings: 0, leaks: 0 });

const proto = Ks3Error.prototype as unknown as Record<PropertyKey, unknown>;
if (!Object.getOwnPropertyDescriptor(proto, 'name')?.set) {
  Object.defineProperty(proto, 'name', {
    configurable: true,
    get: () => 'Ks3Error',
    set(this: object, value: unknown) {
      Object.defineProperty(this, 'name', { value, writable: true, enumerable: true, configurable: true });
      state.pending.add(this);
    },
  });
}
watchGlobalFetch();

/** Scans what is pending (and `more`); throws naming the leaks. */
function scan(more: readonly unknown[] = []): void {
  const errors: unknown[] = [...state.pending, ...more];
  state.pending.clear();
  const r = scanErrors(errors);
  state.scanned += r.scanned;
  state.renderings += r.renderings;
  state.leaks += r.leaks.length;
  if (r.leaks.length) throw new Error(`secret scan: ${r.leaks.length} error(s) show a secret:\n${r.leaks.join('\n')}`);
}

afterEach((ctx) => {
  state.file ??= ctx.task.file?.filepath;
  scan(ctx.task.result?.errors ?? []);
});

// Registered before the test file's own hooks, so it runs after them (errors of their cleanup too).
afterAll(() => {
  try {
    scan();
  } finally {
    const out = process.env.KS3_SECRET_SCAN_OUT;
    const { file, scanned, renderings, leaks } = state;
    if (out) appendFileSync(out, `${JSON.stringify({ file, scanned, renderings, leaks })}\n`);
  }
});
