/** Bucket location and bucket logging (ks3-protocol.md §4.5–4.6). */
import type { Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { prepareBody } from '../request/body.js';
import { send } from '../request/send.js';
import { checkBucket } from '../validate.js';
import { child, childText, escapeXml, parseXml } from '../xml.js';
import { discard, target, type BucketOptions } from './common.js';

/**
 * The region a bucket lives in, e.g. `BEIJING`: the text of the last `LocationConstraint`
 * element, as the reference reads it.
 */
export async function getBucketLocation(client: Client, o: BucketOptions): Promise<string> {
  const ctx = target('GetBucketLocation', o, false);
  const res = await send(client, {
    op: 'GetBucketLocation',
    method: 'GET',
    bucket: ctx.bucket,
    query: [['location']],
    signal: o.signal,
    ok: (s) => s === 200,
  });
  const matches = [...(await res.text()).matchAll(/<(?:\w+:)?LocationConstraint[^>]*>([^<]*)</g)];
  return matches.length ? matches[matches.length - 1]![1]! : '';
}

/** A bucket's access logging: off, or on with a target bucket and key prefix. */
export type BucketLogging = { enabled: false } | { enabled: true; targetBucket: string; targetPrefix: string };

/** Reads a bucket's logging status. */
export async function getBucketLogging(client: Client, o: BucketOptions): Promise<BucketLogging> {
  const ctx = target('GetBucketLogging', o, false);
  const res = await send(client, {
    op: 'GetBucketLogging',
    method: 'GET',
    bucket: ctx.bucket,
    query: [['logging']],
    signal: o.signal,
    ok: (s) => s === 200,
  });
  const on = child(parseXml(await res.text()), 'LoggingEnabled');
  return on
    ? {
        enabled: true,
        targetBucket: childText(on, 'TargetBucket') ?? '',
        targetPrefix: childText(on, 'TargetPrefix') ?? '',
      }
    : { enabled: false };
}

async function putLogging(client: Client, o: BucketOptions, inner: string, op: string): Promise<void> {
  const ctx = target(op, o, false);
  const xml = `<?xml version="1.0" encoding="UTF-8"?><BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</BucketLoggingStatus>`;
  const res = await send(client, {
    op,
    method: 'PUT',
    bucket: ctx.bucket,
    query: [['logging']],
    headers: { 'content-type': 'application/xml' },
    body: prepareBody(xml, ctx),
    signal: o.signal,
    ok: (s) => s === 200,
  });
  await discard(res);
}

/** Options of {@link enableBucketLogging}. */
export interface EnableLoggingOptions extends BucketOptions {
  /** Bucket that receives the log files. */
  targetBucket: string;
  /** Key prefix of the log files. */
  targetPrefix?: string;
}

/** Turns access logging on, writing logs to `targetBucket` under `targetPrefix`. */
export async function enableBucketLogging(client: Client, o: EnableLoggingOptions): Promise<void> {
  checkBucket(o.targetBucket, { operation: 'PutBucketLogging', bucket: o.bucket });
  if (o.targetPrefix !== undefined && typeof o.targetPrefix !== 'string')
    throw new Ks3InputError('targetPrefix', 'must be a string', { operation: 'PutBucketLogging' });
  const inner = `<LoggingEnabled><TargetBucket>${o.targetBucket}</TargetBucket><TargetPrefix>${escapeXml(o.targetPrefix ?? '')}</TargetPrefix></LoggingEnabled>`;
  await putLogging(client, o, inner, 'PutBucketLogging');
}

/** Turns access logging off. */
export async function disableBucketLogging(client: Client, o: BucketOptions): Promise<void> {
  await putLogging(client, o, '', 'PutBucketLogging');
}
