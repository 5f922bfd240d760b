// @ts-check
/**
 * @ks3/emulator — a strict local KS3-compatible server for tests, demos and offline work.
 * It verifies KSS V2 and V4 (KSS4 and AWS4) signatures with its own node:crypto code (never the
 * SDK's), mints temporary credentials, stores everything crash-safely on disk, resists hostile
 * clients, and offers fault injection and CORS knobs for tests.
 * @module @ks3/emulator
 */
export { startEmulator, DEFAULT_CREDENTIALS } from './server.js';
export { OPERATIONS } from './faults.js';
