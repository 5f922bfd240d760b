/**
 * Bucket CORS (`?cors`, docs.ksyun.com/documents/42312; ks3-v4.md §4.2): KS3's
 * `CORSConfiguration` with flattened rules and its own `NonCrossOriginResponseVary`, at most 100
 * rules, sent with a Content-MD5.
 */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { children, childText, text, type XmlNode } from '../xml.js';
import { configRequest } from './bucket-config-request.js';
import { type BucketOptions, checkText, type Ks3Result, target } from './common.js';
import { parseDocument } from './document.js';
import { xmlDocument, xmlElement } from './xml-body.js';

/** Methods a CORS rule may allow. */
export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;
/** A method a CORS rule may allow. */
export type CorsMethod = (typeof CORS_METHODS)[number];
/** The most rules a bucket may hold. */
export const MAX_CORS_RULES = 100;

/** One CORS rule: the first rule matching a request's origin and method answers it. */
export interface CorsRule {
  /** At most 255 characters. */
  id?: string | undefined;
  /** Origins, each with at most one `*` (e.g. `https://*.example.com`, or `*`). */
  allowedOrigins: readonly string[];
  allowedMethods: readonly CorsMethod[];
  /** Request headers a preflight may ask for, each with at most one `*`. */
  allowedHeaders?: readonly string[] | undefined;
  /** Response headers a page may read (e.g. `ETag`, `x-kss-request-id`). */
  exposeHeaders?: readonly string[] | undefined;
  /** How long a browser may cache a preflight answer. */
  maxAgeSeconds?: number | undefined;
}

/** A bucket's CORS configuration. */
export interface BucketCors {
  rules: CorsRule[];
  /** KS3: answer `Vary: Origin` to requests without an Origin too (for caches in front of KS3). */
  nonCrossOriginResponseVary?: boolean | undefined;
}

/** Options of {@link putBucketCors}. */
export interface PutBucketCorsOptions extends BucketOptions {
  /** 1 to 100 rules; they replace the bucket's current ones. */
  rules: readonly CorsRule[];
  nonCrossOriginResponseVary?: boolean | undefined;
}

/** What {@link getBucketCors} returns. */
export interface GetBucketCorsResult extends Ks3Result, BucketCors {}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function list(value: unknown, param: string, ctx: Ks3ErrorContext, oneStar: boolean, required: boolean): string[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || (required && value.length === 0))
    throw new Ks3InputError(param, required ? 'must be a non-empty array' : 'must be an array', ctx);
  return value.map((v, i) => {
    const s = checkText(`${param}[${i}]`, v, ctx, false);
    if (oneStar && s.split('*').length > 2) throw new Ks3InputError(`${param}[${i}]`, 'may hold at most one *', ctx);
    return s;
  });
}

const seconds = (param: string, v: unknown, ctx: Ks3ErrorContext): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1)
    throw new Ks3InputError(param, 'must be a whole number of seconds', ctx);
  return v;
};

function ruleXml(r: CorsRule, i: number, ctx: Ks3ErrorContext): string {
  const at = `rules[${i}]`;
  if (typeof r !== 'object' || r === null) throw new Ks3InputError(at, 'must be a rule object', ctx);
  let xml = '';
  if (r.id !== undefined) {
    const id = checkText(`${at}.id`, r.id, ctx, false);
    if (id.length > 255) throw new Ks3InputError(`${at}.id`, 'is over 255 characters', ctx);
    xml += xmlElement('ID', id);
  }
  for (const o of list(r.allowedOrigins, `${at}.allowedOrigins`, ctx, true, true))
    xml += xmlElement('AllowedOrigin', o);
  for (const m of list(r.allowedMethods, `${at}.allowedMethods`, ctx, false, true)) {
    if (!CORS_METHODS.includes(m as CorsMethod))
      throw new Ks3InputError(
        `${at}.allowedMethods`,
        `${JSON.stringify(m)} is not one of ${CORS_METHODS.join(', ')}`,
        ctx,
      );
    xml += xmlElement('AllowedMethod', m);
  }
  for (const h of list(r.allowedHeaders, `${at}.allowedHeaders`, ctx, true, false))
    xml += xmlElement('AllowedHeader', h);
  for (const h of list(r.exposeHeaders, `${at}.exposeHeaders`, ctx, false, false)) {
    if (!TOKEN.test(h))
      throw new Ks3InputError(`${at}.exposeHeaders`, `${JSON.stringify(h)} is not a header name`, ctx);
    xml += xmlElement('ExposeHeader', h);
  }
  if (r.maxAgeSeconds !== undefined)
    xml += xmlElement('MaxAgeSeconds', seconds(`${at}.maxAgeSeconds`, r.maxAgeSeconds, ctx));
  return `<CORSRule>${xml}</CORSRule>`;
}

/**
 * The request document, every rule checked first.
 * @throws {Ks3InputError}
 */
export function buildCorsXml(
  c: { rules: readonly CorsRule[]; nonCrossOriginResponseVary?: unknown },
  ctx: Ks3ErrorContext,
): string {
  if (!Array.isArray(c.rules) || c.rules.length === 0)
    throw new Ks3InputError('rules', 'must hold at least one rule', ctx);
  if (c.rules.length > MAX_CORS_RULES)
    throw new Ks3InputError('rules', `holds ${c.rules.length} rules; KS3 allows ${MAX_CORS_RULES}`, ctx);
  const vary = c.nonCrossOriginResponseVary;
  if (vary !== undefined && typeof vary !== 'boolean')
    throw new Ks3InputError('nonCrossOriginResponseVary', 'must be a boolean', ctx);
  const rules = c.rules.map((r, i) => ruleXml(r, i, ctx)).join('');
  const tail = vary === undefined ? '' : xmlElement('NonCrossOriginResponseVary', vary);
  return xmlDocument('CORSConfiguration', rules + tail);
}

/** Parses a `CORSConfiguration` root element. */
export function parseCors(root: XmlNode): BucketCors {
  const texts = (n: XmlNode, name: string): string[] => children(n, name).map((c) => text(c));
  const rules = children(root, 'CORSRule').map((n) => {
    const rule: CorsRule = {
      allowedOrigins: texts(n, 'AllowedOrigin'),
      allowedMethods: texts(n, 'AllowedMethod') as CorsMethod[],
      allowedHeaders: texts(n, 'AllowedHeader'),
      exposeHeaders: texts(n, 'ExposeHeader'),
    };
    const id = childText(n, 'ID');
    if (id) rule.id = id;
    const age = childText(n, 'MaxAgeSeconds');
    if (age !== undefined && age.trim() !== '') rule.maxAgeSeconds = Number(age);
    return rule;
  });
  const vary = childText(root, 'NonCrossOriginResponseVary');
  return vary === undefined ? { rules } : { rules, nonCrossOriginResponseVary: vary.trim() === 'true' };
}

/**
 * Replaces a bucket's CORS rules (browsers on other origins need one allowing their methods and
 * headers, and exposing `ETag`).
 * @throws {Ks3InputError} for no rules, more than 100, or a malformed rule, before any request.
 * @example
 * await putBucketCors(client, {
 *   bucket,
 *   rules: [
 *     { allowedOrigins: ['https://app.example.com'], allowedMethods: ['GET', 'PUT'], exposeHeaders: ['ETag'] },
 *   ],
 * });
 */
export async function putBucketCors(client: Client, o: PutBucketCorsOptions): Promise<Ks3Result> {
  const ctx = target('PutBucketCors', client, o, false);
  const text = buildCorsXml(o, ctx);
  const res = await configRequest(client, ctx, o, 'PUT', 'cors', { text, contentType: 'application/xml' });
  return { requestId: res.requestId };
}

/**
 * Reads a bucket's CORS rules.
 * @throws {Ks3ServiceError} `NoSuchCORSConfiguration` (404) when it has none.
 */
export async function getBucketCors(client: Client, o: BucketOptions): Promise<GetBucketCorsResult> {
  const ctx = target('GetBucketCors', client, o, false);
  const res = await configRequest(client, ctx, o, 'GET', 'cors');
  return { ...parseCors(await parseDocument(res, 'CORSConfiguration', ctx)), requestId: res.requestId };
}

/** Removes a bucket's CORS rules (cross-origin requests are then refused). */
export async function deleteBucketCors(client: Client, o: BucketOptions): Promise<Ks3Result> {
  const ctx = target('DeleteBucketCors', client, o, false);
  return { requestId: (await configRequest(client, ctx, o, 'DELETE', 'cors')).requestId };
}
