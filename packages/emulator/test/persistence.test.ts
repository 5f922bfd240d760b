/** Disk state: restarts, startup garbage collection, disconnects mid-upload, and a SIGKILL crash. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { start, tempDir } from './helpers/emulator.js';
import { CREDS, hmac, rawRequest, send, stringToSign, xml1, xmlAll } from './helpers/ks3.js';
import { sendV4 } from './helpers/v4-client.js';

const BIN = fileURLToPath(new URL('../bin/ks3-emulator.js', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function dir() {
  const d = tempDir();
  dirs.push(d);
  return d;
}

/** Every file below `root`, as paths relative to it. */
function files(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out.push(`${rel}${name}`);
    }
  };
  walk(root, '');
  return out;
}

/** Polls `check` every 20 ms for at most `ms`. */
async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe('restart persistence and startup GC', () => {
  it('keeps buckets, objects, metadata, ACLs, logging and in-progress uploads across a restart', async () => {
    const data = dir();
    let emu = await start({}, data);
    const b = 'persist-bucket';
    const target = 'persist-logs';
    await send(emu.url, {
      method: 'PUT',
      bucket: b,
      key: '',
      headers: { 'x-kss-acl': 'public-read' },
      body: '<CreateBucketConfiguration><LocationConstraint>SHANGHAI</LocationConstraint></CreateBucketConfiguration>',
    });
    await send(emu.url, { method: 'PUT', bucket: target, key: '' });
    await send(emu.url, {
      method: 'PUT',
      bucket: b,
      key: '',
      query: 'logging',
      body: `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${target}</TargetBucket><TargetPrefix>p/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`,
    });
    await send(emu.url, {
      method: 'PUT',
      bucket: b,
      key: 'dir/a b.txt',
      body: 'persisted',
      headers: { 'Content-Type': 'text/plain', 'x-kss-meta-k': 'V', 'x-kss-storage-class': 'STANDARD_IA' },
    });
    const init = await send(emu.url, { method: 'POST', bucket: b, key: 'mp', query: 'uploads' });
    const id = xml1(init.text, 'UploadId') ?? '';
    const etag = (
      await send(emu.url, {
        method: 'PUT',
        bucket: b,
        key: 'mp',
        query: `partNumber=1&uploadId=${id}`,
        body: 'part one',
      })
    ).headers.etag;
    await emu.close();

    emu = await start({}, data);
    try {
      const get = await send(emu.url, { method: 'GET', bucket: b, key: 'dir/a b.txt', creds: null });
      expect([
        get.status,
        get.text,
        get.headers['content-type'],
        get.headers['x-kss-meta-k'],
        get.headers['x-kss-storage-class'],
      ]).toEqual([200, 'persisted', 'text/plain', 'V', 'STANDARD_IA']);
      expect(
        xml1(
          (await send(emu.url, { method: 'GET', bucket: b, key: '', query: 'location' })).text,
          'LocationConstraint',
        ),
      ).toBe('SHANGHAI');
      expect(
        xml1((await send(emu.url, { method: 'GET', bucket: b, key: '', query: 'logging' })).text, 'TargetPrefix'),
      ).toBe('p/');
      expect(xmlAll((await send(emu.url, { method: 'GET', bucket: b, key: '' })).text, 'Key')).toEqual(['dir/a b.txt']);
      expect(
        xmlAll((await send(emu.url, { method: 'GET', bucket: b, key: '', query: 'uploads' })).text, 'UploadId'),
      ).toEqual([id]);
      const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
      expect(
        (await send(emu.url, { method: 'POST', bucket: b, key: 'mp', query: `uploadId=${id}`, body })).status,
      ).toBe(200);
      expect((await send(emu.url, { method: 'GET', bucket: b, key: 'mp' })).text).toBe('part one');
      // Upload ids keep sorting after a restart.
      const next =
        xml1((await send(emu.url, { method: 'POST', bucket: b, key: 'mp2', query: 'uploads' })).text, 'UploadId') ?? '';
      expect(next > id).toBe(true);
    } finally {
      await emu.close();
    }
  });

  it('clears tmp/ and deletes data that no committed metadata references', async () => {
    const data = dir();
    let emu = await start({}, data);
    await send(emu.url, { method: 'PUT', bucket: 'gc-bucket', key: '' });
    await send(emu.url, { method: 'PUT', bucket: 'gc-bucket', key: 'keep', body: 'kept' });
    const init = await send(emu.url, { method: 'POST', bucket: 'gc-bucket', key: 'mp', query: 'uploads' });
    const id = xml1(init.text, 'UploadId') ?? '';
    await send(emu.url, {
      method: 'PUT',
      bucket: 'gc-bucket',
      key: 'mp',
      query: `partNumber=1&uploadId=${id}`,
      body: 'p',
    });
    await emu.close();
    const before = files(data);
    const bucketDir = join(data, 'buckets', 'gc-bucket');
    writeFileSync(join(data, 'tmp', 'half-written-upload'), 'partial');
    writeFileSync(join(bucketDir, 'data', 'orphan0000000000000000000'), 'orphan');
    writeFileSync(join(bucketDir, 'uploads', id, 'orphanpart00000000000000'), 'orphan part');
    mkdirSync(join(bucketDir, 'uploads', 'no-upload-json'));
    writeFileSync(join(bucketDir, 'uploads', 'no-upload-json', 'x'), 'x');
    mkdirSync(join(data, 'buckets', 'half-created'));

    emu = await start({}, data);
    try {
      expect(files(data).sort()).toEqual(before.sort());
      expect(readdirSync(join(data, 'tmp'))).toEqual([]);
      expect((await send(emu.url, { method: 'GET', bucket: 'gc-bucket', key: 'keep' })).text).toBe('kept');
    } finally {
      await emu.close();
    }
  });

  it('a client disconnecting mid-upload leaves no temp file and no object, and the server keeps serving', async () => {
    const data = dir();
    const emu = await start({}, data);
    try {
      await send(emu.url, { method: 'PUT', bucket: 'gone-bucket', key: '' });
      const u = new URL(emu.url);
      const date = new Date().toUTCString();
      const sig = hmac(CREDS.secretAccessKey, stringToSign('PUT', {}, date, '/gone-bucket/half.bin'));
      const req = http.request({
        host: u.hostname,
        port: u.port,
        method: 'PUT',
        path: '/gone-bucket/half.bin',
        headers: {
          Date: date,
          Authorization: `KSS ${CREDS.accessKeyId}:${sig}`,
          'Content-Length': String(8 * 1024 * 1024),
        },
      });
      req.on('error', () => {});
      req.write(Buffer.alloc(1024 * 1024, 1));
      expect(await waitFor(() => readdirSync(join(data, 'tmp')).length > 0, 5000)).toBe(true);
      req.destroy();
      expect(await waitFor(() => readdirSync(join(data, 'tmp')).length === 0, 5000)).toBe(true);
      expect((await send(emu.url, { method: 'HEAD', bucket: 'gone-bucket', key: 'half.bin' })).status).toBe(404);
      expect(files(join(data, 'buckets', 'gone-bucket', 'data'))).toEqual([]);
    } finally {
      await emu.close();
    }
  });
});

describe('CLI', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  /** Spawns the CLI and waits (at most 15 s) for its listening line. */
  function spawnCli(
    dataDir: string,
    env: Record<string, string> = { KS3_ACCESS_KEY: CREDS.accessKeyId, KS3_SECRET_KEY: CREDS.secretAccessKey },
    args: string[] = [],
  ) {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--data', dataDir, '--quiet', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    return new Promise<{ child: ChildProcess; url: string; output: () => string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out}`)), 15_000);
      child.stdout?.on('data', (c) => {
        out += c;
        const m = /^KS3 emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve({ child, url: m[1], output: () => out });
        }
      });
      child.on('exit', (code) => reject(new Error(`CLI exited early (${code}): ${out}`)));
    });
  }

  const exited = (child: ChildProcess) =>
    new Promise<number | null>((r) =>
      child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
    );

  it('prints one listening line, prints default credentials when none are set, binds --domain, stops cleanly on SIGTERM', async () => {
    const cli = await spawnCli(dir(), {}, ['--domain', 'cdn.cli.test=cli-bucket']);
    expect(cli.output()).toContain(
      'KS3_ACCESS_KEY=AKLTks3EmulatorLocal01 KS3_SECRET_KEY=ks3emulator/local+secret=0000',
    );
    expect(cli.output().match(/KS3 emulator listening on/g)).toHaveLength(1);
    const creds = { accessKeyId: 'AKLTks3EmulatorLocal01', secretAccessKey: 'ks3emulator/local+secret=0000' };
    expect((await send(cli.url, { method: 'PUT', bucket: 'cli-bucket', key: '', creds })).status).toBe(200);
    const date = new Date().toUTCString();
    const sig = hmac(creds.secretAccessKey, stringToSign('PUT', {}, date, '/cli-bucket/via-domain.txt'));
    const put = await rawRequest(cli.url, {
      method: 'PUT',
      path: '/via-domain.txt',
      host: 'cdn.cli.test',
      headers: { Date: date, Authorization: `KSS ${creds.accessKeyId}:${sig}` },
      body: 'bound',
    });
    expect(put.status).toBe(200);
    expect((await send(cli.url, { method: 'GET', bucket: 'cli-bucket', key: 'via-domain.txt', creds })).text).toBe(
      'bound',
    );
    cli.child.kill('SIGTERM');
    expect(await exited(cli.child)).toBe(0);
  });

  it('--admin turns the admin endpoint on (off by default); --region sets the V4 region', async () => {
    const health = (url: string) => rawRequest(url, { method: 'GET', path: '/__ks3emu/health' });
    const off = await spawnCli(dir());
    expect((await health(off.url)).status).toBe(404);
    off.child.kill('SIGTERM');
    expect(await exited(off.child)).toBe(0);
    const on = await spawnCli(dir(), undefined, ['--admin', '--region', 'SHANGHAI']);
    expect((await health(on.url)).text).toBe('{"ok":true}');
    const shanghai = await sendV4(on.url, { method: 'GET', creds: CREDS, region: 'SHANGHAI' });
    expect(shanghai.status).toBe(200);
    const beijing = await sendV4(on.url, { method: 'GET', creds: CREDS, region: 'BEIJING' });
    expect(xml1(beijing.text, 'Code')).toBe('AuthorizationHeaderMalformed');
    on.child.kill('SIGTERM');
    expect(await exited(on.child)).toBe(0);
  });

  it('refuses bad arguments with exit code 2 and the usage', () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [BIN, ...args], {
        env: { ...process.env, KS3_ACCESS_KEY: '', KS3_SECRET_KEY: '', ...env },
        encoding: 'utf8',
        timeout: 15_000,
      });
    for (const [args, env] of [
      [['--port', '0'], {}],
      [['--port', 'x', '--data', dir()], {}],
      [['--data', dir(), '--domain', 'nobucket'], {}],
      [['--data', dir(), '--bogus'], {}],
      [['--data', dir(), '--cors', 'everything'], {}],
      [['--data', dir()], { KS3_ACCESS_KEY: 'only-the-key' }],
      [['--data', dir(), '--region', 'not a region'], {}],
    ] as [string[], Record<string, string>][]) {
      const res = run(args, env);
      expect([args.join(' '), res.status]).toEqual([args.join(' '), 2]);
      expect(res.stderr).toContain('usage: ks3-emulator');
    }
    expect(run(['--help']).stdout).toContain('usage: ks3-emulator');
  });

  it('crash test: SIGKILL during a 256 MiB streamed PUT leaves no object and no stray files after restart', async () => {
    const data = dir();
    const first = await spawnCli(data);
    expect((await send(first.url, { method: 'PUT', bucket: 'crash-bucket', key: '' })).status).toBe(200);
    expect(
      (await send(first.url, { method: 'PUT', bucket: 'crash-bucket', key: 'survivor', body: 'still here' })).status,
    ).toBe(200);

    const size = 256 * 1024 * 1024;
    const u = new URL(first.url);
    const date = new Date().toUTCString();
    const sig = hmac(CREDS.secretAccessKey, stringToSign('PUT', {}, date, '/crash-bucket/big.bin'));
    const req = http.request({
      host: u.hostname,
      port: u.port,
      method: 'PUT',
      path: '/crash-bucket/big.bin',
      headers: { Date: date, Authorization: `KSS ${CREDS.accessKeyId}:${sig}`, 'Content-Length': String(size) },
    });
    req.on('error', () => {});
    const chunk = Buffer.alloc(1024 * 1024, 0xab);
    let sent = 0;
    let stop = false;
    // Send only the first 64 MiB, then hold the request open: the server is then certainly
    // mid-body when it is killed, however fast it writes to disk.
    const pump = () => {
      if (stop || sent >= 64 * 1024 * 1024) return;
      sent += chunk.length;
      req.write(chunk, () => setImmediate(pump));
    };
    pump();
    // Kill once the body is on its way to disk: a non-empty temp file exists.
    const tmp = join(data, 'tmp');
    const midBody = await waitFor(
      () => readdirSync(tmp).some((f) => statSync(join(tmp, f)).size > 4 * 1024 * 1024),
      20_000,
    );
    expect(midBody).toBe(true);
    first.child.kill('SIGKILL');
    await exited(first.child);
    stop = true;
    req.destroy();
    expect(sent).toBeLessThan(size);
    expect(readdirSync(tmp).length).toBeGreaterThan(0); // the crash really left a partial file

    const second = await spawnCli(data);
    try {
      expect((await send(second.url, { method: 'HEAD', bucket: 'crash-bucket', key: 'big.bin' })).status).toBe(404);
      expect((await send(second.url, { method: 'GET', bucket: 'crash-bucket', key: 'survivor' })).text).toBe(
        'still here',
      );
      expect(xmlAll((await send(second.url, { method: 'GET', bucket: 'crash-bucket', key: '' })).text, 'Key')).toEqual([
        'survivor',
      ]);
      expect(readdirSync(tmp)).toEqual([]);
      expect(files(join(data, 'buckets', 'crash-bucket', 'data'))).toHaveLength(1);
    } finally {
      second.child.kill('SIGTERM');
      expect(await exited(second.child)).toBe(0);
    }
  }, 90_000);
});
