/** Content-MD5 of a request body: the code (md5-of-body.ts, and MD5 itself) loads on first use. */
import type { Hasher } from '../client.js';
import type { PreparedBody } from './body.js';

/**
 * Base64 MD5 of a body, and the body to send afterwards. Bytes hash directly; Blobs and body
 * sources are streamed through the hash (they can be read again to send); a one-shot stream
 * must be read whole to be hashed, so it is buffered and sent from memory.
 */
export async function bodyMd5(b: PreparedBody, md5?: () => Hasher): Promise<{ md5: string; body: PreparedBody }> {
  return (await import('./md5-of-body.js')).md5OfBody(b, md5);
}
