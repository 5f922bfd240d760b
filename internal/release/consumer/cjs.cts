// A CommonJS TypeScript module: require() resolves the .d.cts types.
import ks3 = require('@ks3/node');

const client = ks3.createClient({ endpoint: 'http://127.0.0.1:9000', anonymous: true });
export const pending: Promise<ks3.PutObjectResult> = ks3.putObject(client, { bucket: 'b', key: 'k', body: 'x' });
