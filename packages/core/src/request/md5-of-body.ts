/**
 * Content-MD5 of a request body, computed without reading replayable bodies into memory. Loaded
 * on first use by bodyMd5 (body-md5.ts): most uploads send no Content-MD5.
 */
import type { Hasher } from '../client.js';
import { toBase64 } from '../bytes.js';
import { readAllBytes, type PreparedBody } from './body.js';

/**
 * Base64 MD5 of a body, and the body to send afterwards. Bytes hash directly; Blobs and body
 * sources are streamed through the hash (they can be read again to send); a one-shot stream
 * must be read whole to be hashed, so it is buffered and sent from memory.
 */
export async function md5OfBody(b: PreparedBody, md5?: () => Hasher): Promise<{ md5: string; body: PreparedBody }> {
  // Loaded on first use: apps that never ask for Content-MD5 do not ship MD5.
  const createMd5 = md5 ?? (await import('../crypto/md5.js')).createMd5;
  const { data } = b;
  if (data instanceof Uint8Array) return { md5: toBase64(createMd5().update(data).digest()), body: b };
  if (data instanceof ReadableStream) {
    const bytes = await readAllBytes(data, b.size);
    return {
      md5: toBase64(createMd5().update(bytes).digest()),
      body: { data: bytes, size: bytes.length, replayable: true },
    };
  }
  const hash = createMd5();
  const reader = data.stream().getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) hash.update(r.value);
  return { md5: toBase64(hash.digest()), body: b };
}
