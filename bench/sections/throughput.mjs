/**
 * Throughput against the loopback sink: PUT and GET of 256 MiB through the SDK, against
 * node:http (the ceiling) and the global fetch given the same body the naive way and the fast
 * way (Node 20's fetch sends a Uint8Array body ~10× slower than a stream of 1 MiB chunks, and
 * `arrayBuffer()` reads a large body ~6× slower than a reader loop: platform-notes.md §5).
 */
import { createClient, getObject, putObject } from '@ks3/node'; // what Node apps use (node:crypto MD5)
import { filled } from '../lib/bodies.mjs';
import { compare, mbps, MiB } from '../lib/measure.mjs';
import { chunkStream, fetchGetReader, fetchPut, httpGet, httpPut } from '../lib/raw-http.mjs';

const SIZE = 256 * MiB;

export default async function throughput(report, { sink }) {
  report.section(
    'Throughput (loopback sink)',
    'MB/s = MiB/s, higher is better. The sink is a node:http server in its own process that discards uploads and serves downloads from memory.',
  );
  const client = createClient({ endpoint: sink.url, accessKeyId: 'AK', secretAccessKey: 'SK', retries: 0 });
  const body = filled(SIZE);
  const url = `${sink.url}/bench/put-${SIZE}`;

  const put = await compare({
    ours: () => mbps(SIZE, () => putObject(client, { bucket: 'bench', key: `put-${SIZE}`, body })),
    http: () => mbps(SIZE, () => httpPut(url, body)),
    fetchBytes: () => mbps(SIZE, () => fetchPut(url, body)),
    fetchStream: () => mbps(SIZE, () => fetchPut(url, chunkStream(body), SIZE)),
  });
  report.row({
    figure: 'PUT 256 MiB from a Uint8Array, MB/s ↑',
    ours: put.ours,
    baseline: put.http,
    baselineName: 'node:http (ceiling)',
  });
  report.row({
    figure: 'PUT 256 MiB from a Uint8Array, MB/s ↑',
    ours: put.ours,
    baseline: put.fetchBytes,
    baselineName: 'fetch, Uint8Array body',
  });
  report.row({
    figure: 'PUT 256 MiB from a Uint8Array, MB/s ↑',
    ours: put.ours,
    baseline: put.fetchStream,
    baselineName: 'fetch, stream of 1 MiB chunks',
  });

  const getUrl = `${sink.url}/bench/get-${SIZE}`;
  const get = await compare({
    ours: () => mbps(SIZE, async () => (await getObject(client, { bucket: 'bench', key: `get-${SIZE}` })).bytes()),
    http: () => mbps(SIZE, () => httpGet(getUrl, SIZE)),
    fetchArrayBuffer: () => mbps(SIZE, async () => (await fetch(getUrl)).arrayBuffer()),
    fetchReader: () => mbps(SIZE, () => fetchGetReader(getUrl, SIZE)),
  });
  report.row({
    figure: 'GET 256 MiB into memory (`bytes()`), MB/s ↑',
    ours: get.ours,
    baseline: get.http,
    baselineName: 'node:http (ceiling)',
  });
  report.row({
    figure: 'GET 256 MiB into memory (`bytes()`), MB/s ↑',
    ours: get.ours,
    baseline: get.fetchArrayBuffer,
    baselineName: 'fetch, `arrayBuffer()`',
  });
  report.row({
    figure: 'GET 256 MiB into memory (`bytes()`), MB/s ↑',
    ours: get.ours,
    baseline: get.fetchReader,
    baselineName: 'fetch, reader loop',
  });
}
