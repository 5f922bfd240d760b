import * as KS3 from '@ks3/node';
import { describeContract } from '../../../internal/test-utils/contract.js';

describeContract('node', async () => KS3);
