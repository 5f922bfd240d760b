/**
 * Crypto: chained AES-128-CBC through the SDK's own chunked encryptor and decryptor, with the
 * Node cipher (`nodeAesCbc` of @ks3/node, node:crypto behind core's seam) against node:crypto
 * streaming and `openssl speed -evp aes-128-cbc` (the CPU's limit), and with WebCrypto (the
 * browsers' cipher) against raw chained `crypto.subtle`; MD5 against node:crypto; encrypted
 * transfers against plain ones.
 */
import { execFile } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { createClient, nodeAesCbc, putObject, upload } from '@ks3/node'; // what Node apps use (node:crypto)
import { rawAesKey, rawCbcDecrypt, rawCbcEncrypt } from '../lib/raw-cbc.mjs';
import { cryptoApi } from '../lib/sdk.mjs';
import { filled, generatedSource } from '../lib/bodies.mjs';
import { md5StreamSeconds } from '../lib/ceiling.mjs';
import { compare, GiB, mbps, MiB, summarize } from '../lib/measure.mjs';

// 512 MiB per run: with 128 MiB (0.1–0.3 s a run) the allocator and GC made figures swing 3× between runs.
const AES_TOTAL = 512 * MiB;
const MD5_TOTAL = 256 * MiB;
const CHUNKS = [
  ['64 KiB', 64 * 1024],
  ['1 MiB', MiB],
  ['8 MiB', 8 * MiB],
];
const { createCbcDecryptor, createCbcEncryptor, createMd5, importAesKey } = cryptoApi;
const RAW_KEY = new Uint8Array(16).map((_, i) => i + 1);
const IV = new Uint8Array(16).map((_, i) => 0xa0 + i);

/** `openssl speed` result in MiB/s (it reports 1000s of bytes per second). */
export async function opensslSpeed(bytes, decrypt) {
  const args = [
    'speed',
    '-evp',
    'aes-128-cbc',
    '-bytes',
    String(bytes),
    '-seconds',
    '1',
    ...(decrypt ? ['-decrypt'] : []),
  ];
  const { stdout } = await promisify(execFile)('openssl', args);
  const k = /AES-128-CBC\s+([\d.]+)k/i.exec(stdout);
  if (!k) throw new Error(`cannot parse openssl speed output:\n${stdout}`);
  return (Number(k[1]) * 1000) / MiB;
}

const slices = (bytes, size) =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

/** One chained pass of the SDK's encryptor or decryptor over `data` in `size` chunks. */
async function sdkPass(key, encrypt, data, size) {
  const c = encrypt ? createCbcEncryptor(key, IV) : createCbcDecryptor(key, IV);
  for (const s of slices(data, size)) await c.update(s);
  await c.final();
}

/** One chained pass of node:crypto streaming (no padding: the same work). */
function nodePass(encrypt, data, size) {
  const c = (encrypt ? createCipheriv : createDecipheriv)('aes-128-cbc', RAW_KEY, IV).setAutoPadding(false);
  for (const s of slices(data, size)) c.update(s);
  c.final();
}

async function aes(report) {
  const webKey = await importAesKey(RAW_KEY);
  const nodeKey = nodeAesCbc(RAW_KEY);
  const rawKey = await rawAesKey(RAW_KEY);
  const plain = filled(AES_TOTAL);
  // KS3 ciphertext of `plain` (block-aligned, so the padding is one block of 'g').
  const c = createCipheriv('aes-128-cbc', RAW_KEY, IV).setAutoPadding(false);
  const cipher = Buffer.concat([c.update(plain), c.update(Buffer.alloc(16, 'g')), c.final()]);
  for (const [label, size] of CHUNKS) {
    for (const encrypt of [true, false]) {
      const data = encrypt ? plain : cipher;
      const r = await compare({
        ours: () => mbps(AES_TOTAL, () => sdkPass(nodeKey, encrypt, data, size)),
        node: () => mbps(AES_TOTAL, () => nodePass(encrypt, data, size)),
        web: () => mbps(AES_TOTAL, () => sdkPass(webKey, encrypt, data, size)),
        subtle: () =>
          mbps(AES_TOTAL, () =>
            encrypt
              ? rawCbcEncrypt(rawKey, IV, slices(plain, size))
              : rawCbcDecrypt(rawKey, IV, slices(cipher.subarray(0, AES_TOTAL), size)),
          ),
        openssl: () => opensslSpeed(size, !encrypt),
      });
      const figure = `AES-128-CBC ${encrypt ? 'encrypt' : 'decrypt'}, ${label} chunks, MB/s ↑`;
      report.row({ figure, ours: r.ours, baseline: r.node, baselineName: 'node:crypto streaming' });
      report.row({
        figure,
        ours: r.ours,
        baseline: r.openssl,
        baselineName: `\`openssl speed -evp aes-128-cbc${encrypt ? '' : ' -decrypt'}\``,
      });
      report.row({
        figure: `${figure}, ours with WebCrypto (the browsers' cipher)`,
        ours: r.web,
        baseline: r.subtle,
        baselineName: 'raw chained `crypto.subtle`',
      });
    }
  }
}

async function md5(report) {
  const data = filled(MD5_TOTAL);
  const chunks = slices(data, MiB);
  const r = await compare({
    ours: () =>
      mbps(MD5_TOTAL, () => {
        const h = createMd5();
        for (const s of chunks) h.update(s);
        h.digest();
      }),
    node: () =>
      mbps(MD5_TOTAL, () => {
        const h = createHash('md5');
        for (const s of chunks) h.update(s);
        h.digest();
      }),
  });
  report.row({ figure: 'MD5, 1 MiB updates, MB/s ↑', ours: r.ours, baseline: r.node, baselineName: 'node:crypto' });
}

async function encryptedUpload(report, sink) {
  const endpoint = { endpoint: sink.url, accessKeyId: 'AK', secretAccessKey: 'SK', retries: 0 };
  const plainClient = createClient(endpoint);
  const encClient = createClient({ ...endpoint, encryption: { key: RAW_KEY } });
  const put = (client) => () => mbps(GiB, () => putObject(client, { bucket: 'bench', key: 'enc', body: source }));
  const up = (client) => () => mbps(GiB, () => upload(client, { bucket: 'bench', key: 'enc-mp', body: source }));
  const source = generatedSource(GiB);
  // KS3 answers the MD5 of every body as its ETag; the encrypted PUT checks it (it sends no
  // Content-MD5 for a large file), so the sink hashes every body here, for both sides.
  await sink.configure({ etag: 'md5' });
  // The encrypted PUT's x-kss-meta-unencrypted-content-md5 (the Python SDK's metadata) is a
  // header: the plaintext's MD5 must be complete before the first byte is sent, and MD5 runs on
  // one thread. So no encrypted PUT can take less than that hash plus the unencrypted PUT.
  const mib = filled(MiB);
  const md5s = [];
  const plainSeconds = [];
  const r = await compare({
    enc: put(encClient),
    plain: async () => {
      const v = await put(plainClient)();
      plainSeconds.push(GiB / MiB / v);
      return v;
    },
    mpEnc: up(encClient),
    mpPlain: up(plainClient),
    md5: () => {
      const s = md5StreamSeconds(Array.from({ length: GiB / MiB }, () => mib));
      md5s.push(s);
      return GiB / MiB / s;
    },
  });
  await sink.configure({ etag: 'verify' });
  const runs = r.plain.runs;
  const [m, p] = [md5s.slice(-runs), plainSeconds.slice(-runs)];
  const ceiling = summarize(m.map((s, i) => GiB / MiB / (s + p[i])));
  report.row({
    figure: 'encrypted PUT 1 GiB (`putObject`, one request), MB/s ↑',
    ours: r.enc,
    baseline: r.plain,
    baselineName: 'the same, unencrypted',
  });
  report.row({
    figure:
      'encrypted PUT 1 GiB, the ceiling of any client: the plaintext MD5 (node:crypto, one thread) ' +
      'before the unencrypted PUT, MB/s ↑',
    ours: ceiling,
    baseline: r.plain,
    baselineName: 'the same, unencrypted',
  });
  report.row({
    figure: 'encrypted upload 1 GiB (`upload()`, 8 MiB parts, adaptive concurrency), MB/s ↑',
    ours: r.mpEnc,
    baseline: r.mpPlain,
    baselineName: 'the same, unencrypted',
  });
}

export default async function crypto(report, { sink }) {
  report.section(
    'Crypto',
    `AES: ${AES_TOTAL / MiB} MiB per run, chained chunk after chunk through the SDK's \`createCbcEncryptor\`/\`createCbcDecryptor\` with the Node cipher (\`nodeAesCbc\` of @ks3/node: node:crypto behind core's seam), against node:crypto streaming and openssl (\`openssl speed\` runs 1 s per run); and with WebCrypto, the browsers' cipher, against raw chained \`crypto.subtle\` (the limit of any WebCrypto cipher). MD5: ${MD5_TOTAL / MiB} MiB through \`createMd5\` (the portable MD5; the Node client uses node:crypto's). Encrypted transfers: \`createClient\` of @ks3/node with \`encryption: { key }\` and its defaults, from a generated file-like body (\`{ size, stream() }\`), to the sink answering the MD5 of every body as ETag (hashed in its own process, on the same 2 cores). The encrypted PUT's ceiling row is no client: the plaintext's MD5 goes in a header (x-kss-meta-unencrypted-content-md5, as the Python SDK writes it), so it must be complete before the first byte is sent; node:crypto's time for it on one thread plus the unencrypted PUT's time is the least any encrypted PUT can take. MB/s, higher is better.`,
  );
  await aes(report);
  await md5(report);
  await encryptedUpload(report, sink);
}
