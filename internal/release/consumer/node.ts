/** A Node app (@types/node, no DOM): Node's own web types fit, and a Node Readable goes to upload() only. */
import { Readable } from 'node:stream';
import { startEmulator } from '@ks3/emulator';
import { createClient, type Fetch, getObject, putObject, upload } from '@ks3/node';

const client = createClient({
  endpoint: 'ks3-cn-beijing.ksyuncs.com',
  accessKeyId: process.env.KS3_ACCESS_KEY,
  secretAccessKey: process.env.KS3_SECRET_KEY,
});
const stream = Readable.from([Buffer.from('a')]);
// @ts-expect-error putObject takes web streams; a Node Readable goes to upload()
await putObject(client, { bucket: 'b', key: 'k', body: stream });
await upload(client, { bucket: 'b', key: 'k', body: stream });
await putObject(client, { bucket: 'b', key: 'k', body: Buffer.from('x') });
await putObject(client, { bucket: 'b', key: 'k', body: new Blob(['x']) });
const obj = await getObject(client, { bucket: 'b', key: 'k' });
const chunk = await obj.body.getReader().read();
const bytes: Uint8Array | undefined = chunk.value;
const logged: Fetch = (input, init) => fetch(input, init);
createClient({ endpoint: 'http://127.0.0.1:9000', fetch: logged, anonymous: true });
const emu = await startEmulator({ dataDir: './ks3-data', quiet: true });
const url: string = emu.url;
await emu.close();
export { bytes, url };
