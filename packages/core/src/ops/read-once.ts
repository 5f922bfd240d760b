/**
 * A download's body, readable once: as the stream (`body`), or whole with `bytes()`/`text()`.
 * A second read is a typed error saying so, not fetch's "ReadableStream is locked". Download
 * progress is reported as the consumer reads.
 */
import { fromUtf8 } from '../bytes.js';
import { Ks3Error, type Ks3ErrorContext } from '../errors.js';
import { readAllBytes } from '../request/body.js';
import type { TransferProgress } from './common.js';

/** What readOnce adds to a result. */
export interface ReadOnce {
  readonly body: ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
}

function counted(
  src: ReadableStream<Uint8Array>,
  total: number | undefined,
  onProgress: (p: TransferProgress) => void,
): ReadableStream<Uint8Array> {
  const reader = src.getReader();
  let loaded = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        const { done, value } = await reader.read();
        if (done) {
          c.close();
          return;
        }
        loaded += value.length;
        c.enqueue(value);
        // Never above total: a body longer than announced fails its length check instead.
        onProgress({ loaded: total === undefined ? loaded : Math.min(loaded, total), total });
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * Gives `result` a read-once `body` getter and `bytes()`/`text()` over `stream`, whose length is
 * `length` when exactly known (then checked).
 */
export function readOnce<T extends object>(
  result: T,
  stream: ReadableStream<Uint8Array>,
  length: number | undefined,
  ctx: Ks3ErrorContext,
  onProgress?: (p: TransferProgress) => void,
): T & ReadOnce {
  const source = onProgress ? counted(stream, length, onProgress) : stream;
  let taken: 'stream' | 'bytes' | undefined;
  const take = (how: 'stream' | 'bytes'): ReadableStream<Uint8Array> => {
    if (taken === 'stream' && how === 'stream') return source;
    if (taken) {
      const was = taken === 'stream' ? 'taken as a stream (body)' : 'read already (bytes() or text())';
      throw new Ks3Error(`[ks3] the body was ${was}: a download can be read once`, { ...ctx, code: 'BodyUsed' });
    }
    taken = how;
    return source;
  };
  const bytes = (): Promise<Uint8Array> => {
    try {
      return readAllBytes(take('bytes'), length, ctx);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return Object.defineProperties(result, {
    // Not enumerable: spreading or deep-comparing a result must not take its body.
    body: { get: () => take('stream'), enumerable: false },
    bytes: { value: bytes, enumerable: true },
    text: { value: async () => fromUtf8(await bytes()), enumerable: true },
  }) as T & ReadOnce;
}
