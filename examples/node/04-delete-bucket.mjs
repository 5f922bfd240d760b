// Guide: c.delete_bucket(bucket_name); and, when the bucket holds keys:
//        for k in b.list(): k.delete()  then  c.delete_bucket(bucket_name)
import {
  createBucket,
  deleteBucket,
  deleteObject,
  emptyAndDeleteBucket,
  initiateMultipartUpload,
  isKs3ServiceError,
  listAllObjects,
  putObject,
} from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
await deleteBucket(client, { bucket });
console.log(`deleted empty bucket ${bucket}`);

await createBucket(client, { bucket });
await putObject(client, { bucket, key: 'a.txt', body: 'a' });
await deleteBucket(client, { bucket }).catch((e) => {
  if (!isKs3ServiceError(e) || e.code !== 'BucketNotEmpty') throw e;
  console.log('409 BucketNotEmpty, as expected');
});
// As in the guide: delete every key, then the bucket.
for await (const item of listAllObjects(client, { bucket })) await deleteObject(client, { bucket, key: item.key });
await deleteBucket(client, { bucket });
console.log('deleted the keys, then the bucket');

// Or in one explicit call, which also aborts multipart uploads in progress.
await createBucket(client, { bucket });
await putObject(client, { bucket, key: 'b.txt', body: 'b' });
await initiateMultipartUpload(client, { bucket, key: 'big.bin' });
const removed = await emptyAndDeleteBucket(client, { bucket });
console.log(`emptyAndDeleteBucket removed ${removed.objects} object(s) and ${removed.uploads} upload(s)`);
await done();
