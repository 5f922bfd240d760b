// Guide: b.copy_key(key_name, "YOUR_SRC_BUCKET_NAME", "YOUR_SRC_KEY_NAME")
import { copyObject, createBucket, emptyAndDeleteBucket, getObject, headObject, putObject } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
const source = `${bucket}-src`;
await createBucket(client, { bucket });
await createBucket(client, { bucket: source });
await putObject(client, { bucket: source, key: 'dir/original file.txt', body: 'copy me', metadata: { origin: 'src' } });

const copy = await copyObject(client, {
  bucket,
  key: 'copied.txt',
  sourceBucket: source,
  sourceKey: 'dir/original file.txt',
});
console.log('cross-bucket copy:', copy.etag, await (await getObject(client, { bucket, key: 'copied.txt' })).text());
console.log('metadata copied:', (await headObject(client, { bucket, key: 'copied.txt' })).metadata);

await copyObject(client, {
  bucket,
  key: 'renamed.txt',
  sourceBucket: bucket,
  sourceKey: 'copied.txt',
  metadata: { origin: 'replaced' },
});
console.log('metadata replaced:', (await headObject(client, { bucket, key: 'renamed.txt' })).metadata);
await emptyAndDeleteBucket(client, { bucket });
await emptyAndDeleteBucket(client, { bucket: source });
await done();
