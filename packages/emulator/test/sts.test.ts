/**
 * The fake STS: AssumeRole over GET and POST, its V4 signature (service sts, region
 * cn-beijing-6 by default), parameters, roles, KSC's JSON answers and errors, no CORS.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBucket, start, useEmulator } from './helpers/emulator.js';
import { CREDS, code, type Creds, OTHER, rawRequest } from './helpers/ks3.js';
import { callSts, ROLE, sessionCreds } from './helpers/sts.js';

const account = (c: Creds) => `ks3emu-${createHash('sha256').update(c.accessKeyId).digest('hex').slice(0, 24)}`;
const MINE = ROLE(account(CREDS));

describe('STS AssumeRole', () => {
  const f = useEmulator({ cors: 'any' });

  it('answers KSC JSON with working credentials that act as the caller (GET on /__sts/)', async () => {
    const before = Date.now();
    const a = await callSts(f.url, { params: { RoleKrn: MINE, RoleSessionName: 'web-1', DurationSeconds: '900' } });
    expect([a.res.status, a.res.headers['content-type'], a.res.headers['cache-control']]).toEqual([
      200,
      'application/json',
      'no-store',
    ]);
    const result = a.json.AssumeRoleResult;
    expect(a.json.RequestId).toBe(a.res.headers['x-kss-request-id']);
    expect(result?.AssumedRoleUser.Krn).toBe(`krn:ksc:iam::${account(CREDS)}:assumed-role/uploader/web-1`);
    expect(result?.AssumedRoleUser.AssumedRoleId).toMatch(/^ks3emu-role-[0-9a-f]{16}:web-1$/);
    const { Expiration, AccessKeyId, SecretAccessKey, SecurityToken } = result?.Credentials ?? ({} as never);
    expect(Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(Expiration) - before).toBeGreaterThan(898_000);
    expect(Date.parse(Expiration) - Date.now()).toBeLessThanOrEqual(900_000);
    expect([AccessKeyId, SecretAccessKey, SecurityToken].every((v) => typeof v === 'string' && v.length > 10)).toBe(
      true,
    );
    // The session acts as the caller: it may use the caller's bucket.
    const b = await createBucket(f);
    const temp = sessionCreds(a);
    expect((await f.send({ method: 'PUT', bucket: b, key: 'k', body: 'v', creds: temp })).status).toBe(200);
    const bare = await f.send({ method: 'GET', bucket: b, key: 'k', creds: { ...temp, securityToken: undefined } });
    expect(code(bare)).toBe('InvalidToken');
  });

  it('accepts a POST form on a host starting with sts. and hashes the body itself', async () => {
    const host = `sts.localhost:${new URL(f.url).port}`;
    const params = { RoleKrn: MINE, RoleSessionName: 'form', DurationSeconds: '60' };
    const form = await callSts(f.url, { method: 'POST', host, params, noPayloadHeader: true });
    expect(form.res.status).toBe(200);
    const viaGet = await callSts(f.url, { host, params });
    expect(viaGet.res.status).toBe(200);
    // The body is covered by the signature: a changed body no longer verifies.
    const other = new URLSearchParams({
      Action: 'AssumeRole',
      Version: '2015-11-01',
      ...params,
      DurationSeconds: '61',
    });
    for (const noPayloadHeader of [true, false]) {
      const tampered = await callSts(f.url, { method: 'POST', host, params, noPayloadHeader, sendBody: `${other}` });
      expect([noPayloadHeader, tampered.res.status, tampered.json.Error?.Code]).toEqual([
        noPayloadHeader,
        403,
        'SignatureDoesNotMatch',
      ]);
    }
  });

  it('refuses bad signatures with KSC JSON errors that show no secret', async () => {
    const params = { RoleKrn: MINE, RoleSessionName: 's1' };
    const cases: [string, Parameters<typeof callSts>[1], number, string, RegExp][] = [
      [
        'wrong secret',
        { params, creds: { ...CREDS, secretAccessKey: 'nope' } },
        403,
        'SignatureDoesNotMatch',
        /canonical request/,
      ],
      ['other region', { params, region: 'cn-shanghai-3' }, 403, 'SignatureDoesNotMatch', /region/],
      ['s3 service', { params, service: 's3' }, 403, 'SignatureDoesNotMatch', /service: 'sts'/],
      [
        'unknown key',
        { params, creds: { accessKeyId: 'AKLTnobody', secretAccessKey: 'x' } },
        403,
        'InvalidClientTokenId',
        /does not exist/,
      ],
      ['skewed', { params, time: new Date(Date.now() - 3600_000) }, 400, 'RequestExpired', /server time/],
    ];
    for (const [what, options, status, errorCode, message] of cases) {
      const a = await callSts(f.url, options);
      expect([what, a.res.status, a.json.Error?.Code, a.json.Error?.Type]).toEqual([what, status, errorCode, 'Sender']);
      expect(a.json.Error?.Message).toMatch(message);
      expect(a.json.RequestId).toBe(a.res.headers['x-kss-request-id']);
      expect(a.res.text).not.toContain(CREDS.secretAccessKey);
    }
    const unsigned = await rawRequest(f.url, { method: 'GET', path: '/__sts/?Action=AssumeRole&Version=2015-11-01' });
    expect([unsigned.status, JSON.parse(unsigned.text).Error.Code]).toEqual([403, 'MissingAuthenticationToken']);
    const v2 = await rawRequest(f.url, {
      method: 'GET',
      path: '/__sts/',
      headers: { Authorization: `KSS ${CREDS.accessKeyId}:abc=` },
    });
    expect([v2.status, JSON.parse(v2.text).Error.Code]).toEqual([400, 'IncompleteSignature']);
    // Temporary credentials cannot assume roles here.
    const temp = sessionCreds(await callSts(f.url, { params }));
    const chained = await callSts(f.url, {
      params,
      creds: temp,
      headers: { 'x-amz-security-token': temp.securityToken ?? '' },
    });
    expect([chained.res.status, chained.json.Error?.Code]).toEqual([403, 'AccessDenied']);
  });

  it('validates Action, Version, RoleKrn, RoleSessionName, DurationSeconds and Policy', async () => {
    const ok = { RoleKrn: MINE, RoleSessionName: 'sess' };
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ ...ok, Action: 'GetCallerIdentity' }, 'InvalidAction', /GetCallerIdentity/],
      [{ ...ok, Version: '2011-06-15' }, 'InvalidParameterValue', /Version must be 2015-11-01/],
      [{ RoleSessionName: 'sess' }, 'MissingParameter', /RoleKrn/],
      [{ RoleKrn: MINE }, 'MissingParameter', /RoleSessionName/],
      [{ ...ok, RoleKrn: 'arn:aws:iam::1:role/x' }, 'InvalidParameterValue', /not krn:ksc:iam/],
      [{ ...ok, RoleSessionName: 'has space' }, 'InvalidParameterValue', /RoleSessionName/],
      [{ ...ok, DurationSeconds: '0' }, 'InvalidParameterValue', /DurationSeconds must be an integer in 1..43200/],
      [{ ...ok, DurationSeconds: '43201' }, 'InvalidParameterValue', /DurationSeconds/],
      [{ ...ok, DurationSeconds: '1h' }, 'InvalidParameterValue', /DurationSeconds/],
      [{ ...ok, Policy: '{"Statement": [' }, 'MalformedPolicyDocument', /valid JSON/],
      [
        { ...ok, Policy: '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' },
        'MalformedPolicyDocument',
        /invalid action/,
      ],
      [
        {
          ...ok,
          Policy: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ks3:*","Resource":"krn:ksc:ks3:::*"}]}',
        },
        'MalformedPolicyDocument',
        /Principal/,
      ],
      [{ ...ok, Policy: `{"Statement":[],"Id":"${'x'.repeat(2100)}"}` }, 'PackedPolicyTooLarge', /2048/],
    ];
    for (const [params, errorCode, message] of cases) {
      const a = await callSts(f.url, { params });
      expect([params, a.res.status, a.json.Error?.Code]).toEqual([params, 400, errorCode]);
      expect(a.json.Error?.Message).toMatch(message);
    }
    // Another account's role is not the caller's to assume.
    const theirs = await callSts(f.url, { params: { ...ok, RoleKrn: ROLE(account(OTHER)) } });
    expect([theirs.res.status, theirs.json.Error?.Code]).toEqual([403, 'AccessDenied']);
    expect((await callSts(f.url, { params: { ...ok, RoleKrn: ROLE(account(OTHER)) }, creds: OTHER })).res.status).toBe(
      200,
    );
  });

  it('never answers cross-origin, even in cors any mode', async () => {
    const origin = 'http://app.localhost:5173';
    const a = await callSts(f.url, {
      params: { RoleKrn: MINE, RoleSessionName: 'page' },
      headers: { origin },
    });
    expect(a.res.status).toBe(200);
    expect(a.res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await rawRequest(f.url, {
      method: 'OPTIONS',
      path: '/__sts/',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
    });
    expect([pre.status, pre.headers['access-control-allow-origin']]).toEqual([405, undefined]);
    expect(JSON.parse(pre.text).Error.Code).toBe('MethodNotAllowed');
  });
});

describe('STS options', () => {
  it('roles: only the listed roles exist, and their sessions act as the mapped key', async () => {
    const shared = ROLE('123456', 'shared-writer');
    const emu = await start({ roles: { [shared]: OTHER.accessKeyId }, stsRegion: 'cn-shanghai-3' });
    try {
      const params = { RoleKrn: shared, RoleSessionName: 'app' };
      const byOther = await callSts(emu.url, { params, creds: OTHER, region: 'cn-shanghai-3' });
      expect(byOther.res.status).toBe(200);
      // CREDS is neither the parent nor of account 123456.
      const byMe = await callSts(emu.url, { params, region: 'cn-shanghai-3' });
      expect([byMe.res.status, byMe.json.Error?.Code]).toEqual([403, 'AccessDenied']);
      const own = await callSts(emu.url, {
        params: { RoleKrn: MINE, RoleSessionName: 'mine' },
        region: 'cn-shanghai-3',
      });
      expect(own.json.Error?.Code).toBe('AccessDenied');
      const user = byOther.json.AssumeRoleResult?.AssumedRoleUser.Krn;
      expect(user).toBe('krn:ksc:iam::123456:assumed-role/shared-writer/app');
    } finally {
      await emu.close();
    }
  });

  it('refuses malformed STS options with a TypeError', async () => {
    for (const [options, message] of [
      [{ roles: { 'krn:ksc:iam::1:user/x': CREDS.accessKeyId } }, /not a role KRN/],
      [{ roles: { [ROLE('1')]: 'AKLTnobody' } }, /configured permanent access key/],
      [{ roles: [] as unknown as Record<string, string> }, /roles must map/],
      [{ stsRegion: 'cn beijing' }, /stsRegion/],
      [{ stsMinDurationSeconds: 0 }, /stsMinDurationSeconds/],
      [{ stsMinDurationSeconds: 900, stsMaxDurationSeconds: 600 }, /must not exceed/],
    ] as const) {
      await expect(start(options as never)).rejects.toThrow(message);
    }
  });
});
