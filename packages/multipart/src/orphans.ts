/**
 * No orphan uploads. Initiate is a POST whose answer can be lost after KS3 started the upload
 * (a reset, a timeout, a gateway's 502), and a retried Initiate can start a second one: the
 * upload id is then unknown and the parts would be billed forever. This finds the uploads of the
 * key that began while the call ran (KS3's `Initiated`, read against KS3's own clock from the
 * listing's `Date` header, so a skewed local clock does not matter) and adopts one or aborts
 * them. It also aborts an upload for good, through faults, when an upload fails.
 */
import {
  abortMultipartUpload,
  type Client,
  type InitiateMultipartUploadOptions,
  type InitiateMultipartUploadResult,
  initiateMultipartUpload,
  isKs3ProtocolError,
  isKs3ServiceError,
  Ks3ProtocolError,
} from '@ks3/core';
import { backoffDelay, parseDocument, parseListUploads, send, sleep } from '@ks3/core/internal';
import { isRetryable } from './pump.js';

/**
 * Slack around the window, in ms: `Date` has whole seconds, and KS3 may keep `Initiated` in whole
 * seconds too.
 */
const SLACK_MS = 2000;
/** Rounds of a cleanup request (each with the client's own retries) before giving up. */
const ROUNDS = 3;
/** Pages of a key's uploads listed at most (1,000 uploads each). */
const MAX_PAGES = 10;

interface Target {
  bucket: string;
  key: string;
}

/** Tries `fn` up to {@link ROUNDS} times while it fails with something worth retrying. */
export async function persist<T>(client: Client, fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i + 1 >= ROUNDS || !isRetryable(e)) throw e;
      await sleep(backoffDelay(client.retryDelay, i + 1));
    }
  }
}

/** A stretch of local time (`Date.now()` values): when requests that may start uploads were out. */
export interface Window {
  from: number;
  to: number;
}

/**
 * The uploads of exactly `key` initiated within the window, read on KS3's clock: the listing's
 * `Date` minus how long ago (locally) each end of the window was, with slack.
 */
export async function uploadsWithin(client: Client, t: Target, w: Window): Promise<string[]> {
  const ctx = { operation: 'ListMultipartUploads', bucket: t.bucket };
  const found: string[] = [];
  let keyMarker: string | undefined;
  let idMarker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const started = Date.now();
    const res = await send(client, {
      op: 'ListMultipartUploads',
      method: 'GET',
      bucket: t.bucket,
      query: [
        ['uploads'],
        ...(keyMarker === undefined ? [] : [['key-marker', keyMarker] as [string, string]]),
        ['prefix', t.key],
        ...(idMarker === undefined ? [] : [['upload-id-marker', idMarker] as [string, string]]),
      ],
      ok: (s) => s === 200,
      read: 'text',
    });
    const list = parseListUploads(await parseDocument(res, 'ListMultipartUploadsResult', ctx));
    // KS3's time when it answered; without a Date header, the local clock.
    const date = Date.parse(res.headers.get('date') ?? '');
    const now = Number.isFinite(date) ? date : Date.now();
    const from = now - (Date.now() - w.from) - SLACK_MS;
    const to = now - Math.max(0, started - w.to) + SLACK_MS;
    for (const u of list.uploads) {
      const at = u.initiated.getTime();
      if (u.key === t.key && at >= from && at <= to) found.push(u.uploadId);
    }
    // Keys come in order: past the key itself, nothing more can match.
    const last = list.uploads.at(-1);
    if (!list.isTruncated || (last && last.key > t.key)) return found;
    if (list.nextStartAfterKey === keyMarker && list.nextStartAfterUploadId === idMarker)
      throw new Ks3ProtocolError('ListMultipartUploads: the listing did not advance', ctx);
    keyMarker = list.nextStartAfterKey;
    idMarker = list.nextStartAfterUploadId;
  }
  return found;
}

/** How an abort ended: `aborted`, or `gone` (the upload no longer existed: completed, aborted or expired). */
export type AbortOutcome = 'aborted' | 'gone';

/**
 * Aborts an upload, retrying through faults. Never takes the caller's signal: cleanup runs after
 * an abort too.
 * @throws the last failure when every round failed.
 */
export async function abortUpload(client: Client, t: Target, uploadId: string): Promise<AbortOutcome> {
  return persist(client, async () => {
    try {
      await abortMultipartUpload(client, { ...t, uploadId });
      return 'aborted' as const;
    } catch (e) {
      // An earlier attempt of this call may have aborted it and lost the answer.
      if (isKs3ServiceError(e) && e.code === 'NoSuchUpload') return 'gone' as const;
      throw e;
    }
  });
}

/** Aborts the uploads of the key started within the window, except `keep`; returns those it aborted. */
export async function sweep(client: Client, t: Target, w: Window, keep?: string): Promise<string[]> {
  const ids = (await persist(client, () => uploadsWithin(client, t, w))).filter((id) => id !== keep);
  for (const id of ids) await abortUpload(client, t, id);
  return ids;
}

/**
 * Is this a failure after which KS3 may have acted: no answer, an answer that may not be KS3's
 * own (5xx, 429), a 2xx whose body was not what KS3 sends, or an abort mid-request?
 */
export const mayHaveActed = (e: unknown, aborted: boolean): boolean =>
  aborted || isRetryable(e) || isKs3ProtocolError(e);

/**
 * Initiate with recovery. A lost answer: the key's uploads started since the call began are
 * listed; one is adopted when it is the only one and the upload is plain (an encrypted upload's
 * IV went out in the lost request, so it cannot be adopted), else they are all aborted and
 * Initiate is tried again, up to `retries` times. A success after retried attempts: other
 * uploads started meanwhile are aborted. Either way `strays` is when an attempt KS3 was slow to
 * act on may still have started an upload: the caller sweeps that window again at the end.
 * @throws the last Initiate failure (after its cleanup).
 */
export async function initiateSafely(
  client: Client,
  o: InitiateMultipartUploadOptions,
  encrypted: boolean,
  stopped: AbortSignal,
  retries: number,
): Promise<InitiateMultipartUploadResult & { strays?: Window }> {
  const first = Date.now();
  // A request KS3 got late may start an upload up to a timeout after it was sent.
  const strays = (): Window => ({ from: first, to: Date.now() + (client.timeout || 60_000) });
  for (let i = 0; ; i++) {
    const began = Date.now();
    try {
      const init = await initiateMultipartUpload(client, { ...o, signal: stopped });
      if (init.attempts > 1) await sweep(client, o, { from: began, to: Date.now() }, init.uploadId).catch(() => {});
      return i > 0 || init.attempts > 1 ? { ...init, strays: strays() } : init;
    } catch (e) {
      if (!mayHaveActed(e, stopped.aborted)) throw e;
      const adopted = await recover(client, o, { from: began, to: Date.now() }, !encrypted && !stopped.aborted);
      if (adopted)
        return {
          uploadId: adopted,
          bucket: o.bucket,
          key: o.key,
          requestId: undefined,
          attempts: i + 1,
          strays: strays(),
        };
      if (stopped.aborted || i >= retries) {
        // KS3 may still act on a request it got late: look once more before giving up.
        await sleep(backoffDelay(client.retryDelay, i) + 250);
        await recover(client, o, { from: first, to: Date.now() }, false);
        throw e;
      }
      await sleep(backoffDelay(client.retryDelay, i), stopped);
    }
  }
}

/** After a lost Initiate answer: the one upload to adopt, or none (the others aborted). */
async function recover(client: Client, t: Target, w: Window, adopt: boolean): Promise<string | undefined> {
  try {
    const ids = await persist(client, () => uploadsWithin(client, t, w));
    if (adopt && ids.length === 1) return ids[0];
    for (const id of ids) await abortUpload(client, t, id);
  } catch {
    // The cleanup could not finish either: the Initiate failure is the one to report.
  }
  return undefined;
}
