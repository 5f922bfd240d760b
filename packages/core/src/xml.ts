/**
 * A thin layer over txml (2 KB gzip): parse once, then walk elements by *local* name so
 * `ns2:`-prefixed and plain documents read the same (ks3-protocol.md §4.18, §12).
 */
import { parse, type TNode } from 'txml/txml';

export type XmlNode = TNode;

// txml options that keep S3 keys intact: entities decoded, edge spaces kept, no HTML void tags.
const OPTIONS = { decodeEntities: true, keepWhitespace: true, selfClosingTags: [] as string[] };

const local = (tag: string): string => tag.slice(tag.indexOf(':') + 1);

/** Parses a document and returns its root element, or `undefined` when there is none. */
export function parseXml(text: string): XmlNode | undefined {
  let nodes: (TNode | string)[];
  try {
    nodes = parse(text, OPTIONS) as (TNode | string)[];
  } catch {
    return undefined;
  }
  for (const n of nodes) if (typeof n === 'object' && n.tagName[0] !== '?' && n.tagName[0] !== '!') return n;
  return undefined;
}

/** Child elements with the given local name (all children when `name` is omitted). */
export function children(node: XmlNode | undefined, name?: string): XmlNode[] {
  const out: XmlNode[] = [];
  if (node)
    for (const c of node.children)
      if (typeof c === 'object' && (name === undefined || local(c.tagName) === name)) out.push(c);
  return out;
}

/** The first child element with the given local name. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (node) for (const c of node.children) if (typeof c === 'object' && local(c.tagName) === name) return c;
  return undefined;
}

/** The text content of an element (its direct text children, joined). */
export function text(node: XmlNode | undefined): string {
  let s = '';
  if (node) for (const c of node.children) if (typeof c === 'string') s += c;
  return s;
}

/** The text of the first child with the given local name, or `undefined` when absent. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const c = child(node, name);
  return c ? text(c) : undefined;
}

/** The local name of an element. */
export const localName = (node: XmlNode): string => local(node.tagName);

/** Escapes text for element content and attribute values. */
export const escapeXml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' } as Record<string, string>)[c]};`,
  );
