/**
 * The SDK's crypto primitives: the `@ks3/core/crypto` entry, or `@ks3/core` itself in builds
 * from before that entry existed.
 */
export const cryptoApi = await import('@ks3/core/crypto').catch(() => import('@ks3/core'));
