/**
 * KS3 endpoint host → region name, the string V4 puts in its scope (ks3-v4.md §1.3: upper case,
 * as a bucket's LocationConstraint).
 *
 * Sources (read 2026-11; none is an official machine-readable table — docs.ksyun.com document
 * 6761, the endpoint/region page, could not be read):
 * - KS3's domain rules (docs.ksyun.com/documents/6762, endocs.ksyun.com/documents/37089): hosts
 *   are `<endpoint>` or `<bucket>.<endpoint>`, internal endpoints add `-internal`
 *   (`ks3-cn-beijing-internal`), and `ks3-cn-beijing.ksyuncs.com` is Beijing.
 * - KS3's SDK samples and config: ks3sdk/ks3-nodejs-sdk `config.js` (HANGZHOU `kss`, AMERICA
 *   `ks3-us-west-1`, BEIJING, HONGKONG `ks3-cn-hk-1`, SHANGHAI), the Java SDK samples (adds
 *   GUANGZHOU, QINGDAO `ks3-cn-qingdao`, JR_BEIJING, JR_SHANGHAI, RUSSIA `ks3-rus`, SINGAPORE
 *   `ks3-sgp`) and the Java SDK's region enum (ks3sdk/ks3-java-sdk `CreateBucketConfiguration`).
 * - Third-party endpoint tables listing every public and internal KS3 endpoint with its region
 *   name (GOV_BEIJING `ks3-gov-beijing` included), on both `ksyuncs.com` (current) and
 *   `ksyun.com` (older) domains.
 * The Java enum's TAIWAN and INDIA have no endpoint in any source: they are not inferred.
 */

/** Endpoint name (the host's first label, without `-internal`) → region. */
export const KS3_ENDPOINT_REGIONS: Readonly<Record<string, string>> = {
  'ks3-cn-beijing': 'BEIJING',
  'ks3-cn-shanghai': 'SHANGHAI',
  'ks3-cn-guangzhou': 'GUANGZHOU',
  'ks3-cn-qingdao': 'QINGDAO',
  'ks3-cn-hk-1': 'HONGKONG',
  'ks3-rus': 'RUSSIA',
  'ks3-sgp': 'SINGAPORE',
  'ks3-jr-beijing': 'JR_BEIJING',
  'ks3-jr-shanghai': 'JR_SHANGHAI',
  'ks3-gov-beijing': 'GOV_BEIJING',
  'ks3-us-west-1': 'AMERICA',
  kss: 'HANGZHOU',
};

// `[bucket.]<endpoint>[-internal].(ksyuncs|ksyun).com[.][:port]`; bucket names may contain dots.
const KS3_HOST = /^(?:[^/?#@]+\.)?([a-z0-9-]+?)(?:-internal)?\.ksyun(?:cs)?\.com\.?(?::\d+)?$/;

/**
 * The region of a KS3 endpoint host, or `undefined` for any other host (custom domains, IPs,
 * emulators): V4 then needs an explicit region.
 * @example inferRegion('ks3-cn-beijing.ksyuncs.com') // 'BEIJING'
 * @example inferRegion('photos.ks3-cn-shanghai-internal.ksyuncs.com:443') // 'SHANGHAI'
 * @example inferRegion('cdn.example.com') // undefined
 */
export function inferRegion(host: string): string | undefined {
  if (typeof host !== 'string') return undefined;
  const m = KS3_HOST.exec(host.trim().toLowerCase());
  return m ? KS3_ENDPOINT_REGIONS[m[1]!] : undefined;
}
