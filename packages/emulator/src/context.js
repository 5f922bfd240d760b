// @ts-check
/**
 * The per-server environment and the per-request context every handler receives.
 * @module
 */

/**
 * @typedef {object} Env
 * @property {import('./store/store.js').Store} store
 * @property {import('./faults.js').Faults} faults
 * @property {import('./cors.js').CorsSettings} cors
 * @property {(accessKeyId: string) => import('./auth.js').Credential | undefined} lookup
 * @property {() => number} now the emulator's time (clock.js): object dates, lifecycle, policies
 * @property {import('./clock.js').Clock} clock its `wallNow` is the unshifted time signatures use
 * @property {number} maxSkewMs
 * @property {boolean} allowNoDate
 * @property {Map<string, string>} domains custom host → bucket (§1.3)
 * @property {string[]} endpointNames hosts whose sub-domains are buckets (§1.2)
 * @property {{ timeoutMs: number, retries: number }} callback §4.9
 * @property {AbortSignal} signal aborted when the server closes
 */

/**
 * @typedef {object} Ctx
 * @property {Env} env
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {string} requestId
 * @property {string} method
 * @property {string} rawPath
 * @property {import('./query.js').QueryParam[]} params
 * @property {Map<string, string>} query decoded values; the first of duplicate names
 * @property {import('./address.js').Target} target
 * @property {import('./auth.js').Credential | null} credential null for anonymous requests
 * @property {Map<string, string>} kss x-kss-* headers (lower-case names, last wins; §2.3)
 * @property {string} op the KS3 operation name (router.js)
 * @property {'allow' | 'deny' | 'default'} policyDecision the bucket policy's verdict (policy/enforce.js)
 */

export {};
