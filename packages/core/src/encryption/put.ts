/** The encrypted form of a Put Object (ks3-protocol.md §6.3–6.4); loaded on first use. */
import { toBase64 } from '../bytes.js';
import { generateIv } from '../crypto/aes-cbc.js';
import { readAllBytes, type PreparedBody } from '../request/body.js';
import { codecOf } from './codec.js';
import { encryptBody, initialState } from './encrypt-body.js';
import type { EncryptionHandle } from './handle.js';

/**
 * Encrypts a whole-object body: `IV || AES-CBC(P || pad)` with the metadata headers of §6.4.
 * An empty body is sent as it is, unencrypted, as the reference does (§6.8 item 2).
 */
export async function encryptForPut(
  handle: EncryptionHandle,
  plain: PreparedBody,
  contentMd5: boolean,
): Promise<{ body: PreparedBody; headers: Record<string, string> }> {
  if (plain.data instanceof ReadableStream) {
    // A one-shot stream must be read whole to be hashed before sending.
    const bytes = await readAllBytes(plain.data, plain.size);
    plain = { data: bytes, size: bytes.length, replayable: true };
  }
  if (plain.size === 0) return { body: plain, headers: { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' } };
  const codec = await codecOf(handle);
  const iv = generateIv();
  const e = await encryptBody(codec, plain, { state: initialState(iv), prefix: iv, final: true, md5: contentMd5 });
  return {
    body: e.body,
    headers: {
      'x-kss-meta-key': codec.fingerprint,
      'x-kss-meta-iv': toBase64(iv),
      'x-kss-meta-unencrypted-content-md5': e.plainMd5,
      'x-kss-meta-unencrypted-content-length': String(e.plainLength),
      ...(e.contentMd5 ? { 'content-md5': e.contentMd5 } : {}),
    },
  };
}
