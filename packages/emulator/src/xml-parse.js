// @ts-check
/**
 * A tiny strict XML parser for the few request bodies KS3 accepts (CreateBucketConfiguration,
 * AccessControlPolicy, BucketLoggingStatus, CompleteMultipartUpload). It checks well-formedness
 * (matching tags, quoted attributes, known entities, one root) and refuses DOCTYPE, so entity
 * expansion attacks are impossible. Namespaces are not resolved: callers match local names,
 * because clients send these bodies with or without `xmlns` (§4.2, §4.4).
 */

/**
 * @typedef {object} XmlElement
 * @property {string} name qualified name as written (`ns2:Part`)
 * @property {string} local name without its prefix (`Part`)
 * @property {Record<string, string>} attrs attribute values, entity-decoded
 * @property {XmlElement[]} children child elements in document order
 * @property {string} text concatenated character data of this element (not of its children)
 */

export class XmlSyntaxError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_.:\u00B7\u00C0-\uFFFF]*/y;
const MAX_DEPTH = 32;
/** @type {Record<string, string>} */
const NAMED = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes the five predefined entities and character references; anything else is an error.
 * @param {string} raw
 */
export function decodeEntities(raw) {
  if (!raw.includes('&')) return raw;
  let out = '';
  let i = 0;
  for (;;) {
    const amp = raw.indexOf('&', i);
    if (amp < 0) return out + raw.slice(i);
    const semi = raw.indexOf(';', amp);
    if (semi < 0) throw new XmlSyntaxError('unterminated entity reference');
    const ref = raw.slice(amp + 1, semi);
    let ch;
    if (/^#x[0-9a-fA-F]{1,6}$/.test(ref)) ch = codePoint(Number.parseInt(ref.slice(2), 16));
    else if (/^#[0-9]{1,7}$/.test(ref)) ch = codePoint(Number.parseInt(ref.slice(1), 10));
    else ch = NAMED[ref];
    if (ch === undefined) throw new XmlSyntaxError(`unknown entity &${ref};`);
    out += raw.slice(i, amp) + ch;
    i = semi + 1;
  }
}

/** @param {number} cp */
function codePoint(cp) {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    throw new XmlSyntaxError('invalid character reference');
  return String.fromCodePoint(cp);
}

/**
 * Parses a whole document and returns its root element.
 * @param {string} src
 * @returns {XmlElement}
 * @throws {XmlSyntaxError} when the document is not well-formed
 */
export function parseXml(src) {
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = src.length;

  const fail = (/** @type {string} */ why) => {
    throw new XmlSyntaxError(`${why} at offset ${i}`);
  };
  const skipWs = () => {
    const start = i;
    while (i < n && ' \t\r\n'.includes(/** @type {string} */ (src[i]))) i++;
    return i > start;
  };
  const readName = () => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (!m) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  /** @param {string} open @param {string} close */
  const skipPast = (open, close) => {
    const end = src.indexOf(close, i + open.length);
    if (end < 0) fail(`unterminated ${open}`);
    i = end + close.length;
  };
  // Prolog/epilog: whitespace, processing instructions (the XML declaration) and comments.
  const skipMisc = () => {
    for (;;) {
      skipWs();
      if (src.startsWith('<?', i)) skipPast('<?', '?>');
      else if (src.startsWith('<!--', i)) skipPast('<!--', '-->');
      else if (src.startsWith('<!', i)) fail('DOCTYPE and declarations are not accepted');
      else return;
    }
  };

  /** @param {number} depth @returns {XmlElement} */
  const parseElement = (depth) => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    i++; // '<'
    const name = readName();
    /** @type {Record<string, string>} */
    const attrs = {};
    /** @type {XmlElement[]} */
    const children = [];
    let text = '';
    const make = () => ({ name, local: name.slice(name.indexOf(':') + 1), attrs, children, text });
    for (;;) {
      const sawWs = skipWs();
      if (src.startsWith('/>', i)) {
        i += 2;
        return make();
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (!sawWs) fail('expected whitespace before an attribute');
      const attr = readName();
      skipWs();
      if (src[i] !== '=') fail('expected =');
      i++;
      skipWs();
      const quote = src[i];
      if (quote !== '"' && quote !== "'") fail('attribute values must be quoted');
      const end = src.indexOf(/** @type {string} */ (quote), i + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = src.slice(i + 1, end);
      if (raw.includes('<')) fail('< in an attribute value');
      if (attr in attrs) fail(`duplicate attribute ${attr}`);
      attrs[attr] = decodeEntities(raw);
      i = end + 1;
    }
    for (;;) {
      if (i >= n) fail(`unclosed element <${name}>`);
      if (src.startsWith('</', i)) {
        i += 2;
        const close = readName();
        skipWs();
        if (src[i] !== '>') fail('expected >');
        i++;
        if (close !== name) fail(`</${close}> does not close <${name}>`);
        return make();
      }
      if (src.startsWith('<!--', i)) skipPast('<!--', '-->');
      else if (src.startsWith('<![CDATA[', i)) {
        const end = src.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA');
        text += src.slice(i + 9, end);
        i = end + 3;
      } else if (src.startsWith('<?', i)) skipPast('<?', '?>');
      else if (src[i] === '<') children.push(parseElement(depth + 1));
      else {
        const next = src.indexOf('<', i);
        const end = next < 0 ? n : next;
        text += decodeEntities(src.slice(i, end));
        i = end;
      }
    }
  };

  skipMisc();
  if (src[i] !== '<') fail('expected the root element');
  const root = parseElement(0);
  skipMisc();
  if (i !== n) fail('content after the root element');
  return root;
}

/**
 * Child elements with a given local name.
 * @param {XmlElement} parent
 * @param {string} local
 */
export function childrenNamed(parent, local) {
  return parent.children.filter((c) => c.local === local);
}

/**
 * Text of the first child with a given local name, or undefined.
 * @param {XmlElement} parent
 * @param {string} local
 */
export function childText(parent, local) {
  return parent.children.find((c) => c.local === local)?.text;
}
