/** The encrypted form of a Put Object (ks3-protocol.md §6.3–6.4); loaded on first use. */
import { toBase64 } from '../bytes.js';
import { Ks3IntegrityError, type Ks3ErrorContext } from '../errors.js';
import { generateIv } from '../crypto/aes-cbc.js';
import { readAllBytes, type PreparedBody } from '../request/body.js';
import { codecOf } from './codec.js';
import { encryptBody, initialState, type SentMd5 } from './encrypt-body.js';
import type { EncryptionHandle } from './handle.js';

/**
 * Encrypts a whole-object body: `IV || AES-CBC(P || pad)` with the metadata headers of §6.4.
 * An empty body is sent as it is, unencrypted, as the reference does (§6.8 item 2). A large Blob
 * or file gets no Content-MD5: `sentMd5` is then the MD5 of what was sent, for the ETag check.
 */
export async function encryptForPut(
  handle: EncryptionHandle,
  plain: PreparedBody,
  contentMd5: boolean,
): Promise<{ body: PreparedBody; headers: Record<string, string>; sentMd5?: SentMd5 }> {
  if (plain.data instanceof ReadableStream) {
    // A one-shot stream must be read whole to be hashed before sending.
    const bytes = await readAllBytes(plain.data, plain.size);
    plain = { data: bytes, size: bytes.length, replayable: true };
  }
  if (plain.size === 0) return { body: plain, headers: { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' } };
  const codec = await codecOf(handle);
  const iv = generateIv();
  const from = { state: initialState(iv), prefix: iv, final: true, md5: contentMd5, checkEtag: true };
  const e = await encryptBody(codec, plain, from);
  return {
    body: e.body,
    headers: {
      'x-kss-meta-key': codec.fingerprint,
      'x-kss-meta-iv': toBase64(iv),
      'x-kss-meta-unencrypted-content-md5': e.plainMd5!,
      'x-kss-meta-unencrypted-content-length': String(e.plainLength),
      ...(e.contentMd5 ? { 'content-md5': e.contentMd5 } : {}),
    },
    ...(e.sentMd5 ? { sentMd5: e.sentMd5 } : {}),
  };
}

/**
 * The ETag check of a large encrypted PUT sent without Content-MD5: KS3's ETag of a single PUT is
 * the MD5 of the stored body, so it must equal the MD5 of what was sent. On a mismatch the stored
 * object (that version, in a versioned bucket) is deleted and the upload fails; an ETag that is
 * not an MD5 (not KS3's) cannot be compared and is accepted, as for multipart parts. `remove`
 * deletes the stored object; it comes from putObject, so that this lazily loaded module does
 * not pull the request pipeline into a chunk shared with every bundle.
 * @throws {Ks3IntegrityError} on a mismatch, saying whether the object was deleted.
 */
export async function checkSentMd5(
  ctx: Ks3ErrorContext,
  etag: string,
  sent: SentMd5,
  remove: () => Promise<unknown>,
): Promise<void> {
  const got = etag.replace(/"/g, '').toLowerCase();
  const want = await sent.hex();
  if (want !== undefined && (got === want || !/^[0-9a-f]{32}$/.test(got))) return;
  let outcome = 'it was deleted';
  try {
    await remove();
  } catch (e) {
    outcome = `deleting it failed too (${e instanceof Error ? e.message : String(e)}): delete it yourself`;
  }
  const what = want === undefined ? 'the body was not sent to its end' : `the MD5 of the encrypted body is ${want}`;
  throw new Ks3IntegrityError(`KS3 stored an object whose ETag is ${etag} but ${what}; ${outcome}`, ctx);
}
