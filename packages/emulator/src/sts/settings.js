// @ts-check
/**
 * The fake STS's options: the region its V4 scope must name, the DurationSeconds it accepts and
 * which roles exist. Validated once at startup.
 */

/** A role KRN: `krn:ksc:iam::<account>:role/<name>` (ks3-v4.md §3). */
export const ROLE_KRN = /^krn:ksc:iam::([^:/\s]+):role\/([\w+=,.@-]{1,64})$/;

/**
 * @typedef {object} StsSettings
 * @property {string} region the V4 scope region (default cn-beijing-6, as KSC's generated clients)
 * @property {number} minSeconds smallest DurationSeconds accepted (default 1, for tests)
 * @property {number} maxSeconds largest DurationSeconds accepted (default 43200)
 * @property {Map<string, string> | undefined} roles role KRN → the access key whose identity its
 *   sessions act as; undefined: every permanent credential may assume any role of its own account
 */

/**
 * @param {{ stsRegion?: string, stsMinDurationSeconds?: number, stsMaxDurationSeconds?: number,
 *   roles?: Record<string, string> }} options
 * @param {(accessKeyId: string) => { securityToken?: string } | undefined} permanent
 * @returns {StsSettings}
 * @throws {TypeError} on a malformed option
 */
export function createStsSettings(options, permanent) {
  const region = options.stsRegion ?? 'cn-beijing-6';
  if (typeof region !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(region))
    throw new TypeError('startEmulator: stsRegion must be a region name such as cn-beijing-6');
  const minSeconds = options.stsMinDurationSeconds ?? 1;
  const maxSeconds = options.stsMaxDurationSeconds ?? 43_200;
  for (const [name, v] of [
    ['stsMinDurationSeconds', minSeconds],
    ['stsMaxDurationSeconds', maxSeconds],
  ]) {
    if (!(Number.isInteger(v) && Number(v) >= 1 && Number(v) <= 129_600))
      throw new TypeError(`startEmulator: ${name} must be an integer in 1..129600`);
  }
  if (minSeconds > maxSeconds)
    throw new TypeError('startEmulator: stsMinDurationSeconds must not exceed stsMaxDurationSeconds');
  let roles;
  if (options.roles !== undefined) {
    if (!options.roles || typeof options.roles !== 'object' || Array.isArray(options.roles))
      throw new TypeError('startEmulator: roles must map role KRNs to access key ids');
    roles = new Map();
    for (const [krn, ak] of Object.entries(options.roles)) {
      if (!ROLE_KRN.test(krn))
        throw new TypeError(`startEmulator: roles: "${krn}" is not a role KRN (krn:ksc:iam::<account>:role/<name>)`);
      const parent = typeof ak === 'string' ? permanent(ak) : undefined;
      if (!parent || parent.securityToken !== undefined)
        throw new TypeError(`startEmulator: roles: ${krn} must map to a configured permanent access key id`);
      roles.set(krn, ak);
    }
  }
  return { region, minSeconds, maxSeconds, roles };
}
