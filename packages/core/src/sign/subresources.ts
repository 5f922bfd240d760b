/**
 * Canonical sub-resources (ks3-protocol.md §2.4): the query parameters that are part of the
 * signed resource. Every other parameter (prefix, marker, max-keys, …) is unsigned.
 */

/**
 * The 35 names the reference signs (ks3-protocol.md §2.4), then the others KS3's own Go SDK signs
 * for V2 (ksyun-ks3-go-sdk ks3/signer.go `subResource`: append/fetch, bucket configurations, the
 * recycle bin, inventory, QoS, WORM, …), so `request()` can reach them with a V2 client too;
 * case-sensitive.
 */
export const SUBRESOURCES: ReadonlySet<string> = /* @__PURE__ */ new Set(
  (
    'acl cors defaultObjectAcl location logging partNumber policy requestPayment torrent versioning ' +
    'versionId versions website uploads uploadId response-content-type response-content-language ' +
    'response-expires response-cache-control response-content-disposition response-content-encoding ' +
    'delete lifecycle tagging restore notification thumbnail queryadp adp asyntask querytask domain ' +
    'storageClass websiteConfig compose ' +
    'batchshadowcopy encryption crr pfop querypfop fetch transfer mirror append position recover ' +
    'clear retention recycle x-kss-process decompresspolicy inventory id accessmonitor ' +
    'transferAcceleration dataRedundancySwitch VpcAccessBlock migration bucketqos requesterqos jobs ' +
    'jobId action priority quota dataRedundancyTransition PublicNetworkBlock ' +
    'BucketPublicnetworkBlock dataAccelerator worm wormId wormExtend http2 archiveDirectRead'
  ).split(' '),
);

/** A query parameter: name and value; `undefined` or `''` renders as the bare name. */
export type QueryParam = readonly [name: string, value?: string | undefined];

/**
 * The sub-resource part of a canonical resource: the signed names only, sorted by name
 * (code-point order), `name=value` or bare `name`, joined by `&`. Values are used as given:
 * the client passes decoded values (the AWS V2 rule the emulator and KS3 verify with).
 * @example canonicalSubresources([['uploadId', 'x'], ['partNumber', '3']]) // 'partNumber=3&uploadId=x'
 */
export function canonicalSubresources(query: Iterable<QueryParam>): string {
  const kept: QueryParam[] = [];
  for (const p of query) if (SUBRESOURCES.has(p[0])) kept.push(p);
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return kept.map(([n, v]) => (v ? `${n}=${v}` : n)).join('&');
}
