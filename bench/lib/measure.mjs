/**
 * Runs figures: one warm-up, then at least 5 measured runs, reported as median with min–max.
 * Variants compared with each other are interleaved run by run so that drift on a noisy machine
 * hits both sides alike, in an order that alternates (a b c, c b a, a b c, …) so that no variant
 * always runs right after the same one (and inherits its garbage, its sockets or its warm caches).
 */

/**
 * BENCH_SMOKE=1: one run, no warm-up, short op loops — a check that the benchmarks still run
 * against the current API (internal/bench-smoke.test.ts), not a measurement.
 */
export const SMOKE = process.env.BENCH_SMOKE === '1';

export const RUNS = SMOKE ? 1 : Math.max(5, Number(process.env.BENCH_RUNS ?? 5));

/** Median, min and max of samples. */
export function summarize(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs: s.length };
}

/**
 * Measures variants interleaved. Each `fn` performs one run and returns its figure (MB/s, ops/s,
 * bytes…), so that set-up can stay outside the timed part.
 * @param {Record<string, () => Promise<number>>} variants
 * @returns {Promise<Record<string, {median:number,min:number,max:number,runs:number}>>}
 */
export async function compare(variants, { runs = RUNS, warmup = 1 } = {}) {
  if (SMOKE) [runs, warmup] = [1, 0];
  const names = Object.keys(variants);
  for (let i = 0; i < warmup; i++) for (const n of names) await variants[n]();
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < runs; r++) {
    for (const n of r % 2 ? [...names].reverse() : names) samples[n].push(await variants[n]());
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n])]));
}

/** MiB/s of `bytes` moved by `fn`. */
export async function mbps(bytes, fn) {
  const t0 = performance.now();
  await fn();
  return bytes / (1 << 20) / ((performance.now() - t0) / 1000);
}

/** Operations per second: calls `op` sequentially for about `ms` milliseconds (at least 50 calls). */
export async function opsPerSecond(op, ms = 400) {
  if (SMOKE) ms = 20;
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (n < 50 || t - t0 < ms) {
    for (let i = 0; i < 50; i++) await op();
    n += 50;
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

export const MiB = 1 << 20;
export const GiB = 1 << 30;
