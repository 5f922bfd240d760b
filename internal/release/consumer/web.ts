/**
 * A consumer of the platform-neutral packages with no platform types at all (lib es2022 only: no
 * DOM, no @types/node). It must compile, and the body types must still refuse what is no body.
 */
import { createClient, getObject, putObject, type Body, type ClientConfig, type RequestEvent } from '@ks3/core';
import { createCbcEncryptor, importAesKey } from '@ks3/core/crypto';
import { createRemoteSigner, upload } from '@ks3/browser';
import { createUpload } from '@ks3/multipart';

declare const env: Record<string, string | undefined>;
const seen: RequestEvent[] = [];
// Possibly-undefined keys compile under exactOptionalPropertyTypes (the README's pattern).
const config: ClientConfig = {
  endpoint: 'ks3-cn-beijing.ksyuncs.com',
  accessKeyId: env.KS3_ACCESS_KEY,
  secretAccessKey: env.KS3_SECRET_KEY,
  hooks: { request: (e) => seen.push(e) },
};
const client = createClient(config);
const put = await putObject(client, { bucket: 'b', key: 'k', body: 'text', contentType: env.TYPE });
const requestId: string | undefined = put.requestId;
await putObject(client, { bucket: 'b', key: 'k', body: new Uint8Array(4) });
await putObject(client, { bucket: 'b', key: 'k', body: new DataView(new ArrayBuffer(2)) });
// @ts-expect-error a number is not a body
await putObject(client, { bucket: 'b', key: 'k', body: 42 });
// @ts-expect-error nor is an object that only looks a bit like a Blob
const notABody: Body = { size: 3 };
const obj = await getObject(client, { bucket: 'b', key: 'k' });
const text: string = await obj.text();
await upload(client, { bucket: 'b', key: 'k', body: 'x' });
createUpload(client, { bucket: 'b', key: 'k', body: new ArrayBuffer(1) });
createClient({ endpoint: 'ks3-cn-beijing.ksyuncs.com', signer: createRemoteSigner('/api/ks3-sign') });
const key = await importAesKey(new Uint8Array(16));
createCbcEncryptor(key, new Uint8Array(16));
export { notABody, requestId, seen, text };
