// @ts-check
/**
 * POST Object: browser form uploads (KS3 V2, docs.ksyun.com/documents/42322). `POST /bucket` (or
 * `POST /` on a virtual host) with multipart/form-data fields `key` (`${filename}` is replaced by
 * the file's name), `KSSAccessKeyId` (or `AWSAccessKeyId`), `Policy`, `Signature`, `acl`,
 * Cache-Control / Content-Type / Content-Disposition / Content-Encoding / Expires, `x-kss-meta-*`,
 * other `x-kss-*` (storage class, server-side encryption, security token, upload callback),
 * `success_action_status` / `success_action_redirect`, then `file`; fields after the file are
 * ignored. The fields before the file may total MAX_PRE_DATA bytes; the file is streamed to
 * disk. A signed form acts as its key's identity (policy.js checks the signature, expiry and
 * every condition); a form without KSSAccessKeyId is anonymous and needs a bucket policy
 * allowing it (anonymous requests only read, §2.8). The body takes an upload slot
 * (`maxConcurrentUploads`) and follows the connection timeouts like any other upload.
 * Success: 204 by default (KS3 changed it from 200, DOC 42968), 200 or 201 (with PostResponse
 * XML) per `success_action_status`, or 303 to `success_action_redirect` with `bucket`, `key` and
 * `etag` appended.
 */
import { cannedAcl } from '../acl.js';
import { bodyFailure, bodySource } from '../body.js';
import { callbackRequest, invokeCallback } from '../callback.js';
import { configError } from '../config/errors.js';
import { Ks3Error } from '../errors.js';
import { lastHeader } from '../headers.js';
import { MAX_OBJECT_SIZE } from '../limits.js';
import { enforceBucketPolicy } from '../policy/enforce.js';
import { enforceSessionPolicy } from '../policy/session.js';
import { FormReader, formBoundary } from '../post/form.js';
import { checkPostPolicy, decodePostPolicy, postSignatureMatches } from '../post/policy.js';
import { encodeUrlValue } from '../query.js';
import { checkToken } from '../sessions.js';
import { send, sendXml } from '../respond.js';
import { unlinkQuiet, writeHashed } from '../store/fsx.js';
import { el, text } from '../xml.js';
import { actingOwner, existingBucket, requireBucket } from './access.js';
import { STORED_HEADERS, checkKey, storageClass, userMetadata } from './object-attrs.js';

/** Bytes of the form before the file (S3's figure; KS3 documents none). */
export const MAX_PRE_DATA = 20 * 1024;

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../post/form.js').Part} Part */

/** @param {string} message */
const invalid = (message) => new Ks3Error('InvalidArgument', message);
/** @param {string} field */
const missingField = (field) =>
  invalid(
    `Bucket POST must contain a field named '${field}'. If it is specified, please check the order of the fields.`,
  );

/**
 * Reads the fields before the file.
 * @param {AsyncIterable<Buffer>} body
 * @param {string} boundary
 * @returns {Promise<{ reader: FormReader, fields: Map<string, string>, file: Part | undefined }>}
 */
async function readFields(body, boundary) {
  const reader = new FormReader(body, boundary);
  /** @type {Map<string, string>} */
  const fields = new Map();
  const tooLarge = () => configError('MaxPostPreDataLengthExceeded');
  for (;;) {
    const part = await reader.next();
    if (reader.consumed > MAX_PRE_DATA) throw tooLarge();
    if (!part) return { reader, fields, file: undefined };
    const name = part.name.toLowerCase();
    if (name === 'file') return { reader, fields, file: part };
    if (fields.has(name)) throw invalid(`The form field ${part.name} appears more than once.`);
    fields.set(name, await reader.text(MAX_PRE_DATA - reader.consumed, tooLarge));
  }
}

/**
 * The identity and policy of a signed form; undefined for an anonymous one.
 * @param {Ctx} ctx
 * @param {Map<string, string>} fields
 * @throws {Ks3Error} InvalidArgument, InvalidAccessKeyId, SignatureDoesNotMatch, InvalidToken,
 *   ExpiredToken, InvalidPolicyDocument
 */
function authenticateForm(ctx, fields) {
  const accessKeyId = fields.get('kssaccesskeyid') ?? fields.get('awsaccesskeyid');
  const policy = fields.get('policy');
  const signature = fields.get('signature');
  if (accessKeyId === undefined && policy === undefined && signature === undefined) return undefined;
  if (accessKeyId === undefined) throw missingField('KSSAccessKeyId');
  if (policy === undefined) throw missingField('Policy');
  if (signature === undefined) throw missingField('Signature');
  const credential = ctx.env.lookup(accessKeyId);
  if (!credential) throw new Ks3Error('InvalidAccessKeyId', undefined, { extra: { KSSAccessKeyId: accessKeyId } });
  if (!postSignatureMatches(credential.secretAccessKey, policy, signature)) {
    // The string signed is the Base64 policy (not secret); the expected signature is never shown.
    throw new Ks3Error('SignatureDoesNotMatch', undefined, {
      extra: { KSSAccessKeyId: accessKeyId, StringToSign: policy, SignatureProvided: signature },
    });
  }
  // Temporary credentials: the token must be the session's and the session unexpired (wall clock).
  checkToken(credential, fields.get('x-kss-security-token'), ctx.env.clock.wallNow());
  return { credential, policy: decodePostPolicy(policy) };
}

/**
 * What the object stores besides its bytes, from the form.
 * @param {Ctx} ctx
 * @param {import('../store/types.js').BucketState} bucket
 * @param {Map<string, string>} fields
 * @param {Part} file
 * @returns {import('../store/types.js').ObjectAttrs}
 */
function attrsFromForm(ctx, bucket, fields, file) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (const name of STORED_HEADERS) {
    const v = fields.get(name);
    if (v) headers[name] = v;
  }
  const owner = actingOwner(ctx, bucket);
  const canned = fields.get('acl');
  const sse = ctx.kss.get('x-kss-server-side-encryption');
  if (sse !== undefined && sse !== 'AES256') throw invalid('x-kss-server-side-encryption must be AES256.');
  return {
    contentType: fields.get('content-type') || file.contentType || 'application/octet-stream',
    headers,
    meta: userMetadata(ctx.kss),
    storageClass: storageClass(ctx.kss),
    acl: canned === undefined ? null : cannedAcl(canned, owner),
    ownerId: owner.id,
    sse: sse ?? null,
  };
}

/**
 * The file's chunks, refused once they exceed `max` bytes.
 * @param {AsyncIterable<Buffer>} chunks
 * @param {number} max
 */
async function* atMost(chunks, max) {
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > max) throw new Ks3Error('EntityTooLarge', undefined, { extra: { MaxSizeAllowed: String(max) } });
    yield chunk;
  }
}

/**
 * The object's URL as the client addressed the bucket.
 * @param {Ctx} ctx
 * @param {string} key
 */
function objectUrl(ctx, key) {
  const base = ctx.target.style === 'path' ? `/${ctx.target.bucket}` : '';
  return `http://${ctx.req.headers.host ?? '127.0.0.1'}${base}/${encodeUrlValue(key)}`;
}

/**
 * Who may write with this form: a signed form acts as its key's identity (its session policy,
 * ACLs and the bucket policy); an anonymous one only where the bucket policy allows it, since anonymous requests
 * may only read (§2.8) — a public-read-write ACL is not enough.
 * @param {Ctx} ctx
 * @param {boolean} signed
 * @throws {Ks3Error} AccessDenied
 */
function authorizeForm(ctx, signed) {
  enforceSessionPolicy(ctx);
  enforceBucketPolicy(ctx);
  if (!signed && ctx.policyDecision !== 'allow')
    throw new Ks3Error('AccessDenied', 'Anonymous access is not allowed for this operation.');
  requireBucket(ctx, 'WRITE');
}

/** @param {Ctx} ctx */
export async function postObject(ctx) {
  const boundary = formBoundary(lastHeader(ctx.req.rawHeaders, 'content-type'));
  if (boundary === undefined)
    throw new Ks3Error('PreconditionFailed', 'Bucket POST must be of the enclosure-type multipart/form-data.', {
      extra: { Condition: 'Bucket POST must be of the enclosure-type-multipart/form-data' },
    });
  const bucket = existingBucket(ctx);
  // The same bound, timeouts and failure mapping as every other upload body (body.js).
  const release = ctx.env.uploads.acquire();
  const source = bodySource(ctx);
  const tmp = ctx.env.store.tmpPath();
  try {
    const { reader, fields, file } = await readFields(source.chunks, boundary).catch((err) => {
      throw bodyFailure(ctx, source, err);
    });
    const rawKey = fields.get('key');
    if (!file) throw invalid('POST requires exactly one file upload per request.');
    if (rawKey === undefined) throw missingField('key');
    const signed = authenticateForm(ctx, fields);
    ctx.credential = signed?.credential ?? null;
    const range = signed
      ? checkPostPolicy(signed.policy, fields, bucket.info.name, ctx.env.clock.wallNow())
      : { min: 0, max: MAX_OBJECT_SIZE };
    const key = rawKey.replaceAll('${filename}', file.filename ?? '');
    if (key === '') throw invalid('User key must have a length greater than 0.');
    checkKey(key);
    ctx.target = { ...ctx.target, key };
    authorizeForm(ctx, signed !== undefined);
    ctx.kss = new Map([...fields].filter(([name]) => name.startsWith('x-kss-')));
    const attrs = attrsFromForm(ctx, bucket, fields, file);
    const callback = callbackRequest(ctx);
    const max = Math.min(range.max, MAX_OBJECT_SIZE);
    const { size, md5 } = await writeHashed(atMost(reader.chunks(), max), tmp, ctx.diskError).catch((err) => {
      throw bodyFailure(ctx, source, err);
    });
    if (size < range.min)
      throw new Ks3Error('EntityTooSmall', undefined, {
        extra: { ProposedSize: String(size), MinSizeAllowed: String(range.min) },
      });
    await finishBody(ctx, source, reader);
    release();
    const lastModified = ctx.env.now();
    const facts = { bucket: bucket.info.name, key, md5, size, mimeType: attrs.contentType, createTime: lastModified };
    const reply = callback ? await invokeCallback(ctx, callback, facts) : undefined;
    const meta = await ctx.env.store.commitObject(bucket.info.name, tmp, {
      ...attrs,
      key,
      size,
      etag: md5.toString('hex'),
      lastModified,
    });
    respond(ctx, fields, key, `"${meta.etag}"`, reply);
  } finally {
    release();
    await unlinkQuiet(tmp);
  }
}

/**
 * Reads what follows the file (ignored fields), at most 64 KiB, or up to 8 MiB when a V4
 * signature declared the payload's SHA-256, which is then checked over the whole body.
 * @param {Ctx} ctx
 * @param {import('../body.js').BodySource} source
 * @param {FormReader} reader
 * @throws {Ks3Error} IncompleteBody, InvalidRequest, XAmzContentSHA256Mismatch
 */
async function finishBody(ctx, source, reader) {
  const hashed = ctx.auth.payloadSha256 !== undefined;
  const complete = await reader.drain(hashed ? 8 * 1024 * 1024 : 64 * 1024).catch((err) => {
    throw bodyFailure(ctx, source, err);
  });
  if (!hashed) return;
  if (!complete)
    throw new Ks3Error('InvalidRequest', 'Too much data follows the file to check the declared payload SHA-256.');
  source.checkSha256();
}

/**
 * @param {Ctx} ctx
 * @param {Map<string, string>} fields
 * @param {string} key
 * @param {string} etag quoted
 * @param {Buffer | undefined} reply the callback server's answer
 */
function respond(ctx, fields, key, etag, reply) {
  const location = objectUrl(ctx, key);
  const headers = { etag, location };
  if (reply) {
    send(ctx, 200, { ...headers, 'content-type': 'application/json' }, reply);
    return;
  }
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect && /^https?:\/\//i.test(redirect) && URL.canParse(redirect)) {
    const query = [
      `bucket=${encodeURIComponent(ctx.target.bucket)}`,
      `key=${encodeURIComponent(key)}`,
      `etag=${encodeURIComponent(etag)}`,
    ].join('&');
    send(ctx, 303, { ...headers, location: `${redirect}${redirect.includes('?') ? '&' : '?'}${query}` });
    return;
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    const xml = el('PostResponse', [
      text('Location', location),
      text('Bucket', ctx.target.bucket),
      text('Key', key),
      text('ETag', etag),
    ]);
    sendXml(ctx, 201, xml, headers);
  } else send(ctx, status === '200' ? 200 : 204, headers);
}
