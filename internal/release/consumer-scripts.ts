/**
 * What the installed-packages test runs in its npm project: scripts a user could write (each
 * takes endpoint, access key, secret key and a bucket name as arguments) and the TypeScript
 * settings the consumer files (./consumer/) must compile under.
 */

const ARGS = 'const [endpoint, accessKeyId, secretAccessKey, bucket] = process.argv.slice(2);';

export const scripts: Record<string, string> = {
  'esm.mjs': `import * as node from '@ks3/node';
import * as core from '@ks3/core';
import * as browser from '@ks3/browser';
import * as multipart from '@ks3/multipart';
${ARGS}
const client = node.createClient({ endpoint, accessKeyId, secretAccessKey });
await core.createBucket(client, { bucket });
await node.putObject(client, { bucket, key: 'a.txt', body: 'esm' });
const text = await (await browser.getObject(client, { bucket, key: 'a.txt' })).text();
const up = await multipart.upload(client, { bucket, key: 'up.bin', body: new Uint8Array(1024) });
const head = await core.headObject(client, { bucket, key: 'up.bin' });
// npm resolved every package's ^range to the one installed core: its functions are shared.
const oneCore = node.putObject === core.putObject && browser.Ks3Error === core.Ks3Error && up.etag === head.etag;
console.log(JSON.stringify({ text, uploaded: head.size, oneCore, version: node.VERSION, date: client.dateHeader }));
`,
  'cjs.cjs': `const node = require('@ks3/node');
const core = require('@ks3/core');
const browser = require('@ks3/browser');
const multipart = require('@ks3/multipart');
const crypto = require('@ks3/core/crypto');
${ARGS}
(async () => {
  const client = node.createClient({ endpoint, accessKeyId, secretAccessKey });
  await core.createBucket(client, { bucket });
  await multipart.upload(client, { bucket, key: 'a.txt', body: 'cjs' });
  const text = await (await browser.getObject(client, { bucket, key: 'a.txt' })).text();
  const oneCore = node.getObject === core.getObject && browser.upload === multipart.upload;
  console.log(JSON.stringify({ text, oneCore, version: core.VERSION, crypto: typeof crypto.md5 }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
`,
  'conditions.mjs': `import { createBucket, createClient, getObject, putObject } from '@ks3/core';
${ARGS}
const client = createClient({ endpoint, accessKeyId, secretAccessKey });
await createBucket(client, { bucket });
await putObject(client, { bucket, key: 'k', body: 'ok' });
const text = await (await getObject(client, { bucket, key: 'k' })).text();
console.log(JSON.stringify({ date: client.dateHeader, text }));
`,
};

/** Compiler settings (on top of strict, exactOptionalPropertyTypes, no skipLibCheck) and the files each compiles. */
export const TS_SETTINGS = [
  {
    name: 'lib es2022 only, node16',
    lib: ['es2022'],
    types: [],
    module: 'node16',
    moduleResolution: 'node16',
    files: ['web.ts'],
  },
  {
    name: 'lib es2022 only, bundler',
    lib: ['es2022'],
    types: [],
    module: 'preserve',
    moduleResolution: 'bundler',
    files: ['web.ts'],
  },
  {
    name: 'Node types, node16',
    lib: ['es2022'],
    types: ['node'],
    module: 'node16',
    moduleResolution: 'node16',
    files: ['node.ts', 'cjs.cts', 'quickstart.ts'],
  },
  {
    name: 'DOM, bundler',
    lib: ['es2022', 'dom', 'dom.iterable'],
    types: [],
    module: 'preserve',
    moduleResolution: 'bundler',
    files: ['web.ts', 'dom.ts'],
  },
  {
    name: 'DOM and Node types, bundler',
    lib: ['es2022', 'dom', 'dom.iterable'],
    types: ['node'],
    module: 'preserve',
    moduleResolution: 'bundler',
    files: ['web.ts', 'dom.ts', 'node.ts', 'cjs.cts', 'quickstart.ts'],
  },
];
