/** V4's payload hash: the SHA-256 of bodies already in memory where it is cheap, else unsigned. */
import { toHex } from '../bytes.js';
import type { PreparedBody } from './body.js';

/** SHA-256 of the empty string. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

// Bodies up to this size in memory are hashed (XML documents, small objects); larger ones and
// streams go as UNSIGNED-PAYLOAD, which KS3 supports (ks3-v4.md §1.2) and which costs nothing.
const HASH_LIMIT = 1 << 20;

/** The x-kss-content-sha256 value for a body. */
export async function payloadHash(body: PreparedBody | undefined): Promise<string> {
  if (!body || body.size === 0) return EMPTY_SHA256;
  const { data } = body;
  if (!(data instanceof Uint8Array) || data.length > HASH_LIMIT) return UNSIGNED_PAYLOAD;
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>)));
}
