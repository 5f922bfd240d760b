import { afterAll } from 'vitest';
import * as KS3 from '@ks3/node';
import { describeContract } from '../../../internal/test-utils/contract.js';
import { loopbackFetch } from '../../../internal/test-utils/loopback.js';

// V4 in KS3's namespace (the client's default once it has a region), in full.
describeContract('node', async () => KS3);
// The same SDK signing V2 and V4 in the AWS namespace, and addressing buckets in the host name.
describeContract('node-v2', async () => KS3, { signing: 'v2', full: false });
describeContract('node-aws4', async () => KS3, { signing: 'aws4', full: false });
// Node's resolver does not map *.localhost to loopback: this fetch's dispatcher does.
const loopback = loopbackFetch();
afterAll(() => loopback.close());
describeContract('node-virtual', async () => KS3, { addressing: 'virtual', fetch: loopback.fetch, full: false });
