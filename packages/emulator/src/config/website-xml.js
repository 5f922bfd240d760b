// @ts-check
/**
 * Static website configuration (`?website`), stored and validated only: the emulator serves no
 * website endpoint. The shape is S3's WebsiteConfiguration, which KS3's SDK uses unchanged
 * (ks3sdklib/aws-sdk-go service/s3/api.go): RedirectAllRequestsTo alone, or IndexDocument with
 * optional ErrorDocument and RoutingRules. Limits where KS3 documents none are S3's.
 */
import { S3NS, el, text } from '../xml.js';
import {
  checkChildren,
  children,
  invalid,
  malformed,
  oneOf,
  optionalChild,
  optionalText,
  requiredChild,
  requiredText,
} from './xml-fields.js';

export const MAX_ROUTING_RULES = 50;
const PROTOCOLS = ['http', 'https'];
const REDIRECT_CODES = ['301', '302', '303', '307', '308'];

/**
 * @typedef {{ keyPrefixEquals?: string, httpErrorCodeReturnedEquals?: string }} RoutingCondition
 * @typedef {{ protocol?: string, hostName?: string, replaceKeyPrefixWith?: string, replaceKeyWith?: string,
 *   httpRedirectCode?: string }} Redirect
 * @typedef {object} WebsiteConfig
 * @property {{ hostName: string, protocol?: string }} [redirectAllRequestsTo]
 * @property {string} [indexSuffix]
 * @property {string} [errorKey]
 * @property {{ condition?: RoutingCondition, redirect: Redirect }[]} [routingRules]
 */

/** @typedef {import('../xml-parse.js').XmlElement} XmlElement */

/**
 * Copies the optional text children named in `fields` (XML name → property) into an object.
 * @param {XmlElement} e
 * @param {Record<string, string>} fields
 * @returns {Record<string, string>}
 */
function pick(e, fields) {
  checkChildren(e, Object.keys(fields));
  /** @type {Record<string, string>} */
  const out = {};
  for (const [xmlName, prop] of Object.entries(fields)) {
    const v = optionalText(e, xmlName);
    if (v !== undefined) out[prop] = v;
  }
  return out;
}

/** @param {XmlElement} e */
function parseRoutingRule(e) {
  checkChildren(e, ['Condition', 'Redirect']);
  const c = optionalChild(e, 'Condition');
  const condition = c
    ? pick(c, { KeyPrefixEquals: 'keyPrefixEquals', HttpErrorCodeReturnedEquals: 'httpErrorCodeReturnedEquals' })
    : undefined;
  if (condition && Object.keys(condition).length === 0) throw malformed('A routing rule Condition must not be empty.');
  const code = condition?.httpErrorCodeReturnedEquals;
  if (code !== undefined && !/^[45]\d\d$/.test(code))
    throw invalid(`HttpErrorCodeReturnedEquals must be a 4xx or 5xx status, not "${code}".`);
  /** @type {Redirect} */
  const redirect = pick(requiredChild(e, 'Redirect'), {
    Protocol: 'protocol',
    HostName: 'hostName',
    ReplaceKeyPrefixWith: 'replaceKeyPrefixWith',
    ReplaceKeyWith: 'replaceKeyWith',
    HttpRedirectCode: 'httpRedirectCode',
  });
  if (Object.keys(redirect).length === 0) throw malformed('A routing rule Redirect must not be empty.');
  if (redirect.replaceKeyPrefixWith !== undefined && redirect.replaceKeyWith !== undefined)
    throw invalid('A Redirect holds ReplaceKeyPrefixWith or ReplaceKeyWith, not both.');
  if (redirect.protocol !== undefined) oneOf(redirect.protocol, PROTOCOLS, 'Redirect Protocol');
  if (redirect.httpRedirectCode !== undefined) oneOf(redirect.httpRedirectCode, REDIRECT_CODES, 'HttpRedirectCode');
  return { ...(condition ? { condition } : {}), redirect };
}

/**
 * @param {XmlElement} root
 * @returns {WebsiteConfig}
 * @throws {import('../errors.js').Ks3Error} MalformedXML, InvalidArgument
 */
export function parseWebsiteXml(root) {
  if (root.local !== 'WebsiteConfiguration') throw malformed('Expected a WebsiteConfiguration document.');
  checkChildren(root, ['RedirectAllRequestsTo', 'IndexDocument', 'ErrorDocument', 'RoutingRules']);
  const all = optionalChild(root, 'RedirectAllRequestsTo');
  if (all) {
    if (root.children.length > 1)
      throw invalid('RedirectAllRequestsTo cannot be combined with IndexDocument, ErrorDocument or RoutingRules.');
    checkChildren(all, ['HostName', 'Protocol']);
    const hostName = requiredText(all, 'HostName');
    if (hostName === '') throw invalid('RedirectAllRequestsTo HostName must not be empty.');
    const protocol = optionalText(all, 'Protocol');
    if (protocol !== undefined) oneOf(protocol, PROTOCOLS, 'RedirectAllRequestsTo Protocol');
    return { redirectAllRequestsTo: { hostName, ...(protocol === undefined ? {} : { protocol }) } };
  }
  const index = optionalChild(root, 'IndexDocument');
  if (!index) throw malformed('A WebsiteConfiguration needs an IndexDocument or RedirectAllRequestsTo.');
  checkChildren(index, ['Suffix']);
  const indexSuffix = requiredText(index, 'Suffix');
  if (indexSuffix === '' || indexSuffix.includes('/'))
    throw invalid('The IndexDocument Suffix must be non-empty and must not contain "/".');
  /** @type {WebsiteConfig} */
  const config = { indexSuffix };
  const error = optionalChild(root, 'ErrorDocument');
  if (error) {
    checkChildren(error, ['Key']);
    const key = requiredText(error, 'Key');
    if (key === '') throw invalid('The ErrorDocument Key must not be empty.');
    config.errorKey = key;
  }
  const rules = optionalChild(root, 'RoutingRules');
  if (rules) {
    checkChildren(rules, ['RoutingRule']);
    const list = children(rules, 'RoutingRule');
    if (list.length === 0) throw malformed('RoutingRules must hold at least one RoutingRule.');
    if (list.length > MAX_ROUTING_RULES) throw invalid(`At most ${MAX_ROUTING_RULES} routing rules are allowed.`);
    config.routingRules = list.map(parseRoutingRule);
  }
  return config;
}

/**
 * @param {Record<string, string | undefined>} values
 * @param {Record<string, string>} names property → XML name, in output order
 */
function texts(values, names) {
  return Object.entries(names).map(([prop, xmlName]) => {
    const v = values[prop];
    return v === undefined ? '' : text(xmlName, v);
  });
}

/**
 * The document GET ?website answers.
 * @param {WebsiteConfig} c
 */
export function websiteXml(c) {
  if (c.redirectAllRequestsTo) {
    const r = c.redirectAllRequestsTo;
    return el(
      'WebsiteConfiguration',
      el('RedirectAllRequestsTo', texts(r, { hostName: 'HostName', protocol: 'Protocol' })),
      {
        xmlns: S3NS,
      },
    );
  }
  const rules = (c.routingRules ?? []).map((r) =>
    el('RoutingRule', [
      r.condition
        ? el(
            'Condition',
            texts(r.condition, {
              keyPrefixEquals: 'KeyPrefixEquals',
              httpErrorCodeReturnedEquals: 'HttpErrorCodeReturnedEquals',
            }),
          )
        : '',
      el(
        'Redirect',
        texts(r.redirect, {
          protocol: 'Protocol',
          hostName: 'HostName',
          replaceKeyPrefixWith: 'ReplaceKeyPrefixWith',
          replaceKeyWith: 'ReplaceKeyWith',
          httpRedirectCode: 'HttpRedirectCode',
        }),
      ),
    ]),
  );
  return el(
    'WebsiteConfiguration',
    [
      el('IndexDocument', text('Suffix', c.indexSuffix ?? '')),
      c.errorKey === undefined ? '' : el('ErrorDocument', text('Key', c.errorKey)),
      rules.length > 0 ? el('RoutingRules', rules) : '',
    ],
    { xmlns: S3NS },
  );
}
