/**
 * @ks3/browser — the KS3 SDK for browsers: everything in @ks3/core plus browser helpers.
 */
export * from '@ks3/core';
export { createRemoteSigner, type RemoteSignerOptions } from './remote-signer.js';
export * from '@ks3/multipart';
export {
  createCredentialsProvider,
  type CredentialsProviderOptions,
  parseCredentials,
} from './credentials-provider.js';
export { postObject, type PostObjectOptions, type PostObjectResult } from './post-object.js';
