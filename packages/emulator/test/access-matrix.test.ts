/**
 * Who may do what, as a whole matrix (§2.8 for anonymous requests, S3's ACL semantics where it is
 * silent): bucket owner / another signed identity / anonymous × private, public-read,
 * public-read-write, authenticated-read × every operation the emulator routes (the tables are in
 * helpers/access-ops*.ts). The README's table says the same.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/faults.js';
import { ACLS, type Acl, BASE_OPS, CREDS_OF, type Ids, type Op, rights, type Who } from './helpers/access-ops.js';
import { API_OPS, setupRequests } from './helpers/access-ops-api.js';
import { bucketName, useEmulator, type Fixture } from './helpers/emulator.js';
import { code, type Res, type SignedRequest, xml1 } from './helpers/ks3.js';

const OPS: Op[] = [...BASE_OPS, ...API_OPS];

/** A loopback source for PUT Fetch. */
const source = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('fetched'));
let sourceUrl = '';
beforeAll(async () => {
  await new Promise<void>((ok) => source.listen(0, '127.0.0.1', ok));
  sourceUrl = `http://127.0.0.1:${(source.address() as AddressInfo).port}/src.txt`;
});
afterAll(async () => {
  source.closeAllConnections();
  await new Promise((ok) => source.close(ok));
});

/** A bucket with `acl`, owned by CREDS, holding everything the operations above touch. */
async function prepare(f: Fixture, acl: Acl): Promise<{ bucket: string; ids: Ids }> {
  const bucket = bucketName(acl.slice(0, 10));
  const must = async (r: SignedRequest) => {
    const res = await f.send(r);
    if (res.status >= 300) throw new Error(`setup ${r.method} ${r.key} ${r.query ?? ''}: ${res.status} ${res.text}`);
    return res;
  };
  await must({ method: 'PUT', bucket, key: '', headers: { 'x-kss-acl': acl } });
  await must({ method: 'PUT', bucket, key: 'obj', body: 'object' });
  const ids: Ids = { acl, source: sourceUrl };
  for (const r of setupRequests(bucket)) await must(r);
  for (const who of ['owner', 'other', 'anonymous'] as Who[]) {
    await must({ method: 'PUT', bucket, key: `del-${who}`, body: 'd' });
    await must({ method: 'PUT', bucket, key: `del-${who}-acl`, body: 'a' });
    for (const prefix of ['mp', 'cmp', 'abt']) {
      const key = `${prefix}-${who}`;
      const init = await must({ method: 'POST', bucket, key, query: 'uploads' });
      const id = xml1(init.text, 'UploadId') ?? '';
      ids[key] = id;
      const part = await must({ method: 'PUT', bucket, key, query: `partNumber=1&uploadId=${id}`, body: 'part one' });
      ids[`${key}-etag`] = String(part.headers.etag);
    }
  }
  return { bucket, ids };
}

/** Allowed or denied, from the answer; undefined for anything else (a bug in the emulator or the table). */
function outcome(op: Op, res: Res): 'allowed' | 'denied' | undefined {
  if (op.judge) return op.judge(res);
  if (res.status === op.ok) return 'allowed';
  // HEAD answers carry no body.
  return res.status === 403 && (res.text === '' || code(res) === 'AccessDenied') ? 'denied' : undefined;
}

describe('access matrix: requester × bucket ACL × operation', () => {
  const f = useEmulator();

  it('covers every operation the emulator routes, once', () => {
    const names = OPS.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...OPERATIONS].sort());
  });

  for (const acl of ACLS) {
    it(`${acl} bucket`, async () => {
      const { bucket, ids } = await prepare(f, acl);
      const wrong: string[] = [];
      for (const who of ['owner', 'other', 'anonymous'] as Who[]) {
        for (const op of OPS) {
          const res = op.send
            ? await op.send(f, bucket, who, ids)
            : await f.send({ ...(op.request?.(bucket, who, ids) as SignedRequest), creds: CREDS_OF[who] });
          const expected = op.allowed(rights(who, acl)) ? 'allowed' : 'denied';
          const got = outcome(op, res);
          if (got !== expected)
            wrong.push(`${who} ${op.name}: ${res.status} ${got}, expected ${expected} ${res.text.slice(0, 160)}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
