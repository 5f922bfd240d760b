import { defineConfig } from '@playwright/test';

/**
 * Page-level tests in Debian's Chromium (Playwright never downloads a browser here): pages are
 * served from http://localhost:<port> and talk to the emulator on http://127.0.0.1:<port>, a
 * different origin, so CORS is real. Unit and contract tests run under vitest instead.
 */
export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: '.playwright-report.json' }]],
  globalSetup: './e2e/global-setup.ts',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
