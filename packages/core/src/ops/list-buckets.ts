/** List Buckets (ks3-protocol.md §4.1). */
import type { Client } from '../client.js';
import { send } from '../request/send.js';
import { child, children, childText, localName, parseXml } from '../xml.js';
import type { CallOptions } from './common.js';

export interface BucketSummary {
  name: string;
  creationDate: Date;
  /** Other fields KS3 returns per bucket (e.g. `Region`, `Type`), by element name. */
  extra: Record<string, string>;
}

export interface ListBucketsResult {
  owner: { id: string; displayName: string };
  buckets: BucketSummary[];
}

/** Parses a `ListAllMyBucketsResult` document. */
export function parseListBuckets(xml: string): ListBucketsResult {
  const root = parseXml(xml);
  if (!root?.tagName.endsWith('ListAllMyBucketsResult')) throw new TypeError('not a ListAllMyBucketsResult document');
  const owner = child(root, 'Owner');
  const buckets = children(child(root, 'Buckets'), 'Bucket').map((b) => {
    const extra: Record<string, string> = {};
    for (const c of children(b))
      if (localName(c) !== 'Name' && localName(c) !== 'CreationDate')
        extra[localName(c)] = childText(b, localName(c)) ?? '';
    return { name: childText(b, 'Name') ?? '', creationDate: new Date(childText(b, 'CreationDate') ?? ''), extra };
  });
  return { owner: { id: childText(owner, 'ID') ?? '', displayName: childText(owner, 'DisplayName') ?? '' }, buckets };
}

/**
 * Lists the caller's buckets.
 * @example for (const b of (await listBuckets(client)).buckets) console.log(b.name);
 */
export async function listBuckets(client: Client, o: CallOptions = {}): Promise<ListBucketsResult> {
  const res = await send(client, { op: 'ListBuckets', method: 'GET', signal: o.signal });
  return parseListBuckets(await res.text());
}
