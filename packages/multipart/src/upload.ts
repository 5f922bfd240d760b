/**
 * The upload manager: one call for any body and size. Small bodies go in one PUT; larger ones
 * in parallel parts with bounded memory, checkpoints, part retries, pause, resume and abort.
 */
import { type Client, isKs3InputError, Ks3InputError } from '@ks3/core';
import { concatBytes } from '@ks3/core/internal';
import type { UploadCheckpoint } from './checkpoint.js';
import { createControl, type Control } from './control.js';
import { singleJob, type JobContext } from './jobs.js';
import { choosePartSize, countOption, MAX_PART_SIZE } from './limits.js';
import { mayHaveActed } from './initiate.js';
import { createProgress } from './progress.js';
import { pump } from './pump.js';
import { multipart } from './session.js';
import { toSource, type SourcePart } from './source.js';
import type { UploadHandle, UploadOptions, UploadResult } from './types.js';

const POLICIES = ['fail', 'restart', 'keep'];

/**
 * Starts an upload and returns its handle right away. A failed upload leaves no multipart upload
 * behind (unless `keepOnFailure`), and a PUT or Complete whose answer was lost is checked against
 * the object before it counts as failed: if KS3 committed it, `done` resolves (also when an abort
 * came too late to stop it).
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
  const policy = o.onResumeMismatch ?? 'fail';
  if (!POLICIES.includes(policy))
    throw new Ks3InputError('onResumeMismatch', `must be 'fail', 'restart' or 'keep', got ${String(policy)}`, ctx);
  const allocate = x.md5Pool?.allocate && ((n: number) => x.md5Pool!.allocate!(n));
  control.stopped.throwIfAborted();
  try {
    const resume = o.resume ?? (await o.checkpointStore?.load());
    if (resume !== undefined) {
      // Loaded on demand: most uploads never resume.
      const m = await import('./resume.js');
      const target = { bucket: o.bucket, key: o.key, encrypted, signal: control.stopped };
      const plan = await m.prepareResume(client, resume, target, src, x.md5, ctx);
      if (!('stale' in plan)) return await multipart(client, o, control, x, settings, src, expose, encrypted, plan);
      const note = await m.discardStale(client, plan, policy, o.checkpointStore);
      if (policy !== 'restart')
        throw new Ks3InputError('resume', `${plan.stale}; ${note}`, { ...ctx, cause: plan.cause });
    }
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
    try {
      await pump(once(job), { ...settings, control, progress, done: (_j, s) => void (sent = s) });
    } catch (e) {
      // The PUT may have stored the object although its answer was lost (or the abort came late).
      if (isKs3InputError(e) || !mayHaveActed(e, control.stopped.aborted)) throw e;
      const { committedObject, expectedPut } = await import('./recovery.js');
      const head = await committedObject(client, o, await expectedPut(body, size, encrypted, x.md5));
      if (!head) throw e;
      sent = { etag: head.etag!, requestId: head.requestId };
    }
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
