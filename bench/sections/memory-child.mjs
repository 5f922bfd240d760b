/**
 * One memory run in a fresh process: `node memory-child.mjs <mode> <bytes> <sinkUrl>` streams
 * a generated body (never held whole) and prints { maxRss, seconds } as JSON.
 * Modes: put, put-enc (SDK), raw-put (node:http); upload, upload-enc (the upload manager, a
 * stream of unknown length, 8 MiB parts, 4 in flight), raw-fetch-parts (the same parts as raw
 * fetch PUTs, 4 in flight: what the transport itself costs); drain (the stream read and dropped:
 * the floor of any consumer); get, get-dec (SDK), raw-get (node:http).
 */
import { createClient, getObject, putObject, upload } from '@ks3/node'; // what Node apps use (node:crypto MD5)
import { generatedSource } from '../lib/bodies.mjs';
import { readFileSync } from 'node:fs';
import { chunkStream, fetchPut, httpGet, httpPut, pool } from '../lib/raw-http.mjs';

/**
 * Peak RSS of this process in bytes. On Linux, VmHWM of /proc/self/status: getrusage's maxRSS
 * survives execve, so a child forked from a big parent would report the parent's size.
 */
function peakRss() {
  try {
    const kb = /VmHWM:\s*(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (kb) return Number(kb[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const [mode, sizeArg, sink] = process.argv.slice(2);
const size = Number(sizeArg);
const KEY = new Uint8Array(16).map((_, i) => i + 1);
const client = createClient({
  endpoint: sink,
  accessKeyId: 'AK',
  secretAccessKey: 'SK',
  retries: 0,
  ...(mode.endsWith('-enc') || mode.endsWith('-dec') ? { encryption: { key: KEY } } : {}),
});
const PART = 8 << 20;
const CONCURRENCY = 4;

async function drain(stream) {
  const reader = stream.getReader();
  let n = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.length;
  if (n !== size) throw new Error(`read ${n} of ${size} bytes`);
}

function* chunks(source) {
  // The same generator as the SDK's body, for node:http (which wants an iterable of buffers).
  const block = new Uint8Array(1 << 20).fill(7);
  for (let left = source.size; left > 0; left -= block.length) yield block.slice(0, Math.min(block.length, left));
}

const t0 = performance.now();
if (mode === 'put' || mode === 'put-enc')
  await putObject(client, { bucket: 'bench', key: `mem-${size}`, body: generatedSource(size) });
else if (mode === 'raw-put') await httpPut(`${sink}/bench/mem-${size}`, chunks({ size }), size);
else if (mode === 'drain') {
  // The floor: the generated stream read and discarded (its chunks are garbage Node's GC only
  // collects after tens of MiB of them).
  const reader = generatedSource(size).stream().getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read());
} else if (mode === 'raw-fetch-parts') {
  // The stream cut into parts read one after another, each sent as raw fetch PUT (a stream of
  // 1 MiB subarrays, fetch's fast path), 4 in flight: the transport's own memory cost.
  const reader = generatedSource(size).stream().getReader();
  const count = Math.ceil(size / PART);
  const readPart = async () => {
    const part = new Uint8Array(PART);
    let n = 0;
    while (n < PART) {
      const r = await reader.read();
      if (r.done) break;
      part.set(r.value, n);
      n += r.value.length;
    }
    return part.subarray(0, n);
  };
  await pool(
    Array.from({ length: count }, (_, i) => async () => {
      const part = await readPart();
      await fetchPut(`${sink}/bench/raw-parts?partNumber=${i + 1}&uploadId=x`, chunkStream(part), part.length);
    }),
    CONCURRENCY,
  );
} else if (mode === 'upload' || mode === 'upload-enc') {
  // A stream of unknown length: the manager reads one part at a time.
  await upload(client, {
    bucket: 'bench',
    key: `mem-up-${size}`,
    body: generatedSource(size).stream(),
    partSize: PART,
    concurrency: CONCURRENCY,
    ...(process.env.BENCH_NO_MD5 ? { contentMd5: false } : {}),
  });
} else if (mode === 'get') await drain((await getObject(client, { bucket: 'bench', key: `mem-${size}` })).body);
else if (mode === 'get-dec') await drain((await getObject(client, { bucket: 'bench', key: `enc-${size}` })).body);
else if (mode === 'raw-get') await httpGet(`${sink}/bench/mem-${size}`, size, { keep: false });
else throw new Error(`unknown mode ${mode}`);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ maxRss: peakRss(), seconds }));
