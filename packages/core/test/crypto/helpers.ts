/**
 * Helpers for the crypto tests. Web globals only: imported by `*.shared.test.ts` files, which
 * also run in Chromium.
 */
import { concatBytes } from '../../src/bytes.js';

/** Hex → bytes. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Seeded PRNG (mulberry32), so that a failing random case can be reproduced from its seed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random integer in [min, max]. */
export function randInt(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

/** `n` pseudo-random bytes. */
export function randomBytes(rand: () => number, n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  const words = new Uint32Array(out.buffer, 0, n >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = rand() * 4294967296;
  for (let i = words.length * 4; i < n; i++) out[i] = rand() * 256;
  return out;
}

/**
 * Splits `data` at random points into views (no copies), some of them empty: the shapes a
 * network or file source may produce.
 */
export function randomChunks(rand: () => number, data: Uint8Array, maxPieces = 12): Uint8Array[] {
  const cuts = new Set<number>();
  const pieces = randInt(rand, 0, maxPieces);
  for (let i = 0; i < pieces; i++) cuts.add(randInt(rand, 0, data.length));
  const sorted = [0, ...[...cuts].sort((a, b) => a - b), data.length];
  const out: Uint8Array[] = [];
  for (let i = 1; i < sorted.length; i++) out.push(data.subarray(sorted[i - 1]!, sorted[i]!));
  return out;
}

/** A stream that yields `chunks` one by one. */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

/** Reads a whole stream into one array. */
export async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(parts);
    parts.push(value);
  }
}

/** Awaits `promise` and returns what it rejected with (fails if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
