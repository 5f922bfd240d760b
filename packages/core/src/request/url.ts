/**
 * Request URLs: path-style, virtual-hosted or custom-domain addressing (ks3-protocol.md §1.2–1.3),
 * encoded the way the signature version signs them: V2 with the reference's encodings (a space
 * is `+` in paths), V4 with RFC 3986 encoded once (`%20`).
 */
import type { Client } from '../client.js';
import { encodePath, encodeQueryValue } from '../encoding.js';
import { encodePathV4, renderQueryV4 } from '../sign/v4-encoding.js';
import type { SignatureVersion } from '../sign/types.js';
import type { QueryParam } from '../sign/subresources.js';

/** How a bucket is addressed in request URLs. */
export type Addressing = 'path' | 'virtual';

/**
 * Renders query parameters as sent, in the given order: `name` for a bare parameter, else
 * `name=value`, values encoded as the signature version needs.
 * @example renderQuery([['uploads'], ['prefix', 'a b/']]) // 'uploads&prefix=a%20b/'
 */
export function renderQuery(query: readonly QueryParam[], version: SignatureVersion = 'v2'): string {
  if (version === 'v4') return renderQueryV4(query);
  return query.map(([n, v]) => (v === undefined ? n : `${n}=${encodeQueryValue(v)}`)).join('&');
}

/** Whether a bucket goes into the host name for this client. */
export function inHost(client: Client, bucket: string | undefined, addressing = client.addressing): boolean {
  return !!bucket && !client.domainMode && addressing === 'virtual';
}

/** The origin (`scheme://host[:port]`) for a bucket under the chosen addressing. */
export function originFor(client: Client, bucket: string | undefined, addressing = client.addressing): string {
  const host = inHost(client, bucket, addressing) ? `${bucket}.${client.host}` : client.host;
  return `${client.scheme}://${host}${client.port === undefined ? '' : `:${client.port}`}`;
}

/**
 * The request path. The bucket is dropped in custom-domain mode and under virtual-hosted
 * addressing. V2 applies the reference's double-slash rule (§1.5); V4 sends the canonical URI.
 */
export function pathFor(
  client: Client,
  bucket: string | undefined,
  key: string | undefined,
  addressing = client.addressing,
  version: SignatureVersion = client.signatureVersion,
): string {
  const dropBucket = !!bucket && (client.domainMode || addressing === 'virtual');
  if (version === 'v4') return encodePathV4(bucket, key, dropBucket);
  return dropBucket ? encodePath(undefined, key) : encodePath(bucket, key);
}

/** The full URL of a request. */
export function urlFor(
  client: Client,
  bucket: string | undefined,
  key: string | undefined,
  query: readonly QueryParam[] = [],
  addressing = client.addressing,
): string {
  const q = renderQuery(query, client.signatureVersion);
  return originFor(client, bucket, addressing) + pathFor(client, bucket, key, addressing) + (q ? `?${q}` : '');
}
