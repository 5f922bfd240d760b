// Guide, encrypted multipart (example 2): upload parts in order, telling the SDK which is last:
//        mp.upload_part_from_file(fp, part_num=i + 1, is_last_part=last)
//        mp = b.initiate_multipart_upload(..., calc_encrypt_md5=False)     # no Content-MD5
// Here the chain between parts is a small JSON state you pass along, so a failed part can be
// retried alone (the reference must resend every later part) and an upload resumed after a
// restart. `upload()` from @ks3/multipart does this for you and uploads parts in parallel.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  completeMultipartUpload,
  createBucket,
  emptyAndDeleteBucket,
  fileSource,
  generateKeyFile,
  getObject,
  initiateMultipartUpload,
  uploadPart,
} from '@ks3/node';
import { setup } from './_setup.mjs';

const dir = mkdtempSync(join(tmpdir(), 'ks3-example-'));
const key = await generateKeyFile(join(dir, 'key'));
const { client, bucket, done } = await setup({ encryption: { key, contentMd5: false } });
await createBucket(client, { bucket });
const sourcePath = join(dir, 'data.bin');
const data = Buffer.alloc(600 * 1024);
for (let i = 0; i < data.length; i++) data[i] = i % 251;
writeFileSync(sourcePath, data);

const source = await fileSource(sourcePath);
const chunkSize = 256 * 1024; // a multiple of 16, as every encrypted part but the last must be
const chunkCount = Math.ceil(source.size / chunkSize);
const mp = await initiateMultipartUpload(client, { bucket, key: 'data.bin' });
let encryptionState = mp.encryptionState; // the chain before part 1
const parts = [];
for (let i = 0; i < chunkCount; i++) {
  const offset = chunkSize * i;
  const isLastPart = i + 1 === chunkCount;
  const part = await uploadPart(client, {
    ...mp,
    partNumber: i + 1,
    body: source.slice(offset, offset + chunkSize),
    encryptionState,
    isLastPart,
  });
  parts.push({ partNumber: i + 1, etag: part.etag });
  encryptionState = part.encryptionState; // keep it (e.g. in a checkpoint) to continue or retry later
}
await completeMultipartUpload(client, { ...mp, parts });
const back = await (await getObject(client, { bucket, key: 'data.bin' })).bytes();
console.log(
  `${chunkCount} encrypted parts; decrypted ${back.length} bytes, identical: ${Buffer.compare(back, data) === 0}`,
);
rmSync(dir, { recursive: true });
await emptyAndDeleteBucket(client, { bucket });
await done();
