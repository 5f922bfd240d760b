/**
 * The part pump: takes jobs from a sequential producer (which reads and, when encrypting,
 * encrypts the next part while earlier parts are still being sent) and runs up to the
 * concurrency limit of them at once (fixed, or adapted to the link: concurrency.ts), each
 * retried alone. One job is prepared ahead, so about limit + 1 part buffers exist at most (two
 * when they hold no buffer of their own).
 */
import { isKs3IntegrityError, isKs3NetworkError, isKs3ServiceError } from '@ks3/core';
import { backoffDelay, isRetryableStatus, sleep } from '@ks3/core/internal';
import { DEFAULT_MAX_CONCURRENCY } from '@ks3/core/internal';
import type { Concurrency } from './concurrency.js';
import { PAUSED, type Control } from './control.js';
import type { Progress } from './progress.js';

/** What the server answered for a part (or a single PUT). */
export interface Sent {
  etag: string;
  requestId?: string | undefined;
  body?: string;
}

/** One request's worth of work: a part, or the whole body of a single PUT (`partNumber` 0). */
export interface Job {
  readonly partNumber: number;
  /** Source bytes. */
  readonly size: number;
  /** Bytes on the wire (more than `size` for encrypted parts). */
  readonly wire: number;
  /** It holds a buffer of its own (a stream's part, a ciphertext), which counts toward memory. */
  readonly owned?: boolean;
  /** One attempt; `onSent` reports the bytes sent so far in it. */
  send(signal: AbortSignal, onSent: (sent: number) => void): Promise<Sent>;
  /** Frees the job's buffer (it is done, failed, or the upload stopped). */
  release(): void;
}

export interface PumpOptions {
  control: Control;
  /** Parts at once; undefined: adapted to the link, up to `maxConcurrency`. */
  concurrency: number | undefined;
  /** The adaptive limit's ceiling (default: the platform's, 16 in Node, 6 in browsers). */
  maxConcurrency?: number | undefined;
  /** Attempts per job beyond the first. */
  retries: number;
  /** Base of the exponential backoff between attempts, in ms. */
  retryDelay: number;
  progress: Progress;
  /** Called once per successful job and awaited before its slot is freed (checkpoints). */
  done(job: Job, sent: Sent): Promise<void> | void;
}

/** Failures worth another attempt of the part: network, 5xx, 429, timeouts, and bad digests or ETags. */
export function isRetryable(e: unknown): boolean {
  if (isKs3NetworkError(e) || isKs3IntegrityError(e)) return true;
  return isKs3ServiceError(e) && (isRetryableStatus(e.status, e.code) || e.code === 'BadDigest');
}

/**
 * A signal per attempt that follows the control's current one, through a single listener on it
 * whatever the number of parts in flight: each request listens to its own signal, and Node warns
 * about more than 10 listeners on one.
 */
function linkedSignals(): (epoch: AbortSignal) => { signal: AbortSignal; done(): void } {
  let source: AbortSignal | undefined;
  const live = new Set<AbortController>();
  const onAbort = (): void => {
    for (const ac of live) ac.abort(source!.reason);
  };
  return (epoch) => {
    if (epoch !== source) {
      source?.removeEventListener('abort', onAbort);
      source = epoch;
      epoch.addEventListener('abort', onAbort, { once: true });
    }
    const ac = new AbortController();
    if (epoch.aborted) ac.abort(epoch.reason);
    live.add(ac);
    return { signal: ac.signal, done: () => void live.delete(ac) };
  };
}

async function attempt(
  job: Job,
  o: PumpOptions,
  limit: Concurrency,
  link: ReturnType<typeof linkedSignals>,
): Promise<Sent | typeof PAUSED> {
  const c = o.control;
  for (let i = 0; ; i++) {
    const { signal, done } = link(c.signal);
    try {
      signal.throwIfAborted();
      const started = limit.start();
      const sent = await job.send(signal, (n) => o.progress.update(job.partNumber, n, job.size, job.wire));
      // Only first tries measure the link (a retry's time includes the failure before it).
      if (i === 0) limit.done(started, job.wire);
      return sent;
    } catch (e) {
      if (c.stopped.aborted) throw c.stopped.reason;
      if (signal.aborted) return PAUSED;
      if (i >= o.retries || !isRetryable(e)) throw e;
      // Full jitter, capped at 10 s: parts failing together do not retry in lockstep.
      await sleep(backoffDelay(o.retryDelay, i), signal).catch(() => {});
    } finally {
      done();
    }
  }
}

/**
 * Runs every job of `jobs` to completion, honouring pause, resume and stop.
 * @throws the stop reason: the caller's abort reason, or the first fatal error.
 */
export async function pump(jobs: AsyncIterator<Job>, o: PumpOptions): Promise<void> {
  const c = o.control;
  // The adaptive limit is loaded on first use: in browsers it is not part of the first bundle.
  const limit: Concurrency =
    o.concurrency !== undefined
      ? { limit: o.concurrency, start: () => 0, done() {} }
      : (await import('./concurrency.js')).adaptiveConcurrency(o.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
  const link = linkedSignals();
  const inflight = new Set<Promise<void>>();
  const ready: Job[] = [];
  const requeue = (job: Job): void => {
    ready.push(job);
    ready.sort((a, b) => a.partNumber - b.partNumber);
  };
  const start = (job: Job): void => {
    const task: Promise<void> = (async () => {
      try {
        const r = await attempt(job, o, limit, link);
        if (r === PAUSED) return requeue(job);
        await o.done(job, r as Sent);
        job.release();
      } catch (e) {
        job.release();
        c.stop(e);
      }
    })().finally(() => inflight.delete(task));
    inflight.add(task);
  };
  let exhausted = false;
  let next: Promise<IteratorResult<Job>> | undefined;
  try {
    for (;;) {
      if (c.paused) {
        await Promise.all(inflight);
        await c.hold();
      }
      c.stopped.throwIfAborted();
      let job = ready.shift();
      if (!job && !exhausted) {
        const r = await c.race((next = jobs.next()));
        next = undefined;
        if (r.done) exhausted = true;
        else job = r.value;
      }
      if (!job) {
        if (!inflight.size) break;
        await Promise.race(inflight);
        continue;
      }
      // One more job is prepared while this one waits, when that costs no memory (a slice of
      // bytes, a Blob or a file): its MD5 then runs beside this one's, on another core.
      if (!job.owned && !exhausted && ready.length === 0 && inflight.size >= limit.limit) {
        const r = await c.race((next = jobs.next()));
        next = undefined;
        if (r.done) exhausted = true;
        else requeue(r.value);
      }
      while (inflight.size >= limit.limit && !c.stopped.aborted) await Promise.race(inflight);
      if (c.paused || c.stopped.aborted) requeue(job);
      else start(job);
    }
  } catch (e) {
    c.stop(e);
    throw c.stopped.reason;
  } finally {
    await Promise.all(inflight);
    for (const j of ready) j.release();
    // A part still being prepared when the upload stopped is released once it is ready.
    next?.then(
      (r) => r.done || r.value.release(),
      () => {},
    );
    jobs.return?.(undefined).catch(() => {});
  }
}
