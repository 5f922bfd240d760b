// @ts-check
/**
 * The bucket configuration sub-resources, one entry each: the query name, the operation names
 * (`Get/Put/DeleteBucket<Name>`), the body format and limits, how a body is validated and how
 * the stored value is answered. ops/bucket-config.js serves them all the same way.
 */
import { MAX_XML_BODY } from '../limits.js';
import { parsePolicy } from '../policy/parse.js';
import { CORS_MAX_BODY, corsXml, parseCorsXml } from './cors-xml.js';
import { crrXml, parseCrrXml } from './crr-xml.js';
import { encryptionXml, parseEncryptionXml } from './encryption-xml.js';
import { lifecycleXml, parseLifecycleXml } from './lifecycle-xml.js';
import { mirrorJson, parseMirrorJson } from './mirror-json.js';
import { parseWebsiteXml, websiteXml } from './website-xml.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../xml-parse.js').XmlElement} XmlElement */

/**
 * @typedef {object} ConfigKind
 * @property {string} query the sub-resource (`cors`, `lifecycle`, ...)
 * @property {string} name operation suffix: GetBucket<name>, PutBucket<name>, DeleteBucket<name>
 * @property {'xml' | 'json'} format
 * @property {number} maxBody bytes
 * @property {boolean} md5Required KS3 documents Content-MD5 as required
 * @property {string} missing error code when the bucket has none
 * @property {number} putStatus
 * @property {(input: any, ctx: Ctx) => unknown} parse an XmlElement (xml) or the body text (json);
 *   returns the value stored in bucket.json, throws a Ks3Error naming the fault
 * @property {(value: any) => string} render the GET body
 */

/** @type {ConfigKind[]} */
const KINDS = [
  {
    query: 'cors',
    name: 'Cors',
    format: 'xml',
    maxBody: CORS_MAX_BODY,
    md5Required: true,
    missing: 'NoSuchCORSConfiguration',
    putStatus: 200,
    parse: parseCorsXml,
    render: corsXml,
  },
  {
    query: 'lifecycle',
    name: 'Lifecycle',
    format: 'xml',
    maxBody: MAX_XML_BODY,
    md5Required: true,
    missing: 'NoSuchLifecycleConfiguration',
    putStatus: 200,
    parse: parseLifecycleXml,
    render: lifecycleXml,
  },
  {
    query: 'policy',
    name: 'Policy',
    format: 'json',
    // S3's limit; KS3 documents none.
    maxBody: 20 * 1024,
    md5Required: false,
    missing: 'NoSuchBucketPolicy',
    putStatus: 204,
    // The text is kept as sent (GET answers it verbatim), the parsed form is what is enforced.
    parse: (text, ctx) => ({
      raw: text,
      policy: parsePolicy(text, { requirePrincipal: true, bucket: ctx.target.bucket }),
    }),
    render: (stored) => stored.raw,
  },
  // Stored and validated only (README): website, default encryption, replication, mirror.
  {
    query: 'website',
    name: 'Website',
    format: 'xml',
    maxBody: MAX_XML_BODY,
    md5Required: false,
    missing: 'NoSuchWebsiteConfiguration',
    putStatus: 200,
    parse: parseWebsiteXml,
    render: websiteXml,
  },
  {
    query: 'encryption',
    name: 'Encryption',
    format: 'xml',
    maxBody: MAX_XML_BODY,
    md5Required: false,
    missing: 'ServerSideEncryptionConfigurationNotFoundError',
    putStatus: 200,
    parse: parseEncryptionXml,
    render: encryptionXml,
  },
  {
    query: 'crr',
    name: 'Replication',
    format: 'xml',
    maxBody: MAX_XML_BODY,
    md5Required: false,
    missing: 'ReplicationConfigurationNotFoundError',
    putStatus: 200,
    parse: parseCrrXml,
    render: crrXml,
  },
  {
    query: 'mirror',
    name: 'Mirror',
    format: 'json',
    maxBody: 64 * 1024,
    md5Required: false,
    missing: 'NoSuchMirrorConfiguration',
    putStatus: 200,
    parse: parseMirrorJson,
    render: mirrorJson,
  },
];

/** Sub-resource → kind. */
export const CONFIG_KINDS = new Map(KINDS.map((k) => [k.query, k]));

/** Operation name → kind. */
export const CONFIG_OPS = new Map(
  KINDS.flatMap((k) => ['Get', 'Put', 'Delete'].map((verb) => [`${verb}Bucket${k.name}`, k])),
);
