/**
 * How many parts are sent at once (issue 14.5). Fixed when the caller sets `concurrency`; else
 * adapted to the link: a long, fast link needs more connections than a short one to keep its
 * bandwidth-delay product in flight (each TCP connection carries at most its window per round
 * trip), and more connections than that only add memory. So the limit starts at 4 and probes
 * upwards while the measured throughput keeps growing with it, and settles back at the last
 * level that paid off.
 *
 * The measure is the completed parts' own rates (bytes ÷ time from the start of the request to
 * its answer), taken only from parts that started at the current level: the aggregate estimate
 * at level c is c × their mean rate. (Bytes handed to the socket are no measure: loopback and
 * the kernel's send buffer swallow megabytes at once.) A probe doubles the level; when the
 * aggregate grew by at least 40 % of what linear growth would give, the probe is kept and the
 * next one doubles again. When it grew less, the knee is between the two levels: the limit
 * settles at the connections needed to carry the measured aggregate at the unsaturated rate per
 * connection, plus one; when it did not grow, it goes back. Either way it holds for a while
 * before probing again (links change).
 */

export interface Concurrency {
  /** Parts that may be in flight now. */
  readonly limit: number;
  /** A part's request starts; pass what this returns to {@link Concurrency.done}. */
  start(): number;
  /** A part was sent at the first try, `bytes` of it, from `started` until now. */
  done(started: number, bytes: number): void;
}

/** Probes up from this many parts in flight. */
export const INITIAL_CONCURRENCY = 4;
/** A probe is kept (and the next one made) when it brings this fraction of the linear gain. */
const KEEP = 0.4;
/** Below this gain a probe is taken back altogether. */
const GAIN = 1.1;

/** A limit that never moves (the caller's `concurrency`). */
export function fixedConcurrency(limit: number): Concurrency {
  return { limit, start: () => 0, done() {} };
}

/**
 * An adaptive limit from {@link INITIAL_CONCURRENCY} (or `max`, if lower) up to `max`.
 * @param now a clock in milliseconds (tests pass their own).
 */
export function adaptiveConcurrency(max: number, now: () => number = () => performance.now()): Concurrency {
  let limit = Math.min(INITIAL_CONCURRENCY, max);
  // Each level gets an id; a part's token finds the level and time it started at.
  let level = 0;
  const starts = new Map<number, { level: number; at: number }>();
  let ids = 0;
  let rates: number[] = [];
  let base: { c: number; rate: number } | undefined;
  let holdUntil = 0;
  let completions = 0;

  const setLimit = (c: number): void => {
    limit = c;
    level++;
    rates = [];
  };
  const hold = (): void => {
    holdUntil = completions + 8 * limit;
  };
  const probe = (from: number): void => {
    const next = Math.min(max, 2 * from);
    if (next > from) setLimit(next);
    else hold();
  };

  return {
    get limit() {
      return limit;
    },
    start() {
      const id = ++ids;
      starts.set(id, { level, at: now() });
      return id;
    },
    done(id, bytes) {
      const s = starts.get(id);
      starts.delete(id);
      completions++;
      const ms = s ? now() - s.at : 0;
      if (!s || s.level !== level || ms <= 0) return;
      rates.push(bytes / ms);
      if (rates.length < Math.min(limit, 3) || completions < holdUntil) return;
      const rate = (limit * rates.reduce((a, b) => a + b, 0)) / rates.length;
      if (!base || limit <= base.c) {
        base = { c: limit, rate };
        probe(limit);
        return;
      }
      const { c, rate: before } = base;
      if (rate >= before * (1 + (KEEP * (limit - c)) / c)) {
        // Near-linear: more connections still pay.
        base = { c: limit, rate };
        probe(limit);
        return;
      }
      // Saturated somewhere between c and the probe, or not helped at all.
      const needed = rate > before * GAIN ? Math.ceil(rate / (before / c)) + 1 : c;
      base = undefined;
      setLimit(Math.max(c, Math.min(limit, needed)));
      hold();
    },
  };
}
