/**
 * Progress accounting: the sum of what each part has sent in its current attempt, each capped
 * at the part's size, so `loaded` never exceeds `total`, reaches it exactly when every part is
 * done, and goes down only when a part starts again (flagged `retried`).
 */
import type { UploadProgress } from './types.js';

export interface Progress {
  total: number | undefined;
  /** Bytes already on the server when a resumed upload starts. */
  start(loaded: number): void;
  /** Part `part` (0 for a single PUT) has sent `sent` of its `wire` bytes; `size` is its source size. */
  update(part: number, sent: number, size: number, wire: number): void;
  /** Emits a last event if the last one did not say `loaded === total`. */
  end(): void;
}

export function createProgress(total: number | undefined, emit: ((p: UploadProgress) => void) | undefined): Progress {
  let loaded = 0;
  let last: UploadProgress | undefined;
  const perPart = new Map<number, number>();
  const send = (p: UploadProgress): void => {
    last = p;
    emit?.(p);
  };
  const self: Progress = {
    total,
    start(n) {
      loaded = n;
      send({ loaded, total: self.total });
    },
    update(part, sent, size, wire) {
      // Encrypted parts send more bytes than their plaintext (IV, padding): scale to source bytes.
      const n = Math.min(size, wire > size ? Math.floor((sent * size) / wire) : sent);
      const prev = perPart.get(part) ?? 0;
      if (n === prev && last) return;
      perPart.set(part, n);
      loaded += n - prev;
      send({
        loaded,
        total: self.total,
        ...(part ? { part } : {}),
        ...(n < prev ? { retried: true as const } : {}),
      });
    },
    end() {
      if (!last || last.loaded !== loaded || last.total !== self.total) send({ loaded, total: self.total });
    },
  };
  return self;
}
