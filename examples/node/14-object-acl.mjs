// Guide: policy = b.get_acl(key_name); print(policy.to_xml())
//        b.set_acl("public-read", test_key)     # object policy: private | public-read
import {
  createBucket,
  createClient,
  emptyAndDeleteBucket,
  getObject,
  getObjectAcl,
  putObject,
  putObjectAcl,
} from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, endpoint, done } = await setup();
await createBucket(client, { bucket });
await putObject(client, { bucket, key: 'shared.txt', body: 'for everyone' });
await putObjectAcl(client, { bucket, key: 'shared.txt', acl: 'public-read' });
const { owner, grants } = await getObjectAcl(client, { bucket, key: 'shared.txt' });
console.log(JSON.stringify({ owner, grants }, null, 2));
// Anyone can now read it without credentials:
const anonymous = createClient({ endpoint });
console.log('anonymous GET:', await (await getObject(anonymous, { bucket, key: 'shared.txt' })).text());
await emptyAndDeleteBucket(client, { bucket });
await done();
