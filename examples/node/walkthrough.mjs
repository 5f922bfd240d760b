// The main job: a short walk through the SDK against the local KS3 emulator.
// Run with `bash scripts/demo.sh` (or, after a build, `node examples/node/walkthrough.mjs`).
import {
  createBucket,
  createClient,
  deleteBucket,
  deleteObject,
  getObject,
  headObject,
  listObjects,
  presignUrl,
  putObject,
} from '@ks3/node';
import { DEMO_KEYS, startLocalKs3 } from './emulator.mjs';

const step = (n, text) => console.log(`\n${n}. ${text}`);
const ks3 = await startLocalKs3();
console.log(`KS3 emulator at ${ks3.endpoint}`);
try {
  const client = createClient({ endpoint: ks3.endpoint, ...DEMO_KEYS });
  const bucket = 'demo-bucket';

  step(1, `create bucket ${bucket}`);
  await createBucket(client, { bucket });
  console.log('   created');

  step(2, 'put three objects');
  for (const [key, body] of [
    ['hello.txt', 'Hello, KS3!'],
    ['docs/guide.md', '# Guide\n'],
    ['docs/中文 名.txt', '你好'],
  ]) {
    const { etag } = await putObject(client, { bucket, key, body, metadata: { demo: 'yes' } });
    console.log(`   ${key} → ETag ${etag}`);
  }

  step(3, 'head hello.txt');
  const info = await headObject(client, { bucket, key: 'hello.txt' });
  console.log(
    `   ${info.size} bytes, ${info.contentType}, modified ${info.lastModified?.toISOString()}, metadata ${JSON.stringify(info.metadata)}`,
  );

  step(4, 'get hello.txt');
  const obj = await getObject(client, { bucket, key: 'hello.txt' });
  console.log(`   "${await obj.text()}"`);

  step(5, 'list with delimiter "/"');
  const page = await listObjects(client, { bucket, delimiter: '/' });
  for (const o of page.contents) console.log(`   file ${o.key} (${o.size} B)`);
  for (const p of page.commonPrefixes) console.log(`   dir  ${p.prefix}`);

  step(6, 'presign a GET for 60 s and fetch it without credentials');
  const { url } = await presignUrl(client, { bucket, key: 'docs/guide.md', expiresIn: 60 });
  const res = await fetch(url);
  console.log(`   ${res.status} "${(await res.text()).trim()}"`);

  step(7, 'delete every object, then the bucket');
  for (const o of (await listObjects(client, { bucket })).contents) {
    await deleteObject(client, { bucket, key: o.key });
    console.log(`   deleted ${o.key}`);
  }
  await deleteBucket(client, { bucket });
  console.log(`   deleted bucket ${bucket}`);
  console.log('\nDone.');
} finally {
  await ks3.stop();
}
