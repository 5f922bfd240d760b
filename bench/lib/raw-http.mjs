/** The raw transports the SDK is compared with: node:http and the global fetch, no SDK code. */
import { Agent, request } from 'node:http';

export const agent = new Agent({ keepAlive: true });

/** PUT through node:http; `body` is a Uint8Array (sent in one write) or an iterable of chunks. */
export function httpPut(url, body, length) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', agent, headers: { 'content-length': length ?? body.length } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    if (body instanceof Uint8Array) return req.end(body);
    const it = body[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        const { done, value } = it.next();
        if (done) return req.end();
        if (!req.write(value)) return req.once('drain', pump);
      }
    };
    pump();
  });
}

/** GET through node:http; copies the body into a buffer of `size` bytes, or discards it. */
export function httpGet(url, size, { keep = true } = {}) {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      const out = keep ? Buffer.allocUnsafe(size) : undefined;
      let n = 0;
      res.on('data', (c) => {
        out?.set(c, n);
        n += c.length;
      });
      res.on('end', () => (n === size ? resolve(out) : reject(new Error(`got ${n} of ${size}`))));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** A ReadableStream of `bytes` in 1 MiB subarrays (the fast way to hand a body to Node's fetch). */
export function chunkStream(bytes, chunk = 1 << 20) {
  let o = 0;
  return new ReadableStream(
    {
      pull(c) {
        if (o >= bytes.length) return c.close();
        c.enqueue(bytes.subarray(o, o + chunk));
        o += chunk;
      },
    },
    { highWaterMark: 0 },
  );
}

export async function fetchPut(url, body, length) {
  const init = { method: 'PUT', body };
  if (body instanceof ReadableStream)
    Object.assign(init, { duplex: 'half', headers: { 'content-length': String(length) } });
  const res = await fetch(url, init);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`PUT ${res.status}`);
}

/** GET with fetch, read with a reader loop into a pre-sized buffer. */
export async function fetchGetReader(url, size) {
  const res = await fetch(url);
  const out = new Uint8Array(size);
  let n = 0;
  const reader = res.body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    out.set(r.value, n);
    n += r.value.length;
  }
  if (n !== size) throw new Error(`got ${n} of ${size}`);
  return out;
}

/** Runs `tasks` (functions returning promises) with at most `limit` at a time. */
export async function pool(tasks, limit) {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
