/**
 * The adaptive concurrency limit (issue 14.5) against a modelled link, on a fake clock: each
 * connection carries at most `perConnection` bytes/ms (its window per round trip) and all of
 * them share `capacity`. The limit must grow while connections add throughput, settle near
 * capacity ÷ perConnection, go back after a probe that did not pay off, and stay put when fixed.
 */
import { describe, expect, test } from 'vitest';
import { adaptiveConcurrency, fixedConcurrency, INITIAL_CONCURRENCY } from '../src/concurrency.js';

/** Runs `parts` parts of `size` bytes through the limit on the modelled link; returns the limits seen. */
function simulate(o: { capacity: number; perConnection: number; max: number; parts: number; size?: number }): number[] {
  let now = 0;
  const limit = adaptiveConcurrency(o.max, () => now);
  const size = o.size ?? 8 << 20;
  const seen: number[] = [];
  let started = 0;
  // Parts in flight: bytes left and their start token. Time advances to the next completion.
  const flight: { left: number; token: number }[] = [];
  while (started < o.parts || flight.length) {
    while (flight.length < limit.limit && started < o.parts) {
      flight.push({ left: size, token: limit.start() });
      started++;
    }
    seen.push(limit.limit);
    const rate = Math.min(o.perConnection, o.capacity / flight.length);
    const first = Math.min(...flight.map((f) => f.left));
    now += first / rate;
    for (const f of flight) f.left -= first;
    for (let i = flight.length - 1; i >= 0; i--) {
      if (flight[i]!.left > 1e-6) continue;
      limit.done(flight[i]!.token, size);
      flight.splice(i, 1);
    }
  }
  return seen;
}

describe('adaptive concurrency', () => {
  test('grows on a link that one connection cannot fill, and settles near capacity ÷ per-connection rate', () => {
    // 100 ms RTT and 128 KiB windows: 1.25 KiB/ms each; 50 Mbit/s: 6.1 KiB/ms, so about 5 needed.
    const seen = simulate({ capacity: 6.1 * 1024, perConnection: 1.25 * 1024, max: 16, parts: 200 });
    expect(seen[0]).toBe(INITIAL_CONCURRENCY);
    // A probe at 8 finds the knee (6.1 ÷ 1.25 → 5, plus one); later probes at 12 are taken back.
    const settled = seen.slice(2);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(6);
    expect(Math.max(...settled)).toBeLessThanOrEqual(12);
    expect(settled.filter((c) => c === 6).length / settled.length).toBeGreaterThan(0.6);
  });

  test('reaches the ceiling on a link that needs more connections than it allows', () => {
    const seen = simulate({ capacity: 120 * 1024, perConnection: 6 * 1024, max: 16, parts: 300 });
    expect(Math.max(...seen)).toBe(16);
    expect(seen.at(-1)).toBe(16);
  });

  test('stays at the initial level when connections do not add throughput (CPU-bound loopback)', () => {
    const seen = simulate({ capacity: 1000 * 1024, perConnection: 1e9, max: 16, parts: 200 });
    // Probes happen (and are taken back): most of the time is spent at the initial level.
    const atInitial = seen.filter((c) => c === INITIAL_CONCURRENCY).length;
    expect(atInitial / seen.length).toBeGreaterThan(0.6);
    expect(Math.max(...seen)).toBeLessThanOrEqual(2 * INITIAL_CONCURRENCY);
  });

  test('never exceeds a low ceiling, and a fixed limit never moves', () => {
    expect(Math.max(...simulate({ capacity: 1e6, perConnection: 1, max: 2, parts: 50 }))).toBe(2);
    const fixed = fixedConcurrency(3);
    fixed.done(fixed.start(), 1 << 20);
    expect(fixed.limit).toBe(3);
  });
});
