import { inspect } from 'node:util';
import { expect, test } from 'vitest';
import { createClient, getObject } from '@ks3/node';

const SECRET = 'my-very-secret-key/123+456=';
const TOKEN = 'sts-token-that-must-not-leak';
const KEY = 'sixteen-byte-key';

test('inspecting a client or an error never shows the secret, the token, the key or a signature', async () => {
  const client = createClient({
    endpoint: 'http://ks3.test',
    accessKeyId: 'AKLTx',
    secretAccessKey: SECRET,
    securityToken: TOKEN,
    encryption: { key: KEY },
    retries: 0,
    fetch: async () =>
      new Response(
        '<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message><SignatureProvided>abc</SignatureProvided></Error>',
        { status: 403 },
      ),
  });
  const shownClient = inspect(client, { depth: 10, showHidden: true }) + JSON.stringify(client);
  for (const secret of [SECRET, TOKEN, KEY]) expect(shownClient).not.toContain(secret);
  const err = await getObject(client, { bucket: 'bkt', key: 'k' }).catch((e: unknown) => e);
  const shown = inspect(err, { depth: 10, showHidden: true }) + String(err) + JSON.stringify(err);
  for (const secret of [SECRET, TOKEN, KEY]) expect(shown).not.toContain(secret);
  expect(shown).not.toMatch(/KSS AKLTx:/);
  expect(shown).not.toContain('SignatureProvided');
});
