/**
 * Issue 9.18: a process killed while saving a checkpoint (between writing `<path>.<hex>.tmp`
 * and renaming it over `<path>`) leaves that temporary file behind. The next resume and the
 * final clear remove such files — only names the checkpoint store makes, nothing else.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as KS3 from '@ks3/node';
import { pseudoRandomBytes } from '../../../internal/test-utils/contract.js';
import { emulatorBucket } from '../../../internal/test-utils/wire.js';

const emu = emulatorBucket('ckpt-tmp');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ks3-ckpt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a save killed before its rename leaves: the store's own naming. */
const leftover = (cp: string, hex: string) => writeFileSync(`${cp}.${hex}.tmp`, '{"version":1,"torn');

test('the store removes stale temporary files on load and clear, and nothing else', async () => {
  const cp = join(dir, 'store.ks3-upload');
  const keep = ['store.ks3-upload.notes', 'store.ks3-upload.0123456789ab.tmp.bak', 'other.0123456789ab.tmp'];
  for (const n of keep) writeFileSync(join(dir, n), 'mine');
  leftover(cp, '0123456789ab');
  const store = KS3.fileCheckpoint(cp);
  expect(await store.load()).toBeUndefined();
  expect(readdirSync(dir).sort()).toEqual([...keep].sort());
  leftover(cp, 'fedcba987654');
  await store.save({ marker: 1 } as never);
  await store.clear();
  expect(readdirSync(dir).sort()).toEqual([...keep].sort());
  for (const n of keep) rmSync(join(dir, n));
});

test('an upload resumed from a checkpoint beside a killed save leaves no temporary file', async () => {
  const PART = 100 * 1024;
  const path = join(dir, 'data.bin');
  const cp = join(dir, 'data.bin.ks3-upload');
  writeFileSync(path, pseudoRandomBytes(6 * PART + 10, 8));
  // An upload stopped after two parts keeps its checkpoint (it has a checkpoint file)…
  const ac = new AbortController();
  const first = await KS3.uploadFile(emu.client, {
    bucket: emu.bucket,
    key: 'resumed',
    path,
    checkpointPath: cp,
    partSize: PART,
    concurrency: 1,
    signal: ac.signal,
    onCheckpoint: (c) => void (c.parts.length === 2 && ac.abort()),
  }).catch((e: unknown) => e);
  expect((first as Error).name).toBe('AbortError');
  expect(existsSync(cp)).toBe(true);
  // …and the process that made it was killed mid-save twice over.
  leftover(cp, 'aaaaaaaaaaaa');
  leftover(cp, '000000000001');
  const done = await KS3.uploadFile(emu.client, {
    bucket: emu.bucket,
    key: 'resumed',
    path,
    checkpointPath: cp,
    partSize: PART,
  });
  expect(done.parts).toBe(7);
  expect(readdirSync(dir)).toEqual(['data.bin']);
});
