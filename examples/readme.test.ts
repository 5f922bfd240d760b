/**
 * Every code block of every README runs (issue 9.19), as examples/node does:
 * - `ts`/`js` blocks are bundled (esbuild, sources) after examples/readme-context.ts, which
 *   gives them what a reader is assumed to have (`client`, `bucket`, `key`, `file`, `path`, …)
 *   and points the READMEs' real KS3 endpoints at the shared emulator, then run with Node in a
 *   scratch directory; they must exit cleanly.
 * - `html` blocks are served as a page (the CDN build at the path the page names, a signing
 *   backend at `/api/ks3-sign`) and driven in Chromium: no page error, the upload lands.
 * - shell blocks: emulator commands (`node …/ks3-emulator.js`, `npx @ks3/emulator`) are started
 *   and must print their listening line; `npm
 *   install` names must be packages of this repository; `bash scripts/*.sh` must exist (they run
 *   the whole suite, so the suite cannot run them). Any other command fails this test.
 * Needs `pnpm build` for the html block (the CDN bundle), like the browser contract test.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import { afterAll, describe, expect, inject, test } from 'vitest';
import * as KS3 from '@ks3/node';
import { TEST_CREDENTIALS } from '../internal/test-utils/credentials.js';

const ROOT = resolve(import.meta.dirname, '..');
const READMES = ['README.md', ...readdirSync(join(ROOT, 'packages')).map((p) => `packages/${p}/README.md`)].filter(
  (f) => existsSync(join(ROOT, f)),
);
const run = promisify(execFile);

interface Block {
  where: string;
  lang: string;
  code: string;
}

/** The fenced blocks of a Markdown file that name a language (a bare fence is text, e.g. a tree). */
function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i]!);
    if (!open) {
      if (/^```\s*$/.test(lines[i]!)) while (++i < lines.length && !/^```\s*$/.test(lines[i]!));
      continue;
    }
    const start = i + 1;
    while (++i < lines.length && !/^```\s*$/.test(lines[i]!));
    out.push({ where: `${file}:${start}`, lang: open[1]!, code: lines.slice(start, i).join('\n') });
  }
  return out;
}

const BLOCKS = READMES.flatMap(blocksOf);
const unique = () => Math.random().toString(36).slice(2, 8);
const scratch: string[] = [];
const madeBuckets = new Set<string>();
const admin = () => KS3.createClient({ endpoint: inject('ks3').endpoint, ...TEST_CREDENTIALS, retries: 0 });

afterAll(async () => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
  for (const bucket of madeBuckets) await KS3.emptyAndDeleteBucket(admin(), { bucket }).catch(() => undefined);
});

/** Bucket names a block uses as literals, but does not create itself. */
function bucketsOf(code: string): string[] {
  const created = new Set([...code.matchAll(/createBucket\(\s*\w+,\s*\{\s*bucket:\s*'([^']+)'/g)].map((m) => m[1]!));
  const all = [...code.matchAll(/bucket:\s*'([a-z0-9.-]+)'/g)].map((m) => m[1]!);
  for (const b of all) madeBuckets.add(b);
  return [...new Set(all)].filter((b) => !created.has(b));
}

/** The block as a module: its imports hoisted, its body run inside the README context. */
function moduleOf(code: string): string {
  const imports: string[] = [];
  const bindings: string[] = [];
  const body = code.replace(/^import\s+([\s\S]+?)\s+from\s+['"]([^'"]+)['"];?[^\n]*$/gm, (_m, clause: string, from) => {
    const ns = `__m${imports.length}`;
    imports.push(`import * as ${ns} from ${JSON.stringify(from)};`);
    const named = /\{([\s\S]*)\}/.exec(clause)?.[1];
    const def = clause
      .replace(/\{[\s\S]*\}/, '')
      .replace(/,/g, '')
      .trim();
    if (def.startsWith('* as ')) bindings.push(`const ${def.slice(5)} = api(${ns});`);
    else if (def) bindings.push(`const ${def} = (${ns} as { default?: unknown }).default ?? ${ns};`);
    if (named) {
      const names = named
        .split(',')
        .map((n) => n.trim().replace(/^type\s+.*$/, ''))
        .filter(Boolean)
        .map((n) => n.replace(/\s+as\s+/, ': '));
      bindings.push(`const { ${names.join(', ')} } = api(${ns}) as typeof ${ns};`);
    }
    return '';
  });
  const context = join(ROOT, 'examples/readme-context.ts');
  return [
    `import { api, readmeContext } from ${JSON.stringify(context)};`,
    ...imports,
    'const { endpoint, accessKeyId, secretAccessKey, callbackUrl, client, bucket, key, body, file, path, stream,',
    '  signer, fileInput, bar, pauseButton, localStorage, userId, res } = await readmeContext();',
    'await (async () => {',
    ...bindings,
    body,
    '})();',
  ].join('\n');
}

async function runScript(block: Block): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ks3-readme-'));
  scratch.push(dir);
  const outfile = join(dir, 'block.mjs');
  await build({
    stdin: { contents: moduleOf(block.code), resolveDir: ROOT, loader: 'ts', sourcefile: block.where },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    outfile,
    logLevel: 'error',
    // CommonJS dependencies (fetch-ponyfill) need require in an ES module bundle.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const { endpoint, callbackUrl } = inject('ks3');
  const fixtures = [...block.code.matchAll(/(?:putObjectFromFile|uploadFile)\([^\n]*?path: '([^']+)'/g)].map(
    (m) => m[1]!,
  );
  const setup = {
    endpoint,
    callbackUrl,
    ...TEST_CREDENTIALS,
    bucket: `readme-${unique()}`,
    buckets: [] as string[],
    fixtures,
  };
  setup.buckets = [setup.bucket, ...bucketsOf(block.code)];
  madeBuckets.add(setup.bucket);
  try {
    await run(process.execPath, [outfile], {
      cwd: dir,
      timeout: 60_000,
      env: {
        ...process.env,
        README_SETUP: JSON.stringify(setup),
        KS3_ACCESS_KEY: TEST_CREDENTIALS.accessKeyId,
        KS3_SECRET_KEY: TEST_CREDENTIALS.secretAccessKey,
      },
    });
  } catch (e) {
    const { stderr = '', stdout = '' } = e as { stderr?: string; stdout?: string };
    throw new Error(`${block.where} failed:\n${stderr || stdout || String(e)}`);
  }
}

const WORKSPACE_PACKAGES = new Set(
  readdirSync(join(ROOT, 'packages')).map(
    (p) => (JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')) as { name: string }).name,
  ),
);

/** Starts a command that serves (the emulator), waits for its listening line, stops it. */
async function serveOnce(env: Record<string, string>, args: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ks3-readme-sh-'));
  scratch.push(dir);
  const script = resolve(ROOT, args[0]!);
  const child = spawn(process.execPath, [script, ...args.slice(1)], { cwd: dir, env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string | null>((r) => child.on('exit', (code, signal) => r(code ?? signal)));
  try {
    for (let i = 0; i < 300 && !/listening on http:\/\/\S+/.test(out) && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url, out).toBeTruthy();
    // It answers (an unsigned listing is refused, as KS3 would).
    expect((await fetch(`${url}/`)).status).toBe(403);
  } finally {
    child.kill('SIGTERM');
  }
  const how = await exited;
  expect(how, out).toBe(0);
  return out;
}

async function runShell(block: Block): Promise<void> {
  const commands = block.code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const line of commands) {
    const words = line
      .replace(/\[[^\]]*\]/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
    const env: Record<string, string> = {};
    while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? '')) {
      const [name, ...value] = words.shift()!.split('=');
      env[name!] = value.join('=');
    }
    if (words[0] === 'bash' && /^scripts\/[\w-]+\.sh$/.test(words[1] ?? '')) {
      expect(existsSync(join(ROOT, words[1]!)), `${block.where}: ${words[1]}`).toBe(true);
    } else if ((words[0] === 'npm' && words[1] === 'install') || (words[0] === 'pnpm' && words[1] === 'add')) {
      for (const name of words.slice(2).filter((w) => !w.startsWith('-'))) {
        expect(WORKSPACE_PACKAGES.has(name.replace(/(.)@[^@]*$/, '$1')), `${block.where}: ${name}`).toBe(true);
      }
    } else if (words[0] === 'node' && /ks3-emulator\.js$/.test(words[1] ?? '')) {
      await serveOnce(env, words.slice(1));
    } else if (words[0] === 'npx' && words[1] === '@ks3/emulator') {
      // The published bin, run from the workspace; a fixed port becomes a free one here.
      const args = words.slice(2).map((w, i, all) => (all[i - 1] === '--port' ? '0' : w));
      await serveOnce(env, ['packages/emulator/bin/ks3-emulator.js', ...args]);
    } else {
      throw new Error(`${block.where}: a README command this test cannot run: ${line}`);
    }
  }
}

/** Serves an html block with the CDN build and a signing backend; Chromium picks a file and uploads it. */
async function runPage(block: Block): Promise<void> {
  const { endpoint } = inject('ks3');
  for (const bucket of bucketsOf(block.code)) {
    await KS3.createBucket(admin(), { bucket }).catch((e: KS3.Ks3Error) => {
      if (e.code !== 'BucketAlreadyOwnedByYou') throw e;
    });
  }
  const sign = KS3.createV4Signer({ credentials: async () => TEST_CREDENTIALS, region: 'BEIJING' });
  // The page's own code runs unchanged; only its KS3 endpoints are pointed at the emulator.
  const redirect = `<script>KS3 = Object.assign({}, KS3, { createClient: ((real) => (c) => {
    const host = String(c.endpoint).replace(/^https?:\\/\\//, '');
    if (!/(^|\\.)ksyuncs\\.com$/.test(host)) return real(c);
    return real({ ...c, endpoint: ${JSON.stringify(endpoint)}, region: c.region ?? KS3.inferRegion(host) });
  })(KS3.createClient) });</script>`;
  const script = /<script src="([^"]+ks3\.min\.js)"><\/script>/.exec(block.code);
  expect(script, `${block.where} loads ks3.min.js`).toBeTruthy();
  const html = block.code.replace(script![0], `${script![0]}${redirect}`);
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    if (req.method === 'GET' && req.url === script![1]) {
      return res
        .writeHead(200, { 'content-type': 'text/javascript' })
        .end(readFileSync(join(ROOT, 'packages/browser/dist/ks3.min.js')));
    }
    if (req.method === 'POST' && req.url === '/api/ks3-sign') {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', async () => {
        const signed = await sign(JSON.parse(text));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(signed));
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, 'localhost', r));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://localhost:${(server.address() as AddressInfo).port}/`);
    const picked = `readme-${unique()}.txt`;
    await page.setInputFiles('input[type=file]', {
      name: picked,
      mimeType: 'text/plain',
      buffer: Buffer.from('picked'),
    });
    await page.waitForFunction(
      (name) => (document.querySelector('output, #status')?.textContent ?? '').includes(name),
      picked,
      { timeout: 20_000 },
    );
    expect(errors).toEqual([]);
    const bucket = /bucket: '([^']+)'/.exec(block.code)![1]!;
    expect(await (await KS3.getObject(admin(), { bucket, key: picked })).text()).toBe('picked');
  } finally {
    await browser.close();
    server.close();
  }
}

test('the READMEs have runnable blocks', () => {
  expect(BLOCKS.filter((b) => ['ts', 'js'].includes(b.lang)).length).toBeGreaterThanOrEqual(8);
  expect(BLOCKS.some((b) => b.lang === 'html')).toBe(true);
});

describe.each(BLOCKS)('$where ($lang)', (block) => {
  test('runs', async () => {
    if (block.lang === 'ts' || block.lang === 'js' || block.lang === 'typescript' || block.lang === 'javascript') {
      await runScript(block);
    } else if (block.lang === 'sh' || block.lang === 'bash') {
      await runShell(block);
    } else if (block.lang === 'html') {
      await runPage(block);
    } else {
      throw new Error(`${block.where}: no runner for \`\`\`${block.lang} blocks`);
    }
  }, 90_000);
});
