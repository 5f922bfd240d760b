/**
 * The soak in CI (issue 11): at least 1,000 small transfers of every kind through the fault
 * proxy (over 5 % resets and 5 % 5xx among the requests), each checked by a direct client. It
 * must end with no silent corruption, no partial object, no orphan upload, no temporary file,
 * every committed object reported as committed, and no secret in any error.
 * KS3_SOAK=long runs the long soak (scripts/soak.mjs --long); KS3_RELIABILITY_OUT=<file> writes
 * the report as JSON (scripts/reliability.mjs turns it into RELIABILITY.md).
 */
import { writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { runSoak, SOAK_RATES, type SoakOptions } from './soak.js';

const long = process.env.KS3_SOAK === 'long';
const options: SoakOptions = {
  seed: Number(process.env.KS3_SOAK_SEED ?? 20261127),
  count: long ? 2500 : 1000,
  timeCapMs: long ? 40 * 60_000 : 150_000,
  concurrency: long ? 6 : 8,
  // Long: single bodies up to 8 MiB, multipart uploads up to 4 MiB (40 parts).
  scale: long ? 32 : 1,
  rates: SOAK_RATES,
  progressEvery: long ? 100 : 0,
};

test(`soak: ${options.count} transfers through injected faults lose nothing, orphan nothing, leak nothing`, {
  timeout: options.timeCapMs + 60_000,
}, async () => {
  const r = await runSoak(options);
  const out = process.env.KS3_RELIABILITY_OUT;
  if (out) writeFileSync(out, JSON.stringify(r, null, 2));
  console.log(JSON.stringify({ ...r, byKind: undefined, samples: r.samples.slice(0, 12) }, null, 1));
  expect(r.timeCapped, 'the time cap stopped the soak early').toBe(false);
  expect(r.transfers).toBe(options.count);
  expect((r.groups.reset ?? 0) / r.requests).toBeGreaterThanOrEqual(0.05);
  expect((r.groups['5xx'] ?? 0) / r.requests).toBeGreaterThanOrEqual(0.05);
  for (const [kind, k] of Object.entries(r.byKind)) expect(k.tried, kind).toBeGreaterThan(0);
  expect(
    r.samples.filter((s) => /: (corrupt|partial|orphan|temp-file|untyped-error|committed-but-failed)\b/.test(s)),
  ).toEqual([]);
  expect(r.violations).toBe(0);
  expect(r.orphansAtEnd).toBe(0);
  expect(r.tempFilesAtEnd).toBe(0);
  expect(r.errors.secretsFound).toBe(0);
  // Faults make calls fail, but retries and resumes carry most of them through.
  expect(r.outcomes.ok ?? 0).toBeGreaterThan(0.8 * r.transfers);
});
