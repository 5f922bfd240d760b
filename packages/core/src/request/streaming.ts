/**
 * Can the client's fetch send a ReadableStream body? The platform's fetch can (Node; browsers
 * never stream, see platform.browser.ts). An injected fetch is asked once, with a harmless
 * OPTIONS request carrying a one-byte stream: a fetch that understands web streams reads it
 * while sending; one that does not (node-fetch 2 behind fetch-ponyfill sends the text
 * "[object ReadableStream]") never touches it. So wrapping fetch (for logging, say) keeps
 * streaming, and a fetch that cannot stream gets bodies from memory instead of corrupting them.
 */
import type { Client } from '../client.js';
import { clientState } from '../client-state.js';
import { originFor } from './url.js';

const probes = new WeakMap<object, Promise<boolean>>();

/** true / false, or undefined when the probe got no answer (ask again next time). */
async function probe(client: Client): Promise<boolean | undefined> {
  let pulled = false;
  // highWaterMark 0: the stream must not pull on its own to fill a queue, only when read.
  const body = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        pulled = true;
        c.enqueue(new Uint8Array([0]));
        c.close();
      },
    },
    { highWaterMark: 0 },
  );
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 10_000);
  try {
    const init: RequestInit & { duplex: 'half' } = {
      method: 'OPTIONS',
      body,
      duplex: 'half',
      headers: { 'content-length': '1' },
      signal: ac.signal,
      redirect: 'manual',
    };
    const res = await client.fetch(`${originFor(client, undefined)}/`, init);
    // Discard the answer. Fetches without web streams (node-fetch 2) give a Node stream here,
    // which has no cancel(): that must not make the probe inconclusive (it would run again
    // before every large upload).
    const rest = res.body as { cancel?: () => Promise<void>; destroy?: () => void } | null;
    if (typeof rest?.cancel === 'function') await rest.cancel().catch(() => {});
    else rest?.destroy?.();
  } catch {
    // No answer: a fetch that reads streams may not have got as far as the body. Inconclusive
    // unless it did read it.
    return pulled || undefined;
  } finally {
    clearTimeout(timer);
  }
  return pulled;
}

/** Whether this attempt may hand fetch a stream body (detected once per client). */
export async function canStream(client: Client): Promise<boolean> {
  const state = clientState(client);
  if (state.streaming !== undefined) return state.streaming;
  let p = probes.get(client);
  if (!p) {
    p = probe(client).then((ok) => {
      probes.delete(client);
      if (ok !== undefined) state.streaming = ok;
      return ok === true;
    });
    probes.set(client, p);
  }
  return p;
}
