/**
 * Client-side encryption and MD5 for KS3 (ks3-protocol.md §6): AES-128-CBC with KS3 padding on
 * WebCrypto, chunked and streaming, plus a small incremental MD5. Web globals only.
 * @module @ks3/core/crypto
 */
// The web types this entry's API names (CryptoKey, TransformStream), declared for programs without them.
import '../web-types.js';

export { type Md5, createMd5, md5 } from './md5.js';
export {
  AES_BLOCK,
  KS3_PAD_ALPHABET,
  ks3CiphertextLength,
  ks3PadBlock,
  ks3PadLength,
  stripKs3Padding,
} from './padding.js';
export {
  type CbcDecryptor,
  type CbcEncryptor,
  type CbcState,
  createCbcDecryptor,
  createCbcEncryptor,
  generateIv,
  importAesKey,
  resumeCbcEncryptor,
} from './aes-cbc.js';
export {
  DEFAULT_CRYPTO_CHUNK_SIZE,
  type DecryptStreamOptions,
  type EncryptStreamOptions,
  decryptStream,
  encryptStream,
} from './stream.js';
export { keyFingerprint, parseKey, parseKeyFile } from './key.js';
export type { AesCbcCipher, AesKey, CbcBlocks } from './cipher.js';
