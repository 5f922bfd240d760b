// @ts-check
/**
 * The emulator's clock: its notion of "now" is the `now` option (default Date.now) plus an
 * offset that tests move forward with `advance`. Object and upload dates, lifecycle rules and
 * policy time conditions read `now()`; signature checks (clock skew, presigned and POST-policy
 * expiry) read `wallNow()`, so clients signing with a real clock keep working after the
 * emulator's world has been moved days ahead.
 *
 * Other modules import this one rather than keeping their own time, so there is one clock.
 * @module
 */

/** The largest single step, so a typo cannot overflow dates (about 100 years). */
export const MAX_ADVANCE_MS = 100 * 365 * 24 * 3600 * 1000;

/**
 * @typedef {object} Clock
 * @property {() => number} now the emulator's time in ms (wall time + offset)
 * @property {() => number} wallNow the unshifted time in ms (the `now` option)
 * @property {() => number} offsetMs how far `advance` has moved the clock in total
 * @property {(ms: number) => number} advance moves the clock forward; returns the new `now()`
 */

/**
 * @param {() => number} [wallNow] default Date.now
 * @returns {Clock}
 */
export function createClock(wallNow = Date.now) {
  let offset = 0;
  return {
    now: () => wallNow() + offset,
    wallNow,
    offsetMs: () => offset,
    advance(ms) {
      checkAdvance(ms);
      offset += ms;
      return wallNow() + offset;
    },
  };
}

/**
 * @param {unknown} ms
 * @throws {TypeError} unless a whole, non-negative number of milliseconds within MAX_ADVANCE_MS
 */
export function checkAdvance(ms) {
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_ADVANCE_MS) {
    throw new TypeError(`advanceMs must be a whole number of milliseconds in 0..${MAX_ADVANCE_MS}`);
  }
}
