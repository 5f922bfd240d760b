#!/usr/bin/env node
/**
 * The soak by command: `node scripts/soak.mjs` runs the CI soak (1,000 small transfers);
 * `--long` (or `pnpm soak`) the long one (larger bodies, more transfers, capped at 25 minutes).
 * `--seed N` changes the fault sequence; `--out file.json` keeps the report. It runs the same
 * test file as CI (internal/reliability/soak.test.ts) and fails when the soak finds a violation.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs one vitest file in the node project with extra environment; returns its exit status. */
export function vitest(file, env = {}) {
  const r = spawnSync('pnpm', ['exec', 'vitest', 'run', '--project', 'node', file], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return r.status ?? 1;
}

/** Runs the soak; `out` receives its JSON report. */
export function soak({ long = false, seed, out, env = {} } = {}) {
  return vitest('internal/reliability/soak.test.ts', {
    ...env,
    ...(long ? { KS3_SOAK: 'long' } : {}),
    ...(seed ? { KS3_SOAK_SEED: String(seed) } : {}),
    ...(out ? { KS3_RELIABILITY_OUT: resolve(out) } : {}),
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  process.exit(soak({ long: args.includes('--long'), seed: value('--seed'), out: value('--out') }));
}
