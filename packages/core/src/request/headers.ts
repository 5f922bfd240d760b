/**
 * Request headers: checked before anything is sent, so fetch never has to reject (and quote) a
 * value, and what is signed is exactly what is sent.
 */
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';

// RFC 9110 token characters.
const NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// fetch takes ByteString values; printable ASCII (and tab) keeps signed == sent.
const VALUE = /^[\t\x20-\x7e]*$/;

/** Headers the SDK owns: a caller setting them would break framing or signing. */
const OWNED = new Set([
  'authorization',
  'content-length',
  'host',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'expect',
  'te',
  'trailer',
  'upgrade',
]);

/** Whether a header value can be sent as it is (printable ASCII, trimmed). */
export const isHeaderValue = (v: string): boolean => VALUE.test(v);

/**
 * Lower-cases, trims and checks request headers; `undefined` values are skipped.
 * @throws {Ks3InputError} for a malformed name or value, or a header the SDK sets itself.
 */
export function checkHeaders(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  ctx: Ks3ErrorContext,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  if (typeof headers !== 'object' || headers === null) throw new Ks3InputError('headers', 'must be an object', ctx);
  for (const [raw, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const name = raw.toLowerCase();
    if (!NAME.test(name)) throw new Ks3InputError('headers', `${JSON.stringify(raw)} is not a valid header name`, ctx);
    if (OWNED.has(name)) throw new Ks3InputError('headers', `${name} is set by the SDK and cannot be given`, ctx);
    if (typeof value !== 'string') throw new Ks3InputError(`header ${name}`, 'must be a string', ctx);
    // Values are trimmed before signing: HTTP parsers strip edge whitespace (§2.3 QUIRK).
    const v = value.trim();
    if (!VALUE.test(v)) {
      throw new Ks3InputError(
        `header ${name}`,
        'must be printable ASCII without line breaks (encode other text, e.g. with encodeURIComponent)',
        ctx,
      );
    }
    out[name] = v;
  }
  return out;
}

/**
 * Merges the headers an operation derives from its options with the caller's `headers` option.
 * Nothing the caller passes is dropped: a caller header that contradicts an option is an error
 * naming both; the same value twice is fine.
 * @throws {Ks3InputError}
 */
export function mergeHeaders(
  derived: Readonly<Record<string, string | undefined>>,
  caller: Readonly<Record<string, string | undefined>> | undefined,
  ctx: Ks3ErrorContext,
  names: Readonly<Record<string, string>> = {},
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...derived };
  for (const [name, value] of Object.entries(checkHeaders(caller, ctx))) {
    const mine = out[name];
    if (mine !== undefined && mine.trim() !== value) {
      const option = names[name] ? `the ${names[name]} option` : 'the SDK';
      throw new Ks3InputError('headers', `${name}: ${JSON.stringify(value)} contradicts ${option} (${mine})`, ctx);
    }
    out[name] = value;
  }
  return out;
}

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * The request time a caller gave through `date`, `x-kss-date` or `x-amz-date` (HTTP date or
 * `YYYYMMDDTHHMMSSZ`), in ms; undefined when none was given. It is honoured, never replaced by
 * the clock.
 * @throws {Ks3InputError} for a value that is not a date.
 */
export function explicitTime(headers: Readonly<Record<string, string>>, ctx: Ks3ErrorContext): number | undefined {
  for (const name of ['x-kss-date', 'x-amz-date', 'date']) {
    const v = headers[name];
    if (v === undefined) continue;
    const iso = ISO_BASIC.exec(v);
    const ms = iso
      ? Date.UTC(+iso[1]!, +iso[2]! - 1, +iso[3]!, +iso[4]!, +iso[5]!, +iso[6]!)
      : /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(v)
        ? Date.parse(v)
        : Number.NaN;
    if (!Number.isFinite(ms)) {
      throw new Ks3InputError(
        `header ${name}`,
        'must be an HTTP date (Thu, 01 Jan 2026 00:00:00 GMT) or YYYYMMDDTHHMMSSZ',
        ctx,
      );
    }
    return ms;
  }
  return undefined;
}
