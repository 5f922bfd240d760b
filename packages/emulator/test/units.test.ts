/** Unit tests of the pure parts: the XML parser, key ordering, listing, query decoding. */
import { describe, expect, it } from 'vitest';
import { XmlSyntaxError, childText, childrenNamed, parseXml } from '../src/xml-parse.js';
import { SortedKeys, compareKeys } from '../src/store/sorted-keys.js';
import { listKeys } from '../src/store/listing.js';
import { decodeKey, parseQuery } from '../src/query.js';
import { parseRange } from '../src/ops/object.js';
import { isLoopback } from '../src/admin.js';
import { CONFIG_ERROR_CODES, configError } from '../src/config/errors.js';
import { Ks3Error, isKnownCode } from '../src/errors.js';

describe('xml parser', () => {
  it('parses elements, attributes, prefixes, entities, CDATA, comments and a declaration', () => {
    const root = parseXml(
      '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><ns2:Root xmlns:ns2="urn:x" a=\'1\' b="&lt;&amp;&quot;"><Item>  a &amp; b &#x41;&#66; </Item><Item/><Data><![CDATA[<raw>&amp;]]></Data></ns2:Root>',
    );
    expect([root.name, root.local, root.attrs]).toEqual([
      'ns2:Root',
      'Root',
      { 'xmlns:ns2': 'urn:x', a: '1', b: '<&"' },
    ]);
    expect(childrenNamed(root, 'Item').map((e) => e.text)).toEqual(['  a & b AB ', '']);
    expect(childText(root, 'Data')).toBe('<raw>&amp;');
    expect(childText(root, 'Missing')).toBeUndefined();
  });

  it('refuses malformed documents', () => {
    const bad = [
      '',
      'text',
      '<a>',
      '<a></b>',
      '<a><b></a></b>',
      '<a x=1/>',
      '<a x="1" x="2"/>',
      '<a>&unknown;</a>',
      '<a>&#0;</a>',
      '<a>& b</a>',
      '<a/><b/>',
      '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
      `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`,
      '<a><!-- unterminated </a>',
    ];
    for (const doc of bad) expect(() => parseXml(doc), doc).toThrow(XmlSyntaxError);
  });
});

describe('key order and listing', () => {
  it('compares keys by UTF-8 bytes', () => {
    const keys = ['\u{1f600}', '\uff5e', '\ue000', 'z', 'a', '\u00e9', ''];
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareKeys)).toEqual(byBytes);
  });

  it('keeps a sorted set and jumps over common prefixes', () => {
    const s = new SortedKeys(['b', 'a/2', 'a/1', 'c']);
    s.insert('a/0');
    s.insert('a/0');
    s.remove('c');
    s.remove('missing');
    expect(s.keys).toEqual(['a/0', 'a/1', 'a/2', 'b']);
    expect(s.endOfPrefix('a/', 0)).toBe(3);
    expect([s.bound('a/1'), s.bound('a/1', true)]).toEqual([1, 2]);
  });

  it('lists with prefix, delimiter, marker and page size, common prefixes counting as entries', () => {
    const s = new SortedKeys(['a/1', 'a/2', 'b', 'c/x/1', 'c/y', 'd']);
    const page = (q: Partial<Parameters<typeof listKeys>[1]>) =>
      listKeys(s, { prefix: '', delimiter: '', marker: '', max: 1000, ...q });
    expect(page({ delimiter: '/' }).entries).toEqual([{ prefix: 'a/' }, { key: 'b' }, { prefix: 'c/' }, { key: 'd' }]);
    expect(page({ delimiter: '/', max: 2 })).toEqual({
      entries: [{ prefix: 'a/' }, { key: 'b' }],
      truncated: true,
      nextMarker: 'b',
    });
    expect(page({ delimiter: '/', marker: 'a/' }).entries[0]).toEqual({ key: 'b' });
    expect(page({ delimiter: '/', marker: 'a/1' }).entries[0]).toEqual({ key: 'b' });
    expect(page({ prefix: 'c/', delimiter: '/' }).entries).toEqual([{ prefix: 'c/x/' }, { key: 'c/y' }]);
    expect(page({ max: 6 }).truncated).toBe(false);
    expect(page({ max: 5 })).toMatchObject({ truncated: true, nextMarker: 'c/y' });
  });
});

describe('request-target decoding', () => {
  it('splits the query on & and the first =, decoding + and %XX; keeps raw values', () => {
    expect(parseQuery('acl&acl=&a=b=c&response-content-type=text/plain%3B%20x&p=a+b&&bad=%zz')).toEqual([
      { name: 'acl', value: '', rawValue: '' },
      { name: 'acl', value: '', rawValue: '' },
      { name: 'a', value: 'b=c', rawValue: 'b=c' },
      { name: 'response-content-type', value: 'text/plain; x', rawValue: 'text/plain%3B%20x' },
      { name: 'p', value: 'a b', rawValue: 'a+b' },
      { name: 'bad', value: '%zz', rawValue: '%zz' },
    ]);
  });

  it('decodes keys strictly', () => {
    expect(decodeKey('a+b%2Bc%2F%E4%B8%AD')).toBe('a b+c/中');
    expect(() => decodeKey('%E4%B8')).toThrow();
    expect(() => decodeKey('%G0')).toThrow();
  });

  it('parses ranges', () => {
    expect(parseRange('bytes=0-0', 1)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=-5', 3)).toEqual({ start: 0, end: 2 });
    expect(parseRange('bytes=0-1,3-4', 10)).toBeUndefined();
    expect(() => parseRange('bytes=0-', 0)).toThrow();
    expect(() => parseRange('bytes=-0', 5)).toThrow();
  });
});

describe('admin endpoint guard', () => {
  it('answers loopback clients only', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
      expect([a, isLoopback(a)]).toEqual([a, true]);
    for (const a of ['192.0.2.2', '::ffff:10.0.0.1', 'fe80::1', '1.127.0.0', undefined])
      expect([a, isLoopback(a)]).toEqual([a, false]);
  });
});

describe('error codes', () => {
  it('defines each code once: the configuration table holds none of errors.js', () => {
    expect(CONFIG_ERROR_CODES.filter(isKnownCode)).toEqual([]);
    expect(CONFIG_ERROR_CODES).toContain('NoSuchCORSConfiguration');
  });

  it("configError answers errors.js's codes with their status, and refuses unknown ones", () => {
    const bad = configError('BadRequest', 'Insufficient information.');
    expect([bad.status, bad.code, bad.message]).toEqual([400, 'BadRequest', 'Insufficient information.']);
    expect(configError('InvalidPolicyDocument').message).toBe(new Ks3Error('InvalidPolicyDocument').message);
    expect(configError('NoSuchBucketPolicy').status).toBe(404);
    expect(() => configError('NoSuchThing')).toThrow(/unknown error code NoSuchThing/);
  });
});
