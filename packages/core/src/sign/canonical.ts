/**
 * KSS V2 string to sign (ks3-protocol.md §2.2–2.4), as small pure functions so each step can be
 * checked against the reference vectors on its own.
 */
import { encodePath } from '../encoding.js';
import { canonicalSubresources, type QueryParam } from './subresources.js';

/** Request headers as ordered name/value pairs (order decides between case-duplicates). */
export type HeaderList = Iterable<readonly [name: string, value: string]>;

/**
 * The value of a header by case-insensitive name; when several spellings are present the last
 * non-empty one wins (§2.2). Returns `''` when absent or empty.
 */
export function headerValue(headers: HeaderList, name: string): string {
  let found = '';
  for (const [n, v] of headers) if (v && n.toLowerCase() === name) found = v;
  return found;
}

/**
 * CanonicalizedKssHeaders (§2.3): every `x-kss-*` header, name lower-cased (a later duplicate
 * wins), sorted by name, `name:value` with the value verbatim, joined by `\n`.
 * @example canonicalKssHeaders([['X-Kss-Acl', 'private']]) // 'x-kss-acl:private'
 */
export function canonicalKssHeaders(headers: HeaderList): string {
  const map = new Map<string, string>();
  for (const [n, v] of headers) {
    const name = n.toLowerCase();
    if (name.startsWith('x-kss-')) {
      map.delete(name); // re-insert so "later wins" holds even for the map's own order
      map.set(name, v);
    }
  }
  return [...map.keys()]
    .sort()
    .map((n) => `${n}:${map.get(n)}`)
    .join('\n');
}

/** What identifies the signed resource. */
export interface ResourceParts {
  /** Omitted for List Buckets. Included even in custom-domain mode (§1.3). */
  bucket?: string | undefined;
  key?: string | undefined;
  /** All query parameters; only sub-resources are kept. */
  query?: Iterable<QueryParam> | undefined;
}

/**
 * CanonicalizedResource (§2.4): `/`, `/bucket/` or `/bucket/<K(key)>` with the double-slash
 * rule, then `?` and the sorted sub-resources when there are any.
 * @example canonicalResource({ bucket: 'b', key: 'a b', query: [['acl']] }) // '/b/a+b?acl'
 */
export function canonicalResource({ bucket, key, query }: ResourceParts): string {
  const sub = query ? canonicalSubresources(query) : '';
  return encodePath(bucket, key) + (sub ? `?${sub}` : '');
}

/** The inputs of a string to sign, each already canonical. */
export interface StringToSignParts {
  method: string;
  contentMd5?: string | undefined;
  contentType?: string | undefined;
  /** The Date line: an RFC 1123 date, or the `Expires` seconds of a presigned URL. */
  date?: string | undefined;
  /** From {@link canonicalKssHeaders}; `''` when the request has no x-kss-* header. */
  kssHeaders?: string | undefined;
  resource: string;
}

/**
 * StringToSign (§2.2). The x-kss line is present only when there are x-kss headers; there is no
 * trailing newline.
 */
export function stringToSign(p: StringToSignParts): string {
  const head = `${p.method}\n${p.contentMd5 ?? ''}\n${p.contentType ?? ''}\n${p.date ?? ''}\n`;
  return head + (p.kssHeaders ? `${p.kssHeaders}\n` : '') + p.resource;
}

/**
 * StringToSign of a header-signed request from its method, headers and resource: Content-MD5,
 * Content-Type and Date are read from the headers (§2.2). `date` overrides the Date line (used
 * with `x-kss-date`, whose value also goes on the Date line, §2.5).
 */
export function stringToSignForHeaders(method: string, headers: HeaderList, resource: string, date?: string): string {
  const list = [...headers];
  return stringToSign({
    method,
    contentMd5: headerValue(list, 'content-md5'),
    contentType: headerValue(list, 'content-type'),
    date: date ?? headerValue(list, 'date'),
    kssHeaders: canonicalKssHeaders(list),
    resource,
  });
}
