import { expect, test } from 'vitest';
test('webcrypto present', async () => {
  const k = await crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  expect(k.type).toBe('secret');
});
