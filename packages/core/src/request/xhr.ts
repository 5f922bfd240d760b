/**
 * An upload transport with byte-level progress for browsers: fetch cannot report upload progress,
 * XMLHttpRequest can. Used only for requests with a body whose caller asked for progress, with
 * the platform's own fetch (an injected fetch is kept), and loaded only then.
 */

/** Sends one request with XMLHttpRequest; `onUpload` gets the bytes of the body sent so far. */
export function xhrFetch(url: string, init: RequestInit, onUpload: (loaded: number) => void): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const signal = init.signal;
    const abort = (): void => xhr.abort();
    const done = (): void => signal?.removeEventListener('abort', abort);
    xhr.open(init.method ?? 'GET', url);
    xhr.responseType = 'arraybuffer';
    for (const [name, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) {
      // The browser writes Content-Length itself (a signer may have signed it: the same value).
      if (name !== 'content-length') xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => onUpload(e.loaded);
    xhr.onload = () => {
      done();
      const headers = new Headers();
      for (const line of xhr
        .getAllResponseHeaders()
        .trim()
        .split(/[\r\n]+/)) {
        const i = line.indexOf(':');
        if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
      }
      // A null-body status (204, 304) cannot carry a body in a Response.
      const empty = xhr.status === 204 || xhr.status === 304 || xhr.status === 205;
      resolve(new Response(empty ? null : (xhr.response as ArrayBuffer), { status: xhr.status, headers }));
    };
    // Same shapes as fetch's failures: a TypeError for the network, the signal's reason for aborts.
    xhr.onerror = () => (done(), reject(new TypeError('Failed to fetch (XMLHttpRequest network error)')));
    xhr.onabort = () => (done(), reject(signal?.reason ?? new DOMException('The upload was aborted', 'AbortError')));
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener('abort', abort, { once: true });
    xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
  });
}
