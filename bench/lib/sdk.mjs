/**
 * The SDK's crypto primitives: the `@ks3/core/crypto` entry, or `@ks3/core` itself in builds
 * from before that entry existed.
 */
export const cryptoApi = await import('@ks3/core/crypto').catch(() => import('@ks3/core'));

/** The upload manager of @ks3/multipart, or undefined while it does not export `upload` yet. */
export async function uploadManager() {
  const mp = await import('@ks3/multipart');
  return typeof mp.upload === 'function' ? mp.upload : undefined;
}
