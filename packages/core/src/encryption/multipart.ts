/**
 * Encrypted multipart uploads (ks3-protocol.md §6.6): the parts are one CBC chain, part 1
 * starting with the IV and the last part padded. Unlike the reference, the chain lives in a
 * small JSON value the caller keeps, so any part can be encrypted again (and retried) alone,
 * in this process or after a restart, and parts can be uploaded in parallel once encrypted.
 */
import { fromBase64, toBase64 } from '../bytes.js';
import { generateIv } from '../crypto/aes-cbc.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import type { PreparedBody } from '../request/body.js';
import { codecOf } from './codec.js';
import { encryptBody, type SentMd5 } from './encrypt-body.js';
import type { EncryptionHandle } from './handle.js';

/**
 * Where an encrypted multipart upload stands before a part: plain JSON, no key material.
 * `chain` is the Base64 block the next part chains from (the IV before part 1).
 */
export interface PartEncryptionState {
  readonly iv: string;
  readonly chain: string;
  /** Plaintext bytes encrypted by the parts before (0 before part 1). */
  readonly offset: number;
}

/** The headers that make the final object decryptable, and the state before part 1. */
export async function beginEncryptedUpload(
  handle: EncryptionHandle,
): Promise<{ headers: Record<string, string>; state: PartEncryptionState }> {
  const codec = await codecOf(handle);
  const iv = toBase64(generateIv());
  return { headers: { 'x-kss-meta-key': codec.fingerprint, 'x-kss-meta-iv': iv }, state: { iv, chain: iv, offset: 0 } };
}

function checkState(s: PartEncryptionState, ctx: Ks3ErrorContext): Uint8Array {
  let ok =
    typeof s === 'object' && s !== null && Number.isSafeInteger(s.offset) && s.offset >= 0 && s.offset % 16 === 0;
  let iv: Uint8Array | undefined;
  try {
    iv = ok ? fromBase64(s.iv) : undefined;
    ok &&= iv!.length === 16 && fromBase64(s.chain).length === 16;
  } catch {
    ok = false;
  }
  if (!ok)
    throw new Ks3InputError(
      'encryption.state',
      'is not a state returned by initiateMultipartUpload or a previous encrypted part',
      ctx,
    );
  return iv!;
}

/** One encrypted part, ready to send. */
export interface EncryptedPart {
  body: PreparedBody;
  /** Content-MD5 (when enabled) and the part's unencrypted MD5 and length headers. */
  headers: Record<string, string>;
  /** The state before the next part. */
  next: PartEncryptionState;
  /** With `checkEtag`: the MD5 of what was sent, to compare with the part's ETag. */
  sentMd5?: SentMd5 | undefined;
}

/**
 * Encrypts one part from `state`. Every part but the last must be a non-empty multiple of
 * 16 bytes; the last is padded.
 * @throws {Ks3InputError} for a malformed state or a misaligned non-final part.
 */
export async function encryptPartBody(
  handle: EncryptionHandle,
  state: PartEncryptionState,
  plain: PreparedBody,
  isLastPart: boolean,
  md5: boolean,
  ctx: Ks3ErrorContext,
  checkEtag = false,
  plainMd5 = true,
): Promise<EncryptedPart> {
  const iv = checkState(state, ctx);
  if (plain.size !== undefined && (plain.size === 0 || (!isLastPart && plain.size % 16 !== 0))) {
    throw new Ks3InputError(
      'body',
      `an encrypted part must be non-empty and, unless it is the last part, a multiple of 16 bytes (got ${plain.size})`,
      ctx,
    );
  }
  const codec = await codecOf(handle);
  const e = await encryptBody(codec, plain, {
    state: { chain: state.chain, pending: '' },
    prefix: state.offset === 0 ? iv : undefined,
    final: isLastPart,
    md5,
    checkEtag,
    plainMd5,
  });
  return {
    body: e.body,
    headers: {
      ...(e.contentMd5 ? { 'content-md5': e.contentMd5 } : {}),
      ...(e.plainMd5 ? { 'x-kss-meta-unencrypted-content-md5': e.plainMd5 } : {}),
      'x-kss-meta-unencrypted-content-length': String(e.plainLength),
    },
    next: { iv: state.iv, chain: e.next.chain, offset: state.offset + e.plainLength },
    ...(e.sentMd5 ? { sentMd5: e.sentMd5 } : {}),
  };
}
