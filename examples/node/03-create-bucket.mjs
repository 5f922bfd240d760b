// Guide: b = c.create_bucket(bucket_name)   (a 409 conflict means the name is taken: names are global)
import { createBucket, deleteBucket, isKs3ServiceError } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
console.log(`created ${bucket}`);
try {
  await createBucket(client, { bucket });
} catch (e) {
  if (isKs3ServiceError(e) && e.status === 409) console.log(`409 ${e.code}: the name is taken`);
  else throw e;
}
await deleteBucket(client, { bucket });
await done();
