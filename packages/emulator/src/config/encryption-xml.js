// @ts-check
/**
 * Default bucket encryption (`?encryption`), stored and validated only: new objects are not
 * encrypted or marked by it. KS3's SDK sends S3's ServerSideEncryptionConfiguration with one
 * Rule / ApplyServerSideEncryptionByDefault / SSEAlgorithm (ks3sdklib/aws-sdk-go
 * service/s3/bucket_encryption.go); its algorithm constants are AES256 and SM4.
 */
import { S3NS, el, text } from '../xml.js';
import { checkChildren, children, malformed, oneOf, requiredChild, requiredText } from './xml-fields.js';

export const SSE_ALGORITHMS = ['AES256', 'SM4'];

/** @typedef {{ sseAlgorithm: string }} EncryptionConfig */

/**
 * @param {import('../xml-parse.js').XmlElement} root
 * @returns {EncryptionConfig}
 * @throws {import('../errors.js').Ks3Error} MalformedXML, InvalidArgument
 */
export function parseEncryptionXml(root) {
  if (root.local !== 'ServerSideEncryptionConfiguration')
    throw malformed('Expected a ServerSideEncryptionConfiguration document.');
  checkChildren(root, ['Rule']);
  if (children(root, 'Rule').length !== 1)
    throw malformed('A ServerSideEncryptionConfiguration holds exactly one Rule.');
  const rule = requiredChild(root, 'Rule');
  checkChildren(rule, ['ApplyServerSideEncryptionByDefault']);
  const apply = requiredChild(rule, 'ApplyServerSideEncryptionByDefault');
  checkChildren(apply, ['SSEAlgorithm']);
  return { sseAlgorithm: oneOf(requiredText(apply, 'SSEAlgorithm'), SSE_ALGORITHMS, 'SSEAlgorithm') };
}

/**
 * The document GET ?encryption answers.
 * @param {EncryptionConfig} c
 */
export function encryptionXml(c) {
  return el(
    'ServerSideEncryptionConfiguration',
    el('Rule', el('ApplyServerSideEncryptionByDefault', text('SSEAlgorithm', c.sseAlgorithm))),
    { xmlns: S3NS },
  );
}
