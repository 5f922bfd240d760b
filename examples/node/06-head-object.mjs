// Guide: k = b.get_key(key_name); if k: print(k.name, k.size, k.last_modified)
import { createBucket, emptyAndDeleteBucket, headObject, isKs3ServiceError, putObject } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
await putObject(client, { bucket, key: 'report.txt', body: 'quarterly numbers' });
const k = await headObject(client, { bucket, key: 'report.txt' });
console.log('report.txt', k.size, k.lastModified.toISOString(), k.etag, k.storageClass);
// Python's get_key returns None for a missing key; here it is a typed 404.
try {
  await headObject(client, { bucket, key: 'missing.txt' });
} catch (e) {
  if (isKs3ServiceError(e) && e.status === 404) console.log('missing.txt does not exist');
  else throw e;
}
await emptyAndDeleteBucket(client, { bucket });
await done();
