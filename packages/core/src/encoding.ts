/**
 * The URL encodings KS3's reference SDK uses (ks3-protocol.md §1.5). All work on the UTF-8 bytes
 * of the input and write upper-case hex. `encodeURIComponent` already leaves exactly
 * `A-Z a-z 0-9 - _ . ! ~ * ' ( )` alone, so each encoding is that plus a few fix-ups.
 */

const hex = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

function component(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    // A lone UTF-16 surrogate has no UTF-8 form; callers validate first, this is the backstop.
    throw new TypeError('string is not well-formed Unicode (lone surrogate)');
  }
}

/**
 * Encoding K: object keys in request paths and canonical resources. `/`, `*` and `~` stay
 * literal, a space becomes `+`, everything else outside the unreserved set is `%XX`.
 * @example encodeKey('my file (1).txt') // 'my+file+%281%29.txt'
 */
export function encodeKey(key: string): string {
  return component(key)
    .replace(/[!'()]/g, hex)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

/**
 * Encoding Q: query values (list parameters, `response-*` overrides, x-kss-* values in presigned
 * URLs). `/` and `~` stay literal, space is `%20`, `*` is `%2A`.
 */
export function encodeQueryValue(value: string): string {
  return component(value)
    .replace(/[!'()*]/g, hex)
    .replace(/%2F/g, '/');
}

/**
 * Encoding F: form encoding, used for the key inside `x-kss-copy-source`. `/` is `%2F`,
 * space is `+`, `*` is `%2A`.
 */
export function encodeForm(value: string): string {
  return component(value)
    .replace(/[!'()*]/g, hex)
    .replace(/%20/g, '+');
}

/**
 * The reference's double-slash rule (§1.5), applied to a whole encoded path: every `//`,
 * scanning left to right without overlap, becomes `/%2F`. So `/b/a//c` is `/b/a/%2Fc` and a
 * key with a leading `/` gives `/b/%2Fkey`.
 */
export const escapeDoubleSlashes = (path: string): string => path.replace(/\/\//g, '/%2F');

/**
 * The encoded path of a bucket and key, exactly as signed and as sent: `/`, `/bucket/` or
 * `/bucket/<K(key)>`, with the double-slash rule applied.
 */
export function encodePath(bucket: string | undefined, key: string | undefined): string {
  if (!bucket) return key ? escapeDoubleSlashes(`/${encodeKey(key)}`) : '/';
  return escapeDoubleSlashes(`/${bucket}/${key ? encodeKey(key) : ''}`);
}
