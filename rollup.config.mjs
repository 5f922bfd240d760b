// One build for every published package: ESM + CJS + bundled .d.ts (.d.ts and .d.cts), core
// twice (default/worker and browser platform variants), and the browser CDN files (IIFE + UMD,
// minified, global `KS3`). Workspace packages stay external in library builds and are bundled
// from source into the CDN files.
import { copyFileSync, rmSync } from 'node:fs';
import resolve from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';

const TARGET = 'es2022';
const external = (id) => /^node:/.test(id) || /^@ks3\//.test(id) || id === 'txml' || id.startsWith('txml/');

function lib(pkg, { browserVariant = false, entries = { index: 'src/index.ts' } } = {}) {
  const dir = `packages/${pkg}`;
  const input = Object.fromEntries(Object.entries(entries).map(([name, src]) => [name, `${dir}/${src}`]));
  const js = (conditions, suffix) => ({
    input,
    external,
    plugins: [
      resolve({ exportConditions: conditions, extensions: ['.ts', '.js'] }),
      esbuild({ target: TARGET, tsconfig: `${dir}/tsconfig.json` }),
    ],
    // Encryption is loaded on first use (a dynamic import), so it lands in its own chunk.
    output: [
      {
        dir: `${dir}/dist`,
        entryFileNames: `[name]${suffix}.mjs`,
        chunkFileNames: `chunks/[name]${suffix}-[hash].mjs`,
        format: 'es',
        sourcemap: true,
      },
      {
        dir: `${dir}/dist`,
        entryFileNames: `[name]${suffix}.cjs`,
        chunkFileNames: `chunks/[name]${suffix}-[hash].cjs`,
        format: 'cjs',
        sourcemap: true,
        exports: 'named',
      },
    ],
  });
  const builds = [js(['node'], '')];
  if (browserVariant) builds.push(js(['browser'], '.browser'));
  for (const name of Object.keys(entries)) {
    builds.push({
      input: input[name],
      external,
      plugins: [
        dts({ tsconfig: `${dir}/tsconfig.json` }),
        { name: 'cts-copy', writeBundle: () => copyFileSync(`${dir}/dist/${name}.d.ts`, `${dir}/dist/${name}.d.cts`) },
      ],
      output: { file: `${dir}/dist/${name}.d.ts`, format: 'es' },
    });
  }
  return builds;
}

const cdn = {
  input: 'packages/browser/src/cdn.ts',
  plugins: [
    resolve({ browser: true, exportConditions: ['source', 'browser'], extensions: ['.ts', '.js'] }),
    esbuild({ target: TARGET, minify: true, tsconfig: 'packages/browser/tsconfig.json' }),
  ],
  output: [
    {
      file: 'packages/browser/dist/ks3.min.js',
      format: 'iife',
      name: 'KS3',
      sourcemap: true,
      inlineDynamicImports: true,
    },
    {
      file: 'packages/browser/dist/ks3.umd.min.js',
      format: 'umd',
      name: 'KS3',
      sourcemap: true,
      inlineDynamicImports: true,
    },
  ],
};

// Start from empty dist folders: chunk names carry content hashes, so stale chunks would pile up
// (and be published) otherwise. The emulator's dist holds the .d.ts files that `tsc -p
// packages/emulator/tsconfig.build.json` writes after this build (package.json "build").
for (const pkg of ['core', 'multipart', 'node', 'browser', 'emulator'])
  rmSync(`packages/${pkg}/dist`, { recursive: true, force: true });

export default [
  ...lib('core', {
    browserVariant: true,
    entries: { index: 'src/index.ts', crypto: 'src/crypto/index.ts', internal: 'src/internal.ts' },
  }),
  ...lib('multipart'),
  ...lib('node'),
  ...lib('browser'),
  cdn,
];
