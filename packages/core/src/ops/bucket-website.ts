/**
 * Static website hosting (`?website`): S3's WebsiteConfiguration, which KS3's SDK sends unchanged
 * (ks3sdklib/aws-sdk-go service/s3/api.go). Either every request redirects to another host, or
 * an index document (with an optional error document and routing rules) is served.
 */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { child, children, childText, type XmlNode } from '../xml.js';
import { configRequest } from './bucket-config-request.js';
import { type BucketOptions, checkText, type Ks3Result, target } from './common.js';
import { parseDocument } from './document.js';
import { xmlDocument, xmlElement } from './xml-body.js';

/** A routing rule: when `condition` holds (or always), redirect as `redirect` says. */
export interface WebsiteRoutingRule {
  condition?: { keyPrefixEquals?: string | undefined; httpErrorCodeReturnedEquals?: string | undefined } | undefined;
  redirect: {
    protocol?: 'http' | 'https' | undefined;
    hostName?: string | undefined;
    replaceKeyPrefixWith?: string | undefined;
    replaceKeyWith?: string | undefined;
    httpRedirectCode?: string | undefined;
  };
}

/** A bucket's website configuration: `redirectAllRequestsTo`, or `indexDocument` and the rest. */
export interface BucketWebsite {
  /** The suffix served for a directory request, e.g. `index.html`. */
  indexDocument?: string | undefined;
  /** The key served for a 4xx, e.g. `error.html`. */
  errorDocument?: string | undefined;
  routingRules?: readonly WebsiteRoutingRule[] | undefined;
  redirectAllRequestsTo?: { hostName: string; protocol?: 'http' | 'https' | undefined } | undefined;
}

/** Options of {@link putBucketWebsite}. */
export interface PutBucketWebsiteOptions extends BucketOptions {
  website: BucketWebsite;
}

/** What {@link getBucketWebsite} returns. */
export interface GetBucketWebsiteResult extends Ks3Result {
  website: BucketWebsite;
}

const ALL = { hostName: 'HostName', protocol: 'Protocol' };
const COND = { keyPrefixEquals: 'KeyPrefixEquals', httpErrorCodeReturnedEquals: 'HttpErrorCodeReturnedEquals' };
const REDIRECT = {
  protocol: 'Protocol',
  hostName: 'HostName',
  replaceKeyPrefixWith: 'ReplaceKeyPrefixWith',
  replaceKeyWith: 'ReplaceKeyWith',
  httpRedirectCode: 'HttpRedirectCode',
};

/** Element texts of the fields an object has, in the given order. */
function fields(
  o: Record<string, unknown>,
  names: Record<string, string>,
  param: string,
  ctx: Ks3ErrorContext,
): string {
  let xml = '';
  for (const [prop, name] of Object.entries(names))
    if (o[prop] !== undefined) xml += xmlElement(name, checkText(`${param}.${prop}`, o[prop], ctx, false));
  return xml;
}

/**
 * The request document, checked.
 * @throws {Ks3InputError}
 */
export function buildWebsiteXml(w: BucketWebsite, ctx: Ks3ErrorContext): string {
  if (typeof w !== 'object' || w === null) throw new Ks3InputError('website', 'must be an object', ctx);
  const wrap = (inner: string) => xmlDocument('WebsiteConfiguration', inner);
  const protocol = (p: unknown, param: string) => {
    if (p !== undefined && p !== 'http' && p !== 'https')
      throw new Ks3InputError(param, "must be 'http' or 'https'", ctx);
  };
  if (w.redirectAllRequestsTo !== undefined) {
    if (w.indexDocument !== undefined || w.errorDocument !== undefined || w.routingRules !== undefined)
      throw new Ks3InputError('website', 'redirectAllRequestsTo cannot be combined with the other fields', ctx);
    const r = w.redirectAllRequestsTo;
    protocol(r?.protocol, 'website.redirectAllRequestsTo.protocol');
    if (typeof r?.hostName !== 'string' || !r.hostName)
      throw new Ks3InputError('website.redirectAllRequestsTo.hostName', 'must be a non-empty string', ctx);
    return wrap(
      `<RedirectAllRequestsTo>${fields(r, ALL, 'website.redirectAllRequestsTo', ctx)}</RedirectAllRequestsTo>`,
    );
  }
  const index = checkText('website.indexDocument', w.indexDocument, ctx, false);
  if (index.includes('/')) throw new Ks3InputError('website.indexDocument', "is a suffix: it cannot contain '/'", ctx);
  let xml = `<IndexDocument>${xmlElement('Suffix', index)}</IndexDocument>`;
  if (w.errorDocument !== undefined) {
    const key = checkText('website.errorDocument', w.errorDocument, ctx, false);
    xml += `<ErrorDocument>${xmlElement('Key', key)}</ErrorDocument>`;
  }
  if (w.routingRules !== undefined) {
    if (!Array.isArray(w.routingRules) || !w.routingRules.length)
      throw new Ks3InputError('website.routingRules', 'must be a non-empty array when given', ctx);
    const rules = w.routingRules.map((r, i) => {
      const at = `website.routingRules[${i}]`;
      if (typeof r?.redirect !== 'object' || r.redirect === null)
        throw new Ks3InputError(`${at}.redirect`, 'is required', ctx);
      protocol(r.redirect.protocol, `${at}.redirect.protocol`);
      if (r.redirect.replaceKeyPrefixWith !== undefined && r.redirect.replaceKeyWith !== undefined)
        throw new Ks3InputError(`${at}.redirect`, 'holds replaceKeyPrefixWith or replaceKeyWith, not both', ctx);
      const redirect = fields(r.redirect, REDIRECT, `${at}.redirect`, ctx);
      if (!redirect) throw new Ks3InputError(`${at}.redirect`, 'must not be empty', ctx);
      const cond = r.condition === undefined ? '' : fields(r.condition, COND, `${at}.condition`, ctx);
      const condition = cond ? `<Condition>${cond}</Condition>` : '';
      return `<RoutingRule>${condition}<Redirect>${redirect}</Redirect></RoutingRule>`;
    });
    xml += `<RoutingRules>${rules.join('')}</RoutingRules>`;
  }
  return wrap(xml);
}

/** Reads the fields named in `names` (property → element) that the element has. */
function read(node: XmlNode | undefined, names: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [prop, name] of Object.entries(names)) {
    const v = childText(node, name);
    if (v !== undefined) out[prop] = v;
  }
  return out;
}

/** Parses a `WebsiteConfiguration` root element. */
export function parseWebsite(root: XmlNode): BucketWebsite {
  const all = child(root, 'RedirectAllRequestsTo');
  if (all)
    return {
      redirectAllRequestsTo: read(all, {
        hostName: 'HostName',
        protocol: 'Protocol',
      }) as BucketWebsite['redirectAllRequestsTo'],
    };
  const w: BucketWebsite = {};
  const index = childText(child(root, 'IndexDocument'), 'Suffix');
  if (index !== undefined) w.indexDocument = index;
  const error = childText(child(root, 'ErrorDocument'), 'Key');
  if (error !== undefined) w.errorDocument = error;
  const rules = children(child(root, 'RoutingRules'), 'RoutingRule').map((r) => {
    const cond = child(r, 'Condition');
    return {
      ...(cond ? { condition: read(cond, COND) } : {}),
      redirect: read(child(r, 'Redirect'), REDIRECT) as WebsiteRoutingRule['redirect'],
    };
  });
  if (rules.length) w.routingRules = rules;
  return w;
}

/**
 * Replaces a bucket's website configuration.
 * @throws {Ks3InputError} for a configuration KS3 would refuse (no index document, both kinds, …).
 * @example
 * await putBucketWebsite(client, { bucket, website: { indexDocument: 'index.html', errorDocument: '404.html' } });
 */
export async function putBucketWebsite(client: Client, o: PutBucketWebsiteOptions): Promise<Ks3Result> {
  const ctx = target('PutBucketWebsite', client, o, false);
  const text = buildWebsiteXml(o.website, ctx);
  const res = await configRequest(client, ctx, o, 'PUT', 'website', { text, contentType: 'application/xml' });
  return { requestId: res.requestId };
}

/**
 * Reads a bucket's website configuration.
 * @throws {Ks3ServiceError} `NoSuchWebsiteConfiguration` (404) when it has none.
 */
export async function getBucketWebsite(client: Client, o: BucketOptions): Promise<GetBucketWebsiteResult> {
  const ctx = target('GetBucketWebsite', client, o, false);
  const res = await configRequest(client, ctx, o, 'GET', 'website');
  return { website: parseWebsite(await parseDocument(res, 'WebsiteConfiguration', ctx)), requestId: res.requestId };
}

/** Removes a bucket's website configuration. */
export async function deleteBucketWebsite(client: Client, o: BucketOptions): Promise<Ks3Result> {
  const ctx = target('DeleteBucketWebsite', client, o, false);
  return { requestId: (await configRequest(client, ctx, o, 'DELETE', 'website')).requestId };
}
