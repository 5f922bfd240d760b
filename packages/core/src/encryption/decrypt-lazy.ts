/**
 * Decrypting a stored body for the SDK's own packages (getObjectToFile stitches the stored bytes
 * of a resumed download, then decrypts them whole). The decryption code loads on first use, as
 * getObject's does, so importing the internal entry does not pull it into a bundle.
 */
import type { Ks3ErrorContext } from '../errors.js';
import type { Decrypted } from './get.js';
import type { EncryptionHandle } from './handle.js';

/** See `decryptResponse` in encryption/get.ts. */
export async function decryptStoredBody(
  handle: EncryptionHandle,
  headers: Headers,
  body: ReadableStream<Uint8Array>,
  ctx: Ks3ErrorContext,
): Promise<Decrypted> {
  return (await import('./get.js')).decryptResponse(handle, headers, body, ctx);
}
