/**
 * Every example under examples/node runs against the shared emulator (through KS3_ENDPOINT),
 * exits cleanly and prints what the Python guide's counterpart would show. Needs `pnpm build`.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, inject, test } from 'vitest';
import { TEST_CREDENTIALS } from '../internal/test-utils/credentials.js';

const run = promisify(execFile);
const dir = join(import.meta.dirname, 'node');

/** What each example must print (beyond exiting with 0). */
const EXPECT: Record<string, RegExp[]> = {
  '01-client.mjs': [/client for http:\/\/127\.0\.0\.1:\d+, timeout 1000 ms, 3 retries/],
  '02-list-buckets.mjs': [/^ex-02-\S+ \d{4}-\d\d-\d\dT/m],
  '03-create-bucket.mjs': [/created ex-03/, /409 Bucket(AlreadyExists|AlreadyOwnedByYou): the name is taken/],
  '04-delete-bucket.mjs': [
    /deleted empty bucket/,
    /409 BucketNotEmpty, as expected/,
    /deleted the keys, then the bucket/,
    /removed 1 object\(s\) and 1 upload\(s\)/,
  ],
  '05-bucket-acl.mjs': [/FULL_CONTROL /, /READ http:\/\/acs\.ksyun\.com\/groups\/global\/AllUsers/],
  '06-head-object.mjs': [/report\.txt 17 \d{4}-.* "[0-9a-f]{32}" STANDARD/, /missing\.txt does not exist/],
  '07-get-object.mjs': [/as string: hello from KS3/, /saved to file: hello from KS3/, /bytes 0-4: hello/],
  '08-put-object.mjs': [
    /from file: "[0-9a-f]{32}" image\/jpeg/,
    /from string: "/,
    /storage class: STANDARD_IA/,
    /metadata: \{ owner: 'alice' \}/,
  ],
  '09-upload-callback.mjs': [
    /callback received: .*"objectKey":"uploads\/avatar\.png"/,
    /callback reply returned by the upload: \{"result":true,"note":"stored"\}/,
  ],
  '10-copy-object.mjs': [
    /cross-bucket copy: "[0-9a-f]{32}" copy me/,
    /metadata copied: \{ origin: 'src' \}/,
    /metadata replaced: \{ origin: 'replaced' \}/,
  ],
  '11-delete-object.mjs': [/objects left: 0/],
  '12-list-objects.mjs': [
    /file:readme\.txt/,
    /dir:photos\//,
    /dir:docs\//,
    /-- prefix "photos\/"\nphotos\/2024\/a\.jpg\nphotos\/2024\/b\.jpg\nphotos\/2025\/c\.jpg/,
    /\[ 'docs\/guide\.md', 'photos\/2024\/a\.jpg' \] true \[ 'photos\/2024\/b\.jpg', 'photos\/2025\/c\.jpg' \]/,
  ],
  '13-list-time-window.mjs': [
    /2 key\(s\) modified before \d+:\nlocal\/load\/1\.csv\nlocal\/load\/2\.csv/,
    /0 key\(s\) modified after/,
  ],
  '14-object-acl.mjs': [/"permission": "READ"/, /AllUsers/, /anonymous GET: for everyone/],
  '15-multipart-upload.mjs': [/uploaded 3 parts, ETag "[0-9a-f]{32}-3"/, /716800 bytes, STANDARD_IA/],
  '16-list-multipart-uploads.mjs': [
    /uploadId:\S+,key:a\.bin/,
    /uploadId:\S+,key:b\.bin/,
    /^ {2}1 204800 "[0-9a-f]{32}"/m,
    /^ {2}2 1000 /m,
  ],
  '17-presigned-url.mjs': [
    /GET with no credentials: 200/,
    /valid until .*: 200/,
    /presigned PUT: 200/,
    /content-disposition: attachment; filename="u\.txt"/,
  ],
  '18-encryption-key.mjs': [
    /key file mode: 600/,
    /of the demo key "ks3-demo-key-16b": OTQwMjgwMzllNzZhOGYwOTdkNDc2NzUwMGJlNjQzMWY=/,
    /second generate: Ks3InputError/,
  ],
  '19-encrypted-put-get.mjs': [
    /Result: some string/,
    /stored bytes \(IV \+ ciphertext\): 32 metadata: .*iv/,
    /without Content-MD5: some string/,
    /empty string stored as 0 bytes, unencrypted/,
  ],
  '20-encrypted-multipart.mjs': [/3 encrypted parts; decrypted 614400 bytes, identical: true/],
};

test('every example has expectations', () => {
  const files = readdirSync(dir).filter((f) => /^\d\d-.*\.mjs$/.test(f));
  expect(files.sort()).toEqual(Object.keys(EXPECT).sort());
});

for (const [file, patterns] of Object.entries(EXPECT)) {
  test(file, async () => {
    const { endpoint } = inject('ks3');
    const env = {
      ...process.env,
      KS3_ENDPOINT: endpoint,
      KS3_ACCESS_KEY: TEST_CREDENTIALS.accessKeyId,
      KS3_SECRET_KEY: TEST_CREDENTIALS.secretAccessKey,
      KS3_BUCKET: `ex-${file.slice(0, 2)}-${Date.now() % 1e6}`,
    };
    const { stdout } = await run(process.execPath, [join(dir, file)], { env, timeout: 60_000 });
    for (const p of patterns) expect(stdout).toMatch(p);
  });
}
