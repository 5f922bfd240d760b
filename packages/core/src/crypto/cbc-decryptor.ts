/**
 * Chunked KS3 decryption: AES-128-CBC, then validation and removal of KS3 padding
 * (ks3-protocol.md §6.7), fed with ciphertext chunks of any length.
 */
import { Ks3InputError, Ks3IntegrityError } from '../errors.js';
import { type AesKey, type CbcBlocks, platformCipher } from './cipher.js';
import { cbcDecryptRaw } from './cbc-raw.js';
import { stripKs3Padding } from './padding.js';

/** Decrypts a ciphertext in chunks. Await each call before making the next. */
export interface CbcDecryptor {
  /**
   * Decrypts the whole blocks that `chunk` completes, except the last full block, which is held
   * back because it may be the padded final one. `chunk` is not kept after the call settles.
   * @returns plaintext (possibly empty).
   * @throws {TypeError} while another call is pending, or after {@link CbcDecryptor.final}.
   */
  update(chunk: Uint8Array): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * Decrypts the held-back block and strips its KS3 padding. The decryptor is spent afterwards.
   * @returns the last plaintext bytes (0..15).
   * @throws {Ks3IntegrityError} when the ciphertext length is not a positive multiple of 16
   *   (truncated data), or when the padding is invalid (wrong key or corrupted data).
   * @throws {TypeError} while another call is pending, or when called twice.
   */
  final(): Promise<Uint8Array<ArrayBuffer>>;
}

const EMPTY = /* @__PURE__ */ new Uint8Array(0);

class Decryptor implements CbcDecryptor {
  private busy = false;
  private done = false;
  /** Ciphertext bytes received so far, for error messages. */
  private received = 0;
  /** 0 before any data, then always 1..16 bytes: a partial block or the last full block. */
  private held: Uint8Array = EMPTY;
  /** Where `held` was in the caller's last chunk, to find it again in front of the next one. */
  private heldFrom: { buffer: ArrayBufferLike; end: number } | undefined;
  /** The platform cipher's chain (undefined for WebCrypto). */
  private readonly blocks: CbcBlocks | undefined;

  constructor(
    private readonly key: AesKey,
    private chain: Uint8Array,
  ) {
    this.blocks = platformCipher(key)?.decryptor(chain);
  }

  private enter(what: string): void {
    if (this.done) throw new TypeError(`CbcDecryptor.${what}() after final()`);
    if (this.busy) throw new TypeError(`CbcDecryptor.${what}() while another call is pending`);
  }

  async update(chunk: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    this.enter('update');
    this.received += chunk.length;
    const held = this.held.length;
    const total = held + chunk.length;
    if (total <= 16) {
      const next = new Uint8Array(total);
      next.set(this.held);
      next.set(chunk, held);
      this.held = next;
      this.heldFrom = undefined;
      return EMPTY as Uint8Array<ArrayBuffer>;
    }
    // Decrypt every whole block but keep 1..16 bytes back: if they are a whole block, it may be
    // the last one, which final() must check for padding.
    const length = total - 1 - ((total - 1) % 16);
    if (this.blocks) return this.platformUpdate(this.blocks, chunk, length);
    // One copy, into a buffer with room for the forged block cbcDecryptRaw appends.
    const buf = new Uint8Array(length + 16);
    buf.set(this.held);
    buf.set(chunk.subarray(0, length - held), held);
    this.held = new Uint8Array(chunk.subarray(length - held));
    this.busy = true;
    try {
      const out = await cbcDecryptRaw(this.key as CryptoKey, this.chain, buf, length);
      // A copy, so that the whole chunk buffer is not kept alive by its last block.
      this.chain = buf.slice(length - 16, length);
      return out;
    } catch (e) {
      this.done = true;
      throw e;
    } finally {
      this.busy = false;
    }
  }

  /**
   * The platform cipher keeps its own chain, so it takes `held || chunk[0, length - held)`. When
   * the chunk continues the caller's previous one in the same buffer (slices of one array), the
   * held bytes are still right in front of it and that view is decrypted as it is: no copy.
   */
  private async platformUpdate(blocks: CbcBlocks, chunk: Uint8Array, length: number): Promise<Uint8Array<ArrayBuffer>> {
    const held = this.held.length;
    const from = this.heldFrom;
    const start = chunk.byteOffset - held;
    let input: Uint8Array;
    if (held === 0) input = chunk.subarray(0, length);
    else if (
      from &&
      from.buffer === chunk.buffer &&
      from.end === chunk.byteOffset &&
      start >= 0 &&
      this.isHeldAt(chunk, start)
    )
      input = new Uint8Array(chunk.buffer, start, length);
    else {
      input = new Uint8Array(length);
      input.set(this.held);
      input.set(chunk.subarray(0, length - held), held);
    }
    this.held = new Uint8Array(chunk.subarray(length - held));
    this.heldFrom = { buffer: chunk.buffer, end: chunk.byteOffset + chunk.length };
    this.busy = true;
    try {
      return (await blocks(input)) as Uint8Array<ArrayBuffer>;
    } catch (e) {
      this.done = true;
      throw e;
    } finally {
      this.busy = false;
    }
  }

  /** Are the held bytes (still) at `start` of the chunk's buffer? */
  private isHeldAt(chunk: Uint8Array, start: number): boolean {
    const there = new Uint8Array(chunk.buffer, start, this.held.length);
    for (let i = 0; i < there.length; i++) if (there[i] !== this.held[i]) return false;
    return true;
  }

  async final(): Promise<Uint8Array<ArrayBuffer>> {
    this.enter('final');
    this.done = true;
    this.heldFrom = undefined;
    if (this.held.length !== 16) {
      throw new Ks3IntegrityError(
        `encrypted data is truncated: ${this.received} bytes is not a positive multiple of 16`,
      );
    }
    this.busy = true;
    try {
      if (this.blocks) return stripKs3Padding(new Uint8Array(await this.blocks(this.held)));
      const buf = new Uint8Array(32);
      buf.set(this.held);
      return stripKs3Padding(await cbcDecryptRaw(this.key as CryptoKey, this.chain, buf, 16));
    } finally {
      this.busy = false;
    }
  }
}

/**
 * Starts decrypting KS3 ciphertext (AES-128-CBC with KS3 padding, the IV already removed).
 *
 * Padding is validated, so a wrong key or damaged final blocks are refused with probability
 * about 1 - 1/255 for each such ciphertext; CBC has no MAC, so this is not a guarantee. Compare
 * `x-kss-meta-key` with {@link keyFingerprint} before decrypting, and the plaintext MD5 with
 * `x-kss-meta-unencrypted-content-md5` when present.
 *
 * @param key an AES-CBC key from {@link importAesKey}, or a platform cipher (`nodeAesCbc` of
 *   @ks3/node).
 * @param iv the 16-byte IV: the first 16 bytes of the object body.
 * @throws {Ks3InputError} when `iv` is not 16 bytes.
 * @example
 * ```ts
 * const dec = createCbcDecryptor(key, body.subarray(0, 16));
 * const plain = concatBytes([await dec.update(body.subarray(16)), await dec.final()]);
 * ```
 */
export function createCbcDecryptor(key: AesKey, iv: Uint8Array): CbcDecryptor {
  if (iv.length !== 16) throw new Ks3InputError('iv', `must be 16 bytes, got ${iv.length}`);
  return new Decryptor(key, new Uint8Array(iv));
}
