/**
 * Ceilings: the most any client could reach on this machine when it must do some work that the
 * baseline does not, computed from figures measured in the same run. They say whether a target
 * ratio is within reach of the hardware at all, not how good the SDK is.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';

/** CPU seconds of this process (all its threads) and of the sink spent in `fn`, and its wall seconds. */
export async function cpuOf(sink, fn) {
  const s0 = (await sink.stats()).cpuSeconds;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const s1 = (await sink.stats()).cpuSeconds;
  return { wall, client: (c.user + c.system) / 1e6, sink: s1 - s0 };
}

/** Wall seconds node:crypto takes for the MD5 of `parts` (one hash each, as part MD5s are), on one thread. */
export function md5Seconds(parts) {
  const t0 = performance.now();
  for (const p of parts) createHash('md5').update(p).digest();
  return (performance.now() - t0) / 1000;
}

/** Seconds node:crypto takes for one MD5 over all of `chunks` (a whole object's), on one thread. */
export function md5StreamSeconds(chunks) {
  const t0 = performance.now();
  const h = createHash('md5');
  for (const c of chunks) h.update(c);
  h.digest();
  return (performance.now() - t0) / 1000;
}

/** The cores work can be spread over. */
export const CORES = availableParallelism();
