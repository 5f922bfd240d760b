/** The target of the calls on one multipart upload: bucket, key and upload id. */
import type { Client } from '../client.js';
import { checkText, type ObjectOptions, type Target, target } from './common.js';

/** An upload in progress. */
export interface UploadTarget extends ObjectOptions {
  uploadId: string;
}

/** Checks bucket, key and upload id. */
export function checkUpload(client: Client, o: UploadTarget, op: string): Target & { key: string } {
  const ctx = target(op, client, o, true);
  checkText('uploadId', o.uploadId, ctx, false);
  return ctx;
}
