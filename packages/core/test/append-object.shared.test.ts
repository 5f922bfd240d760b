/**
 * appendObject's answers that the emulator always gets right and KS3 might not: a 409 whose
 * body was cut, a 200 without `x-kss-next-append-position`. A scripted fetch plays them.
 */
import { expect, test } from 'vitest';
import { appendObject, createClient, isKs3ProtocolError, isKs3ServiceError, type AppendPositionError } from '@ks3/core';

const clientFor = (answer: () => Response) =>
  createClient({
    endpoint: 'http://ks3.test',
    accessKeyId: 'AKLTunit',
    secretAccessKey: 'unit-secret',
    retries: 0,
    fetch: async () => answer(),
  });
const o = { bucket: 'bucket-ok', key: 'log.txt', position: 5, body: 'abc' };

test('a wrong position: the error carries nextPosition, also when the error body breaks off', async () => {
  const cut = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode('<Error><Code>PositionNot'));
      c.error(new TypeError('connection reset'));
    },
  });
  const client = clientFor(() => new Response(cut, { status: 409, headers: { 'x-kss-next-append-position': '12' } }));
  const err = (await appendObject(client, o).catch((e: unknown) => e)) as AppendPositionError;
  expect(isKs3ServiceError(err)).toBe(true);
  // Without a readable body the code is the status's, and the position still comes through.
  expect(err).toMatchObject({ status: 409, code: 'Conflict', attempts: 1, nextPosition: 12 });
  const whole = clientFor(
    () =>
      new Response('<Error><Code>PositionNotEqualToLength</Code><Message>m</Message></Error>', {
        status: 409,
        headers: { 'x-kss-next-append-position': '12' },
      }),
  );
  expect(await appendObject(whole, o).catch((e: unknown) => e)).toMatchObject({
    code: 'PositionNotEqualToLength',
    nextPosition: 12,
  });
});

test('another 409 (ObjectNotAppendable) carries no nextPosition', async () => {
  const client = clientFor(() => new Response('<Error><Code>ObjectNotAppendable</Code></Error>', { status: 409 }));
  const err = (await appendObject(client, o).catch((e: unknown) => e)) as AppendPositionError;
  expect(err.code).toBe('ObjectNotAppendable');
  expect('nextPosition' in err).toBe(false);
});

test('a 200 without x-kss-next-append-position: position + size, or a protocol error when the size is unknown', async () => {
  const ok = () => new Response(null, { status: 200, headers: { etag: '"e"' } });
  expect(await appendObject(clientFor(ok), o)).toMatchObject({ etag: '"e"', nextPosition: 8 });
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new Uint8Array(3));
      c.close();
    },
  });
  const err = await appendObject(clientFor(ok), { ...o, body: stream }).catch((e: unknown) => e);
  expect(isKs3ProtocolError(err)).toBe(true);
  expect((err as Error).message).toContain('x-kss-next-append-position');
});
