/**
 * Request documents of the configuration and batch operations: XML text escaped so every
 * character survives a parser, sent with its Content-MD5 (KS3 and S3 require one on `?delete`
 * and `?cors`; it costs nothing on the others).
 */
import type { Client } from '../client.js';
import type { Ks3ErrorContext } from '../errors.js';
import { type PreparedBody, prepareBody } from '../request/body.js';
import { bodyMd5 } from '../request/body-md5.js';
import { mergeHeaders } from '../request/headers.js';
import { escapeXml } from '../xml.js';

/** The XML namespace KS3 uses in its documents (ks3-v4.md §2.2). */
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/**
 * Element text: `escapeXml`, and `\r` as a character reference, because XML parsers turn a
 * literal `\r` into `\n` (XML 1.0 §2.11) and a key must come back as it was.
 */
export const xmlText = (s: string): string => escapeXml(s).replace(/\r/g, '&#13;');

/** `<name>text</name>`, the text escaped. */
export const xmlElement = (name: string, text: string | number | boolean): string =>
  `<${name}>${xmlText(String(text))}</${name}>`;

/** A request document: the XML declaration and a root element in KS3's namespace. */
export const xmlDocument = (root: string, inner: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${S3_XMLNS}">${inner}</${root}>`;

/** Characters XML 1.0 cannot carry at all, not even as references. */
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;

/** Whether a string can be sent inside an XML document. */
export const isXmlText = (s: string): boolean => !NOT_XML.test(s);

/**
 * A document as a request body with its Content-MD5 and Content-Type, merged with the caller's
 * headers (a contradicting `content-md5` is refused).
 * @throws {Ks3InputError} for a bad caller header.
 */
export async function xmlRequest(
  client: Client,
  xml: string,
  caller: Readonly<Record<string, string | undefined>> | undefined,
  ctx: Ks3ErrorContext,
  contentType = 'application/xml',
): Promise<{ body: PreparedBody; headers: Record<string, string | undefined> }> {
  const { md5, body } = await bodyMd5(prepareBody(xml, ctx), client.md5);
  return { body, headers: mergeHeaders({ 'content-type': contentType, 'content-md5': md5 }, caller, ctx) };
}
