// Guide: k.set_contents_from_filename("YOUR_SOURCE_FILE_PATH", policy="private")
//        k.set_contents_from_string('YOUR_FILE_CONTENTS')
//        headers = {"x-kss-storage-class": "STANDARD_IA"}  (low-frequency storage)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBucket, emptyAndDeleteBucket, headObject, putObject, putObjectFromFile } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
const dir = mkdtempSync(join(tmpdir(), 'ks3-example-'));
const file = join(dir, 'photo.jpg');
writeFileSync(file, Buffer.alloc(300_000, 1));

const fromFile = await putObjectFromFile(client, { bucket, key: 'photos/photo.jpg', path: file, acl: 'private' });
console.log('from file:', fromFile.etag, (await headObject(client, { bucket, key: 'photos/photo.jpg' })).contentType);

const fromString = await putObject(client, { bucket, key: 'notes.txt', body: 'YOUR_FILE_CONTENTS' });
console.log('from string:', fromString.etag);

await putObjectFromFile(client, {
  bucket,
  key: 'archive/photo.jpg',
  path: file,
  acl: 'private',
  storageClass: 'STANDARD_IA',
});
console.log('storage class:', (await headObject(client, { bucket, key: 'archive/photo.jpg' })).storageClass);

// Content-MD5 on request: KS3 rejects the body if it was damaged on the way (BadDigest).
await putObject(client, {
  bucket,
  key: 'checked.txt',
  body: 'verified',
  contentMd5: true,
  metadata: { owner: 'alice' },
});
console.log('with Content-MD5 and metadata:', (await headObject(client, { bucket, key: 'checked.txt' })).metadata);
rmSync(dir, { recursive: true });
await emptyAndDeleteBucket(client, { bucket });
await done();
