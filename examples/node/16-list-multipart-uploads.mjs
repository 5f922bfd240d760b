// Guide: for p in b.list_multipart_uploads(): print('uploadId:%s,key:%s' % (p.id, p.key_name))
//            for i in p: print(i.part_number, i.size, i.etag, i.last_modified)
import {
  createBucket,
  emptyAndDeleteBucket,
  initiateMultipartUpload,
  listAllMultipartUploads,
  listAllParts,
  uploadPart,
} from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
for (const key of ['a.bin', 'b.bin']) {
  const mp = await initiateMultipartUpload(client, { bucket, key });
  await uploadPart(client, { ...mp, partNumber: 1, body: new Uint8Array(200 * 1024) });
  await uploadPart(client, { ...mp, partNumber: 2, body: new Uint8Array(1000) });
}
for await (const p of listAllMultipartUploads(client, { bucket })) {
  console.log(`uploadId:${p.uploadId},key:${p.key}`);
  for await (const i of listAllParts(client, { bucket, key: p.key, uploadId: p.uploadId }))
    console.log(' ', i.partNumber, i.size, i.etag, i.lastModified.toISOString());
}
await emptyAndDeleteBucket(client, { bucket }); // aborts the uploads too
await done();
