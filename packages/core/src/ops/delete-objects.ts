/**
 * Delete Multiple Objects (`POST /{bucket}?delete`, S3's `Delete` / `DeleteResult` documents;
 * KS3 signs `delete` as a sub-resource, ks3-protocol.md §2.4): up to 1,000 keys per request,
 * with a Content-MD5 as KS3 requires.
 */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { send } from '../request/send.js';
import { childText, children, type XmlNode } from '../xml.js';
import { type BucketOptions, checkText, type Ks3Result, target } from './common.js';
import { parseDocument } from './document.js';
import { isXmlText, xmlElement, xmlRequest } from './xml-body.js';

/** The most keys one request may delete (KS3 and S3). */
export const MAX_DELETE_OBJECTS = 1000;

/** A key to delete, and in a versioned bucket the version to remove for good. */
export interface ObjectIdentifier {
  key: string;
  versionId?: string | undefined;
}

/** Options of {@link deleteObjects}. */
export interface DeleteObjectsOptions extends BucketOptions {
  /** 1 to 1,000 keys (strings) or `{ key, versionId }` entries. */
  objects: ReadonlyArray<string | ObjectIdentifier>;
  /** Ask KS3 to list only the failures (`deleted` is then empty). Default false. */
  quiet?: boolean | undefined;
}

/** A key KS3 deleted (or, in a versioned bucket, hid behind a new delete marker). */
export interface DeletedObject {
  key: string;
  /** The version removed, when one was named. */
  versionId?: string | undefined;
  /** True when the delete made or removed a delete marker. */
  deleteMarker?: boolean | undefined;
  deleteMarkerVersionId?: string | undefined;
}

/** A key KS3 could not delete, with KS3's error code (`AccessDenied`, …). */
export interface DeleteObjectError {
  key: string;
  versionId?: string | undefined;
  code: string;
  message: string;
}

/** What {@link deleteObjects} returns: one entry per key, in `deleted` or in `errors`. */
export interface DeleteObjectsResult extends Ks3Result {
  deleted: DeletedObject[];
  errors: DeleteObjectError[];
}

/**
 * The entries checked: keys are 1–1,024 characters of text XML can carry; `.` and `..` segments
 * are allowed here (they travel in the body, not in a URL).
 */
function checkObjects(objects: unknown, ctx: Ks3ErrorContext): ObjectIdentifier[] {
  if (!Array.isArray(objects))
    throw new Ks3InputError('objects', 'must be an array of keys or { key, versionId }', ctx);
  if (objects.length === 0) throw new Ks3InputError('objects', 'must name at least one key', ctx);
  if (objects.length > MAX_DELETE_OBJECTS) {
    throw new Ks3InputError(
      'objects',
      `names ${objects.length} keys; KS3 deletes at most ${MAX_DELETE_OBJECTS} per request (emptyBucket pages for you)`,
      ctx,
    );
  }
  return objects.map((o: unknown, i) => {
    const entry = (typeof o === 'string' ? { key: o } : o) as ObjectIdentifier | null;
    const key = checkText(`objects[${i}].key`, entry?.key, ctx, false);
    if ([...key].length > 1024) throw new Ks3InputError(`objects[${i}].key`, 'is over 1024 characters', ctx);
    if (!isXmlText(key)) {
      throw new Ks3InputError(
        `objects[${i}].key`,
        'holds a control character XML cannot carry; delete it with deleteObject',
        ctx,
      );
    }
    const versionId = entry!.versionId;
    if (versionId === undefined) return { key };
    return { key, versionId: checkText(`objects[${i}].versionId`, versionId, ctx, false) };
  });
}

/** The request document. */
export function buildDeleteXml(objects: readonly ObjectIdentifier[], quiet: boolean): string {
  const items = objects.map((o) => {
    const version = o.versionId === undefined ? '' : xmlElement('VersionId', o.versionId);
    return `<Object>${xmlElement('Key', o.key)}${version}</Object>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><Delete>${xmlElement('Quiet', quiet)}${items.join('')}</Delete>`;
}

/** Parses a `DeleteResult` root element. */
export function parseDeleteResult(root: XmlNode): Omit<DeleteObjectsResult, 'requestId'> {
  const opt = <T extends object>(o: T, name: keyof T & string, v: string | undefined): void => {
    if (v) (o as Record<string, unknown>)[name] = v;
  };
  const deleted = children(root, 'Deleted').map((d) => {
    const out: DeletedObject = { key: childText(d, 'Key') ?? '' };
    opt(out, 'versionId', childText(d, 'VersionId'));
    if (childText(d, 'DeleteMarker') === 'true') out.deleteMarker = true;
    opt(out, 'deleteMarkerVersionId', childText(d, 'DeleteMarkerVersionId'));
    return out;
  });
  const errors = children(root, 'Error').map((e) => {
    const out: DeleteObjectError = {
      key: childText(e, 'Key') ?? '',
      code: childText(e, 'Code') ?? '',
      message: childText(e, 'Message') ?? '',
    };
    opt(out, 'versionId', childText(e, 'VersionId'));
    return out;
  });
  return { deleted, errors };
}

/**
 * Deletes up to 1,000 objects in one request. A key KS3 could not delete is reported in
 * `errors` (the call itself succeeds); a key that does not exist counts as deleted, as with
 * `deleteObject`. Retried like an idempotent request: deleting twice is harmless.
 * @throws {Ks3InputError} for no keys, more than 1,000, or a bad key — before any request.
 * @throws {Ks3ServiceError} for the request as a whole, e.g. `NoSuchBucket`.
 * @example
 * const { deleted, errors } = await deleteObjects(client, { bucket, objects: ['a.txt', { key: 'b.txt', versionId }] });
 */
export async function deleteObjects(client: Client, o: DeleteObjectsOptions): Promise<DeleteObjectsResult> {
  const ctx = target('DeleteObjects', client, o, false);
  const objects = checkObjects(o.objects, ctx);
  if (o.quiet !== undefined && typeof o.quiet !== 'boolean') throw new Ks3InputError('quiet', 'must be a boolean', ctx);
  const { body, headers } = await xmlRequest(client, buildDeleteXml(objects, o.quiet === true), o.headers, ctx);
  const res = await send(client, {
    op: 'DeleteObjects',
    method: 'POST',
    bucket: ctx.bucket,
    query: [['delete']],
    headers,
    body,
    signal: o.signal,
    idempotent: true,
    ok: (s) => s === 200,
    read: 'text',
  });
  return { ...parseDeleteResult(await parseDocument(res, 'DeleteResult', ctx)), requestId: res.requestId };
}
