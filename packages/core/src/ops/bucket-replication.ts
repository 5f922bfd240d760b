/**
 * Cross-region replication (`?crr`, KS3's own sub-resource and `<Replication>` document, not
 * S3's `?replication`; ks3sdklib/aws-sdk-go service/s3/replication.go): one rule per bucket.
 */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { checkBucket } from '../validate.js';
import { children, childText, text, type XmlNode } from '../xml.js';
import { configRequest } from './bucket-config-request.js';
import { type BucketOptions, checkText, type Ks3Result, target } from './common.js';
import { parseDocument } from './document.js';
import { xmlDocument, xmlElement } from './xml-body.js';

/** A bucket's replication rule. */
export interface BucketReplication {
  /** Where copies go. */
  targetBucket: string;
  /** The target bucket's region, e.g. `SHANGHAI`. */
  region?: string | undefined;
  /** Replicate only keys under these prefixes (at most 10, none inside another); all keys when omitted. */
  prefixes?: readonly string[] | undefined;
  /** `Enabled`: deleting an object deletes its copy too. */
  deleteMarkerStatus: 'Enabled' | 'Disabled';
  /** `Enabled` (KS3's default): also copy the objects that existed before the rule. */
  historicalObjectReplication?: 'Enabled' | 'Disabled' | undefined;
}

/** Options of {@link putBucketReplication}. */
export interface PutBucketReplicationOptions extends BucketOptions {
  replication: BucketReplication;
}

/** What {@link getBucketReplication} returns. */
export interface GetBucketReplicationResult extends Ks3Result {
  replication: BucketReplication;
}

/** The most prefixes a rule may name. */
export const MAX_REPLICATION_PREFIXES = 10;

const status = (v: unknown, param: string, ctx: Ks3ErrorContext): string => {
  if (v !== 'Enabled' && v !== 'Disabled') throw new Ks3InputError(param, "must be 'Enabled' or 'Disabled'", ctx);
  return v;
};

/**
 * The request document, checked.
 * @throws {Ks3InputError}
 */
export function buildReplicationXml(r: BucketReplication, ctx: Ks3ErrorContext): string {
  if (typeof r !== 'object' || r === null) throw new Ks3InputError('replication', 'must be an object', ctx);
  const prefixes = r.prefixes ?? [];
  if (!Array.isArray(prefixes) || prefixes.length > MAX_REPLICATION_PREFIXES)
    throw new Ks3InputError('replication.prefixes', `must be an array of at most ${MAX_REPLICATION_PREFIXES}`, ctx);
  for (const [i, p] of prefixes.entries()) checkText(`replication.prefixes[${i}]`, p, ctx, false);
  for (const a of prefixes)
    for (const b of prefixes)
      if (a !== b ? b.startsWith(a) : prefixes.indexOf(a) !== prefixes.lastIndexOf(a))
        throw new Ks3InputError('replication.prefixes', `${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`, ctx);
  let xml = prefixes.map((p) => xmlElement('prefix', p)).join('');
  xml += xmlElement('DeleteMarkerStatus', status(r.deleteMarkerStatus, 'replication.deleteMarkerStatus', ctx));
  xml += xmlElement('targetBucket', checkBucket(r.targetBucket, ctx));
  if (r.historicalObjectReplication !== undefined)
    xml += xmlElement(
      'HistoricalObjectReplication',
      status(r.historicalObjectReplication, 'replication.historicalObjectReplication', ctx),
    );
  if (r.region !== undefined) xml += xmlElement('region', checkText('replication.region', r.region, ctx, false));
  return xmlDocument('Replication', xml);
}

/** Parses a `Replication` root element. */
export function parseReplication(root: XmlNode): BucketReplication {
  const out: BucketReplication = {
    targetBucket: childText(root, 'targetBucket') ?? '',
    deleteMarkerStatus: childText(root, 'DeleteMarkerStatus') === 'Enabled' ? 'Enabled' : 'Disabled',
  };
  const prefixes = children(root, 'prefix').map((p) => text(p));
  if (prefixes.length) out.prefixes = prefixes;
  const historical = childText(root, 'HistoricalObjectReplication');
  if (historical === 'Enabled' || historical === 'Disabled') out.historicalObjectReplication = historical;
  const region = childText(root, 'region');
  if (region) out.region = region;
  return out;
}

/**
 * Sets a bucket's replication rule (KS3 copies new objects to `targetBucket`).
 * @throws {Ks3InputError} for a bad target bucket name, status, or overlapping prefixes.
 * @example
 * const replication = { targetBucket: 'backup', region: 'SHANGHAI', deleteMarkerStatus: 'Disabled' } as const;
 * await putBucketReplication(client, { bucket, replication });
 */
export async function putBucketReplication(client: Client, o: PutBucketReplicationOptions): Promise<Ks3Result> {
  const ctx = target('PutBucketReplication', client, o, false);
  const text = buildReplicationXml(o.replication, ctx);
  const res = await configRequest(client, ctx, o, 'PUT', 'crr', { text, contentType: 'application/xml' });
  return { requestId: res.requestId };
}

/**
 * Reads a bucket's replication rule.
 * @throws {Ks3ServiceError} 404 when it has none.
 */
export async function getBucketReplication(client: Client, o: BucketOptions): Promise<GetBucketReplicationResult> {
  const ctx = target('GetBucketReplication', client, o, false);
  const res = await configRequest(client, ctx, o, 'GET', 'crr');
  return { replication: parseReplication(await parseDocument(res, 'Replication', ctx)), requestId: res.requestId };
}

/** Removes a bucket's replication rule. */
export async function deleteBucketReplication(client: Client, o: BucketOptions): Promise<Ks3Result> {
  const ctx = target('DeleteBucketReplication', client, o, false);
  return { requestId: (await configRequest(client, ctx, o, 'DELETE', 'crr')).requestId };
}
