// @ts-check
/**
 * Bucket lifecycle configuration (`?lifecycle`), KS3's XML (docs.ksyun.com/documents/42296 and
 * ks3sdklib/aws-sdk-go service/s3/lifecycle.go): up to 1000 Rule elements, each with an ID
 * unique in the bucket, a Filter (Prefix; And of Prefix and Tags, which KS3 requires for any
 * tag; ObjectSizeGreaterThan / ObjectSizeLessThan; Nots) or the older rule-level Prefix, a
 * Status, and at least one action: Expiration (Days or Date), Transition (Days or Date, and a
 * StorageClass) or AbortIncompleteMultipartUpload (DaysAfterInitiation or Date). Rules whose
 * prefixes overlap may not share an action unless `x-kss-allow-same-action-overlap: true`.
 */
import { randomBytes } from 'node:crypto';
import { S3NS, el, text } from '../xml.js';
import {
  boolean,
  checkChildren,
  children,
  integer,
  invalid,
  isoDate,
  malformed,
  oneOf,
  optionalChild,
  optionalText,
  requiredText,
  textOf,
} from './xml-fields.js';

export const LIFECYCLE_MAX_RULES = 1000;
/** Storage classes a Transition may name (ks3sdklib/aws-sdk-go service/s3/const.go). */
export const TRANSITION_CLASSES = ['STANDARD_IA', 'DEEP_IA', 'ARCHIVE', 'COLD_ARCHIVE', 'DEEP_COLD_ARCHIVE'];

/**
 * @typedef {{ key: string, value: string }} Tag
 * @typedef {{ prefix?: string, tag?: Tag }} Not
 * @typedef {object} LifecycleFilter
 * @property {string} [prefix]
 * @property {{ prefix?: string, tags: Tag[] }} [and]
 * @property {number} [objectSizeGreaterThan]
 * @property {number} [objectSizeLessThan]
 * @property {Not[]} [nots]
 * @typedef {{ days?: number, date?: string }} When Days or an ISO date, as given
 * @typedef {When & { storageClass: string, isAccessTime?: boolean, returnToStdWhenVisit?: boolean }} Transition
 * @typedef {object} LifecycleRule
 * @property {string} id
 * @property {'Enabled' | 'Disabled'} status
 * @property {LifecycleFilter} [filter]
 * @property {string} [prefix] the older rule-level Prefix (instead of a Filter)
 * @property {When} [expiration]
 * @property {Transition[]} transitions
 * @property {{ daysAfterInitiation?: number, date?: string }} [abortIncomplete]
 * @typedef {{ rules: LifecycleRule[] }} LifecycleConfig
 */

/** @typedef {import('../xml-parse.js').XmlElement} XmlElement */

/** @param {XmlElement} e */
function parseTag(e) {
  checkChildren(e, ['Key', 'Value']);
  const key = requiredText(e, 'Key', false);
  const value = optionalText(e, 'Value', false) ?? '';
  if (key.length < 1 || key.length > 128) throw invalid('A lifecycle Tag Key must be 1 to 128 characters.');
  if (value.length > 256) throw invalid('A lifecycle Tag Value must be at most 256 characters.');
  return { key, value };
}

/**
 * Days xor Date.
 * @param {XmlElement} e
 * @param {string} daysName
 * @param {number} minDays
 */
function parseWhen(e, daysName, minDays) {
  const days = optionalText(e, daysName);
  const date = optionalText(e, 'Date');
  if ((days === undefined) === (date === undefined))
    throw invalid(`${e.local} must hold either ${daysName} or Date, not both or neither.`);
  return days !== undefined
    ? { days: integer(days, `${e.local} ${daysName}`, minDays) }
    : { date: isoDate(/** @type {string} */ (date), `${e.local} Date`) };
}

/** @param {XmlElement} e @returns {LifecycleFilter} */
function parseFilter(e) {
  checkChildren(e, ['Prefix', 'And', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan', 'Nots', 'Tag']);
  if (children(e, 'Tag').length > 0) throw malformed('A Tag in a lifecycle Filter must be inside And (KS3).');
  /** @type {LifecycleFilter} */
  const filter = {};
  const prefix = optionalText(e, 'Prefix', false);
  const and = optionalChild(e, 'And');
  if (prefix !== undefined && and) throw malformed('A lifecycle Filter holds Prefix or And, not both.');
  if (prefix !== undefined) filter.prefix = prefix;
  if (and) {
    checkChildren(and, ['Prefix', 'Tag']);
    const andPrefix = optionalText(and, 'Prefix', false);
    const tags = children(and, 'Tag').map(parseTag);
    if (tags.length === 0) throw malformed('And must hold at least one Tag.');
    if (new Set(tags.map((t) => t.key)).size !== tags.length)
      throw invalid('Tag keys in a lifecycle rule must differ.');
    filter.and = { ...(andPrefix === undefined ? {} : { prefix: andPrefix }), tags };
  }
  const gt = optionalText(e, 'ObjectSizeGreaterThan');
  const lt = optionalText(e, 'ObjectSizeLessThan');
  if (gt !== undefined) filter.objectSizeGreaterThan = integer(gt, 'ObjectSizeGreaterThan', 0);
  if (lt !== undefined) filter.objectSizeLessThan = integer(lt, 'ObjectSizeLessThan', 1);
  if (gt !== undefined && lt !== undefined && Number(gt) >= Number(lt) - 1)
    throw invalid('ObjectSizeGreaterThan must be smaller than ObjectSizeLessThan, leaving room for some size.');
  const nots = optionalChild(e, 'Nots');
  if (nots) {
    checkChildren(nots, ['Not']);
    const list = children(nots, 'Not').map((n) => {
      checkChildren(n, ['Prefix', 'Tag']);
      const p = optionalText(n, 'Prefix', false);
      const t = optionalChild(n, 'Tag');
      if (p === undefined && !t) throw malformed('A Not must hold a Prefix or a Tag.');
      return { ...(p === undefined ? {} : { prefix: p }), ...(t ? { tag: parseTag(t) } : {}) };
    });
    if (list.length === 0) throw malformed('Nots must hold at least one Not.');
    filter.nots = list;
  }
  return filter;
}

/** @param {XmlElement} e @param {Set<string>} ids @returns {LifecycleRule} */
function parseRule(e, ids) {
  checkChildren(e, ['ID', 'Filter', 'Prefix', 'Status', 'Expiration', 'Transition', 'AbortIncompleteMultipartUpload']);
  const id = optionalText(e, 'ID') ?? randomBytes(12).toString('base64url');
  if (id === '' || id.length > 255) throw invalid('A lifecycle rule ID must be 1 to 255 characters.');
  if (ids.has(id)) throw invalid(`The lifecycle rule ID "${id}" is used more than once.`);
  ids.add(id);
  const status = requiredText(e, 'Status');
  if (status !== 'Enabled' && status !== 'Disabled')
    throw malformed(`Status must be Enabled or Disabled, not "${status}".`);
  const filterEl = optionalChild(e, 'Filter');
  const legacy = optionalChild(e, 'Prefix');
  if (filterEl && legacy) throw malformed('A lifecycle Rule holds a Filter or a Prefix, not both.');
  if (!filterEl && !legacy) throw malformed('A lifecycle Rule must hold a Filter (an empty one means every object).');
  const expirationEl = optionalChild(e, 'Expiration');
  const abortEl = optionalChild(e, 'AbortIncompleteMultipartUpload');
  const transitions = children(e, 'Transition').map((t) => {
    checkChildren(t, ['Days', 'Date', 'StorageClass', 'IsAccessTime', 'ReturnToStdWhenVisit']);
    const storageClass = oneOf(requiredText(t, 'StorageClass'), TRANSITION_CLASSES, 'Transition StorageClass');
    const access = optionalText(t, 'IsAccessTime');
    const back = optionalText(t, 'ReturnToStdWhenVisit');
    return {
      ...parseWhen(t, 'Days', 0),
      storageClass,
      ...(access === undefined ? {} : { isAccessTime: boolean(access, 'IsAccessTime') }),
      ...(back === undefined ? {} : { returnToStdWhenVisit: boolean(back, 'ReturnToStdWhenVisit') }),
    };
  });
  if (new Set(transitions.map((t) => t.storageClass)).size !== transitions.length)
    throw invalid('A lifecycle rule may name each Transition StorageClass once.');
  if (!expirationEl && !abortEl && transitions.length === 0)
    throw invalid(
      `The lifecycle rule "${id}" needs an action: Expiration, Transition or AbortIncompleteMultipartUpload.`,
    );
  /** @type {LifecycleRule} */
  const rule = { id, status, transitions };
  if (filterEl) rule.filter = parseFilter(filterEl);
  else rule.prefix = textOf(/** @type {XmlElement} */ (legacy), false);
  if (expirationEl) {
    checkChildren(expirationEl, ['Days', 'Date']);
    rule.expiration = parseWhen(expirationEl, 'Days', 1);
  }
  if (abortEl) {
    checkChildren(abortEl, ['DaysAfterInitiation', 'Date']);
    const when = parseWhen(abortEl, 'DaysAfterInitiation', 1);
    rule.abortIncomplete = when.days === undefined ? { date: when.date } : { daysAfterInitiation: when.days };
    if (rule.filter?.and || rule.filter?.nots?.some((n) => n.tag))
      throw invalid('AbortIncompleteMultipartUpload cannot be combined with a Tag filter (uploads have no tags).');
  }
  return rule;
}

/**
 * The key prefix a rule applies to ('' = every key).
 * @param {LifecycleRule} rule
 */
export function rulePrefix(rule) {
  return rule.filter?.prefix ?? rule.filter?.and?.prefix ?? rule.prefix ?? '';
}

/**
 * KS3: rules whose prefixes overlap may not share an action unless the request allows it.
 * @param {LifecycleRule[]} rules
 */
function checkOverlap(rules) {
  /** @param {LifecycleRule} r */
  const actions = (r) =>
    [r.expiration && 'Expiration', r.transitions.length > 0 && 'Transition', r.abortIncomplete && 'Abort'].filter(
      Boolean,
    );
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = /** @type {LifecycleRule} */ (rules[i]);
      const b = /** @type {LifecycleRule} */ (rules[j]);
      const [pa, pb] = [rulePrefix(a), rulePrefix(b)];
      if (!pa.startsWith(pb) && !pb.startsWith(pa)) continue;
      const shared = actions(a).filter((x) => actions(b).includes(x));
      if (shared.length > 0)
        throw invalid(
          `The lifecycle rules "${a.id}" and "${b.id}" have overlapping prefixes and the same action (${shared[0]}); ` +
            'send x-kss-allow-same-action-overlap: true to allow it.',
        );
    }
  }
}

/**
 * Validates a LifecycleConfiguration document.
 * @param {XmlElement} root
 * @param {import('../context.js').Ctx} ctx for the overlap header
 * @returns {LifecycleConfig}
 * @throws {import('../errors.js').Ks3Error} MalformedXML, InvalidArgument
 */
export function parseLifecycleXml(root, ctx) {
  if (root.local !== 'LifecycleConfiguration') throw malformed('Expected a LifecycleConfiguration document.');
  checkChildren(root, ['Rule']);
  const elements = children(root, 'Rule');
  if (elements.length === 0) throw malformed('A LifecycleConfiguration needs at least one Rule.');
  if (elements.length > LIFECYCLE_MAX_RULES)
    throw invalid(`A LifecycleConfiguration may hold at most ${LIFECYCLE_MAX_RULES} rules.`);
  const ids = new Set();
  const rules = elements.map((e) => parseRule(e, ids));
  const overlap = ctx.kss.get('x-kss-allow-same-action-overlap') ?? ctx.req.headers['x-amz-allow-same-action-overlap'];
  if (String(overlap).toLowerCase() !== 'true') checkOverlap(rules);
  return { rules };
}

/** @param {Tag} t */
const tagXml = (t) => el('Tag', [text('Key', t.key), text('Value', t.value)]);
/** @param {When} w @param {string} daysName */
const whenXml = (w, daysName) => (w.days === undefined ? text('Date', w.date ?? '') : text(daysName, w.days));
/** @param {string | undefined} p */
const prefixXml = (p) => (p === undefined ? '' : text('Prefix', p));

/** @param {LifecycleFilter} f */
function filterXml(f) {
  return el('Filter', [
    prefixXml(f.prefix),
    f.and ? el('And', [prefixXml(f.and.prefix), ...f.and.tags.map(tagXml)]) : '',
    f.objectSizeGreaterThan === undefined ? '' : text('ObjectSizeGreaterThan', f.objectSizeGreaterThan),
    f.objectSizeLessThan === undefined ? '' : text('ObjectSizeLessThan', f.objectSizeLessThan),
    f.nots
      ? el(
          'Nots',
          f.nots.map((n) => el('Not', [prefixXml(n.prefix), n.tag ? tagXml(n.tag) : ''])),
        )
      : '',
  ]);
}

/**
 * The document GET ?lifecycle answers.
 * @param {LifecycleConfig} config
 */
export function lifecycleXml(config) {
  const rules = config.rules.map((r) =>
    el('Rule', [
      text('ID', r.id),
      r.filter ? filterXml(r.filter) : prefixXml(r.prefix),
      text('Status', r.status),
      r.expiration ? el('Expiration', whenXml(r.expiration, 'Days')) : '',
      ...r.transitions.map((t) =>
        el('Transition', [
          whenXml(t, 'Days'),
          text('StorageClass', t.storageClass),
          t.isAccessTime === undefined ? '' : text('IsAccessTime', t.isAccessTime),
          t.returnToStdWhenVisit === undefined ? '' : text('ReturnToStdWhenVisit', t.returnToStdWhenVisit),
        ]),
      ),
      r.abortIncomplete
        ? el(
            'AbortIncompleteMultipartUpload',
            whenXml(
              { days: r.abortIncomplete.daysAfterInitiation, date: r.abortIncomplete.date },
              'DaysAfterInitiation',
            ),
          )
        : '',
    ]),
  );
  return el('LifecycleConfiguration', rules, { xmlns: S3NS });
}
