/**
 * A KS3 client-side encrypted object of any size (a multiple of 1 MiB) served from 1 MiB of
 * memory: `IV || CBC(P || pad)` (ks3-protocol.md §6.3) with the metadata of a single PUT.
 *
 * CBC makes ciphertext depend on everything before it, so it cannot simply repeat, but the
 * plaintext can be chosen to make it repeat: take a random block B of ciphertext, use its last
 * 16 bytes as the IV, and let the plaintext be Q = CBC-decrypt(B, iv = last(B)). Encrypting Q
 * repeated N times from that IV gives B repeated N times, because every repetition is chained
 * from last(B) again. The final padding block (16 bytes of 'g' for block-aligned plaintext) is
 * then F = E(pad XOR last(B)). The plaintext MD5 (x-kss-meta-unencrypted-content-md5) is computed
 * once per size with node:crypto and cached.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const MIB = 1 << 20;
const cache = new Map();

function build(keyBase64, size) {
  if (!keyBase64) throw new Error('sink: POST /__sink/config { key } first');
  if (size % MIB !== 0 || size === 0) throw new Error('sink: encrypted objects are a positive multiple of 1 MiB');
  const key = Buffer.from(keyBase64, 'base64');
  const block = randomBytes(MIB);
  const iv = block.subarray(MIB - 16);
  const d = createDecipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
  const plain = Buffer.concat([d.update(block), d.final()]);
  const c = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
  const final = Buffer.concat([c.update(Buffer.alloc(16, 'g')), c.final()]);
  const big = Buffer.concat(Array(8).fill(block));
  const n = size / MIB;
  const md5 = createHash('md5');
  for (let i = 0; i < n; i++) md5.update(plain);
  const fingerprint = Buffer.from(createHash('md5').update(key).digest('hex')).toString('base64');
  return {
    length: 16 + size + 16,
    /** The plaintext block, for checks. */
    plain,
    headers: {
      'x-kss-meta-iv': Buffer.from(iv).toString('base64'),
      'x-kss-meta-key': fingerprint,
      'x-kss-meta-unencrypted-content-length': String(size),
      'x-kss-meta-unencrypted-content-md5': md5.digest('base64'),
    },
    *chunks() {
      yield Buffer.from(iv);
      let left = n;
      for (; left >= 8; left -= 8) yield big;
      for (; left > 0; left--) yield block;
      yield final;
    },
  };
}

/** The encrypted object of `size` plaintext bytes under the key (Base64), built once. */
export async function encryptedObject(keyBase64, size) {
  const id = `${keyBase64}:${size}`;
  if (!cache.has(id)) cache.set(id, build(keyBase64, size));
  return cache.get(id);
}
