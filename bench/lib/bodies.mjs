/** Test bodies: filled buffers, and generated bodies of any size that are never held whole. */

/** A Uint8Array of `size` bytes with a cheap non-constant pattern. */
export function filled(size) {
  const out = new Uint8Array(size);
  const seed = new Uint8Array(1 << 16);
  for (let i = 0; i < seed.length; i++) seed[i] = (i * 2654435761) >>> 24;
  for (let o = 0; o < size; o += seed.length) out.set(seed.subarray(0, Math.min(seed.length, size - o)), o);
  return out;
}

/**
 * A replayable body source (the SDK's BodySource: `size` + `stream()`, as a file is) that
 * generates `size` bytes in 1 MiB chunks from one preallocated MiB: memory stays flat.
 */
export function generatedSource(size, chunk = 1 << 20) {
  const block = filled(chunk);
  return {
    size,
    stream() {
      let left = size;
      return new ReadableStream(
        {
          pull(c) {
            if (left <= 0) return c.close();
            const n = Math.min(chunk, left);
            left -= n;
            // A fresh copy per chunk: consumers may keep or transfer chunks.
            c.enqueue(block.slice(0, n));
          },
        },
        { highWaterMark: 0 },
      );
    },
  };
}
