#!/usr/bin/env node
/**
 * Bundle sizes of the SDK's usage presets, and their budgets.
 *
 * Each preset is a small entry file under bench/presets/ importing only what an app of that kind
 * needs. It is bundled the way an app's bundler would: esbuild, ESM, minified, browser platform,
 * tree-shaken, export conditions ['source', 'browser'] (so no build is needed). Code splitting is
 * on, so what the SDK loads lazily (the cipher behind the client's `encryption` option) lands in
 * its own chunk: a preset counts either what an app loads up front (`initial`: the entry and the
 * chunks it imports statically) or everything (`all`, for presets that use the lazy parts).
 * Bytes are minified and gzip -9 (zlib level 9), summed over the counted chunks.
 * The `cdn` preset is the real CDN file, packages/browser/dist/ks3.min.js, built by rollup
 * (`pnpm build`).
 *
 *   node scripts/size.mjs           print the table
 *   node scripts/size.mjs --check   also exit 1 naming every preset over its budget
 *   node scripts/size.mjs --json    print the results as JSON
 *
 * Budgets and the reason for each are in scripts/size-budgets.json. A preset whose entry imports
 * a name that a package does not export yet (work in progress) is reported as pending, not as a
 * failure; any other build error fails the check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PRESETS_DIR = join(ROOT, 'bench/presets');

/**
 * @typedef {object} Preset
 * @property {string} name
 * @property {string} [label]
 * @property {string} [entry] file name under bench/presets/
 * @property {string} [entryPath] absolute path of an entry elsewhere
 * @property {string} [file] a built file to measure as it is (repo-relative)
 * @property {'initial' | 'all'} [count] which chunks count (default 'initial')
 * @property {boolean} [verifyExports] check that every name the entry exports exists (default true)
 */
/**
 * @typedef {object} PresetRow
 * @property {string} name
 * @property {string} label
 * @property {number} budget gzip bytes
 * @property {string} [reason]
 * @property {number} [minified]
 * @property {number} [gzip]
 * @property {number} [chunks]
 * @property {number} [lazyChunks]
 * @property {'ok' | 'over' | 'pending' | 'error'} [status]
 * @property {string} [message]
 */

/** The SDK's presets, in the order of the issue. `cdn` has a file instead of an entry. @type {Preset[]} */
export const PRESETS = [
  { name: 'presign', label: 'presign only', entry: 'presign.ts', count: 'initial' },
  { name: 'put-get', label: 'put+get', entry: 'put-get.ts', count: 'initial' },
  { name: 'crud', label: 'put+get+list+head+delete', entry: 'crud.ts', count: 'initial' },
  { name: 'upload-manager', label: 'full upload manager', entry: 'upload-manager.ts', count: 'initial' },
  { name: 'encryption-upload', label: 'encryption + upload manager', entry: 'encryption-upload.ts', count: 'all' },
  { name: 'put-get-credentials', label: 'put+get, credentials provider', entry: 'put-get-credentials.ts' },
  { name: 'post-object', label: 'POST-policy upload', entry: 'post-object.ts', count: 'initial' },
  { name: 'cdn', label: 'whole CDN file (ks3.min.js)', file: 'packages/browser/dist/ks3.min.js' },
];

const gzipBytes = (buf) => gzipSync(buf, { level: 9 }).length;

const OUT = join(ROOT, '.size-out');

/** The minified (unless told), code-split ESM browser bundle of `entry`, in memory, with its metafile. */
async function bundle(entry, conditions, { minify = true } = {}) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    absWorkingDir: ROOT,
    outdir: OUT,
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: 'es2022',
    minify,
    treeShaking: true,
    conditions,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return result;
}

/** Bundles one entry; returns { minified, gzip } summed over the counted chunks. */
export async function bundleSize(entry, { count = 'initial', conditions = ['source', 'browser'] } = {}) {
  const result = await bundle(entry, conditions);
  const files = new Map(
    result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => [relative(ROOT, f.path), f.contents]),
  );
  const outputs = result.metafile.outputs;
  let counted = [...files.keys()];
  if (count === 'initial') counted = [...initialOutputs(outputs, entry)];
  let minified = 0;
  let gzip = 0;
  for (const k of counted) {
    const bytes = files.get(k);
    if (!bytes) continue;
    minified += bytes.length;
    gzip += gzipBytes(bytes);
  }
  return { minified, gzip, chunks: counted.length, lazyChunks: files.size - counted.length };
}

/**
 * The outputs an app loads up front: the entry's own output and what it imports statically,
 * transitively. The entry's output is the one whose `entryPoint` is the entry file: chunks of
 * dynamic imports carry an `entryPoint` too (their module), so "the first output with one" may be
 * a lazy chunk.
 */
function initialOutputs(outputs, entry) {
  const start = entryOutput(outputs, entry);
  const seen = new Set();
  const walk = (k) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const imp of outputs[k]?.imports ?? []) if (imp.kind === 'import-statement') walk(imp.path);
  };
  walk(start);
  return seen;
}

/** The output whose `entryPoint` is the entry file itself (lazy chunks carry one too). */
function entryOutput(outputs, entry) {
  const rel = relative(ROOT, entry).split(sep).join('/');
  const start = Object.keys(outputs).find((k) => outputs[k].entryPoint === rel && k.endsWith('.js'));
  if (!start) throw new Error(`no output for the entry ${rel}`);
  return start;
}

/**
 * Writes an entry's bundle, as the presets are measured (or unminified), into `dir`, to run it.
 * @returns {Promise<{ entry: string, lazy: { file: string, entryPoint: string | undefined }[] }>}
 *   the entry's file, and the chunks a preset does not count (their files, their modules).
 */
export async function writeBundle(entry, dir, { minify = true } = {}) {
  const { writeFile } = await import('node:fs/promises');
  const result = await bundle(entry, ['source', 'browser'], { minify });
  const outputs = result.metafile.outputs;
  const initial = initialOutputs(outputs, entry);
  const where = (k) => join(dir, relative(OUT, join(ROOT, k)));
  for (const f of result.outputFiles) await writeFile(join(dir, relative(OUT, f.path)), f.contents);
  const lazy = Object.keys(outputs)
    .filter((k) => k.endsWith('.js') && !initial.has(k))
    .map((k) => ({ file: where(k), entryPoint: outputs[k].entryPoint }));
  return { entry: where(entryOutput(outputs, entry)), lazy };
}

/**
 * Every chunk of an entry's bundle: its module (for lazy chunks), gzip bytes, and whether it is
 * loaded up front. For checks such as "the XHR transport is a lazy chunk of under 1.5 KB".
 * @returns {Promise<{ path: string, entryPoint: string | undefined, gzip: number, initial: boolean }[]>}
 */
export async function chunksOf(entry, { conditions = ['source', 'browser'] } = {}) {
  const result = await bundle(entry, conditions);
  const outputs = result.metafile.outputs;
  const initial = initialOutputs(outputs, entry);
  return result.outputFiles
    .filter((f) => f.path.endsWith('.js'))
    .map((f) => {
      const path = relative(ROOT, f.path);
      return { path, entryPoint: outputs[path]?.entryPoint, gzip: gzipBytes(f.contents), initial: initial.has(path) };
    });
}

/** Size of a file on disk (the rollup-built CDN bundle). */
export function fileSize(path) {
  const bytes = readFileSync(path);
  return { minified: bytes.length, gzip: gzipBytes(bytes), chunks: 1, lazyChunks: 0 };
}

export function loadBudgets() {
  return JSON.parse(readFileSync(join(ROOT, 'scripts/size-budgets.json'), 'utf8'));
}

/**
 * Names that the entry's `export { … }` lists declare but its bundle does not export. esbuild
 * cannot tell a missing import from a type-only one in TypeScript sources, so it drops
 * `export { upload }` from a package that does not export `upload` yet without complaint;
 * evaluating a Node build of the entry tells.
 */
export async function missingExports(entry) {
  const source = readFileSync(entry, 'utf8');
  const declared = [...source.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) =>
    m[1]
      .split(',')
      .map((n) =>
        n
          .trim()
          .split(/\s+as\s+/)
          .pop(),
      )
      .filter(Boolean),
  );
  if (declared.length === 0) return [];
  const { build } = await import('esbuild');
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    conditions: ['source'],
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(r.outputFiles[0].contents).toString('base64')}`);
  return declared.filter((k) => mod[k] === undefined);
}

/**
 * Measures presets and compares each with its budget (or with `budgetOverride`). A preset is
 * `pending` when its entry exports a name its package does not export yet.
 * @param {{ presets?: Preset[], budgets?: any, budgetOverride?: number }} [options]
 * @returns {Promise<PresetRow[]>}
 */
export async function measurePresets({ presets = PRESETS, budgets = loadBudgets(), budgetOverride } = {}) {
  const rows = [];
  for (const p of presets) {
    const b = budgets.presets[p.name] ?? budgets.default;
    const budget = budgetOverride ?? b.gzip;
    /** @type {PresetRow} */
    const row = { name: p.name, label: p.label ?? p.name, budget, reason: b.reason };
    try {
      if (p.file) {
        const path = join(ROOT, p.file);
        if (!existsSync(path)) throw new Error(`${p.file} is missing: run \`pnpm build\` first`);
        Object.assign(row, fileSize(path));
      } else {
        const entry = p.entryPath ?? join(PRESETS_DIR, p.entry);
        const missing = p.verifyExports === false ? [] : await missingExports(entry);
        if (missing.length) {
          Object.assign(row, { status: 'pending', message: `${missing.join(', ')} not exported yet` });
          rows.push(row);
          continue;
        }
        Object.assign(row, await bundleSize(entry, { count: p.count }));
      }
      row.status = row.gzip <= budget ? 'ok' : 'over';
    } catch (e) {
      row.status = 'error';
      row.message = String(e?.message ?? e).split('\n')[0];
    }
    rows.push(row);
  }
  return rows;
}

/** The presets that fail the check (over budget, or could not be measured). @param {PresetRow[]} rows */
export const failures = (rows) => rows.filter((r) => r.status === 'over' || r.status === 'error');

export function formatTable(rows) {
  const kb = (n) => (n === undefined ? '–' : `${(n / 1024).toFixed(2)} KB`);
  const lines = ['preset                          minified     gzip -9     budget   status'];
  for (const r of rows) {
    lines.push(
      `${r.label.padEnd(30)} ${kb(r.minified).padStart(10)} ${kb(r.gzip).padStart(11)} ${kb(r.budget).padStart(10)}   ${r.status}${r.message ? ` (${r.message})` : ''}`,
    );
  }
  return lines.join('\n');
}

async function main(argv) {
  const rows = await measurePresets();
  if (argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else console.log(formatTable(rows));
  if (!argv.includes('--check')) return 0;
  const bad = failures(rows);
  for (const r of bad) {
    console.error(
      r.status === 'over'
        ? `✗ ${r.name} (${r.label}): ${r.gzip} B gzip is over its budget of ${r.budget} B`
        : `✗ ${r.name} (${r.label}): ${r.message}`,
    );
  }
  for (const r of rows.filter((x) => x.status === 'pending')) console.error(`! ${r.name}: ${r.message}; not checked`);
  if (bad.length === 0) console.error('✓ every preset is within its budget');
  return bad.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
