/** Addressing (§1): path style, virtual-host style, custom domains, key decoding. */
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { CREDS, code, encodeKey, hmac, rawRequest, stringToSign, xmlAll } from './helpers/ks3.js';

/** Signs for `resource` and sends `path` with an explicit Host (node:http). */
function signedRaw(url: string, method: string, host: string, path: string, resource: string, body?: string) {
  const date = new Date().toUTCString();
  const sig = hmac(CREDS.secretAccessKey, stringToSign(method, {}, date, resource));
  return rawRequest(url, {
    method,
    path,
    host,
    headers: { Date: date, Authorization: `KSS ${CREDS.accessKeyId}:${sig}` },
    body,
  });
}

describe('addressing', () => {
  const f = useEmulator({ domains: { 'cdn.example.test': 'bound-bucket' }, endpointNames: ['ks3.example.test'] });

  it('path style: /bucket and /bucket/ both address the bucket; GET / lists buckets', async () => {
    const b = await createBucket(f);
    for (const path of [`/${b}`, `/${b}/`]) {
      const res = await signedRaw(f.url, 'GET', `127.0.0.1:${f.emu.port}`, path, path);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<ListBucketResult');
    }
    const list = await f.send({ method: 'GET', bucket: '' });
    expect(xmlAll(list.text, 'Name')).toContain(b);
  });

  it('virtual-host style for <bucket>.127.0.0.1, <bucket>.localhost and configured endpoint names (port ignored)', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'dir/v.txt', 'virtual');
    for (const base of ['127.0.0.1', 'localhost', 'ks3.example.test']) {
      const host = `${b}.${base}:${f.emu.port}`;
      const obj = await signedRaw(f.url, 'GET', host, '/dir/v.txt', `/${b}/dir/v.txt`);
      expect([base, obj.status, obj.text]).toEqual([base, 200, 'virtual']);
      const bucketLevel = await signedRaw(f.url, 'GET', host, '/?prefix=dir/', `/${b}/`);
      expect(xmlAll(bucketLevel.text, 'Key')).toEqual(['dir/v.txt']);
    }
    // An unknown base host falls back to path style.
    const other = await signedRaw(f.url, 'GET', `${b}.elsewhere.test`, '/dir/v.txt', '/dir/v.txt');
    expect(code(other)).toBe('NoSuchBucket');
  });

  it('custom domains: the whole path is the key, the signature covers /bucket/...', async () => {
    const create = await f.send({ method: 'PUT', bucket: 'bound-bucket', key: '' });
    expect(create.status).toBe(200);
    const put = await signedRaw(f.url, 'PUT', 'cdn.example.test', '/img/a.png', '/bound-bucket/img/a.png', 'png');
    expect(put.status).toBe(200);
    const get = await f.send({ method: 'GET', bucket: 'bound-bucket', key: 'img/a.png' });
    expect(get.text).toBe('png');
    const list = await signedRaw(f.url, 'GET', 'CDN.example.test:8080', '/', '/bound-bucket/');
    expect(xmlAll(list.text, 'Key')).toEqual(['img/a.png']);
  });

  it('decodes keys: + is a space, %2B a plus, // kept, leading and trailing / kept, UTF-8', async () => {
    const b = await createBucket(f);
    const keys = [
      'my file (1).txt',
      'a+b=c&d.txt',
      '~user/*glob*.txt',
      'a//b///c',
      '/leading/slash',
      'folder/',
      '中文目录/文件 名.txt',
      'café/😀.bin',
      '100% done?#.txt',
    ];
    for (const key of keys) await putObject(f, b, key, key);
    const list = await f.send({ method: 'GET', bucket: b, key: '' });
    expect(xmlAll(list.text, 'Key').sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const res = await f.send({ method: 'GET', bucket: b, key });
      expect([key, res.text]).toEqual([key, key]);
    }
    // Other SDKs encode space as %20 and * as %2A: the same key, each signed over its own path.
    const alt = `/${b}/my%20file%20%281%29.txt`;
    const res = await signedRaw(f.url, 'GET', `127.0.0.1:${f.emu.port}`, alt, alt);
    expect(res.text).toBe('my file (1).txt');
    expect(encodeKey('a//b')).toBe('a/%2Fb');
  });

  it('refuses a malformed percent escape or invalid UTF-8 in the key with 400 InvalidURI', async () => {
    const b = await createBucket(f);
    for (const path of [`/${b}/bad%zz`, `/${b}/bad%FF`]) {
      const res = await signedRaw(f.url, 'GET', `127.0.0.1:${f.emu.port}`, path, path);
      expect([res.status, code(res)]).toEqual([400, 'InvalidURI']);
    }
  });
});
