/**
 * Encrypting a body (a whole object or one multipart part) in KS3's format. A body already in
 * memory is encrypted once; a Blob or file is streamed twice with the same IV (once to hash,
 * once to send: CBC is deterministic), so memory stays bounded and retries can resend it.
 */
import { toBase64 } from '../bytes.js';
import { Ks3InputError } from '../errors.js';
import { resumeCbcEncryptor, type CbcState } from '../crypto/aes-cbc.js';
import { ks3CiphertextLength } from '../crypto/padding.js';
import { readAllBytes, type BodySource, type PreparedBody } from '../request/body.js';
import type { Hasher } from '../client.js';
import type { Codec } from './codec.js';

/** Bodies up to this size are encrypted in memory (once); larger ones are streamed (twice). */
const IN_MEMORY = 8 << 20;

/** Where a chained encryption starts. */
export interface EncryptFrom {
  /** CBC state before this body: `{ chain: iv, pending: '' }` for a fresh object. */
  state: CbcState;
  /** Prefix the body with the IV (a whole object, or part 1). */
  prefix?: Uint8Array | undefined;
  /** Pad and finish (a whole object, or the last part). */
  final: boolean;
  /** Also compute the MD5 of the encrypted body (for Content-MD5). */
  md5: boolean;
}

export interface EncryptedBody {
  body: PreparedBody;
  /** Base64 MD5 of what is sent, when asked for. */
  contentMd5?: string;
  /** Base64 MD5 and length of the plaintext (x-kss-meta-unencrypted-*). */
  plainMd5: string;
  plainLength: number;
  /** The state after this body, for the next part. */
  next: CbcState;
}

async function* chunksOf(data: Uint8Array | Blob | BodySource): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    // 4 MiB per WebCrypto call keeps throughput near one-shot speed without a second
    // body-sized copy inside the engine (platform-notes.md §4).
    for (let i = 0; i < data.length; i += 1 << 22) yield data.subarray(i, i + (1 << 22));
    return;
  }
  const reader = data.stream().getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) yield r.value;
}

/**
 * Runs the cipher over the plaintext once, yielding the output (IV prefix, blocks, padded final
 * block); `state.next` receives the CBC state after the last whole block. CBC encryption is
 * sequential, but hashing is not: chunk N+1 is handed to WebCrypto (which works on its own
 * thread) before chunk N's output is yielded and before N+1's plaintext is hashed, so the
 * caller's hashing overlaps the cipher.
 */
async function* cipher(
  codec: Codec,
  data: Uint8Array | Blob | BodySource,
  from: EncryptFrom,
  state: { next?: CbcState },
  plain?: (c: Uint8Array) => void,
): AsyncGenerator<Uint8Array> {
  const enc = resumeCbcEncryptor(codec.key, from.state);
  if (from.prefix) yield from.prefix;
  let pending: Promise<Uint8Array> | undefined;
  for await (const chunk of chunksOf(data)) {
    const ready = pending && (await pending);
    pending = enc.update(chunk);
    plain?.(chunk);
    if (ready) yield ready;
  }
  if (pending) yield await pending;
  state.next = enc.state();
  if (from.final) yield await enc.final();
}

/** Hashes a Blob or body source without encrypting it. */
async function hashOnly(data: Blob | BodySource, hash: Hasher): Promise<void> {
  for await (const chunk of chunksOf(data)) hash.update(chunk);
}

/**
 * Encrypts a prepared plaintext body from a CBC state.
 * @throws {Ks3InputError} (`body`) when a non-final body is not a multiple of 16 bytes.
 */
export async function encryptBody(codec: Codec, plain: PreparedBody, from: EncryptFrom): Promise<EncryptedBody> {
  let data = plain.data;
  // One-shot streams must be read whole to be hashed before sending; small Blobs and files are
  // read into memory too, so that they are encrypted once instead of twice.
  if (data instanceof ReadableStream || (!(data instanceof Uint8Array) && data.size <= IN_MEMORY)) {
    data =
      data instanceof ReadableStream
        ? await readAllBytes(data, plain.size)
        : await readAllBytes(data.stream(), data.size);
  }
  const size = data instanceof Uint8Array ? data.length : data.size;
  const plainHash = codec.md5();
  const bodyHash = from.md5 ? codec.md5() : undefined;
  const outLength = (from.prefix?.length ?? 0) + (from.final ? ks3CiphertextLength(size) : size);

  const state: { next?: CbcState } = {};
  let body: PreparedBody;
  if (data instanceof Uint8Array) {
    // In memory: encrypt once into the body we send.
    const out = new Uint8Array(outLength);
    let o = 0;
    for await (const c of cipher(codec, data, from, state, (p) => plainHash.update(p))) {
      out.set(c, o);
      o += c.length;
      bodyHash?.update(c);
    }
    body = { data: out, size: out.length, replayable: true };
  } else {
    if (!bodyHash && from.final) {
      // A large Blob or file, no Content-MD5: hash the plaintext now, encrypt once while sending.
      await hashOnly(data, plainHash);
      state.next = from.state; // unused: a final body has no next part
    } else {
      // A large Blob or file: hash (and find the chain state) now, encrypt again while sending.
      for await (const c of cipher(codec, data, from, state, (p) => plainHash.update(p))) bodyHash?.update(c);
    }
    body = { data: replay(codec, data, from, outLength), size: outLength, replayable: true };
  }
  const next = state.next!;
  if (!from.final && next.pending !== '')
    throw new Ks3InputError('body', 'every encrypted part but the last must be a multiple of 16 bytes');
  return {
    body,
    plainMd5: toBase64(plainHash.digest()),
    plainLength: size,
    next,
    ...(bodyHash ? { contentMd5: toBase64(bodyHash.digest()) } : {}),
  };
}

/** A body source that encrypts `source` afresh each time it is read (each attempt). */
function replay(codec: Codec, source: Blob | BodySource, from: EncryptFrom, size: number): BodySource {
  return {
    size,
    stream: () => {
      const gen = cipher(codec, source, from, {});
      return new ReadableStream<Uint8Array>(
        {
          async pull(c) {
            const r = await gen.next();
            if (r.done) c.close();
            else c.enqueue(r.value);
          },
          async cancel() {
            await gen.return(undefined);
          },
        },
        { highWaterMark: 0 },
      );
    },
  };
}

/** The state that starts a fresh object with `iv`. */
export const initialState = (iv: Uint8Array): CbcState => ({ chain: toBase64(iv), pending: '' });
