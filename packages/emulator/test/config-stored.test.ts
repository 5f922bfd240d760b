/** ?website, ?encryption, ?crr and ?mirror: stored, validated, answered back, deleted. */
import { describe, expect, it } from 'vitest';
import { deleteConfig, getConfig, putConfig } from './helpers/config.js';
import { createBucket, useEmulator, type Fixture } from './helpers/emulator.js';
import { code, OTHER, xml1 } from './helpers/ks3.js';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

/** Checks the GET/PUT/DELETE cycle: absent → stored → answered exactly → gone. */
async function cycle(f: Fixture, sub: string, missing: string, body: string, expected: string) {
  const b = await createBucket(f);
  const none = await getConfig(f, b, sub);
  expect([sub, none.status, code(none)]).toEqual([sub, 404, missing]);
  const put = await putConfig(f, b, sub, body);
  expect([sub, put.status, put.text]).toEqual([sub, 200, '']);
  const got = await getConfig(f, b, sub);
  expect([sub, got.status]).toEqual([sub, 200]);
  expect(got.text.replace(/^<\?xml[^>]*\?>/, '')).toBe(expected);
  expect(code(await getConfig(f, b, sub, OTHER))).toBe('AccessDenied');
  expect(code(await putConfig(f, b, sub, body, { creds: OTHER }))).toBe('AccessDenied');
  expect((await deleteConfig(f, b, sub)).status).toBe(204);
  expect(code(await getConfig(f, b, sub))).toBe(missing);
  return b;
}

/** Every body must be refused with `want` and a message matching `message`; nothing is stored. */
async function refuses(f: Fixture, sub: string, cases: [string, string, RegExp][]) {
  const b = await createBucket(f);
  for (const [body, want, message] of cases) {
    const res = await putConfig(f, b, sub, body);
    expect([body.slice(0, 70), res.status, code(res)]).toEqual([body.slice(0, 70), 400, want]);
    expect(xml1(res.text, 'Message')).toMatch(message);
  }
  expect((await getConfig(f, b, sub)).status).toBe(404);
}

describe('configurations that are stored and validated only', () => {
  const f = useEmulator();

  it('website: index/error documents and routing rules, or a redirect of everything', async () => {
    const doc =
      `<WebsiteConfiguration ${NS}><IndexDocument><Suffix>index.html</Suffix></IndexDocument>` +
      '<ErrorDocument><Key>404.html</Key></ErrorDocument><RoutingRules><RoutingRule>' +
      '<Condition><KeyPrefixEquals>docs/</KeyPrefixEquals>' +
      '<HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals>' +
      '</Condition><Redirect><Protocol>https</Protocol><HostName>example.com</HostName>' +
      '<ReplaceKeyPrefixWith>documents/</ReplaceKeyPrefixWith><HttpRedirectCode>301</HttpRedirectCode></Redirect>' +
      '</RoutingRule></RoutingRules></WebsiteConfiguration>';
    await cycle(f, 'website', 'NoSuchWebsiteConfiguration', doc, doc);
    const all =
      `<WebsiteConfiguration ${NS}><RedirectAllRequestsTo><HostName>example.com</HostName>` +
      '</RedirectAllRequestsTo></WebsiteConfiguration>';
    await cycle(f, 'website', 'NoSuchWebsiteConfiguration', all, all);
    const w = (inner: string) => `<WebsiteConfiguration>${inner}</WebsiteConfiguration>`;
    const index = '<IndexDocument><Suffix>index.html</Suffix></IndexDocument>';
    const rule = (inner: string) => w(`${index}<RoutingRules><RoutingRule>${inner}</RoutingRule></RoutingRules>`);
    await refuses(f, 'website', [
      [w(''), 'MalformedXML', /IndexDocument or RedirectAllRequestsTo/],
      [w('<IndexDocument><Suffix>a/b.html</Suffix></IndexDocument>'), 'InvalidArgument', /Suffix/],
      [w('<IndexDocument><Suffix></Suffix></IndexDocument>'), 'InvalidArgument', /Suffix/],
      [
        w(`<RedirectAllRequestsTo><HostName>h</HostName></RedirectAllRequestsTo>${index}`),
        'InvalidArgument',
        /cannot be combined/,
      ],
      [
        w('<RedirectAllRequestsTo><HostName>h</HostName><Protocol>ftp</Protocol></RedirectAllRequestsTo>'),
        'InvalidArgument',
        /ftp/,
      ],
      [rule('<Condition><KeyPrefixEquals>a</KeyPrefixEquals></Condition>'), 'MalformedXML', /Redirect/],
      [rule('<Redirect/>'), 'MalformedXML', /must not be empty/],
      [
        rule('<Redirect><ReplaceKeyWith>a</ReplaceKeyWith><ReplaceKeyPrefixWith>b</ReplaceKeyPrefixWith></Redirect>'),
        'InvalidArgument',
        /not both/,
      ],
      [rule('<Redirect><HttpRedirectCode>200</HttpRedirectCode></Redirect>'), 'InvalidArgument', /HttpRedirectCode/],
      [
        rule(
          '<Condition><HttpErrorCodeReturnedEquals>200</HttpErrorCodeReturnedEquals></Condition>' +
            '<Redirect><HostName>h</HostName></Redirect>',
        ),
        'InvalidArgument',
        /4xx/,
      ],
      [w(`${index}<Bogus/>`), 'MalformedXML', /Bogus/],
      ['<Website/>', 'MalformedXML', /WebsiteConfiguration/],
    ]);
  });

  it('encryption: one rule with SSEAlgorithm AES256 (or KS3’s SM4)', async () => {
    const doc = (alg: string) =>
      `<ServerSideEncryptionConfiguration ${NS}><Rule><ApplyServerSideEncryptionByDefault>` +
      `<SSEAlgorithm>${alg}</SSEAlgorithm>` +
      '</ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>';
    await cycle(f, 'encryption', 'ServerSideEncryptionConfigurationNotFoundError', doc('AES256'), doc('AES256'));
    await cycle(f, 'encryption', 'ServerSideEncryptionConfigurationNotFoundError', doc('SM4'), doc('SM4'));
    await refuses(f, 'encryption', [
      [doc('aws:kms'), 'InvalidArgument', /SSEAlgorithm must be one of AES256, SM4/],
      ['<ServerSideEncryptionConfiguration/>', 'MalformedXML', /exactly one Rule/],
      [
        '<ServerSideEncryptionConfiguration><Rule/></ServerSideEncryptionConfiguration>',
        'MalformedXML',
        /ApplyServerSideEncryptionByDefault/,
      ],
      [doc('AES256').replace('<Rule>', '<Rule><Other/>'), 'MalformedXML', /Other/],
    ]);
  });

  it('crr: KS3’s <Replication> with prefixes, DeleteMarkerStatus, targetBucket, history and region', async () => {
    const doc =
      `<Replication ${NS}><prefix>logs/</prefix><prefix>img/</prefix><DeleteMarkerStatus>Enabled</DeleteMarkerStatus>` +
      '<targetBucket>backup-bucket</targetBucket><HistoricalObjectReplication>Disabled</HistoricalObjectReplication>' +
      '<region>SHANGHAI</region></Replication>';
    await cycle(f, 'crr', 'ReplicationConfigurationNotFoundError', doc, doc);
    const minimal =
      `<Replication ${NS}><DeleteMarkerStatus>Disabled</DeleteMarkerStatus>` +
      '<targetBucket>t-1</targetBucket></Replication>';
    await cycle(f, 'crr', 'ReplicationConfigurationNotFoundError', minimal, minimal);
    const r = (inner: string) => `<Replication>${inner}</Replication>`;
    const base = '<DeleteMarkerStatus>Enabled</DeleteMarkerStatus><targetBucket>t-1</targetBucket>';
    await refuses(f, 'crr', [
      [r('<targetBucket>t-1</targetBucket>'), 'MalformedXML', /DeleteMarkerStatus/],
      [r('<DeleteMarkerStatus>Enabled</DeleteMarkerStatus>'), 'MalformedXML', /targetBucket/],
      [
        r('<DeleteMarkerStatus>On</DeleteMarkerStatus><targetBucket>t-1</targetBucket>'),
        'InvalidArgument',
        /DeleteMarkerStatus/,
      ],
      [r(`${base}<prefix>a/</prefix><prefix>a/b/</prefix>`), 'InvalidArgument', /overlap/],
      [
        r(`${base}${Array.from({ length: 11 }, (_, i) => `<prefix>q${i}/</prefix>`).join('')}`),
        'InvalidArgument',
        /at most 10/,
      ],
      [
        r('<DeleteMarkerStatus>Enabled</DeleteMarkerStatus><targetBucket>Bad_Name</targetBucket>'),
        'InvalidArgument',
        /not a valid bucket name/,
      ],
      [r(`${base}<HistoricalObjectReplication>yes</HistoricalObjectReplication>`), 'InvalidArgument', /Historical/],
      [r(`${base}<Rule/>`), 'MalformedXML', /Rule/],
    ]);
  });

  it('mirror: KS3’s JSON with async and sync rules', async () => {
    const config = {
      version: 'V3',
      use_default_robots: false,
      async_mirror_rule: {
        mirror_urls: ['https://example1.com', 'https://example2.com'],
        saving_setting: { acl: 'private' },
        mirror_type: 'V4',
      },
      sync_mirror_rules: [
        {
          match_condition: { http_codes: ['404'], key_prefixes: ['abc'] },
          mirror_url: 'https://origin.example.com/base',
          mirror_request_setting: {
            pass_query_string: false,
            follow3xx: false,
            header_setting: {
              set_headers: [{ key: 'a', value: 'b' }],
              remove_headers: [{ key: 'c' }, { key: 'd' }],
              pass_all: false,
              pass_headers: [{ key: 'key' }],
            },
          },
          saving_setting: { acl: 'private' },
          mirror_type: 'V6',
        },
      ],
    };
    const text = JSON.stringify(config);
    const b = await cycle(f, 'mirror', 'NoSuchMirrorConfiguration', text, text);
    await putConfig(f, b, 'mirror', JSON.stringify({ ...config, created_time: 'whenever' }));
    expect(JSON.parse((await getConfig(f, b, 'mirror')).text)).toEqual(config);
    const sync = config.sync_mirror_rules[0];
    const m = (patch: Record<string, unknown>) => JSON.stringify({ ...config, ...patch });
    await refuses(f, 'mirror', [
      ['{"version":', 'InvalidArgument', /valid JSON/],
      [JSON.stringify({ version: 'V3' }), 'InvalidArgument', /async_mirror_rule or at least one/],
      [m({ version: '' }), 'InvalidArgument', /version/],
      [
        m({ async_mirror_rule: { ...config.async_mirror_rule, mirror_urls: ['ftp://x'] } }),
        'InvalidArgument',
        /http or https/,
      ],
      [
        m({ async_mirror_rule: { ...config.async_mirror_rule, mirror_urls: Array(11).fill('http://a.b') } }),
        'InvalidArgument',
        /at most 10/,
      ],
      [
        m({ async_mirror_rule: { ...config.async_mirror_rule, saving_setting: { acl: 'public-read-write' } } }),
        'InvalidArgument',
        /acl/,
      ],
      [m({ sync_mirror_rules: Array(21).fill(sync) }), 'InvalidArgument', /at most 20/],
      [m({ sync_mirror_rules: [{ ...sync, match_condition: { http_codes: ['403'] } }] }), 'InvalidArgument', /404/],
      [
        m({ sync_mirror_rules: [{ ...sync, match_condition: { key_prefixes: ['a', 'b'] } }] }),
        'InvalidArgument',
        /at most 1/,
      ],
      [
        m({
          sync_mirror_rules: [
            { ...sync, mirror_request_setting: { header_setting: { pass_all: true, pass_headers: [{ key: 'k' }] } } },
          ],
        }),
        'InvalidArgument',
        /mutually exclusive/,
      ],
      [m({ sync_mirror_rules: [{ ...sync, mirror_url: undefined }] }), 'InvalidArgument', /mirror_url/],
      [m({ extra: 1 }), 'InvalidArgument', /extra is not supported/],
    ]);
  });
});
