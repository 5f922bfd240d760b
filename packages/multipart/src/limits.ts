/** KS3's multipart limits (ks3-protocol.md §8) and the part-size plan. */
import { Ks3InputError, type Ks3ErrorContext } from '@ks3/core';

const MiB = 1 << 20;
/** Every part but the last must be at least 100 KB (checked by KS3 only at Complete). */
export const MIN_PART_SIZE = 100 * 1024;
/** 5 GB per part and per single PUT. */
export const MAX_PART_SIZE = 5 * 1024 * MiB;
/** Part numbers run from 1 to 10,000. */
export const MAX_PARTS = 10_000;
/**
 * The default part size: big enough that requests are few, small enough that the memory bound
 * (about partSize × (concurrency + 1)) stays low.
 */
export const DEFAULT_PART_SIZE = 8 * MiB;

// An encrypted part can be 32 bytes longer than its plaintext (the IV of part 1 and the padding).
const maxPart = (encrypted: boolean): number => MAX_PART_SIZE - (encrypted ? 32 : 0);

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * The part size for an object of `size` bytes (undefined for a stream of unknown length).
 * Without `requested`: 8 MiB, or the smallest whole number of MiB that fits the object in
 * 10,000 parts. Whole MiB keep every part a multiple of 16 bytes, as encryption needs.
 * @throws {Ks3InputError} for a part size outside KS3's limits, not a multiple of 16 when
 * encrypting, or one that would need more than 10,000 parts.
 * @example choosePartSize(200 * 2 ** 30); // 21 MiB: 200 GiB in 9,753 parts
 */
export function choosePartSize(
  size: number | undefined,
  requested?: number,
  encrypted = false,
  ctx: Ks3ErrorContext = {},
): number {
  const max = maxPart(encrypted);
  if (requested === undefined) {
    const fit = size === undefined ? 0 : Math.ceil(size / MAX_PARTS / MiB) * MiB;
    if (fit > max)
      throw new Ks3InputError('body', `${size} bytes exceed KS3's largest object (10,000 parts of 5 GB)`, ctx);
    return Math.max(DEFAULT_PART_SIZE, fit);
  }
  if (!isCount(requested) || requested < MIN_PART_SIZE || requested > max) {
    throw new Ks3InputError(
      'partSize',
      `must be an integer from ${MIN_PART_SIZE} (100 KB) to ${max}, got ${String(requested)}`,
      ctx,
    );
  }
  if (encrypted && requested % 16 !== 0)
    throw new Ks3InputError('partSize', `must be a multiple of 16 bytes when encrypting, got ${requested}`, ctx);
  if (size !== undefined && Math.ceil(size / requested) > MAX_PARTS) {
    throw new Ks3InputError(
      'partSize',
      `${requested} would split ${size} bytes into more than 10,000 parts; use at least ${Math.ceil(size / MAX_PARTS)}`,
      ctx,
    );
  }
  return requested;
}

/**
 * Checks an optional non-negative integer option.
 * @throws {Ks3InputError} when it is not one, or outside [min, max].
 */
export function countOption(
  name: string,
  v: unknown,
  ctx: Ks3ErrorContext,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (v === undefined) return undefined;
  if (!isCount(v) || v < min || v > max)
    throw new Ks3InputError(name, `must be an integer from ${min} to ${max}, got ${String(v)}`, ctx);
  return v;
}
