/** Bucket location and bucket logging (ks3-protocol.md §4.5–4.6). */
import type { Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { prepareBody } from '../request/body.js';
import { mergeHeaders } from '../request/headers.js';
import { send } from '../request/send.js';
import { checkBucket } from '../validate.js';
import { child, childText, escapeXml } from '../xml.js';
import { type BucketOptions, checkText, type Ks3Result, target } from './common.js';
import { parseDocument } from './document.js';

/** What {@link getBucketLocation} returns. */
export interface GetBucketLocationResult extends Ks3Result {
  /** The region, e.g. `BEIJING` (empty when KS3 names none). */
  location: string;
}

/**
 * The region a bucket lives in: the text of the last `LocationConstraint` element, as the
 * reference reads it.
 */
export async function getBucketLocation(client: Client, o: BucketOptions): Promise<GetBucketLocationResult> {
  const ctx = target('GetBucketLocation', client, o, false);
  const res = await send(client, {
    op: 'GetBucketLocation',
    method: 'GET',
    bucket: ctx.bucket,
    query: [['location']],
    headers: o.headers,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  const text = await res.text();
  const matches = [...text.matchAll(/<(?:\w+:)?LocationConstraint[^>]*>([^<]*)</g)];
  if (!matches.length) await parseDocument(res, 'LocationConstraint', ctx);
  return { location: matches.length ? matches[matches.length - 1]![1]! : '', requestId: res.requestId };
}

/** A bucket's access logging: off (`null`), or on with a target bucket and key prefix. */
export type BucketLogging = { targetBucket: string; targetPrefix: string } | null;

/** What {@link getBucketLogging} returns. */
export interface GetBucketLoggingResult extends Ks3Result {
  logging: BucketLogging;
}

/** Reads a bucket's logging status. */
export async function getBucketLogging(client: Client, o: BucketOptions): Promise<GetBucketLoggingResult> {
  const ctx = target('GetBucketLogging', client, o, false);
  const res = await send(client, {
    op: 'GetBucketLogging',
    method: 'GET',
    bucket: ctx.bucket,
    query: [['logging']],
    headers: o.headers,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  const on = child(await parseDocument(res, 'BucketLoggingStatus', ctx), 'LoggingEnabled');
  const logging = on
    ? { targetBucket: childText(on, 'TargetBucket') ?? '', targetPrefix: childText(on, 'TargetPrefix') ?? '' }
    : null;
  return { logging, requestId: res.requestId };
}

/** Options of {@link putBucketLogging}. */
export interface PutBucketLoggingOptions extends BucketOptions {
  /** Where logs go (`targetPrefix` defaults to ''), or `null` to turn logging off. */
  logging: { targetBucket: string; targetPrefix?: string | undefined } | null;
}

/** Turns access logging on (writing logs to `targetBucket` under `targetPrefix`) or off (`logging: null`). */
export async function putBucketLogging(client: Client, o: PutBucketLoggingOptions): Promise<Ks3Result> {
  const ctx = target('PutBucketLogging', client, o, false);
  const l = o.logging;
  if (l === undefined || (l !== null && typeof l !== 'object')) {
    throw new Ks3InputError('logging', 'must be { targetBucket, targetPrefix? } or null (off)', ctx);
  }
  let inner = '';
  if (l) {
    const bucket = checkBucket(l.targetBucket, ctx);
    const prefix = l.targetPrefix === undefined ? '' : checkText('logging.targetPrefix', l.targetPrefix, ctx);
    inner = `<LoggingEnabled><TargetBucket>${bucket}</TargetBucket><TargetPrefix>${escapeXml(prefix)}</TargetPrefix></LoggingEnabled>`;
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?><BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</BucketLoggingStatus>`;
  const res = await send(client, {
    op: 'PutBucketLogging',
    method: 'PUT',
    bucket: ctx.bucket,
    query: [['logging']],
    headers: mergeHeaders({ 'content-type': 'application/xml' }, o.headers, ctx),
    body: prepareBody(xml, ctx),
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  return { requestId: res.requestId };
}
