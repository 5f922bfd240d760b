/**
 * KS3's block padding (ks3-protocol.md §6.2). It is NOT PKCS#7: with n = 16 - (length mod 16),
 * in 1..16, the plaintext gets n copies of the ASCII character `'123456789abcdefg'[n - 1]`, so
 * block-aligned input gets a whole extra block of sixteen `'g'` (0x67).
 */
import { Ks3IntegrityError } from '../errors.js';

/** The padding alphabet: the byte for a pad of length n is the (n - 1)-th character. */
export const KS3_PAD_ALPHABET = '123456789abcdefg';

/** The AES block size in bytes. */
export const AES_BLOCK = 16;

/** Pad length n (1..16) → pad byte, and back; 0 means "not a pad byte". */
function padByte(n: number): number {
  return KS3_PAD_ALPHABET.charCodeAt(n - 1);
}
function padLengthOf(byte: number): number {
  return KS3_PAD_ALPHABET.indexOf(String.fromCharCode(byte)) + 1;
}

/**
 * Number of padding bytes KS3 appends to a plaintext of `plaintextLength` bytes: 1..16.
 * @throws {TypeError} when the length is not a non-negative safe integer.
 */
export function ks3PadLength(plaintextLength: number): number {
  if (!Number.isSafeInteger(plaintextLength) || plaintextLength < 0) {
    throw new TypeError(`ks3PadLength: invalid length ${plaintextLength}`);
  }
  return AES_BLOCK - (plaintextLength % AES_BLOCK);
}

/**
 * Ciphertext length (without the 16-byte IV) of a `plaintextLength`-byte plaintext:
 * `16 · (floor(length / 16) + 1)`. Add 16 for the body of a single PUT.
 * @throws {TypeError} when the length is not a non-negative safe integer.
 */
export function ks3CiphertextLength(plaintextLength: number): number {
  return plaintextLength + ks3PadLength(plaintextLength);
}

/**
 * Builds the final 16-byte block: the last `remainder.length % 16` plaintext bytes (fewer than
 * 16, possibly none) followed by KS3 padding.
 *
 * @param remainder the plaintext bytes after the last whole block (length 0..15).
 * @returns a new 16-byte array.
 * @throws {TypeError} when `remainder` holds 16 bytes or more.
 */
export function ks3PadBlock(remainder: Uint8Array): Uint8Array<ArrayBuffer> {
  if (remainder.length >= AES_BLOCK) {
    throw new TypeError(`ks3PadBlock: expected fewer than 16 bytes, got ${remainder.length}`);
  }
  const n = AES_BLOCK - remainder.length;
  const block = new Uint8Array(AES_BLOCK).fill(padByte(n));
  block.set(remainder);
  return block;
}

/**
 * Validates and removes KS3 padding from decrypted data (the last block, or more).
 *
 * The reference SDK only looks at the last byte and even drops a whole block when it is `'0'`;
 * this function also requires every one of the n pad bytes to be equal, so that a wrong key or
 * damaged data is refused (with probability about 1 - 1/255 for random data) instead of
 * returning silent garbage.
 *
 * @param plaintext decrypted bytes whose end is the padding; usually the final 16-byte block.
 * @returns a view of `plaintext` without the padding (no copy).
 * @throws {Ks3IntegrityError} when the padding is invalid.
 * @example
 * ```ts
 * stripKs3Padding(utf8('Tfffffffffffffff')); // → utf8('T')
 * ```
 */
export function stripKs3Padding<T extends Uint8Array>(plaintext: T): T {
  const length = plaintext.length;
  const last = length > 0 ? plaintext[length - 1]! : -1;
  const n = last < 0 ? 0 : padLengthOf(last);
  let ok = n > 0 && n <= length;
  for (let i = length - n; ok && i < length - 1; i++) ok = plaintext[i] === last;
  if (!ok) {
    throw new Ks3IntegrityError('decryption failed: invalid KS3 padding (wrong key, or corrupted or truncated data)');
  }
  return plaintext.subarray(0, length - n) as T;
}
