/**
 * How many parts are sent at once (issue 14.5). Fixed when the caller sets `concurrency`; else
 * adapted to the link: a long, fast link needs more connections than a short one to keep its
 * bandwidth-delay product in flight (each TCP connection carries at most its window per round
 * trip), and more connections than that only add memory. So the limit starts at 4 and probes
 * upwards while the measured throughput keeps growing with it, and settles back at the last
 * level that paid off.
 *
 * The measure is the completed parts' own rates (bytes ÷ time from the start of the request to
 * its answer), taken only from parts that started and ended at the current level: the aggregate
 * estimate at level c is c × their mean rate. A probe from c to c' is kept when the aggregate
 * grew by at least 40 % of what c' − c more connections would add on an unsaturated link;
 * otherwise the limit goes back to c and stays there for a while before probing again (links
 * change).
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
/** A probe is kept when it brings this fraction of the linear gain. */
const KEEP = 0.4;

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
  const grow = (from: number): void => {
    const next = Math.min(max, from + Math.max(1, Math.floor(from / 2)));
    if (next > from) setLimit(next);
    else holdUntil = completions + 8 * from;
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
      if (base && limit > base.c) {
        // A probe: keep it if it paid off, else go back and hold.
        if (rate >= base.rate * (1 + (KEEP * (limit - base.c)) / base.c)) {
          base = { c: limit, rate };
          grow(limit);
        } else {
          const c = base.c;
          base = undefined;
          setLimit(c);
          holdUntil = completions + 8 * c;
        }
        return;
      }
      base = { c: limit, rate };
      grow(limit);
    },
  };
}
