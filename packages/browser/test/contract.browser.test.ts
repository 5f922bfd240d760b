import { describeContract, type Ks3Api } from '../../../internal/test-utils/contract.js';

/** Loads the built CDN bundle with a classic <script> tag, as a page using the CDN would. */
async function loadCdn(): Promise<Ks3Api> {
  const g = globalThis as { KS3?: Ks3Api };
  if (!g.KS3) {
    await new Promise<void>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/packages/browser/dist/ks3.min.js';
      s.onload = () => resolve();
      s.onerror = () => reject(new Error('could not load packages/browser/dist/ks3.min.js: run the build first'));
      document.head.append(s);
    });
  }
  if (!g.KS3) throw new Error('ks3.min.js did not define the global KS3');
  return g.KS3;
}

// V4 in KS3's namespace (the client's default once it has a region), in full.
describeContract('chromium', loadCdn);
// V2, V4 in the AWS namespace, and virtual-hosted buckets (Chromium resolves *.localhost itself).
describeContract('chromium-v2', loadCdn, { signing: 'v2', full: false });
describeContract('chromium-aws4', loadCdn, { signing: 'aws4', full: false });
describeContract('chromium-virtual', loadCdn, { addressing: 'virtual', full: false });
