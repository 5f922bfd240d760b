/**
 * Helpers for the web demo's Playwright tests: test files on disk, a synthetic drag-and-drop, and
 * a recorder of everything the page sends, receives and stores, searched for the long-term secret.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Writes files (path → bytes) under a fresh temporary folder; returns it. */
export function writeFiles(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ks3-web-demo-e2e-'));
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  return dir;
}

export const randomData = (size: number): Uint8Array => new Uint8Array(randomBytes(size));

/** Drops files on an element the way a browser delivers a drop of files (a DataTransfer). */
export async function dropFiles(page: Page, selector: string, files: { name: string; text: string }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'text/plain' }));
    return dt;
  }, files);
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

/** Everything the page sent and received (URLs, headers, bodies of text answers). */
export function recordTraffic(page: Page): {
  text: () => string;
  requests: { method: string; url: string; at: number }[];
} {
  const chunks: string[] = [];
  const requests: { method: string; url: string; at: number }[] = [];
  page.on('request', (r) => {
    requests.push({ method: r.method(), url: r.url(), at: Date.now() });
    chunks.push(r.url(), JSON.stringify(r.headers()));
    const body = r.postDataBuffer();
    if (body && body.length < 1 << 20) chunks.push(body.toString('latin1'));
  });
  page.on('response', async (r) => {
    try {
      chunks.push(JSON.stringify(await r.allHeaders()));
      const type = r.headers()['content-type'] ?? '';
      if (/json|xml|text|javascript/.test(type)) chunks.push(await r.text());
    } catch {
      // a response whose body went away with a reload
    }
  });
  return { text: () => chunks.join('\n'), requests };
}

/** Forms in which a secret could appear: as is, URL-encoded, Base64 of its UTF-8. */
export function secretForms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
}
