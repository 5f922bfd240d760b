/**
 * Checkpoints: where an upload stands, as plain JSON the caller can keep anywhere (a file,
 * localStorage) and hand back to resume after a restart. They hold no key material: an
 * encrypted upload records the key's fingerprint and the CBC chain block after each part, which
 * is all a resumed upload needs to encrypt the missing parts exactly as the first run would.
 */
import type { PartEncryptionState } from '@ks3/core';

/** A part on the server. */
export interface CheckpointPart {
  partNumber: number;
  /** As KS3 returned it, quotes included. */
  etag: string;
  /** Plaintext bytes of the part. */
  size: number;
  /** Encrypted uploads: the chain state after this part (before the next). */
  encryptionState?: PartEncryptionState;
}

/** What identifies the source, checked before resuming. */
export interface CheckpointSource {
  size?: number;
  /** File name (File objects; the base name for Node file paths). */
  name?: string;
  /** Milliseconds since the epoch (File objects and Node file paths). */
  lastModified?: number;
  /** Base64 MD5 of the first 64 KiB: a cheap check that the bytes are the same. */
  sample?: string;
}

/** A resumable upload's state; plain JSON (version 1). */
export interface UploadCheckpoint {
  version: 1;
  bucket: string;
  key: string;
  uploadId: string;
  partSize: number;
  /** Object size (plaintext), unless the source is a stream of unknown length. */
  size?: number;
  source: CheckpointSource;
  /** The parts uploaded so far, in part-number order. */
  parts: CheckpointPart[];
  /** Encrypted uploads: the key's `x-kss-meta-key` fingerprint and the chain state before part 1. */
  encryption?: { fingerprint: string; initial: PartEncryptionState };
}

/** A fresh copy of a checkpoint (callers may keep or mutate what they get). */
export function snapshot(base: Omit<UploadCheckpoint, 'parts'>, parts: Iterable<CheckpointPart>): UploadCheckpoint {
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ ...p }));
  return { ...base, source: { ...base.source }, parts: sorted };
}
