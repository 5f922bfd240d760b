// Guide: keys = b.list(delimiter='/'); for k in keys: isinstance(k, Key) → file, isinstance(k, Prefix) → dir
//        keys = b.list(prefix="PREFIX")
import { createBucket, emptyAndDeleteBucket, listAllObjects, listObjects, putObject } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
for (const key of ['readme.txt', 'photos/2024/a.jpg', 'photos/2024/b.jpg', 'photos/2025/c.jpg', 'docs/guide.md'])
  await putObject(client, { bucket, key, body: key });

console.log('-- delimiter "/"');
for await (const item of listAllObjects(client, { bucket, delimiter: '/' })) {
  if (item.type === 'object') console.log(`file:${item.key}`);
  else console.log(`dir:${item.prefix}`);
}
console.log('-- prefix "photos/"');
for await (const item of listAllObjects(client, { bucket, prefix: 'photos/' }))
  console.log(item.type === 'object' ? item.key : item.prefix);

console.log('-- one page of at most 2 keys, then the next');
const first = await listObjects(client, { bucket, maxKeys: 2 });
const next = await listObjects(client, { bucket, maxKeys: 2, startAfter: first.nextStartAfter });
console.log(
  first.contents.map((o) => o.key),
  first.isTruncated,
  next.contents.map((o) => o.key),
);
await emptyAndDeleteBucket(client, { bucket });
await done();
