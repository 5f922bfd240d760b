/** List Buckets (ks3-protocol.md §4.1). */
import type { Client } from '../client.js';
import { send } from '../request/send.js';
import { child, children, childText, localName, type XmlNode } from '../xml.js';
import { type CallOptions, checkCall, type Ks3Result } from './common.js';
import { parseDocument } from './document.js';

/** One bucket of {@link listBuckets}' answer. */
export interface BucketSummary {
  name: string;
  creationDate: Date;
  /** Other fields KS3 returns per bucket (e.g. `Region`, `Type`), by element name. */
  extra: Record<string, string>;
}

/** Options of {@link listBuckets}. */
export type ListBucketsOptions = CallOptions;

/** What {@link listBuckets} returns. */
export interface ListBucketsResult extends Ks3Result {
  owner: { id: string; displayName: string };
  buckets: BucketSummary[];
}

/** Parses a `ListAllMyBucketsResult` root element. */
export function parseListBuckets(root: XmlNode): Omit<ListBucketsResult, 'requestId'> {
  const owner = child(root, 'Owner');
  const buckets = children(child(root, 'Buckets'), 'Bucket').map((b) => {
    const extra: Record<string, string> = {};
    for (const c of children(b)) {
      if (localName(c) !== 'Name' && localName(c) !== 'CreationDate')
        extra[localName(c)] = childText(b, localName(c)) ?? '';
    }
    return { name: childText(b, 'Name') ?? '', creationDate: new Date(childText(b, 'CreationDate') ?? ''), extra };
  });
  return { owner: { id: childText(owner, 'ID') ?? '', displayName: childText(owner, 'DisplayName') ?? '' }, buckets };
}

/**
 * Lists the caller's buckets.
 * @example for (const b of (await listBuckets(client)).buckets) console.log(b.name);
 */
export async function listBuckets(client: Client, o: ListBucketsOptions = {}): Promise<ListBucketsResult> {
  const ctx = { operation: 'ListBuckets' };
  checkCall('ListBuckets', client, o);
  const res = await send(client, {
    op: 'ListBuckets',
    method: 'GET',
    headers: o.headers,
    signal: o.signal,
    read: 'text',
  });
  return { ...parseListBuckets(await parseDocument(res, 'ListAllMyBucketsResult', ctx)), requestId: res.requestId };
}
