/**
 * Encryption key files, compatible with the Python SDK's: 16 raw bytes; leading and trailing
 * ASCII whitespace is ignored when loading (ks3-protocol.md §6.1).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { Ks3InputError } from '@ks3/core';
import { parseKeyFile } from '@ks3/core/crypto';

/**
 * Reads a key file for `createClient({ encryption: { key } })`.
 * @throws {Ks3InputError} unless the file holds exactly 16 bytes (after trimming whitespace).
 */
export async function loadKeyFile(path: string): Promise<Uint8Array> {
  return parseKeyFile(await readFile(path));
}

const WHITESPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);

/**
 * Writes a new random 16-byte key to `path` with mode 0600 and returns it. It never
 * overwrites an existing file. Unlike the reference's generator, the key never starts or ends
 * with a whitespace byte, which the reference would strip when loading (about 4.6 % of its keys
 * are unusable for that reason), so both SDKs can load every key this makes.
 * @throws {Ks3InputError} when `path` exists.
 */
export async function generateKeyFile(path: string): Promise<Uint8Array> {
  let key: Uint8Array;
  do key = randomBytes(16);
  while (WHITESPACE.has(key[0]!) || WHITESPACE.has(key[15]!));
  try {
    await writeFile(path, key, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new Ks3InputError('path', `${path} exists; refusing to overwrite a key file`, {
        operation: 'GenerateKeyFile',
        cause: e,
      });
    throw e;
  }
  return key;
}
