/**
 * One multipart upload, start to end: initiate (or continue a checkpoint's upload), send the
 * parts, complete. Whatever fails, nothing is left behind unless asked: the upload is aborted
 * (through faults), an upload whose Initiate answer was lost is found and adopted or aborted, and
 * a Complete whose answer was lost is checked against the object before it is called a failure.
 */
import { type Client, isKs3InputError, type PartEncryptionState } from '@ks3/core';
import { type CheckpointPart, type CheckpointSource, snapshot, type UploadCheckpoint } from './checkpoint.js';
import type { Control } from './control.js';
import { partJobs, type JobContext, type PartJob } from './jobs.js';
import { completeSafely } from './finish.js';
import { initiateSafely, type Window } from './initiate.js';
import { createProgress, type Progress } from './progress.js';
import { pump } from './pump.js';
import type { ResumePlan } from './resume.js';
import { describeSource, type Source, type SourcePart } from './source.js';
import type { UploadOptions, UploadResult } from './types.js';
import type { MultipartWant } from './recovery.js';

export type Settings = {
  concurrency: number | undefined;
  maxConcurrency: number | undefined;
  retries: number;
  retryDelay: number;
};

const INITIATE_OPTIONS = [
  'acl',
  'storageClass',
  'metadata',
  'tags',
  'cacheControl',
  'contentDisposition',
  'contentEncoding',
  'expires',
  'headers',
  'encryption',
] as const;

/** Runs a multipart upload, fresh (`partSize`, `parts`) or from a resume `plan`. */
export async function multipart(
  client: Client,
  o: UploadOptions,
  control: Control,
  x: JobContext,
  settings: Settings,
  src: Source,
  expose: (f: () => UploadCheckpoint) => void,
  encrypted: boolean,
  plan?: ResumePlan,
  chosen?: number,
  parts?: AsyncIterable<SourcePart>,
): Promise<UploadResult> {
  const target = { bucket: o.bucket, key: o.key };
  let uploadId: string;
  let partSize: number;
  let initial: PartEncryptionState | undefined;
  let done = new Map<number, CheckpointPart>();
  let source: CheckpointSource;
  let fingerprint: string | undefined;
  // When Initiate lost an answer or was retried: when uploads it started late may have begun.
  let strays: Window | undefined;
  if (plan) {
    ({ uploadId, partSize } = plan.cp);
    ({ done, source } = plan);
    initial = plan.cp.encryption?.initial;
    fingerprint = plan.cp.encryption?.fingerprint;
  } else {
    partSize = chosen!;
    source = await describeSource(src, x.md5);
    const init = await initiateSafely(
      client,
      {
        ...target,
        ...pick(o, INITIATE_OPTIONS),
        contentType: o.contentType ?? src.type,
        // The plaintext length, when known, as a single encrypted PUT records it (ks3-protocol.md
        // §6.4; the Python SDK ignores it on download): readers can then check it, and give an
        // exact contentLength, instead of learning it only after decrypting.
        ...(encrypted && src.size !== undefined
          ? { metadata: { ...o.metadata, 'unencrypted-content-length': String(src.size) } }
          : {}),
      },
      encrypted,
      control.stopped,
      settings.retries,
    );
    ({ uploadId } = init);
    strays = init.strays;
    initial = init.encryptionState;
    // The fingerprint is what KS3 stores as x-kss-meta-key; a resume compares it with its client's key.
    if (initial) fingerprint = (await import('@ks3/core/crypto')).keyFingerprint(client.encryption!.rawKey());
  }
  const progress: Progress = createProgress(src.size, o.onProgress);
  const base = {
    version: 1 as const,
    ...target,
    uploadId,
    partSize,
    ...(src.size === undefined ? {} : { size: src.size }),
    source,
    ...(initial ? { encryption: { fingerprint: fingerprint!, initial } } : {}),
  };
  const checkpoint = (): UploadCheckpoint => snapshot(base, done.values());
  expose(checkpoint);
  const keep = o.keepOnFailure ?? o.checkpointStore !== undefined;
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    const cp = checkpoint();
    return (saving = saving.then(async () => {
      await o.checkpointStore?.save(cp);
      await o.onCheckpoint?.(cp);
    }));
  };
  let want: MultipartWant | undefined;
  let list: { partNumber: number; etag: string }[] = [];
  const committed = async (): Promise<UploadResult | undefined> => {
    if (!want) return undefined;
    const { committedObject, expectedMultipart } = await import('./recovery.js');
    const head = await committedObject(client, target, expectedMultipart(want));
    if (!head) return undefined;
    progress.end();
    await Promise.resolve(o.checkpointStore?.clear()).catch(() => {});
    return { etag: head.etag!, parts: list.length, size: progress.total ?? 0, requestId: head.requestId };
  };
  try {
    await save();
    let size = 0;
    for (const p of done.values()) size += p.size;
    progress.start(size);
    const allocate = x.md5Pool?.allocate && ((n: number) => x.md5Pool!.allocate!(n));
    const jobs = partJobs(
      parts ?? src.parts(partSize, allocate),
      uploadId,
      done,
      initial,
      x,
      (n) => (progress.total = n),
    );
    await pump(jobs, {
      ...settings,
      control,
      progress,
      async done(job, sent) {
        const state = (job as PartJob).state;
        done.set(job.partNumber, {
          partNumber: job.partNumber,
          etag: sent.etag,
          size: job.size,
          ...(state ? { encryptionState: state } : {}),
        });
        await save();
      },
    });
    list = checkpoint().parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
    const total = progress.total ?? 0;
    // From here on a failure may hide a committed object: it is checked before being reported.
    want = { parts: list, size: total, encrypted, md5: x.md5 };
    const cb = o.callback;
    const headers = cb && {
      'x-kss-callbackurl': cb.url,
      'x-kss-callbackbody': cb.body,
      ...(cb.auth ? { 'x-kss-callbackauth': '1' } : {}),
    };
    const r = await completeSafely(client, { ...target, uploadId, parts: list, headers }, control.stopped, want);
    progress.end();
    await o.checkpointStore?.clear();
    if (strays) await sweepStrays(client, target, strays, uploadId);
    return {
      etag: r.etag,
      ...(r.location ? { location: r.location } : {}),
      parts: list.length,
      size: total,
      requestId: r.requestId,
      ...(cb && r.body !== undefined ? { body: r.body } : {}),
    };
  } catch (e) {
    const err = control.stopped.aborted ? control.stopped.reason : e;
    await saving.catch(() => {});
    // A Complete that failed (or was aborted) after KS3 committed the object is a success.
    const verify = want !== undefined && !isKs3InputError(err);
    const ok = verify ? await committed() : undefined;
    if (ok) return ok;
    if (strays) await sweepStrays(client, target, strays, uploadId);
    if (!keep) {
      // Leave no orphan parts behind; the checkpoint is useless once the upload is gone.
      const { abortUpload } = await import('./recovery.js');
      const outcome = await abortUpload(client, target, uploadId).catch(() => undefined);
      // Gone although nobody aborted it: the Complete went through after the check above.
      const late = verify && outcome === 'gone' ? await committed() : undefined;
      if (late) return late;
      await Promise.resolve(o.checkpointStore?.clear()).catch(() => {});
    }
    throw err;
  }
}

/** Aborts what a late Initiate may have started (best effort). */
async function sweepStrays(client: Client, t: { bucket: string; key: string }, w: Window, keep: string): Promise<void> {
  await (await import('./recovery.js')).sweep(client, t, w, keep).catch(() => {});
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
