#!/usr/bin/env node
// Starts the web demo (see demo.mjs) and keeps it running until Ctrl-C.
//   node examples/web-demo/server.mjs [--port 8080] [--data ./ks3-data]
// Run `pnpm build` first (bash scripts/demo.sh does both).
import { parseArgs } from 'node:util';
import { startDemo } from './demo.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.DEMO_PORT ?? '0' },
    data: { type: 'string' },
    'sts-seconds': { type: 'string', default: '900' },
  },
});
const port = Number(values.port);
const stsSeconds = Number(values['sts-seconds']);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(stsSeconds) || stsSeconds < 1) {
  console.error('usage: server.mjs [--port N] [--data DIR] [--sts-seconds N]');
  process.exit(2);
}

const demo = await startDemo({ port, dataDir: values.data, stsSeconds });
console.log(`KS3 emulator (strict CORS) on ${demo.endpoint}, bucket ${demo.bucket}`);
for (const p of demo.cors.problems) console.log(`  CORS: ${p.message}`);
console.log('The page holds no secret: the backend hands it temporary credentials (or signs) for its own prefix.');
console.log(`\n  Open ${demo.url}\n\nCtrl-C stops it.`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (closing) process.exit(130);
    closing = true;
    console.log('\nstopping…');
    await demo.close();
    process.exit(0);
  });
}
