#!/usr/bin/env node
/**
 * How much of a size preset's up-front code the plain path runs: bundles bench/presets/<preset>
 * as scripts/size.mjs does (minified, split; again unminified for the per-module list), runs its
 * operations once against an embedded emulator with V8 coverage on, and reports the gzip size of
 * everything loaded beside the gzip size of the characters that executed. The difference is the
 * most that moving code out of the first load could save; the per-module list (unminified) says
 * where the unexecuted code is.
 *
 *   node scripts/size-coverage.mjs [put-get.ts | crud.ts | presign.ts]
 *
 * A tool for size work, not a check: the figures depend on what the scenario below calls.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT, writeBundle } from './size.mjs';

const preset = process.argv[2] ?? 'put-get.ts';
const KEYS = { accessKeyId: 'AKLTcoverage0000000000', secretAccessKey: 'coverage-secret-not-real' };
const gz = (text) => gzipSync(Buffer.from(text), { level: 9 }).length;

/** The preset's operations on the plain path: V4, static keys, small in-memory bodies. */
async function scenario(mod, endpoint) {
  const client = mod.createClient({ endpoint, region: 'BEIJING', ...KEYS });
  const o = { bucket: 'coverage', key: 'a.txt' };
  if (mod.presignUrl) await mod.presignUrl(client, { ...o, expiresIn: 60 });
  if (mod.putObject) await mod.putObject(client, { ...o, body: 'hello' });
  if (mod.headObject) await mod.headObject(client, o);
  if (mod.listObjects) await mod.listObjects(client, { bucket: o.bucket });
  if (mod.getObject) await (await mod.getObject(client, o)).text();
  if (mod.deleteObject) await mod.deleteObject(client, o);
}

/** Loaded script text, and per script the flags of executed characters. */
async function covered(run) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  await run();
  const { result } = await session.post('Profiler.takePreciseCoverage');
  session.disconnect();
  return result;
}

async function main() {
  // One directory per build (the entry's file name is the same in both) and one for the emulator.
  const dirs = ['min-', 'plain-', 'emu-'].map((p) => mkdtempSync(join(tmpdir(), `ks3-cov-${p}`)));
  const data = dirs[2];
  try {
    const entry = join(ROOT, 'bench/presets', preset);
    const rows = [];
    for (const minify of [true, false]) {
      const out = dirs[minify ? 0 : 1];
      const bundled = await writeBundle(entry, out, { minify });
      const { startEmulator } = await import('@ks3/emulator');
      const emu = await startEmulator({ port: 0, dataDir: data, credentials: [KEYS], quiet: true });
      const core = await import('@ks3/core');
      const admin = core.createClient({ endpoint: emu.url, region: 'BEIJING', ...KEYS });
      await core.createBucket(admin, { bucket: 'coverage' }).catch(() => {});
      const url = pathToFileURL(bundled.entry).href;
      const scripts = await covered(async () => scenario(await import(url), emu.url));
      await emu.close();
      rows.push({ minify, scripts: scripts.filter((s) => s.url.startsWith(pathToFileURL(out).href)) });
    }
    report(rows);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

function executedFlags(script, length) {
  const flags = new Uint8Array(length).fill(1);
  for (const fn of script.functions)
    for (const r of fn.ranges) flags.fill(r.count > 0 ? 1 : 0, r.startOffset, r.endOffset);
  return flags;
}

function report(rows) {
  let all = '';
  let ran = '';
  for (const s of rows.find((r) => r.minify).scripts) {
    const text = readFileSync(new URL(s.url), 'utf8');
    const flags = executedFlags(s, text.length);
    all += text;
    for (let i = 0; i < text.length; i++) if (flags[i]) ran += text[i];
  }
  console.log(`${preset}: loaded ${(gz(all) / 1024).toFixed(2)} KB gzip (the chunks concatenated), of which the`);
  console.log(`executed characters alone ${(gz(ran) / 1024).toFixed(2)} KB gzip.`);
  const unexecuted = new Map();
  for (const s of rows.find((r) => !r.minify).scripts) {
    const text = readFileSync(new URL(s.url), 'utf8');
    const flags = executedFlags(s, text.length);
    let module = '?';
    let at = 0;
    for (const line of text.split('\n')) {
      module = line.match(/^\/\/ ((?:packages|node_modules)\/\S+)/)?.[1] ?? module;
      let n = 0;
      for (let i = 0; i < line.length; i++) if (!flags[at + i] && line[i] !== ' ') n++;
      unexecuted.set(module, (unexecuted.get(module) ?? 0) + n);
      at += line.length + 1;
    }
  }
  console.log('\nUnexecuted non-blank characters per module (unminified):');
  for (const [m, n] of [...unexecuted].sort((a, b) => b[1] - a[1])) if (n > 0) console.log(String(n).padStart(7), m);
}

await main();
process.exit(0);
