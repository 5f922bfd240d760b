/**
 * The hostile-input catalogue (issue 11 point 10 and around it): each input must be refused with
 * a Ks3InputError (or, for credentials a provider hands over at request time, a
 * Ks3CredentialsError) naming what is wrong, before any request. Run with clients that carry
 * secrets, so the refusals are scanned for them too.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as KS3 from '@ks3/node';

/**
 * What a case gets: a client whose fetch counts calls, and a factory for more (with the same
 * fetch, and the same secret keys unless `credentials` or `signer` is given).
 */
export interface InputContext {
  client: KS3.Client;
  make(extra: Partial<KS3.ClientConfig>): KS3.Client;
}

export interface InputCase {
  name: string;
  /** The option the error must name (Ks3InputError), or the class expected. */
  param?: string;
  error?: 'Ks3CredentialsError';
  run(x: InputContext): Promise<unknown> | unknown;
}

const b = 'catalogue';
const k = 'key';
const lone = 'a\uD800b';
const anyClient = (v: unknown) => v as KS3.Client;

export const INPUTS: InputCase[] = [
  // Point 10, as the issue lists them.
  {
    name: "headers: { 'content-length': '1' } on a PUT",
    param: 'headers',
    run: ({ client }) => KS3.putObject(client, { bucket: b, key: k, body: 'abc', headers: { 'content-length': '1' } }),
  },
  {
    name: 'expiresIn: 1e21',
    param: 'expiresIn',
    run: ({ client }) => KS3.presignUrl(client, { bucket: b, key: k, expiresIn: 1e21 }),
  },
  {
    name: 'expiresIn: 0.0001',
    param: 'expiresIn',
    run: ({ client }) => KS3.presignUrl(client, { bucket: b, key: k, expiresIn: 0.0001 }),
  },
  {
    name: 'a lone surrogate in prefix',
    param: 'prefix',
    run: ({ client }) => KS3.listObjects(client, { bucket: b, prefix: lone }),
  },
  {
    name: 'a lone surrogate in uploadId',
    param: 'uploadId',
    run: ({ client }) => KS3.abortMultipartUpload(client, { bucket: b, key: k, uploadId: lone }),
  },
  {
    name: 'a lone surrogate in versionId',
    param: 'versionId',
    run: ({ client }) => KS3.headObject(client, { bucket: b, key: k, versionId: lone }),
  },
  {
    name: 'putObject(null, …)',
    param: 'client',
    run: () => KS3.putObject(anyClient(null), { bucket: b, key: k, body: '' }),
  },
  {
    name: 'signal: {}',
    param: 'signal',
    run: ({ client }) => KS3.getObject(client, { bucket: b, key: k, signal: {} as AbortSignal }),
  },
  // Around it.
  {
    name: 'a lone surrogate in a key',
    param: 'key',
    run: ({ client }) => KS3.putObject(client, { bucket: b, key: lone, body: '' }),
  },
  {
    name: 'a lone surrogate in a copy source key',
    param: 'sourceKey',
    run: ({ client }) => KS3.copyObject(client, { bucket: b, key: k, sourceBucket: b, sourceKey: lone }),
  },
  {
    name: 'a lone surrogate in a metadata value',
    param: 'metadata',
    run: ({ client }) => KS3.putObject(client, { bucket: b, key: k, body: '', metadata: { a: lone } }),
  },
  {
    name: 'a line break in a caller header',
    param: 'header x-kss-meta-a',
    run: ({ client }) => KS3.headObject(client, { bucket: b, key: k, headers: { 'x-kss-meta-a': 'a\r\nInjected: 1' } }),
  },
  {
    name: 'a header name with a space',
    param: 'headers',
    run: ({ client }) => KS3.getObject(client, { bucket: b, key: k, headers: { 'x y': '1' } }),
  },
  {
    name: 'an authorization header from the caller',
    param: 'headers',
    run: ({ client }) => KS3.getObject(client, { bucket: b, key: k, headers: { authorization: 'KSS AK:forged=' } }),
  },
  {
    name: 'expiresIn: Infinity',
    param: 'expiresIn',
    run: ({ client }) => KS3.presignUrl(client, { bucket: b, key: k, expiresIn: Number.POSITIVE_INFINITY }),
  },
  {
    name: 'expires in milliseconds',
    param: 'expires',
    run: ({ client }) => KS3.presignUrl(client, { bucket: b, key: k, expires: Date.now() + 60_000 }),
  },
  {
    name: 'a range ending before it starts',
    param: 'range',
    run: ({ client }) => KS3.getObject(client, { bucket: b, key: k, range: { start: 9, end: 2 } }),
  },
  {
    name: 'a fractional range',
    param: 'range',
    run: ({ client }) => KS3.getObject(client, { bucket: b, key: k, range: { start: 0.5 } }),
  },
  {
    name: 'part number 10001',
    param: 'partNumber',
    run: ({ client }) => KS3.uploadPart(client, { bucket: b, key: k, uploadId: 'u', partNumber: 10_001, body: 'x' }),
  },
  {
    name: 'a body that is a number',
    param: 'body',
    run: ({ client }) => KS3.putObject(client, { bucket: b, key: k, body: 42 as unknown as string }),
  },
  {
    name: 'a size contradicting the body',
    param: 'size',
    run: ({ client }) => KS3.putObject(client, { bucket: b, key: k, body: 'abc', size: 2 }),
  },
  {
    name: 'a bucket in upper case',
    param: 'bucket',
    run: ({ client }) => KS3.getObject(client, { bucket: 'Catalogue', key: k }),
  },
  {
    name: 'a key with a .. segment',
    param: 'key',
    run: ({ client }) => KS3.deleteObject(client, { bucket: b, key: 'a/../b' }),
  },
  {
    name: 'a key of 1025 characters',
    param: 'key',
    run: ({ client }) => KS3.headObject(client, { bucket: b, key: 'k'.repeat(1025) }),
  },
  { name: 'options null', param: 'options', run: ({ client }) => KS3.headObject(client, null as never) },
  {
    name: 'a client that is a plain object',
    param: 'client',
    run: () => KS3.listObjects(anyClient({ host: 'x' }), { bucket: b }),
  },
  // Client options.
  {
    name: 'a security token with a line break',
    param: 'credentials',
    run: ({ make }) => make({ securityToken: 'tok\nen' }),
  },
  {
    name: 'an access key with a trailing newline',
    param: 'credentials',
    run: ({ make }) => make({ accessKeyId: 'AKLTx\n' }),
  },
  { name: 'a user agent with a line break', param: 'userAgent', run: ({ make }) => make({ userAgent: 'me\r\nX: y' }) },
  {
    name: 'an encryption key of 15 bytes',
    param: 'encryption.key',
    run: ({ make }) => make({ encryption: { key: 'fifteen-bytes!!' } }),
  },
  { name: 'retries: -1', param: 'retries', run: ({ make }) => make({ retries: -1 }) },
  { name: 'timeout: NaN', param: 'timeout', run: ({ make }) => make({ timeout: Number.NaN }) },
  { name: 'maxRetryAfter: -1', param: 'maxRetryAfter', run: ({ make }) => make({ maxRetryAfter: -1 }) },
  {
    name: 'an ftp endpoint',
    param: 'endpoint',
    run: () => KS3.createClient({ endpoint: 'ftp://ks3.test', anonymous: true }),
  },
  // Credentials from a provider, checked when a request is signed: never handed to fetch.
  {
    name: 'a provider token with a line break',
    error: 'Ks3CredentialsError',
    run: ({ make }) =>
      KS3.getObject(
        make({
          credentials: async () => ({
            accessKeyId: 'AKLTp',
            secretAccessKey: 'provider-secret',
            securityToken: 'a\nb',
          }),
        }),
        { bucket: b, key: k },
      ),
  },
  {
    name: 'a signer returning a header value with a line break',
    error: 'Ks3CredentialsError',
    run: ({ make }) =>
      KS3.getObject(
        make({
          signer: async (r) => ({ url: r.url, headers: { ...r.headers, authorization: 'KSS AK:sig\n' } }),
        }),
        { bucket: b, key: k },
      ),
  },
  // The upload manager and the Node helpers.
  {
    name: 'upload: partSize below 100 KB',
    param: 'partSize',
    run: ({ client }) => KS3.upload(client, { bucket: b, key: k, body: 'x', partSize: 1000 }),
  },
  {
    name: 'upload: concurrency 0',
    param: 'concurrency',
    run: ({ client }) => KS3.upload(client, { bucket: b, key: k, body: 'x', concurrency: 0 }),
  },
  {
    name: 'upload: onResumeMismatch unknown',
    param: 'onResumeMismatch',
    run: ({ client }) => KS3.upload(client, { bucket: b, key: k, body: 'x', onResumeMismatch: 'retry' as 'fail' }),
  },
  {
    name: 'upload: a checkpoint of a newer version',
    param: 'resume',
    run: ({ client }) =>
      KS3.upload(client, { bucket: b, key: k, body: 'x', resume: { version: 2 } as unknown as KS3.UploadCheckpoint }),
  },
  {
    name: 'getObjectToFile: resumes -1',
    param: 'resumes',
    run: ({ client }) => KS3.getObjectToFile(client, { bucket: b, key: k, path: join(tmpdir(), 'never'), resumes: -1 }),
  },
];
