/**
 * Browser: the AES and MD5 figures in Chromium (Playwright, Debian's Chromium, nothing
 * downloaded), and a 256 MiB upload from a Blob to the emulator through the SDK against a raw
 * fetch PUT of a presigned URL from the same page. The page is served from http://localhost
 * (a secure context, so WebCrypto is there); the emulator runs in its own process on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBucket, createClient } from '@ks3/core';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../lib/machine.mjs';
import { compare, MiB } from '../lib/measure.mjs';

const AES_TOTAL = 64 * MiB;
const MD5_TOTAL = 128 * MiB;
const UPLOAD = 256 * MiB;
const CHUNKS = [
  ['64 KiB', 64 * 1024],
  ['1 MiB', MiB],
  ['8 MiB', 8 * MiB],
];
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CREDENTIALS = { accessKeyId: 'BENCHAK', secretAccessKey: 'bench-secret-key' };

async function servePage(root) {
  const out = await build({
    entryPoints: [join(import.meta.dirname, '../browser/page.mjs')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source', 'browser'],
    absWorkingDir: root,
    logLevel: 'silent',
  });
  const js = out.outputFiles[0].contents;
  const html =
    '<!doctype html><meta charset="utf-8"><script type="module">import * as bench from "/page.js"; window.bench = bench;</script>';
  const server = createServer((req, res) => {
    if (req.url === '/page.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise((r) => server.listen(0, 'localhost', r));
  return {
    url: `http://localhost:${server.address().port}/`,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
  };
}

async function startEmulator(root, dataDir) {
  const child = spawn(
    process.execPath,
    [join(root, 'packages/emulator/bin/ks3-emulator.js'), '--port', '0', '--data', dataDir, '--quiet', '--cors', 'any'],
    {
      env: { ...process.env, KS3_ACCESS_KEY: CREDENTIALS.accessKeyId, KS3_SECRET_KEY: CREDENTIALS.secretAccessKey },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
  return { url, close: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) };
}

export default async function browser(report, { root }) {
  report.section(
    'Browser (Chromium)',
    `Chromium driven by Playwright; each run is timed inside the page. AES: ${AES_TOTAL / MiB} MiB per run, chained; the baseline is raw chained \`crypto.subtle\` CBC (drop the pad block / append a forged block), the fastest any WebCrypto cipher can be. MD5: ${MD5_TOTAL / MiB} MiB in 1 MiB updates. Upload: a ${UPLOAD / MiB} MiB Blob to the emulator (cross-origin, CORS), \`putObject\` against \`fetch(presignedUrl, { method: 'PUT', body: blob })\`. MB/s, higher is better.`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'ks3-bench-emu-'));
  const page$ = await servePage(root);
  const emu = await startEmulator(root, dataDir);
  const b = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const bucket = 'bench-browser';
    await createBucket(createClient({ endpoint: emu.url, ...CREDENTIALS }), { bucket });
    const page = await b.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(page$.url);
    await page.waitForFunction(() => window.bench !== undefined, undefined, { timeout: 30_000 });
    const call =
      (fn, ...args) =>
      () =>
        page.evaluate(([f, a]) => window.bench[f](...a), [fn, args]);

    for (const [label, chunk] of CHUNKS) {
      for (const dir of ['enc', 'dec']) {
        const r = await compare({
          ours: call('aes', 'ours', dir, chunk, AES_TOTAL),
          raw: call('aes', 'raw', dir, chunk, AES_TOTAL),
        });
        report.row({
          figure: `Chromium AES-128-CBC ${dir === 'enc' ? 'encrypt' : 'decrypt'}, ${label} chunks, MB/s ↑`,
          ours: r.ours,
          baseline: r.raw,
          baselineName: 'raw chained `crypto.subtle`',
        });
      }
    }
    const m = await compare({
      ours: call('md5', 'ours', MD5_TOTAL),
      wasm: call('md5', 'hash-wasm', MD5_TOTAL),
      js: call('md5', 'js-md5', MD5_TOTAL),
    });
    report.row({
      figure: 'Chromium MD5, 1 MiB updates, MB/s ↑',
      ours: m.ours,
      baseline: m.wasm,
      baselineName: 'hash-wasm (WebAssembly)',
    });
    report.row({
      figure: 'Chromium MD5, 1 MiB updates, MB/s ↑',
      ours: m.ours,
      baseline: m.js,
      baselineName: 'js-md5 (pure JS)',
    });

    const target = { endpoint: emu.url, bucket, ...CREDENTIALS };
    const u = await compare({
      ours: call('upload', 'ours', UPLOAD, target),
      raw: call('upload', 'raw', UPLOAD, target),
    });
    report.row({
      figure: 'Chromium upload of a 256 MiB Blob to the emulator, MB/s ↑',
      ours: u.ours,
      baseline: u.raw,
      baselineName: 'raw `fetch` PUT (presigned URL)',
    });
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  } finally {
    await b.close();
    await emu.close();
    await page$.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
