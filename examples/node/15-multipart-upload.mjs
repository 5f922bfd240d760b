// Guide: mp = b.initiate_multipart_upload(os.path.basename(source_path))
//        for i in range(chunk_count): with FileChunkIO(...) as fp: mp.upload_part_from_file(fp, part_num=i + 1)
//        ret = mp.complete_upload()
//        (low-frequency storage: initiate_multipart_upload(..., policy="private", headers={"x-kss-storage-class": "STANDARD_IA"}))
// The primitives, step by step; `upload()` from @ks3/multipart does all this for you, in parallel.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  completeMultipartUpload,
  createBucket,
  emptyAndDeleteBucket,
  fileSource,
  headObject,
  initiateMultipartUpload,
  uploadPart,
} from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
const dir = mkdtempSync(join(tmpdir(), 'ks3-example-'));
const sourcePath = join(dir, 'video.mp4');
writeFileSync(sourcePath, Buffer.alloc(700 * 1024, 7));

const sourceSize = (await stat(sourcePath)).size;
const chunkSize = 256 * 1024; // the guide uses 50 MiB; every part but the last must be >= 100 KB
const chunkCount = Math.ceil(sourceSize / chunkSize);
const mp = await initiateMultipartUpload(client, {
  bucket,
  key: basename(sourcePath),
  acl: 'private',
  storageClass: 'STANDARD_IA',
});
const file = await fileSource(sourcePath);
const parts = [];
for (let i = 0; i < chunkCount; i++) {
  const offset = chunkSize * i;
  const bytes = Math.min(chunkSize, sourceSize - offset);
  const { etag } = await uploadPart(client, { ...mp, partNumber: i + 1, body: file.slice(offset, offset + bytes) });
  parts.push({ partNumber: i + 1, etag });
}
const ret = await completeMultipartUpload(client, { ...mp, parts });
console.log(`uploaded ${chunkCount} parts, ETag ${ret.etag}`);
const info = await headObject(client, { bucket, key: basename(sourcePath) });
console.log(info.size, 'bytes,', info.storageClass);
rmSync(dir, { recursive: true });
await emptyAndDeleteBucket(client, { bucket });
await done();
