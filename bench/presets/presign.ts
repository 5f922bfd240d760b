// Preset "presign only": a backend or page that only hands out presigned URLs.
export { createClient, presignUrl } from '@ks3/core';
