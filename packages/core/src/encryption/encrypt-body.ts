/**
 * Encrypting a body (a whole object or one multipart part) in KS3's format. A body already in
 * memory is encrypted once, into the body sent. A large Blob or file that ends the object (a
 * single PUT, or a last part) is read once to hash its plaintext (its MD5 goes in a header, so
 * it must be known before the first byte is sent) and encrypted once, while it is sent: the MD5
 * of that ciphertext is computed as it goes and checked against the ETag KS3 answers (issue
 * 14.2), instead of a second encryption pass for Content-MD5. A large non-final part is still
 * read twice (the chain state after it is needed before it is sent). Bodies stay bounded in
 * memory, and retries encrypt again from the same state (CBC is deterministic).
 */
import { concatBytes, toBase64, toHex } from '../bytes.js';
import { platformCipher } from '../crypto/cipher.js';
import { Ks3InputError } from '../errors.js';
import { resumeCbcEncryptor, type CbcState } from '../crypto/aes-cbc.js';
import { ks3CiphertextLength } from '../crypto/padding.js';
import { readAllBytes, type BodySource, type PreparedBody } from '../request/body.js';
import type { Codec } from './codec.js';

/** Blobs and files up to this size are read and encrypted in memory; larger ones are streamed. */
const IN_MEMORY = 8 << 20;

/** Where a chained encryption starts. */
export interface EncryptFrom {
  /** CBC state before this body: `{ chain: iv, pending: '' }` for a fresh object. */
  state: CbcState;
  /** Prefix the body with the IV (a whole object, or part 1). */
  prefix?: Uint8Array | undefined;
  /** Pad and finish (a whole object, or the last part). */
  final: boolean;
  /** Also compute the MD5 of the encrypted body (for Content-MD5, or the ETag check). */
  md5: boolean;
  /**
   * The caller sends the body itself and checks the ETag against `sentMd5` afterwards: a large
   * final Blob or file is then encrypted once, while it is sent.
   */
  checkEtag?: boolean;
  /** Hash the plaintext for x-kss-meta-unencrypted-content-md5 (default true). */
  plainMd5?: boolean;
}

/** The MD5 of the encrypted body as the last attempt sent it, to check against the ETag. */
export interface SentMd5 {
  /**
   * Lower-case hex of the last attempt's body once all of it was handed to fetch (undefined if
   * it was not). The server may answer as soon as it has the bytes, before fetch reads the end of
   * the stream: the digest is then finished here, so the answer never races the hash.
   */
  hex(): Promise<string | undefined>;
}

export interface EncryptedBody {
  body: PreparedBody;
  /** Base64 MD5 of what is sent, when asked for and known before sending. */
  contentMd5?: string;
  /** When asked for but only known while sending: check it against the ETag. */
  sentMd5?: SentMd5;
  /** Base64 MD5 (unless not asked for) and length of the plaintext (x-kss-meta-unencrypted-*). */
  plainMd5: string | undefined;
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

/** A running MD5: in the client's pool when it has one (elsewhere, async), else its hasher. */
interface Md5Run {
  update(bytes: Uint8Array): unknown;
  digest(): Promise<Uint8Array> | Uint8Array;
  cancel?(): void;
}

/** Hashes a Blob or body source without encrypting it. */
async function hashOnly(data: Blob | BodySource, hash: Md5Run): Promise<Uint8Array> {
  try {
    for await (const chunk of chunksOf(data)) await hash.update(chunk);
    return await hash.digest();
  } catch (e) {
    hash.cancel?.();
    throw e;
  }
}

/** The plaintext's MD5, in the client's pool if it has one; here if the pool fails. */
async function hashPlain(codec: Codec, data: Blob | BodySource): Promise<Uint8Array> {
  if (codec.pool) {
    try {
      return await hashOnly(data, codec.pool.session());
    } catch {
      // A pool that fails (a worker died) is no reason to fail the upload: hash here instead.
    }
  }
  return hashOnly(data, codec.md5());
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
  const outLength = (from.prefix?.length ?? 0) + (from.final ? ks3CiphertextLength(size) : size);
  if (!(data instanceof Uint8Array) && from.final && (from.checkEtag || !from.md5)) {
    // One pass of the cipher: hash the plaintext now, encrypt (and hash what is sent) while sending.
    const plainMd5 = from.plainMd5 === false ? undefined : toBase64(await hashPlain(codec, data));
    const sent = from.md5 ? sentMd5(outLength) : undefined;
    return {
      body: { data: replay(codec, data, from, outLength, sent), size: outLength, replayable: true },
      plainMd5,
      plainLength: size,
      next: from.state, // unused: a final body has no next part
      ...(sent ? { sentMd5: sent.result } : {}),
    };
  }
  const plainHash = from.plainMd5 === false ? undefined : codec.md5();
  const bodyHash = from.md5 ? codec.md5() : undefined;
  const state: { next?: CbcState } = {};
  let body: PreparedBody;
  if (data instanceof Uint8Array && platformCipher(codec.key)) {
    // In memory with a platform cipher: one call over the whole body (no per-call cost to
    // spread), whose output is the body itself unless an IV or a pad block goes around it.
    const enc = resumeCbcEncryptor(codec.key, from.state);
    plainHash?.update(data);
    const blocks = await enc.update(data);
    state.next = enc.state();
    const pieces = [from.prefix, blocks, from.final ? await enc.final() : undefined].filter((p) => p !== undefined);
    const out = pieces.length === 1 ? pieces[0]! : concatBytes(pieces);
    bodyHash?.update(out);
    body = { data: out, size: out.length, replayable: true };
  } else if (data instanceof Uint8Array) {
    // In memory: encrypt once into the body we send.
    const out = new Uint8Array(outLength);
    let o = 0;
    for await (const c of cipher(codec, data, from, state, (p) => plainHash?.update(p))) {
      out.set(c, o);
      o += c.length;
      bodyHash?.update(c);
    }
    body = { data: out, size: out.length, replayable: true };
  } else {
    // A large Blob or file, not the last part (or one whose Content-MD5 is wanted up front):
    // hash and find the chain state now, encrypt again while sending.
    for await (const c of cipher(codec, data, from, state, (p) => plainHash?.update(p))) bodyHash?.update(c);
    body = { data: replay(codec, data, from, outLength), size: outLength, replayable: true };
  }
  const next = state.next!;
  if (!from.final && next.pending !== '')
    throw new Ks3InputError('body', 'every encrypted part but the last must be a multiple of 16 bytes');
  return {
    body,
    plainMd5: plainHash && toBase64(plainHash.digest()),
    plainLength: size,
    next,
    ...(bodyHash ? { contentMd5: toBase64(bodyHash.digest()) } : {}),
  };
}

/** Tracks the MD5 of each attempt's body of `size` bytes; `result` tells the last complete one. */
function sentMd5(size: number): {
  start(h: Md5Run): void;
  update(h: Md5Run, bytes: Uint8Array): Promise<void>;
  end(h: Md5Run): Promise<void>;
  result: SentMd5;
} {
  let current: Md5Run | undefined;
  let counted = 0;
  let last: string | undefined;
  let ending: Promise<void> | undefined;
  // Once per attempt, whoever comes first: the stream's end, or the check after the answer.
  const end = (h: Md5Run): Promise<void> => {
    if (h !== current) return Promise.resolve();
    ending ??= (async () => {
      const digest = toHex(await h.digest());
      // Only the latest attempt counts: an older one that somehow finished later does not.
      if (h === current) {
        last = digest;
        current = undefined;
      }
    })();
    return ending;
  };
  return {
    start(h) {
      current?.cancel?.();
      current = h;
      counted = 0;
      last = undefined;
      ending = undefined;
    },
    async update(h, bytes) {
      await h.update(bytes);
      if (h === current) counted += bytes.length;
    },
    end,
    result: {
      async hex() {
        if (last === undefined && current && counted === size) await end(current);
        return last;
      },
    },
  };
}

/**
 * A body source that encrypts `source` afresh each time it is read (each attempt), hashing what
 * it emits into `sent` when given.
 */
function replay(
  codec: Codec,
  source: Blob | BodySource,
  from: EncryptFrom,
  size: number,
  sent?: ReturnType<typeof sentMd5>,
): BodySource {
  // A pool that fails fails that attempt (the bytes it hashed are lost), and the attempts after
  // it hash here: the request pipeline retries a body that can be read again.
  let pool = codec.pool;
  return {
    size,
    stream: () => {
      const gen = cipher(codec, source, from, {});
      const inPool = sent !== undefined && pool !== undefined;
      const hash: Md5Run | undefined = sent && (pool ? pool.session() : codec.md5());
      if (hash) sent!.start(hash);
      return new ReadableStream<Uint8Array>(
        {
          async pull(c) {
            const r = await gen.next();
            try {
              if (r.done && hash) await sent!.end(hash);
              else if (hash) await sent!.update(hash, r.value!);
            } catch (e) {
              if (inPool) pool = undefined;
              throw e;
            }
            if (r.done) c.close();
            else c.enqueue(r.value);
          },
          async cancel() {
            hash?.cancel?.();
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
