// @ts-check
/**
 * Cross-region replication (`?crr`, KS3's own sub-resource, not S3's `?replication`), stored and
 * validated only: nothing is replicated. The XML root is `<Replication>` with lower-case
 * `prefix` (up to 10, not overlapping), `DeleteMarkerStatus` (Enabled/Disabled, required),
 * `targetBucket` (required), `HistoricalObjectReplication` (Enabled/Disabled) and `region`
 * (ks3sdklib/aws-sdk-go service/s3/replication.go; ks3-v4.md §4.3).
 */
import { checkBucketName } from '../ops/bucket.js';
import { S3NS, el, text } from '../xml.js';
import { checkChildren, invalid, malformed, oneOf, optionalText, requiredText, texts } from './xml-fields.js';

export const MAX_CRR_PREFIXES = 10;
const STATUS = ['Enabled', 'Disabled'];

/**
 * @typedef {object} CrrConfig
 * @property {string[]} prefixes
 * @property {string} deleteMarkerStatus
 * @property {string} targetBucket
 * @property {string} [historicalObjectReplication]
 * @property {string} [region]
 */

/**
 * @param {import('../xml-parse.js').XmlElement} root
 * @returns {CrrConfig}
 * @throws {import('../errors.js').Ks3Error} MalformedXML, InvalidArgument
 */
export function parseCrrXml(root) {
  if (root.local !== 'Replication') throw malformed('Expected a Replication document.');
  checkChildren(root, ['prefix', 'DeleteMarkerStatus', 'targetBucket', 'HistoricalObjectReplication', 'region']);
  const prefixes = texts(root, 'prefix');
  if (prefixes.length > MAX_CRR_PREFIXES)
    throw invalid(`A replication rule may hold at most ${MAX_CRR_PREFIXES} prefixes.`);
  if (prefixes.some((p) => p === '')) throw invalid('A replication prefix must not be empty.');
  for (const a of prefixes)
    for (const b of prefixes)
      if (a !== b && b.startsWith(a)) throw invalid(`The replication prefixes "${a}" and "${b}" overlap.`);
  if (new Set(prefixes).size !== prefixes.length) throw invalid('The replication prefixes must differ.');
  const deleteMarkerStatus = oneOf(requiredText(root, 'DeleteMarkerStatus'), STATUS, 'DeleteMarkerStatus');
  const targetBucket = requiredText(root, 'targetBucket');
  try {
    checkBucketName(targetBucket);
  } catch {
    throw invalid(`targetBucket "${targetBucket}" is not a valid bucket name.`);
  }
  const historical = optionalText(root, 'HistoricalObjectReplication');
  const region = optionalText(root, 'region');
  if (region === '') throw invalid('region must not be empty.');
  return {
    prefixes,
    deleteMarkerStatus,
    targetBucket,
    ...(historical === undefined
      ? {}
      : { historicalObjectReplication: oneOf(historical, STATUS, 'HistoricalObjectReplication') }),
    ...(region === undefined ? {} : { region }),
  };
}

/**
 * The document GET ?crr answers.
 * @param {CrrConfig} c
 */
export function crrXml(c) {
  return el(
    'Replication',
    [
      ...c.prefixes.map((p) => text('prefix', p)),
      text('DeleteMarkerStatus', c.deleteMarkerStatus),
      text('targetBucket', c.targetBucket),
      c.historicalObjectReplication === undefined
        ? ''
        : text('HistoricalObjectReplication', c.historicalObjectReplication),
      c.region === undefined ? '' : text('region', c.region),
    ],
    { xmlns: S3NS },
  );
}
