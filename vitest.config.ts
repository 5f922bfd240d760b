import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { callEmulatorAdmin } from './internal/test-utils/emulator-admin.js';
import { recorderCommand } from './internal/test-utils/recording-server.js';
import { throttleUpload } from './internal/test-utils/throttle.js';

/**
 * Two projects run from one config:
 * - `node`: every `*.test.ts` except the browser-only ones;
 * - `browser`: the `*.shared.test.ts` files (the same files the node project runs) and the
 *   `*.browser.test.ts` files, in Debian's Chromium driven by Playwright.
 * Workspace packages resolve to their `src/` through the `source` export condition, so tests
 * never need a build, except the packaging tests, which read `dist/` on purpose.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['internal/test-utils/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          // Every SDK error the suite makes is scanned for secrets (issue 11).
          setupFiles: ['internal/test-utils/secret-scan-setup.ts'],
          include: ['packages/*/test/**/*.test.ts', 'internal/**/*.test.ts', 'examples/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        resolve: { conditions: ['source', 'browser'] },
        test: {
          name: 'browser',
          include: ['packages/*/test/**/*.shared.test.ts', 'packages/*/test/**/*.browser.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: chromium, args: chromiumArgs } }),
            instances: [{ browser: 'chromium' }],
            // The emulator's admin endpoint refuses web pages: pages reach it through Node.
            commands: {
              ks3EmulatorAdmin: (_ctx, endpoint: string, route: string, body?: unknown) =>
                callEmulatorAdmin(endpoint, route, body),
              // Recording servers (internal/test-utils/recorder.ts) run in Node too.
              ks3Recorder: (_ctx, action: string, id: number, arg?: unknown) => recorderCommand(action, id, arg),
              // Slows the page's uploads (Chromium's network emulation), so they last long enough to report progress.
              ks3ThrottleUpload: (ctx, bytesPerSecond: number) => throttleUpload(ctx.context, ctx.page, bytesPerSecond),
            },
          },
        },
      },
    ],
  },
});
