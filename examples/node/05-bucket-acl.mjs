// Guide: policy = b.get_acl(); for grant in policy.acl.grants: print(grant.permission, ...)
//        b.set_acl("public-read")      # private | public-read | public-read-write
import { createBucket, emptyAndDeleteBucket, getBucketAcl, putBucketAcl } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
await putBucketAcl(client, { bucket, acl: 'public-read' });
const policy = await getBucketAcl(client, { bucket });
for (const g of policy.grants) {
  const who =
    g.grantee.type === 'Group'
      ? g.grantee.uri
      : g.grantee.type === 'CanonicalUser'
        ? `${g.grantee.id} (${g.grantee.displayName ?? ''})`
        : g.grantee.emailAddress;
  console.log(g.permission, who);
}
await emptyAndDeleteBucket(client, { bucket });
await done();
