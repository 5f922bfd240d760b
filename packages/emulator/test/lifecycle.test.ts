/** ?lifecycle: KS3's XML and its validation, and rules applied when the emulator's clock moves. */
import { describe, expect, it } from 'vitest';
import { objectExpired, ruleSelectsObject } from '../src/lifecycle.js';
import { deleteConfig, getConfig, putConfig } from './helpers/config.js';
import { createBucket, putObject, useEmulator, type Fixture } from './helpers/emulator.js';
import { code, rawRequest, xml1, xmlAll } from './helpers/ks3.js';

const DAY = 24 * 3600 * 1000;
const JSON_TYPE = { 'Content-Type': 'application/json' };
const ON = '<Status>Enabled</Status>';
const expire = (days: number) => `<Expiration><Days>${days}</Days></Expiration>`;
const abort = (days: number) =>
  `<AbortIncompleteMultipartUpload><DaysAfterInitiation>${days}</DaysAfterInitiation></AbortIncompleteMultipartUpload>`;
const prefix = (p: string) => `<Filter><Prefix>${p}</Prefix></Filter>`;
const doc = (rules: string[]) =>
  `<LifecycleConfiguration>${rules.map((r) => `<Rule>${r}</Rule>`).join('')}</LifecycleConfiguration>`;

const status = async (f: Fixture, bucket: string, key: string) =>
  (await f.send({ method: 'HEAD', bucket, key })).status;
const keys = async (f: Fixture, bucket: string) =>
  xmlAll((await f.send({ method: 'GET', bucket, key: '' })).text, 'Key');
const uploads = async (f: Fixture, bucket: string) =>
  xmlAll((await f.send({ method: 'GET', bucket, key: '', query: 'uploads' })).text, 'UploadId');
async function initiate(f: Fixture, bucket: string, key: string): Promise<string> {
  const res = await f.send({ method: 'POST', bucket, key, query: 'uploads' });
  return xml1(res.text, 'UploadId') ?? '';
}

describe('lifecycle configuration', () => {
  const f = useEmulator();

  it('has no clock route while the admin endpoint is off (the default)', async () => {
    const res = await rawRequest(f.url, {
      method: 'POST',
      path: '/__ks3emu/clock',
      headers: JSON_TYPE,
      body: JSON.stringify({ advanceMs: DAY }),
    });
    expect(res.status).toBe(404);
    expect(f.emu.clock.offsetMs()).toBe(0);
  });

  it('round-trips filters, actions and transitions; 404 when absent; DELETE removes it', async () => {
    const b = await createBucket(f);
    expect(code(await getConfig(f, b, 'lifecycle'))).toBe('NoSuchLifecycleConfiguration');
    const rules = [
      `<ID>logs</ID>${prefix('logs/')}${ON}${expire(30)}` +
        '<Transition><Days>10</Days><StorageClass>STANDARD_IA</StorageClass></Transition>' +
        '<Transition><Date>2030-01-01T00:00:00.000+08:00</Date><StorageClass>ARCHIVE</StorageClass>' +
        '<IsAccessTime>false</IsAccessTime></Transition>',
      '<ID>tagged</ID><Filter><And><Prefix>docs/</Prefix><Tag><Key>age</Key><Value>21</Value></Tag></And>' +
        '<ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>1000</ObjectSizeLessThan>' +
        '<Nots><Not><Prefix>docs/keep/</Prefix></Not></Nots></Filter><Status>Disabled</Status>' +
        '<Expiration><Date>2031-06-01T00:00:00Z</Date></Expiration>',
      '<ID>old-style</ID><Prefix>tmp/</Prefix><Status>Enabled</Status>' +
        '<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
    ];
    expect((await putConfig(f, b, 'lifecycle', doc(rules))).status).toBe(200);
    const got = await getConfig(f, b, 'lifecycle');
    expect(got.status).toBe(200);
    const back = xmlAll(got.text, 'Rule');
    expect(back).toHaveLength(3);
    expect(back[0]).toBe(
      '<ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>' +
        '<Expiration><Days>30</Days></Expiration><Transition><Days>10</Days><StorageClass>STANDARD_IA</StorageClass>' +
        '</Transition><Transition><Date>2030-01-01T00:00:00.000+08:00</Date><StorageClass>ARCHIVE</StorageClass>' +
        '<IsAccessTime>false</IsAccessTime></Transition>',
    );
    expect(back[1]).toBe(rules[1]);
    expect(back[2]).toBe(rules[2]);
    // Without an ID the rule gets one (as S3 does).
    await putConfig(
      f,
      b,
      'lifecycle',
      doc(['<Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>']),
    );
    expect(xml1((await getConfig(f, b, 'lifecycle')).text, 'ID')).toMatch(/^[\w-]{16}$/);
    expect((await deleteConfig(f, b, 'lifecycle')).status).toBe(204);
    expect(code(await getConfig(f, b, 'lifecycle'))).toBe('NoSuchLifecycleConfiguration');
    const noMd5 = await putConfig(f, b, 'lifecycle', doc(rules), { md5: false });
    expect([noMd5.status, code(noMd5)]).toEqual([400, 'InvalidRequest']);
  });

  it('refuses invalid rules, naming the fault', async () => {
    const b = await createBucket(f);
    const exp = '<Status>Enabled</Status><Expiration><Days>1</Days></Expiration>';
    const cases: [string, string, RegExp][] = [
      [
        doc([`<ID>a</ID><Filter/>${exp}`, `<ID>a</ID><Filter><Prefix>x</Prefix></Filter>${exp}`]),
        'InvalidArgument',
        /"a" is used more than once/,
      ],
      [
        doc(['<Filter/><Status>Enabled</Status><Expiration><Days>0</Days></Expiration>']),
        'InvalidArgument',
        /Expiration Days/,
      ],
      [doc(['<Filter/><Status>Enabled</Status><Expiration><Days>x</Days></Expiration>']), 'InvalidArgument', /Days/],
      [
        doc(['<Filter/><Status>Enabled</Status><Expiration><Date>2030-13-01</Date></Expiration>']),
        'InvalidArgument',
        /ISO 8601/,
      ],
      [
        doc([
          '<Filter/><Status>Enabled</Status><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>',
        ]),
        'InvalidArgument',
        /not both/,
      ],
      [doc(['<Filter/><Status>Enabled</Status>']), 'InvalidArgument', /needs an action/],
      [doc([`<Filter><Tag><Key>a</Key><Value>b</Value></Tag></Filter>${exp}`]), 'MalformedXML', /inside And/],
      [
        doc([`<Filter><Prefix>a</Prefix><And><Tag><Key>a</Key></Tag></And></Filter>${exp}`]),
        'MalformedXML',
        /Prefix or And/,
      ],
      [
        doc([`<Filter><And><Tag><Key>a</Key></Tag><Tag><Key>a</Key></Tag></And></Filter>${exp}`]),
        'InvalidArgument',
        /Tag keys/,
      ],
      [
        doc([
          '<Filter><ObjectSizeGreaterThan>9</ObjectSizeGreaterThan>' +
            `<ObjectSizeLessThan>10</ObjectSizeLessThan></Filter>${exp}`,
        ]),
        'InvalidArgument',
        /ObjectSizeGreaterThan/,
      ],
      [doc([`<Filter/><Status>On</Status><Expiration><Days>1</Days></Expiration>`]), 'MalformedXML', /Status/],
      [doc([exp]), 'MalformedXML', /Filter/],
      [doc([`<Filter/>${exp}<Bogus/>`]), 'MalformedXML', /Bogus/],
      [
        doc([`<Filter/>${ON}<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition>`]),
        'InvalidArgument',
        /GLACIER/,
      ],
      [doc([`<Filter><And><Tag><Key>a</Key></Tag></And></Filter>${ON}${abort(1)}`]), 'InvalidArgument', /Tag filter/],
      [
        doc([`<ID>all</ID><Filter/>${exp}`, `<ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter>${exp}`]),
        'InvalidArgument',
        /overlapping prefixes/,
      ],
      ['<LifecycleConfiguration/>', 'MalformedXML', /at least one Rule/],
      [
        doc(Array.from({ length: 1001 }, (_, i) => `<ID>r${i}</ID><Filter><Prefix>p${i}/</Prefix></Filter>${exp}`)),
        'InvalidArgument',
        /1000/,
      ],
    ];
    for (const [body, want, message] of cases) {
      const res = await putConfig(f, b, 'lifecycle', body);
      expect([body.slice(24, 110), res.status, code(res)]).toEqual([body.slice(24, 110), 400, want]);
      expect(xml1(res.text, 'Message')).toMatch(message);
    }
    expect(code(await getConfig(f, b, 'lifecycle'))).toBe('NoSuchLifecycleConfiguration');
    // Overlapping prefixes with the same action are fine when the request says so, or with different actions.
    const overlap = doc([`<ID>all</ID><Filter/>${exp}`, `<ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter>${exp}`]);
    const allowed = await putConfig(f, b, 'lifecycle', overlap, {
      headers: { 'x-kss-allow-same-action-overlap': 'true' },
    });
    expect(allowed.status).toBe(200);
    const differentActions = doc([
      `<ID>all</ID><Filter/>${exp}`,
      '<ID>abort</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>' +
        '<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
    ]);
    expect((await putConfig(f, b, 'lifecycle', differentActions)).status).toBe(200);
    expect(
      (
        await putConfig(
          f,
          b,
          'lifecycle',
          doc(Array.from({ length: 1000 }, (_, i) => `<ID>r${i}</ID><Filter><Prefix>p${i}/</Prefix></Filter>${exp}`)),
        )
      ).status,
    ).toBe(200);
  });
});

describe('lifecycle rules applied as the clock advances', () => {
  const f = useEmulator({ admin: true });

  it('expires objects after Days, aborts uploads after DaysAfterInitiation; disabled rules do nothing', async () => {
    const b = await createBucket(f);
    const rules = doc([
      `<ID>logs</ID>${prefix('logs/')}${ON}${expire(1)}`,
      `<ID>keep</ID>${prefix('keep/')}<Status>Disabled</Status>${expire(1)}`,
      '<ID>uploads</ID><Filter><Prefix>big/</Prefix></Filter><Status>Enabled</Status>' +
        '<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
    ]);
    expect((await putConfig(f, b, 'lifecycle', rules)).status).toBe(200);
    for (const k of ['logs/a', 'logs/b', 'other/c', 'keep/d']) await putObject(f, b, k, k);
    const upload = await initiate(f, b, 'big/file');
    const other = await initiate(f, b, 'small/file');
    const before = f.emu.clock.now();

    expect((await f.emu.clock.advance(DAY - 60_000)).expired).toEqual({ objects: 0, uploads: 0 });
    expect(await keys(f, b)).toEqual(['keep/d', 'logs/a', 'logs/b', 'other/c']);
    const step = await f.emu.clock.advance(120_000);
    expect(step.expired).toEqual({ objects: 2, uploads: 0 });
    expect(step.now - before).toBeGreaterThanOrEqual(DAY + 60_000);
    expect(await keys(f, b)).toEqual(['keep/d', 'other/c']);
    expect(await status(f, b, 'logs/a')).toBe(404);
    expect(await uploads(f, b)).toEqual([upload, other].sort());

    expect((await f.emu.clock.advance(DAY)).expired).toEqual({ objects: 0, uploads: 1 });
    expect(await uploads(f, b)).toEqual([other]);
    const part = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'big/file',
      query: `partNumber=1&uploadId=${upload}`,
      body: 'x',
    });
    expect(code(part)).toBe('NoSuchUpload');

    // New objects are dated by the advanced clock, so they live their full Days again.
    const fresh = await putObject(f, b, 'logs/new', 'n');
    expect(fresh.status).toBe(200);
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'logs/new' });
    expect(Date.parse(String(head.headers['last-modified']))).toBeGreaterThan(Date.now() + DAY);
    await f.emu.clock.advance(DAY / 2);
    expect(await status(f, b, 'logs/new')).toBe(200);
  });

  it('applies Date expirations, size filters and Nots; tag filters select only tagged objects', async () => {
    const b = await createBucket(f);
    const at = new Date(f.emu.clock.now() + 3 * DAY).toISOString();
    const rules = doc([
      '<ID>date</ID><Filter><Prefix>d/</Prefix><Nots><Not><Prefix>d/keep</Prefix></Not></Nots></Filter>' +
        `${ON}<Expiration><Date>${at}</Date></Expiration>`,
      '<ID>big</ID><Filter><Prefix>s/</Prefix><ObjectSizeGreaterThan>3</ObjectSizeGreaterThan></Filter>' +
        `${ON}${expire(1)}`,
      '<ID>tags</ID><Filter><And><Prefix>t/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>' +
        `${ON}${expire(1)}`,
    ]);
    expect((await putConfig(f, b, 'lifecycle', rules)).status).toBe(200);
    for (const [k, v] of [
      ['d/x', 'x'],
      ['d/keep-me', 'x'],
      ['s/small', 'abc'],
      ['s/large', 'abcd'],
      ['t/untagged', 'x'],
    ])
      await putObject(f, b, k as string, v as string);
    await f.emu.clock.advance(2 * DAY);
    expect(await keys(f, b)).toEqual(['d/keep-me', 'd/x', 's/small', 't/untagged']);
    await f.emu.clock.advance(DAY);
    expect(await keys(f, b)).toEqual(['d/keep-me', 's/small', 't/untagged']);
  });

  it('in a versioned bucket, expiry adds a delete marker dated by the emulator clock and keeps the versions', async () => {
    const b = await createBucket(f);
    const versioning = '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
    expect((await f.send({ method: 'PUT', bucket: b, key: '', query: 'versioning', body: versioning })).status).toBe(
      200,
    );
    await putConfig(f, b, 'lifecycle', doc([`${prefix('v/')}${ON}${expire(2)}`]));
    const put = await putObject(f, b, 'v/doc', 'first');
    const step = await f.emu.clock.advance(2 * DAY + 1000);
    expect(step.expired.objects).toBe(1);
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'v/doc' });
    expect([head.status, head.headers['x-kss-delete-marker']]).toEqual([404, 'true']);
    const listing = (await f.send({ method: 'GET', bucket: b, key: '', query: 'versions' })).text;
    const marker = /<DeleteMarker>([\s\S]*?)<\/DeleteMarker>/.exec(listing)?.[1] ?? '';
    const version = /<Version>([\s\S]*?)<\/Version>/.exec(listing)?.[1] ?? '';
    expect(xml1(version, 'VersionId')).toBe(put.headers['x-kss-version-id']);
    // Dated on the advanced clock (days ahead of the wall clock), owned by the bucket owner.
    expect(Date.parse(xml1(marker, 'LastModified') ?? '')).toBeGreaterThan(Date.now() + 2 * DAY);
    expect(xml1(xml1(marker, 'Owner') ?? '', 'ID')).toBe(xml1(xml1(version, 'Owner') ?? '', 'ID'));
    const old = await f.send({
      method: 'GET',
      bucket: b,
      key: 'v/doc',
      query: `versionId=${xml1(version, 'VersionId')}`,
    });
    expect([old.status, old.text]).toEqual([200, 'first']);
    // A second advance does not stack more markers: the key's current version is already one.
    expect((await f.emu.clock.advance(3 * DAY)).expired.objects).toBe(0);
  });

  it('the admin endpoint advances the same clock; bad steps are 400', async () => {
    const b = await createBucket(f);
    await putConfig(
      f,
      b,
      'lifecycle',
      doc(['<Filter/><Status>Enabled</Status><Expiration><Days>5</Days></Expiration>']),
    );
    await putObject(f, b, 'k', 'v');
    const offset = f.emu.clock.offsetMs();
    const res = await rawRequest(f.url, {
      method: 'POST',
      path: '/__ks3emu/clock',
      headers: JSON_TYPE,
      body: JSON.stringify({ advanceMs: 5 * DAY }),
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.offsetMs).toBe(offset + 5 * DAY);
    expect(body.expired).toEqual({ objects: 1, uploads: 0 });
    expect(Date.parse(body.now)).toBeGreaterThan(Date.now() + 5 * DAY - 60_000);
    expect(await status(f, b, 'k')).toBe(404);
    const get = JSON.parse((await rawRequest(f.url, { method: 'GET', path: '/__ks3emu/clock' })).text);
    expect(get.offsetMs).toBe(offset + 5 * DAY);
    for (const bad of ['{"advanceMs":-1}', '{"advanceMs":1.5}', '{"advanceMs":"1"}', '{}', 'nope']) {
      const r = await rawRequest(f.url, { method: 'POST', path: '/__ks3emu/clock', headers: JSON_TYPE, body: bad });
      expect([bad, r.status]).toEqual([bad, 400]);
    }
    await expect(f.emu.clock.advance(-5)).rejects.toThrow(TypeError);
    expect(f.emu.clock.offsetMs()).toBe(offset + 5 * DAY);
  });

  it("the clock routes are behind the admin endpoint's gate (JSON only, never from a web page)", async () => {
    const body = JSON.stringify({ advanceMs: DAY });
    const before = f.emu.clock.offsetMs();
    const form = await rawRequest(f.url, {
      method: 'POST',
      path: '/__ks3emu/clock',
      headers: { 'Content-Type': 'text/plain' },
      body,
    });
    const page = await rawRequest(f.url, {
      method: 'POST',
      path: '/__ks3emu/clock',
      headers: { ...JSON_TYPE, Origin: 'http://evil.localhost' },
      body,
    });
    expect([form.status, page.status]).toEqual([415, 403]);
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    expect(f.emu.clock.offsetMs()).toBe(before);
  });
});

describe('lifecycle rules applied lazily when time passes on its own', () => {
  let fake = Date.now();
  // A wall clock the test moves; signatures are checked against it, so allow a wide skew.
  const f = useEmulator({ now: () => fake, maxSkewMs: 30 * DAY });

  it('hides expired objects and uploads from reads and listings before any sweep', async () => {
    const b = await createBucket(f);
    await putConfig(f, b, 'lifecycle', doc([`<ID>e</ID>${prefix('e/')}${ON}${expire(1)}${abort(1)}`]));
    await putObject(f, b, 'e/one', '1');
    await putObject(f, b, 'e/two', '2');
    await putObject(f, b, 'stay', 's');
    const upload = await initiate(f, b, 'e/up');
    fake += DAY + 1000;
    expect(await status(f, b, 'e/one')).toBe(404);
    expect(await keys(f, b)).toEqual(['stay']);
    const list = await f.send({ method: 'GET', bucket: b, key: 'e/up', query: `uploadId=${upload}` });
    expect(code(list)).toBe('NoSuchUpload');
    expect(await uploads(f, b)).toEqual([]);
  });
});

describe('lifecycle rule matching (unit)', () => {
  const meta = (key: string, size: number, tags?: unknown) =>
    ({ key, size, lastModified: 0, ...(tags === undefined ? {} : { tags }) }) as Parameters<
      typeof ruleSelectsObject
    >[1];
  const rule = {
    id: 'r',
    status: 'Enabled' as const,
    transitions: [],
    filter: { and: { prefix: 'p/', tags: [{ key: 'k', value: 'v' }] }, nots: [{ tag: { key: 'keep', value: '1' } }] },
    expiration: { days: 1 },
  };

  it('matches object tags kept as a { key, value } list (or a record), honouring Nots', () => {
    expect(ruleSelectsObject(rule, meta('p/a', 1, [{ key: 'k', value: 'v' }]))).toBe(true);
    expect(ruleSelectsObject(rule, meta('p/a', 1, { k: 'v' }))).toBe(true);
    expect(ruleSelectsObject(rule, meta('p/a', 1, [{ key: 'k', value: 'w' }]))).toBe(false);
    expect(ruleSelectsObject(rule, meta('q/a', 1, [{ key: 'k', value: 'v' }]))).toBe(false);
    expect(ruleSelectsObject(rule, meta('p/a', 1))).toBe(false);
    const kept = meta('p/a', 1, [
      { key: 'k', value: 'v' },
      { key: 'keep', value: '1' },
    ]);
    expect(ruleSelectsObject(rule, kept)).toBe(false);
    expect(ruleSelectsObject({ ...rule, status: 'Disabled' }, meta('p/a', 1, [{ key: 'k', value: 'v' }]))).toBe(false);
    const config = { rules: [rule] };
    expect(objectExpired(config, meta('p/a', 1, [{ key: 'k', value: 'v' }]), DAY - 1)).toBe(false);
    expect(objectExpired(config, meta('p/a', 1, [{ key: 'k', value: 'v' }]), DAY)).toBe(true);
  });
});
