// @ts-check
/**
 * Mirror / back-to-origin (`?mirror`), KS3's JSON (ks3sdklib/aws-sdk-go service/s3/mirror.go and
 * its sample test; endocs.ksyun.com/documents/37550), stored and validated only: the emulator
 * never fetches from an origin. `version`, `use_default_robots`, an `async_mirror_rule`
 * (`mirror_urls` (1–10 http(s) URLs), `saving_setting.acl`, `mirror_type`) and/or up to 20
 * `sync_mirror_rules` (`match_condition` {`http_codes`: only "404", `key_prefixes`: at most one},
 * `mirror_url`, `mirror_request_setting` {`pass_query_string`, `follow3xx`, `header_setting`
 * {`set_headers`, `remove_headers`, `pass_all`, `pass_headers`}}, `saving_setting`,
 * `mirror_type`). GET answers the stored document; KS3's `created_time` / `last_modified_time`
 * are accepted on PUT and not echoed (their format is undocumented).
 */
import { Ks3Error } from '../errors.js';

export const MAX_SYNC_RULES = 20;
export const MAX_MIRROR_URLS = 10;
const ACLS = ['private', 'public-read'];

/** @param {string} message */
const bad = (message) => new Ks3Error('InvalidArgument', message);

/**
 * @param {unknown} v
 * @param {string} where
 * @param {string[]} keys allowed keys
 * @returns {Record<string, unknown>}
 */
function object(v, where, keys) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(`${where} must be a JSON object.`);
  const unknown = Object.keys(v).find((k) => !keys.includes(k));
  if (unknown) throw bad(`${where}: the field ${unknown} is not supported.`);
  return /** @type {Record<string, unknown>} */ (v);
}

/** @param {unknown} v @param {string} where */
function bool(v, where) {
  if (typeof v !== 'boolean') throw bad(`${where} must be true or false.`);
  return v;
}

/** @param {unknown} v @param {string} where */
function string(v, where) {
  if (typeof v !== 'string' || v === '') throw bad(`${where} must be a non-empty string.`);
  return v;
}

/** @param {unknown} v @param {string} where @param {number} max */
function array(v, where, max) {
  if (!Array.isArray(v)) throw bad(`${where} must be an array.`);
  if (v.length > max) throw bad(`${where} may hold at most ${max} entries.`);
  return v;
}

/** KS3: http(s), host at most 256 characters, path at most 1024. @param {unknown} v @param {string} where */
function originUrl(v, where) {
  const s = string(v, where);
  const url = URL.canParse(s) ? new URL(s) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
    throw bad(`${where} must be an http or https URL, not "${s}".`);
  if (url.host.length > 256 || url.pathname.length > 1024) throw bad(`${where} is too long.`);
  return s;
}

/** @param {unknown} v @param {string} where */
function savingSetting(v, where) {
  const o = object(v, where, ['acl']);
  const acl = string(o.acl, `${where}.acl`);
  if (!ACLS.includes(acl)) throw bad(`${where}.acl must be private or public-read, not "${acl}".`);
  return { acl };
}

/** @param {unknown} v @param {string} where */
function headerSetting(v, where) {
  const o = object(v, where, ['set_headers', 'remove_headers', 'pass_all', 'pass_headers']);
  /** @type {Record<string, unknown>} */
  const out = {};
  if (o.set_headers !== undefined)
    out.set_headers = array(o.set_headers, `${where}.set_headers`, 100).map((h, i) => {
      const e = object(h, `${where}.set_headers[${i}]`, ['key', 'value']);
      return { key: string(e.key, `${where}.set_headers[${i}].key`), value: String(e.value ?? '') };
    });
  // Key order as KS3's SDK sends them, so a GET answers the document in the same shape.
  for (const name of ['remove_headers', 'pass_all', 'pass_headers']) {
    if (o[name] === undefined) continue;
    out[name] =
      name === 'pass_all'
        ? bool(o.pass_all, `${where}.pass_all`)
        : array(o[name], `${where}.${name}`, 100).map((h, i) => ({
            key: string(object(h, `${where}.${name}[${i}]`, ['key']).key, `${where}.${name}[${i}].key`),
          }));
  }
  if (out.pass_all === true && out.pass_headers !== undefined)
    throw bad(`${where}: pass_all and pass_headers are mutually exclusive.`);
  return out;
}

/** @param {unknown} v @param {number} i */
function syncRule(v, i) {
  const where = `sync_mirror_rules[${i}]`;
  const o = object(v, where, [
    'match_condition',
    'mirror_url',
    'mirror_request_setting',
    'saving_setting',
    'mirror_type',
  ]);
  /** @type {Record<string, unknown>} */
  const out = {};
  if (o.match_condition !== undefined) {
    const m = object(o.match_condition, `${where}.match_condition`, ['http_codes', 'key_prefixes']);
    const codes = m.http_codes === undefined ? [] : array(m.http_codes, `${where}.match_condition.http_codes`, 1);
    if (codes.some((c) => c !== '404')) throw bad(`${where}.match_condition.http_codes supports only "404".`);
    const prefixes = (
      m.key_prefixes === undefined ? [] : array(m.key_prefixes, `${where}.match_condition.key_prefixes`, 1)
    ).map((p, j) => string(p, `${where}.match_condition.key_prefixes[${j}]`));
    out.match_condition = { http_codes: codes, key_prefixes: prefixes };
  }
  out.mirror_url = originUrl(o.mirror_url, `${where}.mirror_url`);
  if (o.mirror_request_setting !== undefined) {
    const s = object(o.mirror_request_setting, `${where}.mirror_request_setting`, [
      'pass_query_string',
      'follow3xx',
      'header_setting',
    ]);
    /** @type {Record<string, unknown>} */
    const setting = {};
    if (s.pass_query_string !== undefined) setting.pass_query_string = bool(s.pass_query_string, 'pass_query_string');
    if (s.follow3xx !== undefined) setting.follow3xx = bool(s.follow3xx, 'follow3xx');
    if (s.header_setting !== undefined)
      setting.header_setting = headerSetting(s.header_setting, `${where}.mirror_request_setting.header_setting`);
    out.mirror_request_setting = setting;
  }
  if (o.saving_setting !== undefined) out.saving_setting = savingSetting(o.saving_setting, `${where}.saving_setting`);
  if (o.mirror_type !== undefined) out.mirror_type = string(o.mirror_type, `${where}.mirror_type`);
  return out;
}

/**
 * Validates a mirror document; returns the normalized object that is stored and answered.
 * @param {string} text
 * @returns {Record<string, unknown>}
 * @throws {Ks3Error} InvalidArgument naming the field at fault
 */
export function parseMirrorJson(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('The mirror configuration must be valid JSON.');
  }
  const o = object(doc, 'The mirror configuration', [
    'version',
    'use_default_robots',
    'async_mirror_rule',
    'sync_mirror_rules',
    'created_time',
    'last_modified_time',
  ]);
  /** @type {Record<string, unknown>} */
  const out = { version: string(o.version, 'version') };
  if (o.use_default_robots !== undefined) out.use_default_robots = bool(o.use_default_robots, 'use_default_robots');
  if (o.async_mirror_rule !== undefined) {
    const a = object(o.async_mirror_rule, 'async_mirror_rule', ['mirror_urls', 'saving_setting', 'mirror_type']);
    const urls = array(a.mirror_urls, 'async_mirror_rule.mirror_urls', MAX_MIRROR_URLS);
    if (urls.length === 0) throw bad('async_mirror_rule.mirror_urls must name at least one URL.');
    out.async_mirror_rule = {
      mirror_urls: urls.map((u, i) => originUrl(u, `async_mirror_rule.mirror_urls[${i}]`)),
      saving_setting: savingSetting(a.saving_setting, 'async_mirror_rule.saving_setting'),
      ...(a.mirror_type === undefined ? {} : { mirror_type: string(a.mirror_type, 'async_mirror_rule.mirror_type') }),
    };
  }
  if (o.sync_mirror_rules !== undefined)
    out.sync_mirror_rules = array(o.sync_mirror_rules, 'sync_mirror_rules', MAX_SYNC_RULES).map(syncRule);
  if (!out.async_mirror_rule && !(/** @type {unknown[] | undefined} */ (out.sync_mirror_rules)?.length))
    throw bad('A mirror configuration needs async_mirror_rule or at least one of sync_mirror_rules.');
  return out;
}

/** @param {Record<string, unknown>} stored */
export function mirrorJson(stored) {
  return JSON.stringify(stored);
}
