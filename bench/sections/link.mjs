/**
 * Uploads over a simulated wide-area link (internal/test-utils/link-proxy.mjs; kernel netem is
 * not available here): `upload()` of @ks3/node with its defaults (adaptive concurrency) against
 * the link's own rate and against @aws-sdk/lib-storage's `Upload` with its defaults (5 MiB parts,
 * 4 at once), both through the same proxy in front of the loopback sink.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createClient, upload } from '@ks3/node';
import { startLinkProxy } from '../../internal/test-utils/link-proxy.mjs';
import { filled } from '../lib/bodies.mjs';
import { compare, mbps, MiB } from '../lib/measure.mjs';

const SIZE = 256 * MiB;
// Each connection carries at most 128 KiB per round trip: what TCP's loss recovery sustains at
// about 0.02 % packet loss on a 100 ms path (Mathis et al.), or a receiver that does not scale
// its window beyond Linux's default initial buffer.
const WINDOW = 128 * 1024;
const LINKS = [
  { name: '100 ms RTT, 50 Mbit/s', rttMs: 100, mbps: 50, jitterMs: 5, runs: 3, warmup: 0 },
  { name: '20 ms RTT, 1 Gbit/s', rttMs: 20, mbps: 1000, jitterMs: 1 },
];

export default async function link(report, { sink }) {
  report.section(
    'Simulated wide-area link',
    `A ${SIZE / MiB} MiB Uint8Array through a userspace TCP proxy in front of the loopback sink: one-way delay of half the RTT plus a random 0..jitter, one bandwidth cap shared by all connections, and at most ${WINDOW / 1024} KiB in flight per connection (a loss- or receiver-limited TCP flow), in both directions. "ours" is \`upload()\` of @ks3/node with its defaults (8 MiB parts, Content-MD5 on each, concurrency adapted to the link from 4 up to 16); the peer is lib-storage's \`Upload\` with its defaults (5 MiB parts, 4 at once). The sink verifies Content-MD5 as KS3 does. MB/s, higher is better. The 100 ms link is measured 3 times without a warm-up (a run takes about 45 s), the other one as every figure.`,
  );
  await sink.configure({ etag: 'verify' });
  const body = filled(SIZE);
  for (const l of LINKS) {
    const proxy = await startLinkProxy({ host: sink.host, port: sink.port }, { ...l, windowBytes: WINDOW, seed: 7 });
    try {
      const client = createClient({ endpoint: proxy.url, accessKeyId: 'AK', secretAccessKey: 'SK', retries: 0 });
      const s3 = new S3Client({
        region: 'us-east-1',
        endpoint: proxy.url,
        forcePathStyle: true,
        credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      });
      const r = await compare(
        {
          ours: () => mbps(SIZE, () => upload(client, { bucket: 'bench', key: 'link', body })),
          aws: () =>
            mbps(SIZE, () => new Upload({ client: s3, params: { Bucket: 'bench', Key: 'link', Body: body } }).done()),
        },
        { ...(l.runs ? { runs: l.runs } : {}), ...(l.warmup !== undefined ? { warmup: l.warmup } : {}) },
      );
      const rate = (l.mbps * 1e6) / 8 / MiB;
      const figure = `upload() ${SIZE / MiB} MiB over ${l.name}, MB/s ↑`;
      const linkRate = { median: rate, min: rate, max: rate, runs: 1 };
      report.row({ figure, ours: r.ours, baseline: linkRate, baselineName: 'the link rate' });
      report.row({ figure, ours: r.ours, baseline: r.aws, baselineName: '@aws-sdk/lib-storage `Upload` (defaults)' });
      report.row({
        figure: `the peer, lib-storage \`Upload\` ${SIZE / MiB} MiB over ${l.name} (in the "ours" column), MB/s ↑`,
        ours: r.aws,
        baseline: linkRate,
        baselineName: 'the link rate',
      });
    } finally {
      await proxy.close();
    }
  }
}
