#!/usr/bin/env node
// @ts-check
/**
 * CLI: node packages/emulator/bin/ks3-emulator.js --port PORT --data DIR [--host 127.0.0.1]
 *        [--domain host=bucket ...] [--endpoint-name NAME ...] [--region BEIJING] [--cors rules|any] [--admin]
 *        [--quiet]
 * Credentials come from KS3_ACCESS_KEY / KS3_SECRET_KEY (and optional KS3_SECURITY_TOKEN);
 * without them the local defaults are used and printed. Once ready it prints exactly one line
 * `KS3 emulator listening on http://HOST:PORT`. SIGINT/SIGTERM close it cleanly.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CREDENTIALS, startEmulator } from '../src/index.js';

const USAGE =
  'usage: ks3-emulator --port PORT --data DIR [--host 127.0.0.1] [--domain host=bucket ...] ' +
  '[--endpoint-name NAME ...] [--region BEIJING] [--cors rules|any] [--admin] [--quiet]';

/**
 * @param {string} message
 * @returns {never}
 */
function die(message) {
  console.error(`ks3-emulator: ${message}\n${USAGE}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      data: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      domain: { type: 'string', multiple: true, default: [] },
      'endpoint-name': { type: 'string', multiple: true, default: [] },
      region: { type: 'string', default: 'BEIJING' },
      admin: { type: 'boolean', default: false },
      cors: { type: 'string', default: 'rules' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (err) {
  die(/** @type {Error} */ (err).message);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!args.data) die('--data DIR is required');
if (!/^\d{1,5}$/.test(args.port ?? '')) die('--port must be a number (0 = any free port)');
if (!/^[A-Za-z0-9_-]{1,64}$/.test(args.region ?? '')) die('--region must be a region name such as BEIJING');
if (args.cors !== 'rules' && args.cors !== 'any') die('--cors must be "rules" (bucket CORS rules only) or "any"');

/** @type {Record<string, string>} */
const domains = {};
for (const d of args.domain ?? []) {
  const eq = d.indexOf('=');
  if (eq <= 0 || eq === d.length - 1) die(`--domain expects host=bucket, got "${d}"`);
  domains[d.slice(0, eq)] = d.slice(eq + 1);
}

const { KS3_ACCESS_KEY: ak, KS3_SECRET_KEY: sk, KS3_SECURITY_TOKEN: token } = process.env;
if (Boolean(ak) !== Boolean(sk)) die('set both KS3_ACCESS_KEY and KS3_SECRET_KEY, or neither');
const credential =
  ak && sk
    ? { accessKeyId: ak, secretAccessKey: sk, ...(token ? { securityToken: token } : {}) }
    : { ...DEFAULT_CREDENTIALS };
if (!ak) {
  console.log(
    `Using the local default credentials: KS3_ACCESS_KEY=${credential.accessKeyId} KS3_SECRET_KEY=${credential.secretAccessKey}`,
  );
}

const emu = await startEmulator({
  dataDir: /** @type {string} */ (args.data),
  port: Number(args.port),
  host: args.host,
  domains,
  endpointNames: args['endpoint-name'],
  region: args.region,
  admin: args.admin,
  credentials: [credential],
  cors: args.cors,
  quiet: args.quiet,
});
console.log(`KS3 emulator listening on ${emu.url}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  emu.close().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
