// @ts-check
/**
 * A simulated wide-area link on loopback (kernel netem is not available here): a TCP proxy that
 * delays, rate-limits and stalls what goes through it, in userspace. Used by the benchmarks
 * (`pnpm bench --only link`) and by the upload manager's tests of adaptive concurrency.
 *
 * The model, per direction (client → server and back):
 * - one shared link: every byte of every connection is serialized at `mbps` (megabits per
 *   second, 10^6), first come first served, in segments of at most 16 KiB;
 * - one-way latency `rttMs / 2`, plus a uniform random `0..jitterMs` per segment (seeded), never
 *   reordering a connection's bytes;
 * - stalls: every `stall.everyMs` the link carries nothing for `stall.forMs`;
 * - a window per connection: at most `windowBytes` may be in flight (read from the sender, not
 *   yet acknowledged; an acknowledgement comes back one latency after delivery). A TCP flow
 *   limited to such a window gets at most window / RTT, as a flow limited by its receiver, or by
 *   loss (Mathis et al.: about MSS·1.22 / (RTT·√p)), does on a real path: the reason parallel
 *   connections fill a long link that one cannot.
 * Loopback's own buffering sits before the window (the sender's socket buffer), as the sender's
 * buffer does on a real path.
 */
import { createServer, connect } from 'node:net';

const SEGMENT = 16 * 1024;

/**
 * @typedef {object} LinkOptions
 * @property {number} rttMs round-trip time added by the link, in ms
 * @property {number} mbps link rate in megabits per second (10^6 bits), shared by all connections
 * @property {number} [windowBytes] bytes in flight per connection and direction (default: unlimited)
 * @property {number} [jitterMs] extra one-way delay per segment, uniform in 0..jitterMs (default 0)
 * @property {{ everyMs: number, forMs: number }} [stall] periodic stalls of the whole link
 * @property {number} [seed] jitter seed (default 1)
 */

/** @param {number} seed */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One direction of the link, shared by every connection.
 * @param {LinkOptions} o
 */
function createLink(o) {
  const bytesPerMs = (o.mbps * 1e6) / 8 / 1000;
  let free = 0;
  return {
    /**
     * When the last byte of `n` bytes queued at `now` has left the link.
     * @param {number} now
     * @param {number} n
     */
    transmit(now, n) {
      let start = Math.max(now, free);
      if (o.stall) {
        const phase = start % o.stall.everyMs;
        if (phase < o.stall.forMs) start += o.stall.forMs - phase;
      }
      free = start + n / bytesPerMs;
      return free;
    },
  };
}

/**
 * Moves bytes from `src` to `dst` through `link`.
 * @param {import('node:net').Socket} src
 * @param {import('node:net').Socket} dst
 * @param {ReturnType<typeof createLink>} link
 * @param {LinkOptions} o
 * @param {() => number} rand
 * @param {{ bytes: number }} counter
 */
function pipe(src, dst, link, o, rand, counter) {
  const latency = o.rttMs / 2;
  const window = o.windowBytes ?? Number.POSITIVE_INFINITY;
  /** @type {{ at: number, data?: Buffer, end?: 'end' | 'reset' }[]} */
  const queue = [];
  /** @type {{ at: number, n: number }[]} */
  const acks = [];
  let inflight = 0;
  let last = 0;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const now = () => performance.now();

  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const next = Math.min(queue[0]?.at ?? Number.POSITIVE_INFINITY, acks[0]?.at ?? Number.POSITIVE_INFINITY);
    if (next !== Number.POSITIVE_INFINITY) timer = setTimeout(run, Math.max(0, next - now()));
  };
  const run = () => {
    const t = now();
    for (let s = queue[0]; s && s.at <= t; s = queue[0]) {
      queue.shift();
      if (s.end === 'end') dst.end();
      else if (s.end === 'reset') dst.destroy();
      else if (s.data && !dst.destroyed) {
        dst.write(s.data);
        counter.bytes += s.data.length;
        acks.push({ at: s.at + latency, n: s.data.length });
      }
    }
    for (let a = acks[0]; a && a.at <= t; a = acks[0]) {
      acks.shift();
      inflight -= a.n;
    }
    if (inflight < window && src.isPaused()) src.resume();
    arm();
  };
  src.on('data', (/** @type {Buffer} */ chunk) => {
    if (dst.destroyed) return;
    const t = now();
    for (let o2 = 0; o2 < chunk.length; o2 += SEGMENT) {
      const data = chunk.subarray(o2, o2 + SEGMENT);
      const sent = link.transmit(t, data.length);
      last = Math.max(last, sent + latency + (o.jitterMs ? rand() * o.jitterMs : 0));
      queue.push({ at: last, data });
      inflight += data.length;
    }
    if (inflight >= window) src.pause();
    arm();
  });
  let ended = false;
  src.on('end', () => {
    ended = true;
    queue.push({ at: last, end: 'end' });
    arm();
  });
  // Closed without an end (a reset): the peer is cut too, once what was sent before arrived.
  src.on('close', () => {
    if (ended) return;
    queue.push({ at: last, end: 'reset' });
    arm();
  });
  return () => timer && clearTimeout(timer);
}

/**
 * Starts the proxy on 127.0.0.1 (port 0) in front of `target`.
 * @param {{ host: string, port: number }} target
 * @param {LinkOptions} options
 * @returns {Promise<{ url: string, port: number, stats(): { up: number, down: number, connections: number }, close(): Promise<void> }>}
 */
export async function startLinkProxy(target, options) {
  const o = { ...options };
  if (!(o.rttMs >= 0) || !(o.mbps > 0)) throw new Error('link proxy: rttMs >= 0 and mbps > 0 are required');
  const up = createLink(o);
  const down = createLink(o);
  const rand = prng(o.seed ?? 1);
  const stats = { up: { bytes: 0 }, down: { bytes: 0 }, connections: 0 };
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  const server = createServer((client) => {
    stats.connections++;
    const origin = connect(target.port, target.host);
    for (const s of [client, origin]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => sockets.delete(s));
    }
    const stops = [pipe(client, origin, up, o, rand, stats.up), pipe(origin, client, down, o, rand, stats.down)];
    const destroy = () => {
      for (const stop of stops) stop();
      client.destroy();
      origin.destroy();
    };
    client.on('error', destroy);
    origin.on('error', destroy);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats: () => ({ up: stats.up.bytes, down: stats.down.bytes, connections: stats.connections }),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
