// Guide: keys = b.listObjects(filename="/Users/xxx/a.txt", prefix="local/load", endTime=1625460400)
// Keys under a prefix last modified within [startTime, endTime] (Unix seconds or Dates; either
// may be omitted), written to a file one per line, or iterated.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBucket, emptyAndDeleteBucket, listObjectsInTimeRange, listObjectsToFile, putObject } from '@ks3/node';
import { setup } from './_setup.mjs';

const { client, bucket, done } = await setup();
await createBucket(client, { bucket });
for (const key of ['local/load/1.csv', 'local/load/2.csv', 'local/other.csv'])
  await putObject(client, { bucket, key, body: key });
const now = Math.floor(Date.now() / 1000);

const dir = mkdtempSync(join(tmpdir(), 'ks3-example-'));
const file = join(dir, 'a.txt');
const written = await listObjectsToFile(client, { bucket, prefix: 'local/load', endTime: now + 60, path: file });
console.log(`${written} key(s) modified before ${now + 60}:\n${readFileSync(file, 'utf8').trim()}`);

let later = 0;
for await (const _ of listObjectsInTimeRange(client, { bucket, prefix: 'local/', startTime: now + 3600 })) later++;
console.log(`${later} key(s) modified after ${now + 3600}`);
rmSync(dir, { recursive: true });
await emptyAndDeleteBucket(client, { bucket });
await done();
