import { expect, test } from '@playwright/test';
import { TEST_CREDENTIALS } from '../internal/test-utils/credentials.js';

test('a page using the CDN <script> walks through put/get/list/presign/delete', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const q = new URLSearchParams({
    endpoint: process.env.E2E_KS3_ENDPOINT!,
    ak: TEST_CREDENTIALS.accessKeyId,
    sk: TEST_CREDENTIALS.secretAccessKey,
    bucket: `page-${Date.now()}`,
  });
  await page.goto(`${process.env.E2E_PAGES}/examples/browser/index.html?${q}`);
  await expect(page.locator('#log')).toContainText(/DONE|ERROR/, { timeout: 30_000 });
  const log = await page.locator('#log').textContent();
  expect(log).not.toContain('ERROR');
  expect(log).toContain('get "hello from a page ✓"');
  expect(log).toContain('presigned fetch 200');
  expect(await page.evaluate(() => typeof (globalThis as { KS3?: unknown }).KS3)).toBe('object');
  expect(errors).toEqual([]);
});
