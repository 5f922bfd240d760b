// Preset "full upload manager": everything @ks3/multipart exports, plus put+get from core.
import { upload } from '@ks3/multipart';
export { upload };
export * from '@ks3/multipart';
export { createClient, getObject, putObject } from '@ks3/core';
