/** A browser app (lib dom): the web types are the DOM's own, and they fit where the SDK takes them. */
import { createClient, getObject, putObject } from '@ks3/browser';

const client = createClient({
  endpoint: 'ks3-cn-beijing.ksyuncs.com',
  fetch: window.fetch.bind(window),
  anonymous: true,
});
await putObject(client, { bucket: 'b', key: 'k', body: new File(['x'], 'x.txt') });
await putObject(client, { bucket: 'b', key: 'k', body: new ReadableStream<Uint8Array>(), size: 0 });
const obj = await getObject(client, { bucket: 'b', key: 'k', signal: AbortSignal.timeout(1000) });
const response: Response = new Response(obj.body);
// @ts-expect-error a stream of strings is not a body
await putObject(client, { bucket: 'b', key: 'k', body: new ReadableStream<string>() });
export { response };
