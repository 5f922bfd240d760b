// @ts-check
/**
 * GET / PUT / DELETE of the bucket configuration sub-resources (cors, lifecycle, policy,
 * website, encryption, crr, mirror): validated on PUT, stored in bucket.json, answered back
 * on GET, removed on DELETE (204, also when there was none, as S3 does). Only the bucket owner
 * (or whoever the bucket policy allows) may touch them.
 */
import { createHash } from 'node:crypto';
import { bodyText, contentMd5, readSmallBody } from '../body.js';
import { CONFIG_KINDS, CONFIG_OPS } from '../config/kinds.js';
import { configError } from '../config/errors.js';
import { Ks3Error } from '../errors.js';
import { send } from '../respond.js';
import { XML_DECL } from '../xml.js';
import { XmlSyntaxError, parseXml } from '../xml-parse.js';
import { requireBucket } from './access.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../config/kinds.js').ConfigKind} ConfigKind */

/**
 * The configuration operation of a bucket-level request, if it names a configuration
 * sub-resource.
 * @param {string} method
 * @param {(name: string) => boolean} has
 * @returns {string | undefined}
 * @throws {Ks3Error} MethodNotAllowed for another method
 */
export function resolveConfigOp(method, has) {
  for (const kind of CONFIG_KINDS.values()) {
    if (!has(kind.query)) continue;
    const verb = { GET: 'Get', PUT: 'Put', DELETE: 'Delete' }[method];
    if (!verb) throw new Ks3Error('MethodNotAllowed');
    return `${verb}Bucket${kind.name}`;
  }
  return undefined;
}

/** True when a request on an object names a configuration sub-resource. @param {(name: string) => boolean} has */
export function namesConfig(has) {
  return [...CONFIG_KINDS.keys()].some(has);
}

/** @param {Ctx} ctx */
function kindOf(ctx) {
  const kind = CONFIG_OPS.get(ctx.op);
  if (!kind) throw new Error(`not a configuration operation: ${ctx.op}`);
  return kind;
}

/**
 * The stored configuration of one kind, or undefined.
 * @param {import('../store/types.js').BucketState} bucket
 * @param {string} query the sub-resource name
 */
export function storedConfig(bucket, query) {
  return bucket.info.config?.[query];
}

/** @param {Ctx} ctx */
export function getBucketConfig(ctx) {
  const kind = kindOf(ctx);
  const value = storedConfig(requireBucket(ctx, 'OWNER'), kind.query);
  if (value === undefined) throw configError(kind.missing, undefined, { extra: { BucketName: ctx.target.bucket } });
  const body = kind.format === 'xml' ? XML_DECL + kind.render(value) : kind.render(value);
  send(ctx, 200, { 'content-type': kind.format === 'xml' ? 'application/xml' : 'application/json' }, body);
}

/**
 * Reads the body with its Content-MD5 checked (required where KS3 documents it).
 * @param {Ctx} ctx
 * @param {ConfigKind} kind
 */
async function readConfigBody(ctx, kind) {
  const expected = contentMd5(ctx);
  if (!expected && kind.md5Required)
    throw new Ks3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
  const body = await readSmallBody(ctx, kind.maxBody, 'InvalidArgument');
  if (expected) {
    const actual = createHash('md5').update(body).digest();
    if (!actual.equals(expected))
      throw new Ks3Error('BadDigest', undefined, {
        extra: { ExpectedDigest: expected.toString('base64'), CalculatedDigest: actual.toString('base64') },
      });
  }
  return bodyText(body);
}

/** @param {Ctx} ctx */
export async function putBucketConfig(ctx) {
  const kind = kindOf(ctx);
  requireBucket(ctx, 'OWNER');
  const body = await readConfigBody(ctx, kind);
  let input;
  if (kind.format === 'xml') {
    if (body.trim() === '') throw new Ks3Error('MalformedXML', 'The request body is empty.');
    try {
      input = parseXml(body);
    } catch (err) {
      if (err instanceof XmlSyntaxError)
        throw new Ks3Error('MalformedXML', `${new Ks3Error('MalformedXML').message} (${err.message})`);
      throw err;
    }
  } else input = body;
  const value = kind.parse(input, ctx);
  await ctx.env.store.updateBucket(ctx.target.bucket, (info) => ({
    ...info,
    config: { ...info.config, [kind.query]: value },
  }));
  send(ctx, kind.putStatus);
}

/** @param {Ctx} ctx */
export async function deleteBucketConfig(ctx) {
  const kind = kindOf(ctx);
  requireBucket(ctx, 'OWNER');
  await ctx.env.store.updateBucket(ctx.target.bucket, (info) => {
    const { [kind.query]: _removed, ...rest } = info.config ?? {};
    return { ...info, config: rest };
  });
  send(ctx, 204);
}
