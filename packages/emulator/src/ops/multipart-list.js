// @ts-check
/**
 * §4.18 List Parts (`ns2:`-prefixed, exactly as the reference parses it; unprefixed for AWS4-signed
 * requests) and §4.21 List Multipart Uploads (unprefixed).
 */
import { Ks3Error } from '../errors.js';
import { MAX_PARTS, MAX_UPLOADS } from '../limits.js';
import { sendXml } from '../respond.js';
import { getUpload } from '../store/uploads.js';
import { listUploads } from '../store/listing.js';
import { S3NS, el, principal, text } from '../xml.js';
import { requireBucket, requireUploadControl } from './access.js';
import { nameEncoder, pageSize } from './list-objects.js';

/** @typedef {import('../context.js').Ctx} Ctx */

/** §4.18: KS3's JAXB output carries this declaration. */
const STANDALONE_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** @param {Ctx} ctx */
export function listParts(ctx) {
  const bucket = requireBucket(ctx, 'WRITE');
  const upload = getUpload(ctx.env.store, bucket.info.name, ctx.target.key, ctx.query.get('uploadId') ?? '');
  requireUploadControl(ctx, bucket, upload);
  const max = pageSize(ctx, 'max-parts', MAX_PARTS, MAX_PARTS);
  const rawMarker = ctx.query.get('part-number-marker') ?? '';
  if (rawMarker !== '' && !/^\d{1,5}$/.test(rawMarker))
    throw new Ks3Error('InvalidArgument', 'part-number-marker must be an integer.');
  const marker = Number(rawMarker || 0);
  const enc = nameEncoder(ctx);
  const after = [...upload.parts.values()]
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, max);
  const truncated = after.length > max;
  const { info } = upload;
  const initiator = { id: info.initiatorId, displayName: info.initiatorName };
  const owner =
    info.attrs.ownerId === info.initiatorId ? initiator : { id: info.attrs.ownerId, displayName: info.attrs.ownerId };
  // KS3's JAXB answer is `ns2:`-prefixed (§4.18); S3 clients, which read local names only when
  // unprefixed (the AWS SDKs), get S3's plain form when they sign in the AWS namespace.
  const aws = ctx.auth.namespace === 'AWS4';
  const p = aws ? '' : 'ns2:';
  const xml = el(
    `${p}ListPartsResult`,
    [
      text(`${p}Bucket`, bucket.info.name),
      text(`${p}Key`, enc(info.key)),
      text(`${p}UploadId`, info.uploadId),
      principal('Initiator', initiator, p),
      principal('Owner', owner, p),
      text(`${p}StorageClass`, info.attrs.storageClass),
      text(`${p}PartNumberMarker`, marker),
      text(
        `${p}NextPartNumberMarker`,
        page.length ? /** @type {{ partNumber: number }} */ (page[page.length - 1]).partNumber : marker,
      ),
      text(`${p}MaxParts`, max),
      text(`${p}IsTruncated`, truncated),
      ...page.map((part) =>
        el(`${p}Part`, [
          text(`${p}PartNumber`, part.partNumber),
          text(`${p}LastModified`, new Date(part.lastModified).toISOString()),
          text(`${p}ETag`, `"${part.etag}"`),
          text(`${p}Size`, part.size),
        ]),
      ),
    ],
    aws ? { xmlns: S3NS } : { 'xmlns:ns2': S3NS },
  );
  sendXml(ctx, 200, xml, {}, STANDALONE_DECL);
}

/** @param {Ctx} ctx */
export function listMultipartUploads(ctx) {
  const bucket = requireBucket(ctx, 'READ');
  const q = {
    prefix: ctx.query.get('prefix') ?? '',
    delimiter: ctx.query.get('delimiter') ?? '',
    keyMarker: ctx.query.get('key-marker') ?? '',
    uploadIdMarker: ctx.query.get('upload-id-marker') ?? '',
    max: pageSize(ctx, 'max-uploads', MAX_UPLOADS, MAX_UPLOADS),
  };
  const enc = nameEncoder(ctx);
  const page = listUploads(bucket.uploads.values(), q);
  const last = page.entries[page.entries.length - 1];
  const nextKey = last === undefined ? '' : 'prefix' in last ? last.prefix : last.upload.info.key;
  const nextId = last === undefined || 'prefix' in last ? '' : last.upload.info.uploadId;
  const entries = page.entries.map((e) => {
    if ('prefix' in e) return el('CommonPrefixes', text('Prefix', enc(e.prefix)));
    const { info } = e.upload;
    const initiator = { id: info.initiatorId, displayName: info.initiatorName };
    return el('Upload', [
      text('Key', enc(info.key)),
      text('UploadId', info.uploadId),
      principal('Initiator', initiator),
      principal(
        'Owner',
        info.attrs.ownerId === info.initiatorId
          ? initiator
          : { id: info.attrs.ownerId, displayName: info.attrs.ownerId },
      ),
      text('StorageClass', info.attrs.storageClass),
      text('Initiated', new Date(info.initiated).toISOString()),
    ]);
  });
  const xml = el(
    'ListMultipartUploadsResult',
    [
      text('Bucket', bucket.info.name),
      text('KeyMarker', enc(q.keyMarker)),
      text('UploadIdMarker', q.uploadIdMarker),
      text('NextKeyMarker', enc(nextKey)),
      text('NextUploadIdMarker', nextId),
      q.delimiter ? text('Delimiter', enc(q.delimiter)) : '',
      text('Prefix', enc(q.prefix)),
      text('MaxUploads', q.max),
      text('IsTruncated', page.truncated),
      ...entries,
    ],
    { xmlns: S3NS },
  );
  sendXml(ctx, 200, xml);
}
