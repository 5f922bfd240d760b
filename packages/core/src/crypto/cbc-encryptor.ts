/**
 * Chunked KS3 encryption: AES-128-CBC over `P || ks3pad(P)`, fed in chunks of any length, with a
 * small JSON-able state so that a multipart upload can retry one part alone or resume after a
 * restart (ks3-protocol.md §6.5, §6.6).
 */
import { fromBase64, toBase64 } from '../bytes.js';
import { Ks3InputError } from '../errors.js';
import { type AesKey, type CbcBlocks, platformCipher } from './cipher.js';
import { cbcEncryptRaw } from './cbc-raw.js';
import { ks3PadBlock } from './padding.js';

/**
 * Where an encryption stands, as plain JSON: everything needed to continue it with
 * {@link resumeCbcEncryptor} (together with the key, which is never part of it).
 */
export interface CbcState {
  /** Base64 of the 16-byte chaining block: the IV, then the last ciphertext block emitted. */
  readonly chain: string;
  /** Base64 of the 0..15 plaintext bytes received but not yet encrypted. */
  readonly pending: string;
}

/** Encrypts a plaintext in chunks. Await each call before making the next. */
export interface CbcEncryptor {
  /**
   * Encrypts as many whole blocks as `chunk` and the buffered bytes make up, and buffers the
   * rest (under 16 bytes). `chunk` is not kept after the promise settles.
   * @returns the ciphertext of those blocks (possibly empty).
   * @throws {TypeError} while another call is pending, or after {@link CbcEncryptor.final}.
   */
  update(chunk: Uint8Array): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * Pads the buffered bytes with KS3 padding and encrypts them: always exactly one block.
   * The encryptor is spent afterwards.
   * @returns the final 16 ciphertext bytes.
   * @throws {TypeError} while another call is pending, or when called twice.
   */
  final(): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * The state between two calls, for {@link resumeCbcEncryptor}. Taking it has no effect on
   * this encryptor.
   * @throws {TypeError} while a call is pending, or after {@link CbcEncryptor.final}.
   */
  state(): CbcState;
}

const EMPTY = /* @__PURE__ */ new Uint8Array(0);

class Encryptor implements CbcEncryptor {
  private busy = false;
  private done = false;
  /** The platform cipher's chain, started from `chain` on first use; undefined for WebCrypto. */
  private blocks: CbcBlocks | undefined;

  constructor(
    private readonly key: AesKey,
    private chain: Uint8Array,
    private pending: Uint8Array,
  ) {}

  /** CBC-encrypts block-aligned `input` from the current chain. */
  private async raw(input: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    const platform = this.blocks ?? platformCipher(this.key)?.encryptor(this.chain);
    if (!platform) return cbcEncryptRaw(this.key as CryptoKey, this.chain, input);
    this.blocks = platform;
    return (await platform(input)) as Uint8Array<ArrayBuffer>;
  }

  private enter(what: string): void {
    if (this.done) throw new TypeError(`CbcEncryptor.${what}() after final()`);
    if (this.busy) throw new TypeError(`CbcEncryptor.${what}() while another call is pending`);
  }

  async update(chunk: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    this.enter('update');
    const held = this.pending.length;
    const total = held + chunk.length;
    const whole = total - (total % 16);
    if (whole === 0) {
      const pending = new Uint8Array(total);
      pending.set(this.pending);
      pending.set(chunk, held);
      this.pending = pending;
      return EMPTY as Uint8Array<ArrayBuffer>;
    }
    let input = chunk.subarray(0, whole);
    if (held > 0) {
      // Joining the buffered bytes to the chunk costs one copy; an extra WebCrypto call for the
      // first block would cost more. Callers that keep their chunks aligned never get here.
      input = new Uint8Array(whole);
      input.set(this.pending);
      input.set(chunk.subarray(0, whole - held), held);
    }
    // Copied now (the constructor copies; a Node Buffer's slice() would not): the caller may
    // reuse its buffer once this call has settled.
    const rest = new Uint8Array(chunk.subarray(whole - held));
    this.busy = true;
    try {
      const out = await this.raw(input);
      this.chain = new Uint8Array(out.subarray(whole - 16));
      this.pending = rest;
      return out;
    } catch (e) {
      this.done = true;
      throw e;
    } finally {
      this.busy = false;
    }
  }

  async final(): Promise<Uint8Array<ArrayBuffer>> {
    this.enter('final');
    this.busy = true;
    this.done = true;
    try {
      return await this.raw(ks3PadBlock(this.pending));
    } finally {
      this.busy = false;
    }
  }

  state(): CbcState {
    this.enter('state');
    return { chain: toBase64(this.chain), pending: toBase64(this.pending) };
  }
}

/**
 * Starts encrypting a plaintext with AES-128-CBC and KS3 padding. The concatenated outputs of
 * `update()`… and `final()` are byte-identical to `openssl enc -aes-128-cbc -nopad` over
 * `P || ks3pad(P)`. The IV is not part of the output: a KS3 body or first part starts with it.
 *
 * @param key an AES-CBC key from {@link importAesKey}, or a platform cipher (`nodeAesCbc` of
 *   @ks3/node, several times faster in Node).
 * @param iv the 16-byte IV; a fresh random one per object ({@link generateIv}).
 * @throws {Ks3InputError} when `iv` is not 16 bytes.
 * @example
 * ```ts
 * const key = await importAesKey(parseKey('ks3-demo-key-16b'));
 * const iv = generateIv();
 * const enc = createCbcEncryptor(key, iv);
 * const body = concatBytes([iv, await enc.update(plaintext), await enc.final()]);
 * ```
 */
export function createCbcEncryptor(key: AesKey, iv: Uint8Array): CbcEncryptor {
  if (iv.length !== 16) throw new Ks3InputError('iv', `must be 16 bytes, got ${iv.length}`);
  return new Encryptor(key, new Uint8Array(iv), EMPTY);
}

function decodeState(value: unknown, max: number, field: string): Uint8Array {
  let bytes: Uint8Array | undefined;
  if (typeof value === 'string') {
    try {
      bytes = fromBase64(value);
    } catch {
      // Reported below.
    }
  }
  if (bytes === undefined || bytes.length > max || (field === 'chain' && bytes.length !== max)) {
    const size = field === 'chain' ? 'exactly 16' : 'at most 15';
    throw new Ks3InputError('state', `${field} must be Base64 of ${size} bytes`);
  }
  return bytes;
}

/**
 * Continues an encryption from a {@link CbcState} taken with {@link CbcEncryptor.state}, in
 * this process or another one. Resuming the same state twice gives the same ciphertext, which
 * is what lets one multipart part be encrypted and uploaded again on its own.
 *
 * @param key the same key as the original encryptor.
 * @throws {Ks3InputError} when the state is malformed.
 * @example
 * ```ts
 * const before = enc.state();          // saved with the part's checkpoint
 * // … part 3 failed: encrypt it again from the saved state
 * const retry = resumeCbcEncryptor(key, before);
 * const part3 = await retry.update(plainPart3);
 * ```
 */
export function resumeCbcEncryptor(key: AesKey, state: CbcState): CbcEncryptor {
  const s = (typeof state === 'object' && state !== null ? state : {}) as Record<string, unknown>;
  return new Encryptor(key, decodeState(s.chain, 16, 'chain'), decodeState(s.pending, 15, 'pending'));
}
