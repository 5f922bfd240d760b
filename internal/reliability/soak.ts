/**
 * The soak: transfers of every kind (soak-transfers.ts) through the fault proxy in front of a
 * fresh emulator, a few at a time, until a count or a time cap. Then the whole bucket is checked
 * once more (no multipart upload left, no temporary file), every error the transfers produced is
 * scanned for secrets, and the figures come back as a report (RELIABILITY.md is written from it).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as KS3 from '@ks3/node';
import { startEmulator } from '@ks3/emulator';
import { TEST_CREDENTIALS } from '../test-utils/credentials.js';
import { FAULT_GROUP, FAULT_KINDS, type FaultKind, seededRandom, startFaultProxy } from '../test-utils/fault-proxy.js';
import { scanErrors } from '../test-utils/secret-scan.js';
import { type Kind, KINDS, type Outcome, runTransfer, type SoakEnv, sizeFor, VIOLATIONS } from './soak-transfers.js';

export interface SoakOptions {
  seed: number;
  /** Transfers to run. */
  count: number;
  /** Stop starting transfers after this long (ms). */
  timeCapMs: number;
  /** Transfers in flight at once. */
  concurrency: number;
  /** Size multiplier (1: small sizes, up to 256 KiB; the long soak uses more). */
  scale: number;
  rates: Partial<Record<FaultKind, number>>;
  /** Print a line on stderr every this many transfers (0: never). */
  progressEvery?: number;
}

/** The faults of the soak, per request through the proxy (about 23 % of requests: 7 % resets, 7.5 % 5xx). */
export const SOAK_RATES: Record<FaultKind, number> = {
  'reset-before-headers': 0.03,
  'reset-upload': 0.02,
  'reset-download': 0.02,
  truncate: 0.015,
  'error-500': 0.02,
  'error-503': 0.02,
  'retry-after-seconds': 0.01,
  'retry-after-date': 0.005,
  'throttle-429': 0.02,
  'gateway-502': 0.02,
  drip: 0.02,
  stall: 0.004,
  garble: 0.01,
};

export interface SoakReport {
  options: Omit<SoakOptions, 'rates'>;
  durationMs: number;
  timeCapped: boolean;
  transfers: number;
  bytes: number;
  byKind: Record<string, Partial<Record<Outcome, number>> & { tried: number }>;
  outcomes: Partial<Record<Outcome, number>>;
  violations: number;
  requests: number;
  faults: Record<FaultKind, number>;
  groups: Record<string, number>;
  resumedDownloads: number;
  uploadsAborted: number;
  orphansAtEnd: number;
  tempFilesAtEnd: number;
  errors: { scanned: number; renderings: number; secretsFound: number; byName: Record<string, number> };
  /** A few failures, for the log. */
  samples: string[];
}

const firstLine = (e: unknown): string =>
  String((e as Error)?.message ?? e)
    .split('\n')[0]!
    .slice(0, 200);

/** Runs a soak; never throws for a transfer's failure (they are counted). */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'ks3-soak-emu-'));
  const dir = mkdtempSync(join(tmpdir(), 'ks3-soak-files-'));
  const emu = await startEmulator({ port: 0, dataDir, credentials: [TEST_CREDENTIALS], quiet: true });
  let resumedDownloads = 0;
  let uploadsAborted = 0;
  const proxy = await startFaultProxy({
    target: emu.url,
    seed: o.seed,
    rates: o.rates,
    stallMs: 5000,
    observe: (r) => {
      if (r.method === 'GET' && r.headers['if-match']) resumedDownloads++;
      if (r.method === 'DELETE' && r.url.includes('uploadId=')) uploadsAborted++;
    },
  });
  const key = { encryption: { key: 'ks3-demo-key-16b' } };
  // Through the proxy: retries with short waits, a timeout that stalls outlast, a Retry-After cap
  // that some injected answers exceed (those fail at once, as they should).
  const faulty = { endpoint: proxy.url, ...TEST_CREDENTIALS, retries: 4, retryDelay: 2, timeout: 1500 };
  const through = { ...faulty, maxRetryAfter: 1500 };
  const direct = { endpoint: emu.url, ...TEST_CREDENTIALS, retries: 3 };
  const env: SoakEnv = {
    bucket: `soak-${o.seed}`,
    plain: KS3.createClient(through),
    encrypted: KS3.createClient({ ...through, ...key }),
    direct: KS3.createClient(direct),
    directEncrypted: KS3.createClient({ ...direct, ...key }),
    dir,
  };
  const random = seededRandom(o.seed * 7919 + 1);
  const outcomes: Partial<Record<Outcome, number>> = {};
  const byKind: SoakReport['byKind'] = Object.fromEntries(KINDS.map((k) => [k, { tried: 0 }]));
  const errors: unknown[] = [];
  const byName: Record<string, number> = {};
  const samples: string[] = [];
  let next = 0;
  let done = 0;
  let bytes = 0;
  let timeCapped = false;
  try {
    await KS3.createBucket(env.direct, { bucket: env.bucket });
    const plan = Array.from({ length: o.count }, () => {
      const kind = KINDS[Math.floor(random() * KINDS.length)] as Kind;
      return { kind, size: sizeFor(kind, random(), o.scale) };
    });
    const worker = async (): Promise<void> => {
      for (let i = next++; i < o.count; i = next++) {
        if (Date.now() - started > o.timeCapMs) {
          timeCapped = true;
          return;
        }
        const { kind, size } = plan[i]!;
        const r = await runTransfer(env, i, kind, size);
        bytes += size;
        done++;
        if (o.progressEvery && done % o.progressEvery === 0)
          process.stderr.write(`soak: ${done}/${o.count} transfers, ${Math.round((Date.now() - started) / 1000)} s\n`);
        outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
        const k = byKind[kind]!;
        k.tried++;
        k[r.outcome] = (k[r.outcome] ?? 0) + 1;
        if (r.error !== undefined) {
          errors.push(r.error);
          const name = (r.error as Error)?.name ?? typeof r.error;
          byName[name] = (byName[name] ?? 0) + 1;
        }
        if ((VIOLATIONS.includes(r.outcome) || (r.error && samples.length < 12)) && samples.length < 40)
          samples.push(`#${i} ${kind} ${size} B: ${r.outcome}${r.error ? ` — ${firstLine(r.error)}` : ''}`);
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    let orphansAtEnd = 0;
    for await (const _ of KS3.listAllMultipartUploads(env.direct, { bucket: env.bucket })) orphansAtEnd++;
    const tempFilesAtEnd = readdirSync(dir).filter((f) => f.endsWith('.ks3-partial')).length;
    const scan = scanErrors(errors);
    const groups: Record<string, number> = {};
    for (const k of FAULT_KINDS) groups[FAULT_GROUP[k]] = (groups[FAULT_GROUP[k]] ?? 0) + proxy.counts[k];
    const transfers = Object.values(outcomes).reduce((a, b) => a + (b ?? 0), 0);
    return {
      options: { seed: o.seed, count: o.count, timeCapMs: o.timeCapMs, concurrency: o.concurrency, scale: o.scale },
      durationMs: Date.now() - started,
      timeCapped,
      transfers,
      bytes,
      byKind,
      outcomes,
      violations: VIOLATIONS.reduce((n, v) => n + (outcomes[v] ?? 0), 0) + orphansAtEnd + tempFilesAtEnd,
      requests: proxy.requests,
      faults: { ...proxy.counts },
      groups,
      resumedDownloads,
      uploadsAborted,
      orphansAtEnd,
      tempFilesAtEnd,
      errors: { scanned: scan.scanned, renderings: scan.renderings, secretsFound: scan.leaks.length, byName },
      samples: [...samples, ...scan.leaks.map((l) => `secret: ${l}`)],
    };
  } finally {
    await proxy.close();
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
