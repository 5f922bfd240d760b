/**
 * The sending half of `postObject`, loaded on first use: the form (fields in order, the file
 * last, as KS3 requires) over XMLHttpRequest, whose upload events give byte-level progress.
 */
import { Ks3InputError, Ks3NetworkError, type TransferProgress } from '@ks3/core';
import { serviceError } from '@ks3/core/internal';
import type { PostObjectOptions, PostObjectResult } from './post-object.js';

const ctx = { operation: 'PostObject' };

function checkOptions(o: PostObjectOptions): void {
  const bad = (param: string, why: string): never => {
    throw new Ks3InputError(param, why, ctx);
  };
  if (typeof o !== 'object' || o === null) bad('options', 'must be an object');
  if (typeof o.url !== 'string' || !/^https?:\/\//.test(o.url)) bad('url', 'must be the http(s) URL of the policy');
  if (typeof o.fields !== 'object' || o.fields === null || typeof o.fields.key !== 'string')
    bad('fields', 'must be the signed fields, with a key');
  for (const [n, v] of Object.entries(o.fields)) if (typeof v !== 'string') bad('fields', `${n} must be a string`);
  if (!(o.file instanceof Blob)) bad('file', 'must be a File or Blob');
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') bad('onProgress', 'must be a function');
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) bad('signal', 'must be an AbortSignal');
}

function responseHeaders(xhr: XMLHttpRequest): Headers {
  const headers = new Headers();
  for (const line of xhr.getAllResponseHeaders().split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return headers;
}

/** Builds the form: fields as signed (a Content-Type prefix becomes the file's type), then the file. */
function form(o: PostObjectOptions): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(o.fields)) {
    let v = value;
    if (name.toLowerCase() === 'content-type') {
      const own = o.file.type;
      v = o.contentType ?? (own && own !== value && own.startsWith(value) ? own : value);
    }
    data.append(name, v);
  }
  const name = o.fileName ?? (o.file as File).name ?? 'blob';
  data.append('file', o.file, name);
  return data;
}

/** Sends the form; see `postObject`. */
export function sendPostForm(o: PostObjectOptions): Promise<PostObjectResult> {
  checkOptions(o);
  const body = form(o);
  const size = o.file.size;
  return new Promise<PostObjectResult>((resolve, reject) => {
    const { signal } = o;
    if (signal?.aborted) return reject(signal.reason);
    const xhr = new XMLHttpRequest();
    const abort = (): void => xhr.abort();
    const done = (): void => signal?.removeEventListener('abort', abort);
    let last = 0;
    const progress = (loaded: number): void => {
      // The form adds its other fields and boundaries: count the file's share, never backwards.
      const n = Math.min(size, Math.max(last, loaded));
      if (n === last && n !== 0) return;
      last = n;
      o.onProgress?.({ loaded: n, total: size } satisfies TransferProgress);
    };
    xhr.open('POST', o.url);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => progress(e.total > 0 ? Math.floor((e.loaded * size) / e.total) : 0);
    xhr.onload = () => {
      done();
      const headers = responseHeaders(xhr);
      const requestId = headers.get('x-kss-request-id') ?? undefined;
      if (xhr.status < 200 || xhr.status >= 400) {
        reject(serviceError(xhr.status, headers, xhr.responseText, 'POST', { ...ctx, key: o.fields.key }));
        return;
      }
      progress(size);
      const text = xhr.responseText;
      const etag = headers.get('etag') ?? /<ETag>([^<]*)<\/ETag>/.exec(text)?.[1]?.replace(/&quot;/g, '"');
      const location = headers.get('location') ?? /<Location>([^<]*)<\/Location>/.exec(text)?.[1];
      resolve({ status: xhr.status, etag: etag ?? undefined, location: location ?? undefined, body: text, requestId });
    };
    xhr.onerror = () => {
      done();
      reject(new Ks3NetworkError('PostObject POST failed: no answer (network error, or CORS refused it)', ctx));
    };
    xhr.onabort = () => (done(), reject(signal?.reason ?? new DOMException('The upload was aborted', 'AbortError')));
    signal?.addEventListener('abort', abort, { once: true });
    xhr.send(body);
  });
}
