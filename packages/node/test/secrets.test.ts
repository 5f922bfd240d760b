import { inspect } from 'node:util';
import { expect, test } from 'vitest';
import { createClient, getObject } from '@ks3/node';

const SECRET = 'my-very-secret-key/123+456=';

test('inspecting a client or an error never shows the secret or a signature', async () => {
  const client = createClient({
    endpoint: 'http://ks3.test',
    accessKeyId: 'AKLTx',
    secretAccessKey: SECRET,
    retries: 0,
    fetch: async () => new Response('<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message><SignatureProvided>abc</SignatureProvided></Error>', { status: 403 }),
  });
  expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(SECRET);
  const err = await getObject(client, { bucket: 'bkt', key: 'k' }).catch((e: unknown) => e);
  const shown = inspect(err, { depth: 10, showHidden: true }) + String(err) + JSON.stringify(err);
  expect(shown).not.toContain(SECRET);
  expect(shown).not.toMatch(/KSS AKLTx:/);
  expect(shown).not.toContain('SignatureProvided');
});
