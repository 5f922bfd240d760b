/** ?policy: KS3's JSON, its validation, the evaluator's API and enforcement on requests. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/index.js';
import { actionFor } from '../src/policy/enforce.js';
import { evaluate } from '../src/policy/evaluate.js';
import { parsePolicy } from '../src/policy/parse.js';
import { deleteConfig, getConfig, putConfig } from './helpers/config.js';
import { createBucket, putObject, useEmulator, type Fixture } from './helpers/emulator.js';
import { CREDS, code, OTHER, type Creds, xml1 } from './helpers/ks3.js';

/** The emulator's owner ID for a key (README: derived from the access key). */
const account = (c: Creds) => `ks3emu-${createHash('sha256').update(c.accessKeyId).digest('hex').slice(0, 24)}`;
const root = (c: Creds) => `krn:ksc:iam::${account(c)}:root`;
const krn = (r: string) => `krn:ksc:ks3:::${r}`;
type Stmt = Record<string, unknown>;
const policy = (statements: Stmt[]) => JSON.stringify({ Version: '2015-11-01', Statement: statements });
const allow = (principal: unknown, action: unknown, resource: unknown, extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Principal: principal === '*' ? { KSC: ['*'] } : { KSC: [principal] },
  Action: action,
  Resource: resource,
  ...extra,
});
const get = (f: Fixture, bucket: string, key: string, creds: Creds | null = null) =>
  f.send({ method: 'GET', bucket, key, creds });

describe('bucket policy configuration', () => {
  const f = useEmulator();

  it('round-trips the JSON verbatim; 404 NoSuchBucketPolicy when absent; 204 on PUT and DELETE', async () => {
    const b = await createBucket(f);
    const missing = await getConfig(f, b, 'policy');
    expect([missing.status, code(missing)]).toEqual([404, 'NoSuchBucketPolicy']);
    const text = `{ "Statement": [ ${JSON.stringify(allow('*', 'ks3:GetObject', krn(`${b}/*`)))} ] }`;
    expect((await putConfig(f, b, 'policy', text, { md5: false })).status).toBe(204);
    const got = await getConfig(f, b, 'policy');
    expect([got.status, got.headers['content-type'], got.text]).toEqual([200, 'application/json', text]);
    expect((await deleteConfig(f, b, 'policy')).status).toBe(204);
    expect(code(await getConfig(f, b, 'policy'))).toBe('NoSuchBucketPolicy');
    expect(code(await putConfig(f, b, 'policy', text, { creds: OTHER }))).toBe('AccessDenied');
  });

  it('refuses invalid policies with 400 MalformedPolicy naming the fault', async () => {
    const b = await createBucket(f);
    const ok = allow('*', 'ks3:GetObject', krn(`${b}/*`));
    const cases: [string, RegExp][] = [
      ['not json', /first byte/],
      ['{"Statement": [', /valid JSON/],
      ['{"Version":"2015-11-01"}', /at least one Statement/],
      [policy([{ ...ok, Effect: 'Maybe' }]), /Effect/],
      [policy([{ ...ok, Principal: undefined }]), /no Principal/],
      [policy([{ ...ok, Principal: { AWS: ['*'] } }]), /KSC/],
      [policy([{ ...ok, Principal: { KSC: ['someone'] } }]), /Invalid principal.*someone/],
      [policy([{ ...ok, Action: 's3:GetObject' }]), /invalid action: s3:GetObject/],
      [policy([{ ...ok, Action: [] }]), /Action/],
      [policy([{ ...ok, Resource: 'arn:aws:s3:::x' }]), /invalid resource/],
      [policy([{ ...ok, Resource: krn('another-bucket/*') }]), /not in the bucket/],
      [policy([{ ...ok, NotAction: 'ks3:GetObject' }]), /NotAction is not supported/],
      [policy([{ ...ok, Condition: { StringSorta: { 'ks3:prefix': 'a' } } }]), /Invalid Condition type: StringSorta/],
      [policy([{ ...ok, Condition: { StringEquals: { prefix: 'a' } } }]), /invalid condition key/],
      [policy([{ ...ok, Condition: { StringEquals: { 'ks3:prefix': [] } } }]), /non-empty array/],
      [JSON.stringify({ Version: '2008-10-17', Statement: [ok] }), /Version/],
    ];
    for (const [text, message] of cases) {
      const res = await putConfig(f, b, 'policy', text);
      expect([text.slice(0, 50), res.status, code(res)]).toEqual([text.slice(0, 50), 400, 'MalformedPolicy']);
      expect(xml1(res.text, 'Message')).toMatch(message);
    }
    expect(code(await getConfig(f, b, 'policy'))).toBe('NoSuchBucketPolicy');
  });
});

describe('bucket policy enforcement', () => {
  const f = useEmulator();

  async function bucketWithPolicy(statements: (b: string) => Stmt[]): Promise<string> {
    const b = await createBucket(f);
    const res = await putConfig(f, b, 'policy', policy(statements(b)));
    expect([res.status, res.text]).toEqual([204, '']);
    return b;
  }

  it('Principal "*" lets anonymous requests read a prefix, nothing else', async () => {
    const b = await bucketWithPolicy((b) => [allow('*', 'ks3:GetObject', krn(`${b}/public/*`))]);
    await putObject(f, b, 'public/a.txt', 'pub');
    await putObject(f, b, 'private/b.txt', 'priv');
    const pub = await get(f, b, 'public/a.txt');
    expect([pub.status, pub.text]).toEqual([200, 'pub']);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'public/a.txt', creds: null })).status).toBe(200);
    expect(code(await get(f, b, 'private/b.txt'))).toBe('AccessDenied');
    expect(code(await f.send({ method: 'GET', bucket: b, key: '', creds: null }))).toBe('AccessDenied');
    expect(code(await f.send({ method: 'PUT', bucket: b, key: 'public/c', body: 'x', creds: null }))).toBe(
      'AccessDenied',
    );
  });

  it('grants another account writes under a prefix, and anonymous deletes beyond what ACLs allow', async () => {
    const b = await bucketWithPolicy((b) => [
      allow(root(OTHER), ['ks3:PutObject', 'ks3:ListBucket'], [krn(`${b}/uploads/*`), krn(b)]),
      allow('*', 'ks3:DeleteObject', krn(`${b}/trash/*`)),
    ]);
    expect((await f.send({ method: 'PUT', bucket: b, key: 'uploads/a', body: 'a', creds: OTHER })).status).toBe(200);
    expect(code(await f.send({ method: 'PUT', bucket: b, key: 'other/a', body: 'a', creds: OTHER }))).toBe(
      'AccessDenied',
    );
    expect((await f.send({ method: 'GET', bucket: b, key: '', creds: OTHER })).status).toBe(200);
    expect(code(await f.send({ method: 'DELETE', bucket: b, key: 'uploads/a', creds: OTHER }))).toBe('AccessDenied');
    await putObject(f, b, 'trash/x', 'x');
    expect((await f.send({ method: 'DELETE', bucket: b, key: 'trash/x', creds: null })).status).toBe(204);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'trash/x' })).status).toBe(404);
  });

  it('an explicit Deny wins over Allow and over ownership, but the owner keeps the policy itself', async () => {
    const b = await bucketWithPolicy((b) => [
      allow('*', 'ks3:GetObject', krn(`${b}/*`)),
      {
        Effect: 'Deny',
        Principal: '*',
        Action: ['ks3:Get*', 'ks3:DeleteBucketPolicy'],
        Resource: krn(`${b}/secret/*`),
      },
      { Effect: 'Deny', Principal: '*', Action: 'ks3:*Policy', Resource: krn(b) },
    ]);
    await putObject(f, b, 'secret/s', 's');
    await putObject(f, b, 'open/o', 'o');
    expect((await get(f, b, 'open/o')).status).toBe(200);
    expect(code(await get(f, b, 'secret/s'))).toBe('AccessDenied');
    const owner = await get(f, b, 'secret/s', CREDS);
    expect([owner.status, xml1(owner.text, 'Message')]).toEqual([403, expect.stringMatching(/bucket policy/)]);
    expect((await getConfig(f, b, 'policy')).status).toBe(200);
    expect(code(await getConfig(f, b, 'policy', OTHER))).toBe('AccessDenied');
    expect((await deleteConfig(f, b, 'policy')).status).toBe(204);
    expect((await get(f, b, 'secret/s', CREDS)).status).toBe(200);
  });

  it('temporary credentials are evaluated as their parent identity (account root and user)', async () => {
    const b = await bucketWithPolicy((b) => [
      allow(root(OTHER), 'ks3:PutObject', krn(`${b}/uploads/*`)),
      {
        Effect: 'Deny',
        Principal: { KSC: [`krn:ksc:iam::${account(CREDS)}:user/${account(CREDS)}`] },
        Action: 'ks3:DeleteObject',
        Resource: krn(`${b}/keep/*`),
      },
    ]);
    const other = f.emu.sessions.issue({ durationSeconds: 60, parentAccessKeyId: OTHER.accessKeyId });
    const put = (key: string, creds: Creds) => f.send({ method: 'PUT', bucket: b, key, body: 'v', creds });
    expect((await put('uploads/s', other)).status).toBe(200);
    expect(code(await put('elsewhere/s', other))).toBe('AccessDenied');
    const owner = f.emu.sessions.issue({ durationSeconds: 60, parentAccessKeyId: CREDS.accessKeyId });
    expect((await put('keep/k', owner)).status).toBe(200);
    const del = await f.send({ method: 'DELETE', bucket: b, key: 'keep/k', creds: owner });
    expect([del.status, xml1(del.text, 'Message')]).toEqual([403, expect.stringMatching(/bucket policy/)]);
  });

  it('evaluates conditions: ks3:prefix, ks3:x-kss-acl and the emulator clock', async () => {
    const until = new Date(f.emu.clock.now() + 24 * 3600 * 1000).toISOString();
    const b = await bucketWithPolicy((b) => [
      allow('*', 'ks3:ListBucket', krn(b), { Condition: { StringLike: { 'ks3:prefix': 'docs/*' } } }),
      allow('*', 'ks3:GetObject', krn(`${b}/*`), { Condition: { DateLessThan: { 'ksc:CurrentTime': until } } }),
      {
        Effect: 'Deny',
        Principal: { KSC: ['*'] },
        Action: 'ks3:PutObject',
        Resource: krn(`${b}/*`),
        Condition: { StringEquals: { 'ks3:x-kss-acl': ['public-read', 'public-read-write'] } },
      },
    ]);
    await putObject(f, b, 'docs/a', 'a');
    const list = (query?: string) => f.send({ method: 'GET', bucket: b, key: '', query, creds: null });
    expect((await list('prefix=docs/')).status).toBe(200);
    expect(code(await list('prefix=other/'))).toBe('AccessDenied');
    expect(code(await list())).toBe('AccessDenied');
    const publicPut = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'docs/p',
      body: 'p',
      headers: { 'x-kss-acl': 'public-read' },
    });
    expect(code(publicPut)).toBe('AccessDenied');
    expect((await f.send({ method: 'PUT', bucket: b, key: 'docs/p', body: 'p' })).status).toBe(200);
    expect((await get(f, b, 'docs/a')).status).toBe(200);
    await f.emu.clock.advance(2 * 24 * 3600 * 1000);
    expect(code(await get(f, b, 'docs/a'))).toBe('AccessDenied');
  });
});

describe('evaluate(policy, request)', () => {
  const parse = (statements: Stmt[], requirePrincipal = true) =>
    parsePolicy(JSON.stringify({ Statement: statements }), { requirePrincipal });
  const who = { account: 'acct-1', user: 'alice' };

  it('answers default, allow or deny; Deny wins regardless of order', () => {
    const p = parse([
      allow('*', 'ks3:GetObject', krn('b/*')),
      { Effect: 'Deny', Principal: '*', Action: 'ks3:GetObject', Resource: krn('b/x') },
    ]);
    expect(evaluate(p, { principal: null, action: 'ks3:GetObject', resource: krn('b/y') })).toBe('allow');
    expect(evaluate(p, { principal: null, action: 'ks3:GetObject', resource: krn('b/x') })).toBe('deny');
    expect(evaluate(p, { principal: null, action: 'ks3:PutObject', resource: krn('b/y') })).toBe('default');
    expect(evaluate(p, { principal: null, action: 'ks3:getobject', resource: krn('B/y') })).toBe('default');
  });

  it('matches principals by account root or user, wildcards with * and ?', () => {
    const p = parse([
      allow('krn:ksc:iam::acct-1:root', 'ks3:Get*', krn('b/a?c')),
      allow('krn:ksc:iam::acct-2:user/bob', 'ks3:*', krn('b/*')),
    ]);
    const req = (principal: typeof who | null, resource: string, action = 'ks3:GetObject') => ({
      principal,
      action,
      resource: krn(resource),
    });
    expect(evaluate(p, req(who, 'b/abc'))).toBe('allow');
    expect(evaluate(p, req(who, 'b/abbc'))).toBe('default');
    expect(evaluate(p, req(null, 'b/abc'))).toBe('default');
    expect(evaluate(p, req({ account: 'acct-2', user: 'bob' }, 'b/x', 'ks3:DeleteObject'))).toBe('allow');
    expect(evaluate(p, req({ account: 'acct-2', user: 'eve' }, 'b/x', 'ks3:DeleteObject'))).toBe('default');
    // Session policies carry no Principal: they apply to whoever holds them.
    const session = parse([{ Effect: 'Allow', Action: 'ks3:PutObject', Resource: krn('b/u/*') }], false);
    expect(evaluate(session, { action: 'ks3:PutObject', resource: krn('b/u/1') })).toBe('allow');
  });

  it('evaluates condition operators, negation, IfExists and Null', () => {
    const check = (condition: Stmt, context: Record<string, string | undefined>) =>
      evaluate(parse([allow('*', '*', krn('b'), { Condition: condition })]), {
        principal: null,
        action: 'ks3:ListBucket',
        resource: krn('b'),
        context,
      });
    expect(check({ StringEquals: { 'ks3:prefix': ['a', 'b'] } }, { 'ks3:prefix': 'b' })).toBe('allow');
    expect(check({ StringNotEquals: { 'ks3:prefix': ['a', 'b'] } }, { 'ks3:prefix': 'b' })).toBe('default');
    expect(check({ StringNotEquals: { 'ks3:prefix': 'a' } }, {})).toBe('allow');
    expect(check({ StringEquals: { 'ks3:prefix': 'a' } }, {})).toBe('default');
    expect(check({ StringEqualsIfExists: { 'ks3:prefix': 'a' } }, {})).toBe('allow');
    expect(check({ StringEqualsIgnoreCase: { 'ks3:prefix': 'ABC' } }, { 'ks3:prefix': 'abc' })).toBe('allow');
    expect(check({ StringLike: { 'ks3:prefix': 'docs/*' } }, { 'ks3:prefix': 'docs/x' })).toBe('allow');
    expect(check({ NumericLessThanEquals: { 'ks3:max-keys': 100 } }, { 'ks3:max-keys': '100' })).toBe('allow');
    expect(check({ NumericLessThan: { 'ks3:max-keys': 100 } }, { 'ks3:max-keys': '100' })).toBe('default');
    expect(check({ NumericGreaterThan: { 'ks3:max-keys': 1 } }, { 'ks3:max-keys': 'x' })).toBe('default');
    expect(
      check(
        { DateGreaterThan: { 'ksc:CurrentTime': '2020-01-01T00:00:00Z' } },
        { 'ksc:currenttime': '2026-01-01T00:00:00Z' },
      ),
    ).toBe('allow');
    expect(
      check({ DateLessThan: { 'ksc:CurrentTime': 1577836800 } }, { 'ksc:currenttime': '2026-01-01T00:00:00Z' }),
    ).toBe('default');
    expect(check({ Bool: { 'ksc:SecureTransport': false } }, { 'ksc:securetransport': 'false' })).toBe('allow');
    expect(check({ IpAddress: { 'ksc:SourceIp': '127.0.0.0/8' } }, { 'ksc:sourceip': '127.0.0.1' })).toBe('allow');
    expect(check({ NotIpAddress: { 'ksc:SourceIp': '10.0.0.0/8' } }, { 'ksc:sourceip': '127.0.0.1' })).toBe('allow');
    expect(check({ IpAddress: { 'ksc:SourceIp': '10.0.0.0/8' } }, { 'ksc:sourceip': '127.0.0.1' })).toBe('default');
    expect(check({ Null: { 'ks3:prefix': true } }, {})).toBe('allow');
    expect(check({ Null: { 'ks3:prefix': false } }, {})).toBe('default');
    // Every operator and key must hold.
    const both = { StringEquals: { 'ks3:prefix': 'a' }, StringLike: { 'ks3:delimiter': '/' } };
    expect(check(both, { 'ks3:prefix': 'a', 'ks3:delimiter': '/' })).toBe('allow');
    expect(check(both, { 'ks3:prefix': 'a', 'ks3:delimiter': '-' })).toBe('default');
  });
});

describe('actionFor(op)', () => {
  it('names a ks3: action for every operation, KS3’s keyword where it has one', () => {
    for (const op of OPERATIONS) expect([op, actionFor(op)]).toEqual([op, expect.stringMatching(/^ks3:[A-Za-z]+$/)]);
    const expected: Record<string, string> = {
      CreateBucket: 'ks3:PutBucket',
      HeadBucket: 'ks3:ListBucket',
      ListObjects: 'ks3:ListBucket',
      ListObjectsV2: 'ks3:ListBucket',
      ListObjectVersions: 'ks3:ListBucketVersions',
      HeadObject: 'ks3:GetObject',
      PostObject: 'ks3:PutObject',
      UploadPart: 'ks3:PutObject',
      AppendObject: 'ks3:PutObject',
      DeleteObjects: 'ks3:DeleteObject',
      ListParts: 'ks3:ListMultipartUploadParts',
      ListMultipartUploads: 'ks3:ListBucketMultipartUploads',
      DeleteBucketCors: 'ks3:PutBucketCORS',
      PutBucketLifecycle: 'ks3:PutBucketLifecycle',
      GetBucketReplication: 'ks3:GetBucketReplication',
      GetObjectTagging: 'ks3:GetObjectTagging',
    };
    for (const [op, action] of Object.entries(expected)) expect([op, actionFor(op)]).toEqual([op, action]);
  });
});
