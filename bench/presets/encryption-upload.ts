// Preset "encryption + upload manager": the upload manager and put/get with the client's
// `encryption: { key }` option, which loads the cipher on first use: the lazy chunks are counted.
import { upload } from '@ks3/multipart';
export { upload };
export * from '@ks3/multipart';
export { createClient, getObject, putObject } from '@ks3/core';
