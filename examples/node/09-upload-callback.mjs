// Guide: headers = {"x-kss-callbackurl": "Callback_URL", "x-kss-callbackbody": "objectKey=${key}&etag=${etag}&uid=123"}
//        ret = k.set_contents_from_filename(filepath, headers=headers)
import { createServer } from 'node:http';
import { createBucket, emptyAndDeleteBucket, putObject } from '@ks3/node';
import { setup } from './_setup.mjs';

// Your application's callback endpoint: KS3 POSTs the upload's details to it as JSON.
const app = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    console.log('callback received:', body);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: true, note: 'stored' }));
  });
});
await new Promise((r) => app.listen(0, '127.0.0.1', r));

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
const ret = await putObject(client, {
  bucket,
  key: 'uploads/avatar.png',
  body: new Uint8Array(1024),
  callback: {
    url: `http://127.0.0.1:${app.address().port}/ks3-callback`,
    body: 'objectKey=${key}&etag=${etag}&uid=123',
  },
});
console.log('callback reply returned by the upload:', ret.body);
app.close();
await emptyAndDeleteBucket(client, { bucket });
await done();
