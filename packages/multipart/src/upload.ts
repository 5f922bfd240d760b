/**
 * The upload manager: one call for any body and size. Small bodies go in one PUT; larger ones
 * in parallel parts with bounded memory, checkpoints, part retries, pause, resume and abort.
 */
import {
  abortMultipartUpload,
  type Client,
  completeMultipartUpload,
  initiateMultipartUpload,
  Ks3InputError,
  type PartEncryptionState,
} from '@ks3/core';
import { concatBytes } from '@ks3/core/internal';
import { snapshot, type CheckpointPart, type CheckpointSource, type UploadCheckpoint } from './checkpoint.js';
import { createControl, type Control } from './control.js';
import { partJobs, singleJob, type JobContext, type PartJob } from './jobs.js';
import { choosePartSize, countOption, MAX_PART_SIZE } from './limits.js';
import { createProgress, type Progress } from './progress.js';
import { pump } from './pump.js';
import { describeSource, toSource, type Source, type SourcePart } from './source.js';
import type { UploadHandle, UploadOptions, UploadResult } from './types.js';

/**
 * Starts an upload and returns its handle right away.
 * @throws nothing itself: every failure rejects `done` — {@link Ks3InputError} for bad options
 * or a checkpoint that does not match, `Ks3ServiceError`/`Ks3NetworkError` once retries are
 * spent, `Ks3IntegrityError` for a part whose ETag is not its MD5, or the abort reason.
 * @example
 * const up = createUpload(client, { bucket, key: 'video.mp4', body: file, onProgress: (p) => bar(p.loaded / p.total!) });
 * pauseButton.onclick = () => up.pause();
 * const { etag } = await up.done;
 */
export function createUpload(client: Client, options: UploadOptions): UploadHandle {
  const control = createControl(options?.signal);
  let latest: (() => UploadCheckpoint) | undefined;
  const done = run(client, options, control, (f) => (latest = f)).finally(() => control.finish());
  return {
    done,
    pause: () => control.pause(),
    resume: () => control.resume(),
    abort: (reason?: unknown) => control.stop(reason ?? new DOMException('The upload was aborted', 'AbortError')),
    checkpoint: () => latest?.(),
  };
}

/**
 * Uploads a body of any size: one PUT up to `threshold`, else a parallel multipart upload.
 * @throws as {@link createUpload}'s `done`.
 * @example
 * const { etag } = await upload(client, { bucket: 'media', key: 'big.iso', body: file, onProgress: console.log });
 */
export function upload(client: Client, options: UploadOptions): Promise<UploadResult> {
  return createUpload(client, options).done;
}

async function run(
  client: Client,
  o: UploadOptions,
  control: Control,
  expose: (f: () => UploadCheckpoint) => void,
): Promise<UploadResult> {
  const ctx = { operation: 'Upload', bucket: o?.bucket, key: o?.key };
  if (typeof o !== 'object' || o === null) throw new Ks3InputError('options', 'must be an object', ctx);
  const encrypted = !!client?.encryption && o.encryption !== false;
  const src = toSource(o.body, countOption('size', o.size, ctx), ctx);
  const x: JobContext = {
    client,
    bucket: o.bucket,
    key: o.key,
    contentMd5: o.contentMd5 ?? (encrypted ? client.encryption!.contentMd5 : true),
    // MD5 is a separate entry of core, loaded on first use like core's own crypto: importing
    // it statically would also tie the rest of that entry to the initial bundle.
    md5: o.md5 ?? client.md5 ?? (await import('@ks3/core/crypto')).createMd5,
    md5Pool: 'md5Pool' in o ? o.md5Pool : o.md5 === undefined ? client?.md5Pool : undefined,
    // Test hook, not in the public types: the number of part buffers alive whenever it changes.
    buffers: (
      (live, hook?: (n: number) => void) => (d: number) =>
        hook?.((live += d))
    )(0, (o as { _onBuffers?: (n: number) => void })._onBuffers),
  };
  const settings = {
    concurrency: countOption('concurrency', o.concurrency, ctx, 1, 64),
    maxConcurrency: countOption('maxConcurrency', o.maxConcurrency, ctx, 1, 64),
    retries: countOption('partRetries', o.partRetries, ctx, 0, 100) ?? client.retries,
    retryDelay: client.retryDelay,
  };
  const threshold = countOption('threshold', o.threshold, ctx, 0, MAX_PART_SIZE);
  const allocate = x.md5Pool?.allocate && ((n: number) => x.md5Pool!.allocate!(n));
  control.stopped.throwIfAborted();
  try {
    const resume = o.resume ?? (await o.checkpointStore?.load());
    if (resume !== undefined) return await multipart(client, o, control, x, settings, src, expose, encrypted, resume);
    const partSize = choosePartSize(src.size, o.partSize, encrypted, ctx);
    const limit = threshold ?? partSize;
    let first: SourcePart[] = [];
    let parts: AsyncIterator<SourcePart>;
    if (src.size !== undefined && src.size <= limit) {
      parts = src.parts(Math.max(src.size, 1), allocate);
      first = [(await control.race(parts.next())).value as SourcePart];
    } else {
      parts = src.parts(partSize, allocate);
      // A stream of unknown length: read up to the threshold to choose between PUT and multipart.
      for (let n = 0; src.size === undefined; ) {
        const r = await control.race(parts.next());
        first.push(r.value as SourcePart);
        n += (r.value as SourcePart).size;
        if ((r.value as SourcePart).last || n > limit) break;
      }
    }
    const whole = first.at(-1)?.last && first.reduce((n, p) => n + p.size, 0) <= limit;
    if (!whole)
      return await multipart(
        client,
        o,
        control,
        x,
        settings,
        src,
        expose,
        encrypted,
        undefined,
        partSize,
        prepend(first, parts),
      );
    const body = first.length === 1 ? first[0]!.body : concatBytes(first.map((p) => p.body as Uint8Array));
    const size = first.reduce((n, p) => n + p.size, 0);
    const progress = createProgress(size, o.onProgress);
    const { bucket: _b, key: _k, body: _y, signal: _s, onProgress: _p, ...put } = o;
    if (!put.contentType && src.type) put.contentType = src.type;
    const job = singleJob(
      x,
      put,
      body,
      size,
      encrypted,
      first.some((p) => p.owned),
    );
    let sent = { etag: '' } as { etag: string; requestId?: string | undefined; body?: string };
    await pump(once(job), { ...settings, control, progress, done: (_j, s) => void (sent = s) });
    progress.end();
    return {
      etag: sent.etag,
      parts: 0,
      size,
      requestId: sent.requestId,
      ...(sent.body ? { body: sent.body } : {}),
    };
  } catch (e) {
    throw control.stopped.aborted ? control.stopped.reason : e;
  } finally {
    src.close();
  }
}

async function* once<T>(v: T): AsyncGenerator<T> {
  yield v;
}

async function* prepend<T>(first: T[], rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield* first;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

type Settings = {
  concurrency: number | undefined;
  maxConcurrency: number | undefined;
  retries: number;
  retryDelay: number;
};

async function multipart(
  client: Client,
  o: UploadOptions,
  control: Control,
  x: JobContext,
  settings: Settings,
  src: Source,
  expose: (f: () => UploadCheckpoint) => void,
  encrypted: boolean,
  resume?: unknown,
  chosen?: number,
  parts?: AsyncIterable<SourcePart>,
): Promise<UploadResult> {
  const ctx = { operation: 'Upload', bucket: o.bucket, key: o.key };
  const target = { bucket: o.bucket, key: o.key };
  let uploadId: string;
  let partSize: number;
  let initial: PartEncryptionState | undefined;
  let done = new Map<number, CheckpointPart>();
  let source: CheckpointSource;
  let fingerprint: string | undefined;
  if (resume !== undefined) {
    // Loaded on demand: most uploads never resume.
    const r = await (await import('./resume.js')).prepareResume(
      client,
      resume,
      { ...target, encrypted, signal: control.stopped },
      src,
      x.md5,
      ctx,
    );
    ({ uploadId, partSize } = r.cp);
    ({ done, source } = r);
    initial = r.cp.encryption?.initial;
    fingerprint = r.cp.encryption?.fingerprint;
  } else {
    partSize = chosen!;
    source = await describeSource(src, x.md5);
    const init = await initiateMultipartUpload(client, {
      ...target,
      ...pick(o, [
        'acl',
        'storageClass',
        'metadata',
        'cacheControl',
        'contentDisposition',
        'contentEncoding',
        'expires',
        'headers',
        'encryption',
      ]),
      contentType: o.contentType ?? src.type,
      signal: control.stopped,
    });
    ({ uploadId } = init);
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
    const list = checkpoint().parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
    const cb = o.callback;
    const r = await completeMultipartUpload(client, {
      ...target,
      uploadId,
      parts: list,
      signal: control.stopped,
      ...(cb
        ? {
            headers: {
              'x-kss-callbackurl': cb.url,
              'x-kss-callbackbody': cb.body,
              ...(cb.auth ? { 'x-kss-callbackauth': '1' } : {}),
            },
          }
        : {}),
    });
    progress.end();
    await o.checkpointStore?.clear();
    return {
      etag: r.etag,
      location: r.location,
      parts: list.length,
      size: progress.total ?? 0,
      requestId: r.requestId,
      ...(cb ? { body: r.body } : {}),
    };
  } catch (e) {
    const err = control.stopped.aborted ? control.stopped.reason : e;
    await saving.catch(() => {});
    if (!keep) {
      // Leave no orphan parts behind; the checkpoint is useless once the upload is gone.
      await abortMultipartUpload(client, { ...target, uploadId }).catch(() => {});
      await Promise.resolve(o.checkpointStore?.clear()).catch(() => {});
    }
    throw err;
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
