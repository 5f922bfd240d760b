/**
 * Resuming from a checkpoint: check that it belongs to this object, this source and this key,
 * then keep the recorded parts the server still has (with the same ETag); the others are sent
 * again. A checkpoint the source no longer matches is stale: its upload is aborted and the
 * checkpoint cleared (unless the caller keeps them), then the upload fails or starts over.
 * Loaded only when an upload resumes.
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
import { abortUpload } from './recovery.js';
import { describeSource, type Source } from './source.js';
import type { CheckpointStore } from './types.js';

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

/** A checkpoint that no longer fits the source or the server: its upload cannot be resumed. */
export interface StaleCheckpoint {
  cp: UploadCheckpoint;
  /** Why, as a sentence fragment. */
  stale: string;
  /** The upload no longer exists on the server. */
  gone?: boolean;
  cause?: unknown;
}

/** A checkpoint that can be resumed: the parts to keep and the source's description. */
export interface ResumePlan {
  cp: UploadCheckpoint;
  done: Map<number, CheckpointPart>;
  source: CheckpointSource;
}

const when = (ms: number | undefined): string =>
  ms !== undefined && Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);

/**
 * Validates `input` against the upload. Returns the plan, or the reason the checkpoint is
 * stale: the source changed (size, name, date or first bytes), its parts do not fit its part
 * size, or the upload no longer exists on the server.
 * @throws {Ks3InputError} when the checkpoint is malformed or cannot apply to this call at all:
 * it names another object, the source is a one-shot stream, or the client's encryption differs.
 */
export async function prepareResume(
  client: Client,
  input: unknown,
  o: { bucket: string; key: string; encrypted: boolean; signal: AbortSignal },
  src: Source,
  md5: () => Hasher,
  ctx: Ks3ErrorContext,
): Promise<ResumePlan | StaleCheckpoint> {
  const cp = checkCheckpoint(input, ctx);
  const fail = (msg: string): never => {
    throw new Ks3InputError('resume', msg, ctx);
  };
  if (cp.bucket !== o.bucket || cp.key !== o.key)
    fail(`the checkpoint is for ${cp.bucket}/${cp.key}, not ${o.bucket}/${o.key}`);
  if (!src.rereadable)
    fail(
      'a ReadableStream cannot be resumed after a restart (its bytes cannot be read again): upload a Blob, a File or a file path to resume, or pause/resume within one process',
    );
  if (o.encrypted !== (cp.encryption !== undefined))
    fail(
      o.encrypted
        ? 'the checkpoint is for a plain upload but this one encrypts'
        : 'the checkpoint is for an encrypted upload: use a client with the same encryption key',
    );
  if (cp.encryption && cp.encryption.fingerprint !== keyFingerprint(client.encryption!.rawKey()))
    fail("the client's encryption key is not the one the upload started with");
  const stale = (why: string, extra: Partial<StaleCheckpoint> = {}): StaleCheckpoint => ({ cp, stale: why, ...extra });
  if (src.size !== cp.size) return stale(`the source has ${src.size} bytes but the checkpoint was made for ${cp.size}`);
  const was = cp.source;
  if (was.name !== undefined && src.name !== undefined && was.name !== src.name)
    return stale(`the source is named ${src.name}, but the checkpoint records ${was.name}`);
  if (was.lastModified !== undefined && src.lastModified !== undefined && was.lastModified !== src.lastModified)
    return stale(
      `the source was last modified at ${when(src.lastModified)}, but the checkpoint records ${when(was.lastModified)}`,
    );
  const source = await describeSource(src, md5);
  if (was.sample !== undefined && was.sample !== source.sample)
    return stale('the source does not start with the same bytes as when the checkpoint was made');
  const count = Math.max(1, Math.ceil(cp.size! / cp.partSize));
  const done = new Map<number, CheckpointPart>();
  for (const p of cp.parts) {
    const expected =
      p.partNumber < count ? cp.partSize : p.partNumber === count ? cp.size! - (count - 1) * cp.partSize : -1;
    if (p.size !== expected)
      return stale(`part ${p.partNumber} has ${p.size} bytes, not the ${expected} its part size gives`);
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
      return stale(`upload ${cp.uploadId} no longer exists (completed, aborted or expired)`, { gone: true, cause: e });
    throw e;
  }
  for (const [n, p] of done) if (onServer.get(n) !== unquote(p.etag)) done.delete(n);
  return { cp, done, source };
}

/** What to do with a checkpoint that cannot be resumed (see `UploadOptions.onResumeMismatch`). */
export type ResumeMismatchPolicy = 'fail' | 'restart' | 'keep';

/**
 * Deals with a stale checkpoint: unless the policy is `keep`, aborts its upload on the server
 * and clears the checkpoint store. Returns what was done, as a sentence fragment for the error.
 */
export async function discardStale(
  client: Client,
  s: StaleCheckpoint,
  policy: ResumeMismatchPolicy,
  store: CheckpointStore | undefined,
): Promise<string> {
  const { uploadId } = s.cp;
  if (policy === 'keep') return `upload ${uploadId} and the checkpoint were kept (onResumeMismatch: 'keep')`;
  const done: string[] = [];
  if (!s.gone) {
    try {
      const r = await abortUpload(client, { bucket: s.cp.bucket, key: s.cp.key }, uploadId);
      done.push(r === 'aborted' ? `aborted upload ${uploadId} on the server` : `upload ${uploadId} was gone already`);
    } catch (e) {
      done.push(`could not abort upload ${uploadId} on the server (${(e as { code?: string }).code ?? 'error'})`);
    }
  }
  if (store) {
    try {
      await store.clear();
      done.push('removed the checkpoint');
    } catch {
      done.push('could not remove the checkpoint');
    }
  } else done.push('discard the checkpoint (it came from the resume option)');
  return done.join(', ');
}
