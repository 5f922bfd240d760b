/**
 * Crypto: chained AES-128-CBC through the SDK's WebCrypto cipher against node:crypto streaming
 * and `openssl speed -evp aes-128-cbc` (the CPU's limit), MD5 against node:crypto, and an
 * encrypted upload against a plain one.
 */
import { execFile } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { createClient, putObject } from '@ks3/node'; // what Node apps use (node:crypto MD5)
import { rawAesKey, rawCbcDecrypt, rawCbcEncrypt } from '../lib/raw-cbc.mjs';
import { cryptoApi, uploadManager } from '../lib/sdk.mjs';
import { filled, generatedSource } from '../lib/bodies.mjs';
import { compare, GiB, mbps, MiB } from '../lib/measure.mjs';

const AES_TOTAL = 128 * MiB;
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

async function aes(report) {
  const key = await importAesKey(RAW_KEY);
  const rawKey = await rawAesKey(RAW_KEY);
  const plain = filled(AES_TOTAL);
  // KS3 ciphertext of `plain` (block-aligned, so the padding is one block of 'g').
  const c = createCipheriv('aes-128-cbc', RAW_KEY, IV).setAutoPadding(false);
  const cipher = Buffer.concat([c.update(plain), c.update(Buffer.alloc(16, 'g')), c.final()]);
  for (const [label, size] of CHUNKS) {
    const enc = await compare({
      ours: () =>
        mbps(AES_TOTAL, async () => {
          const e = createCbcEncryptor(key, IV);
          for (const s of slices(plain, size)) await e.update(s);
          await e.final();
        }),
      node: () =>
        mbps(AES_TOTAL, () => {
          const e = createCipheriv('aes-128-cbc', RAW_KEY, IV).setAutoPadding(false);
          for (const s of slices(plain, size)) e.update(s);
          e.final();
        }),
      subtle: () => mbps(AES_TOTAL, () => rawCbcEncrypt(rawKey, IV, slices(plain, size))),
      openssl: () => opensslSpeed(size, false),
    });
    report.row({
      figure: `AES-128-CBC encrypt, ${label} chunks, MB/s ↑`,
      ours: enc.ours,
      baseline: enc.subtle,
      baselineName: 'raw chained `crypto.subtle`',
    });
    report.row({
      figure: `AES-128-CBC encrypt, ${label} chunks, MB/s ↑`,
      ours: enc.ours,
      baseline: enc.node,
      baselineName: 'node:crypto streaming',
    });
    report.row({
      figure: `AES-128-CBC encrypt, ${label} chunks, MB/s ↑`,
      ours: enc.ours,
      baseline: enc.openssl,
      baselineName: '`openssl speed -evp aes-128-cbc`',
    });
    const dec = await compare({
      ours: () =>
        mbps(AES_TOTAL, async () => {
          const d = createCbcDecryptor(key, IV);
          for (const s of slices(cipher, size)) await d.update(s);
          await d.final();
        }),
      node: () =>
        mbps(AES_TOTAL, () => {
          const d = createDecipheriv('aes-128-cbc', RAW_KEY, IV).setAutoPadding(false);
          for (const s of slices(cipher, size)) d.update(s);
          d.final();
        }),
      subtle: () => mbps(AES_TOTAL, () => rawCbcDecrypt(rawKey, IV, slices(cipher.subarray(0, AES_TOTAL), size))),
      openssl: () => opensslSpeed(size, true),
    });
    report.row({
      figure: `AES-128-CBC decrypt, ${label} chunks, MB/s ↑`,
      ours: dec.ours,
      baseline: dec.subtle,
      baselineName: 'raw chained `crypto.subtle`',
    });
    report.row({
      figure: `AES-128-CBC decrypt, ${label} chunks, MB/s ↑`,
      ours: dec.ours,
      baseline: dec.node,
      baselineName: 'node:crypto streaming',
    });
    report.row({
      figure: `AES-128-CBC decrypt, ${label} chunks, MB/s ↑`,
      ours: dec.ours,
      baseline: dec.openssl,
      baselineName: '`openssl speed -evp aes-128-cbc -decrypt`',
    });
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
  const put = (client, body) => () => mbps(GiB, () => putObject(client, { bucket: 'bench', key: 'enc', body }));
  const source = generatedSource(GiB);
  const upload = await uploadManager();
  const variants = { enc: put(encClient, source), plain: put(plainClient, source) };
  if (upload) {
    const up = (client) => () => mbps(GiB, () => upload(client, { bucket: 'bench', key: 'enc-mp', body: source }));
    Object.assign(variants, { mpEnc: up(encClient), mpPlain: up(plainClient) });
  }
  const r = await compare(variants);
  report.row({
    figure: 'encrypted PUT 1 GiB (`putObject`, one request), MB/s ↑',
    ours: r.enc,
    baseline: r.plain,
    baselineName: 'the same, unencrypted',
  });
  report.row({
    figure: 'encrypted upload 1 GiB (`upload()`, 8 MiB parts, 4 in flight), MB/s ↑',
    ours: r.mpEnc ?? 'pending',
    baseline: r.mpPlain ?? 'pending',
    baselineName: 'the same, unencrypted',
  });
  if (!upload)
    report.addPending(
      'Encrypted vs plain upload through the upload manager: `upload` is not exported by @ks3/multipart yet.',
    );
}

export default async function crypto(report, { sink }) {
  report.section(
    'Crypto',
    `AES: ${AES_TOTAL / MiB} MiB per run, chained chunk after chunk through \`createCbcEncryptor\`/\`createCbcDecryptor\` (WebCrypto), against raw chained \`crypto.subtle\` (the limit of any WebCrypto cipher), node:crypto and openssl; \`openssl speed\` runs 1 s per run. MD5: ${MD5_TOTAL / MiB} MiB through \`createMd5\`. Encrypted upload: client option \`encryption: { key }\` with its defaults (Content-MD5 on), from a generated file-like body (\`{ size, stream() }\`), to the sink. MB/s, higher is better.`,
  );
  await aes(report);
  await md5(report);
  await encryptedUpload(report, sink);
}
