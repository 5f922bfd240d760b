// Guide: c = Connection(ak, sk, host, ..., local_encrypt=True, local_key_path="your_key_path")
//        kw = b.new_key("your_key"); kw.set_contents_from_string("some string")
//        s = b.get_key("your_key").get_contents_as_string()
//        kw.set_contents_from_string(test_str, calc_encrypt_md5=False)     # no Content-MD5
//        (empty strings are never encrypted)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createBucket,
  emptyAndDeleteBucket,
  generateKeyFile,
  getObject,
  headObject,
  loadKeyFile,
  putObject,
} from '@ks3/node';
import { setup } from './_setup.mjs';

const dir = mkdtempSync(join(tmpdir(), 'ks3-example-'));
await generateKeyFile(join(dir, 'your_key_path'));
const { client, bucket, done } = await setup({ encryption: { key: await loadKeyFile(join(dir, 'your_key_path')) } });
await createBucket(client, { bucket });

await putObject(client, { bucket, key: 'your_key', body: 'some string' });
console.log('Result:', await (await getObject(client, { bucket, key: 'your_key' })).text());

const stored = await getObject(client, { bucket, key: 'your_key', encryption: false });
console.log(
  'stored bytes (IV + ciphertext):',
  (await stored.bytes()).length,
  'metadata:',
  Object.keys(stored.metadata).join(', '),
);

await putObject(client, { bucket, key: 'no-md5', body: 'some string', contentMd5: false });
console.log('without Content-MD5:', await (await getObject(client, { bucket, key: 'no-md5' })).text());

await putObject(client, { bucket, key: 'empty', body: '' });
console.log('empty string stored as', (await headObject(client, { bucket, key: 'empty' })).size, 'bytes, unencrypted');
rmSync(dir, { recursive: true });
await emptyAndDeleteBucket(client, { bucket });
await done();
