// @ts-check
/**
 * @ks3/emulator — a strict local KS3-compatible server for tests, demos and offline work.
 * It verifies KSS V2 signatures with its own node:crypto code (never the SDK's), stores
 * everything crash-safely on disk, and offers fault injection and CORS knobs for tests.
 * @module
 */
export { startEmulator, DEFAULT_CREDENTIALS } from './server.js';
export { OPERATIONS } from './faults.js';
