// Guide: s = k.get_contents_as_string().decode()   and   k.get_contents_to_filename("SAVED_FILE_PATH")
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBucket, emptyAndDeleteBucket, getObject, getObjectToFile, putObject } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
await putObject(client, { bucket, key: 'hello.txt', body: 'hello from KS3' });

const obj = await getObject(client, { bucket, key: 'hello.txt' });
console.log('as string:', await obj.text());

const dir = mkdtempSync(join(tmpdir(), 'ks3-example-'));
const saved = join(dir, 'hello.txt');
await getObjectToFile(client, { bucket, key: 'hello.txt', path: saved }); // streamed, never buffered whole
console.log('saved to file:', readFileSync(saved, 'utf8'));

const part = await getObject(client, { bucket, key: 'hello.txt', range: { start: 0, end: 4 } });
console.log('bytes 0-4:', await part.text());
rmSync(dir, { recursive: true });
await emptyAndDeleteBucket(client, { bucket });
await done();
