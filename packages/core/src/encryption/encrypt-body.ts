/**
 * Encrypting a body (a whole object or one multipart part) in KS3's format. A body already in
 * memory is encrypted once; a Blob or file is streamed twice with the same IV (once to hash,
 * once to send: CBC is deterministic), so memory stays bounded and retries can resend it.
 */
import { toBase64 } from '../bytes.js';
import { resumeCbcEncryptor, type CbcState } from '../crypto/aes-cbc.js';
import { ks3CiphertextLength } from '../crypto/padding.js';
import { readAllBytes, type BodySource, type PreparedBody } from '../request/body.js';
import type { Codec } from './codec.js';

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
    // body-sized copy inside the engine (toolchain.md §4).
    for (let i = 0; i < data.length; i += 1 << 22) yield data.subarray(i, i + (1 << 22));
    return;
  }
  const reader = data.stream().getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) yield r.value;
}

/**
 * Runs the cipher over the plaintext once, yielding the output (IV prefix, blocks, padded final
 * block); `state.next` receives the CBC state after the last whole block.
 */
async function* cipher(codec: Codec, data: Uint8Array | Blob | BodySource, from: EncryptFrom, state: { next?: CbcState }, plain?: (c: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  const enc = resumeCbcEncryptor(codec.key, from.state);
  if (from.prefix) yield from.prefix;
  for await (const chunk of chunksOf(data)) {
    plain?.(chunk);
    yield await enc.update(chunk);
  }
  state.next = enc.state();
  if (from.final) yield await enc.final();
}

/**
 * Encrypts a prepared plaintext body from a CBC state.
 * @throws {Ks3IntegrityError} when a non-final body is not a multiple of 16 bytes.
 */
export async function encryptBody(codec: Codec, plain: PreparedBody, from: EncryptFrom): Promise<EncryptedBody> {
  let data = plain.data;
  if (data instanceof ReadableStream) data = await readAllBytes(data, plain.size);
  const size = data instanceof Uint8Array ? data.length : data.size;
  const plainHash = codec.md5();
  const bodyHash = from.md5 ? codec.md5() : undefined;
  const outLength = (from.prefix?.length ?? 0) + (from.final ? ks3CiphertextLength(size) : size);

  const state: { next?: CbcState } = {};
  let body: PreparedBody;
  if (data instanceof Uint8Array) {
    // In memory already: encrypt once into the body we send.
    const out = new Uint8Array(outLength);
    let o = 0;
    for await (const c of cipher(codec, data, from, state, (p) => plainHash.update(p))) {
      out.set(c, o);
      o += c.length;
    }
    bodyHash?.update(out);
    body = { data: out, size: out.length, replayable: true };
  } else {
    // A Blob or file: hash now, encrypt again while sending (and on each retry).
    for await (const c of cipher(codec, data, from, state, (p) => plainHash.update(p))) bodyHash?.update(c);
    const source = data;
    const replay: BodySource = {
      size: outLength,
      stream: () => {
        const gen = cipher(codec, source, from, {});
        return new ReadableStream<Uint8Array>({
          async pull(c) {
            const r = await gen.next();
            if (r.done) c.close();
            else c.enqueue(r.value);
          },
          async cancel() {
            await gen.return(undefined);
          },
        }, { highWaterMark: 0 });
      },
    };
    body = { data: replay, size: outLength, replayable: true };
  }
  const next = state.next!;
  if (!from.final && next.pending !== '') throw new TypeError('[ks3] every encrypted part but the last must be a multiple of 16 bytes');
  return { body, plainMd5: toBase64(plainHash.digest()), plainLength: size, next, ...(bodyHash ? { contentMd5: toBase64(bodyHash.digest()) } : {}) };
}

/** The state that starts a fresh object with `iv`. */
export const initialState = (iv: Uint8Array): CbcState => ({ chain: toBase64(iv), pending: '' });
