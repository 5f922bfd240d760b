/**
 * Web-stream wrappers for encrypted PUT and GET bodies: `IV || CBC(P || ks3pad(P))`
 * (ks3-protocol.md §6.3, §6.7). Both re-chunk their input so that every WebCrypto call sees
 * `chunkSize` bytes whatever the source's chunking (platform-notes.md §4: per-call overhead dominates
 * below about 64 KiB), and both hold at most about one chunk in memory.
 */
import { Ks3InputError, Ks3IntegrityError } from '../errors.js';
import { type AesKey, platformCipher } from './cipher.js';
import { type CbcDecryptor, createCbcDecryptor } from './cbc-decryptor.js';
import { createCbcEncryptor } from './cbc-encryptor.js';
import { cbcDecryptRaw } from './cbc-raw.js';
import { stripKs3Padding } from './padding.js';

/** Default bytes per WebCrypto call: fastest in Node (platform-notes.md §4). */
export const DEFAULT_CRYPTO_CHUNK_SIZE = 1 << 20;

/** Options of {@link encryptStream}. */
export interface EncryptStreamOptions {
  /**
   * Bytes per WebCrypto call: a multiple of 16, at least 32. Default 1 MiB. A platform cipher
   * (`nodeAesCbc`) takes the source's chunks as they come.
   */
  chunkSize?: number;
}

/** Options of {@link decryptStream}. */
export interface DecryptStreamOptions extends EncryptStreamOptions {
  /** The IV from the `x-kss-meta-iv` header: the body's first 16 bytes must equal it. */
  expectedIv?: Uint8Array;
}

function chunkSizeOf(options: EncryptStreamOptions): number {
  const size = options.chunkSize ?? DEFAULT_CRYPTO_CHUNK_SIZE;
  if (!Number.isSafeInteger(size) || size < 32 || size % 16 !== 0) {
    throw new Ks3InputError('chunkSize', `must be a multiple of 16, at least 32; got ${size}`);
  }
  return size;
}

/**
 * Encrypts a plaintext stream into a KS3 encrypted body: the IV, then the ciphertext.
 * The body is `16 + ks3CiphertextLength(n)` bytes for an n-byte plaintext. An empty plaintext
 * still gives a 32-byte body; KS3 stores empty objects unencrypted (§6.4), so callers that know
 * the size is 0 should skip encryption.
 *
 * @param key an AES-CBC key from {@link importAesKey}.
 * @param iv a fresh 16-byte IV ({@link generateIv}).
 * @throws {Ks3InputError} when `iv` is not 16 bytes or `chunkSize` is invalid.
 * @example
 * ```ts
 * const iv = generateIv();
 * const body = file.stream().pipeThrough(encryptStream(key, iv));
 * ```
 */
export function encryptStream(
  key: AesKey,
  iv: Uint8Array,
  options: EncryptStreamOptions = {},
): TransformStream<Uint8Array, Uint8Array<ArrayBuffer>> {
  const chunkSize = chunkSizeOf(options);
  const encryptor = createCbcEncryptor(key, iv);
  const platform = platformCipher(key) !== undefined;
  const first = new Uint8Array(iv);
  // Allocated with the first chunk that needs it: sources with large chunks never do.
  let acc: Uint8Array<ArrayBuffer> | undefined;
  let accLength = 0;
  return new TransformStream({
    start(controller) {
      controller.enqueue(first);
    },
    async transform(chunk, controller) {
      if (platform) {
        // A platform cipher has no per-call overhead worth re-chunking for.
        const out = await encryptor.update(chunk);
        if (out.length > 0) controller.enqueue(out);
        return;
      }
      let offset = 0;
      while (offset < chunk.length) {
        if (accLength === 0 && chunk.length - offset >= chunkSize) {
          // Zero-copy: hand a chunkSize slice of the source straight to WebCrypto.
          controller.enqueue(await encryptor.update(chunk.subarray(offset, offset + chunkSize)));
          offset += chunkSize;
          continue;
        }
        acc ??= new Uint8Array(chunkSize);
        const n = Math.min(chunkSize - accLength, chunk.length - offset);
        acc.set(chunk.subarray(offset, offset + n), accLength);
        accLength += n;
        offset += n;
        if (accLength === chunkSize) {
          controller.enqueue(await encryptor.update(acc));
          accLength = 0;
        }
      }
    },
    async flush(controller) {
      if (acc !== undefined && accLength > 0) {
        const out = await encryptor.update(acc.subarray(0, accLength));
        if (out.length > 0) controller.enqueue(out);
      }
      controller.enqueue(await encryptor.final());
    },
  });
}

function truncated(received: number): Ks3IntegrityError {
  return new Ks3IntegrityError(
    `encrypted body is truncated: ${received} bytes is not a 16-byte IV plus a positive multiple of 16`,
  );
}

/**
 * Decrypts a KS3 encrypted body (IV, then ciphertext) into the plaintext, with bounded memory.
 * The KS3 padding is validated at the end of the stream, so the last plaintext bytes are only
 * emitted then, and a wrong key or damaged tail errors the stream (see
 * {@link createCbcDecryptor} for what padding can and cannot detect).
 *
 * @param key an AES-CBC key from {@link importAesKey}.
 * @throws {Ks3InputError} when `expectedIv` is not 16 bytes or `chunkSize` is invalid.
 * @throws {Ks3IntegrityError} (through the stream) when the body's IV differs from
 *   `expectedIv`, when the body is shorter than 32 bytes or not 16-byte aligned (truncated), or
 *   when the padding is invalid.
 * @example
 * ```ts
 * const iv = fromBase64(res.headers.get('x-kss-meta-iv')!);
 * const plain = res.body!.pipeThrough(decryptStream(key, { expectedIv: iv }));
 * ```
 */
export function decryptStream(
  key: AesKey,
  options: DecryptStreamOptions = {},
): TransformStream<Uint8Array, Uint8Array<ArrayBuffer>> {
  const chunkSize = chunkSizeOf(options);
  const given = options.expectedIv;
  if (given !== undefined && given.length !== 16) {
    throw new Ks3InputError('expectedIv', `must be 16 bytes, got ${given.length}`);
  }
  const expected = given && new Uint8Array(given);
  if (platformCipher(key)) return platformDecryptStream(key, expected);
  return webCryptoDecryptStream(key as CryptoKey, chunkSize, expected);
}

/** decryptStream on WebCrypto: `chunkSize` bytes per call, from one reused buffer. */
function webCryptoDecryptStream(
  key: CryptoKey,
  chunkSize: number,
  expected: Uint8Array | undefined,
): TransformStream<Uint8Array, Uint8Array<ArrayBuffer>> {
  const chain = new Uint8Array(16);
  let ivLength = 0;
  let received = 0;
  // Ciphertext waiting to be decrypted, plus 16 spare bytes for cbcDecryptRaw's forged block.
  const acc = new Uint8Array(chunkSize + 16);
  let accLength = 0;
  const hold = new Uint8Array(16);

  return new TransformStream({
    async transform(chunk, controller) {
      received += chunk.length;
      let offset = 0;
      if (ivLength < 16) {
        offset = Math.min(16 - ivLength, chunk.length);
        chain.set(chunk.subarray(0, offset), ivLength);
        ivLength += offset;
        if (ivLength < 16) return;
        if (expected !== undefined && chain.some((b, i) => b !== expected[i])) {
          throw new Ks3IntegrityError('IV in body does not match x-kss-meta-iv');
        }
      }
      while (offset < chunk.length) {
        const n = Math.min(chunkSize - accLength, chunk.length - offset);
        acc.set(chunk.subarray(offset, offset + n), accLength);
        accLength += n;
        offset += n;
        if (accLength < chunkSize) break;
        // Full: decrypt all but the last block, which may turn out to be the padded final one.
        const length = chunkSize - 16;
        hold.set(acc.subarray(length, chunkSize));
        const out = await cbcDecryptRaw(key, chain, acc, length);
        chain.set(acc.subarray(length - 16, length));
        acc.set(hold);
        accLength = 16;
        controller.enqueue(out);
      }
    },
    async flush(controller) {
      if (ivLength < 16 || accLength === 0 || accLength % 16 !== 0) throw truncated(received);
      // The rest, final block included, in one pass; then check and strip the padding.
      const plain = stripKs3Padding(await cbcDecryptRaw(key, chain, acc, accLength));
      if (plain.length > 0) controller.enqueue(plain);
    },
  });
}

/** decryptStream with a platform cipher: no re-chunking, the decryptor holds the last block. */
function platformDecryptStream(
  key: AesKey,
  expected: Uint8Array | undefined,
): TransformStream<Uint8Array, Uint8Array<ArrayBuffer>> {
  const iv = new Uint8Array(16);
  let ivLength = 0;
  let received = 0;
  let decryptor: CbcDecryptor | undefined;
  return new TransformStream({
    async transform(chunk, controller) {
      received += chunk.length;
      let rest = chunk;
      if (!decryptor) {
        const n = Math.min(16 - ivLength, chunk.length);
        iv.set(chunk.subarray(0, n), ivLength);
        ivLength += n;
        if (ivLength < 16) return;
        if (expected !== undefined && iv.some((b, i) => b !== expected[i])) {
          throw new Ks3IntegrityError('IV in body does not match x-kss-meta-iv');
        }
        decryptor = createCbcDecryptor(key, iv);
        rest = chunk.subarray(n);
      }
      const out = await decryptor.update(rest);
      if (out.length > 0) controller.enqueue(out);
    },
    async flush(controller) {
      if (!decryptor || received < 32 || received % 16 !== 0) throw truncated(received);
      const last = await decryptor.final();
      if (last.length > 0) controller.enqueue(last);
    },
  });
}
