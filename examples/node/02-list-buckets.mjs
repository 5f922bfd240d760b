// Guide: buckets = c.get_all_buckets(); for b in buckets: print(b.name)
import { createBucket, deleteBucket, listBuckets } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
const { buckets } = await listBuckets(client);
for (const b of buckets) console.log(b.name, b.creationDate.toISOString());
await deleteBucket(client, { bucket });
await done();
