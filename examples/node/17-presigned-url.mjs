// Guide: url = k.generate_url(60)                                   # expires in 60 s
//        k.generate_url(1492073594, expires_in_absolute=True)       # expires at a Unix time
import { createBucket, emptyAndDeleteBucket, presignUrl, putObject } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
await putObject(client, { bucket, key: 'private/report.pdf', body: 'secret report' });

const { url } = await presignUrl(client, { bucket, key: 'private/report.pdf', expiresIn: 60 });
console.log(url.replace(/Signature=[^&]+/i, 'Signature=…'));
console.log('GET with no credentials:', (await fetch(url)).status);

const until = Math.floor(Date.now() / 1000) + 3600;
const { url: absolute } = await presignUrl(client, { bucket, key: 'private/report.pdf', expires: until });
console.log(`valid until ${new Date(until * 1000).toISOString()}:`, (await fetch(absolute)).status);

// Also for uploads, with response overrides for downloads:
const { url: put } = await presignUrl(client, {
  method: 'PUT',
  bucket,
  key: 'inbox/upload.txt',
  expiresIn: 300,
  headers: { 'content-type': 'text/plain' },
});
console.log(
  'presigned PUT:',
  (await fetch(put, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'uploaded without keys' }))
    .status,
);
const { url: download } = await presignUrl(client, {
  bucket,
  key: 'inbox/upload.txt',
  expiresIn: 60,
  response: { contentDisposition: 'attachment; filename="u.txt"' },
});
console.log('content-disposition:', (await fetch(download)).headers.get('content-disposition'));
await emptyAndDeleteBucket(client, { bucket });
await done();
