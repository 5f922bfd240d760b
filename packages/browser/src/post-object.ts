/**
 * POST-policy uploads, the page half: posts a File with the fields a server signed
 * (`createPostPolicy` of @ks3/node) as a multipart form, through XMLHttpRequest for byte-level
 * progress. The sending code is loaded on the first call.
 */
import type { Ks3Result, TransferProgress } from '@ks3/core';

/** Options of {@link postObject}. */
export interface PostObjectOptions {
  /** Where to post, as the server's policy says. */
  url: string;
  /** The signed fields, in order (`key` first). */
  fields: Readonly<Record<string, string>>;
  /** The file (its name replaces `${filename}` in the key). */
  file: Blob;
  /** The file name sent with it (default: the File's own name, else `blob`). */
  fileName?: string | undefined;
  /**
   * The object's Content-Type when the fields carry a `Content-Type` prefix (policy built with
   * `contentTypePrefix`): default the file's type if it starts with that prefix.
   */
  contentType?: string | undefined;
  /** Bytes of the file sent so far (the form's other fields are not counted). */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** What {@link postObject} resolves to. */
export interface PostObjectResult extends Ks3Result {
  /** 204, 200 or 201 (per `success_action_status`), or the redirect target's status. */
  status: number;
  /** The object's ETag, quotes included, when KS3 sent (and CORS exposes) it. */
  etag: string | undefined;
  /** The object's URL, when KS3 sent it. */
  location: string | undefined;
  /** The answer body: `<PostResponse>` XML for 200/201, an upload callback's reply, or ''. */
  body: string;
}

/**
 * Uploads a file with a signed POST-policy form.
 * @throws `Ks3InputError` for missing options; `Ks3ServiceError` with KS3's code when it refuses
 * the form (`AccessDenied` "Invalid according to Policy…", `EntityTooLarge`,
 * `SignatureDoesNotMatch`, …); `Ks3NetworkError` when no answer came (also a CORS refusal); the
 * signal's reason when it aborts.
 * @example
 * const { url, fields } = await (await fetch('/api/post-policy')).json();
 * await postObject({ url, fields, file, onProgress: ({ loaded, total }) => bar(loaded / total) });
 */
export async function postObject(o: PostObjectOptions): Promise<PostObjectResult> {
  return (await import('./post-xhr.js')).sendPostForm(o);
}
