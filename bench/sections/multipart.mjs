/**
 * Multipart upload of 1 GiB with 4 parts in flight: the upload manager of @ks3/multipart against
 * raw parallel fetch PUTs of the same parts (each part a stream of 1 MiB chunks, fetch's fast
 * path), raw parallel node:http PUTs (the transport's ceiling) and @aws-sdk/lib-storage's
 * `Upload` (the best-known peer), all to the loopback sink.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createClient } from '@ks3/node'; // what Node apps use (node:crypto MD5)
import { filled } from '../lib/bodies.mjs';
import { compare, GiB, mbps, MiB } from '../lib/measure.mjs';
import { chunkStream, fetchPut, httpPut, pool } from '../lib/raw-http.mjs';
import { uploadManager } from '../lib/sdk.mjs';

const SIZE = GiB;
const PART = 8 * MiB;
const CONCURRENCY = 4;

export default async function multipart(report, { sink }) {
  report.section(
    'Multipart upload (loopback sink)',
    `1 GiB from a Uint8Array in ${PART / MiB} MiB parts, ${CONCURRENCY} in flight. MB/s, higher is better. "ours" is \`upload()\` of @ks3/multipart with its defaults: Content-MD5 on every part and each ETag checked (the sink answers the part's MD5, computed in its own process; on a 2-core machine that hashing competes with the client for CPU).`,
  );
  const body = filled(SIZE);
  const upload = await uploadManager();
  const client = createClient({ endpoint: sink.url, accessKeyId: 'AK', secretAccessKey: 'SK', retries: 0 });
  const s3 = (checksums) =>
    new S3Client({
      region: 'us-east-1',
      endpoint: sink.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      requestChecksumCalculation: checksums ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED',
    });
  const aws = s3(true);
  const awsNoChecksum = s3(false);
  const parts = Array.from({ length: SIZE / PART }, (_, i) => body.subarray(i * PART, (i + 1) * PART));
  const variants = {
    raw: () =>
      mbps(SIZE, () =>
        pool(
          parts.map((p, i) => () => httpPut(`${sink.url}/bench/raw?partNumber=${i + 1}&uploadId=x`, p)),
          CONCURRENCY,
        ),
      ),
    rawFetch: () =>
      mbps(SIZE, () =>
        pool(
          parts.map(
            (p, i) => () => fetchPut(`${sink.url}/bench/raw?partNumber=${i + 1}&uploadId=x`, chunkStream(p), p.length),
          ),
          CONCURRENCY,
        ),
      ),
    aws: () =>
      mbps(SIZE, () =>
        new Upload({
          client: aws,
          params: { Bucket: 'bench', Key: 'aws', Body: body },
          partSize: PART,
          queueSize: CONCURRENCY,
        }).done(),
      ),
    awsNoChecksum: () =>
      mbps(SIZE, () =>
        new Upload({
          client: awsNoChecksum,
          params: { Bucket: 'bench', Key: 'aws', Body: body },
          partSize: PART,
          queueSize: CONCURRENCY,
        }).done(),
      ),
  };
  if (upload) {
    // By default the manager sends Content-MD5 per part and checks the ETag; the sink then
    // answers the part's MD5 (computed in the sink's process, as KS3 would).
    const up = (checksum) => () =>
      mbps(SIZE, () =>
        upload(client, { bucket: 'bench', key: 'mp', body, partSize: PART, concurrency: CONCURRENCY, checksum }),
      );
    variants.ours = up(undefined);
    variants.oursNoChecksum = up(false);
  }
  const r = await compare(variants);
  const figure = 'multipart upload 1 GiB, concurrency 4, MB/s ↑';
  const ours = r.ours ?? 'pending';
  const noChecksum = r.oursNoChecksum ?? 'pending';
  report.row({ figure, ours, baseline: r.rawFetch, baselineName: 'raw parallel fetch PUTs of the parts' });
  report.row({
    figure: `${figure}, ours with \`checksum: false\``,
    ours: noChecksum,
    baseline: r.rawFetch,
    baselineName: 'raw parallel fetch PUTs of the parts',
  });
  report.row({ figure, ours, baseline: r.raw, baselineName: 'raw parallel node:http PUTs of the parts' });
  report.row({
    figure: `${figure}, ours with \`checksum: false\``,
    ours: noChecksum,
    baseline: r.raw,
    baselineName: 'raw parallel node:http PUTs of the parts',
  });
  report.row({
    figure,
    ours,
    baseline: r.aws,
    baselineName: '@aws-sdk/lib-storage `Upload` (default CRC32 checksums)',
  });
  report.row({
    figure: `${figure}, ours with \`checksum: false\``,
    ours: noChecksum,
    baseline: r.awsNoChecksum,
    baselineName: '@aws-sdk/lib-storage `Upload`, checksums only when required',
  });
  if (!upload)
    report.addPending(
      'Multipart upload 1 GiB through the upload manager: `upload` is not exported by @ks3/multipart yet (its baselines above are measured).',
    );
}
