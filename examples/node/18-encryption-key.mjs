// Guide: from ks3.encryption import Crypts; Crypts.generate_key('your_path', 'key_name')
//        and the key's MD5 stored as metadata: base64(md5(key).hexdigest())
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyFile, keyFingerprint, loadKeyFile } from '@ks3/node';

const dir = mkdtempSync(join(tmpdir(), 'ks3-example-'));
const path = join(dir, 'key_name');
await generateKeyFile(path); // 16 random bytes, mode 0600; refuses to overwrite
console.log('key file mode:', (statSync(path).mode & 0o777).toString(8));
const key = await loadKeyFile(path);
console.log('x-kss-meta-key of this key:', keyFingerprint(key));
console.log('of the demo key "ks3-demo-key-16b":', keyFingerprint(new TextEncoder().encode('ks3-demo-key-16b')));
await generateKeyFile(path).catch((e) => console.log('second generate:', e.name, '-', e.message));
rmSync(dir, { recursive: true });
