/**
 * Abort, pause and resume of one upload. Requests use the signal of the current *epoch*: a
 * pause aborts it (requests in flight stop, their parts are queued again) and a resume starts a
 * new one. A stop (the caller's abort, or the first fatal error) aborts everything for good; its
 * reason is what the upload rejects with.
 */

/** The reason a paused request was aborted with; never surfaces to callers. */
export const PAUSED: unknown = Object.freeze({ paused: true });

export interface Control {
  /** Aborted when the upload stops for good; `reason` is the error the upload rejects with. */
  readonly stopped: AbortSignal;
  /** The signal for requests started now. */
  readonly signal: AbortSignal;
  readonly paused: boolean;
  pause(): Promise<void>;
  resume(): void;
  /** Stops the upload (the first reason wins). */
  stop(reason: unknown): void;
  /** While paused: reports being idle, then waits for resume. Rejects once stopped. */
  hold(): Promise<void>;
  /** Rejects with the stop reason as soon as the upload stops, else settles as `p`. */
  race<T>(p: Promise<T>): Promise<T>;
  /** The upload settled: pending pause() calls resolve, the caller's signal is let go. */
  finish(): void;
}

/** Creates the control of an upload, linked to the caller's `signal`. */
export function createControl(signal: AbortSignal | undefined): Control {
  const stopper = new AbortController();
  const stopped = stopper.signal;
  let epoch = new AbortController();
  let paused = false;
  let finished = false;
  let holding = false;
  let wake: (() => void) | undefined;
  let idle: (() => void)[] = [];
  const settleIdle = (): void => {
    for (const f of idle) f();
    idle = [];
  };
  const stop = (reason: unknown): void => {
    if (stopped.aborted) return;
    stopper.abort(reason);
    epoch.abort(reason);
    wake?.();
    settleIdle();
  };
  const onAbort = (): void => stop(signal!.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  return {
    stopped,
    get signal() {
      return epoch.signal;
    },
    get paused() {
      return paused;
    },
    pause() {
      if (!finished && !stopped.aborted && !paused) {
        paused = true;
        epoch.abort(PAUSED);
      }
      return finished || holding || stopped.aborted ? Promise.resolve() : new Promise((r) => idle.push(r));
    },
    resume() {
      if (!paused || stopped.aborted) return;
      paused = false;
      epoch = new AbortController();
      wake?.();
    },
    stop,
    async hold() {
      while (paused && !stopped.aborted) {
        holding = true;
        settleIdle();
        await new Promise<void>((r) => (wake = r));
        holding = false;
        wake = undefined;
      }
      stopped.throwIfAborted();
    },
    race<T>(p: Promise<T>): Promise<T> {
      if (stopped.aborted) {
        p.catch(() => {});
        return Promise.reject(stopped.reason);
      }
      return new Promise<T>((resolve, reject) => {
        const onStop = (): void => reject(stopped.reason);
        stopped.addEventListener('abort', onStop, { once: true });
        p.then(resolve, reject).finally(() => stopped.removeEventListener('abort', onStop));
      });
    },
    finish() {
      finished = true;
      signal?.removeEventListener('abort', onAbort);
      settleIdle();
    },
  };
}
