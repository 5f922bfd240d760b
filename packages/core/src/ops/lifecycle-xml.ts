/**
 * Lifecycle rules: types, local checks and KS3's `LifecycleConfiguration` XML both ways
 * (docs.ksyun.com/documents/42296; ks3sdklib/aws-sdk-go service/s3/lifecycle.go). A filter's
 * tags go inside `And`, as KS3 requires.
 */
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { checkCount } from '../validate.js';
import { child, children, childText, type XmlNode } from '../xml.js';
import { checkText } from './common.js';
import { checkTags, type Tags } from './tags.js';
import { xmlDocument, xmlElement } from './xml-body.js';

/** Storage classes a transition may move objects to (ks3sdklib/aws-sdk-go service/s3/const.go). */
export const TRANSITION_STORAGE_CLASSES = [
  'STANDARD_IA',
  'DEEP_IA',
  'ARCHIVE',
  'COLD_ARCHIVE',
  'DEEP_COLD_ARCHIVE',
] as const;
/** A storage class a lifecycle transition may name. */
export type TransitionStorageClass = (typeof TRANSITION_STORAGE_CLASSES)[number];

/** When an action applies: days after the object's last change, or from a date (ISO 8601 with a zone). */
export type LifecycleTime = { days: number; date?: undefined } | { date: string | Date; days?: undefined };

/** Which objects a rule selects; omitted or empty: every object. */
export interface LifecycleFilter {
  prefix?: string | undefined;
  /** Objects carrying all these tags (not with `abortIncompleteMultipartUpload`: uploads have no tags). */
  tags?: Tags | undefined;
  objectSizeGreaterThan?: number | undefined;
  objectSizeLessThan?: number | undefined;
}

/** A move to a colder storage class. */
export type LifecycleTransition = LifecycleTime & { storageClass: TransitionStorageClass };

/** One lifecycle rule: a filter, a status and at least one action. */
export interface LifecycleRule {
  /** Unique in the bucket, at most 255 characters; KS3 makes one up when omitted. */
  id?: string | undefined;
  status: 'Enabled' | 'Disabled';
  filter?: LifecycleFilter | undefined;
  /** Delete objects (days ≥ 1, or from a date). */
  expiration?: LifecycleTime | undefined;
  transitions?: readonly LifecycleTransition[] | undefined;
  /** Abort multipart uploads still in progress (days after initiation ≥ 1, or from a date). */
  abortIncompleteMultipartUpload?: LifecycleTime | undefined;
}

/** The most rules a configuration may hold. */
export const MAX_LIFECYCLE_RULES = 1000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function timeXml(t: LifecycleTime | undefined, daysName: string, minDays: number, param: string, ctx: Ks3ErrorContext) {
  if (typeof t !== 'object' || t === null || (t.days === undefined) === (t.date === undefined))
    throw new Ks3InputError(param, 'must be { days } or { date }', ctx);
  if (t.days !== undefined) return xmlElement(daysName, checkCount(`${param}.days`, t.days, ctx, minDays, 1e6));
  const date = t.date instanceof Date ? (Number.isNaN(t.date.getTime()) ? '' : t.date.toISOString()) : t.date;
  if (typeof date !== 'string' || !ISO.test(date) || Number.isNaN(Date.parse(date)))
    throw new Ks3InputError(`${param}.date`, 'must be a Date or an ISO 8601 date-time with a time zone', ctx);
  return xmlElement('Date', date);
}

function filterXml(f: LifecycleFilter | undefined, param: string, ctx: Ks3ErrorContext): string {
  if (f === undefined) return '<Filter></Filter>';
  if (typeof f !== 'object' || f === null) throw new Ks3InputError(param, 'must be an object', ctx);
  const prefix = f.prefix === undefined ? undefined : checkText(`${param}.prefix`, f.prefix, ctx);
  const p = prefix === undefined ? '' : xmlElement('Prefix', prefix);
  let inner = p;
  if (f.tags !== undefined) {
    const tags = checkTags(f.tags, ctx, 'object', `${param}.tags`);
    if (!tags.length) throw new Ks3InputError(`${param}.tags`, 'must hold at least one tag when given', ctx);
    const items = tags.map(([k, v]) => `<Tag>${xmlElement('Key', k)}${xmlElement('Value', v)}</Tag>`);
    inner = `<And>${p}${items.join('')}</And>`;
  }
  const gt = f.objectSizeGreaterThan;
  const lt = f.objectSizeLessThan;
  if (gt !== undefined)
    inner += xmlElement('ObjectSizeGreaterThan', checkCount(`${param}.objectSizeGreaterThan`, gt, ctx));
  if (lt !== undefined)
    inner += xmlElement('ObjectSizeLessThan', checkCount(`${param}.objectSizeLessThan`, lt, ctx, 1));
  if (gt !== undefined && lt !== undefined && gt >= lt - 1)
    throw new Ks3InputError(param, 'objectSizeGreaterThan must leave room below objectSizeLessThan', ctx);
  return `<Filter>${inner}</Filter>`;
}

function ruleXml(r: LifecycleRule, i: number, ids: Set<string>, ctx: Ks3ErrorContext): string {
  const at = `rules[${i}]`;
  if (typeof r !== 'object' || r === null) throw new Ks3InputError(at, 'must be a rule object', ctx);
  let id = '';
  if (r.id !== undefined) {
    const v = checkText(`${at}.id`, r.id, ctx, false);
    if (v.length > 255) throw new Ks3InputError(`${at}.id`, 'is over 255 characters', ctx);
    if (ids.has(v)) throw new Ks3InputError(`${at}.id`, `${JSON.stringify(v)} is used by another rule`, ctx);
    ids.add(v);
    id = xmlElement('ID', v);
  }
  if (r.status !== 'Enabled' && r.status !== 'Disabled')
    throw new Ks3InputError(`${at}.status`, "must be 'Enabled' or 'Disabled'", ctx);
  const transitions = r.transitions ?? [];
  if (!Array.isArray(transitions)) throw new Ks3InputError(`${at}.transitions`, 'must be an array', ctx);
  if (!r.expiration && !r.abortIncompleteMultipartUpload && !transitions.length)
    throw new Ks3InputError(at, 'needs an action: expiration, transitions or abortIncompleteMultipartUpload', ctx);
  if (r.abortIncompleteMultipartUpload && r.filter?.tags !== undefined)
    throw new Ks3InputError(at, 'abortIncompleteMultipartUpload cannot select by tags (uploads have none)', ctx);
  const classes = new Set<string>();
  let xml = `<Rule>${id}${filterXml(r.filter, `${at}.filter`, ctx)}<Status>${r.status}</Status>`;
  if (r.expiration) xml += `<Expiration>${timeXml(r.expiration, 'Days', 1, `${at}.expiration`, ctx)}</Expiration>`;
  transitions.forEach((t, j) => {
    const sc = t?.storageClass;
    if (!TRANSITION_STORAGE_CLASSES.includes(sc) || classes.has(sc))
      throw new Ks3InputError(
        `${at}.transitions[${j}].storageClass`,
        `must be a distinct one of ${TRANSITION_STORAGE_CLASSES.join(', ')}`,
        ctx,
      );
    classes.add(sc);
    const when = timeXml(t, 'Days', 0, `${at}.transitions[${j}]`, ctx);
    xml += `<Transition>${when}${xmlElement('StorageClass', sc)}</Transition>`;
  });
  if (r.abortIncompleteMultipartUpload) {
    const when = timeXml(
      r.abortIncompleteMultipartUpload,
      'DaysAfterInitiation',
      1,
      `${at}.abortIncompleteMultipartUpload`,
      ctx,
    );
    xml += `<AbortIncompleteMultipartUpload>${when}</AbortIncompleteMultipartUpload>`;
  }
  return `${xml}</Rule>`;
}

/**
 * The request document, every rule checked first.
 * @throws {Ks3InputError} naming the rule and field at fault.
 */
export function buildLifecycleXml(rules: readonly LifecycleRule[], ctx: Ks3ErrorContext): string {
  if (!Array.isArray(rules) || rules.length === 0) throw new Ks3InputError('rules', 'must hold at least one rule', ctx);
  if (rules.length > MAX_LIFECYCLE_RULES)
    throw new Ks3InputError('rules', `holds ${rules.length} rules; KS3 allows ${MAX_LIFECYCLE_RULES}`, ctx);
  const ids = new Set<string>();
  const items = rules.map((r, i) => ruleXml(r, i, ids, ctx)).join('');
  return xmlDocument('LifecycleConfiguration', items);
}

const count = (v: string | undefined): number | undefined =>
  v === undefined || v.trim() === '' ? undefined : Number(v);

function parseTime(node: XmlNode | undefined, daysName: string): LifecycleTime | undefined {
  if (!node) return undefined;
  const days = count(childText(node, daysName));
  return days !== undefined ? { days } : { date: childText(node, 'Date') ?? '' };
}

function parseFilter(rule: XmlNode): LifecycleFilter | undefined {
  const f = child(rule, 'Filter');
  const legacy = childText(rule, 'Prefix');
  if (!f) return legacy ? { prefix: legacy } : undefined;
  const and = child(f, 'And');
  const out: LifecycleFilter = {};
  const prefix = childText(and ?? f, 'Prefix');
  if (prefix) out.prefix = prefix;
  const tags = children(and, 'Tag');
  if (tags.length)
    out.tags = Object.fromEntries(tags.map((t) => [childText(t, 'Key') ?? '', childText(t, 'Value') ?? '']));
  const gt = count(childText(f, 'ObjectSizeGreaterThan'));
  const lt = count(childText(f, 'ObjectSizeLessThan'));
  if (gt !== undefined) out.objectSizeGreaterThan = gt;
  if (lt !== undefined) out.objectSizeLessThan = lt;
  return Object.keys(out).length ? out : undefined;
}

/** The rules of a `LifecycleConfiguration` root element (KS3-only fields such as `Nots` are not kept). */
export function parseLifecycle(root: XmlNode): LifecycleRule[] {
  return children(root, 'Rule').map((r) => {
    const rule: LifecycleRule = { status: childText(r, 'Status') === 'Disabled' ? 'Disabled' : 'Enabled' };
    const id = childText(r, 'ID');
    if (id) rule.id = id;
    const filter = parseFilter(r);
    if (filter) rule.filter = filter;
    const expiration = parseTime(child(r, 'Expiration'), 'Days');
    if (expiration) rule.expiration = expiration;
    const transitions = children(r, 'Transition').map((t) => ({
      ...(parseTime(t, 'Days') as LifecycleTime),
      storageClass: (childText(t, 'StorageClass') ?? '') as TransitionStorageClass,
    }));
    if (transitions.length) rule.transitions = transitions;
    const abort = parseTime(child(r, 'AbortIncompleteMultipartUpload'), 'DaysAfterInitiation');
    if (abort) rule.abortIncompleteMultipartUpload = abort;
    return rule;
  });
}
