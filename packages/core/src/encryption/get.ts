/**
 * Reading client-side encrypted objects (ks3-protocol.md §6.7), with the checks the reference
 * lacks: the key fingerprint, the IV, the padding, and the plaintext length and MD5 when the
 * object carries them. Ranges are served by fetching the cipher block before the range as IV.
 */
import { fromBase64, toBase64 } from '../bytes.js';
import { cbcDecryptRaw } from '../crypto/cbc-raw.js';
import { type AesKey, platformCipher } from '../crypto/cipher.js';
import { stripKs3Padding } from '../crypto/padding.js';
import { decryptStream } from '../crypto/stream.js';
import { Ks3IntegrityError, Ks3ServiceError, type Ks3ErrorContext } from '../errors.js';
import { readAllBytes } from '../request/body.js';
import type { Hasher } from '../client.js';
import { codecOf, type Codec } from './codec.js';
import type { EncryptionHandle } from './handle.js';

/** A decrypted body and what is known of the plaintext. */
export interface Decrypted {
  body: ReadableStream<Uint8Array>;
  /** Plaintext length, when the object records it (single PUTs) or a range fixes it. */
  length?: number;
  range?: { start: number; end: number; total?: number };
}

/** Raw CBC decryption of whole blocks `ct` from `iv` (no padding handled). */
async function decryptBlocks(key: AesKey, iv: Uint8Array, ct: Uint8Array): Promise<Uint8Array> {
  const platform = platformCipher(key);
  if (platform) return platform.decryptor(iv)(ct);
  // The ciphertext plus the 16 spare bytes cbcDecryptRaw needs.
  const buf = new Uint8Array(ct.length + 16);
  buf.set(ct);
  return cbcDecryptRaw(key as CryptoKey, iv, buf, ct.length);
}

/** The ciphertext range that covers plaintext bytes [start, end]: from the block before, as IV. */
export function cipherRange(start: number, end?: number): string {
  const first = Math.floor(start / 16) * 16;
  return `bytes=${first}-${end === undefined ? '' : Math.floor(end / 16) * 16 + 31}`;
}

async function checkKey(handle: EncryptionHandle, headers: Headers, ctx: Ks3ErrorContext): Promise<Codec> {
  const codec = await codecOf(handle);
  const fp = headers.get('x-kss-meta-key');
  if (fp !== null && fp !== codec.fingerprint)
    throw new Ks3IntegrityError('wrong key: the object was encrypted with another key (x-kss-meta-key differs)', ctx);
  return codec;
}

const empty = (): ReadableStream<Uint8Array> => new ReadableStream({ start: (c) => c.close() });

/** Compares the plaintext's length and MD5 with the object's records at the end of the stream. */
function verify(
  length: number | undefined,
  md5: string | null,
  create: () => Hasher,
  ctx: Ks3ErrorContext,
): TransformStream<Uint8Array, Uint8Array> {
  const hash = md5 ? create() : undefined;
  let n = 0;
  return new TransformStream({
    transform(chunk, c) {
      n += chunk.length;
      hash?.update(chunk);
      c.enqueue(chunk);
    },
    flush() {
      if (length !== undefined && n !== length)
        throw new Ks3IntegrityError(
          `decrypted ${n} bytes but the object records ${length} (truncated or damaged)`,
          ctx,
        );
      if (hash && toBase64(hash.digest()) !== md5)
        throw new Ks3IntegrityError(
          'decrypted data does not match x-kss-meta-unencrypted-content-md5 (damaged data)',
          ctx,
        );
    },
  });
}

/**
 * Decrypts a GET response. `range` is the plaintext range asked for, if any (the request then
 * used {@link cipherRange}).
 * @throws {Ks3IntegrityError} for an unencrypted object, a wrong key or an IV mismatch; the
 * stream errors with it for bad padding, truncation or a length/MD5 mismatch.
 */
export async function decryptResponse(
  handle: EncryptionHandle,
  headers: Headers,
  body: ReadableStream<Uint8Array>,
  ctx: Ks3ErrorContext,
  range?: { start: number; end?: number },
): Promise<Decrypted> {
  const ivHeader = headers.get('x-kss-meta-iv');
  const stored = Number(headers.get('content-length') ?? 0);
  const lengthHeader = headers.get('x-kss-meta-unencrypted-content-length');
  const plainLength = lengthHeader === null ? undefined : Number(lengthHeader);
  if (ivHeader === null) {
    // §6.8 item 2: an empty object is stored unencrypted without metadata.
    if (stored === 0 && !range) return { body: empty(), length: 0 };
    await body.cancel();
    throw new Ks3IntegrityError(
      'object is not client-side encrypted (no x-kss-meta-iv; in browsers, check that CORS exposes x-kss-meta-* headers)',
      ctx,
    );
  }
  const { key, md5 } = await checkKey(handle, headers, ctx);
  let iv: Uint8Array;
  try {
    iv = fromBase64(ivHeader);
  } catch {
    await body.cancel().catch(() => {});
    throw new Ks3IntegrityError("x-kss-meta-iv is not Base64: the object is not in KS3's encryption format", ctx);
  }
  if (!range) {
    const plain = body
      .pipeThrough(decryptStream(key, { expectedIv: iv }))
      .pipeThrough(verify(plainLength, headers.get('x-kss-meta-unencrypted-content-md5'), md5, ctx));
    return plainLength === undefined ? { body: plain } : { body: plain, length: plainLength };
  }
  // A range: [IV-or-previous-block][blocks…]; decrypt raw, strip padding only at the object's end.
  const cr = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers.get('content-range') ?? '');
  const data = await readAllBytes(body, stored, ctx);
  const first = cr ? Number(cr[1]) : 0;
  const total = cr ? Number(cr[3]) : stored;
  const last = cr ? Number(cr[2]) : stored - 1;
  if (data.length < 32 || data.length % 16 !== 0)
    throw new Ks3IntegrityError('encrypted range is not block-aligned (truncated)', ctx);
  if (first === 0 && data.subarray(0, 16).some((b, i) => b !== iv[i]))
    throw new Ks3IntegrityError('IV in body does not match x-kss-meta-iv', ctx);
  let plain = await decryptBlocks(key, data.subarray(0, 16), data.subarray(16));
  const atEnd = last === total - 1;
  if (atEnd) plain = stripKs3Padding(plain);
  const from = range.start - first;
  const wanted =
    range.end === undefined ? plain.length - from : Math.min(range.end - range.start + 1, plain.length - from);
  if (wanted <= 0 || from < 0)
    throw new Ks3ServiceError({
      ...ctx,
      method: 'GET',
      status: 416,
      code: 'InvalidRange',
      message: 'the range starts beyond the end of the decrypted object',
    });
  const slice = plain.slice(from, from + wanted);
  const end = range.start + slice.length - 1;
  const totalPlain = plainLength ?? (atEnd ? first + plain.length : undefined);
  return {
    body: new ReadableStream({ start: (c) => (c.enqueue(slice), c.close()) }),
    length: slice.length,
    range: { start: range.start, end, ...(totalPlain === undefined ? {} : { total: totalPlain }) },
  };
}
