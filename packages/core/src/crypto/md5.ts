/**
 * Incremental MD5 (RFC 1321) on web globals only. WebCrypto has no MD5, yet KS3 needs it for
 * `Content-MD5`, `x-kss-meta-unencrypted-content-md5` and the `x-kss-meta-key` fingerprint
 * (ks3-protocol.md §6.4, §12).
 */
import { md5Blocks } from './md5-block.js';

/** An MD5 hasher. Feed it with {@link Md5.update}, then call {@link Md5.digest} once. */
export interface Md5 {
  /**
   * Hashes `bytes` (any length, including 0). The bytes are read during the call and never kept.
   * @returns the same hasher, for chaining.
   * @throws {TypeError} after {@link Md5.digest} was called.
   */
  update(bytes: Uint8Array): Md5;
  /**
   * Finishes the hash. The hasher is spent afterwards: create a new one for the next message.
   * @returns the 16-byte digest.
   * @throws {TypeError} when called a second time.
   */
  digest(): Uint8Array;
}

/** Blocks copied per step when the input cannot be viewed as 32-bit words in place. */
const SCRATCH_BLOCKS = 256;

// Lazily created so that importing this module has no side effects. JS is single-threaded and
// md5Blocks is synchronous, so one scratch area can serve every hasher.
let scratch: Int32Array | undefined;
let littleEndian: boolean | undefined;

/**
 * Splits a message length in bytes into the two 32-bit words of its length in bits, low word
 * first (RFC 1321 §3.2). Bytes · 8 passes 2^32 at 512 MiB, so the high word matters for large
 * uploads; `>>> 0` (modulo 2^32) is exact because bytes · 8 stays below 2^53 for any
 * length under 2^50 bytes.
 *
 * @internal Exported for tests.
 */
export function md5BitLength(bytes: number): [low: number, high: number] {
  return [(bytes * 8) >>> 0, Math.floor(bytes / 0x20000000) >>> 0];
}

/** Compresses `count` whole blocks of `data` starting at byte `start`. */
function compress(h: Int32Array, data: Uint8Array, start: number, count: number): void {
  const at = data.byteOffset + start;
  if (littleEndian && (at & 3) === 0) {
    // Zero-copy: on little-endian hosts (every browser and Node platform in practice) aligned
    // input bytes already are MD5's little-endian words.
    md5Blocks(h, new Int32Array(data.buffer, at, count * 16), count * 16);
    return;
  }
  scratch ??= new Int32Array(SCRATCH_BLOCKS * 16);
  const bytes = new Uint8Array(scratch.buffer);
  while (count > 0) {
    const n = Math.min(count, SCRATCH_BLOCKS);
    if (littleEndian) {
      // An unaligned view is not allowed; a memcpy into aligned scratch costs a few percent.
      bytes.set(data.subarray(start, start + n * 64));
    } else {
      for (let i = 0, p = start; i < n * 16; i++, p += 4) {
        scratch[i] = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) | (data[p + 3]! << 24);
      }
    }
    md5Blocks(h, scratch, n * 16);
    start += n * 64;
    count -= n;
  }
}

class Md5Hasher implements Md5 {
  /** Chaining state A, B, C, D with RFC 1321's initial values. */
  private readonly h = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  /** The incomplete trailing block, as words (for md5Blocks) and as bytes (to fill it). */
  private readonly words = new Int32Array(16);
  private readonly block = new Uint8Array(this.words.buffer);
  private blockLength = 0;
  private total = 0;
  private done = false;

  constructor() {
    littleEndian ??= new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
  }

  /** Compresses the full trailing block without allocating a view for it. */
  private flushBlock(): void {
    if (littleEndian) md5Blocks(this.h, this.words, 16);
    else compress(this.h, this.block, 0, 1);
  }

  update(bytes: Uint8Array): Md5 {
    if (this.done) throw new TypeError('md5: update() after digest()');
    const length = bytes.length;
    this.total += length;
    let offset = 0;
    if (this.blockLength > 0) {
      offset = Math.min(64 - this.blockLength, length);
      this.block.set(offset === length ? bytes : bytes.subarray(0, offset), this.blockLength);
      this.blockLength += offset;
      if (this.blockLength < 64) return this;
      this.flushBlock();
      this.blockLength = 0;
    }
    const whole = (length - offset) >>> 6;
    if (whole > 0) {
      compress(this.h, bytes, offset, whole);
      offset += whole * 64;
    }
    if (offset < length) {
      this.block.set(bytes.subarray(offset), 0);
      this.blockLength = length - offset;
    }
    return this;
  }

  digest(): Uint8Array {
    if (this.done) throw new TypeError('md5: digest() called twice');
    this.done = true;
    const block = this.block;
    let n = this.blockLength;
    block[n++] = 0x80;
    if (n > 56) {
      block.fill(0, n);
      this.flushBlock();
      n = 0;
    }
    block.fill(0, n, 56);
    const [low, high] = md5BitLength(this.total);
    for (let i = 0; i < 4; i++) {
      block[56 + i] = low >>> (8 * i);
      block[60 + i] = high >>> (8 * i);
    }
    this.flushBlock();
    const out = new Uint8Array(16);
    for (let i = 0; i < 16; i++) out[i] = this.h[i >> 2]! >>> (8 * (i & 3));
    return out;
  }
}

/**
 * Creates an incremental MD5 hasher.
 *
 * @example
 * ```ts
 * const hasher = createMd5();
 * for await (const chunk of stream) hasher.update(chunk);
 * const contentMd5 = toBase64(hasher.digest());
 * ```
 */
export function createMd5(): Md5 {
  return new Md5Hasher();
}

/**
 * MD5 of `bytes` in one call.
 *
 * @example
 * ```ts
 * toHex(md5(utf8('abc'))); // '900150983cd24fb0d6963f7d28e17f72'
 * ```
 */
export function md5(bytes: Uint8Array): Uint8Array {
  return new Md5Hasher().update(bytes).digest();
}
