/** The V4 URL encodings the pipeline uses, and how the signer reads a URL back. */
import { describe, expect, test } from 'vitest';
import { isKs3InputError } from '@ks3/core';
import { encodePathV4, renderQueryV4, uriEncodeV4 } from '@ks3/core/internal';
import { canonicalQueryV4, canonicalUriV4, splitUrl } from '../../src/sign/v4-encoding.js';

describe('encodePathV4', () => {
  test.each([
    ['b', 'my file.txt', true, '/my%20file.txt'],
    ['b', 'my file.txt', false, '/b/my%20file.txt'],
    ['b', undefined, true, '/'],
    ['b', undefined, false, '/b/'],
    [undefined, undefined, false, '/'],
    ['b', "a+b=c&d;e*~!'()$@:,.txt", true, '/a%2Bb%3Dc%26d%3Be%2A~%21%27%28%29%24%40%3A%2C.txt'],
    ['b', '100%/x?y#z', true, '/100%25/x%3Fy%23z'],
    ['b', '目录/😀 é', true, '/%E7%9B%AE%E5%BD%95/%F0%9F%98%80%20%C3%A9'],
    ['b', 'a//b///c', true, '/a/%2Fb/%2F/c'],
    ['b', '/lead', false, '/b/%2Flead'],
    ['b', 'dir/', true, '/dir/'],
  ])('%s %s virtual=%s → %s', (bucket, key, virtual, path) => {
    expect(encodePathV4(bucket, key, virtual)).toBe(path);
    // The signer reads back the key the path was made from.
    expect(decodeURIComponent(path)).toBe(`/${bucket && !virtual ? `${bucket}/` : ''}${key ?? ''}`);
  });

  test('a lone surrogate has no UTF-8 form: TypeError', () => {
    expect(() => encodePathV4('b', 'a\ud800', true)).toThrow(TypeError);
    expect(() => uriEncodeV4('\udc00')).toThrow(TypeError);
  });
});

describe('renderQueryV4 and the canonical query', () => {
  const query: [string, string?][] = [['uploads'], ['prefix', ''], ['marker', 'a+b=c&d;e f/~*'], ['中', '🎉']];
  test('renders in order, bare names for empty values, RFC 3986 everywhere', () => {
    expect(renderQueryV4(query)).toBe('uploads&prefix&marker=a%2Bb%3Dc%26d%3Be%20f%2F~%2A&%E4%B8%AD=%F0%9F%8E%89');
  });
  test('decodes to the values the canonical query signs', () => {
    const sent = renderQueryV4(query)
      .split('&')
      .map((p) => p.split('=').map(decodeURIComponent));
    expect(sent.map(([n, v]) => [n, v ?? ''])).toEqual(query.map(([n, v]) => [n, v ?? '']));
    expect(canonicalQueryV4(query)).toBe('%E4%B8%AD=%F0%9F%8E%89&marker=a%2Bb%3Dc%26d%3Be%20f%2F~%2A&prefix=&uploads=');
  });
  test('repeated names sort by value; sorting is by encoded name (byte order)', () => {
    expect(
      canonicalQueryV4([
        ['a', 'z'],
        ['B', '1'],
        ['a', 'y'],
        ['a b', ''],
      ]),
    ).toBe('B=1&a=y&a=z&a%20b=');
  });
});

describe('canonicalUriV4 decodes the path once and encodes it again', () => {
  test.each([
    ['', '/'],
    ['/', '/'],
    ['/a/%2Fb/%2F/c.txt', '/a//b///c.txt'],
    ['/my file.txt', '/my%20file.txt'],
    ['/a+b', '/a%2Bb'],
    ['/%7e%2a', '/~%2A'],
    ['/目录', '/%E7%9B%AE%E5%BD%95'],
  ])('%s → %s', (raw, canonical) => {
    expect(canonicalUriV4(raw)).toBe(canonical);
  });
  test.each(['/%', '/%zz', '/%FF', '/%E0%A4'])('%s is refused, naming url', (raw) => {
    let e: unknown;
    try {
      canonicalUriV4(raw);
    } catch (x) {
      e = x;
    }
    expect(isKs3InputError(e)).toBe(true);
    expect((e as { param: string }).param).toBe('url');
  });
});

describe('splitUrl', () => {
  test('keeps path and query as written; host lower case, default port dropped, user info dropped', () => {
    expect(splitUrl('HTTPS://u:p@Bucket.Example.com:443/A%20b//c?x=1&y')).toEqual({
      origin: 'HTTPS://u:p@Bucket.Example.com:443',
      host: 'bucket.example.com',
      path: '/A%20b//c',
      query: 'x=1&y',
    });
    expect(splitUrl('http://b.10.0.0.1:8080').host).toBe('b.10.0.0.1:8080');
    expect(splitUrl('http://h:80/').host).toBe('h');
    expect(splitUrl('https://h:80/').host).toBe('h:80');
  });
  test.each(['b.x/k', '//b.x/k', 'https:///k', 'https://b.x/k#f', 'mailto:x'])('%s is refused', (url) => {
    expect(() => splitUrl(url)).toThrow(/invalid url/);
  });
});
