/**
 * Raw (unpadded) AES-CBC over WebCrypto, which only offers CBC with PKCS#7 padding
 * (ks3-protocol.md §6.8 item 1, platform-notes.md §4):
 * - encrypting block-aligned data, WebCrypto appends one whole PKCS#7 block; we drop it.
 * - decrypting, we append a forged block X = E_K(C_last XOR 0x10^16), so that the last block
 *   WebCrypto decrypts is sixteen 0x10 bytes, a valid PKCS#7 pad that it then strips. X is the
 *   first block of encrypting sixteen 0x10 bytes with IV = C_last.
 * Both are plain CBC, so chunks chain by passing the last ciphertext block as the next IV.
 *
 * WebCrypto copies its inputs when called (WebCrypto spec, "get a copy of the buffer source"), and
 * callers here also leave them untouched until the promise settles.
 */

/** Lazily built: sixteen 0x10 bytes, plaintext of the forged block. */
let pkcs7Block: Uint8Array<ArrayBuffer> | undefined;

/**
 * Narrows to what WebCrypto's `BufferSource` accepts. WebCrypto refuses views of a
 * SharedArrayBuffer, so those (rare) inputs are copied.
 *
 * @internal
 */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer) {
    return new Uint8Array(bytes);
  }
  return bytes as Uint8Array<ArrayBuffer>;
}

/**
 * CBC-encrypts block-aligned `data` (length a multiple of 16, at least 16) from `iv`, without
 * padding. The result is a view on WebCrypto's output buffer, so nothing is copied; its last
 * 16 bytes are the next IV.
 *
 * @internal
 */
export async function cbcEncryptRaw(
  key: CryptoKey,
  iv: Uint8Array,
  data: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const length = data.length;
  const out = await crypto.subtle.encrypt({ name: 'AES-CBC', iv: bufferSource(iv) }, key, bufferSource(data));
  return new Uint8Array(out, 0, length);
}

/**
 * CBC-decrypts `buf[0, length)` (a multiple of 16, at least 16) from `iv`, without looking at
 * any padding. `buf` must have 16 spare bytes after `length`: they are overwritten with the
 * forged block, so the ciphertext is never copied to append it. `buf[0, length)` is not
 * modified, so its last block can serve as the next IV.
 *
 * @internal
 */
export async function cbcDecryptRaw(
  key: CryptoKey,
  iv: Uint8Array,
  buf: Uint8Array<ArrayBuffer>,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  pkcs7Block ??= new Uint8Array(16).fill(16);
  const forged = await crypto.subtle.encrypt(
    { name: 'AES-CBC', iv: buf.subarray(length - 16, length) },
    key,
    pkcs7Block,
  );
  buf.set(new Uint8Array(forged, 0, 16), length);
  const out = await crypto.subtle.decrypt({ name: 'AES-CBC', iv: bufferSource(iv) }, key, buf.subarray(0, length + 16));
  return new Uint8Array(out);
}
