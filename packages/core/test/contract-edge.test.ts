/**
 * The contract suite in a Workers-class runtime: core as a worker bundler resolves it (the
 * `worker` export condition, which Cloudflare's and Vercel's bundlers set), bundled into one
 * script and run in an EdgeVM (`@edge-runtime/vm`, the engine of Vercel's Edge Runtime): a V8
 * context with web globals only — fetch, WebCrypto, streams, Blob — and no `process`, `Buffer`,
 * `require` or `node:*` modules. The tests drive it from Node against the emulator. Needs
 * `pnpm build` (the test script runs it).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { expect, test } from 'vitest';
import { describeContract, type Ks3Api } from '../../../internal/test-utils/contract.js';

const root = resolve(import.meta.dirname, '../../..');

/** The globals a Workers-class runtime has not; core must not need them. */
const NODE_ONLY = ['process', 'Buffer', 'require', 'module', 'setImmediate', 'global', '__dirname'];

let vm: EdgeVM | undefined;

async function loadInEdgeVm(): Promise<Ks3Api> {
  if (!existsSync(resolve(root, 'packages/core/dist/index.mjs')))
    throw new Error('packages/core/dist is missing: run pnpm build first');
  // Resolved from a package that depends on @ks3/core, as an app's bundler would.
  const out = await build({
    entryPoints: ['@ks3/core'],
    absWorkingDir: resolve(root, 'packages/browser'),
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'KS3',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['worker'],
    logLevel: 'error',
    metafile: true,
  });
  const inputs = Object.keys(out.metafile.inputs);
  // The worker condition picks the default build, never the browser one or the sources.
  expect(inputs).toContain('../core/dist/index.mjs');
  expect(inputs.filter((f) => f.includes('.browser.') || f.endsWith('.ts'))).toEqual([]);
  // The tests run in Node's realm: they hand the SDK Dates and AbortSignals made there and check
  // the Dates it returns with instanceof. EdgeVM shares Uint8Array, ArrayBuffer, Error and a few
  // more between the realms for that reason; share these the same way (an app in a worker makes
  // and checks them in its own realm).
  vm = new EdgeVM({ extend: (context) => Object.assign(context, { AbortController, AbortSignal, Date }) });
  vm.evaluate(out.outputFiles[0]!.text);
  return vm.context.KS3 as Ks3Api;
}

describeContract('edge', loadInEdgeVm, {
  more: (ctx) => {
    test('the runtime has web globals only, and the SDK ran inside it', async () => {
      const types = vm!.evaluate(`(${JSON.stringify(NODE_ONLY)}).map((n) => typeof globalThis[n])`) as string[];
      expect(types).toEqual(NODE_ONLY.map(() => 'undefined'));
      // Its fetch is edge-runtime's own undici build, not Node's (its WebCrypto is Node's).
      expect(vm!.context.fetch).not.toBe(globalThis.fetch);
      const { api, client } = ctx();
      // No `process` in the runtime, so no `node/<version>` in the User-Agent.
      expect(client.userAgent).toBe(`ks3-js/${api.VERSION} js`);
    });
  },
});
