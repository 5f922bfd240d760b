/**
 * Part MD5s on worker threads (issue 14.3): the upload manager's `Md5Pool` seam filled with
 * `node:crypto` MD5 running on other cores, so hashing part N+1 does not hold up the thread that
 * sends parts ≤ N. Part buffers the pool allocates live on SharedArrayBuffers and are hashed in
 * place; other bytes are copied into shared 1 MiB pieces (a few per session, reused). Workers
 * are started on first use and never keep the process alive while idle.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Ks3Error, Ks3InputError } from '@ks3/core';
import type { Md5Pool, Md5Session } from '@ks3/multipart';

const PIECE = 1 << 20;
/** Pieces one session may have in flight (copied, not yet hashed). */
const PIECES_PER_SESSION = 4;

// Plain CommonJS, evaluated as the worker: one node:crypto hash per session id, messages in order.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const sessions = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    let h = sessions.get(m.id);
    if (!h) sessions.set(m.id, (h = createHash('md5')));
    h.update(new Uint8Array(m.buffer, m.offset, m.length));
    parentPort.postMessage({ id: m.id, ack: m.seq });
  } else if (m.op === 'digest') {
    const d = (sessions.get(m.id) || createHash('md5')).digest();
    sessions.delete(m.id);
    parentPort.postMessage({ id: m.id, digest: new Uint8Array(d) });
  } else {
    sessions.delete(m.id);
    parentPort.postMessage({ id: m.id, cancelled: true });
  }
});
`;

interface Pending {
  acks: Map<number, () => void>;
  digest?: { resolve: (d: Uint8Array) => void; reject: (e: unknown) => void };
  fail: (e: unknown) => void;
}

interface Thread {
  worker: Worker;
  sessions: Map<number, Pending>;
  /** Messages posted and not yet answered (each gets exactly one answer). */
  busy: number;
  post(message: object): void;
}

/** Options of {@link createMd5Pool}. */
export interface Md5PoolOptions {
  /** Worker threads (default: the cores available, 1 to 4). */
  threads?: number;
}

/**
 * A pool of MD5 worker threads for the upload manager (`md5Pool` option of `upload()`).
 * @example await upload(client, { bucket, key, body, md5Pool: createMd5Pool({ threads: 2 }) });
 */
export function createMd5Pool(options: Md5PoolOptions = {}): Md5Pool {
  const size = options.threads ?? Math.min(4, Math.max(1, availableParallelism()));
  if (!Number.isSafeInteger(size) || size < 1 || size > 64)
    throw new Ks3InputError('threads', `must be an integer from 1 to 64, got ${String(size)}`);
  const threads: (Thread | undefined)[] = new Array(size).fill(undefined);
  const free: SharedArrayBuffer[] = [];
  let ids = 0;

  const start = (slot: number): Thread => {
    // No inherited flags: --input-type=module (or a loader) would make the CommonJS source fail.
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    // Referenced only while an answer is awaited: an idle pool, or a session its caller dropped
    // without a digest (a single PUT that hashed elsewhere), never keeps the process alive.
    const t: Thread = {
      worker,
      sessions: new Map(),
      busy: 0,
      post(message) {
        if (t.busy++ === 0) worker.ref();
        worker.postMessage(message);
      },
    };
    worker.on('message', (m: { id: number; ack?: number; digest?: Uint8Array; cancelled?: true }) => {
      if (t.busy > 0 && --t.busy === 0) worker.unref();
      const s = t.sessions.get(m.id);
      if (!s) return;
      if (m.digest || m.cancelled) {
        t.sessions.delete(m.id);
        if (m.digest) s.digest?.resolve(m.digest);
      } else if (m.ack !== undefined) {
        s.acks.get(m.ack)?.();
        s.acks.delete(m.ack);
      }
    });
    const die = (e: unknown): void => {
      if (threads[slot] === t) threads[slot] = undefined;
      t.busy = 0;
      for (const s of t.sessions.values()) s.fail(e);
      t.sessions.clear();
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Ks3Error(`MD5 worker exited (code ${code})`)));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    return t;
  };

  const pick = (): Thread => {
    let best = 0;
    for (let i = 0; i < size; i++) {
      threads[i] ??= start(i);
      if (threads[i]!.sessions.size < threads[best]!.sessions.size) best = i;
    }
    return threads[best]!;
  };

  return {
    allocate: (n) => new Uint8Array(new SharedArrayBuffer(n)),
    session(): Md5Session {
      const t = pick();
      const id = ++ids;
      let seq = 0;
      let failure: unknown;
      let inflight: Promise<void>[] = [];
      const pending: Pending = {
        acks: new Map(),
        fail: (e) => {
          failure ??= e;
          for (const ack of pending.acks.values()) ack();
          pending.digest?.reject(e);
        },
      };
      t.sessions.set(id, pending);
      const post = (buffer: SharedArrayBuffer, offset: number, length: number): Promise<void> => {
        const n = seq++;
        const acked = new Promise<void>((resolve) => pending.acks.set(n, resolve));
        t.post({ op: 'update', id, seq: n, buffer, offset, length });
        return acked;
      };
      const check = (): void => {
        if (failure !== undefined) throw failure;
      };
      return {
        async update(bytes) {
          check();
          if (bytes.buffer instanceof SharedArrayBuffer) return post(bytes.buffer, bytes.byteOffset, bytes.length);
          for (let o = 0; o < bytes.length; o += PIECE) {
            while (inflight.length >= PIECES_PER_SESSION) await inflight.shift();
            check();
            const piece = Math.min(PIECE, bytes.length - o);
            const buf = free.pop() ?? new SharedArrayBuffer(PIECE);
            new Uint8Array(buf, 0, piece).set(bytes.subarray(o, o + piece));
            inflight.push(post(buf, 0, piece).then(() => void free.push(buf)));
          }
        },
        async digest() {
          check();
          const d = new Promise<Uint8Array>((resolve, reject) => (pending.digest = { resolve, reject }));
          t.post({ op: 'digest', id });
          const digest = await d;
          inflight = [];
          return digest;
        },
        cancel() {
          // The worker confirms, so that the pieces in flight are acknowledged and reused.
          if (t.sessions.has(id)) t.post({ op: 'cancel', id });
        },
      };
    },
  };
}

let shared: Md5Pool | undefined;

/** The process-wide pool `upload()` of this package uses by default (made on first use). */
export function defaultMd5Pool(): Md5Pool {
  shared ??= createMd5Pool();
  return shared;
}
