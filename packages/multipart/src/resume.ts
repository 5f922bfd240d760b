/**
 * Resuming from a checkpoint: check that it belongs to this object, this source and this key,
 * then keep the recorded parts the server still has (with the same ETag); the others are sent
 * again. Loaded only when an upload resumes.
 */
import {
  isKs3ServiceError,
  Ks3InputError,
  listAllParts,
  type Client,
  type Ks3ErrorContext,
  type PartEncryptionState,
} from '@ks3/core';
import { keyFingerprint } from '@ks3/core/crypto';
import type { Hasher } from '@ks3/core';
import type { CheckpointPart, CheckpointSource, UploadCheckpoint } from './checkpoint.js';
import { MAX_PARTS } from './limits.js';
import { describeSource, type Source } from './source.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isState = (v: unknown): v is PartEncryptionState =>
  isObj(v) && typeof v.iv === 'string' && typeof v.chain === 'string' && isInt(v.offset, 0);

/**
 * Checks that a value is a well-formed checkpoint (not that it matches anything).
 * @throws {Ks3InputError} naming the first malformed field.
 */
export function checkCheckpoint(cp: unknown, ctx: Ks3ErrorContext): UploadCheckpoint {
  const bad = (what: string): never => {
    throw new Ks3InputError('resume', `is not an upload checkpoint (${what})`, ctx);
  };
  if (!isObj(cp)) return bad('not an object');
  if (cp.version !== 1) bad(`version ${String(cp.version)}; this SDK reads version 1`);
  for (const f of ['bucket', 'key', 'uploadId'] as const) if (typeof cp[f] !== 'string' || !cp[f]) bad(f);
  if (!isInt(cp.partSize, 1)) bad('partSize');
  if (cp.size !== undefined && !isInt(cp.size, 0)) bad('size');
  if (!isObj(cp.source)) bad('source');
  const enc = cp.encryption;
  if (enc !== undefined && !(isObj(enc) && typeof enc.fingerprint === 'string' && isState(enc.initial)))
    bad('encryption');
  if (!Array.isArray(cp.parts) || cp.parts.length > MAX_PARTS) bad('parts');
  for (const p of cp.parts as unknown[]) {
    if (
      !isObj(p) ||
      !isInt(p.partNumber, 1) ||
      p.partNumber > MAX_PARTS ||
      typeof p.etag !== 'string' ||
      !isInt(p.size, 0)
    )
      bad('a part');
    if (enc !== undefined && !isState((p as Record<string, unknown>).encryptionState))
      bad(`part ${String((p as CheckpointPart).partNumber)} has no encryptionState`);
  }
  return cp as unknown as UploadCheckpoint;
}

const unquote = (etag: string): string => etag.replace(/"/g, '');

/**
 * Validates `input` against the upload and returns the checkpoint, the parts to keep and the
 * source's description.
 * @throws {Ks3InputError} when the checkpoint is malformed, names another object, the source
 * differs (size, name, date or sample), the key differs, the source is a one-shot stream, or the
 * upload no longer exists on the server.
 */
export async function prepareResume(
  client: Client,
  input: unknown,
  o: { bucket: string; key: string; encrypted: boolean; signal: AbortSignal },
  src: Source,
  md5: () => Hasher,
  ctx: Ks3ErrorContext,
): Promise<{ cp: UploadCheckpoint; done: Map<number, CheckpointPart>; source: CheckpointSource }> {
  const cp = checkCheckpoint(input, ctx);
  const fail = (msg: string, cause?: unknown): never => {
    throw new Ks3InputError('resume', msg, { ...ctx, cause });
  };
  if (cp.bucket !== o.bucket || cp.key !== o.key)
    fail(`the checkpoint is for ${cp.bucket}/${cp.key}, not ${o.bucket}/${o.key}`);
  if (!src.rereadable)
    fail(
      'a ReadableStream cannot be resumed after a restart (its bytes cannot be read again): upload a Blob, a File or a file path to resume, or pause/resume within one process',
    );
  if (src.size !== cp.size) fail(`the source has ${src.size} bytes but the checkpoint was made for ${cp.size}`);
  const was = cp.source;
  for (const f of ['name', 'lastModified'] as const) {
    if (was[f] !== undefined && src[f] !== undefined && was[f] !== src[f])
      fail(`the source's ${f} is ${String(src[f])}, the checkpoint's ${String(was[f])}`);
  }
  const source = await describeSource(src, md5);
  if (was.sample !== undefined && was.sample !== source.sample)
    fail('the source does not start with the same bytes as when the checkpoint was made');
  if (o.encrypted !== (cp.encryption !== undefined))
    fail(
      o.encrypted
        ? 'the checkpoint is for a plain upload but this one encrypts'
        : 'the checkpoint is for an encrypted upload: use a client with the same encryption key',
    );
  if (cp.encryption && cp.encryption.fingerprint !== keyFingerprint(client.encryption!.rawKey()))
    fail("the client's encryption key is not the one the upload started with");
  const count = Math.max(1, Math.ceil(cp.size! / cp.partSize));
  const done = new Map<number, CheckpointPart>();
  for (const p of cp.parts) {
    const expected =
      p.partNumber < count ? cp.partSize : p.partNumber === count ? cp.size! - (count - 1) * cp.partSize : -1;
    if (p.size !== expected) fail(`part ${p.partNumber} has ${p.size} bytes, not the ${expected} its part size gives`);
    done.set(p.partNumber, p);
  }
  const onServer = new Map<number, string>();
  try {
    for await (const p of listAllParts(client, {
      bucket: o.bucket,
      key: o.key,
      uploadId: cp.uploadId,
      signal: o.signal,
    }))
      onServer.set(p.partNumber, unquote(p.etag));
  } catch (e) {
    if (isKs3ServiceError(e) && e.code === 'NoSuchUpload')
      fail(
        `upload ${cp.uploadId} no longer exists (completed, aborted or expired): start over without the checkpoint`,
        e,
      );
    throw e;
  }
  for (const [n, p] of done) if (onServer.get(n) !== unquote(p.etag)) done.delete(n);
  return { cp, done, source };
}
