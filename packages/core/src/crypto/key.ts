/**
 * Client-side encryption keys: parsing and the `x-kss-meta-key` fingerprint (ks3-protocol.md
 * §6.1, §6.4).
 */
import { toBase64, toHex, utf8 } from '../bytes.js';
import { Ks3InputError } from '../errors.js';
import { md5 } from './md5.js';

/**
 * Checks and copies a 16-byte AES-128 key given as bytes or as a string (UTF-8 encoded).
 *
 * @returns a copy of the 16 key bytes.
 * @throws {Ks3InputError} when the key is not exactly 16 bytes.
 * @example
 * ```ts
 * const raw = parseKey('ks3-demo-key-16b');
 * ```
 */
export function parseKey(input: Uint8Array | string): Uint8Array<ArrayBuffer> {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  if (bytes.length !== 16) {
    throw new Ks3InputError('key', `must be exactly 16 bytes (AES-128), got ${bytes.length}`);
  }
  return new Uint8Array(bytes);
}

/** Python's `bytes.strip()` set: space, \t, \n, \v, \f, \r. */
function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/**
 * Parses the contents of a key file the way the reference SDK reads it: leading and trailing
 * ASCII whitespace is stripped first, so a 17-byte file ending in a newline is accepted (§6.1).
 *
 * @throws {Ks3InputError} when what remains is not exactly 16 bytes.
 * @example
 * ```ts
 * const raw = parseKeyFile(await readFile('ks3.key')); // node
 * ```
 */
export function parseKeyFile(contents: Uint8Array | string): Uint8Array<ArrayBuffer> {
  const bytes = typeof contents === 'string' ? utf8(contents) : contents;
  let start = 0;
  let end = bytes.length;
  while (start < end && isAsciiSpace(bytes[start]!)) start++;
  while (end > start && isAsciiSpace(bytes[end - 1]!)) end--;
  return parseKey(bytes.subarray(start, end));
}

/**
 * The `x-kss-meta-key` value for a key: Base64 of the lower-case hex MD5 of the raw key
 * (44 characters). Readers compare it with their own key before decrypting, since decryption
 * alone cannot reliably tell a wrong key (§6.8 item 3).
 *
 * @example
 * ```ts
 * keyFingerprint(parseKey('ks3-demo-key-16b')); // 'OTQwMjgwMzllNzZhOGYwOTdkNDc2NzUwMGJlNjQzMWY='
 * ```
 */
export function keyFingerprint(raw: Uint8Array): string {
  return toBase64(utf8(toHex(md5(raw))));
}
