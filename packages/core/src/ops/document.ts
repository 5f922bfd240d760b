/**
 * Response documents: the root element an operation expects, and numeric fields, each a
 * Ks3ProtocolError when the answer is not what KS3 sends. A module of its own so that operations
 * that parse nothing (put, get, head, delete) do not carry the XML parser.
 */
import { Ks3ProtocolError, type Ks3ErrorContext } from '../errors.js';
import type { Ks3Response } from '../request/send.js';
import { parseXml, type XmlNode } from '../xml.js';

/**
 * The root element of a response document, checked to be the one the operation expects.
 * @throws {Ks3ProtocolError} for a body that is not that document.
 */
export async function parseDocument(res: Ks3Response, rootName: string, ctx: Ks3ErrorContext): Promise<XmlNode> {
  const text = await res.text();
  const root = parseXml(text);
  if (!root?.tagName.endsWith(rootName)) {
    const got = root ? `<${root.tagName}>` : text ? 'no XML document' : 'an empty body';
    throw new Ks3ProtocolError(`${ctx.operation ?? 'request'}: expected a ${rootName} document, got ${got}`, {
      ...ctx,
      status: res.status,
      requestId: res.requestId,
    });
  }
  return root;
}

/** A number from a document field, or a protocol error. */
export function numberField(value: string | undefined, name: string, ctx: Ks3ErrorContext, dflt?: number): number {
  if (value === undefined && dflt !== undefined) return dflt;
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n)) {
    throw new Ks3ProtocolError(`${ctx.operation ?? 'request'}: ${name} is not a number (${String(value)})`, ctx);
  }
  return n;
}
