/** Bucket versioning (`?versioning`, S3's VersioningConfiguration document). */
import type { Client } from '../client.js';
import { Ks3ProtocolError } from '../errors.js';
import { send } from '../request/send.js';
import { checkOneOf } from '../validate.js';
import { childText } from '../xml.js';
import { type BucketOptions, type Ks3Result, target } from './common.js';
import { parseDocument } from './document.js';
import { xmlDocument, xmlRequest } from './xml-body.js';

/** A bucket's versioning state once it was ever set; a bucket never versioned has none. */
export type VersioningStatus = 'Enabled' | 'Suspended';

/** Options of {@link putBucketVersioning}. */
export interface PutBucketVersioningOptions extends BucketOptions {
  /** `Enabled` keeps every version; `Suspended` stops making new ones (old ones stay). */
  status: VersioningStatus;
}

/** What {@link getBucketVersioning} returns. */
export interface GetBucketVersioningResult extends Ks3Result {
  /** Undefined for a bucket whose versioning was never set. */
  status: VersioningStatus | undefined;
}

/**
 * Turns versioning on (`Enabled`) or pauses it (`Suspended`). A bucket cannot return to "never
 * versioned".
 * @throws {Ks3InputError} for another status.
 * @example await putBucketVersioning(client, { bucket, status: 'Enabled' });
 */
export async function putBucketVersioning(client: Client, o: PutBucketVersioningOptions): Promise<Ks3Result> {
  const ctx = target('PutBucketVersioning', client, o, false);
  const status = checkOneOf('status', o.status, ['Enabled', 'Suspended'] as const, ctx);
  const xml = xmlDocument('VersioningConfiguration', `<Status>${status}</Status>`);
  const { body, headers } = await xmlRequest(client, xml, o.headers, ctx);
  const res = await send(client, {
    op: 'PutBucketVersioning',
    method: 'PUT',
    bucket: ctx.bucket,
    query: [['versioning']],
    headers,
    body,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  return { requestId: res.requestId };
}

/**
 * Reads a bucket's versioning state.
 * @throws {Ks3ProtocolError} for a status KS3 does not define.
 */
export async function getBucketVersioning(client: Client, o: BucketOptions): Promise<GetBucketVersioningResult> {
  const ctx = target('GetBucketVersioning', client, o, false);
  const res = await send(client, {
    op: 'GetBucketVersioning',
    method: 'GET',
    bucket: ctx.bucket,
    query: [['versioning']],
    headers: o.headers,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  const status = childText(await parseDocument(res, 'VersioningConfiguration', ctx), 'Status')?.trim() || undefined;
  if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') {
    throw new Ks3ProtocolError(`GetBucketVersioning: unknown Status ${JSON.stringify(status)}`, {
      ...ctx,
      requestId: res.requestId,
    });
  }
  return { status, requestId: res.requestId };
}
