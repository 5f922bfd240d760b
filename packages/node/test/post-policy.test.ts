/**
 * createPostPolicy: the document it signs (conditions for every field, the expiry), its fields in
 * the order KS3 wants, forms posted from Node (fetch + FormData) that the emulator accepts —
 * temporary credentials included — and every bad option refused before anything is signed.
 * Browser posts with progress are in packages/browser/test/post-object.browser.test.ts.
 */
import { beforeAll, describe, expect, inject, test } from 'vitest';
import { createBucket, createClient, createPostPolicy, getObject, type PostPolicyOptions } from '@ks3/node';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';
import { callEmulatorAdmin } from '../../../internal/test-utils/emulator-admin.js';

const { endpoint } = inject('ks3');
const bucket = `post-${Math.random().toString(36).slice(2, 9)}`;
const owner = createClient({ endpoint, ...TEST_CREDENTIALS });
const base: PostPolicyOptions = { endpoint, credentials: TEST_CREDENTIALS, bucket, keyPrefix: 'in/' };

async function post(url: string, fields: Record<string, string>, file: Blob, name = 'a.txt'): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', file, name);
  return fetch(url, { method: 'POST', body: form });
}

beforeAll(() => createBucket(owner, { bucket }));

describe('createPostPolicy', () => {
  test('signs a condition for every field; the emulator accepts the form', async () => {
    const now = Date.UTC(2030, 0, 1);
    const p = await createPostPolicy({
      ...base,
      contentLengthRange: [1, 100],
      contentType: 'text/plain',
      acl: 'private',
      metadata: { Origin: 'form' },
      successActionStatus: 201,
      expiresIn: 300,
      now: () => now,
    });
    expect(Object.keys(p.fields)).toEqual([
      'key',
      'Content-Type',
      'acl',
      'success_action_status',
      'x-kss-meta-origin',
      'KSSAccessKeyId',
      'Policy',
      'Signature',
    ]);
    expect(p.url).toBe(`${endpoint}/${bucket}`);
    expect(p.fields.key).toBe('in/${filename}');
    expect(p.policy).toEqual({
      expiration: '2030-01-01T00:05:00.000Z',
      conditions: [
        { bucket },
        ['starts-with', '$key', 'in/'],
        ['content-length-range', 1, 100],
        ['eq', '$Content-Type', 'text/plain'],
        { acl: 'private' },
        { success_action_status: '201' },
        { 'x-kss-meta-origin': 'form' },
      ],
    });
    expect(JSON.parse(atob(p.fields.Policy!))).toEqual(p.policy);
    const live = await createPostPolicy({ ...base, contentLengthRange: [1, 100], successActionStatus: 201 });
    const res = await post(live.url, live.fields, new Blob(['from node']), 'n.txt');
    expect(res.status).toBe(201);
    expect(await (await getObject(owner, { bucket, key: 'in/n.txt' })).text()).toBe('from node');
  });

  test('temporary credentials sign with their token as a field', async () => {
    const s = (await callEmulatorAdmin(endpoint, 'sessions', { durationSeconds: 60 })) as {
      accessKeyId: string;
      secretAccessKey: string;
      securityToken: string;
    };
    const p = await createPostPolicy({ ...base, credentials: s, key: 'in/token.txt', keyPrefix: undefined });
    expect(p.fields['x-kss-security-token']).toBe(s.securityToken);
    expect((await post(p.url, p.fields, new Blob(['t']))).status).toBe(204);
    const { 'x-kss-security-token': _, ...withoutToken } = p.fields;
    const refused = await post(p.url, withoutToken, new Blob(['t']));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('InvalidToken');
  });

  test.each([
    ['key', { keyPrefix: undefined }],
    ['key', { key: 'in/a' }],
    ['bucket', { bucket: 'Not_A_Bucket' }],
    ['contentLengthRange', { contentLengthRange: [10, 1] }],
    ['contentType', { contentType: 'a', contentTypePrefix: 'b' }],
    ['acl', { acl: 'world-writable' }],
    ['successActionStatus', { successActionStatus: 302 }],
    ['successActionRedirect', { successActionRedirect: 'javascript:alert(1)' }],
    ['expiresIn', { expiresIn: 8 * 86_400 }],
    ['metadata', { metadata: { 'bad name': 'x' } }],
    ['callback', { callback: { url: 'ftp://x', body: '' } }],
    ['credentials', { credentials: { accessKeyId: 'AK' } }],
  ])('bad %s is a Ks3InputError', async (param, over) => {
    const err = await createPostPolicy({ ...base, ...(over as object) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3InputError', param });
  });
});
