/** Request URLs: path-style, virtual-host or custom-domain addressing (ks3-protocol.md §1.2–1.3). */
import type { Addressing, Client } from '../client.js';
import { encodePath, encodeQueryValue } from '../encoding.js';
import type { QueryParam } from '../sign/subresources.js';

/**
 * Renders query parameters as sent: `name` for a bare parameter, `name=Q(value)` otherwise, in
 * the given order.
 * @example renderQuery([['uploads'], ['prefix', 'a b/']]) // 'uploads&prefix=a%20b/'
 */
export function renderQuery(query: readonly QueryParam[]): string {
  return query.map(([n, v]) => (v === undefined ? n : `${n}=${encodeQueryValue(v)}`)).join('&');
}

/** The origin (`scheme://host[:port]`) for a bucket under the chosen addressing. */
export function originFor(
  client: Client,
  bucket: string | undefined,
  addressing: Addressing = client.addressing,
): string {
  const host = bucket && !client.domainMode && addressing === 'virtual' ? `${bucket}.${client.host}` : client.host;
  return `${client.scheme}://${host}${client.port === undefined ? '' : `:${client.port}`}`;
}

/**
 * The request path: the bucket is dropped in custom-domain mode and for virtual-host
 * addressing; the double-slash rule applies to the whole path (§1.5).
 */
export function pathFor(
  client: Client,
  bucket: string | undefined,
  key: string | undefined,
  addressing: Addressing = client.addressing,
): string {
  const inHost = !!bucket && (client.domainMode || addressing === 'virtual');
  return inHost ? encodePath(undefined, key) : encodePath(bucket, key);
}

/** The full URL of a request. */
export function urlFor(
  client: Client,
  bucket: string | undefined,
  key: string | undefined,
  query: readonly QueryParam[] = [],
): string {
  const q = renderQuery(query);
  return originFor(client, bucket) + pathFor(client, bucket, key) + (q ? `?${q}` : '');
}
