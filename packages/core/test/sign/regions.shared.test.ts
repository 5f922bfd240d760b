/** KS3 endpoint hosts → V4 region names (sources in sign/regions.ts). */
import { describe, expect, test } from 'vitest';
import { inferRegion, KS3_ENDPOINT_REGIONS } from '@ks3/core';

describe('inferRegion', () => {
  test.each([
    ['ks3-cn-beijing.ksyuncs.com', 'BEIJING'],
    ['ks3-cn-shanghai.ksyuncs.com', 'SHANGHAI'],
    ['ks3-cn-guangzhou.ksyuncs.com', 'GUANGZHOU'],
    ['ks3-cn-qingdao.ksyuncs.com', 'QINGDAO'],
    ['ks3-cn-hk-1.ksyuncs.com', 'HONGKONG'],
    ['ks3-rus.ksyuncs.com', 'RUSSIA'],
    ['ks3-sgp.ksyuncs.com', 'SINGAPORE'],
    ['ks3-jr-beijing.ksyuncs.com', 'JR_BEIJING'],
    ['ks3-jr-shanghai.ksyuncs.com', 'JR_SHANGHAI'],
    ['ks3-gov-beijing.ksyuncs.com', 'GOV_BEIJING'],
    ['ks3-us-west-1.ksyuncs.com', 'AMERICA'],
    ['kss.ksyun.com', 'HANGZHOU'],
    // internal endpoints, the older ksyun.com domain, virtual-hosted buckets, ports, case
    ['ks3-cn-beijing-internal.ksyuncs.com', 'BEIJING'],
    ['ks3-cn-hk-1-internal.ksyuncs.com', 'HONGKONG'],
    ['ks3-sgp-internal.ksyuncs.com', 'SINGAPORE'],
    ['kss-internal.ksyun.com', 'HANGZHOU'],
    ['ks3-cn-shanghai.ksyun.com', 'SHANGHAI'],
    ['bucket.ks3-cn-beijing.ksyuncs.com', 'BEIJING'],
    ['my.dotted.bucket.ks3-jr-shanghai-internal.ksyuncs.com', 'JR_SHANGHAI'],
    ['bucket.ks3-cn-guangzhou.ksyuncs.com:443', 'GUANGZHOU'],
    ['KS3-CN-BEIJING.KSYUNCS.COM', 'BEIJING'],
    ['ks3-cn-beijing.ksyuncs.com.', 'BEIJING'],
  ])('%s → %s', (host, region) => {
    expect(inferRegion(host)).toBe(region);
  });

  test.each([
    'cdn.example.com',
    '127.0.0.1:9000',
    'localhost',
    '[::1]:8080',
    'ks3-cn-nowhere.ksyuncs.com', // an endpoint no source lists
    'ks3-cn-beijing.ksyuncs.com.evil.example',
    'ks3-cn-beijing.example.com',
    'oss-cn-beijing.aliyuncs.com',
    'https://ks3-cn-beijing.ksyuncs.com/', // a URL, not a host
    '',
  ])('%s → undefined', (host) => {
    expect(inferRegion(host)).toBeUndefined();
  });

  test('every region in the table is reachable from its public and internal endpoint', () => {
    for (const [endpoint, region] of Object.entries(KS3_ENDPOINT_REGIONS)) {
      expect(inferRegion(`${endpoint}.ksyuncs.com`)).toBe(region);
      expect(inferRegion(`b.${endpoint}-internal.ksyun.com`)).toBe(region);
    }
  });
});
