/** POST Object: browser form uploads with V2 POST policies. */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsDoc, putConfig } from './helpers/config.js';
import { createBucket, useEmulator } from './helpers/emulator.js';
import { CREDS, code, type Creds, OTHER, xml1 } from './helpers/ks3.js';
import { type FormField, inAnHour, multipart, postForm, signedFields, signPolicy } from './helpers/post.js';

const TEMP: Creds = {
  accessKeyId: 'AKLTpostTemporary01',
  secretAccessKey: 'post/temp+secret',
  securityToken: 'tok-123',
};

describe('POST Object', () => {
  const f = useEmulator({ credentials: [CREDS, OTHER, TEMP] });

  /** A policy for uploads/ in bucket b, plus extra conditions. */
  const policyFor = (b: string, extra: unknown[] = [], expiration = inAnHour()) => ({
    expiration,
    conditions: [{ bucket: b }, ['starts-with', '$key', 'uploads/'], ...extra],
  });
  const file = (value: string | Buffer, filename = 'a.txt', contentType?: string): FormField => ({
    name: 'file',
    value,
    filename,
    ...(contentType ? { contentType } : {}),
  });
  const head = (b: string, key: string) => f.send({ method: 'HEAD', bucket: b, key });
  const tmpFiles = () => readdirSync(join(f.emu.dataDir, 'tmp'));

  it('stores the file byte for byte with the form’s ACL, type and metadata; 201 answers XML', async () => {
    const b = await createBucket(f);
    const bytes = randomBytes(300 * 1024);
    const doc = policyFor(b, [
      { acl: 'public-read' },
      ['starts-with', '$Content-Type', 'image/'],
      ['eq', '$x-kss-meta-color', 'red'],
      ['eq', '$success_action_status', '201'],
      ['content-length-range', 1, 1024 * 1024],
    ]);
    const res = await postForm(f, b, [
      { name: 'key', value: 'uploads/${filename}' },
      ...signedFields(doc),
      { name: 'acl', value: 'public-read' },
      { name: 'Content-Type', value: 'image/png' },
      { name: 'x-kss-meta-color', value: 'red' },
      { name: 'success_action_status', value: '201' },
      { name: 'x-ignore-note', value: 'not in the policy, and that is fine' },
      file(bytes, 'photo.png', 'application/octet-stream'),
      { name: 'submit', value: 'Upload to KS3' },
    ]);
    expect([res.status, code(res)]).toEqual([201, undefined]);
    const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
    expect(res.headers.etag).toBe(etag);
    expect(xml1(res.text, 'Bucket')).toBe(b);
    expect(xml1(res.text, 'Key')).toBe('uploads/photo.png');
    expect(xml1(res.text, 'ETag')).toBe(etag);
    expect(xml1(res.text, 'Location')).toBe(`http://${new URL(f.url).host}/${b}/uploads/photo.png`);
    const got = await f.send({ method: 'GET', bucket: b, key: 'uploads/photo.png', creds: null });
    expect(got.status).toBe(200);
    expect(got.body.equals(bytes)).toBe(true);
    expect([got.headers['content-type'], got.headers['x-kss-meta-color']]).toEqual(['image/png', 'red']);
  });

  it('answers 204 by default, 200 when asked, 303 to success_action_redirect with bucket, key, etag', async () => {
    const b = await createBucket(f);
    const plain = await postForm(f, b, [{ name: 'key', value: 'uploads/x' }, ...signedFields(policyFor(b)), file('x')]);
    expect([plain.status, plain.text, plain.headers.etag]).toEqual([
      204,
      '',
      `"${createHash('md5').update('x').digest('hex')}"`,
    ]);
    const ok = await postForm(f, b, [
      { name: 'key', value: 'uploads/y' },
      ...signedFields(policyFor(b, [['eq', '$success_action_status', '200']])),
      { name: 'success_action_status', value: '200' },
      file('y'),
    ]);
    expect(ok.status).toBe(200);
    const redirect = 'https://app.example.com/done?from=form';
    const moved = await postForm(f, b, [
      { name: 'key', value: 'uploads/z z' },
      ...signedFields(policyFor(b, [['starts-with', '$success_action_redirect', 'https://app.example.com/']])),
      { name: 'success_action_redirect', value: redirect },
      file('z'),
    ]);
    expect(moved.status).toBe(303);
    const location = new URL(String(moved.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe('https://app.example.com/done');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      from: 'form',
      bucket: b,
      key: 'uploads/z z',
      etag: `"${createHash('md5').update('z').digest('hex')}"`,
    });
    expect((await head(b, 'uploads/z z')).status).toBe(200);
  });

  it('streams a large file to disk and works on a virtual host (POST /)', async () => {
    const b = await createBucket(f);
    const bytes = randomBytes(16 * 1024 * 1024 + 13);
    const res = await postForm(
      f,
      b,
      [{ name: 'key', value: 'uploads/big.bin' }, ...signedFields(policyFor(b)), file(bytes, 'big.bin')],
      { vhost: true },
    );
    expect(res.status).toBe(204);
    expect(res.headers.location).toBe(`http://${b}.localhost:${new URL(f.url).port}/uploads/big.bin`);
    const got = await f.send({ method: 'GET', bucket: b, key: 'uploads/big.bin' });
    expect(got.body.length).toBe(bytes.length);
    expect(got.body.equals(bytes)).toBe(true);
  });

  it('refuses forms outside the policy with KS3’s errors and stores nothing', async () => {
    const b = await createBucket(f);
    const key = { name: 'key', value: 'uploads/k' };
    const tampered = signPolicy(policyFor(b));
    const wrongPolicy = Buffer.from(JSON.stringify(policyFor(b, [], '2000-01-01T00:00:00Z'))).toString('base64');
    const cases: [string, FormField[], number, string, RegExp][] = [
      [
        'wrong prefix',
        [{ name: 'key', value: 'other/k' }, ...signedFields(policyFor(b)), file('x')],
        403,
        'AccessDenied',
        /Policy Condition failed: \["starts-with", "\$key", "uploads\/"\]/,
      ],
      [
        'too large',
        [key, ...signedFields(policyFor(b, [['content-length-range', 1, 10]])), file('x'.repeat(11))],
        400,
        'EntityTooLarge',
        /exceeds/,
      ],
      [
        'too small',
        [key, ...signedFields(policyFor(b, [['content-length-range', 5, 10]])), file('xyz')],
        400,
        'EntityTooSmall',
        /smaller/,
      ],
      [
        'expired',
        [key, ...signedFields(policyFor(b, [], '2000-01-01T00:00:00.000Z')), file('x')],
        403,
        'AccessDenied',
        /Invalid according to Policy: Policy expired/,
      ],
      [
        'tampered policy',
        [
          key,
          { name: 'KSSAccessKeyId', value: CREDS.accessKeyId },
          { name: 'Policy', value: wrongPolicy },
          { name: 'Signature', value: tampered.signature },
          file('x'),
        ],
        403,
        'SignatureDoesNotMatch',
        /signature/,
      ],
      [
        'tampered signature',
        [
          key,
          { name: 'KSSAccessKeyId', value: CREDS.accessKeyId },
          { name: 'Policy', value: tampered.policy },
          // Its first character changed (to 'B' when it already is 'A': 1 run in 64 otherwise passed).
          { name: 'Signature', value: `${tampered.signature[0] === 'A' ? 'B' : 'A'}${tampered.signature.slice(1)}` },
          file('x'),
        ],
        403,
        'SignatureDoesNotMatch',
        /signature/,
      ],
      [
        'signed by another key',
        [
          key,
          { name: 'KSSAccessKeyId', value: CREDS.accessKeyId },
          ...signedFields(policyFor(b), OTHER).slice(1),
          file('x'),
        ],
        403,
        'SignatureDoesNotMatch',
        /signature/,
      ],
      [
        'field without a condition',
        [key, ...signedFields(policyFor(b)), { name: 'x-kss-meta-extra', value: '1' }, file('x')],
        403,
        'AccessDenied',
        /Extra input fields: x-kss-meta-extra/,
      ],
      [
        'no $bucket condition',
        [key, ...signedFields({ expiration: inAnHour(), conditions: [['starts-with', '$key', '']] }), file('x')],
        403,
        'AccessDenied',
        /Extra input fields: bucket/,
      ],
      [
        'another bucket',
        [key, ...signedFields(policyFor('someone-else')), file('x')],
        403,
        'AccessDenied',
        /\["eq", "\$bucket", "someone-else"\]/,
      ],
      [
        'exact-match object',
        [key, ...signedFields(policyFor(b, [{ acl: 'public-read' }])), { name: 'acl', value: 'private' }, file('x')],
        403,
        'AccessDenied',
        /\["eq", "\$acl", "public-read"\]/,
      ],
      ['file before key', [...signedFields(policyFor(b)), file('x'), key], 400, 'InvalidArgument', /field named 'key'/],
      ['no file', [key, ...signedFields(policyFor(b))], 400, 'InvalidArgument', /exactly one file/],
      [
        'no Signature',
        [key, ...signedFields(policyFor(b)).slice(0, 2), file('x')],
        400,
        'InvalidArgument',
        /field named 'Signature'/,
      ],
      [
        'unknown key id',
        [key, { name: 'KSSAccessKeyId', value: 'AKLTnobody' }, ...signedFields(policyFor(b)).slice(1), file('x')],
        403,
        'InvalidAccessKeyId',
        /access key/,
      ],
      ['policy not JSON', [key, ...signedFields('{nope'), file('x')], 400, 'InvalidPolicyDocument', /Invalid Policy/],
      [
        'bad condition',
        [key, ...signedFields(policyFor(b, [['matches', '$key', '.*']])), file('x')],
        400,
        'InvalidPolicyDocument',
        /Invalid Condition/,
      ],
      [
        'no expiration',
        [key, ...signedFields({ conditions: [] }), file('x')],
        400,
        'InvalidPolicyDocument',
        /missing expiration/,
      ],
      [
        'duplicate field',
        [key, key, ...signedFields(policyFor(b)), file('x')],
        400,
        'InvalidArgument',
        /more than once/,
      ],
      [
        'fields too large',
        [key, ...signedFields(policyFor(b)), { name: 'x-ignore-pad', value: 'p'.repeat(21 * 1024) }, file('x')],
        400,
        'MaxPostPreDataLengthExceeded',
        /preceding the upload file/,
      ],
      [
        'bad ACL',
        [
          key,
          ...signedFields(policyFor(b, [['starts-with', '$acl', '']])),
          { name: 'acl', value: 'everyone' },
          file('x'),
        ],
        400,
        'InvalidACLString',
        /everyone/,
      ],
    ];
    for (const [what, fields, status, want, message] of cases) {
      const res = await postForm(f, b, fields);
      expect([what, res.status, code(res)]).toEqual([what, status, want]);
      expect([what, xml1(res.text, 'Message')]).toEqual([what, expect.stringMatching(message)]);
      expect([what, tmpFiles()]).toEqual([what, []]);
    }
    for (const k of ['uploads/k', 'other/k']) expect((await head(b, k)).status).toBe(404);
    expect(await f.send({ method: 'GET', bucket: b, key: '' }).then((r) => xml1(r.text, 'Key'))).toBeUndefined();
  });

  it('refuses bodies that are not well-formed forms', async () => {
    const b = await createBucket(f);
    const fields = [{ name: 'key', value: 'uploads/m' }, ...signedFields(policyFor(b)), file('data')];
    const good = multipart(fields, 'XyZ');
    const cut = { body: good.body.subarray(0, good.body.length - 40), contentType: good.contentType };
    const noBoundary = { body: good.body, contentType: 'multipart/form-data' };
    const junk = { body: Buffer.from('--XyZ\r\nnonsense\r\n\r\nx\r\n--XyZ--'), contentType: good.contentType };
    for (const [raw, want] of [
      [cut, 'MalformedPOSTRequest'],
      [noBoundary, 'MalformedPOSTRequest'],
      [junk, 'MalformedPOSTRequest'],
      [{ body: Buffer.from('key=x'), contentType: 'application/x-www-form-urlencoded' }, 'PreconditionFailed'],
    ] as const) {
      const res = await postForm(f, b, [], { raw });
      expect([res.status >= 400, code(res)]).toEqual([true, want]);
    }
    expect(tmpFiles()).toEqual([]);
    expect((await head(b, 'uploads/m')).status).toBe(404);
    const missing = await postForm(f, 'no-such-bucket-post', fields);
    expect([missing.status, code(missing)]).toEqual([404, 'NoSuchBucket']);
  });

  it('anonymous forms need a bucket policy allowing them (§2.8); temporary keys need their token', async () => {
    const open = await createBucket(f, 'public-read-write');
    const closed = await createBucket(f);
    const allowed = await createBucket(f);
    const anonymousPut = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'ks3:PutObject', Resource: `krn:ksc:ks3:::${allowed}/drop/*` },
      ],
    });
    expect((await putConfig(f, allowed, 'policy', anonymousPut)).status).toBe(204);
    const anon = (b: string, key = 'anon.txt') => postForm(f, b, [{ name: 'key', value: key }, file('a')]);
    // Anonymous requests only read: a public-read-write ACL lets signed identities write, not forms without one.
    for (const b of [open, closed]) {
      const res = await anon(b);
      expect([res.status, code(res)]).toEqual([403, 'AccessDenied']);
      expect((await head(b, 'anon.txt')).status).toBe(404);
    }
    expect((await anon(allowed, 'drop/a.txt')).status).toBe(204);
    expect(code(await anon(allowed, 'elsewhere.txt'))).toBe('AccessDenied');

    const token = { name: 'x-kss-security-token', value: 'tok-123' };
    const doc = policyFor(closed, [['eq', '$x-kss-security-token', 'tok-123']]);
    const key = { name: 'key', value: 'uploads/t' };
    // TEMP belongs to another owner: grant it writes through an ACL-free path, a bucket policy.
    const tempAccount = `ks3emu-${createHash('sha256').update(TEMP.accessKeyId).digest('hex').slice(0, 24)}`;
    const grant = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { KSC: [`krn:ksc:iam::${tempAccount}:root`] },
          Action: 'ks3:PutObject',
          Resource: `krn:ksc:ks3:::${closed}/uploads/*`,
        },
      ],
    });
    expect((await putConfig(f, closed, 'policy', grant)).status).toBe(204);
    expect(code(await postForm(f, closed, [key, ...signedFields(doc, TEMP), file('t')]))).toBe('InvalidToken');
    const wrong = { ...token, value: 'tok-999' };
    expect(code(await postForm(f, closed, [key, ...signedFields(doc, TEMP), wrong, file('t')]))).toBe('InvalidToken');
    expect((await postForm(f, closed, [key, ...signedFields(doc, TEMP), token, file('t')])).status).toBe(204);
    expect(code(await postForm(f, closed, [key, ...signedFields(policyFor(closed), TEMP), token, file('t')]))).toBe(
      'AccessDenied',
    );
    // A valid form of an identity the bucket does not let write is refused.
    const other = await postForm(f, closed, [
      { name: 'key', value: 'x/o' },
      ...signedFields({ expiration: inAnHour(), conditions: [{ bucket: closed }, ['starts-with', '$key', '']] }, OTHER),
      file('o'),
    ]);
    expect(code(other)).toBe('AccessDenied');
  });

  it('applies the bucket’s CORS rules to POST', async () => {
    const b = await createBucket(f);
    await putConfig(
      f,
      b,
      'cors',
      corsDoc([
        '<AllowedOrigin>https://app.test</AllowedOrigin><AllowedMethod>POST</AllowedMethod>' +
          '<ExposeHeader>ETag</ExposeHeader>',
      ]),
    );
    const fields = [{ name: 'key', value: 'uploads/c' }, ...signedFields(policyFor(b)), file('c')];
    const res = await postForm(f, b, fields, { headers: { Origin: 'https://app.test' } });
    expect([
      res.status,
      res.headers['access-control-allow-origin'],
      res.headers['access-control-expose-headers'],
    ]).toEqual([204, 'https://app.test', 'ETag']);
    const other = await postForm(f, b, fields, { headers: { Origin: 'https://evil.test' } });
    expect([other.status, other.headers['access-control-allow-origin']]).toEqual([204, undefined]);
  });
});

describe('POST Object upload callbacks', () => {
  const calls: unknown[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":true,"from":"cb"}');
    });
  });
  beforeAll(() => new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok)));
  afterAll(() => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))));
  const f = useEmulator({ callbackTimeoutMs: 1000, callbackRetries: 0 });

  it('calls back with the form’s x-kss-callbackurl/body and answers with the reply', async () => {
    const b = await createBucket(f);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
    const cbBody = 'bucket=${bucket}&key=${key}&size=${objectSize}';
    const doc = {
      expiration: inAnHour(),
      conditions: [
        { bucket: b },
        ['starts-with', '$key', ''],
        { 'x-kss-callbackurl': url },
        ['starts-with', '$x-kss-callbackbody', ''],
      ],
    };
    const res = await postForm(f, b, [
      { name: 'key', value: 'cb.txt' },
      ...signedFields(doc),
      { name: 'x-kss-callbackurl', value: url },
      { name: 'x-kss-callbackbody', value: cbBody },
      { name: 'file', value: 'hello', filename: 'h.txt' },
    ]);
    expect([res.status, res.text]).toEqual([200, '{"result":true,"from":"cb"}']);
    expect(calls).toEqual([{ bucket: b, key: 'cb.txt', size: '5' }]);
  });
});
