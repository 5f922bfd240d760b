/**
 * Multipart upload of 1 GiB with 4 parts in flight: the upload manager of @ks3/node (part MD5s
 * on worker threads) against raw parallel fetch PUTs of the same parts (each part a stream of
 * 1 MiB chunks, fetch's fast path), raw parallel node:http PUTs (the transport's ceiling) and
 * @aws-sdk/lib-storage's `Upload` (the best-known peer), all to the loopback sink.
 *
 * Twice: with a sink that trusts Content-MD5 (it answers it as the ETag without hashing, so only
 * the client's cost is measured), and with one that verifies it (it hashes every part, as KS3
 * does: on a 2-core machine that hashing competes with the client for CPU).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createClient, upload } from '@ks3/node';
import { filled } from '../lib/bodies.mjs';
import { CORES, cpuOf, md5Seconds } from '../lib/ceiling.mjs';
import { compare, GiB, mbps, MiB, summarize } from '../lib/measure.mjs';
import { chunkStream, fetchPut, httpPut, pool } from '../lib/raw-http.mjs';

const SIZE = GiB;
const PART = 8 * MiB;
const CONCURRENCY = 4;

export default async function multipart(report, { sink }) {
  report.section(
    'Multipart upload (loopback sink)',
    `1 GiB from a Uint8Array in ${PART / MiB} MiB parts, ${CONCURRENCY} in flight. MB/s, higher is better. "ours" is \`upload()\` of @ks3/node with its defaults: Content-MD5 on every part (computed on worker threads) and each ETag checked. "Trusting sink": the sink answers a part's Content-MD5 as its ETag without hashing (the client's cost alone); "verifying sink": it hashes every part that has a Content-MD5 and refuses a mismatch, as KS3 does, in its own process on the same 2 cores. lib-storage sends no Content-MD5 (its CRC32 goes in x-amz-checksum headers, which the sink does not check), so the sink never hashes its parts. The ceiling row is no client: it is what any client that sends the parts and computes their MD5s could reach at best on this machine — the CPU seconds of the cheaper raw run (client and sink) plus node:crypto's MD5 time for the parts, spread perfectly over every core (KS3 verifies no cheaper checksum).`,
  );
  const body = filled(SIZE);
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
  const ours = (contentMd5) => () =>
    mbps(SIZE, () =>
      upload(client, { bucket: 'bench', key: 'mp', body, partSize: PART, concurrency: CONCURRENCY, contentMd5 }),
    );
  const libStorage = (c) => () =>
    mbps(SIZE, () =>
      new Upload({
        client: c,
        params: { Bucket: 'bench', Key: 'aws', Body: body },
        partSize: PART,
        queueSize: CONCURRENCY,
      }).done(),
    );
  // CPU seconds (client + sink) of each raw run, and node:crypto's time for the parts' MD5s: the
  // ceiling of any client that sends the same bytes and hashes them too (see ceilingOfMd5).
  const rawCpu = { raw: [], rawFetch: [], md5: [] };
  const measured = async (name, fn) => {
    const c = await cpuOf(sink, fn);
    rawCpu[name].push(c.client + c.sink);
    return SIZE / MiB / c.wall;
  };
  const raw = () =>
    measured('raw', () =>
      pool(
        parts.map((p, i) => () => httpPut(`${sink.url}/bench/raw?partNumber=${i + 1}&uploadId=x`, p)),
        CONCURRENCY,
      ),
    );
  const rawFetch = () =>
    measured('rawFetch', () =>
      pool(
        parts.map(
          (p, i) => () => fetchPut(`${sink.url}/bench/raw?partNumber=${i + 1}&uploadId=x`, chunkStream(p), p.length),
        ),
        CONCURRENCY,
      ),
    );
  const md5 = async () => {
    const s = md5Seconds(parts);
    rawCpu.md5.push(s);
    return SIZE / MiB / s;
  };

  await sink.configure({ etag: 'trust' });
  const t = await compare({
    ours: ours(undefined),
    oursNoMd5: ours(false),
    raw,
    rawFetch,
    aws: libStorage(aws),
    awsNoChecksum: libStorage(awsNoChecksum),
    md5,
  });
  await sink.configure({ etag: 'verify' });
  const v = await compare({ ours: ours(undefined), aws: libStorage(aws) });

  const figure = 'multipart upload 1 GiB, concurrency 4, MB/s ↑';
  const noMd5 = `${figure}, ours with \`contentMd5: false\``;
  const trusting = (f) => `${f}, trusting sink`;
  report.row({
    figure: trusting(figure),
    ours: t.ours,
    baseline: t.aws,
    baselineName: '@aws-sdk/lib-storage `Upload` (default CRC32 checksums)',
  });
  report.row({
    figure: trusting(figure),
    ours: t.ours,
    baseline: t.rawFetch,
    baselineName: 'raw parallel fetch PUTs of the parts',
  });
  report.row({
    figure: trusting(figure),
    ours: t.ours,
    baseline: t.raw,
    baselineName: 'raw parallel node:http PUTs of the parts',
  });
  report.row({
    figure: trusting(`${figure}, the ceiling of any client with a per-part MD5 on ${CORES} cores`),
    ours: ceilingOfMd5(rawCpu, t.rawFetch.runs),
    baseline: t.rawFetch,
    baselineName: 'raw parallel fetch PUTs of the parts',
  });
  report.row({
    figure: trusting(noMd5),
    ours: t.oursNoMd5,
    baseline: t.rawFetch,
    baselineName: 'raw parallel fetch PUTs of the parts',
  });
  report.row({
    figure: trusting(noMd5),
    ours: t.oursNoMd5,
    baseline: t.raw,
    baselineName: 'raw parallel node:http PUTs of the parts',
  });
  report.row({
    figure: trusting(noMd5),
    ours: t.oursNoMd5,
    baseline: t.awsNoChecksum,
    baselineName: '@aws-sdk/lib-storage `Upload`, checksums only when required',
  });
  report.row({
    figure: `${figure}, verifying sink`,
    ours: v.ours,
    baseline: v.aws,
    baselineName: '@aws-sdk/lib-storage `Upload` (default CRC32 checksums)',
  });
}

/**
 * The most MB/s any client can reach that sends the parts as the raw PUTs do and also computes
 * their MD5s (KS3 checks nothing cheaper: ks3-v4.md, CRC32 unsupported): per run, the CPU
 * seconds of the cheaper raw run (its client and the sink together) plus node:crypto's MD5 time,
 * spread perfectly over every core. Real clients stay below it (nothing spreads perfectly).
 */
function ceilingOfMd5(cpu, runs) {
  const last = (a) => a.slice(-runs);
  const [raw, rawFetch, md5] = [last(cpu.raw), last(cpu.rawFetch), last(cpu.md5)];
  return summarize(md5.map((m, i) => SIZE / MiB / ((m + Math.min(raw[i], rawFetch[i])) / CORES)));
}
