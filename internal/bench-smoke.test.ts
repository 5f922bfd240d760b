/**
 * The benchmarks still run against the current API (issue 14.6): `pnpm bench --only small` in
 * smoke mode (one run per figure, no warm-up, lib/measure.mjs) writes every row of its section
 * with a figure. Nothing is timed here; the bench section broke silently once when the signer
 * API changed, and this catches that. Reads the built packages, as the bench does.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

test('`pnpm bench --only small` runs and reports every figure', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks3-bench-smoke-'));
  try {
    const out = join(dir, 'BENCHMARKS.md');
    await promisify(execFile)(process.execPath, [join(ROOT, 'bench/run.mjs'), '--only', 'small'], {
      cwd: ROOT,
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_OUT: out, BENCH_NO_BUILD: '1' },
      maxBuffer: 4 << 20,
    });
    const md = readFileSync(out, 'utf8');
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| figure'));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual([
      '| V2 signatures/s ↑',
      '| V2 signatures/s ↑, ours with WebCrypto (as in browsers)',
      '| V4 signatures/s ↑',
      '| V4 presigned URLs/s (the signer) ↑',
      '| V4 presigned URLs/s (`presignUrl` of the @ks3/node client) ↑',
      '| V4 signatures/s ↑, ours with WebCrypto (as in browsers)',
      '| parse a 1,000-key ListBucketResult page, pages/s ↑',
    ]);
    // Every row has a figure for ours and its baseline, and a ratio.
    for (const r of rows) expect(r).toMatch(/^\| [^|]+ \| [\d,.]+ \| [^|]*[\d,.]+ \| [\d.]+× \|$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
