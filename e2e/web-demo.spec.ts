/**
 * The web demo driven like a person, in Chromium: the page (http://localhost:PORT) talks to the
 * emulator (http://127.0.0.1:OTHER) under strict CORS, with rules its backend set through
 * putBucketCors. Drop a file, upload a larger one and watch its progress, reload mid-upload,
 * resume, download and compare bytes; then the backend signer, encryption, a POST form, folders,
 * paging, a presigned link and delete. No long-term secret may appear in the page, its network
 * traffic or its storage. A screenshot is saved to artifacts/web-demo.png (CI keeps artifacts/).
 *
 * Needs `pnpm build` (the page loads packages/browser/dist/ks3.min.js).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { createClient, getObject, headObject, listMultipartUploads } from '@ks3/node';
import { startDemo } from '../examples/web-demo/demo.mjs';
import { callEmulatorAdmin } from '../internal/test-utils/emulator-admin.js';
import { dropFiles, randomData, recordTraffic, secretForms, sha256, writeFiles } from './web-demo-helpers.js';

let demo: Awaited<ReturnType<typeof startDemo>>;
test.beforeAll(async () => {
  demo = await startDemo({ admin: true });
});
test.afterAll(async () => demo?.close());

const PART = 256 * 1024;
const checkpointParts = (page: Page) =>
  page.evaluate(() => {
    for (const k of Object.keys(localStorage))
      if (k.startsWith('ks3demo:upload:'))
        return JSON.parse(localStorage.getItem(k)!).checkpoint.parts.length as number;
    return 0;
  });

async function downloadBytes(page: Page, key: string): Promise<Uint8Array> {
  const download = page.waitForEvent('download');
  await page.locator(`#files tr[data-key$="${key}"] button`, { hasText: 'Download' }).click();
  return readFileSync(await (await download).path());
}

async function expectNoSecret(page: Page, traffic: string): Promise<void> {
  const state = JSON.stringify(await page.context().storageState({ indexedDB: true }));
  const where = { traffic, page: await page.content(), storage: state };
  for (const form of secretForms(demo.keys.secretAccessKey))
    for (const [name, text] of Object.entries(where)) expect(text.includes(form), `secret in ${name}`).toBe(false);
}

test('upload, reload mid-upload, resume, download: same bytes, and no secret anywhere', async ({ page }) => {
  expect(demo.cors.problems).toEqual([]);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const traffic = recordTraffic(page);
  const big = randomData(12 * PART + 4321);
  const dir = writeFiles({ 'big.bin': big });
  // Each part waits 300 ms at KS3, so the upload lasts long enough to be interrupted.
  await callEmulatorAdmin(demo.endpoint, 'faults', {
    op: 'UploadPart',
    bucket: demo.bucket,
    delayMs: 300,
    times: 10_000,
  });
  await page.goto(`${demo.url}?partSize=${PART}&concurrency=2`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  // Reported, not asserted (no timed assertions): from navigation to a listed, usable page.
  console.info(`web demo ready ${await page.locator('body').getAttribute('data-ready-ms')} ms after navigation`);

  await dropFiles(page, '#drop', [{ name: 'hello.txt', text: 'hello from a drop' }]);
  await expect(page.locator('#queue li[data-key$="/hello.txt"]')).toHaveAttribute('data-state', 'done');
  await expect(page.locator('#files tr[data-key$="/hello.txt"]')).toBeVisible();

  await page.setInputFiles('#file-input', join(dir, 'big.bin'));
  const item = page.locator('#queue li[data-key$="/big.bin"]');
  const loaded = async () => Number((await item.getAttribute('data-loaded')) ?? 0);
  await expect.poll(loaded, { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(item.locator('.detail')).toContainText(/ of 3\.0 MB/);
  await expect.poll(() => checkpointParts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);

  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  const kept = await checkpointParts(page);
  expect(kept).toBeGreaterThanOrEqual(4);
  expect(kept).toBeLessThan(13);
  await expect(page.locator('#interrupted li')).toContainText('interrupted: choose or drop big.bin again to resume');
  const resumedAt = Date.now();
  await page.setInputFiles('#file-input', join(dir, 'big.bin'));
  await expect(item).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const partsAfter = traffic.requests.filter(
    (r) => r.at >= resumedAt && r.method === 'PUT' && /partNumber=/.test(r.url),
  );
  expect(partsAfter.length).toBeLessThanOrEqual(13 - kept);
  await expect(page.locator('#interrupted li')).toHaveCount(0);

  await expect(page.locator('#files tr[data-key$="/big.bin"]')).toBeVisible();
  expect(sha256(await downloadBytes(page, '/big.bin'))).toBe(sha256(big));
  expect(new TextDecoder().decode(await downloadBytes(page, '/hello.txt'))).toBe('hello from a drop');

  await page.screenshot({ path: 'artifacts/web-demo.png', fullPage: true });
  await expectNoSecret(page, traffic.text());
  expect(errors).toEqual([]);
});

test('backend signer, encryption, a POST form, folders, paging, a presigned link and delete', async ({ page }) => {
  await callEmulatorAdmin(demo.endpoint, 'reset', {});
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const traffic = recordTraffic(page);
  const secretText = randomData(300_000);
  const dir = writeFiles({
    'secret.bin': secretText,
    'form.txt': 'posted with a form',
    'album/a.txt': 'A',
    'album/b.txt': 'B',
    'album/c.txt': 'C',
  });
  await page.goto(`${demo.url}?pageSize=2`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  const prefix = (await page.locator('#prefix').textContent())!;

  // Backend signer + client-side encryption with a key the page generates.
  await page.locator('input[name=mode][value=signer]').check();
  await page.locator('#encrypt').check();
  await expect(page.locator('#key')).toHaveValue(/^[A-Za-z0-9+/]{22}==$/);
  await page.setInputFiles('#file-input', join(dir, 'secret.bin'));
  await expect(page.locator('#queue li[data-key$="/secret.bin"]')).toHaveAttribute('data-state', 'done');
  const owner = createClient({ endpoint: demo.endpoint, region: 'BEIJING', ...demo.keys });
  const stored = await headObject(owner, { bucket: demo.bucket, key: `${prefix}secret.bin` });
  expect(stored.metadata.iv).toBeTruthy();
  const raw = await (await getObject(owner, { bucket: demo.bucket, key: `${prefix}secret.bin` })).bytes();
  expect(sha256(raw)).not.toBe(sha256(secretText));

  // A POST-policy form upload (no encryption), then a folder.
  await page.locator('#encrypt').uncheck();
  await page.locator('input[name=method][value=form]').check();
  await page.setInputFiles('#file-input', join(dir, 'form.txt'));
  await expect(page.locator('#queue li[data-key$="/form.txt"]')).toHaveAttribute('data-state', 'done');
  await page.locator('input[name=method][value=manager]').check();
  await page.setInputFiles('#folder-input', join(dir, 'album'));
  await expect(page.locator('#queue li[data-state=done]')).toHaveCount(5);

  // Listing: the folder, pages of 2, back to the root.
  await page.locator('#files tr.folder a', { hasText: 'album/' }).click();
  await expect(page.locator('#files tbody tr')).toHaveCount(2);
  await page.locator('#next').click();
  await expect(page.locator('#page')).toHaveText('page 2');
  await expect(page.locator('#files tbody tr[data-key$="album/c.txt"]')).toBeVisible();
  await page.locator('#crumbs a', { hasText: 'your files' }).click();

  // Page 1 of the root: album/ and form.txt. A presigned link serves the stored bytes; delete.
  const row = page.locator('#files tr[data-key$="/form.txt"]');
  await row.locator('button', { hasText: 'Link' }).click();
  const href = await page.locator('tr.link a.presigned').getAttribute('href');
  expect(await (await page.request.get(href!)).text()).toBe('posted with a form');
  await row.locator('button', { hasText: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  // secret.bin moved up to page 1; downloading decrypts in the page with its key.
  await page.locator('#encrypt').check();
  const back = await downloadBytes(page, '/secret.bin');
  expect(sha256(back)).toBe(sha256(secretText));

  await expectNoSecret(page, traffic.text());
  expect(errors).toEqual([]);
});

test('pause, resume and cancel an upload', async ({ page }) => {
  await callEmulatorAdmin(demo.endpoint, 'reset', {});
  await callEmulatorAdmin(demo.endpoint, 'faults', {
    op: 'UploadPart',
    bucket: demo.bucket,
    delayMs: 300,
    times: 10_000,
  });
  const traffic = recordTraffic(page);
  const data = randomData(10 * PART);
  const dir = writeFiles({ 'paused.bin': data, 'cancelled.bin': randomData(10 * PART) });
  await page.goto(`${demo.url}?partSize=${PART}&concurrency=2`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  const prefix = (await page.locator('#prefix').textContent())!;

  await page.setInputFiles('#file-input', join(dir, 'paused.bin'));
  const item = page.locator('#queue li[data-key$="/paused.bin"]');
  await expect.poll(() => checkpointParts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await item.locator('button', { hasText: 'Pause' }).click();
  await expect(item.locator('.detail')).toContainText('paused at');
  await expect(item).toHaveAttribute('data-state', 'paused');
  const pausedAt = Date.now();
  await page.waitForTimeout(1000);
  const sentWhilePaused = traffic.requests.filter((r) => r.at > pausedAt && /partNumber=/.test(r.url));
  expect(sentWhilePaused).toEqual([]);
  await item.locator('button', { hasText: 'Resume' }).click();
  await expect(item).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  expect(sha256(await downloadBytes(page, '/paused.bin'))).toBe(sha256(data));

  await page.setInputFiles('#file-input', join(dir, 'cancelled.bin'));
  const doomed = page.locator('#queue li[data-key$="/cancelled.bin"]');
  await expect.poll(() => checkpointParts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await doomed.locator('button', { hasText: 'Cancel' }).click();
  await expect(doomed).toHaveAttribute('data-state', 'cancelled');
  const owner = createClient({ endpoint: demo.endpoint, region: 'BEIJING', ...demo.keys });
  await expect
    .poll(async () => (await listMultipartUploads(owner, { bucket: demo.bucket, prefix })).uploads.length)
    .toBe(0);
  expect(await checkpointParts(page)).toBe(0);
  await page.locator('#refresh').click();
  await expect(page.locator('#files tr[data-key$="/cancelled.bin"]')).toHaveCount(0);
});
