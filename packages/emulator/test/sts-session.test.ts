/**
 * Temporary credentials from the fake STS: the session Policy is enforced on every request made
 * with them (own target, each key of a batch delete, copy sources, POST Object forms),
 * intersected with the parent identity's rights; they expire on the wall clock.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { CREDS, code, type Creds, md5b64, OTHER, xml1, xmlAll } from './helpers/ks3.js';
import { inAnHour, postForm, signedFields } from './helpers/post.js';
import { callSts, ROLE, sessionCreds } from './helpers/sts.js';
import { sendV4 } from './helpers/v4-client.js';

const account = (c: Creds) => `ks3emu-${createHash('sha256').update(c.accessKeyId).digest('hex').slice(0, 24)}`;
const krn = (r: string) => `krn:ksc:ks3:::${r}`;
type Stmt = { Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: string | string[]; Condition?: object };
const policy = (...Statement: Stmt[]) => JSON.stringify({ Version: '2015-11-01', Statement });
const SESSION_DENIED = /session policy/;

describe('session policies of STS credentials', () => {
  const f = useEmulator();

  async function assume(parent: Creds, sessionPolicy?: string): Promise<Creds> {
    const params: Record<string, string> = { RoleKrn: ROLE(account(parent)), RoleSessionName: 'test-session' };
    if (sessionPolicy) params.Policy = sessionPolicy;
    return sessionCreds(await callSts(f.url, { creds: parent, params }));
  }

  it('allows what the policy allows on the parent bucket, and refuses the rest', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'other/x', 'x');
    const temp = await assume(
      CREDS,
      policy(
        { Effect: 'Allow', Action: ['ks3:PutObject', 'ks3:GetObject'], Resource: krn(`${b}/uploads/*`) },
        {
          Effect: 'Allow',
          Action: 'ks3:ListBucket',
          Resource: krn(b),
          Condition: { StringLike: { 'ks3:prefix': 'uploads/*' } },
        },
        { Effect: 'Deny', Action: 'ks3:GetObject', Resource: krn(`${b}/uploads/secret*`) },
      ),
    );
    const as = (r: Parameters<typeof f.send>[0]) => f.send({ ...r, creds: temp });
    expect((await as({ method: 'PUT', bucket: b, key: 'uploads/a', body: 'a' })).status).toBe(200);
    const got = await as({ method: 'GET', bucket: b, key: 'uploads/a' });
    expect([got.status, got.text]).toEqual([200, 'a']);
    expect((await as({ method: 'GET', bucket: b, key: '', query: 'prefix=uploads/' })).status).toBe(200);
    await putObject(f, b, 'uploads/secret.txt', 's');
    for (const denied of [
      await as({ method: 'PUT', bucket: b, key: 'other/a', body: 'a' }),
      await as({ method: 'GET', bucket: b, key: 'other/x' }),
      await as({ method: 'DELETE', bucket: b, key: 'uploads/a' }),
      await as({ method: 'GET', bucket: b, key: 'uploads/secret.txt' }),
      await as({ method: 'GET', bucket: b, key: '', query: 'prefix=other/' }),
      await as({ method: 'GET', bucket: b, key: '' }),
      await as({ method: 'GET', bucket: '' }),
      await as({ method: 'GET', bucket: b, key: '', query: 'acl' }),
    ]) {
      expect([denied.status, code(denied)]).toEqual([403, 'AccessDenied']);
      expect(xml1(denied.text, 'Message')).toMatch(SESSION_DENIED);
    }
    // The same through V4: the policy does not depend on the signature version.
    const v4 = await sendV4(f.url, { method: 'PUT', bucket: b, key: 'other/v4', body: 'v', creds: temp });
    expect([v4.status, code(v4)]).toEqual([403, 'AccessDenied']);
  });

  it('can never exceed the parent: a policy allowing everything still meets the ACLs', async () => {
    const mine = await createBucket(f);
    const shared = await createBucket(f, 'public-read');
    await putObject(f, mine, 'k', 'private');
    await putObject(f, shared, 'k', 'public');
    const theirs = await createBucket(f, undefined, OTHER);
    const temp = await assume(OTHER, policy({ Effect: 'Allow', Action: '*', Resource: krn('*') }));
    const as = (r: Parameters<typeof f.send>[0]) => f.send({ ...r, creds: temp });
    for (const denied of [
      await as({ method: 'GET', bucket: mine, key: 'k' }),
      await as({ method: 'PUT', bucket: mine, key: 'k2', body: 'x' }),
      await as({ method: 'PUT', bucket: shared, key: 'k2', body: 'x' }),
      await as({ method: 'DELETE', bucket: mine, key: '' }),
    ]) {
      expect([denied.status, code(denied)]).toEqual([403, 'AccessDenied']);
      expect(xml1(denied.text, 'Message')).not.toMatch(SESSION_DENIED);
    }
    expect((await as({ method: 'GET', bucket: shared, key: 'k' })).text).toBe('public');
    expect((await as({ method: 'PUT', bucket: theirs, key: 'k', body: 'mine' })).status).toBe(200);
    const list = await as({ method: 'GET', bucket: '' });
    expect(xmlAll(list.text, 'Name')).toEqual([theirs]);
  });

  it('checks each key of a batch delete, copy sources and POST Object forms', async () => {
    const b = await createBucket(f);
    for (const k of ['tmp/a', 'keep/b', 'public/p', 'private/q']) await putObject(f, b, k, k);
    const temp = await assume(
      CREDS,
      policy(
        { Effect: 'Allow', Action: 'ks3:DeleteObject', Resource: krn(`${b}/tmp/*`) },
        { Effect: 'Allow', Action: 'ks3:PutObject', Resource: [krn(`${b}/copies/*`), krn(`${b}/forms/*`)] },
        { Effect: 'Allow', Action: 'ks3:GetObject', Resource: krn(`${b}/public/*`) },
      ),
    );
    const doc = '<Delete><Object><Key>tmp/a</Key></Object><Object><Key>keep/b</Key></Object></Delete>';
    const del = await f.send({
      method: 'POST',
      bucket: b,
      key: '',
      query: 'delete',
      body: doc,
      headers: { 'Content-MD5': md5b64(doc) },
      creds: temp,
    });
    expect(del.status).toBe(200);
    expect(xmlAll(del.text, 'Key')).toEqual(['tmp/a', 'keep/b']);
    expect(del.text).toMatch(/<Error><Key>keep\/b<\/Key><Code>AccessDenied<\/Code>/);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'keep/b' })).status).toBe(200);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'tmp/a' })).status).toBe(404);

    const copy = (from: string) =>
      f.send({
        method: 'PUT',
        bucket: b,
        key: 'copies/c',
        headers: { 'x-kss-copy-source': `/${b}/${from}` },
        creds: temp,
      });
    expect((await copy('public/p')).status).toBe(200);
    const secret = await copy('private/q');
    expect([secret.status, xml1(secret.text, 'Message')]).toEqual([403, expect.stringMatching(SESSION_DENIED)]);

    const form = (key: string) =>
      postForm(f, b, [
        { name: 'key', value: key },
        ...signedFields(
          {
            expiration: inAnHour(),
            conditions: [{ bucket: b }, ['starts-with', '$key', ''], ['starts-with', '$x-kss-security-token', '']],
          },
          temp,
        ),
        { name: 'x-kss-security-token', value: temp.securityToken ?? '' },
        { name: 'file', value: 'f', filename: 'f.txt' },
      ]);
    expect((await form('forms/ok')).status).toBe(204);
    const outside = await form('elsewhere/no');
    expect([outside.status, xml1(outside.text, 'Message')]).toEqual([403, expect.stringMatching(SESSION_DENIED)]);
  });
});

describe('expiry of STS credentials', () => {
  let wall = Date.parse('2026-05-01T08:00:00Z');
  const f = useEmulator({ now: () => wall, maxSkewMs: 365 * 24 * 3600 * 1000 });

  it('answers 400 ExpiredToken after Expiration on the wall clock (clock.advance does not expire them)', async () => {
    const b = await createBucket(f);
    const a = await callSts(f.url, {
      params: { RoleKrn: ROLE(account(CREDS)), RoleSessionName: 'short', DurationSeconds: '60' },
      time: new Date(wall),
    });
    expect(a.json.AssumeRoleResult?.Credentials.Expiration).toBe('2026-05-01T08:01:00Z');
    const temp = sessionCreds(a);
    const put = () => f.send({ method: 'PUT', bucket: b, key: 'k', body: 'v', creds: temp });
    await f.emu.clock.advance(24 * 3600 * 1000);
    expect((await put()).status).toBe(200);
    wall += 60_000;
    const late = await put();
    expect([late.status, code(late), xml1(late.text, 'Expiration')]).toEqual([
      400,
      'ExpiredToken',
      '2026-05-01T08:01:00.000Z',
    ]);
  });
});
