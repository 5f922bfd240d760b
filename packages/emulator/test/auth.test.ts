/** KSS V2 verification (§2): header and query auth, dates, tokens, malformed requests. */
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { CREDS, code, hmac, presign, q, rawRequest, send, stringToSign, xml1 } from './helpers/ks3.js';

const TOKEN_CREDS = {
  accessKeyId: 'AKLTtemporary0003',
  secretAccessKey: 'temp/secret+0003',
  securityToken: 'token-abc',
};

describe('header authentication', () => {
  const f = useEmulator({ credentials: [CREDS, TOKEN_CREDS] });

  it('accepts a correctly signed request', async () => {
    const res = await f.send({ method: 'GET', bucket: '' });
    expect(res.status).toBe(200);
    expect(res.headers['x-kss-request-id']).toMatch(/^[0-9a-f]{24}$/);
  });

  it('rejects a signature that is off by one byte, showing the string to sign but not the expected signature', async () => {
    const date = new Date().toUTCString();
    const good = hmac(CREDS.secretAccessKey, stringToSign('GET', {}, date, '/'));
    const bad = (good[0] === 'A' ? 'B' : 'A') + good.slice(1);
    const res = await rawRequest(f.url, {
      method: 'GET',
      path: '/',
      headers: { Date: date, Authorization: `KSS ${CREDS.accessKeyId}:${bad}` },
    });
    expect(res.status).toBe(403);
    expect(code(res)).toBe('SignatureDoesNotMatch');
    expect(xml1(res.text, 'StringToSign')).toBe(`GET\n\n\n${date}\n/`);
    expect(xml1(res.text, 'SignatureProvided')).toBe(bad);
    expect(res.text).not.toContain(good);
    expect(xml1(res.text, 'RequestId')).toBe(res.headers['x-kss-request-id']);
  });

  it('rejects an unknown access key', async () => {
    const res = await f.send({ method: 'GET', bucket: '', creds: { accessKeyId: 'AKLTnobody', secretAccessKey: 'x' } });
    expect([res.status, code(res)]).toEqual([403, 'InvalidAccessKeyId']);
  });

  it('rejects a Date more than 15 minutes off, and accepts one 14 minutes off', async () => {
    const skewed = await f.send({ method: 'GET', bucket: '', date: new Date(Date.now() - 16 * 60_000).toUTCString() });
    expect([skewed.status, code(skewed)]).toEqual([403, 'RequestTimeTooSkewed']);
    const ahead = await f.send({ method: 'GET', bucket: '', date: new Date(Date.now() + 16 * 60_000).toUTCString() });
    expect(code(ahead)).toBe('RequestTimeTooSkewed');
    const near = await f.send({ method: 'GET', bucket: '', date: new Date(Date.now() - 14 * 60_000).toUTCString() });
    expect(near.status).toBe(200);
  });

  it('rejects an unparseable Date', async () => {
    const res = await f.send({ method: 'GET', bucket: '', date: 'yesterday' });
    expect([res.status, code(res)]).toEqual([403, 'AccessDenied']);
  });

  it('x-kss-date: accepts the value on the Date line (KS3 form) or an empty Date line (AWS form), and skew-checks it', async () => {
    const t = new Date().toUTCString();
    for (const dateLine of [t, '']) {
      const sig = hmac(CREDS.secretAccessKey, stringToSign('GET', { 'x-kss-date': t }, dateLine, '/'));
      const res = await rawRequest(f.url, {
        method: 'GET',
        path: '/',
        headers: { 'x-kss-date': t, Authorization: `KSS ${CREDS.accessKeyId}:${sig}` },
      });
      expect(res.status).toBe(200);
    }
    const old = new Date(Date.now() - 3600_000).toUTCString();
    const sig = hmac(CREDS.secretAccessKey, stringToSign('GET', { 'x-kss-date': old }, old, '/'));
    const res = await rawRequest(f.url, {
      method: 'GET',
      path: '/',
      headers: { 'x-kss-date': old, Authorization: `KSS ${CREDS.accessKeyId}:${sig}` },
    });
    expect(code(res)).toBe('RequestTimeTooSkewed');
  });

  it('x-kss-date wins over Date: a Date line holding the Date header value does not verify', async () => {
    const t = new Date().toUTCString();
    const other = new Date(Date.now() - 60_000).toUTCString();
    const sig = hmac(CREDS.secretAccessKey, stringToSign('GET', { 'x-kss-date': t }, other, '/'));
    const res = await rawRequest(f.url, {
      method: 'GET',
      path: '/',
      headers: { Date: other, 'x-kss-date': t, Authorization: `KSS ${CREDS.accessKeyId}:${sig}` },
    });
    expect(code(res)).toBe('SignatureDoesNotMatch');
  });

  it('accepts a signed request with no date at all by default (allowNoDate)', async () => {
    const res = await f.send({ method: 'GET', bucket: '', date: null });
    expect(res.status).toBe(200);
  });

  it('rejects a malformed Authorization header and mixed header + query auth', async () => {
    const bad = await rawRequest(f.url, {
      method: 'GET',
      path: '/',
      headers: { Authorization: 'Bearer x' },
    });
    expect([bad.status, code(bad)]).toEqual([400, 'InvalidArgument']);
    const v4 = await rawRequest(f.url, {
      method: 'GET',
      path: '/',
      headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=x' },
    });
    expect([v4.status, code(v4)]).toEqual([400, 'AuthorizationHeaderMalformed']);
    const mixed = await rawRequest(f.url, {
      method: 'GET',
      path: '/?KSSAccessKeyId=a&Signature=b&Expires=1',
      headers: { Authorization: 'KSS a:b' },
    });
    expect([mixed.status, code(mixed)]).toEqual([400, 'InvalidArgument']);
    const partial = await rawRequest(f.url, { method: 'GET', path: '/?KSSAccessKeyId=a' });
    expect([partial.status, code(partial)]).toEqual([403, 'AccessDenied']);
  });

  it('canonical x-kss headers: last duplicate wins across case, empty values kept, unsigned params ignored', async () => {
    const b = await createBucket(f);
    const date = new Date().toUTCString();
    const sts = `PUT\n\ntext/plain\n${date}\nx-kss-meta-dup:second\nx-kss-meta-empty:\n/${b}/dup.txt`;
    const res = await rawRequest(f.url, {
      method: 'PUT',
      path: `/${b}/dup.txt?foo=bar&prefix=x`,
      headers: [
        ['Date', date],
        ['Content-Type', 'text/plain'],
        ['X-Kss-Meta-Dup', 'first'],
        ['x-kss-meta-dup', 'second'],
        ['x-kss-meta-empty', ''],
        ['Authorization', `KSS ${CREDS.accessKeyId}:${hmac(CREDS.secretAccessKey, sts)}`],
      ],
      body: 'x',
    });
    expect(res.status).toBe(200);
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'dup.txt' });
    expect(head.headers['x-kss-meta-dup']).toBe('second');
    expect(head.headers['x-kss-meta-empty']).toBe('');
  });

  it('response-* sub-resources verify with decoded values and, leniently, with raw values', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'doc.txt', 'abc');
    const raw = 'text/plain%3B%20charset%3Dutf-8';
    const date = new Date().toUTCString();
    for (const signed of ['text/plain; charset=utf-8', raw]) {
      const sig = hmac(
        CREDS.secretAccessKey,
        stringToSign('GET', {}, date, `/${b}/doc.txt?response-content-type=${signed}`),
      );
      const res = await rawRequest(f.url, {
        method: 'GET',
        path: `/${b}/doc.txt?response-content-type=${raw}`,
        headers: { Date: date, Authorization: `KSS ${CREDS.accessKeyId}:${sig}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
    // The leniency is for response-* only: other sub-resource values must be signed decoded.
    const sig = hmac(CREDS.secretAccessKey, stringToSign('GET', {}, date, `/${b}/doc.txt?versionId=a%20b`));
    const res = await rawRequest(f.url, {
      method: 'GET',
      path: `/${b}/doc.txt?versionId=a%20b`,
      headers: { Date: date, Authorization: `KSS ${CREDS.accessKeyId}:${sig}` },
    });
    expect(code(res)).toBe('SignatureDoesNotMatch');
  });

  it('security token: required and checked for temporary credentials, refused for permanent ones', async () => {
    expect((await f.send({ method: 'GET', bucket: '', creds: TOKEN_CREDS })).status).toBe(200);
    const wrong = await f.send({ method: 'GET', bucket: '', creds: { ...TOKEN_CREDS, securityToken: 'token-xyz' } });
    expect([wrong.status, code(wrong)]).toEqual([403, 'InvalidToken']);
    const missing = await f.send({ method: 'GET', bucket: '', creds: { ...TOKEN_CREDS, securityToken: undefined } });
    expect(code(missing)).toBe('InvalidToken');
    const extra = await f.send({ method: 'GET', bucket: '', creds: { ...CREDS, securityToken: 'token-abc' } });
    expect(code(extra)).toBe('InvalidToken');
  });

  it('accepts Content-Length: 0 on GET, HEAD and DELETE', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'v');
    for (const method of ['GET', 'HEAD', 'DELETE']) {
      const res = await f.send({ method, bucket: b, key: 'k', headers: { 'Content-Length': '0' } });
      expect(res.status).toBeLessThan(300);
    }
  });
});

describe('query authentication (presigned URLs)', () => {
  const f = useEmulator({ credentials: [CREDS, TOKEN_CREDS] });
  const future = () => Math.floor(Date.now() / 1000) + 600;

  it('serves a valid presigned GET and refuses an expired one', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'my file*.txt', 'presigned!');
    const ok = await rawRequest(f.url, {
      method: 'GET',
      path: presign({ method: 'GET', bucket: b, key: 'my file*.txt', expires: future() }),
    });
    expect([ok.status, ok.text]).toEqual([200, 'presigned!']);
    const expired = await rawRequest(f.url, {
      method: 'GET',
      path: presign({ method: 'GET', bucket: b, key: 'my file*.txt', expires: Math.floor(Date.now() / 1000) - 1 }),
    });
    expect([expired.status, code(expired), xml1(expired.text, 'Message')]).toEqual([
      403,
      'AccessDenied',
      'Request has expired',
    ]);
  });

  it('a presigned PUT carries its x-kss-* query parameters as headers (signed and applied)', async () => {
    const b = await createBucket(f);
    const path = presign({
      method: 'PUT',
      bucket: b,
      key: 'up.bin',
      expires: future(),
      headers: { 'Content-Type': 'application/octet-stream' },
      extra: [`x-kss-meta-owner=${q('bob smith')}`, 'x-kss-acl=public-read'],
    });
    const res = await rawRequest(f.url, {
      method: 'PUT',
      path,
      headers: { 'Content-Type': 'application/octet-stream' },
      body: 'data',
    });
    expect(res.status).toBe(200);
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'up.bin' });
    expect(head.headers['x-kss-meta-owner']).toBe('bob smith');
    const anon = await f.send({ method: 'GET', bucket: b, key: 'up.bin', creds: null });
    expect(anon.status).toBe(200);
    // Tampering with a signed query header breaks the signature.
    const tampered = await rawRequest(f.url, {
      method: 'PUT',
      path: path.replace('public-read', 'public-read-write'),
      headers: { 'Content-Type': 'application/octet-stream' },
      body: 'x',
    });
    expect(code(tampered)).toBe('SignatureDoesNotMatch');
  });

  it('signs response-* overrides as sub-resources and applies them', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'r.pdf', 'pdf');
    const path = presign({
      method: 'GET',
      bucket: b,
      key: 'r.pdf',
      expires: future(),
      extra: [`response-content-disposition=${q('attachment; filename="r.pdf"')}`],
    });
    const res = await rawRequest(f.url, { method: 'GET', path });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="r.pdf"');
  });

  it('accepts the security token as a query parameter', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 't.txt', 't');
    const path = presign({
      method: 'GET',
      bucket: b,
      key: 't.txt',
      expires: future(),
      creds: TOKEN_CREDS,
      extra: ['x-kss-security-token=token-abc'],
    });
    expect((await rawRequest(f.url, { method: 'GET', path })).status).toBe(403); // bucket owned by another identity
    const own = await send(f.url, { method: 'PUT', bucket: 'tok-bucket-1', key: '', creds: TOKEN_CREDS });
    expect(own.status).toBe(200);
    await send(f.url, { method: 'PUT', bucket: 'tok-bucket-1', key: 't.txt', body: 'tok', creds: TOKEN_CREDS });
    const ok = await rawRequest(f.url, {
      method: 'GET',
      path: presign({
        method: 'GET',
        bucket: 'tok-bucket-1',
        key: 't.txt',
        expires: future(),
        creds: TOKEN_CREDS,
        extra: ['x-kss-security-token=token-abc'],
      }),
    });
    expect([ok.status, ok.text]).toEqual([200, 'tok']);
    const none = await rawRequest(f.url, {
      method: 'GET',
      path: presign({ method: 'GET', bucket: 'tok-bucket-1', key: 't.txt', expires: future(), creds: TOKEN_CREDS }),
    });
    expect(code(none)).toBe('InvalidToken');
  });

  it('signs a security-token query parameter as part of the resource, as KS3’s SDKs do', async () => {
    await send(f.url, { method: 'PUT', bucket: 'tok-bucket-2', key: '', creds: TOKEN_CREDS });
    await send(f.url, { method: 'PUT', bucket: 'tok-bucket-2', key: 't.txt', body: 'tok', creds: TOKEN_CREDS });
    const expires = future();
    const urlOf = (resource: string) => {
      const sig = encodeURIComponent(
        hmac(TOKEN_CREDS.secretAccessKey, stringToSign('GET', {}, String(expires), resource)),
      );
      const auth = `Signature=${sig}&Expires=${expires}&KSSAccessKeyId=${TOKEN_CREDS.accessKeyId}`;
      return `/tok-bucket-2/t.txt?${auth}&security-token=token-abc`;
    };
    const signed = await rawRequest(f.url, {
      method: 'GET',
      path: urlOf('/tok-bucket-2/t.txt?security-token=token-abc'),
    });
    expect([signed.status, signed.text]).toEqual([200, 'tok']);
    const unsigned = await rawRequest(f.url, { method: 'GET', path: urlOf('/tok-bucket-2/t.txt') });
    expect([unsigned.status, code(unsigned)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(xml1(unsigned.text, 'StringToSign')).toBe(
      `GET\n\n\n${expires}\n/tok-bucket-2/t.txt?security-token=REDACTED`,
    );
  });
});

describe('signed sub-resources beyond the reference (KS3 Go SDK signKeyList)', () => {
  const f = useEmulator({ credentials: [CREDS, TOKEN_CREDS] });
  const future = () => Math.floor(Date.now() / 1000) + 600;

  it('signs ?crr, ?mirror and ?encryption in the CanonicalizedResource; leaving them out is refused', async () => {
    const b = await createBucket(f);
    for (const sub of ['crr', 'mirror', 'encryption']) {
      // Signed with the sub-resource (the test client's list has it): reaches the operation.
      const signed = await f.send({ method: 'GET', bucket: b, key: '', query: sub });
      expect([sub, signed.status]).toEqual([sub, 404]);
      const date = new Date().toUTCString();
      const bare = hmac(CREDS.secretAccessKey, stringToSign('GET', {}, date, `/${b}/`));
      const res = await rawRequest(f.url, {
        method: 'GET',
        path: `/${b}/?${sub}`,
        headers: { Date: date, Authorization: `KSS ${CREDS.accessKeyId}:${bare}` },
      });
      expect([sub, code(res), xml1(res.text, 'StringToSign')]).toEqual([
        sub,
        'SignatureDoesNotMatch',
        `GET\n\n\n${date}\n/${b}/?${sub}`,
      ]);
    }
  });

  it("accepts a presigned URL's security-token parameter signed as a sub-resource", async () => {
    const own = await send(f.url, { method: 'PUT', bucket: 'tok-bucket-2', key: '', creds: TOKEN_CREDS });
    expect(own.status).toBe(200);
    await send(f.url, { method: 'PUT', bucket: 'tok-bucket-2', key: 't.txt', body: 'tok', creds: TOKEN_CREDS });
    const url = (token: string) =>
      presign({
        method: 'GET',
        bucket: 'tok-bucket-2',
        key: 't.txt',
        expires: future(),
        creds: TOKEN_CREDS,
        extra: [`security-token=${token}`],
      });
    const ok = await rawRequest(f.url, { method: 'GET', path: url('token-abc') });
    expect([ok.status, ok.text]).toEqual([200, 'tok']);
    const wrong = await rawRequest(f.url, { method: 'GET', path: url('token-xyz') });
    expect([wrong.status, code(wrong)]).toEqual([403, 'InvalidToken']);
    // The resource shows the token only as REDACTED.
    const bad = await rawRequest(f.url, {
      method: 'GET',
      path: `${url('token-abc')}`.replace('Signature=', 'Signature=A'),
    });
    expect(code(bad)).toBe('SignatureDoesNotMatch');
    expect(bad.text).not.toContain('token-abc');
  });
});

describe('allowNoDate: false', () => {
  const f = useEmulator({ allowNoDate: false });
  it('refuses a signed request with neither Date nor x-kss-date', async () => {
    const res = await f.send({ method: 'GET', bucket: '', date: null });
    expect([res.status, code(res)]).toEqual([403, 'AccessDenied']);
    expect((await f.send({ method: 'GET', bucket: '' })).status).toBe(200);
  });
});
