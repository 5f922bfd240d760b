// Guide: b.delete_key(key_name)
import { createBucket, deleteObject, emptyAndDeleteBucket, listObjects, putObject } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
await putObject(client, { bucket, key: 'old.log', body: 'x' });
await deleteObject(client, { bucket, key: 'old.log' });
console.log('objects left:', (await listObjects(client, { bucket })).contents.length);
await emptyAndDeleteBucket(client, { bucket });
await done();
