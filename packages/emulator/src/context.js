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
 * @property {string} region V4 (auth.js AuthOptions)
 * @property {boolean} checkRegion
 * @property {string[]} extraServices
 * @property {'either' | 'keep' | 'collapse'} headerWhitespace
 * @property {import('./sessions.js').Sessions} sessions temporary credentials
 * @property {import('./sts/settings.js').StsSettings} sts the fake STS (sts/)
 * @property {boolean} admin whether the /__ks3emu/ endpoint answers
 * @property {Set<string>} virtualHostedOnly buckets refusing path-style requests ('*' = all)
 * @property {import('./connections.js').UploadSlots} uploads bound on bodies being received
 * @property {{ afterCompleteCommit?: () => unknown }} hooks test seams (crash simulation)
 * @property {Map<string, string>} domains custom host → bucket (§1.3)
 * @property {string[]} endpointNames hosts whose sub-domains are buckets (§1.2)
 * @property {{ timeoutMs: number, retries: number }} callback §4.9
 * @property {number} restoreDelayMs how long a restore of an archived object takes (ops/restore.js)
 * @property {{ timeoutMs: number, maxBytes: number }} fetch PUT Fetch limits (ops/fetch.js)
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
 * @property {Map<string, string>} kss x-kss-* headers (lower-case names, last wins; §2.3); for
 *   AWS4 requests x-amz-* headers appear here under their x-kss-* names
 * @property {import('./auth.js').AuthInfo} auth how the request was authenticated
 * @property {string} op the KS3 operation name (router.js)
 * @property {boolean} admin an admin-endpoint request: never any CORS header
 * @property {boolean} sts a request for the fake STS (sts/handler.js): never any CORS header
 * @property {string} [diskError] an injected write error (faults.js `diskError`)
 * @property {number} busy > 0 while the server itself is working for the request (connections.js)
 * @property {'allow' | 'deny' | 'default'} policyDecision the bucket policy's verdict (policy/enforce.js)
 */

export {};
