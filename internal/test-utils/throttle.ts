/**
 * Throttles a test page's uploads with Chromium's own network emulation (CDP
 * `Network.emulateNetworkConditions`), for tests that need an upload to last: XMLHttpRequest
 * then reports progress every ~100 ms. A throttling TCP proxy does not work for this on loopback:
 * the receiver's window opens in bursts of about 1.5 MiB, so progress jumps. Applies to the whole
 * test page (other test files running at the same moment upload slower too), so keep it short
 * and turn it off. Browser tests call it through the `ks3ThrottleUpload` command (vitest.config.ts).
 */
import type { BrowserContext, CDPSession, Page } from 'playwright';

const sessions = new WeakMap<Page, CDPSession>();

/** Limits the page's upload rate to `bytesPerSecond`; 0 removes the limit. */
export async function throttleUpload(context: BrowserContext, page: Page, bytesPerSecond: number): Promise<void> {
  let cdp = sessions.get(page);
  if (!cdp) {
    if (bytesPerSecond <= 0) return;
    cdp = await context.newCDPSession(page);
    sessions.set(page, cdp);
    await cdp.send('Network.enable');
  }
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond > 0 ? bytesPerSecond : -1,
  });
  if (bytesPerSecond <= 0) {
    sessions.delete(page);
    await cdp.detach();
  }
}

declare module 'vitest/browser' {
  interface BrowserCommands {
    ks3ThrottleUpload: (bytesPerSecond: number) => Promise<void>;
  }
}
