/**
 * The AES seam: the SDK's chunked encryptor and decryptor take either a WebCrypto `CryptoKey`
 * (core's own cipher, in every runtime) or an {@link AesCbcCipher} that a platform adapter
 * supplies with faster primitives (`nodeAesCbc` of @ks3/node: node:crypto). Both produce the
 * same bytes; the chunking, KS3 padding, resumable state and checks stay in core.
 */

/** One CBC chain: each call takes the next block-aligned bytes and returns as many. */
export type CbcBlocks = (blocks: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/**
 * Raw AES-128-CBC (no padding) under one key, as a platform provides it.
 * @example
 * ```ts
 * // @ks3/node's, in outline:
 * const cipher: AesCbcCipher = {
 *   encryptor: (iv) => { const c = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false); return (b) => c.update(b); },
 *   decryptor: (iv) => { const d = createDecipheriv('aes-128-cbc', key, iv).setAutoPadding(false); return (b) => d.update(b); },
 * };
 * ```
 */
export interface AesCbcCipher {
  /**
   * Starts encrypting from `iv`. The returned function is called with block-aligned input only
   * (a multiple of 16 bytes), in order, and returns the ciphertext of exactly that input; the
   * input is not kept after the call returns or settles.
   */
  encryptor(iv: Uint8Array): CbcBlocks;
  /** Starts decrypting from `iv`; same contract as {@link AesCbcCipher.encryptor}. */
  decryptor(iv: Uint8Array): CbcBlocks;
}

/** What the encryptors and decryptors accept: a WebCrypto AES-CBC key, or a platform cipher. */
export type AesKey = CryptoKey | AesCbcCipher;

/** The platform cipher behind `key`, or undefined for a WebCrypto key. */
export function platformCipher(key: AesKey): AesCbcCipher | undefined {
  const c = key as Partial<AesCbcCipher>;
  return typeof c.encryptor === 'function' && typeof c.decryptor === 'function' ? (key as AesCbcCipher) : undefined;
}
