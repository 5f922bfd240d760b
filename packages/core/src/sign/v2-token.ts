/**
 * A constant of V2 presigned URLs, in a module of its own: both the wrapper that createV2Signer
 * is (v2-signer.ts, in an app's bundle up front) and the lazily loaded signing code (v2.ts) need
 * it, and the lazy code must not import the wrapper, or esbuild would split everything the
 * wrapper imports into extra chunks.
 */

/**
 * The query parameter that carries a security token in a V2 presigned URL. It is signed as a
 * sub-resource (KS3's Go and Java SDKs, ks3-v4.md §3; the reference Python SDK has no token);
 * which name KS3 servers expect is UNVERIFIED (ks3-protocol.md §2.9).
 */
export const V2_PRESIGN_TOKEN_PARAM = 'security-token';
